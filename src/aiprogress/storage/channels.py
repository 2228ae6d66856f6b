"""Channels: the chats we deliver to, their language, schedule and filter."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from aiprogress.core.errors import ChannelNotFound, StorageError
from aiprogress.core.types import (
    Channel,
    ChannelUpdate,
    ChatKind,
    ItemFilter,
    Language,
    Period,
    Platform,
)
from aiprogress.storage.errors import stored_id
from aiprogress.storage.sessions import insert_for
from aiprogress.storage.tables import ChannelRow


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
            insert = insert_for(session.bind.dialect.name)
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
