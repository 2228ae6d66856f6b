"""Short transactions over one engine, and the dialect's INSERT: what every repository uses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from aiprogress.storage.errors import database_errors


def insert_for(dialect: str) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """The INSERT of the engine's dialect (`engine.dialect.name`), which has the
    `ON CONFLICT` clauses the generic one lacks: PostgreSQL's, or SQLite's for any other."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class Sessions:
    def __init__(self, engine: AsyncEngine) -> None:
        self._factory = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        """One short transaction; database failures become `StorageError`."""
        with database_errors():
            async with self._factory() as session, session.begin():
                yield session
