"""The SQLite path of a fetch's item insert hands the driver values it converted itself: what it
stores must be what SQLAlchemy's column types store, to the character, and it must count and
dedupe as the generic statement does."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from aiprogress.core.types import (
    FetchOutcome,
    FetchResult,
    FetchStatus,
    NewSource,
    ParsedItem,
    SourceCheck,
)
from aiprogress.storage import tables
from aiprogress.storage.engine import create_engine
from aiprogress.storage.items import _item_rows, _sqlite_moment, insert_new_items
from aiprogress.storage.migrate import upgrade
from aiprogress.storage.store import SqlStore

NOW = datetime(2026, 8, 15, 12, 0, 0, 123456, tzinfo=UTC)


def _outcome(source_id: int, items: list[ParsedItem], *, baseline: bool) -> FetchOutcome:
    return FetchOutcome(
        source_id=source_id,
        result=FetchResult(status=FetchStatus.OK),
        check=SourceCheck(0, NOW + timedelta(hours=1)),
        fetched_at=NOW,
        items=tuple(items),
        baseline=baseline,
        news_since=NOW - timedelta(days=30),
    )


def _items(prefix: str) -> list[ParsedItem]:
    east = timezone(timedelta(hours=5, minutes=30))
    return [
        ParsedItem(guid=f"{prefix}-1", url="https://example.org/1", title="One"),
        ParsedItem(
            guid=f"{prefix}-2",
            url="https://example.org/2",
            title='Two «ü» "quoted" \\ back',
            summary="Ünïcode, 'quotes' and\nnew lines",
            published_at=datetime(2026, 8, 1, 9, 30, 15, 7, tzinfo=east),
            authors=("Ada Lovelace", "Jean-Luc «Le» Picard"),
            tags=("llm", 'a "tag"'),
        ),
        # Published long ago: a baseline item; the one above is news.
        ParsedItem(
            guid=f"{prefix}-3",
            url="https://example.org/3",
            title="Three",
            published_at=datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
        # Repeats: a guid and, under another guid, a content.
        ParsedItem(guid=f"{prefix}-1", url="https://example.org/other", title="Other"),
        ParsedItem(guid=f"{prefix}-4", url="https://example.org/1", title="One"),
    ]


async def _store(path: Path) -> SqlStore:
    store = SqlStore(create_engine(f"sqlite:///{path}"))
    await upgrade(store.engine)
    for n in (1, 2):
        await store.sources.add(NewSource(url=f"https://example.org/feed{n}.xml"), NOW)
    return store


def _stored(path: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as database:
        return database.execute("SELECT * FROM item ORDER BY id").fetchall()


@pytest.mark.parametrize("baseline", [False, True])
async def test_sqlite_path_stores_what_the_column_types_store(
    tmp_path: Path, baseline: bool
) -> None:
    outcomes = [
        _outcome(1, _items("a"), baseline=baseline),
        _outcome(2, [], baseline=baseline),
        _outcome(2, _items("b"), baseline=baseline),
    ]
    fast, generic = await _store(tmp_path / "fast.db"), await _store(tmp_path / "generic.db")
    try:
        async with fast.engine.begin() as connection:
            counted = await insert_new_items(connection, outcomes)
            # Again: nothing is new the second time.
            assert await insert_new_items(connection, outcomes) == Counter()
        rows = [
            row
            for o in outcomes
            for row in _item_rows(o.source_id, o.items, o.fetched_at, o.baseline, o.news_since)
        ]
        async with generic.engine.begin() as connection:
            result = await connection.execute(
                sa.insert(tables.item).returning(tables.item.c.source_id), rows
            )
            expected = Counter(source_id for (source_id,) in result.all())
    finally:
        await fast.close()
        await generic.close()
    assert counted == expected == Counter({1: 3, 2: 3})
    stored = _stored(tmp_path / "fast.db")
    assert stored == _stored(tmp_path / "generic.db")
    # The baseline column (an item published inside the news window is news all the same).
    assert [row[11] for row in stored] == [int(baseline), 0, int(baseline)] * 2


def test_sqlite_moment_is_the_column_types_text() -> None:
    column = tables.item.c.published_at.type
    dialect = sa.create_engine("sqlite://").dialect
    process = column.dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    moments = [
        NOW,
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=-7))),
        datetime(1, 1, 2, 0, 0, 0, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    assert [_sqlite_moment(m) for m in moments] == [process(m) for m in moments]
    with pytest.raises(ValueError, match="naive"):
        _sqlite_moment(datetime(2026, 1, 1))  # noqa: DTZ001


async def test_sqlite_path_counts_a_large_batch_across_its_statements(tmp_path: Path) -> None:
    """435 rows go as statements of 128 rows (three), 32, 16, 2 and 1: each source's count is
    right across them, and rows stored before are not counted again."""

    def many(prefix: str, count: int) -> list[ParsedItem]:
        return [
            ParsedItem(guid=f"{prefix}-{n}", url=f"https://example.org/{prefix}/{n}", title=f"{n}")
            for n in range(count)
        ]

    store = await _store(tmp_path / "many.db")
    try:
        await store.sources.add(NewSource(url="https://example.org/feed3.xml"), NOW)
        async with store.engine.begin() as connection:
            assert await insert_new_items(connection, [_outcome(2, many("b", 50), baseline=False)])
            counted = await insert_new_items(
                connection,
                [
                    _outcome(1, many("a", 145), baseline=False),
                    _outcome(2, many("b", 145), baseline=False),
                    _outcome(3, many("c", 145), baseline=False),
                ],
            )
    finally:
        await store.close()
    assert counted == Counter({1: 145, 2: 95, 3: 145})
    assert len(_stored(tmp_path / "many.db")) == 3 * 145
