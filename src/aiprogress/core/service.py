"""The service facade: the one entry point the CLI, the scheduler and both bots call."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime

from aiprogress.core.errors import (
    AppError,
    ConfigError,
    DuplicateSource,
    InvalidInput,
    SourceRefused,
    UserError,
)
from aiprogress.core.hostqueue import HostQueue
from aiprogress.core.policy import FetchPolicy
from aiprogress.core.ports import Clock, DigestComposer, Fetcher, SourceProber, Store, Writer
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.types import (
    MIN_INTERVAL_SECONDS,
    AdminNotice,
    CollectReport,
    Digest,
    DigestDraft,
    FetchOutcome,
    FetchResult,
    FetchStatus,
    Item,
    ItemFilter,
    Language,
    NewSource,
    NoticeKind,
    Onboarding,
    Period,
    ProbeKind,
    Source,
    SourceAddResult,
    SourceChange,
    SourceRunResult,
    StoredFetch,
    TrustTier,
)
from aiprogress.core.urls import normalise_source_url

logger = logging.getLogger(__name__)

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
        await self._queue.put(fetched)
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


# As long as a source's name may be (the column's width).
_MAX_NAME_LENGTH = 300


def _name(text: str) -> str:
    return " ".join(text.split())[:_MAX_NAME_LENGTH]


def _followed_title(source: Source, result: FetchResult) -> str | None:
    """The feed's title, when the source's name follows it and it differs from the name."""
    if source.name_from_user or result.status is not FetchStatus.OK or result.feed is None:
        return None
    title = _name(result.feed.title)
    return title if title and title != source.name else None


@dataclass(frozen=True, slots=True)
class DigestLimits:
    max_items: int = 20  # stories in a digest
    per_source: int = 5
    candidates: int = 200


def _filter_spec(item_filter: ItemFilter | None) -> str:
    """A filter set as canonical JSON ("" for none): the key digests are stored under."""
    if item_filter is None or item_filter.empty:
        return ""
    return json.dumps(
        {field.name: sorted(getattr(item_filter, field.name)) for field in fields(item_filter)},
        sort_keys=True,
        ensure_ascii=False,
    )


class AiProgress:
    def __init__(
        self,
        *,
        store: Store,
        fetcher: Fetcher,
        writer: Writer,
        clock: Clock,
        allow_private_urls: bool = False,
        collect_concurrency: int = 32,
        per_host: int = 4,
        store_batch: int = 16,
        source_page: int = 500,
        models: ModelRegistry,
        digest_limits: DigestLimits = DigestLimits(),
        fetch_policy: FetchPolicy | None = None,
        filter_compiler: Callable[[ItemFilter], Callable[[Item], bool]] | None = None,
        composer: DigestComposer,
        prober: SourceProber | None = None,
    ) -> None:
        """`prober` fetches a URL before it is added (`onboard_source`); without one, sources
        can only be added unchecked."""
        self._prober = prober
        self._composer = composer
        self._filter_compiler = filter_compiler
        self._policy = fetch_policy or FetchPolicy()
        self.models = models
        self._store = store
        self._fetcher = fetcher
        self._writer = writer
        self._clock = clock
        self._allow_private_urls = allow_private_urls
        self._collect_concurrency = max(1, collect_concurrency)
        self._per_host = max(1, per_host)
        self._store_batch = max(1, store_batch)
        self._source_page = max(1, source_page)
        self._digest_limits = digest_limits

    # --- sources -----------------------------------------------------------------------------

    async def add_source(
        self,
        url: str,
        *,
        name: str = "",
        trust_tier: TrustTier = TrustTier.COMMUNITY,
        backfill: bool = False,
        interval_seconds: int = 3600,
        name_from_feed: bool = False,
    ) -> Source:
        """Add a feed without fetching it (the bulk paths' way: a catalogue, an OPML file).
        Its first fetch sets a baseline (nothing old is posted) unless `backfill` asks for
        what the feed holds now to count as news. Without a name, or with `name_from_feed`,
        the name follows the feed's title."""
        canonical = normalise_source_url(url, allow_private=self._allow_private_urls)
        await self._refuse_duplicate(canonical)
        return await self._store.sources.add(
            NewSource(
                url=canonical,
                name=_name(name),
                trust_tier=trust_tier,
                backfill=backfill,
                interval_seconds=interval_seconds,
                name_from_feed=name_from_feed,
            ),
            self._clock.now(),
        )

    async def onboard_source(
        self,
        url: str,
        *,
        name: str = "",
        trust_tier: TrustTier = TrustTier.COMMUNITY,
        backfill: bool = False,
        interval_seconds: int = 3600,
    ) -> Onboarding:
        """Add a source the way a person does, by a URL checked first: the URL is fetched once.
        A feed is added, named after its title unless `name` is given. A web page is searched
        for the feeds it links: one is fetched and added; several are returned for the user
        to pick from, and nothing is added. Anything else (an HTTP error, a closed port, a
        document that is not a feed, a page without feed links) raises `SourceRefused` with
        the reason, and nothing is added. The fetch is the source's first: its items and
        validators are stored, so the next collection asks conditionally."""
        if self._prober is None:
            raise ConfigError("adding a checked source needs a prober (the HTTP fetcher)")
        if interval_seconds < MIN_INTERVAL_SECONDS:
            raise InvalidInput(
                f"an interval is at least {MIN_INTERVAL_SECONDS} seconds",
                reason="interval",
                values={"minimum": MIN_INTERVAL_SECONDS},
            )
        given = normalise_source_url(url, allow_private=self._allow_private_urls)
        await self._refuse_duplicate(given)
        probe = await self._prober.probe(given)
        feed_url, found_on = given, None
        if probe.kind is ProbeKind.PAGE:
            if not probe.feed_links:
                raise SourceRefused(
                    f"{given} is a web page that links no feed; give the feed's own URL",
                    reason="no_feeds",
                    values={"url": given},
                )
            if len(probe.feed_links) > 1:
                return Onboarding(url=given, candidates=probe.feed_links)
            found_on = given
            feed_url = normalise_source_url(
                probe.feed_links[0].url, allow_private=self._allow_private_urls
            )
            await self._refuse_duplicate(feed_url)
            probe = await self._prober.probe(feed_url)
            if probe.kind is not ProbeKind.FEED:
                detail = probe.error or "it is a web page, not a feed"
                raise SourceRefused(
                    f"{given} links the feed {feed_url}, but it cannot be added: {detail}",
                    reason="linked_feed",
                    values={"url": given, "feed": feed_url, "detail": detail},
                )
        elif probe.kind is ProbeKind.FAILED:
            raise SourceRefused(
                f"cannot fetch {given}: {probe.error}",
                reason="unreachable",
                values={"url": given, "detail": probe.error},
            )
        elif probe.kind is ProbeKind.NOT_FEED:
            raise SourceRefused(
                f"{given} is not a feed (RSS, Atom or JSON Feed) nor a web page: {probe.error}",
                reason="not_feed",
                values={"url": given, "detail": probe.error},
            )
        fetched = probe.fetched
        if fetched is None or fetched.feed is None:
            raise AppError(f"the prober called {feed_url} a feed but returned none")
        chosen = _name(name)
        now = self._clock.now()
        source = await self._store.sources.add(
            NewSource(
                url=feed_url,
                name=chosen or _name(fetched.feed.title),
                trust_tier=trust_tier,
                backfill=backfill,
                interval_seconds=interval_seconds,
                name_from_feed=not chosen,
            ),
            now,
        )
        run = await self._store_one(source, fetched, now)
        return Onboarding(
            url=given,
            source=await self._store.sources.get(source.id),
            found_on=found_on,
            items=run.new_items,
        )

    async def _refuse_duplicate(self, url: str) -> None:
        existing = await self._store.sources.find_by_url(url)
        if existing is not None:
            raise DuplicateSource(url, existing.id)

    async def add_sources(self, sources: Sequence[NewSource]) -> list[SourceAddResult]:
        """Add many sources; each gets its own result, and a bad one never stops the rest."""
        results: list[SourceAddResult] = []
        for new in sources:
            try:
                added = await self.add_source(
                    new.url,
                    name=new.name,
                    trust_tier=new.trust_tier,
                    backfill=new.backfill,
                    interval_seconds=new.interval_seconds,
                    name_from_feed=new.name_from_feed,
                )
            except UserError as exc:
                results.append(SourceAddResult(url=new.url, error=str(exc)))
            else:
                results.append(SourceAddResult(url=new.url, source=added))
        return results

    async def edit_source(self, source_id: int, change: SourceChange) -> Source:
        """Rename a source (an empty name hands it back to the feed's title, taken at the next
        fetch), or change its tier or polling interval."""
        if change.empty:
            raise InvalidInput(
                "nothing to change: give a name, a tier or an interval", reason="nothing_to_edit"
            )
        if change.interval_seconds is not None and change.interval_seconds < MIN_INTERVAL_SECONDS:
            raise InvalidInput(
                f"an interval is at least {MIN_INTERVAL_SECONDS} seconds",
                reason="interval",
                values={"minimum": MIN_INTERVAL_SECONDS},
            )
        if change.name is not None:
            change = replace(change, name=_name(change.name))
        return await self._store.sources.update(source_id, change)

    async def set_source_enabled(self, source_id: int, enabled: bool) -> Source:
        return await self._store.sources.set_enabled(source_id, enabled)

    async def pending_notices(self) -> list[AdminNotice]:
        return await self._store.notices.pending()

    async def get_source(self, source_id: int) -> Source:
        return await self._store.sources.get(source_id)

    async def remove_source(self, source_id: int) -> None:
        await self._store.sources.remove(source_id)

    async def list_sources(self) -> Sequence[Source]:
        return await self._store.sources.list()

    # --- collection --------------------------------------------------------------------------

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
        due_at = self._clock.now() if due_only else None
        if on_start is not None:
            on_start(await self._store.sources.count(enabled_only=True, due_at=due_at))
        arrivals = _Arrivals(self._store_batch)
        results: list[SourceRunResult] = []

        async def read_page(after_id: int) -> Sequence[Source]:
            return await self._store.sources.list(
                enabled_only=True, due_at=due_at, after_id=after_id, limit=self._source_page
            )

        sources = HostQueue(read_page, page_size=self._source_page, per_host=self._per_host)

        # Feeds fetched but not yet stored, items and all: the bound on the collector's memory.
        # A fetch takes a slot; an answer without items gives it back at once, a feed with
        # items once it is stored.
        unstored = asyncio.Semaphore(self._store_batch * 2)

        async def fetch_all() -> None:
            # Workers share one queue of sources: each source is taken once.
            source = await sources.take()
            while source is not None:
                await unstored.acquire()
                outcome = (source, await self._fetch_one(source))
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
                for _ in range(self._collect_concurrency):
                    fetchers.create_task(fetch_all())
            await arrivals.end()
            await storer
        # In source order, as `sources list` shows them.
        return CollectReport(tuple(sorted(results, key=lambda run: run.source_id)))

    async def _fetch_one(self, source: Source) -> FetchResult:
        try:
            return await self._fetcher.fetch(source)
        except Exception as exc:
            # A fetcher reports a bad source in its result; anything raised is our bug, and it
            # still must not stop the other sources.
            logger.exception("fetching source #%s failed unexpectedly", source.id)
            return FetchResult(FetchStatus.ERROR, error=f"internal error: {type(exc).__name__}")

    async def _store_batch_of(
        self, batch: Sequence[tuple[Source, FetchResult]]
    ) -> list[SourceRunResult]:
        now = self._clock.now()
        outcomes = [self._outcome(source, result, now) for source, result in batch]
        try:
            stored = await self._store.fetches.record(outcomes)
        except AppError:
            # The batch is all or nothing; store its sources one by one, so that what one of
            # them holds cannot lose the others' items.
            return [await self._store_one(source, result, now) for source, result in batch]
        return [
            self._run_result(source, outcome, counts)
            for (source, _), outcome, counts in zip(batch, outcomes, stored, strict=True)
        ]

    async def _store_one(
        self, source: Source, result: FetchResult, now: datetime
    ) -> SourceRunResult:
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
            # The longest digest period: an item of the last 30 days is in some digest's window.
            news_since=now - max(period.length for period in Period),
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

    # --- digests -----------------------------------------------------------------------------

    async def write_digest(
        self,
        period: Period,
        language: Language,
        *,
        save: bool = True,
        item_filter: ItemFilter | None = None,
    ) -> DigestDraft | Digest:
        """The digest of the period ending now, of the items `item_filter` keeps.

        The writer writes both languages from one fact sheet; with `save`, both are stored
        (once per period, language, filter set and sheet: a rerun over the same stories returns
        the stored digest and costs no tokens) and the asked-for language is returned."""
        keep: Callable[[Item], bool] | None = None
        if item_filter is not None and not item_filter.empty:
            if self._filter_compiler is None:
                raise InvalidInput("filters are not available in this setup")
            keep = self._filter_compiler(item_filter)  # bad patterns fail before any work
        end = self._clock.now()
        start = end - period.length
        rows = await self._store.items.in_window(start, end)
        if keep is not None:
            rows = [(item, source) for item, source in rows if keep(item)]
        candidates = self._select(rows)
        await self.models.ensure_loaded()
        models = await self._store.models.all()
        model_ids = self._composer.model_ids(candidates, models)
        facts = await self._store.models.facts(sorted(model_ids)) if model_ids else []
        market = await self._store.models.facts(metrics=self._composer.market_metrics())
        facts = list(dict.fromkeys([*facts, *market]))
        events = await self._store.models.events(since=start, limit=500)
        sheet = self._composer.sheet(
            candidates,
            period=period,
            window_start=start,
            window_end=end,
            models=models,
            facts=facts,
            events=events,
            max_stories=self._digest_limits.max_items,
        )
        filter_spec = _filter_spec(item_filter)
        filter_key = hashlib.sha256(filter_spec.encode()).hexdigest() if filter_spec else ""
        sheet_hash = self._composer.fingerprint(sheet)
        if save:
            existing = await self._store.digests.find(period, language, filter_key, sheet_hash)
            if existing is not None:
                return existing
        written = await self._writer.write(sheet, models)
        sheet_json = self._composer.sheet_json(sheet)
        drafts = [
            DigestDraft(
                period=period,
                language=document.language,
                window_start=start,
                window_end=end,
                title=document.title,
                body=self._composer.render(document),
                item_ids=sheet.item_ids,
                writer=written.writer,
                verdict=written.verdict.value,
                filter_key=filter_key,
                filter_spec=filter_spec,
                sheet_hash=sheet_hash,
                model=written.model,
                prompt_version=written.prompt_version,
                prompt_tokens=written.usage.prompt_tokens,
                completion_tokens=written.usage.completion_tokens,
                cost_usd=written.usage.cost_usd,
                problems=written.problems,
                document=self._composer.document_json(document),
                fact_sheet=sheet_json,
            )
            for document in written.documents.values()
        ]
        if not save:
            return next(draft for draft in drafts if draft.language is language)
        stored = await self._store.digests.add_all(drafts, end)
        return next(digest for digest in stored if digest.language is language)

    def _select(self, rows: Sequence[tuple[Item, Source]]) -> list[tuple[Item, Source]]:
        """The items a digest is chosen from: newest first, at most `per_source` from one
        source, at most `candidates` in all (clustering compares every pair)."""
        limits = self._digest_limits
        if limits.max_items < 1 or limits.per_source < 1:
            raise InvalidInput("digest limits must be positive")
        per_source: dict[int, int] = defaultdict(int)
        chosen: list[tuple[Item, Source]] = []
        for item, source in sorted(rows, key=lambda row: row[0].sort_time, reverse=True):
            if per_source[source.id] >= limits.per_source:
                continue
            per_source[source.id] += 1
            chosen.append((item, source))
            if len(chosen) >= limits.candidates:
                break
        return chosen
