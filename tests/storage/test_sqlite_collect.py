"""The sqlite3 store `collect` uses (storage/sqlite_collect.py) against SQLAlchemy's: the same
batches recorded through each into two copies of one database leave the very same rows, give
the same results, and read back the same sources; and it is only chosen for a SQLite file
already at head."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from aiprogress.core.errors import StorageError
from aiprogress.core.types import (
    AdminNotice,
    FetchOutcome,
    FetchResult,
    FetchStatus,
    NewSource,
    NoticeKind,
    ParsedItem,
    SourceCheck,
)
from aiprogress.storage.engine import create_engine
from aiprogress.storage.revision import HEAD_REVISION
from aiprogress.storage.sqlite_collect import SqliteCollectStore, open_sqlite_collect_store
from aiprogress.storage.store import SqlStore

NOW = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
# More sources than one UPDATE names (`rows.IDS_PER_UPDATE`): a 304 pass splits them.
SOURCES = 530


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@dataclass
class Pair:
    """One database in two copies: SQLAlchemy's store on one, the sqlite3 store on the other."""

    sql: SqlStore
    lite: SqliteCollectStore
    sql_file: Path
    lite_file: Path


@pytest.fixture
async def pair(sqlite_at_head: Path, tmp_path: Path) -> AsyncIterator[Pair]:
    seed = tmp_path / "seed.db"
    shutil.copyfile(sqlite_at_head, seed)
    store = SqlStore(create_engine(_url(seed)))
    try:
        for n in range(SOURCES):
            new = NewSource(
                url=f"https://example.org/{n}.xml",
                name=f"feed {n}" if n % 3 else "",
                backfill=n == 2,
                interval_seconds=3600 if n % 2 else 7200,
            )
            await store.sources.add(new, NOW - timedelta(minutes=n))
    finally:
        await store.close()
    with closing(sqlite3.connect(seed)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = tmp_path / "sql.db", tmp_path / "lite.db"
    for file in files:
        shutil.copyfile(seed, file)
    sql = SqlStore(create_engine(_url(files[0])))
    lite = open_sqlite_collect_store(_url(files[1]))
    assert lite is not None
    try:
        yield Pair(sql, lite, *files)
    finally:
        await sql.close()
        await lite.close()


def _rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()  # noqa: S608


async def _record_both(pair: Pair, outcomes: Sequence[FetchOutcome]) -> None:
    by_sql = await pair.sql.fetches.record(outcomes)
    by_lite = await pair.lite.fetches.record(outcomes)
    assert by_lite == by_sql
    await _same_rows(pair)


async def _same_rows(pair: Pair) -> None:
    for table in ("source", "item", "admin_notice"):
        assert _rows(pair.lite_file, table) == _rows(pair.sql_file, table), table
    for enabled_only, due_at in ((False, None), (True, None), (True, NOW + 2 * HOUR)):
        listed = await pair.lite.sources.list(enabled_only=enabled_only, due_at=due_at)
        assert listed == await pair.sql.sources.list(enabled_only=enabled_only, due_at=due_at)
        count = await pair.lite.sources.count(enabled_only=enabled_only, due_at=due_at)
        assert count == await pair.sql.sources.count(enabled_only=enabled_only, due_at=due_at)
    # Paged as the collector pages them.
    for after_id, limit in ((0, 7), (5, 100), (520, 500)):
        lite = await pair.lite.sources.list(
            enabled_only=True, due_at=NOW + HOUR, after_id=after_id, limit=limit
        )
        sql = await pair.sql.sources.list(
            enabled_only=True, due_at=NOW + HOUR, after_id=after_id, limit=limit
        )
        assert lite == sql


def _item(n: int, **changes: Any) -> ParsedItem:
    values: dict[str, Any] = {
        "guid": f"g{n}",
        "url": f"https://example.org/post/{n}",
        "title": f"Post {n}",
        "summary": f"<p>about {n}</p>",
        "published_at": NOW - timedelta(days=n),
    }
    return ParsedItem(**(values | changes))


def _ok(etag: str | None = None, body_hash: str | None = "b1") -> FetchResult:
    return FetchResult(
        FetchStatus.OK,
        etag=etag,
        last_modified="Sat, 15 Aug 2026 10:00:00 GMT",
        http_status=200,
        body_hash=body_hash,
    )


NOT_MODIFIED = FetchResult(FetchStatus.NOT_MODIFIED, http_status=304)


def _unchanged(source_ids: range, at: datetime) -> list[FetchOutcome]:
    check = SourceCheck(0, at + HOUR)
    return [FetchOutcome(n, NOT_MODIFIED, check, at) for n in source_ids]


async def test_the_same_batches_leave_the_same_rows_and_results(pair: Pair) -> None:
    # First fetches: a baseline with news among it (published since news_since), a repeated
    # entry, authors and tags, a time in another zone; a backfill; an error; 304s.
    first = [
        FetchOutcome(
            1,
            _ok('"v1"'),
            SourceCheck(0, NOW + HOUR, baseline_at=NOW),
            NOW,
            items=(
                _item(1, authors=("Ann", "Bo"), tags=("ai",)),
                _item(2, published_at=datetime(2026, 8, 15, 14, 0, tzinfo=timezone(2 * HOUR))),
                _item(3, published_at=None),
                _item(1),  # repeated by the feed
                _item(40),
            ),
            baseline=True,
            news_since=NOW - timedelta(days=30),
            rename_to="Feed One",
        ),
        FetchOutcome(
            2, _ok(), SourceCheck(0, NOW + 2 * HOUR, baseline_at=NOW), NOW, items=(_item(5),)
        ),
        FetchOutcome(
            3,
            FetchResult(FetchStatus.ERROR, error="HTTP 503 " + "x" * 600, http_status=503),
            SourceCheck(1, NOW + 3 * HOUR),
            NOW,
        ),
        *_unchanged(range(4, 8), NOW),
    ]
    await _record_both(pair, first)

    later = NOW + HOUR
    # Again: duplicates, an edit, an edit onto another entry's content (kept as it was), a new
    # entry; the failing source disabled with its notice; a notice of no source.
    colliding = _item(2)
    second = [
        FetchOutcome(
            1,
            _ok('"v2"', body_hash="b2"),
            SourceCheck(0, later + HOUR),
            later,
            items=(
                _item(1, title="Post 1, corrected"),
                _item(40, title=colliding.title, url=colliding.url, summary=colliding.summary),
                _item(3, published_at=None),
                _item(6),
            ),
        ),
        FetchOutcome(
            3,
            FetchResult(FetchStatus.ERROR, error="timed out"),
            SourceCheck(5, later + 24 * HOUR, disabled_reason="failed 5 times in a row"),
            later,
            notice=AdminNotice(
                NoticeKind.SOURCE_DISABLED,
                "source #3 failed 5 times in a row",
                later,
                source_id=3,
                subject="feed 3",
                detail="failed 5 times in a row",
            ),
        ),
        FetchOutcome(
            8,
            _ok(),
            SourceCheck(0, later + HOUR),
            later,
            notice=AdminNotice(NoticeKind.SOURCE_DISABLED, "other", later),
        ),
        *_unchanged(range(9, SOURCES + 1), later),
    ]
    await _record_both(pair, second)
    item_rows = _rows(pair.lite_file, "item")
    assert [row[4] for row in item_rows if row[1] == 1] == [
        "Post 1, corrected",
        "Post 2",
        "Post 3",
        "Post 40",  # its edit would have repeated Post 2's content
        "Post 6",
    ]
    assert _rows(pair.lite_file, "admin_notice")[0][1] == NoticeKind.SOURCE_DISABLED.value

    # Written in turn: each store reads and extends what the other wrote.
    third = [*_unchanged(range(1, 100), later + HOUR), *_unchanged(range(100, 200), later)]
    await _record_both(pair, third)
    assert await pair.lite.fetches.record([]) == []


async def test_a_failing_batch_stores_nothing_on_either(pair: Pair) -> None:
    before = {table: _rows(pair.sql_file, table) for table in ("source", "item", "admin_notice")}
    batch = [
        FetchOutcome(1, _ok(), SourceCheck(0, NOW + HOUR), NOW, items=(_item(1), _item(2))),
        # No such source: its notice breaks the foreign key, after the items went in.
        FetchOutcome(
            2,
            NOT_MODIFIED,
            SourceCheck(0, NOW + HOUR),
            NOW,
            notice=AdminNotice(NoticeKind.SOURCE_DISABLED, "x", NOW, source_id=SOURCES + 50),
        ),
    ]
    for store in (pair.sql, pair.lite):
        with pytest.raises(StorageError, match=r"IntegrityError: .*FOREIGN KEY"):
            await store.fetches.record(batch)
    naive = [FetchOutcome(1, NOT_MODIFIED, SourceCheck(0, datetime(2026, 8, 15)), NOW)]  # noqa: DTZ001
    for store in (pair.sql, pair.lite):
        with pytest.raises(StorageError, match="naive datetime"):
            await store.fetches.record(naive)
    for table, rows in before.items():
        assert _rows(pair.lite_file, table) == rows == _rows(pair.sql_file, table)
    # And the connection goes on working.
    await _record_both(pair, _unchanged(range(1, 4), NOW))


async def test_what_collect_does_not_use_is_sqlalchemys(pair: Pair) -> None:
    assert await pair.lite.items.count() == 0
    source = await pair.lite.sources.get(4)
    assert source == (await pair.sql.sources.list())[3]
    assert await pair.lite.llm.tokens_since(NOW) == 0


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://127.0.0.1/test",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///{folder}/head.db?mode=ro",
        "sqlite:///{folder}/missing.db",
        "sqlite:///{folder}/empty.db",
        "sqlite:///{folder}/older.db",
        "sqlite:///{folder}/text.db",
    ],
)
async def test_only_a_sqlite_file_at_head_gets_the_sqlite3_store(
    url: str, sqlite_at_head: Path, tmp_path: Path
) -> None:
    shutil.copyfile(sqlite_at_head, tmp_path / "head.db")
    shutil.copyfile(sqlite_at_head, tmp_path / "older.db")
    with closing(sqlite3.connect(tmp_path / "older.db")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0014'")
    (tmp_path / "empty.db").write_bytes(b"")
    (tmp_path / "text.db").write_text("not a database, but long enough to be read as one " * 9)
    assert open_sqlite_collect_store(url.format(folder=tmp_path)) is None
    assert not (tmp_path / "missing.db").exists()
    # The same file by a plain URL, and with the driver named, does.
    for plain in (f"sqlite:///{tmp_path}/head.db", f"sqlite+aiosqlite:///{tmp_path}/head.db"):
        store = open_sqlite_collect_store(plain)
        assert store is not None
        await store.close()
    with closing(sqlite3.connect(tmp_path / "head.db")) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
