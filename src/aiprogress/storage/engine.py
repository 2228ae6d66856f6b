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
import os
import re
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Generator
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, TypeVarTuple, overload
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, CursorResult, Dialect, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.util.concurrency import greenlet_spawn

from aiprogress.core.errors import ConfigError, StorageError
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
        try:
            self._sync = await greenlet_spawn(self._engine.connect)
        except (sa.exc.DBAPIError, OSError) as error:  # TimeoutError is an OSError
            # One line that names where and what to do, never the password: the driver's
            # text spans lines, and says neither which server nor which setting.
            raise connect_error(self._engine.url, error) from error
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
        raise ConfigError(
            "DATABASE_URL is not a valid database URL: write sqlite:///path/to/file.db or "
            "postgresql://user:password@host:5432/database"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must be SQLite or PostgreSQL, not {backend!r}")
    if backend == "sqlite" and parsed.host:
        # `sqlite://name.db`: two slashes make the name a host, which SQLAlchemy refuses with
        # a traceback of its own.
        raise ConfigError(
            "DATABASE_URL is not a SQLite file's URL: write sqlite:///relative/path.db (three "
            "slashes) or sqlite:////absolute/path.db (four)"
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        # Each connection would have a database of its own, and each command end with
        # everything it stored lost.
        raise ConfigError(
            "DATABASE_URL names an in-memory SQLite database, which keeps nothing: name a "
            "file, such as sqlite:///aiprogress.db"
        )
    if parsed.drivername in _ASYNC_DRIVERS:
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


# PostgreSQL's SQLSTATEs a connection is refused with, and what to do about each.
_NO_DATABASE = "3D000"  # invalid_catalog_name
_REFUSED_LOGIN = ("28000", "28P01")  # invalid_authorization_specification, invalid_password


def connect_error(url: URL, error: BaseException) -> StorageError:
    """A failed connection in one line: the server (host:port), the database and the user as
    DATABASE_URL names them, why, and what to do. Never the password, which the drivers' texts
    do not hold either (a server's message is scrubbed of it all the same)."""
    if url.get_backend_name() == "sqlite":
        reason = _reason(url, error)
        if "not a database" in reason:
            return StorageError(
                f"{url.database} is not a SQLite database ({reason}): fix the path in DATABASE_URL"
            )
        return StorageError(
            f"cannot open the SQLite file {url.database}: {reason}; check the path in "
            "DATABASE_URL and that the file and its folder are writable"
        )
    server = f"{url.host or 'localhost'}:{url.port or 5432}"
    database = url.database or url.username or "postgres"
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    if code == _NO_DATABASE:
        return StorageError(
            f"the PostgreSQL server at {server} has no database {database!r}: create it "
            f"(createdb -h {url.host or 'localhost'} -p {url.port or 5432} {database}) or "
            "fix the database name in DATABASE_URL"
        )
    if code in _REFUSED_LOGIN:
        return StorageError(
            f"the PostgreSQL server at {server} refused to log in as {url.username!r} to "
            f"{database!r} ({_reason(url, error)}): fix the user or password in DATABASE_URL"
        )
    if isinstance(error, socket.gaierror):
        return StorageError(
            f"cannot reach PostgreSQL at {server}: the host name does not resolve "
            f"({_reason(url, error)}); fix the host in DATABASE_URL"
        )
    if isinstance(error, ConnectionRefusedError):
        return StorageError(
            f"cannot reach PostgreSQL at {server}: the connection was refused; start the "
            "server, or fix the host and port in DATABASE_URL"
        )
    if isinstance(error, TimeoutError):
        return StorageError(
            f"cannot reach PostgreSQL at {server}: no answer in time; check that the server "
            "is up and reachable from here, and the host and port in DATABASE_URL (its "
            "connect_timeout parameter waits longer)"
        )
    return StorageError(
        f"cannot connect to PostgreSQL at {server}, database {database!r} as "
        f"{url.username!r}: {_reason(url, error)}; check DATABASE_URL"
    )


def _reason(url: URL, error: BaseException) -> str:
    """The driver's own words, on one line, without SQLAlchemy's "(module.Class)" prefix and
    without the password should a message ever quote it."""
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error)
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    text = re.sub(r"^\([\w.]+\) ", "", " ".join(text.split()))
    if url.password:
        text = text.replace(str(url.password), "***")
    return text or type(error).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _require_sqlite_file(async_url: str) -> None:
    """A SQLite file must be one SQLite can open (or create) and read: its folder must exist
    (SQLite creates the file, never its folder), and the file, or the folder for a new one,
    must be writable. Checked here with the standard library (a connection opened and closed,
    ~0.1 ms), because aiosqlite's failed connect leaves its worker thread a message for an
    event loop that a short command has closed by then, and that thread's traceback would
    follow our one-line error about half the time."""
    url = make_url(async_url)
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(
            f"DATABASE_URL names a SQLite file in {folder}, a folder that does not exist: "
            "create it, or fix the path"
        )
    if path.is_dir():
        raise ConfigError(
            f"DATABASE_URL names {path}, a folder, not a SQLite file: name a file in it, "
            f"such as {path / 'aiprogress.db'}"
        )
    # SQLite opens a read-only file read-only without a word, and its write-ahead log needs
    # files of its own beside it: both would fail only at the first write.
    for needed, what in ((path, "file"), (folder, "folder")):
        if needed.exists() and not os.access(needed, os.W_OK):
            raise ConfigError(
                f"the SQLite {what} {needed} is not writable by this user: change its "
                "permissions, or fix the path in DATABASE_URL"
            )
    try:
        # `rwc`, as the engine opens it: a new file is made now rather than a moment later.
        probe = sqlite3.connect(f"file:{quote(str(path))}?mode=rwc", uri=True)
        try:
            probe.execute("PRAGMA schema_version")  # reads the header: "not a database"
        finally:
            probe.close()
    except sqlite3.Error as error:
        raise connect_error(url, error) from None


# DATABASE_URL's query parameters the PostgreSQL driver (asyncpg) takes, as text, with libpq's
# names for two of them (hosting providers' URLs carry `sslmode`); the numbers are passed typed,
# as asyncpg takes them (it would add a timeout of "5" to a float). Any other name is refused in
# one line here, rather than as asyncpg's TypeError when the first connection is made.
_PG_RENAMED = {"sslmode": "ssl", "connect_timeout": "timeout"}
# Seconds a PostgreSQL connection may take to open, unless DATABASE_URL's connect_timeout says.
CONNECT_TIMEOUT_SECONDS = 10.0
_PG_TEXT = frozenset(
    {"ssl", "passfile", "service", "servicefile", "target_session_attrs", "krbsrvname", "gsslib"}
)
_PG_NUMBERS: dict[str, Callable[[str], float]] = {
    "timeout": float,
    "command_timeout": float,
    "statement_cache_size": int,
    "prepared_statement_cache_size": int,
    "max_cached_statement_lifetime": int,
    "max_cacheable_statement_size": int,
}


def _postgres_options(async_url: str) -> tuple[URL, dict[str, Any]]:
    """The URL without the parameters passed as typed connect arguments, and those."""
    url = make_url(async_url)
    query: dict[str, str | tuple[str, ...]] = {}
    numbers: dict[str, Any] = {}
    for given, value in url.query.items():
        name = _PG_RENAMED.get(given, given)
        if name not in _PG_TEXT and name not in _PG_NUMBERS:
            known = ", ".join(sorted({*_PG_TEXT, *_PG_NUMBERS, *_PG_RENAMED}))
            raise ConfigError(
                f"DATABASE_URL's parameter {given!r} is not one the PostgreSQL driver takes; "
                f"it takes {known}"
            )
        if name in _PG_NUMBERS:
            try:
                numbers[name] = _PG_NUMBERS[name](value if isinstance(value, str) else "")
            except ValueError:
                raise ConfigError(f"DATABASE_URL's parameter {given!r} must be a number") from None
        else:
            query[name] = value
    return url.set(query=query), numbers


def create_engine(url: str, *, echo: bool = False) -> Database:
    async_url = async_database_url(url)
    # `_is_async` is how `create_async_engine` asks `create_engine` for the driver's asyncio
    # dialect and pool; it is all that function adds for us (see the module's docstring).
    if async_url.startswith("sqlite"):
        _require_sqlite_file(async_url)
        engine = sa.create_engine(async_url, echo=echo, _is_async=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return Database(engine)
    postgres_url, connect_args = _postgres_options(async_url)
    # asyncpg waits a minute for a server that does not answer (a wrong address behind a
    # firewall): the admin waits as long for the one line that says so.
    connect_args.setdefault("timeout", CONNECT_TIMEOUT_SECONDS)
    return Database(
        sa.create_engine(
            postgres_url,
            echo=echo,
            pool_pre_ping=True,
            pool_size=10,
            connect_args=connect_args,
            _is_async=True,
        )
    )
