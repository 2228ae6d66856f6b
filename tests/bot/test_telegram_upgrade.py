"""A Telegram group upgraded to a supergroup, through the fake Bot API and the real store on
SQLite and PostgreSQL: the chat's channel moves to the supergroup's id in storage, whether the
bot learns it from the service messages or from a refused send, so that after a restart
(another bot, another store, the same database) its subscription, language, filters, schedule
and queued digests go to the supergroup, without a send to the dead id."""

# `front` is test_telegram's fixture, imported rather than copied: the tests that take it as an
# argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from aiprogress.core.types import (
    Channel,
    DailyAt,
    DeliveryState,
    ItemFilter,
    Language,
    Period,
    Platform,
)
from aiprogress.storage.engine import create_engine
from aiprogress.storage.store import SqlStore
from tests.bot.test_telegram import (  # noqa: F401 (front: a fixture)
    USER,
    Front,
    front,
    long_document,
    open_front,
    queued_to_one_group,
    stored_digest,
)
from tests.servers.telegram import FakeTelegram

GROUP = -4012345678
SUPERGROUP = -1004012345678


@pytest.fixture
def database(database_url: str, request: pytest.FixtureRequest) -> str:
    """The database the `store` fixture opened (its PostgreSQL one is the session's)."""
    if database_url.startswith("postgresql"):
        url: str = request.getfixturevalue("migrated_postgres_url")
        return url
    return database_url


@asynccontextmanager
async def restarted(front: Front, database: str) -> AsyncIterator[Front]:
    """The service started again: a new bot, sender and store over the same database and the
    same Bot API (which still knows the group was upgraded)."""
    store = SqlStore(create_engine(database))
    try:
        async with open_front(store, front.clock, front.server) as again:
            yield again
    finally:
        await store.close()


async def upgrade_messages(front: Front, old: int, new: int) -> None:
    """What Telegram sends when it upgrades the group `old`: a service message in the group
    naming the supergroup, and one in the supergroup naming the group."""
    for chat, kind, field, other in (
        (old, "group", "migrate_to_chat_id", new),
        (new, "supergroup", "migrate_from_chat_id", old),
    ):
        update = front.server.push_update(
            {
                "message": {
                    "message_id": 900,
                    "date": int(time.time()),
                    "chat": {"id": chat, "type": kind, "title": "ML readers"},
                    "from": {"id": USER, "is_bot": False, "first_name": "Admin"},
                    field: other,
                }
            }
        )
        await front.dispatcher.feed_raw_update(front.bot, update)


def refused(server: FakeTelegram) -> list[Any]:
    return [call for call in server.calls_of("sendMessage") if call.status == 400]


async def configured_group(front: Front) -> Channel:
    """A group its admin set up: Russian, weekly at 08:30 Moscow time, with filters."""
    front.server.set_member(GROUP, USER, "administrator")
    for text in (
        "/lang ru",
        "/subscribe weekly 08:30 Europe/Moscow",
        "/filters include llm",
        "/filters exclude_re crypto.*",
    ):
        await front.command(GROUP, USER, text, "group")
    channel = await front.store.channels.find(Platform.TELEGRAM, str(GROUP))
    assert channel is not None and channel.active
    return channel


