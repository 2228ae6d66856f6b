"""What the tests that run `aiprogress` as a process (or its settings in process) share: a free
loopback port, an environment with none of our settings but the ones a test gives, and a digest
queued for chats to deliver."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aiprogress.core.types import ChannelUpdate, ChatKind, DigestDraft, Language, Period, Platform
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import upgrade
from aiprogress.storage.store import SqlStore

# Every prefix of a variable the program reads: a developer's own settings must not leak in.
OUR_PREFIXES = ("AIPROGRESS_", "DATABASE_", "TELEGRAM_", "DISCORD_", "OPENAI_", "LLM_")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The process's environment without our settings, on a SQLite file in `tmp_path`, its HTTP
    port chosen by the system, then `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}", AIPROGRESS_HTTP_PORT="0")
    env.update(settings)
    return env


def clear_our_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that reads settings in this process: none of ours from the environment."""
    for name in list(os.environ):
        if name.startswith(OUR_PREFIXES):
            monkeypatch.delenv(name)


DIGEST_TITLE = "Where is AI heading: the day?"


async def queue_digest(url: str, chats: Sequence[tuple[Platform, str]]) -> int:
    """On the database at `url` (migrated here): `chats` as subscribed groups, and one daily
    digest queued for each of them, as `publish` leaves it for `run` or `deliver`. Returns the
    digest's id."""
    store = SqlStore(create_engine(url))
    try:
        await upgrade(store.engine)
        now = datetime.now(UTC)
        draft = DigestDraft(
            period=Period.DAY,
            language=Language.EN,
            window_start=now - timedelta(days=1),
            window_end=now,
            title=DIGEST_TITLE,
            body="One story.",
            item_ids=(),
            writer="builtin",
        )
        (digest,) = await store.digests.add_all([draft], now)
        ids = []
        for platform, address in chats:
            channel = await store.channels.ensure(
                platform, address, language=Language.EN, kind=ChatKind.GROUP
            )
            await store.channels.update(
                channel.id, ChannelUpdate(active=True, period=Period.DAY, last_published_at=now)
            )
            ids.append(channel.id)
        await store.deliveries.enqueue(digest.id, ids)
        return digest.id
    finally:
        await store.close()
