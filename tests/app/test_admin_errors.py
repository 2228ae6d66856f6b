"""What an admin running the service sees when something is wrong: the sources that failed are
counted, a mistake is one line with exit 1 and no secret, and a refusal leaves nothing behind."""

# `feed_host` is test_cli's fixture, imported rather than copied: the tests that take it as an
# argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy.engine import make_url

from aiprogress.core.types import Platform
from aiprogress.storage.migrate import HEAD_REVISION
from tests.app.processes import queue_digest
from tests.app.test_cli import feed_host, run  # noqa: F401 (feed_host: a fixture)
from tests.conftest import POSTGRES_ADMIN_URL, BundledImport
from tests.servers.feeds import FeedServer, Route
from tests.servers.loopback import LoopbackServer
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram

FAILED_HINT = (
    "see the job collect line above, or `aiprogress sources list` for each one's last error"
)


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """`run` points the root logger at the stderr of its CliRunner, closed once the command
    ends: the tests after this file's would log to it, and print logging's own traceback."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own (no stray .env) and a SQLite file in it."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(
            ("AIPROGRESS_", "DATABASE_", "TELEGRAM_", "DISCORD_", "OPENAI_", "LLM_")
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'admin.db'}")
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    return tmp_path


FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def test_run_once_says_every_source_failed_and_still_exits_0(
    env: Path, feed_host: FeedServer
) -> None:
    feed_host.routes["/down"] = Route(status=500)
    assert run("sources", "add", feed_host.url("/down"), "--no-check")[0] == 0
    # The discard port, where nothing listens: offline, as after `sources add-defaults`.
    assert run("sources", "add", "http://127.0.0.1:9/closed.rss", "--no-check")[0] == 0
    code, out, err = run("run", "--once")
    # The cycle still ran to its end (the console's digest is printed), then says what failed.
    assert "job deliver: 1 sent" in err and out
    # In the log, an error (for an alert), where some sources failing is a warning.
    assert " ERROR aiprogress.app.runtime: job collect: 2 sources, 0 fetched, " in err
    # The cycle ran to its end, as the service goes on: README's quick start runs it offline
    # too. `collect` is the step whose exit status says so.
    assert (code, err.splitlines()[-1]) == (
        0,
        f"warning: every source failed (2 of 2): {FAILED_HINT}",
    )
    assert run("collect")[0] == 1


def test_run_once_counts_the_sources_that_failed_when_some_worked(
    env: Path, feed_host: FeedServer
) -> None:
    feed_host.routes["/down"] = Route(status=500)
    assert run("sources", "add", feed_host.feed("/ok.rss", FEED), "--no-check")[0] == 0
    assert run("sources", "add", feed_host.url("/down"), "--no-check")[0] == 0
    code, _, err = run("run", "--once")
    assert (code, err.splitlines()[-1]) == (0, f"1 of 2 sources failed: {FAILED_HINT}")
    assert " WARNING aiprogress.app.runtime: job collect: 2 sources, 1 fetched, " in err


def test_run_once_with_every_source_fine_says_nothing_of_failures(
    env: Path, feed_host: FeedServer
) -> None:
    assert run("sources", "add", feed_host.feed("/ok.rss", FEED), "--no-check")[0] == 0
    code, _, err = run("run", "--once")
    assert code == 0 and "failed:" not in err and "error:" not in err, err


def test_run_without_a_bot_token_creates_nothing(env: Path) -> None:
    code, out, err = run("run")
    assert code == 1 and err.startswith("error: no bot token is set") and not out
    assert len(err.splitlines()) == 1
    assert list(env.iterdir()) == []  # no SQLite file, no -wal, no -shm


def test_the_deliver_jobs_line_counts_deliveries_waiting_for_a_bot_token(env: Path) -> None:
    """A digest queued for a Telegram chat while no token is set is left queued: the deliver
    job's line says so, where before it read as if nothing was there."""
    url = os.environ["DATABASE_URL"]
    asyncio.run(queue_digest(url, [(Platform.TELEGRAM, "-1001"), (Platform.TELEGRAM, "-1002")]))
    code, _, err = run("run", "--once")
    assert code == 0, err
    assert (
        "job deliver: 1 sent, 0 retried, 0 failed, 0 deactivated, 0 taken over, 0 notices, "
        "2 waiting for a bot token in " in err
    ), err


