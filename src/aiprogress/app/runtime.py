"""`aiprogress run`: the bots, the scheduler and a small HTTP endpoint in one event loop.

Jobs (APScheduler 3, AsyncIOScheduler): collection of due sources, queueing each channel's
digest at its scheduled moment, delivery of the outbox, pruning of old item text, and the
knowledge-base refresh. Every job coalesces and never overlaps itself. On PostgreSQL several
processes may run: one leader (a session-level advisory lock, taken over when its holder's
connection dies) runs the jobs that must run once; every process delivers, claiming rows with
SKIP LOCKED. SQLite is the single-process default, where the one process leads.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from aiprogress.app.bots import Bots, channel_desk
from aiprogress.app.english import counted
from aiprogress.app.models_data import ensure_models
from aiprogress.app.startup_checks import listen_error
from aiprogress.app.supervision import BotHealth
from aiprogress.app.wiring import App
from aiprogress.core.channels import next_scheduled_moment
from aiprogress.core.types import CollectReport, Platform
from aiprogress.storage.engine import Database, DatabaseConnection

if TYPE_CHECKING:
    from aiprogress.app.metrics import RuntimeMetrics

logger = logging.getLogger(__name__)

# The advisory lock every aiprogress process on one database competes for.
# Seconds a stop waits for the jobs under way (a send to finish, a fetch) before it cuts them
# off: well inside `docker stop`'s 10 s before it kills.
STOP_GRACE_SECONDS = 5.0
LEADER_LOCK_KEY = 0x41495052  # "AIPR"


class Leadership:
    """Who runs the once-only jobs. On PostgreSQL: whoever holds the advisory lock, on a
    connection kept open for it (PostgreSQL frees the lock the moment that session ends, so a
    killed leader is replaced at the next try). Elsewhere: this process."""

    def __init__(self, engine: Database) -> None:
        self._engine = engine
        self._connection: DatabaseConnection | None = None
        self.is_leader = engine.dialect.name != "postgresql"

    async def try_lead(self) -> bool:
        if self._engine.dialect.name != "postgresql":
            return True
        try:
            if self._connection is None:
                self._connection = await self._engine.connect()
            if self.is_leader:
                await self._connection.execute(sa.text("SELECT 1"))  # still holding it?
                return True
            result = await self._connection.execute(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK_KEY}
            )
            self.is_leader = bool(result.scalar())
            await self._connection.commit()
            if self.is_leader:
                logger.info("this process leads the scheduler")
        except Exception:  # the connection died: so did the lock
            logger.warning("leader connection lost", exc_info=True)
            self.is_leader = False
            await self.release()
        return self.is_leader

    async def release(self) -> None:
        if self._connection is not None:
            with suppress(Exception):
                await self._connection.close()
        self._connection = None
        if self._engine.dialect.name == "postgresql":
            self.is_leader = False


# At most this many failing sources are named in the collect job's log line; the rest are counted.
_FAILING_NAMED = 10


@dataclass(frozen=True, slots=True)
class JobSummary:
    """What one job run did, for its log line: counts in the order they are told, and the
    sources that failed (collect), each as "#id error"."""

    counts: dict[str, int]
    failing: tuple[str, ...] = ()

    def text(self) -> str:
        parts = [_count_text(name, count) for name, count in self.counts.items()]
        if self.failing:
            named = "; ".join(self.failing[:_FAILING_NAMED])
            more = len(self.failing) - _FAILING_NAMED
            parts.append(f"failing: {named}" + (f" and {more} more" if more > 0 else ""))
        return ", ".join(parts)


# Counts whose words are nouns, said in the singular for one ("1 source", not "1 sources");
# the rest ("fetched", "failed", "sent") read the same after any number.
_COUNT_NOUNS: dict[str, tuple[str, str]] = {
    "sources": ("source", "sources"),
    "new_items": ("new item", "new items"),
    "updated_items": ("updated item", "updated items"),
    "digests": ("digest", "digests"),
    "queued": ("delivery queued", "deliveries queued"),
    "notices": ("notice", "notices"),
    "items_pruned": ("item pruned", "items pruned"),
    "models_added": ("model added", "models added"),
    "waiting": ("waiting for a bot token", "waiting for a bot token"),
}


def _count_text(name: str, count: int) -> str:
    words = name.replace("_", " ")
    return counted(count, *_COUNT_NOUNS.get(name, (words, words)))


def _moment(moment: datetime, timezone: str, now: datetime) -> str:
    """ "01:40 UTC" within a day of `now`, else with its date: "2025-03-01 09:00 Europe/Moscow"."""
    local = moment.astimezone(ZoneInfo(timezone))
    shape = "%H:%M" if moment - now < timedelta(days=1) else "%Y-%m-%d %H:%M"
    return f"{local.strftime(shape)} {timezone}"


def collect_summary(report: CollectReport) -> JobSummary:
    return JobSummary(
        counts={
            "sources": len(report.results),
            "fetched": report.fetched,
            "not_modified": report.not_modified,
            "failed": len(report.errors),
            "new_items": report.new_items,
            "updated_items": report.updated_items,
        },
        failing=tuple(f"#{r.source_id} {r.error}" for r in report.errors),
    )


@dataclass(frozen=True, slots=True)
class RuntimeSettings:
    collect_every: float = 60.0
    publish_every: float = 60.0
    deliver_every: float = 30.0
    leader_every: float = 5.0
    keep_item_text: timedelta = timedelta(days=90)


class Runtime:
    def __init__(self, app: App, bots: Bots, settings: RuntimeSettings) -> None:
        self.app = app
        self.bots = bots
        self.settings = settings
        self.leadership = Leadership(app.store.engine)
        # Built with the HTTP endpoint, which serves it on /metrics.
        self.metrics: RuntimeMetrics | None = None
        self.bot_health = BotHealth()
        self.scheduler = AsyncIOScheduler(
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        # The job runs under way, for `stop` to wait for (the scheduler's own shutdown only
        # cancels them, and a cancelled run would log its CancelledError as a failure).
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping = False

    # --- jobs ---------------------------------------------------------------------------------

    async def _job(self, name: str, work: Callable[[], Awaitable[Any]], *, leader: bool) -> None:
        if leader and not self.leadership.is_leader:
            return
        started = time.perf_counter()
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._run(name, work)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # Cut off by the stop after its grace, not failed. What it held is safe: a
            # delivery's rows stay claimed (claimable again after their lease) with their
            # recorded parts, and the next run resumes them.
            logger.info("job %s: cut off by the stop", name, extra={"job": name})
        except Exception:  # a failed run is logged and counted; the next one tries again
            seconds = time.perf_counter() - started
            logger.exception(
                "job %s failed after %.3f s",
                name,
                seconds,
                extra={"job": name, "duration_ms": round(seconds * 1000)},
            )
            if self.metrics is not None:
                self.metrics.job_ran(name, ok=False, seconds=seconds, counts={})
        finally:
            if task is not None:
                self._running.discard(task)

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """No job starts any more; the runs under way get `grace` seconds to finish (a
        delivery finishes the sends it began and puts its other rows back in the queue), then
        are cut off. Returns when none is left running, so that nothing still uses the bots
        or the database when they close."""
        self._stopping = True
        self.bots.outbox.stop()
        if self.scheduler.running:
            self.scheduler.pause()
        running = set(self._running)
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def _run(self, name: str, work: Callable[[], Awaitable[Any]]) -> Any:
        """Runs one job, logs one line with what it did and how long it took, and returns
        what the job returned. A job that returns no summary (the leader's heartbeat, every
        few seconds) is not logged."""
        started = time.perf_counter()
        summary = await work()
        seconds = time.perf_counter() - started
        counts = summary.counts if isinstance(summary, JobSummary) else {}
        if self.metrics is not None:
            self.metrics.job_ran(name, ok=True, seconds=seconds, counts=counts)
        if not isinstance(summary, JobSummary):
            return summary
        level = logging.WARNING if summary.failing else logging.INFO
        if summary.failing and len(summary.failing) == summary.counts.get("sources"):
            # Nothing could be fetched (the network, say): an error, for an alert to catch.
            level = logging.ERROR
        logger.log(
            level,
            "job %s: %s in %.3f s",
            name,
            summary.text(),
            seconds,
            extra={
                "job": name,
                "duration_ms": round(seconds * 1000),
                "counts": summary.counts,
                "failing": list(summary.failing),
            },
        )
        return summary

    async def collect(self) -> JobSummary:
        return collect_summary(await self.app.service.collect(due_only=True))

    async def publish(self) -> JobSummary:
        report = await channel_desk(self.app).publish_due(self.app.clock.now())
        return JobSummary({"digests": report.digests, "queued": report.queued})

    async def deliver(self) -> JobSummary:
        report = await self.bots.outbox.deliver_pending()
        notices = 0
        if self.leadership.is_leader:
            for platform, owners in (
                (Platform.TELEGRAM, self.app.settings.telegram.owners),
                (Platform.DISCORD, self.app.settings.discord.owners),
            ):
                notices += await self.bots.outbox.deliver_notices(platform, sorted(owners))
        return JobSummary(
            {
                "sent": report.sent,
                "retried": report.retried,
                "failed": report.failed,
                "deactivated": report.deactivated,
                "taken_over": report.taken_over,
                "notices": notices,
                # Queued for chats of a platform whose token this process lacks: not tried.
                "waiting": report.waiting,
            }
        )

    async def prune(self) -> JobSummary:
        before = self.app.clock.now() - self.settings.keep_item_text
        return JobSummary({"items_pruned": await self.app.store.items.prune(before)})

    async def refresh_models(self) -> JobSummary:
        models = self.app.service.models
        before = len(await models.index())
        await ensure_models(models)
        return JobSummary({"models_added": len(await models.index()) - before})

    async def lead(self) -> None:
        await self.leadership.try_lead()

    async def once(self) -> JobSummary:
        """One full cycle: collect, queue what is due, deliver; then return the collection's
        summary (for `run --once` to say how many sources failed). Each step logs its line; a
        step that raises ends the cycle with its error. When no source was due and no digest
        either, it says when the next of each is, so that a run that did nothing is not taken
        for a broken one."""
        await self.leadership.try_lead()
        collected: JobSummary = await self._run("collect", self.collect)
        published = await self._run("publish", self.publish)
        await self._run("deliver", self.deliver)
        if collected.counts["sources"] == 0 and published.counts["digests"] == 0:
            logger.info("nothing due: %s", await self.next_due())
        return collected

    async def next_due(self) -> str:
        """When the next collection (the enabled source checked soonest) and the next digest
        (the subscribed chat whose moment comes first) are, in words for a log line."""
        now = self.app.clock.now()
        sources = [
            source
            for source in await self.app.store.sources.list(enabled_only=True)
            if source.next_check_at is not None
        ]
        if sources:
            source = min(sources, key=lambda s: (s.next_check_at or now, s.id))
            when = _moment(source.next_check_at or now, "UTC", now)
            collection = f"next collection at {when} (source #{source.id})"
        else:
            collection = "no source is enabled"
        channels = [
            channel
            for channel in await self.app.store.channels.list(active_only=True)
            if channel.period is not None
        ]
        if channels:
            moments = [(next_scheduled_moment(c, now), c.id, c) for c in channels]
            moment, _, channel = min(moments, key=lambda m: (m[0], m[1]))
            chat = channel.title or channel.address
            when = _moment(moment, channel.timezone, now)
            digest = f"next digest at {when} ({channel.platform.value} chat {chat})"
        else:
            digest = "no chat is subscribed to a digest"
        return f"{collection}, {digest}"

    def schedule(self) -> None:
        s = self.settings
        # (name, work, seconds between runs, leader only, first run at once)
        jobs: list[tuple[str, Callable[[], Awaitable[Any]], float, bool, bool]] = [
            ("leader", self.lead, s.leader_every, False, True),
            ("collect", self.collect, s.collect_every, True, True),
            ("publish", self.publish, s.publish_every, True, True),
            ("deliver", self.deliver, s.deliver_every, False, True),
            ("prune", self.prune, 24 * 3600.0, True, False),
            ("models", self.refresh_models, 24 * 3600.0, True, False),
        ]
        for name, work, every, leader, at_once in jobs:
            # Without `next_run_time` the first run is one interval away. (None would add the
            # job paused: it would never run.)
            first = {"next_run_time": datetime.now(UTC) + timedelta(seconds=1)} if at_once else {}
            self.scheduler.add_job(
                self._job,
                "interval",
                seconds=every,
                args=(name, work),
                kwargs={"leader": leader},
                id=name,
                # APScheduler names a job after its function (every one `Runtime._job`).
                name=name,
                **first,
            )

    # --- HTTP ---------------------------------------------------------------------------------

    async def healthz(self, request: web.Request) -> web.Response:
        try:
            async with self.app.store.engine.connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
            database = "ok"
        except Exception:  # the answer says so; a probe must not crash the endpoint
            database = "unreachable"
        bots_down = self.bot_health.down()
        healthy = database == "ok" and not bots_down
        body = {
            "status": "ok" if healthy else "degraded",
            "database": database,
            "leader": self.leadership.is_leader,
            "bots": sorted(platform.value for platform in self.bots.outbox.platforms),
            # Each configured bot that is down, with why: a bot that cannot run is not healthy.
            "bots_down": bots_down,
        }
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics_text(self, request: web.Request) -> web.Response:
        from aiprogress.app.metrics import CONTENT_TYPE

        if self.metrics is None:  # not built: the endpoint is off
            raise web.HTTPNotFound()
        return web.Response(
            body=await self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE}
        )

    async def start_http(self, host: str, port: int) -> web.AppRunner:
        # prometheus-client is loaded here, with the endpoint, not by every command.
        from aiprogress.app.metrics import RuntimeMetrics

        self.metrics = RuntimeMetrics(
            self.app.store, self.app.clock, platforms=self.bots.outbox.platforms
        )
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_text)
        # No access log: Docker's HEALTHCHECK, a load balancer and Prometheus ask every few
        # seconds, and a line per answer would bury the job lines (a bot that goes down is
        # logged when it happens, not when /healthz is asked).
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            await runner.cleanup()
            raise listen_error(
                "AIPROGRESS_HTTP_HOST, AIPROGRESS_HTTP_PORT", host, port, error
            ) from None
        return runner


# glibc's mallopt parameter, and the size from which a block gets its own mapping (its default).
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 128 * 1024


def return_freed_memory() -> bool:
    """Make freed large blocks go back to the system (glibc; elsewhere nothing is done).

    glibc serves a block over 128 KB from its own mapping, but raises that threshold (up to
    32 MB) after the first such block is freed, and keeps later ones in its heaps, where they
    stay resident. A long-running service frees many: a chart's 8 MB image, a large HTTP body.
    Measured with 20 charts drawn in worker threads: +38 MB kept with the moving threshold, +7
    MB with it fixed (setting it fixes it). Returns whether it was set."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


