"""Items: stored feed entries, read for digests and pruned of their text with age."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import sqlalchemy as sa

from aiprogress.core.types import FetchOutcome, Item, ParsedItem, Source
from aiprogress.storage import tables
from aiprogress.storage.sources import SOURCE_COLUMNS, source_of_row
from aiprogress.storage.transactions import Connection, Transactions, insert_for

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

# The columns a fetch's INSERT fills, in the order of `_sqlite_item_values`; the others
# (id, updated_at) are the database's.
_INSERTED = (
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
    "baseline",
)
# The SQLite driver keeps each distinct statement it ran prepared (128 of them a connection),
# and a prepared INSERT of n rows holds about 1.2 KB a row: statements of any length (a batch's
# rows, as one multi-row INSERT) took up to 48 MB. Rows go in chunks of these sizes only (a
# batch's count written in binary, at most 128 rows to a statement): 8 shapes, ~300 KB.
_SQLITE_CHUNKS = (128, 64, 32, 16, 8, 4, 2, 1)
# Names from the table's definition; every value is a bound parameter.
_SQLITE_INSERT = (
    f"INSERT INTO {tables.item.name} ({', '.join(_INSERTED)}) VALUES {{rows}} "  # noqa: S608
    "ON CONFLICT DO NOTHING RETURNING source_id"
)
_SQLITE_ROW = "(" + ",".join("?" * len(_INSERTED)) + ")"
_SQLITE_STATEMENTS = tuple(
    (size, _SQLITE_INSERT.format(rows=",".join([_SQLITE_ROW] * size))) for size in _SQLITE_CHUNKS
)


def unique_items(items: Sequence[ParsedItem]) -> Iterator[tuple[ParsedItem, str]]:
    """A feed's items with their content hashes, the first of any that repeat a guid or a
    content hash only: a feed may repeat an entry, and the first occurrence wins, as it would
    in the table (whose unique keys are those two)."""
    seen_guids: set[str] = set()
    seen_hashes: set[str] = set()
    for item in items:
        digest = item.content_hash
        if item.guid in seen_guids or digest in seen_hashes:
            continue
        seen_guids.add(item.guid)
        seen_hashes.add(digest)
        yield item, digest


def _is_baseline(item: ParsedItem, baseline: bool, news_since: datetime | None) -> bool:
    """A baseline fetch's item is not news unless it was published since `news_since`."""
    return baseline and not (
        news_since is not None and item.published_at is not None and item.published_at >= news_since
    )


def _sqlite_moment(moment: datetime) -> str:
    """A UTC moment as SQLAlchemy's SQLite DATETIME stores it (`tables.UTCDateTime`):
    'YYYY-MM-DD HH:MM:SS.ffffff' in UTC. A test holds the two to the same text."""
    if moment.tzinfo is not UTC:  # the parsers give UTC: its text needs no conversion
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r} cannot be stored; use UTC")
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_json_list(values: tuple[str, ...]) -> str:
    # As the JSON column's bind processor writes it (json.dumps); most items have none.
    return json.dumps(list(values)) if values else "[]"


def _sqlite_item_values(
    source_id: int,
    items: Sequence[ParsedItem],
    fetched_at: datetime,
    baseline: bool,
    news_since: datetime | None,
) -> list[tuple[Any, ...]]:
    """One source's new rows as the parameters of `_INSERTED`, converted as the columns' types
    would convert them on SQLite. (The collector's first pass builds one for each of its items:
    `_is_baseline` is spelled out below, and a source's published moment converted once.)"""
    fetched = _sqlite_moment(fetched_at)
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    for item, digest in unique_items(items):
        published = item.published_at
        append(
            (
                source_id,
                item.guid,
                item.url,
                item.title,
                item.summary,
                None if published is None else _sqlite_moment(published),
                fetched,
                digest,
                _sqlite_json_list(item.authors) if item.authors else "[]",
                _sqlite_json_list(item.tags) if item.tags else "[]",
                int(
                    baseline
                    and not (
                        news_since is not None and published is not None and published >= news_since
                    )
                ),
            )
        )
    return rows


def _item_rows(
    source_id: int,
    items: Sequence[ParsedItem],
    fetched_at: datetime,
    baseline: bool,
    news_since: datetime | None,
) -> list[dict[str, Any]]:
    return [
        {
            "source_id": source_id,
            "guid": item.guid,
            "url": item.url,
            "title": item.title,
            "summary": item.summary,
            "published_at": item.published_at,
            "fetched_at": fetched_at,
            "content_hash": digest,
            "authors": list(item.authors),
            "tags": list(item.tags),
            "baseline": _is_baseline(item, baseline, news_since),
        }
        for item, digest in unique_items(items)
    ]


def _insert_sqlite(connection: sa.Connection, rows: list[tuple[Any, ...]]) -> list[int]:
    """The rows inserted as multi-row INSERTs, ON CONFLICT DO NOTHING; the source id of each
    row that was new. The parameters are already in the column's stored form, so the driver
    gets them as they are: SQLAlchemy's per-parameter processing (a type decorator and a
    formatter per date, json.dumps per list, a dict per row) cost the collector's first pass
    more than SQLite took to store the rows (bench/collect.py)."""
    new: list[int] = []
    start = 0
    for size, statement in _SQLITE_STATEMENTS:
        while len(rows) - start >= size:
            chunk = rows[start : start + size]
            start += size
            result = connection.exec_driver_sql(statement, tuple(chain.from_iterable(chunk)))
            new.extend(source_id for (source_id,) in result)
    return new


async def insert_new_items(
    connection: Connection, outcomes: Sequence[FetchOutcome]
) -> Counter[int]:
    """Stores the items of `outcomes` that are new to their sources (by guid or content hash,
    the table's unique keys: ON CONFLICT DO NOTHING covers both); how many each source
    gained."""
    dialect = connection.sync_connection.dialect
    if dialect.name == "sqlite" and dialect.insert_returning:
        try:
            values = [
                row
                for outcome in outcomes
                if outcome.items
                for row in _sqlite_item_values(
                    outcome.source_id,
                    outcome.items,
                    outcome.fetched_at,
                    outcome.baseline,
                    outcome.news_since,
                )
            ]
        except ValueError:
            pass  # a naive date: refused below as the column type refuses it, a database error
        else:
            return (
                Counter(await connection.run_sync(_insert_sqlite, values)) if values else Counter()
            )
    rows = [
        row
        for outcome in outcomes
        if outcome.items
        for row in _item_rows(
            outcome.source_id,
            outcome.items,
            outcome.fetched_at,
            outcome.baseline,
            outcome.news_since,
        )
    ]
    if not rows:
        return Counter()
    insert = insert_for(dialect.name)
    statement = insert(tables.item).on_conflict_do_nothing().returning(tables.item.c.source_id)
    result = await connection.execute(statement, rows)
    return Counter(source_id for (source_id,) in result.all())