def test_deliver_with_one_token_says_what_waits_for_the_other(
    env: Path, sqlite_bundled: BundledImport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The model data already in (a bot's start imports it on a new database).
    shutil.copyfile(sqlite_bundled.url.removeprefix("sqlite:///"), env / "admin.db")
    asyncio.run(queue_digest(os.environ["DATABASE_URL"], [(Platform.DISCORD, "555")]))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    with FakeTelegram().in_thread() as telegram:
        monkeypatch.setenv("TELEGRAM_API_BASE", telegram.base_url)
        code, out, err = run("deliver")
    assert (code, out, err) == (
        0,
        "sent 0, retried 0, failed 0, channels deactivated 0\n",
        "DISCORD_BOT_TOKEN is not set: 1 delivery to its chats left queued\n",
    )


@pytest.mark.parametrize("command", [("sources", "list"), ("collect",), ("run", "--once")])
def test_a_missing_postgresql_database_is_one_line_naming_it_without_the_password(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    server = make_url(POSTGRES_ADMIN_URL)
    host, port = server.host or "127.0.0.1", server.port or 5432
    user = server.username or "postgres"
    monkeypatch.setenv(
        "DATABASE_URL", f"postgresql://{user}:hunter2-secret@{host}:{port}/aiprogress_nowhere"
    )
    code, out, err = run(*command)
    assert (code, err.splitlines()[-1]) == (
        1,
        f"error: the PostgreSQL server at {host}:{port} has no database 'aiprogress_nowhere': "
        f"create it (createdb -h {host} -p {port} aiprogress_nowhere) or fix the database name "
        "in DATABASE_URL",
    )
    assert "hunter2" not in out + err and "Traceback" not in err


def test_models_search_json_exits_1_when_nothing_matches_as_the_text_does(
    env: Path, sqlite_bundled: BundledImport
) -> None:
    shutil.copyfile(sqlite_bundled.url.removeprefix("sqlite:///"), env / "admin.db")
    assert run("models", "search", "zzzqqq")[0] == 1
    assert run("models", "search", "zzzqqq", "--json")[:2] == (1, "[]\n")
    code, out, _ = run("models", "search", "grok", "--json")
    assert code == 0 and out != "[]\n"
    assert "Exits 1 when no model matches" in run("models", "search", "--help")[1]


def test_models_import_names_each_snapshot_with_its_date(
    env: Path, sqlite_bundled: BundledImport
) -> None:
    shutil.copyfile(sqlite_bundled.url.removeprefix("sqlite:///"), env / "admin.db")
    code, out, err = run("models", "import")
    assert code == 0, err
    names = [line.split(":")[0].strip() for line in out.splitlines()]
    # Two OpenRouter lists and two LMArena leaderboards: each told apart, none twice.
    assert len(names) == len(set(names)), names
    assert "OpenRouter models API (snapshot of 2025-05-23)" in names
    assert "OpenRouter models API (snapshot of 2026-05-15)" in names
    assert "LMArena text leaderboard (snapshot of 2025-03-28)" in names
    assert "LMArena text leaderboard (snapshot of 2025-08-04)" in names
    assert "curated" in names  # one file, no snapshot date to tell it by
    reports = json.loads(run("models", "import", "--json")[1])
    assert [(r["source_name"], r["as_of"]) for r in reports][1:3] == [
        ("OpenRouter models API", "2025-05-23"),
        ("OpenRouter models API", "2026-05-15"),
    ]


def test_publish_says_when_the_chats_have_the_digest_already(env: Path) -> None:
    assert run("run", "--once")[0] == 0  # the console's first digest, printed
    code, out, err = run("publish")
    # The same stories: the stored digest is reused, and the console has it.
    assert (code, out, err) == (
        0,
        "1 digest, 0 deliveries queued\n",
        "nothing new since the last digest: every subscribed chat has it already\n",
    )


def test_sources_add_of_a_feed_that_is_down_says_how_to_add_it_all_the_same(env: Path) -> None:
    # The discard port, where nothing listens: offline, or the feed is down for now.
    code, _, err = run("sources", "add", "http://127.0.0.1:9/feed.rss")
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith("error: cannot fetch http://127.0.0.1:9/feed.rss: cannot connect ")
    assert err.endswith("; --no-check adds it without fetching it now\n")
    assert run("sources", "list", "--json")[1] == "[]\n"  # nothing was added


@pytest.mark.parametrize(
    ("interval", "message"),
    [
        ("0", "error: an interval is at least 60 seconds"),
        ("30", "error: an interval is at least 60 seconds"),
        ("99999999999999999999d", "error: an interval is at most a year (365d)"),
    ],
)
def test_sources_add_refuses_an_interval_out_of_range_as_edit_does(
    env: Path, interval: str, message: str
) -> None:
    # Unchecked, the interval was stored as given: 0 (collected at every cycle), or a number
    # the database's integer cannot hold (a traceback).
    args = ("https://example.org/feed.rss", "--interval", interval, "--no-check")
    code, _, err = run("sources", "add", *args)
    assert (code, err) == (1, message + "\n")
    assert run("sources", "list", "--json")[1] == "[]\n"


def test_db_upgrade_of_a_database_a_newer_version_upgraded_is_one_line(env: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    with closing(sqlite3.connect(env / "admin.db")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    # Before: Alembic's "Can't locate revision identified by '9999'", with its traceback.
    code, out, err = run("db", "upgrade")
    assert (code, out) == (1, "")
    assert err == (
        "error: the database was written by a newer aiprogress (schema revision 9999; this one "
        f"knows up to {HEAD_REVISION}): upgrade aiprogress, or point DATABASE_URL at another "
        "database\n"
    )


class ErrorPage(LoopbackServer):
    """A proxy in front of a Bot API server that is down: 502 and an HTML page quoting the
    request's path (which holds the bot's token)."""

    async def _handle(self, request: web.Request) -> web.Response:
        page = f"<html><h1>502 Bad Gateway</h1><p>{request.path}</p></html>"
        return web.Response(status=502, text=page, content_type="text/html")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        await self._serve(app)

    async def stop(self) -> None:
        await self._close()


def test_a_bot_api_address_that_answers_an_error_page_is_one_line_without_the_token(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    with ErrorPage().in_thread() as proxy:
        monkeypatch.setenv("TELEGRAM_API_BASE", proxy.base_url)
        code, out, err = run("deliver")
    # Before: aiogram's ClientDecodeError and its traceback, the page and its path included.
    assert (code, out, err) == (
        1,
        "",
        f"error: the Telegram Bot API at {proxy.base_url} answered with something other than "
        "the Bot API's JSON (an error page?): check TELEGRAM_API_BASE, or the proxy in front "
        "of it\n",
    )
