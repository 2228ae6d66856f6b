"""What an operator sees when `aiprogress` cannot run as configured: one line on stderr that
starts with `error:`, a non-zero exit, no traceback and no secret. And a bot that dies while
running: logged with its cause, restarted with a growing pause, `/healthz` 503 meanwhile."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiprogress.app.cli import app
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import upgrade
from aiprogress.storage.store import SqlStore
from tests.app.processes import clear_our_settings, environment, free_port
from tests.conftest import _reset_postgres
from tests.servers.discord import TOKEN as DISCORD_TOKEN
from tests.servers.discord import FakeDiscord
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram

# Well formed, but not the token the fake servers accept.
OTHER_TELEGRAM_TOKEN = "987654321:AAOtherTokenTheServerDoesNotKnow_456"
OTHER_DISCORD_TOKEN = "OTg3NjU0MzIx.GOther.TokenTheServerDoesNotKnow_0123456789"
WEBHOOK_SECRET = "webhook-secret_42"


def upgraded(tmp_path: Path) -> None:
    """The database of `environment` at the newest schema, so that a command's stderr holds
    its own lines only, not the first run's migration log."""

    async def upgrade_it() -> None:
        store = SqlStore(create_engine(f"sqlite:///{tmp_path / 'run.db'}"))
        try:
            await upgrade(store.engine)
        finally:
            await store.close()

    asyncio.run(upgrade_it())


