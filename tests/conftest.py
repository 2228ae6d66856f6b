"""Shared fixtures: the database on SQLite and on the real PostgreSQL, the feed host, data."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import head_revision, upgrade
from aiprogress.storage.store import SqlStore
from aiprogress.storage.tables import metadata
from tests.servers.feeds import FeedServer

SNAPSHOT_FEEDS = Path(__file__).parents[1] / "src" / "aiprogress" / "sources" / "snapshot" / "feeds"
TEST_DATA = Path(__file__).parent / "data"

# The server every storage test also runs against; CI starts it if it is down.
POSTGRES_ADMIN_URL = os.environ.get(
    "AIPROGRESS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def _admin_runner(admin_url: str) -> Callable[[str], None]:
    """Runs one statement on the server's admin database, from any thread or loop."""

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(admin_url, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    def run(statement: str) -> None:
        # Its own thread and loop: a session fixture may be first asked for inside a running loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, admin(statement)).result()

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
    than DELETE on tables this small). A test that dropped or altered tables (the bots'
    "database down" tests do) leaves a schema that is not the head's; it is rebuilt then."""
    connection = await asyncpg.connect(url)
    try:
        found = {
            row["tablename"]
            for row in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        version = None
        if "alembic_version" in found:
            version = await connection.fetchval("SELECT max(version_num) FROM alembic_version")
        ours = [table.name for table in reversed(metadata.sorted_tables)]
        if version == head_revision() and found == {*ours, "alembic_version"}:
            sequences = await connection.fetch(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
            )
            async with connection.transaction():
                # Children before parents, so no foreign key is ever left dangling.
                for table in ours:
                    await connection.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our table names)
                for row in sequences:
                    await connection.execute(f'ALTER SEQUENCE "{row["sequencename"]}" RESTART')
            return
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def store(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[SqlStore]:
    """A database at the schema's head, on each backend in turn."""
    if database_url.startswith("postgresql"):
        database_url = request.getfixturevalue("migrated_postgres_url")
        await _empty_at_head(database_url)
    store = SqlStore(create_engine(database_url))
    await upgrade(store.engine)  # on PostgreSQL: at head already, one revision read
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 8, 15, tzinfo=UTC))


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
