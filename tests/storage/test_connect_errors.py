"""A database that cannot be opened is one line that says where (host:port, database, file) and
what to do, never the password: on the real PostgreSQL server and on SQLite files."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from aiprogress.core.errors import AppError, ConfigError, StorageError
from aiprogress.storage.engine import create_engine
from tests.conftest import POSTGRES_ADMIN_URL

SECRET = "hunter2-secret"


def _server() -> tuple[str, int, str]:
    url = make_url(POSTGRES_ADMIN_URL)
    return url.host or "127.0.0.1", url.port or 5432, url.username or "postgres"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again once the block ends


async def _open(url: str) -> str:
    engine = create_engine(url)
    try:
        with pytest.raises(AppError) as raised:
            async with engine.connect():
                pass
    finally:
        await engine.dispose()
    return str(raised.value)


def _one_line_without_secret(text: str) -> None:
    assert "\n" not in text and SECRET not in text and "Traceback" not in text, text


async def test_a_database_the_server_does_not_have_says_how_to_create_it() -> None:
    host, port, user = _server()
    text = await _open(f"postgresql://{user}:{SECRET}@{host}:{port}/aiprogress_no_such_db")
    assert text == (
        f"the PostgreSQL server at {host}:{port} has no database 'aiprogress_no_such_db': "
        f"create it (createdb -h {host} -p {port} aiprogress_no_such_db) or fix the database "
        "name in DATABASE_URL"
    )
    _one_line_without_secret(text)


async def test_an_unknown_role_names_the_user_and_the_setting() -> None:
    host, port, _ = _server()
    text = await _open(f"postgresql://aiprogress_nobody:{SECRET}@{host}:{port}/test")
    assert text.startswith(
        f"the PostgreSQL server at {host}:{port} refused to log in as 'aiprogress_nobody' "
        "to 'test' ("
    )
    assert text.endswith("): fix the user or password in DATABASE_URL")
    _one_line_without_secret(text)


async def test_a_refused_port_says_to_start_the_server_or_fix_host_and_port() -> None:
    port = _closed_port()
    text = await _open(f"postgresql://u:{SECRET}@127.0.0.1:{port}/db")
    assert text == (
        f"cannot reach PostgreSQL at 127.0.0.1:{port}: the connection was refused; start the "
        "server, or fix the host and port in DATABASE_URL"
    )


async def test_a_host_that_does_not_resolve_says_so() -> None:
    text = await _open(f"postgresql://u:{SECRET}@aiprogress-no-such-host.invalid/db")
    assert text.startswith(
        "cannot reach PostgreSQL at aiprogress-no-such-host.invalid:5432: the host name does "
        "not resolve ("
    )
    _one_line_without_secret(text)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo=1", "DATABASE_URL's parameter 'foo' is not one the PostgreSQL driver takes; "),
        ("connect_timeout=soon", "DATABASE_URL's parameter 'connect_timeout' must be a number"),
    ],
)
def test_a_parameter_the_driver_does_not_take_is_refused_in_one_line(
    query: str, message: str
) -> None:
    # Before: asyncpg's TypeError, with a traceback, at the first connection.
    with pytest.raises(ConfigError) as raised:
        create_engine(f"postgresql://u:{SECRET}@127.0.0.1/db?{query}")
    assert str(raised.value).startswith(message)
    _one_line_without_secret(str(raised.value))


async def test_libpq_parameters_of_hosting_providers_urls_are_taken() -> None:
    # sslmode and connect_timeout, as libpq names them: asyncpg's ssl and timeout (a number).
    engine = create_engine(f"{POSTGRES_ADMIN_URL}?sslmode=disable&connect_timeout=5")
    try:
        async with engine.connect():
            pass
    finally:
        await engine.dispose()


def test_a_sqlite_folder_that_cannot_be_written_is_one_line() -> None:
    # Not writable even by root (/proc takes no new files); before, a driver error and,
    # about half the time, aiosqlite's worker thread's traceback after it.
    with pytest.raises(StorageError) as raised:
        create_engine("sqlite:////proc/aiprogress.db")
    assert str(raised.value) == (
        "cannot open the SQLite file /proc/aiprogress.db: unable to open database file; check "
        "the path in DATABASE_URL and that the file and its folder are writable"
    )


def test_a_sqlite_url_naming_a_folder_or_another_kind_of_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        create_engine(f"sqlite:///{tmp_path}")
    assert str(raised.value) == (
        f"DATABASE_URL names {tmp_path}, a folder, not a SQLite file: name a file in it, such "
        f"as {tmp_path / 'aiprogress.db'}"
    )
    text = tmp_path / "notes.txt"
    text.write_text("not a database, but long enough to have a header's worth of bytes\n" * 20)
    with pytest.raises(StorageError) as refused:
        create_engine(f"sqlite:///{text}")
    assert str(refused.value) == (
        f"{text} is not a SQLite database (file is not a database): fix the path in DATABASE_URL"
    )


async def test_a_server_that_never_answers_is_given_up_on_in_time() -> None:
    # A listening socket that never answers: the kernel completes the handshake, then nothing
    # (as behind a firewall that swallows the traffic). asyncpg alone waited 60 s.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        started = time.monotonic()
        text = await _open(f"postgresql://u:{SECRET}@127.0.0.1:{port}/db?connect_timeout=0.5")
        assert time.monotonic() - started < 10
    assert text == (
        f"cannot reach PostgreSQL at 127.0.0.1:{port}: no answer in time; check that the server "
        "is up and reachable from here, and the host and port in DATABASE_URL (its "
        "connect_timeout parameter waits longer)"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "sqlite://aiprogress.db",
            "DATABASE_URL is not a SQLite file's URL: write sqlite:///relative/path.db (three "
            "slashes) or sqlite:////absolute/path.db (four)",
        ),
        (
            "sqlite://",
            "DATABASE_URL names an in-memory SQLite database, which keeps nothing: name a file, "
            "such as sqlite:///aiprogress.db",
        ),
        (
            "sqlite:///:memory:",
            "DATABASE_URL names an in-memory SQLite database, which keeps nothing: name a file, "
            "such as sqlite:///aiprogress.db",
        ),
    ],
)
def test_a_sqlite_url_that_names_no_file_is_refused(url: str, message: str) -> None:
    # Before: SQLAlchemy's ArgumentError with a traceback (two slashes), or a database of each
    # connection's own, lost with the command: `sources add` said "added" and kept nothing.
    with pytest.raises(ConfigError) as raised:
        create_engine(url)
    assert str(raised.value) == message
