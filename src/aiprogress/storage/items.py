"""Items: stored feed entries, read for digests and pruned of their text with age."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from aiprogress.core.types import Item, Source
from aiprogress.storage.errors import stored_id
from aiprogress.storage.sessions import Sessions
from aiprogress.storage.sources import source_of
from aiprogress.storage.tables import ItemRow, SourceRow


def _item(row: ItemRow) -> Item:
    return Item(
        id=stored_id(row.id),
        source_id=row.source_id,
        guid=row.guid,
        url=row.url,
        title=row.title,
        summary=row.summary,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        content_hash=row.content_hash,
        authors=tuple(row.authors),
        tags=tuple(row.tags),
        updated_at=row.updated_at,
    )


class SqlItemRepository:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def prune(self, before: datetime) -> int:
        """Drop the text of items fetched before `before` but keep their rows: the guid and
        content hash still tell a feed's old entries from new ones, so nothing pruned comes
        back as news."""
        statement = (
            sa.update(ItemRow)
            .where(col(ItemRow.fetched_at) < before, col(ItemRow.summary) != "")
            .values(summary="", authors=[], tags=[])
        )
        async with self._sessions() as session:
            connection = await session.connection()
            result = await connection.execute(statement)
            return int(result.rowcount or 0)

    async def in_window(self, start: datetime, end: datetime) -> Sequence[tuple[Item, Source]]:
        moment = sa.func.coalesce(col(ItemRow.published_at), col(ItemRow.fetched_at))
        query = (
            select(ItemRow, SourceRow)
            .join(SourceRow, col(SourceRow.id) == col(ItemRow.source_id))
            .where(moment >= start, moment < end, col(ItemRow.baseline).is_(False))
            .order_by(moment.desc(), col(ItemRow.id))
        )
        async with self._sessions() as session:
            return [(_item(item), source_of(source)) for item, source in await session.exec(query)]

    async def count(self) -> int:
        async with self._sessions() as session:
            result = await session.exec(select(sa.func.count()).select_from(ItemRow))
            return int(result.one())
