"""/metrics through prometheus-client: what this process's jobs did, and the database's totals.

Imported only where `run` builds its HTTP endpoint, so other commands never load
prometheus-client. Job runs are counted as they end (the runtime reports each one here); the
database's figures are read at scrape time with aggregate queries (sources grouped by tier and
state, deliveries grouped by state, a count of those waiting for a token this process lacks, a
count of items, a sum of LLM tokens), never a table
loaded row by row. Each runtime has its own registry: the process-wide default one would mix
the Python process collectors in and keep metrics across runtimes built in one process.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from aiprogress.core.ports import Clock
from aiprogress.core.types import DeliveryState, Platform, TrustTier
from aiprogress.storage.store import SqlStore

logger = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Job durations run from milliseconds (an idle delivery run) to minutes (a collection of
# thousands of feeds on a slow link).
_JOB_BUCKETS = (0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 180.0, 600.0)

SOURCE_STATES = ("enabled", "failing", "disabled")

# What a job's summary holds that is a level at the end of the run, not a count of what the run
# did: a gauge of its own (read at scrape time), never added to aiprogress_job_counts.
_LEVELS = frozenset({"waiting"})


class RuntimeMetrics:
    def __init__(
        self, store: SqlStore, clock: Clock, *, platforms: Collection[Platform] = ()
    ) -> None:
        """`platforms`: those this process has a sender for (its bots with tokens, or the
        console); the pending deliveries for chats of any other are `waiting`."""
        self._store = store
        self._clock = clock
        self._platforms = frozenset(platforms)
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self._runs = Counter(
            "aiprogress_job_runs",
            "Scheduler job runs in this process, by job and outcome (ok, failed).",
            ["job", "outcome"],
            registry=registry,
        )
        self._seconds = Histogram(
            "aiprogress_job_duration_seconds",
            "How long this process's job runs took, failed ones included.",
            ["job"],
            buckets=_JOB_BUCKETS,
            registry=registry,
        )
        self._done = Counter(
            "aiprogress_job_counts",
            "What this process's job runs did, by job and kind: collect's sources, fetched, "
            "not_modified, failed, new_items, updated_items; publish's digests and queued; "
            "deliver's sent, retried, failed, deactivated, taken_over, notices; prune's "
            "items_pruned; models' models_added.",
            ["job", "kind"],
            registry=registry,
        )
        self._database_up = Gauge(
            "aiprogress_database_up",
            "1 when the last scrape could read the database's figures, else 0.",
            registry=registry,
        )
        self._sources = Gauge(
            "aiprogress_sources",
            "Sources by trust tier and state: enabled (collected, last fetch fine), failing "
            "(enabled, last fetches failed), disabled (paused, or disabled after failures).",
            ["tier", "state"],
            registry=registry,
        )
        self._deliveries = Gauge(
            "aiprogress_deliveries",
            "Outbox rows (one digest to one channel) by state.",
            ["state"],
            registry=registry,
        )
        self._waiting = Gauge(
            "aiprogress_deliveries_waiting",
            "Pending deliveries to active chats of a platform this process has no sender for "
            "(its bot token is not set here): left queued, not tried, until a process with "
            'the token delivers them. Part of aiprogress_deliveries{state="pending"}.',
            registry=registry,
        )
        self._items = Gauge("aiprogress_items", "Items stored.", registry=registry)
        self._tokens = Gauge(
            "aiprogress_llm_tokens_last_day",
            "LLM tokens (prompt and completion) spent in the last 24 hours, by every process.",
            registry=registry,
        )
        # Every label set exists from the start: a series that appears only once it is
        # non-zero breaks rate() and alerts on absence.
        for tier in TrustTier:
            for state in SOURCE_STATES:
                self._sources.labels(tier=tier.value, state=state)
        for delivery_state in DeliveryState:
            self._deliveries.labels(state=delivery_state.value)

    def job_ran(self, job: str, *, ok: bool, seconds: float, counts: dict[str, int]) -> None:
        self._runs.labels(job=job, outcome="ok" if ok else "failed").inc()
        self._seconds.labels(job=job).observe(seconds)
        for name, count in counts.items():
            if name in _LEVELS:
                continue
            self._done.labels(job=job, kind=name).inc(count)

    async def refresh(self) -> None:
        """Reads the database's figures into the gauges; a database that cannot be read
        leaves them as they were and sets aiprogress_database_up to 0."""
        store = self._store
        try:
            tallies = await store.sources.tally()
            deliveries = await store.deliveries.counts()
            waiting = await store.deliveries.waiting(self._platforms)
            items = await store.items.count()
            tokens = await store.llm.tokens_since(self._clock.now() - timedelta(days=1))
        except Exception:  # the scrape still answers, with the process's own figures
            logger.warning("metrics: the database could not be read", exc_info=True)
            self._database_up.set(0)
            return
        by_state = {(tier.value, state): 0 for tier in TrustTier for state in SOURCE_STATES}
        for tally in tallies:
            state = "disabled" if not tally.enabled else "failing" if tally.failing else "enabled"
            by_state[tally.tier.value, state] += tally.count
        for (tier, state), count in by_state.items():
            self._sources.labels(tier=tier, state=state).set(count)
        for delivery_state in DeliveryState:
            self._deliveries.labels(state=delivery_state.value).set(
                deliveries.get(delivery_state, 0)
            )
        self._waiting.set(waiting)
        self._items.set(items)
        self._tokens.set(tokens)
        self._database_up.set(1)

    async def exposition(self) -> bytes:
        await self.refresh()
        return generate_latest(self.registry)
