"""The migration builds the schema from nothing, on both backends, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import (
    HEAD_REVISION,
    current_revision,
    head_revision,
    stored_revision,
    upgrade,
)
from aiprogress.storage.tables import metadata


async def test_upgrade_empty_database_matches_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        assert await stored_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        # The quick check that spares Alembic's import reads the same revision.
        assert await stored_revision(engine) == HEAD_REVISION == head_revision()

        def diff(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))

        async with engine.connect() as connection:
            assert await connection.run_sync(diff) == []

        # Upgrading an up-to-date database is a no-op, not an error.
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(tmp_path: object) -> None:
    from pathlib import Path

    import sqlalchemy as sa

    assert isinstance(tmp_path, Path)
    engine = create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        async with engine.connect() as connection:
            mode = (await connection.execute(sa.text("PRAGMA journal_mode"))).scalar()
            keys = (await connection.execute(sa.text("PRAGMA foreign_keys"))).scalar()
            cache = (await connection.execute(sa.text("PRAGMA cache_size"))).scalar()
        assert mode == "wal"
        assert keys == 1
        assert cache == -1000  # KiB: the collector's peak RSS counts every connection's cache
    finally:
        await engine.dispose()
