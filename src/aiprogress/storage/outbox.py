"""Channels and the delivery outbox.

A delivery row per (digest, channel) carries its state. Senders claim due rows in one statement
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share the work), record each part
as it is sent, and mark the row sent at the end. A process that dies mid-delivery leaves its row
`sending`; after the lease another claim takes it up from the next unsent part, so a crash
doubles at most the one part that was sent but not yet recorded, and loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from aiprogress.core.errors import ChannelNotFound, StorageError
from aiprogress.core.types import (
    Channel,
    ChannelUpdate,
    ChatKind,
    Delivery,
    DeliveryState,
    ItemFilter,
    Language,
    Period,
    Platform,
)
from aiprogress.storage.errors import stored_id
from aiprogress.storage.tables import ChannelRow, DeliveryRow

_MAX_ERROR = 500


def _filter_json(spec: ItemFilter) -> dict[str, Any]:
    return {
        "include": list(spec.include),
        "exclude": list(spec.exclude),
        "include_patterns": list(spec.include_patterns),
        "exclude_patterns": list(spec.exclude_patterns),
    }


def _filter(data: dict[str, Any]) -> ItemFilter:
    return ItemFilter(
        include=tuple(data.get("include", ())),
        exclude=tuple(data.get("exclude", ())),
        include_patterns=tuple(data.get("include_patterns", ())),
        exclude_patterns=tuple(data.get("exclude_patterns", ())),
    )


def _channel(row: ChannelRow) -> Channel:
    return Channel(
        id=stored_id(row.id),
        platform=Platform(row.platform),
        address=row.address,
        language=Language(row.language),
        active=row.active,
        kind=ChatKind(row.kind),
        title=row.title,
        period=Period(row.period) if row.period else None,
        send_at=row.send_at,
        timezone=row.timezone,
        item_filter=_filter(row.item_filter),
        admin_ids=tuple(row.admin_ids),
        deactivated_reason=row.deactivated_reason,
        last_published_at=row.last_published_at,
    )


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


class SqlChannelRepository:
    def __init__(self, sessions: Any) -> None:
        self._sessions = sessions

    async def get(self, channel_id: int) -> Channel:
        async with self._sessions() as session:
            row = await session.get(ChannelRow, channel_id)
            if row is None:
                raise ChannelNotFound(f"no channel #{channel_id}")
            return _channel(row)

    async def find(self, platform: Platform, address: str) -> Channel | None:
        query = select(ChannelRow).where(
            ChannelRow.platform == platform.value, ChannelRow.address == address
        )
        async with self._sessions() as session:
            row = (await session.exec(query)).first()
            return _channel(row) if row else None

    async def ensure(
        self, platform: Platform, address: str, *, language: Language, kind: ChatKind
    ) -> Channel:
        """The channel of this chat, created inactive (not subscribed) on first contact."""
        existing = await self.find(platform, address)
        if existing is not None:
            return existing
        values = {
            "platform": platform.value,
            "address": address,
            "language": language.value,
            "active": False,
            "kind": kind.value,
        }
        async with self._sessions() as session:
            dialect = session.bind.dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            await session.exec(insert(ChannelRow).values(**values).on_conflict_do_nothing())
        found = await self.find(platform, address)
        if found is None:  # our failure, not a mistake of the chat's: not a NotFound
            raise StorageError(f"the {platform.value} channel {address} could not be stored")
        return found

    async def update(self, channel_id: int, change: ChannelUpdate) -> Channel:
        async with self._sessions() as session:
            row = await session.get(ChannelRow, channel_id)
            if row is None:
                raise ChannelNotFound(f"no channel #{channel_id}")
            for name in (
                "active",
                "title",
                "send_at",
                "timezone",
                "deactivated_reason",
                "last_published_at",
            ):
                value = getattr(change, name)
                if value is not None:
                    setattr(row, name, value)
            if change.language is not None:
                row.language = change.language.value
            if change.kind is not None:
                row.kind = change.kind.value
            if change.period is not None:
                row.period = change.period.value
            if change.item_filter is not None:
                row.item_filter = _filter_json(change.item_filter)
            if change.add_admin is not None and change.add_admin not in row.admin_ids:
                row.admin_ids = [*row.admin_ids, change.add_admin]
            if change.active:
                row.deactivated_reason = None
            session.add(row)
            await session.flush()
            return _channel(row)

    async def list(
        self, *, platform: Platform | None = None, active_only: bool = False
    ) -> list[Channel]:
        query = select(ChannelRow).order_by(col(ChannelRow.id))
        if platform is not None:
            query = query.where(ChannelRow.platform == platform.value)
        if active_only:
            query = query.where(col(ChannelRow.active).is_(True))
        async with self._sessions() as session:
            return [_channel(row) for row in await session.exec(query)]


class SqlDeliveryRepository:
    def __init__(self, sessions: Any, dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect

    async def enqueue(self, digest_id: int, channel_ids: Sequence[int]) -> int:
        """One pending row per channel; a row that exists already is left as it is (a digest
        is never queued twice for one channel). Returns how many rows were added."""
        if not channel_ids:
            return 0
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        rows = [
            {"digest_id": digest_id, "channel_id": channel_id, "state": DeliveryState.PENDING}
            for channel_id in channel_ids
        ]
        statement = insert(DeliveryRow).on_conflict_do_nothing().returning(col(DeliveryRow.id))
        async with self._sessions() as session:
            connection = await session.connection()
            result = await connection.execute(statement, rows)
            return len(result.fetchall())

    async def claim(self, now: datetime, *, limit: int, lease: timedelta) -> list[Delivery]:
        """Due rows, marked `sending` for this caller: pending ones whose time has come, and
        `sending` ones whose claimer has been silent longer than the lease (it died)."""
        table = DeliveryRow.__table__  # type: ignore[attr-defined]
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
        chosen = sa.select(table.c.id).where(due).order_by(table.c.id).limit(limit)
        if self._dialect == "postgresql":
            chosen = chosen.with_for_update(skip_locked=True)
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
        async with self._sessions() as session:
            connection = await session.connection()
            result = await connection.execute(statement)
            claimed = [_delivery(row) for row in result]
        return sorted(claimed, key=lambda d: d.id)

    async def record_part(self, delivery_id: int, parts_sent: int, now: datetime) -> None:
        """A part was sent: the next claim resumes after it. Renews the lease."""
        await self._set(delivery_id, parts_sent=parts_sent, claimed_at=now)

    async def mark_sent(self, delivery_id: int, now: datetime) -> None:
        await self._set(delivery_id, state=DeliveryState.SENT.value, sent_at=now, last_error=None)

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        await self._set(
            delivery_id, state=DeliveryState.FAILED.value, last_error=error[:_MAX_ERROR]
        )

    async def retry_at(self, delivery_id: int, when: datetime, error: str) -> None:
        await self._set(
            delivery_id,
            state=DeliveryState.PENDING.value,
            next_attempt_at=when,
            last_error=error[:_MAX_ERROR],
        )

    async def for_digest(self, digest_id: int) -> list[Delivery]:
        table = DeliveryRow.__table__  # type: ignore[attr-defined]
        query = sa.select(table).where(table.c.digest_id == digest_id).order_by(table.c.id)
        async with self._sessions() as session:
            connection = await session.connection()
            return [_delivery(row) for row in await connection.execute(query)]

    async def counts(self) -> dict[DeliveryState, int]:
        table = DeliveryRow.__table__  # type: ignore[attr-defined]
        query = sa.select(table.c.state, sa.func.count()).group_by(table.c.state)
        async with self._sessions() as session:
            connection = await session.connection()
            return {DeliveryState(state): count for state, count in await connection.execute(query)}

    async def _set(self, delivery_id: int, **values: Any) -> None:
        table = DeliveryRow.__table__  # type: ignore[attr-defined]
        async with self._sessions() as session:
            connection = await session.connection()
            await connection.execute(
                sa.update(table).where(table.c.id == delivery_id).values(**values)
            )
