"""`aiprogress run` as deployed: scheduling with a fake clock, and real processes on the real
PostgreSQL sharing one outbox to the fake Telegram server (exactly once; SIGKILL mid-run loses
nothing and doubles at most one message per kill; the leader fails over; /healthz, /metrics)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aiprogress.core.channels import scheduled_moment
from aiprogress.core.clock import FixedClock
from aiprogress.core.types import (
    Channel,
    ChatKind,
    DailyAt,
    DeliveryState,
    Language,
    Period,
    Platform,
)
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.engine import create_engine
from aiprogress.storage.store import SqlStore
from tests.app.processes import free_port, queue_digest
from tests.builders import make_desk, make_service
from tests.conftest import _reset_postgres
from tests.servers.telegram import TOKEN, FakeTelegram

# --- scheduling --------------------------------------------------------------------------------


def test_scheduled_moments_follow_the_channels_time_zone_and_weekday() -> None:
    daily = Channel(1, Platform.TELEGRAM, "1", Language.RU, period=Period.DAY, send_at=DailyAt(9, 0),
                    timezone="Europe/Moscow")  # fmt: skip
    now = datetime(2026, 11, 25, 5, 30, tzinfo=UTC)  # 08:30 in Moscow: today's is not due yet
    assert scheduled_moment(daily, now) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert scheduled_moment(daily, now + timedelta(hours=1)) == datetime(
        2026, 11, 25, 6, 0, tzinfo=UTC
    )
    weekly = Channel(2, Platform.TELEGRAM, "2", Language.EN, period=Period.WEEK,
                     send_at=DailyAt(18, 0))  # fmt: skip
    # Wednesday 25 November: the last Monday 18:00 UTC was the 23rd.
    assert scheduled_moment(weekly, now) == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


async def test_a_missed_run_after_downtime_runs_once(store: SqlStore) -> None:
    clock = FixedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    async with HttpFetcher(allow_private=True) as fetcher:
        service = make_service(store, clock, fetcher)
        desk = make_desk(store, service, clock)
        channel = await desk.chat(Platform.TELEGRAM, "-1001", kind=ChatKind.GROUP)
        await desk.subscribe(channel, period=Period.DAY, send_at="09:00")
        # Subscribed at 10:00: the first digest waits for tomorrow's 09:00.
        assert (await desk.publish_due(clock.now())).queued == 0
        # The process was down for five days; on its return the channel gets one digest.
        clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
        assert (await desk.publish_due(clock.now())).queued == 1
        assert (await desk.publish_due(clock.now())).queued == 0
        clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
        assert (await desk.publish_due(clock.now())).queued == 1


# --- processes on PostgreSQL -------------------------------------------------------------------

CHATS = 1000


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    asyncio.run(_reset_postgres(postgres_url))
    yield postgres_url


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(max_poll_seconds=0.2).in_thread() as server:
        yield server


async def _states(url: str, digest_id: int) -> Counter[DeliveryState]:
    store = SqlStore(create_engine(url))
    try:
        return Counter(d.state for d in await store.deliveries.for_digest(digest_id))
    finally:
        await store.close()


class Process:
    def __init__(self, url: str, telegram: FakeTelegram, tmp: Path, name: str) -> None:
        self.port = free_port()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("AIPROGRESS_", "DATABASE_", "TELEGRAM_", "DISCORD_", "OPENAI_", "LLM_")
            )
        }
        env.update(
            DATABASE_URL=url,
            AIPROGRESS_AUTO_MIGRATE="false",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=telegram.base_url,
            AIPROGRESS_HTTP_PORT=str(self.port),
            AIPROGRESS_DELIVER_EVERY="0.2",
            AIPROGRESS_TELEGRAM_RATE="400",
            AIPROGRESS_COLLECT_EVERY="3600",
            AIPROGRESS_PUBLISH_EVERY="3600",
            AIPROGRESS_LEADER_EVERY="0.3",
            AIPROGRESS_DELIVERY_LEASE="2",
            AIPROGRESS_LOG_JSON="true",
        )
        self.log = (tmp / f"{name}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiprogress", "run"],
            cwd=tmp,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as answer:
                return answer.status, answer.read().decode()
        except OSError:
            return 0, ""

    def health(self) -> dict[str, object]:
        status, body = self.get("/healthz")
        return json.loads(body) if status == 200 else {}

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.health():
            assert self.process.poll() is None, f"the process exited: {self.process.returncode}"
            assert time.monotonic() < deadline, "the process did not come up"
            time.sleep(0.2)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@contextmanager
def two_processes(pg_url: str, telegram: FakeTelegram, tmp: Path) -> Iterator[list[Process]]:
    """Processes "first" and "second" up, one of them (whichever) the leader; every process in
    the list, those the test adds too, is stopped at the end."""
    processes = [Process(pg_url, telegram, tmp, "first"), Process(pg_url, telegram, tmp, "second")]
    try:
        for process in processes:
            process.wait_ready()
        _wait(lambda: sum(bool(p.health().get("leader")) for p in processes) == 1, 10, "no leader")
        yield processes
    finally:
        for process in processes:
            process.stop()


def _wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _prepare(url: str, tmp: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    for command in (["db", "upgrade"], ["models", "import"]):
        subprocess.run(
            [sys.executable, "-m", "aiprogress", *command],
            cwd=tmp, env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def test_two_processes_share_one_outbox_and_survive_a_kill(
    pg_url: str, telegram: FakeTelegram, tmp_path: Path
) -> None:
    _prepare(pg_url, tmp_path)
    digest_id = asyncio.run(
        queue_digest(pg_url, [(Platform.TELEGRAM, str(-100_000 - n)) for n in range(CHATS)])
    )
    telegram.latency_seconds = 0.002
    with two_processes(pg_url, telegram, tmp_path) as processes:
        # Kill one while it is delivering, then start it again.
        telegram.wait_until_sent(CHATS // 4, timeout=60)
        processes[0].kill()
        processes.append(Process(pg_url, telegram, tmp_path, "restarted"))
        _wait(lambda: len({c.chat_id for c in telegram.sent()}) >= CHATS, 120, "messages lost")
        _wait(lambda: asyncio.run(_states(pg_url, digest_id)) == Counter({DeliveryState.SENT: CHATS}), 30, "rows not marked sent")  # fmt: skip
    per_chat = Counter(call.chat_id for call in telegram.sent())
    assert set(per_chat) == {-100_000 - n for n in range(CHATS)}  # nothing lost
    doubled = sum(count - 1 for count in per_chat.values())
    assert doubled <= 1, f"{doubled} messages doubled by one kill"
    assert telegram.rejected_429 == 0


def test_the_leader_fails_over_and_the_endpoints_answer(
    pg_url: str, telegram: FakeTelegram, tmp_path: Path
) -> None:
    _prepare(pg_url, tmp_path)
    with two_processes(pg_url, telegram, tmp_path) as processes:
        leader = next(p for p in processes if p.health().get("leader"))
        follower = next(p for p in processes if p is not leader)
        health = follower.health()
        assert health["status"] == "ok" and health["database"] == "ok"
        assert health["bots"] == ["telegram"]
        # The command menus, registered at start: Russian, English and the default one.
        assert {("default", "ru"), ("default", "en"), ("default", "")} <= set(telegram.menus)
        status, metrics = follower.get("/metrics")
        assert status == 200 and "aiprogress_deliveries{state=" in metrics
        assert 'aiprogress_sources{state="enabled",tier="official"}' in metrics
        delivered = 'aiprogress_job_runs_total{job="deliver",outcome="ok"}'
        _wait(lambda: delivered in follower.get("/metrics")[1], 10, "no delivery run counted")
        killed_at = time.monotonic()
        leader.kill()
        _wait(lambda: bool(follower.health().get("leader")), 10, "no failover within 10 s")
        assert time.monotonic() - killed_at < 10
    log = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    assert TOKEN not in log  # structured logs carry no secret
    assert all(json.loads(line) for line in log.splitlines() if line.startswith("{"))


async def test_every_job_is_scheduled_and_none_is_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiprogress.app.bots import open_bots
    from aiprogress.app.runtime import Runtime, RuntimeSettings
    from aiprogress.app.settings import Settings
    from aiprogress.app.wiring import open_app

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    settings = Settings.load(env_file=None)
    async with open_app(settings) as app, open_bots(app, require=False) as bots:
        runtime = Runtime(app, bots, RuntimeSettings())
        runtime.schedule()
        runtime.scheduler.start()
        try:
            jobs = {job.id: job.next_run_time for job in runtime.scheduler.get_jobs()}
            names = {job.id: job.name for job in runtime.scheduler.get_jobs()}
        finally:
            runtime.scheduler.shutdown(wait=False)
    assert set(jobs) == {"leader", "collect", "publish", "deliver", "prune", "models"}
    assert all(when is not None for when in jobs.values()), jobs  # a None job never runs
    assert all(names[job] == job for job in jobs)  # not all `Runtime._job` in the scheduler's log
    assert jobs["prune"] > jobs["collect"]  # daily jobs wait their first day
