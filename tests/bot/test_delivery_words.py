"""Delivery as chats and owners meet it, through the outbox and the fake Bot API: a user who
blocks the bot is quietly unsubscribed (the owners are not told of every such user); a group
that removed the bot is told why in its language, and so are the owners; a 5xx is retried and
the digest then arrives once."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.outbox import OutboxSettings
from aiprogress.core.types import ChatKind, DeliveryState, Language, Platform
from aiprogress.storage.store import SqlStore
from tests.bot.test_telegram import (
    OWNER,
    USER,
    Front,
    long_document,
    open_front,
    queued_to_one_group,
    stored_digest,
)


@pytest.fixture
async def front(store: SqlStore, clock: FixedClock) -> AsyncIterator[Front]:
    async with open_front(store, clock) as front:
        yield front


async def test_a_user_who_blocks_the_bot_is_unsubscribed_without_telling_the_owners(
    front: Front,
) -> None:
    await front.command(USER, USER, "/subscribe")
    chat = await front.store.channels.find(Platform.TELEGRAM, str(USER))
    assert chat is not None and chat.active and chat.kind is ChatKind.PRIVATE
    digest = await stored_digest(front, long_document(stories=2))
    await front.store.deliveries.enqueue(digest.id, [chat.id])
    front.server.block(USER)
    outbox = front.outbox()

    report = await outbox.deliver_pending()

    assert report.deactivated == 1
    chat = await front.store.channels.get(chat.id)
    assert not chat.active and "blocked" in (chat.deactivated_reason or "")
    # No notice for the owners, and no second try to write to the user who blocked the bot.
    assert await front.store.notices.pending() == []
    assert await outbox.deliver_notices(Platform.TELEGRAM, [str(OWNER)]) == 0
    tries = [call for call in front.server.calls_of("sendMessage") if call.chat_id == USER]
    assert [call.status for call in tries] == [200, 403]  # the /subscribe answer, the digest


async def test_a_group_that_removed_the_bot_is_told_why_in_its_language(front: Front) -> None:
    chat, channel, _ = await queued_to_one_group(front, stories=2)
    channel = await front.desk.set_language(channel, Language.RU)
    channel = await front.desk.subscribe(channel, admin_id=str(USER))
    front.server.block(chat)
    outbox = front.outbox()

    assert (await outbox.deliver_pending()).deactivated == 1
    assert await outbox.deliver_notices(Platform.TELEGRAM, [str(OWNER)]) == 1

    (admin,) = [html.unescape(call.text or "") for call in front.server.sent(USER)]
    assert admin.startswith(f"Доставка в {chat} остановлена: бота удалили из чата.")
    assert "Forbidden" not in admin and "kicked" not in admin
    # The owner has no chat with the bot on record: the outbox's language, English here.
    (owner,) = [html.unescape(call.text or "") for call in front.server.sent(OWNER)]
    assert owner.startswith(f"Delivery to {chat} is stopped: the bot was removed from the chat.")


async def test_a_server_error_is_retried_and_the_digest_then_arrives_once(front: Front) -> None:
    chat, _, digest = await queued_to_one_group(front, stories=40)
    settings = OutboxSettings()
    # Its first part meets a 502: the delivery waits for its retry, nothing of it sent twice.
    front.server.fail("sendMessage", status=502, chat_id=chat)
    first = await front.outbox().deliver_pending()
    assert first.retried == 1 and front.server.sent(chat) == []
    (delivery,) = await front.store.deliveries.for_digest(digest.id)
    assert delivery.state is DeliveryState.PENDING and "Bad Gateway" in (delivery.last_error or "")

    front.clock.set(front.clock.now() + settings.retry_base)
    assert (await front.outbox().deliver_pending()).sent == 1
    texts = Counter(call.text for call in front.server.sent(chat))
    assert len(texts) > 1 and set(texts.values()) == {1}


async def test_a_group_upgraded_to_a_supergroup_gets_its_digest_there(front: Front) -> None:
    """Telegram upgrades a group to a supergroup under a new id, and answers a send to the old
    one 400 with the new id. The digest went nowhere (retried five times, then failed, at every
    digest); it now goes to the supergroup, each part once, and so does the next one."""
    chat, channel, digest = await queued_to_one_group(front, stories=40)
    supergroup = -1009876543210
    front.server.upgrade(chat, supergroup)

    report = await front.outbox().deliver_pending()

    assert report.sent == 1 and report.retried == 0
    parts = [call.text for call in front.server.sent(supergroup)]
    assert len(parts) > 1 and len(set(parts)) == len(parts)
    assert front.server.sent(chat) == []
    refused = [call for call in front.server.calls_of("sendMessage") if call.status == 400]
    assert len(refused) == 1  # the first part's; the rest went straight to the supergroup
    second = await stored_digest(front, long_document(stories=1))
    await front.store.deliveries.enqueue(second.id, [channel.id])
    assert (await front.outbox().deliver_pending()).sent == 1
    assert len(front.server.sent(supergroup)) == len(parts) + 1
    (delivery,) = await front.store.deliveries.for_digest(digest.id)
    assert delivery.state is DeliveryState.SENT
