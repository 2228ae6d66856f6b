"""The store `aiprogress collect` uses on a SQLite database already at the schema's head: the
collector's reads and writes (`sources.count`, `sources.list`, `fetches.record`) on the standard
library's sqlite3, without importing SQLAlchemy.

Why a second implementation: an all-304 `collect` of 2,000 feeds spends ~14% of the whole
process importing SQLAlchemy, and the collector uses three statements' worth of it (issue 21).
What holds the two equal: every value and row is shaped by `rows.py`, which both import; the
statements here are the ones `SqlSourceRepository` and `SqlFetchLog` compile to on SQLite, run
in the same order, in transactions that begin and end as SQLAlchemy's do on the same driver
(sqlite3 begins one before the first INSERT or UPDATE; committed at the end of the operation,
rolled back on an error); connections get the same pragmas (`sqlite_file.SQLITE_PRAGMAS`); and
tests/storage/test_sqlite_collect.py records the same batches through both into two files and
compares every row. Everything else a `Store` offers is SQLAlchemy's store, opened on first use.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from aiprogress.core.errors import StorageError
from aiprogress.core.ports import (
    ChannelRepository,
    DeliveryRepository,
    DigestRepository,
    ItemRepository,
    ModelRepository,
    NoticeRepository,
)
from aiprogress.core.types import (
    FetchOutcome,
    NewSource,
    ParsedItem,
    Source,
    SourceChange,
    SourceTally,
    StoredFetch,
)
from aiprogress.storage.revision import HEAD_REVISION
from aiprogress.storage.rows import (
    ITEM_TABLE,
    SOURCE_FIELDS,
    Shape,
    changed_items,
    edit_keys,
    edit_rows,
    insert_sqlite_rows,
    maybe_edited,
    notice_rows,
    padded,
    source_of_row,
    source_updates,
    sqlite_moment,
    sqlite_values_of,
    stored_fetches,
)
from aiprogress.storage.sqlite_file import SQLITE_PRAGMAS, sqlite_file

if TYPE_CHECKING:
    from aiprogress.core.factsheet import LlmCall
    from aiprogress.storage.store import SqlStore

_T = TypeVar("_T")

# SQLite answers RETURNING from 3.35 on; before, the fetch log's INSERT is SQLAlchemy's.
_RETURNING = (3, 35)


def open_sqlite_collect_store(url: str) -> SqliteCollectStore | None:
    """The sqlite3 store over the SQLite file `url` names, when that file exists and its schema
    is at `HEAD_REVISION`; None (and nothing left open) for anything else: PostgreSQL, a URL
    SQLAlchemy must read, a file to create or migrate, one that is not a database. Those take
    SQLAlchemy's path, which makes, migrates or refuses them as it always has. One query."""
    path = sqlite_file(url)
    if path is None or sqlite3.sqlite_version_info < _RETURNING or not os.path.isfile(path):
        return None
    # Used from the store's one worker thread, after this check on the caller's.
    connection = sqlite3.connect(path, check_same_thread=False)
    try:
        versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if versions != [(HEAD_REVISION,)]:
            connection.close()
            return None
        for pragma in SQLITE_PRAGMAS:
            connection.execute(pragma)
    except sqlite3.Error:
        connection.close()
        return None
    return SqliteCollectStore(connection, url)


def _database_error(error: sqlite3.Error | ValueError) -> StorageError:
    """As `errors.database_errors` words SQLAlchemy's wrapping of the same driver error."""
    if isinstance(error, ValueError):  # a naive date, which the column types refuse
        return StorageError(f"database error: StatementError: {error}")
    kind = type(error)
    return StorageError(
        f"database error: {kind.__name__}: ({kind.__module__}.{kind.__name__}) {error}"
    )


