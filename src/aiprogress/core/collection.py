"""Collection: every due source fetched, its answer stored, a batch to a transaction.

Beside `hostqueue.py`, which decides which source a worker fetches next; the facade's
`collect()` delegates here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import fields, replace
from datetime import datetime

from aiprogress.core.errors import AppError, ConfigError
from aiprogress.core.hostqueue import HostQueue
from aiprogress.core.policy import FetchPolicy
from aiprogress.core.ports import Clock, Fetcher, Store
from aiprogress.core.types import (
    AdminNotice,
    CollectReport,
    FetchOutcome,
    FetchResult,
    FetchStatus,
    NoticeKind,
    Period,
    Source,
    SourceRunResult,
    StoredFetch,
    value_type,
)

logger = logging.getLogger(__name__)


@value_type
class CollectLimits:
    """How hard one collection works: `concurrency` fetches in flight, at most `per_host` of
    them to one host; `store_batch` feeds with items to a transaction; sources read from the
    database `source_page` at a time. Each is at least 1."""

    concurrency: int = 32
    per_host: int = 4
    store_batch: int = 16
    source_page: int = 500

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) < 1:
                raise ConfigError(f"a collection's {field.name} must be at least 1")


# Most sources a transaction stores when their answers carry no items.
_LIGHT_BATCH = 256
# Longest a batch of answers without items waits for more before it is stored (seconds).
_LINGER = 0.05


Fetched = tuple[Source, FetchResult]


def _has_items(fetched: Fetched | None) -> int:
    return int(fetched is not None and fetched[1].feed is not None and bool(fetched[1].feed.items))


class _Arrivals:
    """Fetched answers on their way to the one storer, which takes them a batch at a time.

    A batch closes at `store_batch` feeds with items; answers without items (304s, errors)
    weigh little and ride along, up to `_LIGHT_BATCH` to a transaction. A batch with items
    goes at once (the storer is then the limit); one of light answers waits up to `_LINGER`
    for more, as a transaction, not a row, is most of what a 304 costs to store. The storer
    is woken once a batch, not once an answer: an all-304 run hands it thousands of them."""

    def __init__(self, store_batch: int) -> None:
        self._store_batch = store_batch
        self._queue: asyncio.Queue[Fetched | None] = asyncio.Queue(maxsize=_LIGHT_BATCH * 2)
        self._queued_with_items = 0
        self._ended = False  # the fetchers are done
        self._taken_end = False  # and the storer has taken all they fetched
        self._batch_ready = asyncio.Event()

    def _batch_waits(self) -> bool:
        return self._ended or self._queued_with_items > 0 or self._queue.qsize() >= _LIGHT_BATCH

    async def put(self, fetched: Fetched) -> None:
        if self._queue.full():
            await self._queue.put(fetched)
        else:
            self._queue.put_nowait(fetched)  # most answers: no coroutine of the queue's
        self._queued_with_items += _has_items(fetched)
        if self._batch_waits():
            self._batch_ready.set()

    async def end(self) -> None:
        await self._queue.put(None)
        self._ended = True
        self._batch_ready.set()

    async def next_batch(self) -> list[Fetched]:
        """The next batch to store; empty once every answer was taken."""
        if self._taken_end:
            return []
        fetched = await self._queue.get()
        if fetched is not None and not _has_items(fetched) and not self._batch_waits():
            self._batch_ready.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(_LINGER):
                    await self._batch_ready.wait()
        batch: list[Fetched] = []
        with_items = 0
        while fetched is not None:
            batch.append(fetched)
            has_items = _has_items(fetched)
            with_items += has_items
            self._queued_with_items -= has_items
            if with_items >= self._store_batch or len(batch) >= _LIGHT_BATCH:
                return batch
            if self._queue.empty():
                return batch
            fetched = self._queue.get_nowait()
        self._taken_end = True
        return batch


def _internal_error(source: Source, exc: Exception) -> FetchResult:
    """What a source's fetch that raised gives: a fetcher reports a bad source in its result,
    so anything raised is our bug, and it still must not stop the other sources."""
    logger.error("fetching source #%s failed unexpectedly", source.id, exc_info=exc)
    return FetchResult(FetchStatus.ERROR, error=f"internal error: {type(exc).__name__}")


# The longest digest period: an item of the last 30 days is in some digest's window. Computed
# once, not once a source (an all-304 pass of 10,000 sources asked the enum 30,000 times).
_NEWS_WINDOW = max(period.length for period in Period)

# As long as a source's name may be (the column's width).
_MAX_NAME_LENGTH = 300


def source_name(text: str) -> str:
    """A name as a source keeps it: whitespace runs as one space, at most the column's width."""
    return " ".join(text.split())[:_MAX_NAME_LENGTH]


def _followed_title(source: Source, result: FetchResult) -> str | None:
    """The feed's title, when the source's name follows it and it differs from the name."""
    if source.name_from_user or result.status is not FetchStatus.OK or result.feed is None:
        return None
    title = source_name(result.feed.title)
    return title if title and title != source.name else None


