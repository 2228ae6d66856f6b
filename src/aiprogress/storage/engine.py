"""Async engines for SQLite (the embedded default) and PostgreSQL.

`Database` is SQLAlchemy Core's `Engine` on the drivers' asyncio adapters (aiosqlite, asyncpg),
each blocking call run in a greenlet by `greenlet_spawn`, as `sqlalchemy.ext.asyncio` does. That
package is not used: its `__init__` imports its ORM session module, which imports all of
`sqlalchemy.orm` (about 50 ms of CPU and 7 MB per process here), and the store runs Core
statements only. What is kept is the part of its API the application and the tests use:
`connect()`, `begin()`, `dispose()`, `dialect`, `sync_engine`, and a connection's `execute()`,
`run_sync()`, `commit()`, `rollback()` and `close()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Generator
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, TypeVarTuple, overload

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult, Dialect, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.util.concurrency import greenlet_spawn

from aiprogress.core.errors import ConfigError
from aiprogress.storage.sqlite_file import SQLITE_PRAGMAS

_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


async def _to_completion(work: Coroutine[Any, Any, _T]) -> _T:
    """Run a clean-up (a connection's close) to its end even if the caller is cancelled
    meanwhile, then pass the cancellation on: a close abandoned halfway would hand its
    connection back to the pool later, perhaps after the pool was disposed of."""
    task = asyncio.ensure_future(work)
    cancelled: asyncio.CancelledError | None = None
    while True:
        try:
            result = await asyncio.shield(task)
        except asyncio.CancelledError as error:
            if task.done():
                raise
            cancelled = error
        else:
            break
    if cancelled is not None:
        raise cancelled
    return result


class DatabaseConnection:
    """One pooled connection: opened by `await`, or by `async with`, which closes it too."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sync: Connection | None = None

    @property
    def sync_connection(self) -> Connection:
        if self._sync is None:
            raise sa.exc.InvalidRequestError("the connection is not open: await it first")
        return self._sync

    async def start(self) -> Self:
        self._sync = await greenlet_spawn(self._engine.connect)
        return self

    def __await__(self) -> Generator[Any, None, Self]:
        return self.start().__await__()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await _to_completion(self.close())

    @overload
    async def execute(
        self, statement: TypedReturnsRows[*_Ts], parameters: Any = None
    ) -> CursorResult[*_Ts]: ...

    @overload
    async def execute(
        self, statement: sa.Executable, parameters: Any = None
    ) -> CursorResult[*tuple[Any, ...]]: ...

    async def execute(
        self, statement: sa.Executable, parameters: Any = None
    ) -> CursorResult[*tuple[Any, ...]]:
        """The statement's result, its rows already fetched (the drivers' adapters buffer
        them), so reading it needs no more awaiting."""
        return await greenlet_spawn(self.sync_connection.execute, statement, parameters)

    async def run_sync(self, fn: Callable[..., _T], *args: Any) -> _T:
        """`fn(connection, *args)` with the synchronous connection (Alembic, inspection)."""
        return await greenlet_spawn(fn, self.sync_connection, *args)

    async def commit(self) -> None:
        await greenlet_spawn(self.sync_connection.commit)

    async def rollback(self) -> None:
        await greenlet_spawn(self.sync_connection.rollback)

    async def close(self) -> None:
        if self._sync is not None:
            await greenlet_spawn(self._sync.close)


class Database:
    """An engine over one database, used from asyncio."""

    def __init__(self, sync_engine: Engine) -> None:
        self.sync_engine = sync_engine

    @property
    def dialect(self) -> Dialect:
        return self.sync_engine.dialect

    def connect(self) -> DatabaseConnection:
        return DatabaseConnection(self.sync_engine)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[DatabaseConnection]:
        """A connection in a transaction, committed when the block ends and rolled back if it
        raises."""
        async with self.connect() as connection:
            transaction = await greenlet_spawn(connection.sync_connection.begin)
            try:
                yield connection
            except BaseException as error:
                await greenlet_spawn(transaction.__exit__, type(error), error, error.__traceback__)
                raise
            await greenlet_spawn(transaction.__exit__, None, None, None)

    async def dispose(self) -> None:
        await greenlet_spawn(self.sync_engine.dispose)


def async_database_url(url: str) -> str:
    """Accept plain `sqlite:///…` and `postgresql://…` URLs and pick the async driver."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a valid database URL") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must be SQLite or PostgreSQL, not {backend!r}")
    if parsed.drivername in _ASYNC_DRIVERS:
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _require_sqlite_folder(async_url: str) -> None:
    """A SQLite file's folder must exist: SQLite creates the file, never its folder. Checked
    here, because aiosqlite's failed connect leaves its worker thread a message for an event
    loop that a short command has closed by then, and that thread's traceback would follow our
    one-line error about half the time."""
    database = make_url(async_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    if not folder.is_dir():
        raise ConfigError(
            f"DATABASE_URL names a SQLite file in {folder}, a folder that does not exist: "
            "create it, or fix the path"
        )


def create_engine(url: str, *, echo: bool = False) -> Database:
    async_url = async_database_url(url)
    # `_is_async` is how `create_async_engine` asks `create_engine` for the driver's asyncio
    # dialect and pool; it is all that function adds for us (see the module's docstring).
    if async_url.startswith("sqlite"):
        _require_sqlite_folder(async_url)
        engine = sa.create_engine(async_url, echo=echo, _is_async=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return Database(engine)
    return Database(
        sa.create_engine(async_url, echo=echo, pool_pre_ping=True, pool_size=10, _is_async=True)
    )