def aiprogress(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """The command as an operator runs it, in a directory without a .env."""
    return subprocess.run(
        [sys.executable, "-m", "aiprogress", *args],
        cwd=tmp_path,
        env=environment(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_fails_with(
    result: subprocess.CompletedProcess[str], line: str, secrets: tuple[str, ...] = ()
) -> None:
    assert (result.returncode, result.stderr.splitlines()) == (1, [f"error: {line}"]), result.stderr
    for secret in secrets:
        assert secret not in result.stderr + result.stdout


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TELEGRAM_TOKEN, max_poll_seconds=0.2).in_thread() as server:
        yield server


# --- tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("run",), ("run", "--once"), ("deliver",)])
def test_a_malformed_telegram_token(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = aiprogress(tmp_path, *command, TELEGRAM_BOT_TOKEN="12345 secret-part")
    assert_fails_with(
        result,
        "TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:ABC-def…, as "
        "@BotFather gives it",
        secrets=("secret-part",),
    )


def test_a_malformed_discord_token(tmp_path: Path) -> None:
    result = aiprogress(tmp_path, "run", DISCORD_BOT_TOKEN="Bot secret-part")
    assert_fails_with(
        result,
        "DISCORD_BOT_TOKEN is malformed: it should be three parts joined by dots, as the "
        "Developer Portal's Bot page gives it",
        secrets=("secret-part",),
    )


@pytest.mark.parametrize("command", [("run",), ("run", "--once"), ("deliver",)])
def test_a_telegram_token_the_bot_api_rejects(
    tmp_path: Path, telegram: FakeTelegram, command: tuple[str, ...]
) -> None:
    upgraded(tmp_path)
    result = aiprogress(
        tmp_path,
        *command,
        TELEGRAM_BOT_TOKEN=OTHER_TELEGRAM_TOKEN,
        TELEGRAM_API_BASE=telegram.base_url,
    )
    assert_fails_with(
        result,
        "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): check it with @BotFather",
        secrets=(OTHER_TELEGRAM_TOKEN, OTHER_TELEGRAM_TOKEN.split(":")[1]),
    )
    assert [call.method.lower() for call in telegram.calls] == ["getme"]


def test_a_discord_token_discord_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # In process: discord.py takes its API's address from a class attribute only. Logging as a
    # fresh process has it (an earlier test's `run` may have pointed it at a closed stream).
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    clear_our_settings(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.setenv("DISCORD_BOT_TOKEN", OTHER_DISCORD_TOKEN)
    upgraded(tmp_path)
    with FakeDiscord(token=DISCORD_TOKEN).in_thread() as server, server.patch_base():
        result = CliRunner().invoke(app, ["deliver"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized): check it on the "
        "Developer Portal's Bot page"
    ]
    assert OTHER_DISCORD_TOKEN not in result.output


@pytest.mark.parametrize("command", [("run",), ("deliver",)])
@pytest.mark.parametrize(
    "value", ["api.telegram.org", "ftp://api.telegram.org", "http://", "https://host:port"]
)
def test_a_telegram_api_base_that_is_not_an_http_url(
    tmp_path: Path, command: tuple[str, ...], value: str
) -> None:
    # Before anything connects: not "cannot reach the Telegram Bot API" once the bot starts.
    result = aiprogress(
        tmp_path, *command, TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN, TELEGRAM_API_BASE=value
    )
    assert_fails_with(
        result,
        "invalid setting TELEGRAM_API_BASE: must be an http:// or https:// URL, such as "
        "https://api.telegram.org",
        secrets=(TELEGRAM_TOKEN,),
    )


# --- the webhook's settings ------------------------------------------------------------------

EITHER = "set both for webhook mode, or neither for long polling"


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        (
            {"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook"},
            f"TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: {EITHER}",
        ),
        (
            {"TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET},
            f"TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_WEBHOOK_URL is not: {EITHER}",
        ),
        (
            {
                "TELEGRAM_WEBHOOK_URL": "http://bot.example.org/hook",
                "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            },
            "TELEGRAM_WEBHOOK_URL must be an https:// URL: Telegram calls webhooks over HTTPS only",
        ),
        (
            {
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook",
                "TELEGRAM_WEBHOOK_SECRET": "not allowed: spaces",
            },
            "TELEGRAM_WEBHOOK_SECRET may hold only 1 to 256 of the characters A-Z, a-z, 0-9, _ "
            "and -",
        ),
        (
            {
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook",
                "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "TELEGRAM_WEBHOOK_PORT": "8088",
                "AIPROGRESS_HTTP_PORT": "8088",
            },
            "TELEGRAM_WEBHOOK_PORT and AIPROGRESS_HTTP_PORT are both 8088: the webhook needs a "
            "port of its own",
        ),
    ],
)
def test_an_incomplete_or_inconsistent_webhook_setting(
    tmp_path: Path, telegram: FakeTelegram, settings: dict[str, str], line: str
) -> None:
    result = aiprogress(
        tmp_path,
        "run",
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_API_BASE=telegram.base_url,
        **settings,
    )
    assert_fails_with(result, line, secrets=(TELEGRAM_TOKEN, "spaces"))
    assert telegram.calls == []  # refused before anything was opened


# --- ports -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "names"),
    [
        ("AIPROGRESS_HTTP_PORT", "AIPROGRESS_HTTP_HOST, AIPROGRESS_HTTP_PORT"),
        ("TELEGRAM_WEBHOOK_PORT", "TELEGRAM_WEBHOOK_HOST, TELEGRAM_WEBHOOK_PORT"),
    ],
)
def test_a_port_in_use(tmp_path: Path, telegram: FakeTelegram, setting: str, names: str) -> None:
    upgraded(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = {
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/hook",
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TELEGRAM_WEBHOOK_PORT": str(free_port()),
            "AIPROGRESS_HTTP_PORT": str(free_port()),
            setting: str(port),
        }
        result = aiprogress(
            tmp_path,
            "run",
            TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
            TELEGRAM_API_BASE=telegram.base_url,
            **settings,
        )
    assert_fails_with(
        result,
        f"cannot listen on 127.0.0.1:{port} ({names}): Address already in use",
        secrets=(TELEGRAM_TOKEN, WEBHOOK_SECRET),
    )
    assert "setwebhook" not in {call.method.lower() for call in telegram.calls}


# --- the database's schema -------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_unmigrated_database_names_the_command_that_fixes_it(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
        asyncio.run(_reset_postgres(url))
    for command in (("collect",), ("run", "--once"), ("sources", "list"), ("digest",)):
        result = aiprogress(tmp_path, *command, DATABASE_URL=url, AIPROGRESS_AUTO_MIGRATE="false")
        assert_fails_with(result, "database schema is not up to date: run `aiprogress db upgrade`")
    # And the command it names does fix it.
    upgraded = aiprogress(tmp_path, "db", "upgrade", DATABASE_URL=url)
    assert upgraded.returncode == 0, upgraded.stderr
    again = aiprogress(tmp_path, "collect", DATABASE_URL=url, AIPROGRESS_AUTO_MIGRATE="false")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("command", [("collect",), ("run", "--once"), ("sources", "list")])
def test_a_sqlite_file_in_a_missing_folder(tmp_path: Path, command: tuple[str, ...]) -> None:
    # Through a process of its own: the traceback this once printed came from aiosqlite's worker
    # thread after the event loop had closed, which only a command that exits at once shows.
    url = f"sqlite:///{tmp_path / 'missing' / 'aiprogress.db'}"
    result = aiprogress(tmp_path, *command, DATABASE_URL=url)
    assert_fails_with(
        result,
        f"DATABASE_URL names a SQLite file in {tmp_path / 'missing'}, a folder that does not "
        "exist: create it, or fix the path",
    )


# --- a bot that dies while running -----------------------------------------------------------


def healthz(port: int) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as answer:
        return answer.code, json.loads(answer.read())
    except OSError:
        return 0, {}


def test_a_bot_rejected_while_running_is_down_and_restarted_with_backoff(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    # Telegram knows the token at start (getMe), then rejects its polls three times (the token
    # revoked, then a new one issued... for the same string: the fake's scripted failures).
    telegram.fail("getUpdates", status=401, times=3)
    port = free_port()
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "aiprogress", "run"],
        cwd=tmp_path,
        env=environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
            TELEGRAM_API_BASE=telegram.base_url,
            AIPROGRESS_HTTP_PORT=str(port),
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    seen: list[tuple[int, dict[str, object]]] = []
    try:
        deadline = time.monotonic() + 60
        while not (
            seen
            and seen[-1][0] == 200
            and any(code == 503 for code, _ in seen)
            and len(telegram.calls_of("getUpdates")) >= 4
        ):
            assert process.poll() is None, f"the process exited: {process.returncode}"
            assert time.monotonic() < deadline, f"no 503 then 200: {seen[-3:]}"
            answer = healthz(port)
            if answer[0]:
                seen.append(answer)
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(15)
        log.seek(0)
        output = log.read()
        log.close()
    down = next(body for code, body in seen if code == 503)
    assert down["status"] == "degraded" and down["database"] == "ok"
    assert down["bots"] == ["telegram"]
    cause = down["bots_down"]["telegram"]  # type: ignore[index]
    assert "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)" in cause
    assert seen[-1][1]["bots_down"] == {}
    # Logged with its cause, restarted after 1, 2, then 4 seconds.
    stops = re.findall(r"telegram bot stopped: (.*); restarting in (\d+) s", output)
    assert [pause for _, pause in stops] == ["1", "2", "4"], output
    assert all("401 Unauthorized" in cause for cause, _ in stops)
    polls = [call.at for call in telegram.calls if call.method.lower() == "getupdates"]
    rejected = [
        call.at for call in telegram.calls if call.method.lower() == "getupdates" and not call.ok
    ]
    assert len(rejected) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(polls)][:3]
    assert [round(gap) for gap in gaps] == [1, 2, 4], gaps
    assert "bot is up again" in output
    assert TELEGRAM_TOKEN not in output and "Traceback" not in output
    # Asked ten times a second above, /healthz left no line per answer in the log.
    assert "GET /healthz" not in output, output