class Collector:
    def __init__(
        self,
        *,
        store: Store,
        fetcher: Fetcher,
        clock: Clock,
        policy: FetchPolicy,
        limits: CollectLimits,
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._clock = clock
        self._policy = policy
        self._limits = limits

    async def collect(
        self,
        *,
        due_only: bool = False,
        on_start: Callable[[int], None] | None = None,
        on_result: Callable[[SourceRunResult], None] | None = None,
    ) -> CollectReport:
        """Fetch every enabled source (with `due_only`, those whose next check has come, as the
        scheduler does); one source's failure never stops the others. `on_start` hears how many
        sources will be fetched and `on_result` each one's outcome as it lands (a progress bar).

        Fetchers (as many as the concurrency allows) hand parsed feeds to one storer, which
        writes whatever has arrived in one transaction: a transaction per feed would make the
        database, not the network, the limit. Sources are read a page at a time and a semaphore
        bounds the feeds held in memory, so memory does not grow with the number of sources.
        No host has more than `per_host` fetches in flight; workers that would wait for a busy
        host fetch other hosts' sources instead (`HostQueue`)."""
        limits = self._limits
        due_at = self._clock.now() if due_only else None
        if on_start is not None:
            on_start(await self._store.sources.count(enabled_only=True, due_at=due_at))
        arrivals = _Arrivals(limits.store_batch)
        results: list[SourceRunResult] = []

        async def read_page(after_id: int) -> Sequence[Source]:
            return await self._store.sources.list(
                enabled_only=True, due_at=due_at, after_id=after_id, limit=limits.source_page
            )

        sources = HostQueue(read_page, page_size=limits.source_page, per_host=limits.per_host)

        # Feeds fetched but not yet stored, items and all: the bound on the collector's memory.
        # A fetch takes a slot; an answer without items gives it back at once, a feed with
        # items once it is stored.
        unstored = asyncio.Semaphore(limits.store_batch * 2)

        fetch = self._fetcher.fetch

        async def fetch_all() -> None:
            # Workers share one queue of sources: each source is taken once.
            source = await sources.take()
            while source is not None:
                await unstored.acquire()
                # Awaited here, not in a coroutine of its own: each of a request's suspensions
                # resumes every coroutine awaiting it.
                try:
                    result = await fetch(source)
                except Exception as exc:
                    result = _internal_error(source, exc)
                outcome = (source, result)
                # Before the wait on the storer: a slot freed here can serve another worker.
                following = sources.done(source)
                if not _has_items(outcome):
                    unstored.release()
                await arrivals.put(outcome)
                source = following if following is not None else await sources.take()

        async def store_all() -> None:
            while batch := await arrivals.next_batch():
                stored = await self._store_batch_of(batch)
                for _ in range(sum(map(_has_items, batch))):
                    unstored.release()
                for run in stored:
                    results.append(run)
                    if on_result is not None:
                        on_result(run)

        async with asyncio.TaskGroup() as group:
            storer = group.create_task(store_all())
            async with asyncio.TaskGroup() as fetchers:
                for _ in range(limits.concurrency):
                    fetchers.create_task(fetch_all())
            await arrivals.end()
            await storer
        # In source order, as `sources list` shows them.
        return CollectReport(tuple(sorted(results, key=lambda run: run.source_id)))

    async def _store_batch_of(self, batch: Sequence[Fetched]) -> list[SourceRunResult]:
        now = self._clock.now()
        outcomes = [self._outcome(source, result, now) for source, result in batch]
        try:
            stored = await self._store.fetches.record(outcomes)
        except AppError:
            # The batch is all or nothing; store its sources one by one, so that what one of
            # them holds cannot lose the others' items.
            return [await self.store_one(source, result, now) for source, result in batch]
        return [
            self._run_result(source, outcome, counts)
            for (source, _), outcome, counts in zip(batch, outcomes, stored, strict=True)
        ]

    async def store_one(
        self, source: Source, result: FetchResult, now: datetime
    ) -> SourceRunResult:
        """Stores one source's answer in its own transaction; items that cannot be stored turn
        the answer into the source's error."""
        outcome = self._outcome(source, result, now)
        try:
            (counts,) = await self._store.fetches.record([outcome])
        except AppError as exc:
            failed = replace(result, status=FetchStatus.ERROR, feed=None)
            failed = replace(failed, error=f"could not store items: {exc}")
            outcome = self._outcome(source, failed, now)
            (counts,) = await self._store.fetches.record([outcome])
        return self._run_result(source, outcome, counts)

    def _outcome(self, source: Source, result: FetchResult, now: datetime) -> FetchOutcome:
        # The first successful fetch of a source is its baseline: what the feed already holds
        # is stored (so it is never news later) but not offered to digests, unless the source
        # was added with backfill. Items published inside the longest digest period are news
        # all the same: a new user's first digest is not empty.
        first = source.baseline_at is None
        check = self._policy.after_fetch(source, result, now)
        if first and result.status is not FetchStatus.ERROR:
            check = replace(check, baseline_at=now)
        notice = None
        if check.disabled_reason is not None:
            notice = AdminNotice(
                kind=NoticeKind.SOURCE_DISABLED,
                text=f"source #{source.id} ({source.label}) {check.disabled_reason}",
                created_at=now,
                source_id=source.id,
                subject=source.label,
                detail=check.disabled_reason,
            )
        items = result.feed.items if result.status is FetchStatus.OK and result.feed else ()
        return FetchOutcome(
            source_id=source.id,
            result=result,
            check=check,
            fetched_at=now,
            items=items,
            baseline=first and not source.backfill,
            news_since=now - _NEWS_WINDOW,
            notice=notice,
            rename_to=_followed_title(source, result),
        )

    @staticmethod
    def _run_result(source: Source, outcome: FetchOutcome, counts: StoredFetch) -> SourceRunResult:
        return SourceRunResult(
            source_id=source.id,
            source_label=source.label,
            status=outcome.result.status,
            new_items=counts.new_items,
            seen_items=len(outcome.items),
            error=outcome.result.error,
            disabled=outcome.notice is not None,
            updated_items=counts.updated_items,
        )
