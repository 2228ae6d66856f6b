"""Short transactions over one engine: what every repository is given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from aiprogress.storage.errors import database_errors


class Sessions:
    def __init__(self, engine: AsyncEngine) -> None:
        self._factory = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        """One short transaction; database failures become `StorageError`."""
        with database_errors():
            async with self._factory() as session, session.begin():
                yield session