class _Worker:
    """One sqlite3 connection, used from one thread of its own (as aiosqlite does), a whole
    operation at a time: the event loop goes on fetching while SQLite works."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aiprogress-sqlite")

    async def run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """`work(connection)` in one transaction: committed when it returns, rolled back when
        it raises; database errors become `StorageError`."""
        return await asyncio.get_running_loop().run_in_executor(
            self._thread, self._transaction, work
        )

    def _transaction(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        connection = self._connection
        try:
            with connection:  # commits, or rolls back on an exception
                return work(connection)
        except (sqlite3.Error, ValueError) as error:
            raise _database_error(error) from error

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        self._connection.close()


# --- sources ---------------------------------------------------------------------------------

_SELECT_SOURCES = f"SELECT {', '.join(SOURCE_FIELDS)} FROM source"  # noqa: S608 (names)


def _conditions(enabled_only: bool, due: bool) -> str:
    """`SqlSourceRepository`'s conditions as SQLAlchemy compiles them on SQLite."""
    text = ""
    if enabled_only or due:
        text += " AND enabled IS 1"
    if due:
        text += " AND (next_check_at IS NULL OR next_check_at <= ?)"
    return text


def _page_sql(enabled_only: bool, due: bool, limited: bool) -> str:
    return f"{_SELECT_SOURCES} WHERE id > ?{_conditions(enabled_only, due)} ORDER BY id" + (
        " LIMIT ?" if limited else ""
    )


def _moment(text: str | None) -> datetime | None:
    """A stored time as SQLAlchemy's SQLite DATETIME reads it: naive, in UTC."""
    return None if text is None else datetime.fromisoformat(text)


def _source(row: Sequence[Any]) -> Source:
    """A `Source` from a row of `SOURCE_FIELDS` as sqlite3 gives it (times as text, flags as
    integers), read as SQLAlchemy's column types read them."""
    (
        source_id,
        url,
        name,
        kind,
        trust_tier,
        enabled,
        created_at,
        etag,
        last_modified,
        last_fetched_at,
        last_status,
        last_error,
        failures,
        next_check_at,
        interval_seconds,
        disabled_reason,
        backfill,
        baseline_at,
        name_from_user,
        body_hash,
    ) = row
    return source_of_row(
        source_id,
        url,
        name,
        kind,
        trust_tier,
        bool(enabled),
        datetime.fromisoformat(created_at),
        etag,
        last_modified,
        _moment(last_fetched_at),
        last_status,
        last_error,
        failures,
        _moment(next_check_at),
        interval_seconds,
        disabled_reason,
        bool(backfill),
        _moment(baseline_at),
        bool(name_from_user),
        body_hash,
    )


class SqliteSourceRepository:
    """The sources as the collector reads them (`count`, `list`); the rest is SQLAlchemy's."""

    def __init__(self, worker: _Worker, sql: Callable[[], SqlStore]) -> None:
        self._worker = worker
        self._sql = sql
        self._pages: dict[tuple[bool, bool, bool], str] = {}

    async def list(
        self,
        *,
        enabled_only: bool = False,
        due_at: datetime | None = None,
        after_id: int = 0,
        limit: int | None = None,
    ) -> Sequence[Source]:
        shape = (enabled_only, due_at is not None, limit is not None)
        statement = self._pages.get(shape)
        if statement is None:
            statement = self._pages[shape] = _page_sql(*shape)
        parameters: list[Any] = [after_id]
        if due_at is not None:
            parameters.append(sqlite_moment(due_at))
        if limit is not None:
            parameters.append(limit)

        def read(connection: sqlite3.Connection) -> list[Source]:
            return [_source(row) for row in connection.execute(statement, parameters)]

        return await self._worker.run(read)

    async def count(self, *, enabled_only: bool = False, due_at: datetime | None = None) -> int:
        conditions = _conditions(enabled_only, due_at is not None)
        statement = f"SELECT count(*) FROM source WHERE 1{conditions}"  # noqa: S608 (names)
        parameters = () if due_at is None else (sqlite_moment(due_at),)

        def read(connection: sqlite3.Connection) -> int:
            (count,) = connection.execute(statement, parameters).fetchone()
            return int(count)

        return await self._worker.run(read)

    async def add(self, new: NewSource, now: datetime) -> Source:
        return await self._sql().sources.add(new, now)

    async def get(self, source_id: int) -> Source:
        return await self._sql().sources.get(source_id)

    async def find_by_url(self, url: str) -> Source | None:
        return await self._sql().sources.find_by_url(url)

    async def tally(self) -> Sequence[SourceTally]:
        return await self._sql().sources.tally()

    async def remove(self, source_id: int) -> None:
        await self._sql().sources.remove(source_id)

    async def set_enabled(self, source_id: int, enabled: bool) -> Source:
        return await self._sql().sources.set_enabled(source_id, enabled)

    async def update(self, source_id: int, change: SourceChange) -> Source:
        return await self._sql().sources.update(source_id, change)