async def serve(app: App, bots: Bots, *, once: bool = False) -> JobSummary | None:
    """`aiprogress run`: everything in one event loop until SIGTERM/SIGINT (with `once`, one
    cycle, and the summary of its collection is returned; else None). On the way out the
    scheduler stops taking new runs, the runs under way get a few seconds to finish (a delivery
    finishes its sends under way and puts back the rest), then the bots stop; a delivery cut
    short all the same leaves its row `sending` with the parts already recorded, for the next
    claim to finish after its lease."""
    from aiprogress.app.bots import running_bots

    return_freed_memory()
    run = app.settings.run
    runtime = Runtime(
        app,
        bots,
        RuntimeSettings(
            collect_every=run.collect_every,
            publish_every=run.publish_every,
            deliver_every=app.settings.telegram.deliver_every,
            leader_every=run.leader_every,
            keep_item_text=timedelta(days=run.keep_days),
        ),
    )
    if once:
        try:
            return await runtime.once()
        finally:
            await runtime.leadership.release()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        with suppress(NotImplementedError):
            loop.add_signal_handler(signal_number, stop.set)
    # Ports first: one in use stops `run` before anything else has started.
    http = await runtime.start_http(run.http_host, run.http_port) if run.http_port else None
    try:
        async with running_bots(app, bots, runtime.bot_health):
            await runtime.leadership.try_lead()
            runtime.schedule()
            runtime.scheduler.start()
            try:
                await stop.wait()
                logger.info("stopping")
            finally:
                await runtime.stop()
    finally:
        if http is not None:
            await http.cleanup()
        await runtime.leadership.release()
    return None
