"""Schema migrations with Alembic, run over the application's own async engine.

Alembic is imported only when there is something to do: a database already at the newest
revision (every start after the first) is recognised by one query, and `collect` does not pay
Alembic's memory for nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from aiprogress.core.errors import ConfigError
from aiprogress.storage.engine import Database
from aiprogress.storage.errors import database_errors
from aiprogress.storage.revision import HEAD_REVISION as HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


async def upgrade(engine: Database, revision: str = "head") -> None:
    """Upgrade the schema to `revision`. A database at a revision this code does not know
    (one a newer aiprogress upgraded) is refused in one line (`newer_schema`), not with
    Alembic's "Can't locate revision" and its traceback: every command that opens the store
    with AIPROGRESS_AUTO_MIGRATE on comes here, as `db upgrade` does."""
    if revision == "head":
        stored = await stored_revision(engine)
        if stored == HEAD_REVISION:
            return
        if stored is not None and stored > HEAD_REVISION:  # revisions are zero-padded numbers
            raise newer_schema(stored)
        if stored is None and await _create_sqlite_at_head(engine):
            return

    def run(connection: Connection) -> None:
        from alembic import command
        from alembic.util.exc import CommandError

        config = alembic_config()
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as error:
            # A revision Alembic cannot place (not one of ours): its words, on one line.
            raise ConfigError(f"cannot upgrade the database schema: {error}") from None

    with database_errors():
        async with engine.begin() as connection:
            await connection.run_sync(run)


def newer_schema(stored: str) -> ConfigError:
    """The schema of a database a newer aiprogress has upgraded, which this one cannot use (nor
    downgrade: it does not know the newer revisions' steps)."""
    return ConfigError(
        f"the database was written by a newer aiprogress (schema revision {stored}; this one "
        f"knows up to {HEAD_REVISION}): upgrade aiprogress, or point DATABASE_URL at another "
        "database"
    )


async def _create_sqlite_at_head(engine: Database) -> bool:
    """Make a new SQLite database's schema at head in one transaction, from what every
    migration made of one (`sqlite_head`, a record that tests/storage/test_migrations.py proves
    the same), instead of running each migration: ~20 statements, not Alembic's import and
    ~260 statements (0.3 s of CPU, more than a second on a busy machine; issue 21).

    Only a database with no table at all, checked under the write lock the transaction takes
    first, so two processes starting on one new file cannot both create it; False (and
    nothing done) for any other, or when the record is not of this code's head."""
    from aiprogress.storage import sqlite_head

    if engine.dialect.name != "sqlite" or sqlite_head.REVISION != HEAD_REVISION:
        return False

    def create(connection: Connection) -> bool:
        # pysqlite opens no transaction before DDL: this one is ours, and holds the lock.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        if connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one() != 0:
            return False  # the empty transaction commits
        for statement in sqlite_head.STATEMENTS:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(
            "INSERT INTO alembic_version (version_num) VALUES (?)", (HEAD_REVISION,)
        )
        return True

    with database_errors():
        async with engine.begin() as connection:
            if not await connection.run_sync(create):
                return False
    logging.getLogger(__name__).info(
        "new SQLite database: schema created at revision %s", HEAD_REVISION
    )
    return True


async def require_current(engine: Database) -> None:
    """Refuse a database whose schema is not the one this code expects (for when migrations do
    not run by themselves): one clear line, instead of the first query failing on a missing
    table or column, once per concurrent task."""
    stored = await stored_revision(engine)
    if stored == HEAD_REVISION:
        return
    if stored is None or stored < HEAD_REVISION:  # revisions are zero-padded numbers
        raise ConfigError("database schema is not up to date: run `aiprogress db upgrade`")
    raise newer_schema(stored)


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
