"""Async engines for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from aiprogress.core.errors import ConfigError

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


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
    # WAL lets readers (the bots) run while the collector writes; foreign keys are off by default
    # in SQLite and our cascades depend on them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 1 MB of page cache per connection, not SQLite's 2 MB: the operating system caches the
    # file as well, and each pooled connection holds its own cache (bench/collect.py: 1.4 MB
    # less peak RSS for `collect`; its first pass was 4% slower on average over three pairs of
    # runs, less than one run's noise on this machine).
    cursor.execute("PRAGMA cache_size=-1000")
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


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    async_url = async_database_url(url)
    if async_url.startswith("sqlite"):
        _require_sqlite_folder(async_url)
        engine = create_async_engine(async_url, echo=echo)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(async_url, echo=echo, pool_pre_ping=True, pool_size=10)
