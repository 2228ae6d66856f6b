"""Items: stored feed entries, read for digests and pruned of their text with age."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from aiprogress.core.types import FetchOutcome, Item, Source
from aiprogress.storage import tables
from aiprogress.storage.rows import (
    insert_sqlite_rows,
    item_rows,
    item_rows_of,
    source_of_row,
    sqlite_moment,
    sqlite_values_of,
)
from aiprogress.storage.sources import SOURCE_COLUMNS
from aiprogress.storage.transactions import Connection, Transactions, insert_for

# Under their names before `rows.py`: tests/storage/test_item_insert.py reads them here.
_item_rows = item_rows
_sqlite_moment = sqlite_moment

_ITEM_COLUMNS = tuple(
    tables.item.c[name]
    for name in (
        "id",
        "source_id",
        "guid",
        "url",
        "title",
        "summary",
        "published_at",
        "fetched_at",
        "content_hash",
        "authors",
        "tags",
        "updated_at",
    )
)


def _item(row: Sequence[Any]) -> Item:
    """An `Item` from a row of `_ITEM_COLUMNS`, in that order."""
    (
        item_id,
        source_id,
        guid,
        url,
        title,
        summary,
        published_at,
        fetched_at,
        content_hash,
        authors,
        tags,
        updated_at,
    ) = row
    return Item(
        id=item_id,
        source_id=source_id,
        guid=guid,
        url=url,
        title=title,
        summary=summary,
        published_at=published_at,
        fetched_at=fetched_at,
        content_hash=content_hash,
        authors=tuple(authors),
        tags=tuple(tags),
        updated_at=updated_at,
    )


class SqlItemRepository:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions

    async def prune(self, before: datetime) -> int:
        """Drop the text of items fetched before `before` but keep their rows: the guid and
        content hash still tell a feed's old entries from new ones, so nothing pruned comes
        back as news."""
        columns = tables.item.c
        statement = (
            sa.update(tables.item)
            .where(columns.fetched_at < before, columns.summary != "")
            .values(summary="", authors=[], tags=[])
        )
        async with self._transactions() as connection:
            result = await connection.execute(statement)
            return int(result.rowcount or 0)

    async def in_window(
        self, start: datetime, end: datetime, *, baseline: bool = False
    ) -> Sequence[tuple[Item, Source]]:
        columns = tables.item.c
        moment = sa.func.coalesce(columns.published_at, columns.fetched_at)
        query = (
            sa.select(*_ITEM_COLUMNS, *SOURCE_COLUMNS)
            .join_from(tables.item, tables.source, tables.source.c.id == columns.source_id)
            .where(moment >= start, moment < end)
            .order_by(moment.desc(), columns.id)
        )
        if not baseline:
            query = query.where(columns.baseline.is_(False))
        split = len(_ITEM_COLUMNS)
        async with self._transactions() as connection:
            rows = (await connection.execute(query)).all()
        return [(_item(row[:split]), source_of_row(*row[split:])) for row in rows]

    async def count(self) -> int:
        async with self._transactions() as connection:
            result = await connection.execute(sa.select(sa.func.count()).select_from(tables.item))
            return int(result.scalar_one())


# --- new items, as a fetch stores them (the collector's hot path) ---------------------------


def _insert_sqlite(connection: sa.Connection, rows: list[tuple[Any, ...]]) -> list[int]:
    """`rows.insert_sqlite_rows` on the driver's connection, past Core's parameter processing."""
    return insert_sqlite_rows(connection.exec_driver_sql, rows)


async def insert_new_items(
    connection: Connection, outcomes: Sequence[FetchOutcome]
) -> Counter[int]:
    """Stores the items of `outcomes` that are new to their sources (by guid or content hash,
    the table's unique keys: ON CONFLICT DO NOTHING covers both); how many each source
    gained."""
    dialect = connection.sync_connection.dialect
    if dialect.name == "sqlite" and dialect.insert_returning:
        try:
            values = sqlite_values_of(outcomes)
        except ValueError:
            pass  # a naive date: refused below as the column type refuses it, a database error
        else:
            return (
                Counter(await connection.run_sync(_insert_sqlite, values)) if values else Counter()
            )
    rows = item_rows_of(outcomes)
    if not rows:
        return Counter()
    insert = insert_for(dialect.name)
    statement = insert(tables.item).on_conflict_do_nothing().returning(tables.item.c.source_id)
    result = await connection.execute(statement, rows)
    return Counter(source_id for (source_id,) in result.all())
