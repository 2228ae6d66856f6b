"""`aiprogress run` stopped (SIGTERM, as `docker stop` and systemd send it) while it delivers:
it says "stopping" and exits 0 with no traceback, and the next run delivers what was left,
each message once."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiprogress.core.types import (
    DeliveryState,
    Platform,
)
from aiprogress.storage.engine import create_engine
from aiprogress.storage.store import SqlStore
from tests.app.processes import environment, queue_digest
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram

GROUPS = [-100_200 - n for n in range(8)]


async def delivery_states(url: str) -> list[DeliveryState]:
    store = SqlStore(create_engine(url))
    try:
        return [delivery.state for delivery in await store.deliveries.for_digest(1)]
    finally:
        await store.close()


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    # Every answer takes a while, so that a send is in flight when the stop comes.
    server = FakeTelegram(token=TELEGRAM_TOKEN, max_poll_seconds=0.2, latency_seconds=0.4)
    with server.in_thread() as running:
        yield running


def test_a_stop_while_delivering_is_clean_and_the_next_run_delivers_the_rest_once(
    tmp_path: Path, telegram: FakeTelegram
) -> None:
    url = f"sqlite:///{tmp_path / 'run.db'}"
    asyncio.run(queue_digest(url, [(Platform.TELEGRAM, str(group)) for group in GROUPS]))
    settings = {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE": telegram.base_url,
        "AIPROGRESS_DELIVER_EVERY": "0.2",
        "AIPROGRESS_COLLECT_EVERY": "3600",
        "AIPROGRESS_PUBLISH_EVERY": "3600",
    }

    def delivered() -> list[int]:
        return [
            call.params["chat_id"] for call in telegram.sent() if call.params["chat_id"] in GROUPS
        ]

    process = subprocess.Popen(
        [sys.executable, "-m", "aiprogress", "run"],
        cwd=tmp_path,
        env=environment(tmp_path, **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not delivered():  # the first digest is out: the next one's send is under way
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "nothing delivered"
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    output = stdout + stderr
    assert process.returncode == 0, output
    assert "aiprogress.app.runtime: stopping" in output, output
    for sign in ("Traceback", "CancelledError", " ERROR "):
        assert sign not in output, output
    first = delivered()
    assert 1 <= len(first) < len(GROUPS), first  # stopped mid-way
    assert len(set(first)) == len(first), first

    # What was left is due at once: the next run delivers it, without waiting out a lease.
    again = subprocess.run(
        [sys.executable, "-m", "aiprogress", "deliver"],
        cwd=tmp_path,
        env=environment(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert sorted(delivered()) == sorted(GROUPS)  # each group once
    assert asyncio.run(delivery_states(url)) == [DeliveryState.SENT] * len(GROUPS)