async def test_an_upgrade_told_by_its_messages_survives_a_restart(
    front: Front, database: str
) -> None:
    group = await configured_group(front)
    digest = await stored_digest(front, long_document(Language.RU, stories=3))
    await front.store.deliveries.enqueue(digest.id, [group.id])
    answers = front.server.sent(GROUP)  # to the commands, before the upgrade
    front.server.upgrade(GROUP, SUPERGROUP)

    await upgrade_messages(front, GROUP, SUPERGROUP)

    async with restarted(front, database) as again:
        moved = await again.store.channels.find(Platform.TELEGRAM, str(SUPERGROUP))
        assert moved is not None and moved.id == group.id
        assert (moved.language, moved.period, moved.send_at, moved.timezone) == (
            Language.RU,
            Period.WEEK,
            DailyAt(8, 30),
            "Europe/Moscow",
        )
        assert moved.item_filter == ItemFilter(include=("llm",), exclude_patterns=("crypto.*",))
        assert moved.admin_ids == (str(USER),) and moved.active
        assert await again.store.channels.find(Platform.TELEGRAM, str(GROUP)) is None

        # The digest queued before the upgrade reaches the supergroup, never the dead id.
        report = await again.outbox().deliver_pending()
        assert report.sent == 1 and report.retried == 0
        assert again.server.sent(SUPERGROUP) and again.server.sent(GROUP) == answers
        assert refused(again.server) == []
        (delivery,) = await again.store.deliveries.for_digest(digest.id)
        assert delivery.state is DeliveryState.SENT

        # The messages again (a replayed update): nothing more changes.
        before = await again.store.channels.list()
        await upgrade_messages(again, GROUP, SUPERGROUP)
        assert await again.store.channels.list() == before


async def test_an_upgrade_learned_from_a_refused_send_survives_a_restart(
    front: Front, database: str
) -> None:
    """No service message reached the bot (it was down a day, say): the first send to the
    group is refused with the supergroup's id; that delivery goes there in the same run, and
    the move is stored, so the next process's digests go there at once."""
    chat, channel, _ = await queued_to_one_group(front, stories=2)
    front.server.upgrade(chat, SUPERGROUP)

    report = await front.outbox().deliver_pending()

    assert report.sent == 1 and report.retried == 0 and len(refused(front.server)) == 1
    assert front.server.sent(SUPERGROUP)
    async with restarted(front, database) as again:
        moved = await again.store.channels.find(Platform.TELEGRAM, str(SUPERGROUP))
        assert moved is not None and moved.id == channel.id and moved.active
        second = await stored_digest(again, long_document(stories=1))
        await again.store.deliveries.enqueue(second.id, [channel.id])
        before = len(again.server.calls_of("sendMessage"))
        assert (await again.outbox().deliver_pending()).sent == 1
        assert all(call.ok for call in again.server.calls_of("sendMessage")[before:])
        assert not again.server.sent(chat)


async def test_a_supergroup_subscribed_since_takes_the_groups_queued_digest(
    front: Front,
) -> None:
    """The admins, missing their digest, subscribed the supergroup before the bot learned of
    the move: their newer choice stays, and the group's queued digest reaches it once."""
    chat, _, digest = await queued_to_one_group(front, stories=1)
    front.server.upgrade(chat, SUPERGROUP)
    front.server.set_member(SUPERGROUP, USER, "administrator")
    await front.command(SUPERGROUP, USER, "/subscribe 07:15", "supergroup")
    answered = len(front.server.sent(SUPERGROUP))
    supergroup = await front.store.channels.find(Platform.TELEGRAM, str(SUPERGROUP))
    assert supergroup is not None and supergroup.send_at == DailyAt(7, 15)

    report = await front.outbox().deliver_pending()

    # Refused at the group's id, then sent by the supergroup's row, at its next claim.
    assert (report.sent, report.retried, report.failed) == (1, 1, 0)
    digest_parts = [call.text for call in front.server.sent(SUPERGROUP)[answered:]]
    assert digest_parts and len(set(digest_parts)) == len(digest_parts)
    (delivery,) = await front.store.deliveries.for_digest(digest.id)
    assert delivery.channel_id == supergroup.id and delivery.state is DeliveryState.SENT
    (only,) = await front.store.channels.list()
    assert only.id == supergroup.id and only.send_at == DailyAt(7, 15)


async def test_an_upgrade_message_for_a_chat_never_seen_stores_nothing(front: Front) -> None:
    await upgrade_messages(front, GROUP, SUPERGROUP)
    assert await front.store.channels.list() == []