# --- the fetch log -----------------------------------------------------------------------------


def _bound(value: Any) -> Any:
    """A source column's value as its type binds it on SQLite (a time as text; sqlite3 binds
    the rest, booleans as 0 and 1, as SQLAlchemy does)."""
    return sqlite_moment(value) if isinstance(value, datetime) else value


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _apply_edits(
    connection: sqlite3.Connection,
    items_by_source: Mapping[int, Sequence[ParsedItem]],
    fetched_at: datetime,
) -> Counter[int]:
    """`fetch_log._apply_edits`, its statements on sqlite3."""
    by_key = edit_keys(items_by_source)
    if not by_key:
        return Counter()
    source_ids = padded(list(items_by_source))
    guids = padded(list({guid for _, guid in by_key}))
    stored = connection.execute(
        f"SELECT source_id, id, guid, content_hash FROM {ITEM_TABLE} "  # noqa: S608 (names)
        f"WHERE source_id IN ({_in(source_ids)}) AND guid IN ({_in(guids)})",
        (*source_ids, *guids),
    )
    changed = changed_items(stored.fetchall(), by_key)
    if not changed:
        return Counter()
    changed_ids = padded(list({source_id for source_id, _, _ in changed}))
    hashes = padded([item.content_hash for _, _, item in changed])
    taken: set[tuple[int, str]] = set(
        connection.execute(
            f"SELECT source_id, content_hash FROM {ITEM_TABLE} "  # noqa: S608 (names)
            f"WHERE source_id IN ({_in(changed_ids)}) AND content_hash IN ({_in(hashes)})",
            (*changed_ids, *hashes),
        ).fetchall()
    )
    rows, updated = edit_rows(changed, taken, fetched_at)
    if rows:
        connection.executemany(
            f"UPDATE {ITEM_TABLE} SET url=?, title=?, summary=?, content_hash=?, "  # noqa: S608
            "updated_at=? WHERE id = ?",
            [
                (
                    row["url"],
                    row["title"],
                    row["summary"],
                    row["content_hash"],
                    sqlite_moment(row["updated_at"]),
                    row["row_id"],
                )
                for row in rows
            ],
        )
    return updated


def _update_sql(shape: Shape, ids: int | None) -> str:
    """The UPDATE of `shape`'s columns of one source (`ids` None) or of `ids` of them."""
    which = "id = ?" if ids is None else f"id IN ({','.join('?' * ids)})"
    assignments = ", ".join(f"{name}=?" for name in shape)
    return f"UPDATE source SET {assignments} WHERE {which}"  # noqa: S608 (column names)


_NOTICE_COLUMNS = ("kind", "text", "source_id", "created_at", "subject", "detail")
_INSERT_NOTICE = (
    f"INSERT INTO admin_notice ({', '.join(_NOTICE_COLUMNS)}) "  # noqa: S608 (names)
    f"VALUES ({_in(_NOTICE_COLUMNS)})"
)


