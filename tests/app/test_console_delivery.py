"""The embedded default's delivery, as a new user meets it: the shipped `.env.example` copied to
`.env` (no bot token), then README's `publish` and `deliver`. With no token the console is the
chat: `deliver` prints what is queued for it, as `run --once` does, and leaves what is queued for
Telegram or Discord chats in the queue until a token is set."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from aiprogress.app.bots import CONSOLE_RETIRED
from aiprogress.bot.console import CONSOLE_ADDRESS
from aiprogress.core.types import (
    Channel,
    ChannelUpdate,
    ChatKind,
    DeliveryState,
    Language,
    Period,
    Platform,
)
from aiprogress.storage import tables
from aiprogress.storage.engine import create_engine
from aiprogress.storage.store import SqlStore
from tests.app.processes import DIGEST_TITLE, OUR_PREFIXES, queue_digest
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram

ENV_EXAMPLE = Path(__file__).parents[2] / ".env.example"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A new user's folder: the shipped `.env.example` copied to `.env`, byte for byte."""
    (tmp_path / ".env").write_bytes(ENV_EXAMPLE.read_bytes())
    return tmp_path


def aiprogress(folder: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The command as the user runs it in `folder`: none of our settings from the environment
    but `settings`; the rest is `.env`'s (a SQLite file in the folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}
    env.update(AIPROGRESS_HTTP_PORT="0", **settings)
    return subprocess.run(
        [sys.executable, "-m", "aiprogress", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def database(folder: Path) -> str:
    return f"sqlite:///{folder / 'aiprogress.db'}"  # `.env.example`'s DATABASE_URL, in `folder`


def test_publish_then_deliver_prints_the_digest_without_a_bot_token(folder: Path) -> None:
    """README's `publish` then `deliver` on the shipped settings: the console is subscribed, as
    `run --once` has it, and gets the digest once (before: "0 digests" and `deliver` exited 1
    with "no bot token is set")."""
    published = aiprogress(folder, "publish", AIPROGRESS_LANGUAGE="en")
    assert published.returncode == 0, published.stderr
    assert published.stdout == "1 digest, 1 delivery queued\n"
    delivered = aiprogress(folder, "deliver", AIPROGRESS_LANGUAGE="en")
    assert delivered.returncode == 0, delivered.stderr
    lines = delivered.stdout.splitlines()
    assert lines[0].startswith("Where is AI heading: ") and lines[0].endswith(" UTC?")
    assert lines[-1] == "sent 1, retried 0, failed 0, channels deactivated 0"
    assert "error" not in delivered.stderr.lower()
    again = aiprogress(folder, "deliver", AIPROGRESS_LANGUAGE="en")
    assert (again.returncode, again.stdout) == (
        0,
        "sent 0, retried 0, failed 0, channels deactivated 0\n",
    )


def test_deliver_json_without_a_bot_token_is_json_on_stdout(folder: Path) -> None:
    """The report alone on stdout, so that it parses; the console's digest goes to stderr."""
    assert aiprogress(folder, "publish", AIPROGRESS_LANGUAGE="en").returncode == 0
    delivered = aiprogress(folder, "deliver", "--json", AIPROGRESS_LANGUAGE="en")
    assert delivered.returncode == 0, delivered.stderr
    assert json.loads(delivered.stdout)["sent"] == 1
    assert "Where is AI heading: " in delivered.stderr


def test_publish_takes_only_the_periods_chats_subscribe_to(folder: Path) -> None:
    # A subscription is daily or weekly: a month's publish had no chat to write for, ever.
    result = aiprogress(folder, "publish", "--period", "month")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: --period: 'month' is not one of day, week\n"


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TELEGRAM_TOKEN).in_thread() as server:
        yield server


async def _deliveries(url: str, digest_id: int) -> list[tuple[DeliveryState, int, str | None]]:
    """Each row's state, attempts and last error."""
    store = SqlStore(create_engine(url))
    try:
        return [
            (d.state, d.attempts, d.last_error)
            for d in await store.deliveries.for_digest(digest_id)
        ]
    finally:
        await store.close()


async def _make_due(url: str) -> None:
    """The backoff after a failed try, passed."""
    store = SqlStore(create_engine(url))
    try:
        async with store.engine.begin() as connection:
            await connection.execute(
                sa.update(tables.delivery).values(next_attempt_at=datetime.now(UTC))
            )
    finally:
        await store.close()


WAITING = (
    "no bot token is set: deliveries to Telegram or Discord chats stay queued until "
    "TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN is set\n"
)


@pytest.mark.parametrize("command", [("deliver",), ("run", "--once")])
def test_a_delivery_queued_for_telegram_waits_for_a_token_then_goes_out(
    folder: Path, telegram: FakeTelegram, command: tuple[str, ...]
) -> None:
    """A digest queued for a Telegram chat (by an earlier run with a token, say) while no token
    is set: the console's `deliver` and `run --once` leave it queued as it was (no attempt
    counted, not put off) and say why; the first `deliver` with the token set sends it (before:
    each run counted an attempt and put the row off a minute, so that one right after setting
    the token printed `sent 0`)."""
    url = database(folder)
    digest_id = asyncio.run(queue_digest(url, [(Platform.TELEGRAM, "-1001")]))
    for _ in range(2):
        waited = aiprogress(folder, *command)
        assert waited.returncode == 0, waited.stderr
        assert DIGEST_TITLE not in waited.stdout
        assert asyncio.run(_deliveries(url, digest_id)) == [(DeliveryState.PENDING, 0, None)]
    if command == ("deliver",):
        assert waited.stdout == "sent 0, retried 0, failed 0, channels deactivated 0\n"
        assert waited.stderr == WAITING
    sent = aiprogress(
        folder, "deliver", TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN, TELEGRAM_API_BASE=telegram.base_url
    )
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == "sent 1, retried 0, failed 0, channels deactivated 0\n"
    assert [call.chat_id for call in telegram.sent()] == [-1001]
    assert DIGEST_TITLE in (telegram.sent()[0].text or "")
    assert asyncio.run(_deliveries(url, digest_id)) == [(DeliveryState.SENT, 1, None)]
    assert TELEGRAM_TOKEN not in sent.stdout + sent.stderr


def test_runs_without_a_token_leave_a_delivery_all_its_retries(
    folder: Path, telegram: FakeTelegram
) -> None:
    """A user trial: five `deliver` runs without a token, then the token set and one transient
    500 from Telegram. Before, the five runs had used up the row's five attempts ("no telegram
    sender in this process") and the 500 failed it for good; now it is retried, then sent."""
    url = database(folder)
    digest_id = asyncio.run(queue_digest(url, [(Platform.TELEGRAM, "-1001")]))
    for _ in range(5):
        waited = aiprogress(folder, "deliver")
        assert (waited.returncode, waited.stderr) == (0, WAITING)
    assert asyncio.run(_deliveries(url, digest_id)) == [(DeliveryState.PENDING, 0, None)]
    bot = {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_API_BASE": telegram.base_url}
    telegram.fail("sendMessage", status=500)
    retried = aiprogress(folder, "deliver", **bot)
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout == "sent 0, retried 1, failed 0, channels deactivated 0\n"
    ((state, attempts, _),) = asyncio.run(_deliveries(url, digest_id))
    assert (state, attempts) == (DeliveryState.PENDING, 1)
    asyncio.run(_make_due(url))
    sent = aiprogress(folder, "deliver", **bot)
    assert sent.stdout == "sent 1, retried 0, failed 0, channels deactivated 0\n"
    assert asyncio.run(_deliveries(url, digest_id)) == [(DeliveryState.SENT, 2, None)]
    assert [call.chat_id for call in telegram.sent()] == [-1001]


async def _subscribe_telegram_chat(url: str) -> None:
    store = SqlStore(create_engine(url))
    try:
        channel = await store.channels.ensure(
            Platform.TELEGRAM, "-1001", language=Language.EN, kind=ChatKind.GROUP
        )
        await store.channels.update(channel.id, ChannelUpdate(active=True, period=Period.DAY))
    finally:
        await store.close()


async def _console(url: str) -> Channel | None:
    store = SqlStore(create_engine(url))
    try:
        return await store.channels.find(Platform.CONSOLE, CONSOLE_ADDRESS)
    finally:
        await store.close()


def test_the_console_is_no_chat_once_a_bot_token_is_set(
    folder: Path, telegram: FakeTelegram
) -> None:
    """README's quick start runs `run --once` without a token (the console is subscribed), then
    the user sets a token: no digest is written and queued for the console any more, where no
    process with a token prints it (before: one more row a day, retried every minute, for
    ever). Without the token again, the console is the chat again."""
    assert aiprogress(folder, "run", "--once").returncode == 0
    url = database(folder)
    asyncio.run(_subscribe_telegram_chat(url))
    bot = {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_API_BASE": telegram.base_url}
    published = aiprogress(folder, "publish", **bot)
    assert published.returncode == 0, published.stderr
    assert published.stdout == "1 digest, 1 delivery queued\n"
    delivered = aiprogress(folder, "deliver", **bot)
    assert delivered.returncode == 0, delivered.stderr
    assert delivered.stdout == "sent 1, retried 0, failed 0, channels deactivated 0\n"
    assert [call.chat_id for call in telegram.sent()] == [-1001]
    console = asyncio.run(_console(url))
    assert console is not None and not console.active
    assert console.deactivated_reason == CONSOLE_RETIRED

    assert aiprogress(folder, "publish").returncode == 0
    console = asyncio.run(_console(url))
    assert console is not None and console.active and console.period is Period.DAY


def test_the_consoles_language_follows_the_setting(folder: Path) -> None:
    """The console has no /lang: AIPROGRESS_LANGUAGE changed in `.env` changes its digests'
    language (it kept the language of its first run)."""
    assert aiprogress(folder, "publish").returncode == 0
    assert aiprogress(folder, "deliver").stdout.startswith("Куда движется ИИ: ")
    dotenv = folder / ".env"
    dotenv.write_text(
        dotenv.read_text().replace("AIPROGRESS_LANGUAGE=ru", "AIPROGRESS_LANGUAGE=en")
    )
    assert aiprogress(folder, "publish").stdout == "1 digest, 1 delivery queued\n"
    assert aiprogress(folder, "deliver").stdout.startswith("Where is AI heading: ")


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        (
            {},
            "no chat is subscribed to the weekly digest (the console is subscribed to the daily one)",
        ),
        ({"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN}, "no chat is subscribed to the weekly digest"),
    ],
)
def test_publish_for_no_subscriber_says_so(
    folder: Path, settings: dict[str, str], line: str
) -> None:
    """A count of 0 digests alone left a new user guessing: with no bot token the console
    takes the daily digest, and `--period week` finds no one."""
    result = aiprogress(folder, "publish", "--period", "week", **settings)
    assert (result.returncode, result.stdout) == (0, "0 digests, 0 deliveries queued\n")
    assert result.stderr.splitlines()[-1] == line
