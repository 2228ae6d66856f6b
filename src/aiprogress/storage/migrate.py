"""Schema migrations with Alembic, run over the application's own async engine.

Alembic is imported only when there is something to do: a database already at the newest
revision (every start after the first) is recognised by one query, and `collect` does not pay
Alembic's memory for nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from aiprogress.core.errors import ConfigError
from aiprogress.storage.engine import Database
from aiprogress.storage.errors import database_errors

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")

# The newest migration's id; tests/storage/test_migrations.py keeps it equal to Alembic's head.
HEAD_REVISION = "0015"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def upgrade(engine: Database, revision: str = "head") -> None:
    if revision == "head" and await stored_revision(engine) == HEAD_REVISION:
        return

    def run(connection: Connection) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    with database_errors():
        async with engine.begin() as connection:
            await connection.run_sync(run)


async def require_current(engine: Database) -> None:
    """Refuse a database whose schema is not the one this code expects (for when migrations do
    not run by themselves): one clear line, instead of the first query failing on a missing
    table or column, once per concurrent task."""
    stored = await stored_revision(engine)
    if stored == HEAD_REVISION:
        return
    if stored is None or stored < HEAD_REVISION:  # revisions are zero-padded numbers
        raise ConfigError("database schema is not up to date: run `aiprogress db upgrade`")
    raise ConfigError(
        f"database schema is at revision {stored}, newer than this aiprogress knows "
        f"({HEAD_REVISION}): upgrade aiprogress"
    )


async def stored_revision(engine: Database) -> str | None:
    """The revision recorded in the database, read without Alembic; None when there is none."""
    with database_errors():
        async with engine.connect() as connection:
            exists = await connection.run_sync(
                lambda sync: sa.inspect(sync).has_table("alembic_version")
            )
            if not exists:
                return None
            rows = await connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            versions = [version for (version,) in rows]
    return versions[0] if len(versions) == 1 else None


async def current_revision(engine: Database) -> str | None:
    def read(connection: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()

    with database_errors():
        async with engine.connect() as connection:
            return await connection.run_sync(read)


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