class SqliteFetchLog:
    """`SqlFetchLog.record` on sqlite3: the same statements, in the same order, in one
    transaction."""

    def __init__(self, worker: _Worker) -> None:
        self._worker = worker
        self._updates: dict[tuple[Shape, int | None], str] = {}

    def _update_of(self, shape: Shape, ids: int | None) -> str:
        statement = self._updates.get((shape, ids))
        if statement is None:
            statement = self._updates[(shape, ids)] = _update_sql(shape, ids)
        return statement

    async def record(self, outcomes: Sequence[FetchOutcome]) -> list[StoredFetch]:
        if not outcomes:
            return []
        new, updated = await self._worker.run(lambda connection: self._store(connection, outcomes))
        return stored_fetches(outcomes, new, updated)

    def _store(
        self, connection: sqlite3.Connection, outcomes: Sequence[FetchOutcome]
    ) -> tuple[Counter[int], Counter[int]]:
        values = sqlite_values_of(outcomes)
        new = Counter(insert_sqlite_rows(connection.execute, values)) if values else Counter()
        # Entries that were not new may be edits of stored ones.
        updated = _apply_edits(connection, maybe_edited(outcomes, new), outcomes[0].fetched_at)
        shared, one_each = source_updates(outcomes)
        for shape, shared_values, source_ids in shared:
            connection.execute(
                self._update_of(shape, len(source_ids)),
                (*(_bound(shared_values[name]) for name in shape), *source_ids),
            )
        for shape, parameters in one_each.items():
            connection.executemany(
                self._update_of(shape, None),
                [(*(_bound(row[name]) for name in shape), row["source_key"]) for row in parameters],
            )
        notices = notice_rows(outcomes)
        if notices:
            connection.executemany(
                _INSERT_NOTICE,
                [
                    tuple(
                        sqlite_moment(row[name]) if name == "created_at" else row[name]
                        for name in _NOTICE_COLUMNS
                    )
                    for row in notices
                ],
            )
        return new, updated


# --- the store -------------------------------------------------------------------------------


class _DeferredLedger:
    """The LLM ledger, SQLAlchemy's, opened when first used: `collect` makes a writer it never
    calls when an LLM is configured."""

    def __init__(self, sql: Callable[[], SqlStore]) -> None:
        self._sql = sql

    async def record(self, call: LlmCall) -> None:
        await self._sql().llm.record(call)

    async def tokens_since(self, since: datetime) -> int:
        return await self._sql().llm.tokens_since(since)

    async def cached(self, key: str) -> str | None:
        return await self._sql().llm.cached(key)

    async def cache(
        self, key: str, model: str, prompt_version: str, content: str, now: datetime
    ) -> None:
        await self._sql().llm.cache(key, model, prompt_version, content, now)


class SqliteCollectStore:
    """A `Store` whose collector's part (sources' `count` and `list`, the fetch log) runs on
    sqlite3; every other repository is SQLAlchemy's `SqlStore`'s over the same file, opened
    (and SQLAlchemy imported) on first use, which `collect` never makes."""

    def __init__(self, connection: sqlite3.Connection, url: str) -> None:
        self._url = url
        self._worker = _Worker(connection)
        self._sql_store: SqlStore | None = None
        self._sources = SqliteSourceRepository(self._worker, self.sql)
        self._fetches = SqliteFetchLog(self._worker)
        self._llm = _DeferredLedger(self.sql)

    def sql(self) -> SqlStore:
        """SQLAlchemy's store over the same database (its schema is at head: not checked
        again)."""
        if self._sql_store is None:
            from aiprogress.storage.engine import create_engine
            from aiprogress.storage.store import SqlStore

            self._sql_store = SqlStore(create_engine(self._url))
        return self._sql_store

    @property
    def sources(self) -> SqliteSourceRepository:
        return self._sources

    @property
    def fetches(self) -> SqliteFetchLog:
        return self._fetches

    @property
    def llm(self) -> _DeferredLedger:
        return self._llm

    @property
    def items(self) -> ItemRepository:
        return self.sql().items

    @property
    def digests(self) -> DigestRepository:
        return self.sql().digests

    @property
    def models(self) -> ModelRepository:
        return self.sql().models

    @property
    def notices(self) -> NoticeRepository:
        return self.sql().notices

    @property
    def channels(self) -> ChannelRepository:
        return self.sql().channels

    @property
    def deliveries(self) -> DeliveryRepository:
        return self.sql().deliveries

    async def close(self) -> None:
        self._worker.close()
        if self._sql_store is not None:
            await self._sql_store.close()
