"""Channels: the chats we deliver to, their language, schedule and filter."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from aiprogress.core.errors import ChannelNotFound, StorageError
from aiprogress.core.types import (
    Channel,
    ChannelUpdate,
    ChatKind,
    DailyAt,
    ItemFilter,
    Language,
    Period,
    Platform,
)
from aiprogress.storage import tables
from aiprogress.storage.transactions import Connection, Transactions, insert_for


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


def _channel(row: Any) -> Channel:
    """A `Channel` from a row of the channel table."""
    return Channel(
        id=row.id,
        platform=Platform(row.platform),
        address=row.address,
        language=Language(row.language),
        active=row.active,
        kind=ChatKind(row.kind),
        title=row.title,
        period=Period(row.period) if row.period else None,
        send_at=DailyAt.parse(row.send_at),
        timezone=row.timezone,
        item_filter=_filter(row.item_filter),
        admin_ids=tuple(row.admin_ids),
        deactivated_reason=row.deactivated_reason,
        last_published_at=row.last_published_at,
    )


class SqlChannelRepository:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions

    async def get(self, channel_id: int) -> Channel:
        async with self._transactions() as connection:
            return await self._get(connection, channel_id)

    @staticmethod
    async def _get(connection: Connection, channel_id: int) -> Channel:
        query = sa.select(tables.channel).where(tables.channel.c.id == channel_id)
        row = (await connection.execute(query)).first()
        if row is None:
            raise ChannelNotFound(f"no channel #{channel_id}")
        return _channel(row)

    async def find(self, platform: Platform, address: str) -> Channel | None:
        columns = tables.channel.c
        query = sa.select(tables.channel).where(
            columns.platform == platform.value, columns.address == address
        )
        async with self._transactions() as connection:
            row = (await connection.execute(query)).first()
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
        insert = insert_for(self._transactions.dialect)
        async with self._transactions() as connection:
            await connection.execute(
                insert(tables.channel).values(**values).on_conflict_do_nothing()
            )
        found = await self.find(platform, address)
        if found is None:  # our failure, not a mistake of the chat's: not a NotFound
            raise StorageError(f"the {platform.value} channel {address} could not be stored")
        return found

    async def update(self, channel_id: int, change: ChannelUpdate) -> Channel:
        values: dict[str, Any] = {}
        for name in (
            "active",
            "title",
            "timezone",
            "deactivated_reason",
            "last_published_at",
        ):
            value = getattr(change, name)
            if value is not None:
                values[name] = value
        if change.send_at is not None:
            values["send_at"] = str(change.send_at)
        if change.language is not None:
            values["language"] = change.language.value
        if change.kind is not None:
            values["kind"] = change.kind.value
        if change.period is not None:
            values["period"] = change.period.value
        if change.item_filter is not None:
            values["item_filter"] = _filter_json(change.item_filter)
        if change.active:
            values["deactivated_reason"] = None
        table = tables.channel
        async with self._transactions() as connection:
            if change.add_admin is not None:
                # Read in the transaction that writes it: the list grows, never loses an admin.
                current = await self._get(connection, channel_id)
                if change.add_admin not in current.admin_ids:
                    values["admin_ids"] = [*current.admin_ids, change.add_admin]
            if not values:
                return await self._get(connection, channel_id)
            statement = (
                sa.update(table).where(table.c.id == channel_id).values(values).returning(table)
            )
            row = (await connection.execute(statement)).first()
            if row is None:
                raise ChannelNotFound(f"no channel #{channel_id}")
            return _channel(row)

    async def move(self, platform: Platform, old_address: str, new_address: str) -> Channel | None:
        """The chat at `old_address` lives at `new_address` now (a Telegram group upgraded to
        a supergroup): its row takes the new address, keeping its id, so its subscription,
        language, filters, schedule and queued deliveries go on there. Idempotent: with no row
        at the old address any more (moved already) nothing changes; returns the chat at the
        new address, None when neither is known.

        A row already at the new address (a command there before the move was learned) gives
        way to the old chat's, unless it is subscribed itself: then its admins chose its
        schedule since the upgrade and it stays, taking the old row's queued deliveries it
        has not got. Either way one row is left, with both rows' admins."""
        table = tables.channel
        columns = table.c

        def at(address: str) -> Any:
            query = sa.select(table).where(
                columns.platform == platform.value, columns.address == address
            )
            # Two movers of one chat (its service message, a refused send) take turns: the
            # second finds the old address gone.
            return query.with_for_update() if self._transactions.dialect == "postgresql" else query

        if old_address == new_address:
            return await self.find(platform, new_address)
        async with self._transactions() as connection:
            old = (await connection.execute(at(old_address))).first()
            new = (await connection.execute(at(new_address))).first()
            if old is None:
                return _channel(new) if new is not None else None
            if new is not None and new.id == old.id:
                # One row read at both addresses: another mover committed between the two reads
                # (SQLite's reads take no lock). It has moved already; taking it for two rows
                # would delete it as the one that gives way.
                return _channel(new)
            if new is None:
                keep, drop = _channel(old), None
            elif new.active:
                keep, drop = _channel(new), _channel(old)
            else:
                keep, drop = _channel(old), _channel(new)
            values: dict[str, Any] = {"address": new_address}
            if drop is not None:
                admins = [*keep.admin_ids, *(a for a in drop.admin_ids if a not in keep.admin_ids)]
                values["admin_ids"] = admins
                delivery = tables.delivery.c
                queued_here = sa.select(delivery.digest_id).where(delivery.channel_id == keep.id)
                await connection.execute(
                    sa.update(tables.delivery)
                    .where(delivery.channel_id == drop.id, delivery.digest_id.not_in(queued_here))
                    .values(channel_id=keep.id)
                )
                # Its other deliveries (digests the kept row has too) go with it.
                await connection.execute(sa.delete(table).where(columns.id == drop.id))
            statement = (
                sa.update(table).where(columns.id == keep.id).values(values).returning(table)
            )
            return _channel((await connection.execute(statement)).one())

    async def list(
        self, *, platform: Platform | None = None, active_only: bool = False
    ) -> list[Channel]:
        columns = tables.channel.c
        query = sa.select(tables.channel).order_by(columns.id)
        if platform is not None:
            query = query.where(columns.platform == platform.value)
        if active_only:
            query = query.where(columns.active.is_(True))
        async with self._transactions() as connection:
            return [_channel(row) for row in await connection.execute(query)]
