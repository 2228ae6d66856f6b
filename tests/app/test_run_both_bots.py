"""`aiprogress run` as a process with both bots: Telegram's against the fake Bot API, Discord's
against the fake Discord through DISCORD_API_BASE (its REST routes and its gateway). The
service connects to both, answers a command on each (a slash command pushed through the
gateway, a message polled from Telegram), and delivers a queued digest to a channel on each."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aiprogress.core.types import Platform
from tests.app.processes import DIGEST_TITLE, environment, free_port, queue_digest
from tests.servers.discord import CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.servers.discord import TOKEN as DISCORD_TOKEN
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram

TELEGRAM_GROUP = -100_123
DISCORD_CHANNEL = CHANNEL_ID + 5  # the digest's; the commands are answered in CHANNEL_ID
TELEGRAM_USER = 4242


def healthz(port: int) -> dict[str, object]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return dict(json.loads(answer.read()))
    except urllib.error.HTTPError as answer:
        return dict(json.loads(answer.read()))
    except OSError:
        return {}


def wait(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TELEGRAM_TOKEN, max_poll_seconds=0.2).in_thread() as server:
        yield server


@pytest.fixture
def discord_fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=DISCORD_TOKEN).in_thread() as server:
        yield server


def test_run_with_both_bots_answers_on_each_and_delivers_to_each(
    tmp_path: Path, telegram: FakeTelegram, discord_fake: FakeDiscord
) -> None:
    asyncio.run(
        queue_digest(
            f"sqlite:///{tmp_path / 'run.db'}",
            [(Platform.TELEGRAM, str(TELEGRAM_GROUP)), (Platform.DISCORD, str(DISCORD_CHANNEL))],
        )
    )
    port = free_port()
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "aiprogress", "run"],
        cwd=tmp_path,
        env=environment(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
            TELEGRAM_API_BASE=telegram.base_url,
            DISCORD_BOT_TOKEN=DISCORD_TOKEN,
            DISCORD_API_BASE=discord_fake.base_url,
            DISCORD_TEST_GUILD_ID=str(GUILD_ID),
            AIPROGRESS_HTTP_PORT=str(port),
            AIPROGRESS_DELIVER_EVERY="0.2",
            AIPROGRESS_COLLECT_EVERY="3600",
            AIPROGRESS_PUBLISH_EVERY="3600",
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def both_up() -> bool:
            assert process.poll() is None, f"the process exited: {process.returncode}"
            health = healthz(port)
            return health.get("bots") == ["discord", "telegram"] and health.get("bots_down") == {}

        # Discord counts as up once discord.py is ready on the gateway (READY, GUILD_CREATE).
        wait(both_up, 120, f"both bots not up: {healthz(port)}")
        # On a loaded machine a late heartbeat can make discord.py resume its gateway
        # session just as it is checked: connected again within the wait is what counts.
        wait(discord_fake.gateway_connected, 60, "the Discord gateway is not connected")
        assert discord_fake.calls_to("GET /gateway/bot")  # asked, not discord.com's address
        assert {c["name"] for c in discord_fake.app_commands(GUILD_ID)} >= {"help", "compare"}

        pushed = discord_fake.push_interaction("compare", {"a": "gpt-4o", "b": "gpt-4.5"})
        answers = discord_fake.wait_until_answer(pushed, timeout=60)
        shown = json.dumps(answers)
        assert "GPT-4o" in shown and "GPT-4.5" in shown, shown
        help_ = discord_fake.wait_until_answer(discord_fake.push_interaction("help"), 60)
        assert "/compare" in json.dumps(help_)

        telegram.push_message(TELEGRAM_USER, TELEGRAM_USER, "/help")
        wait(lambda: telegram.sent(TELEGRAM_USER), 60, "no answer to /help on Telegram")

        [delivered] = discord_fake.wait_until_messages(1, timeout=60, channel_id=DISCORD_CHANNEL)
        assert DIGEST_TITLE in json.dumps(delivered.body)
        wait(lambda: telegram.sent(TELEGRAM_GROUP), 60, "the digest did not reach Telegram")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.seek(0)
        output = log.read()
        log.close()
        print(output)  # shown when the test fails
    assert process.returncode == 0, output
    assert DISCORD_TOKEN not in output and TELEGRAM_TOKEN not in output
    # Nothing failed, while it ran or as it stopped (a job under way when the stop came
    # finishes or is cut off quietly).
    assert "aiprogress.app.runtime: stopping" in output
    for sign in ("Traceback", "CancelledError", " ERROR "):
        assert sign not in output, output


@pytest.mark.parametrize(
    "value", ["discord.com", "ftp://discord.com", "http://", "https://host:port/api"]
)
def test_a_discord_api_base_that_is_not_an_http_url(tmp_path: Path, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aiprogress", "run"],
        cwd=tmp_path,
        env=environment(tmp_path, DISCORD_BOT_TOKEN=DISCORD_TOKEN, DISCORD_API_BASE=value),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr.splitlines()) == (
        1,
        [
            "error: invalid setting DISCORD_API_BASE: must be an http:// or https:// URL, such as "
            "https://discord.com"
        ],
    ), result.stderr
