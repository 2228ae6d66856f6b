"""A chat that moves to a new address (a Telegram group upgraded to a supergroup), on SQLite and
on the real PostgreSQL: its row takes the new address, keeping its id, settings and queued
deliveries; a second move of it changes nothing; a row already at the new address gives way to
the old chat's unless it is subscribed itself, and one row is left either way."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from aiprogress.core.types import (
    Channel,
    ChannelUpdate,
    ChatKind,
    DailyAt,
    DeliveryState,
    DigestDraft,
    ItemFilter,
    Language,
    Period,
    Platform,
)
from aiprogress.storage.store import SqlStore

NOW = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)
GROUP, SUPERGROUP = "-4012345678", "-1004012345678"
TELEGRAM = Platform.TELEGRAM


async def digest_ids(store: SqlStore, count: int) -> list[int]:
    drafts = [
        DigestDraft(
            period=Period.DAY,
            language=Language.EN,
            window_start=NOW - timedelta(days=n + 1),
            window_end=NOW - timedelta(days=n),
            title=f"Digest {n}",
            body="One story.",
            item_ids=(),
            writer="builtin",
        )
        for n in range(count)
    ]
    return [digest.id for digest in await store.digests.add_all(drafts, NOW)]


async def subscribed(store: SqlStore, address: str, **change: object) -> Channel:
    channel = await store.channels.ensure(
        TELEGRAM, address, language=Language.EN, kind=ChatKind.GROUP
    )
    values: dict[str, object] = {"active": True, "period": Period.DAY, **change}
    return await store.channels.update(channel.id, ChannelUpdate(**values))  # type: ignore[arg-type]


async def queue(store: SqlStore, *digests: int) -> dict[int, list[tuple[int, DeliveryState]]]:
    """The delivery rows of these digests: digest id -> [(channel id, state)]."""
    return {
        digest: [(d.channel_id, d.state) for d in await store.deliveries.for_digest(digest)]
        for digest in digests
    }


async def test_a_moved_chat_keeps_its_row_settings_and_queue_once(store: SqlStore) -> None:
    group = await subscribed(
        store,
        GROUP,
        language=Language.RU,
        title="ML readers",
        period=Period.WEEK,
        send_at=DailyAt(8, 30),
        timezone="Europe/Moscow",
        item_filter=ItemFilter(include=("llm",), exclude_patterns=("crypto.*",)),
        add_admin="2002",
        last_published_at=NOW - timedelta(days=2),
    )
    first, second = await digest_ids(store, 2)
    await store.deliveries.enqueue(first, [group.id])
    await store.deliveries.enqueue(second, [group.id])

    moved = await store.channels.move(TELEGRAM, GROUP, SUPERGROUP)

    assert moved == replace(group, address=SUPERGROUP)
    assert await store.channels.find(TELEGRAM, GROUP) is None
    assert await store.channels.find(TELEGRAM, SUPERGROUP) == moved
    assert await queue(store, first, second) == {
        first: [(group.id, DeliveryState.PENDING)],
        second: [(group.id, DeliveryState.PENDING)],
    }
    # Told again (the supergroup's own service message, a refused send): nothing changes.
    before = await store.channels.list()
    assert await store.channels.move(TELEGRAM, GROUP, SUPERGROUP) == moved
    assert await store.channels.move(TELEGRAM, SUPERGROUP, SUPERGROUP) == moved
    assert await store.channels.list() == before
    # A chat never seen is no one's to move.
    assert await store.channels.move(TELEGRAM, "-4099", "-1004099") is None
    assert await store.channels.find(TELEGRAM, "-1004099") is None


async def test_two_movers_at_once_move_the_chat_once(store: SqlStore) -> None:
    """The group's service message and a refused send, in two transactions at once. On SQLite a
    mover could read the row at the old address, then (another mover having committed) the same
    row at the new one, take it for two rows and delete it as the one that gives way: many chats
    at once make that interleaving likely."""
    group = await subscribed(store, GROUP, add_admin="2002")
    results = await asyncio.gather(
        *(store.channels.move(TELEGRAM, GROUP, SUPERGROUP) for _ in range(4))
    )
    assert {result.id if result else None for result in results} == {group.id}
    (only,) = await store.channels.list()
    assert only.address == SUPERGROUP and only.active and only.admin_ids == ("2002",)

    groups = [await subscribed(store, f"-40{n:08d}") for n in range(12)]
    moves = [
        store.channels.move(TELEGRAM, g.address, g.address.replace("-40", "-10040", 1))
        for g in groups
        for _ in range(4)
    ]
    await asyncio.gather(*moves)
    after = {c.id: c.address for c in await store.channels.list()}
    assert after == {
        only.id: SUPERGROUP,
        **{g.id: g.address.replace("-40", "-10040", 1) for g in groups},
    }


async def test_a_bare_row_at_the_new_address_gives_way(store: SqlStore) -> None:
    """Someone ran /help in the supergroup before the move was learned: that row holds
    nothing the admins chose, and the group's subscription takes the address."""
    group = await subscribed(store, GROUP, period=Period.WEEK, add_admin="2002")
    bare = await store.channels.ensure(
        TELEGRAM, SUPERGROUP, language=Language.EN, kind=ChatKind.GROUP
    )
    assert not bare.active
    (digest,) = await digest_ids(store, 1)
    await store.deliveries.enqueue(digest, [group.id])

    moved = await store.channels.move(TELEGRAM, GROUP, SUPERGROUP)

    assert moved is not None and moved.id == group.id and moved.period is Period.WEEK
    assert [channel.id for channel in await store.channels.list()] == [group.id]
    assert await queue(store, digest) == {digest: [(group.id, DeliveryState.PENDING)]}


async def test_a_subscribed_row_at_the_new_address_stays_and_takes_the_queue(
    store: SqlStore,
) -> None:
    """The admins subscribed the supergroup since the upgrade: their newer choice stays. The
    group's queued digests go to it, once each, and the group's admins are its admins too."""
    group = await subscribed(store, GROUP, period=Period.WEEK, add_admin="2002")
    supergroup = await subscribed(store, SUPERGROUP, send_at=DailyAt(7, 0), add_admin="3003")
    both, group_only = await digest_ids(store, 2)
    await store.deliveries.enqueue(both, [group.id, supergroup.id])
    await store.deliveries.enqueue(group_only, [group.id])

    moved = await store.channels.move(TELEGRAM, GROUP, SUPERGROUP)

    assert moved is not None and moved.id == supergroup.id
    assert moved.period is Period.DAY and moved.send_at == DailyAt(7, 0)
    assert moved.admin_ids == ("3003", "2002")
    assert [channel.id for channel in await store.channels.list()] == [supergroup.id]
    assert await queue(store, both, group_only) == {
        both: [(supergroup.id, DeliveryState.PENDING)],
        group_only: [(supergroup.id, DeliveryState.PENDING)],
    }
    assert await store.channels.move(TELEGRAM, GROUP, SUPERGROUP) == moved
