"""Short transactions over one engine, and the dialect's INSERT: what every repository uses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from aiprogress.storage.engine import Database, DatabaseConnection
from aiprogress.storage.errors import database_errors

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

Connection = DatabaseConnection
"""What a repository's transaction gives it: Core statements run on it."""


def insert_for(dialect: str) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """The INSERT of the engine's dialect (`engine.dialect.name`), which has the
    `ON CONFLICT` clauses the generic one lacks: PostgreSQL's, or SQLite's for any other.
    Imported here, not with the module: a SQLite process does not load PostgreSQL's dialect
    (about 20 ms and 2 MB), nor the other way round."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


class Transactions:
    """Core statements over a connection in one short transaction: no ORM session, no mapped
    objects, so the short commands do not import or build them."""

    def __init__(self, engine: Database) -> None:
        self._engine = engine
        self.dialect = engine.dialect.name

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[Connection]:
        """One short transaction, committed at the end of the block and rolled back on an
        error; database failures become `StorageError`."""
        with database_errors():
            async with self._engine.begin() as connection:
                yield connection
