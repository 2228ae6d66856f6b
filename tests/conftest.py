"""Shared fixtures: the database on SQLite and on the real PostgreSQL, the feed host, data."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest

# Every test meets aiogram as the service does: imported through it, its types built on use.
import aiprogress.bot.aiogram_import  # noqa: F401
from aiprogress.core.clock import FixedClock
from aiprogress.core.types import ImportReport, ModelFact, ModelInfo
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import HEAD_REVISION, upgrade
from aiprogress.storage.store import SqlStore
from aiprogress.storage.tables import metadata
from tests.servers.feeds import FeedServer

SNAPSHOT_FEEDS = Path(__file__).parents[1] / "src" / "aiprogress" / "sources" / "snapshot" / "feeds"
TEST_DATA = Path(__file__).parent / "data"

_T = TypeVar("_T")

# The server every storage test also runs against; CI starts it if it is down.
POSTGRES_ADMIN_URL = os.environ.get(
    "AIPROGRESS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def _in_own_loop(work: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine to its end from any thread or loop, and return what it returned.

    Its own thread and loop: a session fixture may be first asked for inside a running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work()).result()


def _admin_runner(admin_url: str) -> Callable[[str], None]:
    """Runs one statement on the server's admin database, from any thread or loop."""

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(admin_url, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    def run(statement: str) -> None:
        _in_own_loop(lambda: admin(statement))

    return run


def _session_database(prefix: str) -> Iterator[str]:
    """A database of its own for this test session, created now and dropped at the end."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    run = _admin_runner(POSTGRES_ADMIN_URL)
    try:
        run(f'CREATE DATABASE "{name}"')
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(
            f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable ({exc}); start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
        )
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The session's database for tests that want it empty (`database_url`)."""
    yield from _session_database("aiprogress_test")


async def _reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database, on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url: str = request.getfixturevalue("postgres_url")
    await _reset_postgres(url)
    yield url


@pytest.fixture(scope="session")
def migrated_postgres_url() -> Iterator[str]:
    """A second database of the session's, kept at the schema's head for `store`."""
    yield from _session_database("aiprogress_store")


async def _empty_at_head(url: str) -> None:
    """Leave the database at head with every table empty and every id sequence at 1.

    Migrating once and emptying the tables between tests costs ~20 ms where dropping the
    schema and running every migration again cost ~0.5 s a test (TRUNCATE, ~0.2 s, is slower
    than DELETE on tables this small). The check and the emptying are one round trip each. A
    test that dropped or altered tables (the bots' "database down" tests do) leaves a schema
    that is not the head's; it is rebuilt then."""
    connection = await asyncpg.connect(url)
    try:
        # From pg_class itself: its views pg_tables and pg_sequences cost ~3x as much.
        found = await connection.fetchrow(
            """
            SELECT
                array(SELECT relname::text FROM pg_class
                      WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p'))
                    AS tables,
                array(SELECT relname::text FROM pg_class
                      WHERE relnamespace = 'public'::regnamespace AND relkind = 'S')
                    AS sequences
            """
        )
        tables = set(found["tables"])
        ours = [table.name for table in reversed(metadata.sorted_tables)]
        version = None
        if tables == {*ours, "alembic_version"}:
            version = await connection.fetchval("SELECT max(version_num) FROM alembic_version")
        if version == HEAD_REVISION:
            # Children before parents, so no foreign key is ever left dangling; one transaction
            # (a script of several statements runs as one).
            statements = [f'DELETE FROM "{table}";' for table in ours]  # noqa: S608 (ours)
            statements += [f'ALTER SEQUENCE "{name}" RESTART;' for name in found["sequences"]]
            await connection.execute("BEGIN;" + "".join(statements) + "COMMIT;")
            return
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once a session, for `store` to copy: running every
    migration cost ~0.4 s a test, a copy of the file ~1 ms. `database_url` still hands out
    empty files, for the tests of the migrations themselves."""
    path = tmp_path_factory.mktemp("sqlite-template") / "head.db"

    async def migrate() -> None:
        engine = create_engine(f"sqlite:///{path}")
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    _in_own_loop(migrate)
    # Everything in the main file, no write-ahead log beside it, so the file alone is the copy.
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
async def store(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[SqlStore]:
    """A database at the schema's head, on each backend in turn."""
    if database_url.startswith("postgresql"):
        database_url = request.getfixturevalue("migrated_postgres_url")
        await _empty_at_head(database_url)
    else:
        template: Path = request.getfixturevalue("sqlite_at_head")
        shutil.copyfile(template, database_url.removeprefix("sqlite:///"))
    # At head already either way (emptied at head, or a copy of the file at head): no revision
    # read here.
    store = SqlStore(create_engine(database_url))
    try:
        yield store
    finally:
        await store.close()


# The day the tests' clock reads, and the bundled knowledge base's import with it.
TODAY = datetime(2026, 8, 15, tzinfo=UTC)


@dataclass(frozen=True)
class BundledImport:
    """A database holding the bundled model data, imported once a session (~7 s under load on
    either backend), and the import's reports; tests get copies of it (`bundled`). On
    PostgreSQL, `restore` is the script that fills an emptied database at head with it."""

    url: str
    reports: Sequence[ImportReport]
    restore: str = ""


async def _import_bundled(url: str) -> list[ImportReport]:
    from aiprogress.app.models_data import import_bundled_models
    from tests.builders import make_registry

    store = SqlStore(create_engine(url))
    try:
        await upgrade(store.engine)
        return await import_bundled_models(make_registry(store, FixedClock(TODAY)))
    finally:
        await store.close()


@pytest.fixture(scope="session")
def sqlite_bundled(sqlite_at_head: Path, tmp_path_factory: pytest.TempPathFactory) -> BundledImport:
    """The bundled model data imported into a copy of `sqlite_at_head`, for tests to copy."""
    path = tmp_path_factory.mktemp("sqlite-bundled") / "bundled.db"
    shutil.copyfile(sqlite_at_head, path)
    reports = _in_own_loop(lambda: _import_bundled(f"sqlite:///{path}"))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return BundledImport(f"sqlite:///{path}", reports)


@pytest.fixture(scope="session")
def bundled_models_and_facts(
    sqlite_bundled: BundledImport, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[ModelInfo], list[ModelFact]]:
    """Every model of the bundled data and their facts, read from a copy of the session's
    import, as `aiprogress` stores them (for tests that weigh or conclude on the whole of it)."""
    assert not [report for report in sqlite_bundled.reports if report.error]
    path = tmp_path_factory.mktemp("bundled-read") / "bundled.db"
    shutil.copyfile(sqlite_bundled.url.removeprefix("sqlite:///"), path)

    async def load() -> tuple[list[ModelInfo], list[ModelFact]]:
        store = SqlStore(create_engine(f"sqlite:///{path}"))
        try:
            return await store.models.all(), list(await store.models.facts())
        finally:
            await store.close()

    return _in_own_loop(load)


@pytest.fixture(scope="session")
def postgres_bundled(migrated_postgres_url: str) -> BundledImport:
    """The bundled model data imported into `migrated_postgres_url` once, and kept there as
    copies of its tables in a schema of their own (`bundled`, which emptying the tables
    between tests leaves alone). A copy of the database made as a template would need DROP
    DATABASE, which waits for a checkpoint: ~2 s a test under load."""
    url = migrated_postgres_url

    async def load() -> BundledImport:
        await _empty_at_head(url)
        reports = await _import_bundled(url)
        tables = [table.name for table in metadata.sorted_tables]  # parents first
        connection = await asyncpg.connect(url)
        try:
            copies = [f'CREATE TABLE bundled."{t}" AS TABLE public."{t}";' for t in tables]
            await connection.execute(
                "BEGIN; DROP SCHEMA IF EXISTS bundled CASCADE; CREATE SCHEMA bundled;"
                + "".join(copies)
                + "COMMIT;"
            )
            sequences = await connection.fetch(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' AND last_value IS NOT NULL"
            )
        finally:
            await connection.close()
        restore = [
            f'INSERT INTO public."{t}" OVERRIDING SYSTEM VALUE TABLE bundled."{t}";' for t in tables
        ]
        restore += [
            f"SELECT setval('public.\"{row['sequencename']}\"', {row['last_value']});"
            for row in sequences
        ]
        return BundledImport(url, reports, "".join(restore))

    return _in_own_loop(load)


@dataclass(frozen=True)
class Bundled:
    """A database of the test's own holding the bundled model data, and the import's reports."""

    store: SqlStore
    reports: Sequence[ImportReport]


@pytest.fixture(params=["sqlite", "postgresql"])
async def bundled(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Bundled]:
    """The bundled model data as a fresh install imports it (clock at `TODAY`), on each backend
    in turn: a copy of the session's import (a file copy; the tables filled again from the
    session's copies of them, ~0.2 s), the test's own to read and write."""
    if request.param == "sqlite":
        template: BundledImport = request.getfixturevalue("sqlite_bundled")
        path = tmp_path / "bundled.db"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), path)
        url = f"sqlite:///{path}"
    else:
        template = request.getfixturevalue("postgres_bundled")
        url = template.url
        await _empty_at_head(url)
        connection = await asyncpg.connect(url)
        try:
            await connection.execute("BEGIN;" + template.restore + "COMMIT;")
        finally:
            await connection.close()
    store = SqlStore(create_engine(url))
    try:
        yield Bundled(store, template.reports)
    finally:
        await store.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def snapshot_feed(name: str) -> bytes:
    return (SNAPSHOT_FEEDS / name).read_bytes()
