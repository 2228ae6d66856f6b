"""The delivery outbox.

A delivery row per (digest, channel) carries its state. Senders claim due rows in one statement
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share the work), record each part
as it is sent, and mark the row sent at the end. A process that dies mid-delivery leaves its row
`sending`; after the lease another claim takes it up from the next unsent part, so a crash
doubles at most the one part that was sent but not yet recorded, and loses nothing. Every claim
counts an attempt, and (id, attempts) names the claim: renewing the lease and recording act only
while that claim holds the row, so a claimer that lost its row to a takeover can tell, and stop.
A claimer takes only the rows of chats on the platforms it has a sender for: a process without
Telegram's token (the console's `deliver`, or a process that serves Discord alone) leaves
Telegram's rows to one that has it, without counting an attempt or putting them off.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Coroutine, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa

from aiprogress.core.types import Delivery, DeliveryState, Platform
from aiprogress.storage import tables
from aiprogress.storage.transactions import Transactions, insert_for

_MAX_ERROR = 500
_T = TypeVar("_T")


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        digest_id=row.digest_id,
        channel_id=row.channel_id,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        sent_at=row.sent_at,
        last_error=row.last_error,
        parts_sent=row.parts_sent,
        next_attempt_at=row.next_attempt_at,
    )


class SqlDeliveryRepository:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions
        self._dialect = transactions.dialect

    async def enqueue(self, digest_id: int, channel_ids: Sequence[int]) -> int:
        """One pending row per channel; a row that exists already is left as it is (a digest
        is never queued twice for one channel). Returns how many rows were added."""
        if not channel_ids:
            return 0
        insert = insert_for(self._dialect)
        rows = [
            {"digest_id": digest_id, "channel_id": channel_id, "state": DeliveryState.PENDING}
            for channel_id in channel_ids
        ]
        statement = insert(tables.delivery).on_conflict_do_nothing().returning(tables.delivery.c.id)
        async with self._transactions() as connection:
            result = await connection.execute(statement, rows)
            return len(result.fetchall())

    async def claim(
        self, now: datetime, *, limit: int, lease: timedelta, platforms: Collection[Platform]
    ) -> list[Delivery]:
        """Due rows, marked `sending` for this caller: pending ones whose time has come, and
        `sending` ones whose claimer has been silent longer than the lease (it died); of them,
        those for chats on `platforms` (the caller's senders), and those for inactive chats of
        any platform (their rows are failed without a send, so any caller can)."""
        table = tables.delivery
        chat = tables.channel
        due = sa.or_(
            sa.and_(
                table.c.state == DeliveryState.PENDING.value,
                sa.or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now),
            ),
            sa.and_(
                table.c.state == DeliveryState.SENDING.value,
                table.c.claimed_at <= now - lease,
            ),
        )
        sendable = sa.or_(
            chat.c.platform.in_([platform.value for platform in platforms]),
            sa.not_(chat.c.active),
        )
        chosen = (
            sa.select(table.c.id)
            .join(chat, chat.c.id == table.c.channel_id)
            .where(due, sendable)
            .order_by(table.c.id)
            .limit(limit)
        )
        if self._dialect == "postgresql":
            # The delivery rows alone: locking their chats too would make claimers skip each
            # other's rows of one chat, and hold up the chat's own updates.
            chosen = chosen.with_for_update(skip_locked=True, of=table)
        statement = (
            sa.update(table)
            .where(table.c.id.in_(chosen.scalar_subquery()))
            .values(
                state=DeliveryState.SENDING.value,
                attempts=table.c.attempts + 1,
                claimed_at=now,
            )
            .returning(*table.c)
        )
        return await _completed(self._claimed(statement))

    async def waiting(self, platforms: Collection[Platform]) -> int:
        """Pending rows of active chats on other platforms than `platforms`: what a caller
        with these senders leaves queued for a process that has the others'."""
        table = tables.delivery
        chat = tables.channel
        query = (
            sa.select(sa.func.count())
            .select_from(table.join(chat, chat.c.id == table.c.channel_id))
            .where(
                table.c.state == DeliveryState.PENDING.value,
                chat.c.active,
                chat.c.platform.not_in([platform.value for platform in platforms]),
            )
        )
        async with self._transactions() as connection:
            return int((await connection.execute(query)).scalar_one())

    async def _claimed(self, statement: Any) -> list[Delivery]:
        async with self._transactions() as connection:
            claimed = [_delivery(row) for row in await connection.execute(statement)]
        return sorted(claimed, key=lambda d: d.id)

    async def hold(self, claims: Sequence[Delivery], now: datetime) -> set[int]:
        """Renews the lease of rows this caller claimed; returns the ids it still holds. A row
        another process took over (its claim counted one more attempt) or that was finished is
        not renewed and not returned: its old claimer must leave it alone."""
        if not claims:
            return set()
        table = tables.delivery
        statement = (
            sa.update(table)
            .where(_held(table, claims))
            .values(claimed_at=now)
            .returning(table.c.id)
        )
        return await _completed(self._returning_ids(statement))

    async def record_part(self, claim: Delivery, parts_sent: int, now: datetime) -> bool:
        """A part was sent: the next claim resumes after it. Renews the lease. False when the
        row is no longer this claim's (taken over): nothing is recorded."""
        return await self._set(claim, parts_sent=parts_sent, claimed_at=now)

    async def mark_sent(self, claim: Delivery, now: datetime) -> bool:
        return await self._set(claim, state=DeliveryState.SENT.value, sent_at=now, last_error=None)

    async def mark_failed(self, claim: Delivery, error: str) -> bool:
        return await self._set(
            claim, state=DeliveryState.FAILED.value, last_error=error[:_MAX_ERROR]
        )

    async def retry_at(self, claim: Delivery, when: datetime, error: str) -> bool:
        return await self._set(
            claim,
            state=DeliveryState.PENDING.value,
            next_attempt_at=when,
            last_error=error[:_MAX_ERROR],
        )

    async def for_digest(self, digest_id: int) -> list[Delivery]:
        table = tables.delivery
        query = sa.select(table).where(table.c.digest_id == digest_id).order_by(table.c.id)
        async with self._transactions() as connection:
            return [_delivery(row) for row in await connection.execute(query)]

    async def counts(self) -> dict[DeliveryState, int]:
        table = tables.delivery
        query = sa.select(table.c.state, sa.func.count()).group_by(table.c.state)
        async with self._transactions() as connection:
            return {DeliveryState(state): count for state, count in await connection.execute(query)}

    async def _set(self, claim: Delivery, **values: Any) -> bool:
        """Changes the row only while this claim holds it: a claimer whose lease lapsed and
        whose row another process took over must not overwrite what that process records."""
        table = tables.delivery
        statement = sa.update(table).where(_held(table, [claim])).values(**values)
        return bool(await _completed(self._returning_ids(statement.returning(table.c.id))))

    async def _returning_ids(self, statement: Any) -> set[int]:
        async with self._transactions() as connection:
            return {row.id for row in await connection.execute(statement)}


async def _completed(write: Coroutine[Any, Any, _T]) -> _T:
    """Runs a short write to its commit even if the caller is cancelled meanwhile (a delivery
    cut short at shutdown): the part just sent is recorded, and no transaction is left open
    holding SQLite's write lock against the next claimer."""
    task = asyncio.ensure_future(write)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        # Cancelled meanwhile: the write still ends (committed or rolled back) before the
        # cancellation goes on, so that nothing is left writing when the process closes its
        # database (a claim cut off at shutdown is committed, and claimable after its lease).
        await asyncio.wait([task])
        raise


def _held(table: Any, claims: Sequence[Delivery]) -> Any:
    """Rows still `sending` under these claims. Every claim counts one more attempt, so a row's
    (id, attempts) names its current claim: a fencing token a takeover invalidates."""
    return sa.and_(
        table.c.state == DeliveryState.SENDING.value,
        sa.or_(*(sa.and_(table.c.id == c.id, table.c.attempts == c.attempts) for c in claims)),
    )
