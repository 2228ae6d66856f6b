"""The outbox's claim by platform, on SQLite and on the real PostgreSQL: a claimer takes only
the rows of chats it has a sender for (and of inactive chats, failed without a send), so a
process without a platform's token neither counts an attempt for that platform's rows nor puts
them off, and several processes holding different tokens share one queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from aiprogress.core.types import (
    ChannelUpdate,
    ChatKind,
    DigestDraft,
    Language,
    Period,
    Platform,
)
from aiprogress.storage import tables
from aiprogress.storage.store import SqlStore

NOW = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


async def queued(store: SqlStore, chats: list[tuple[Platform, str]]) -> list[int]:
    """One digest queued for each chat (an active group), in this order; the rows' ids."""
    draft = DigestDraft(
        period=Period.DAY,
        language=Language.EN,
        window_start=NOW - timedelta(days=1),
        window_end=NOW,
        title="Digest",
        body="One story.",
        item_ids=(),
        writer="builtin",
    )
    (digest,) = await store.digests.add_all([draft], NOW)
    for platform, address in chats:
        channel = await store.channels.ensure(
            platform, address, language=Language.EN, kind=ChatKind.GROUP
        )
        await store.channels.update(channel.id, ChannelUpdate(active=True, period=Period.DAY))
        await store.deliveries.enqueue(digest.id, [channel.id])
    return [delivery.id for delivery in await store.deliveries.for_digest(digest.id)]


async def rows(store: SqlStore) -> dict[int, tuple[str, int, datetime | None]]:
    table = tables.delivery
    async with store.engine.connect() as connection:
        found = await connection.execute(sa.select(table).order_by(table.c.id))
        return {row.id: (row.state, row.attempts, row.next_attempt_at) for row in found}


async def test_a_claim_takes_only_the_rows_its_senders_can_send(store: SqlStore) -> None:
    """Before: the console's claimer took the Telegram row too, counted an attempt and put it
    off a minute ("no telegram sender in this process"); five such runs used up its retries."""
    telegram, console, discord = await queued(
        store,
        [(Platform.TELEGRAM, "-1001"), (Platform.CONSOLE, "console"), (Platform.DISCORD, "42")],
    )
    untouched = await rows(store)

    (claimed,) = await store.deliveries.claim(
        NOW, limit=10, lease=LEASE, platforms={Platform.CONSOLE}
    )

    assert (claimed.id, claimed.attempts) == (console, 1)
    after = await rows(store)
    assert after[telegram] == untouched[telegram] == ("pending", 0, None)
    assert after[discord] == untouched[discord]
    both = await store.deliveries.claim(
        NOW, limit=10, lease=LEASE, platforms={Platform.TELEGRAM, Platform.DISCORD}
    )
    assert [(d.id, d.attempts) for d in both] == [(telegram, 1), (discord, 1)]


async def test_rows_no_sender_can_send_do_not_fill_a_batch(store: SqlStore) -> None:
    """The first rows by id belong to another platform: the batch is the claimer's own rows,
    still in their order, not an empty one that ends the delivery run."""
    ids = await queued(
        store,
        [(Platform.TELEGRAM, f"-100{n}") for n in range(3)]
        + [(Platform.DISCORD, str(n)) for n in range(3)],
    )
    claimed = await store.deliveries.claim(NOW, limit=2, lease=LEASE, platforms={Platform.DISCORD})
    assert [d.id for d in claimed] == ids[3:5]


async def test_an_inactive_chats_row_is_claimed_whatever_the_platform(store: SqlStore) -> None:
    """Its row is failed without a send ("the channel is not active"): any claimer can, so a
    retired console's rows do not wait for ever in a process with a bot token."""
    (row,) = await queued(store, [(Platform.CONSOLE, "console")])
    console = await store.channels.find(Platform.CONSOLE, "console")
    assert console is not None
    await store.channels.update(console.id, ChannelUpdate(active=False))
    (claimed,) = await store.deliveries.claim(
        NOW, limit=10, lease=LEASE, platforms={Platform.TELEGRAM}
    )
    assert claimed.id == row


async def test_a_lapsed_claim_is_taken_over_only_by_a_sender_of_its_platform(
    store: SqlStore,
) -> None:
    (row,) = await queued(store, [(Platform.TELEGRAM, "-1001")])
    telegram = {Platform.TELEGRAM}
    (first,) = await store.deliveries.claim(NOW, limit=10, lease=LEASE, platforms=telegram)
    later = NOW + LEASE + timedelta(seconds=1)  # its claimer died
    for others in ({Platform.CONSOLE}, {Platform.DISCORD}):
        assert await store.deliveries.claim(later, limit=10, lease=LEASE, platforms=others) == []
    assert (await rows(store))[row][:2] == ("sending", 1)
    (second,) = await store.deliveries.claim(later, limit=10, lease=LEASE, platforms=telegram)
    assert (second.id, second.attempts) == (row, 2)
    # The fence holds as before: the first claimer's claim is no longer the row's.
    assert not await store.deliveries.mark_sent(first, later)
    assert await store.deliveries.mark_sent(second, later)


async def test_waiting_counts_the_pending_rows_left_for_other_platforms(store: SqlStore) -> None:
    await queued(
        store,
        [(Platform.TELEGRAM, "-1001"), (Platform.DISCORD, "42"), (Platform.CONSOLE, "console")],
    )
    assert await store.deliveries.waiting({Platform.CONSOLE}) == 2
    assert await store.deliveries.waiting({Platform.TELEGRAM, Platform.DISCORD}) == 1
    # A row in a claimer's hands, or of an inactive chat, waits for no one.
    await store.deliveries.claim(NOW, limit=10, lease=LEASE, platforms={Platform.TELEGRAM})
    gone = await store.channels.find(Platform.DISCORD, "42")
    assert gone is not None
    await store.channels.update(gone.id, ChannelUpdate(active=False))
    assert await store.deliveries.waiting({Platform.CONSOLE}) == 0


async def test_a_chat_locked_by_its_update_does_not_hide_its_rows(store: SqlStore) -> None:
    """PostgreSQL: the claim locks the delivery rows alone (`FOR UPDATE OF delivery SKIP
    LOCKED`). Locking the chat rows it joins too would skip every row of a chat that another
    transaction is updating (a /lang, a subscription), and of a chat another claimer holds."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    (row,) = await queued(store, [(Platform.TELEGRAM, "-1001")])
    chat = tables.channel
    async with store.engine.connect() as locker:
        await locker.execute(sa.select(chat.c.id).with_for_update())
        claimed = await store.deliveries.claim(
            NOW, limit=10, lease=LEASE, platforms={Platform.TELEGRAM}
        )
        await locker.rollback()
    assert [d.id for d in claimed] == [row]
