"""The service facade: the one entry point the CLI, the scheduler and both bots call."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from aiprogress.core.collection import CollectLimits, Collector, source_name
from aiprogress.core.digest_plan import DigestPlan, filter_spec, past_window, pick_stories
from aiprogress.core.errors import (
    AppError,
    ConfigError,
    DuplicateSource,
    InvalidInput,
    SourceRefused,
    StorageError,
    UserError,
)
from aiprogress.core.policy import FetchPolicy
from aiprogress.core.ports import Clock, DigestComposer, Fetcher, SourceProber, Store, Writer
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.types import (
    MIN_INTERVAL_SECONDS,
    AdminNotice,
    CollectReport,
    Digest,
    DigestDraft,
    Item,
    ItemFilter,
    Language,
    ModelEvent,
    ModelInfo,
    NewSource,
    Onboarding,
    Period,
    ProbeKind,
    Source,
    SourceAddResult,
    SourceChange,
    SourceRunResult,
    TrustTier,
    value_type,
    window_days,
)
from aiprogress.core.urls import normalise_source_url


@value_type
class DigestLimits:
    max_items: int = 20  # stories in a digest
    per_source: int = 5  # stories one source leads in a digest
    candidates: int = 200  # items ranked (clustering compares every pair)


class AiProgress:
    def __init__(
        self,
        *,
        store: Store,
        fetcher: Fetcher,
        writer: Writer,
        clock: Clock,
        allow_private_urls: bool = False,
        collect_limits: CollectLimits | None = None,
        models: ModelRegistry,
        digest_limits: DigestLimits = DigestLimits(),  # noqa: B008 (a frozen value type)
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
        self._writer = writer
        self._clock = clock
        self._allow_private_urls = allow_private_urls
        self._collector = Collector(
            store=store,
            fetcher=fetcher,
            clock=clock,
            policy=self._policy,
            limits=collect_limits or CollectLimits(),
        )
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
                name=source_name(name),
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
        chosen = source_name(name)
        now = self._clock.now()
        source = await self._store.sources.add(
            NewSource(
                url=feed_url,
                name=chosen or source_name(fetched.feed.title),
                trust_tier=trust_tier,
                backfill=backfill,
                interval_seconds=interval_seconds,
                name_from_feed=not chosen,
            ),
            now,
        )
        run = await self._collector.store_one(source, fetched, now)
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
            change = replace(change, name=source_name(change.name))
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
        """Fetch the sources now; the work, and what it does, are `Collector.collect`'s."""
        return await self._collector.collect(
            due_only=due_only, on_start=on_start, on_result=on_result
        )

    # --- digests -----------------------------------------------------------------------------

    async def write_digest(
        self,
        period: Period,
        language: Language,
        *,
        item_filter: ItemFilter | None = None,
        end: datetime | None = None,
    ) -> Digest:
        """The digest of the period ending now (or at `end`, which must have passed: a look
        back, baseline items included, see `_plan_digest`), of the items `item_filter` keeps,
        stored.

        The writer writes both languages from one fact sheet and both are stored (once per
        period, language, filter set and sheet: a rerun over the same stories returns the stored
        digest and costs no tokens); the asked-for language is returned."""
        window = past_window(period, end, self._clock.now())
        plan = await self._plan_digest(period, item_filter, window, baseline=end is not None)
        return await self._write(plan, language)

    async def write_scheduled_digest(
        self,
        period: Period,
        language: Language,
        window: tuple[datetime, datetime],
        *,
        item_filter: ItemFilter | None = None,
    ) -> Digest:
        """As `write_digest`, of a scheduled window [start, end) rather than the period ending
        now: consecutive scheduled digests of a chat meet end to start (`ChannelDesk`)."""
        return await self._write(await self._plan_digest(period, item_filter, window), language)

    async def _write(self, plan: DigestPlan, language: Language) -> Digest:
        period = plan.period
        existing = await self._store.digests.find(
            period, language, plan.filter_key, plan.sheet_hash
        )
        if existing is not None:
            return existing
        drafts = await self._drafts(plan)
        try:
            # Written now, whatever moment its window ends at (a look back, a late job).
            stored = await self._store.digests.add_all(drafts, self._clock.now())
        except StorageError:
            # Two chats' /digest (or a chat's and the scheduler's) over the same stories were
            # written at once, and the other was stored first: the digest is theirs.
            existing = await self._store.digests.find(
                period, language, plan.filter_key, plan.sheet_hash
            )
            if existing is None:
                raise
            return existing
        return next(digest for digest in stored if digest.language is language)

    async def draft_digest(
        self,
        period: Period,
        language: Language,
        *,
        item_filter: ItemFilter | None = None,
        end: datetime | None = None,
    ) -> DigestDraft:
        """The digest `write_digest` would store, written afresh and not stored (a dry run)."""
        window = past_window(period, end, self._clock.now())
        plan = await self._plan_digest(period, item_filter, window, baseline=end is not None)
        drafts = await self._drafts(plan)
        return next(draft for draft in drafts if draft.language is language)

    async def _plan_digest(
        self,
        period: Period,
        item_filter: ItemFilter | None,
        window: tuple[datetime, datetime] | None = None,
        *,
        baseline: bool = False,
    ) -> DigestPlan:
        """The fact sheet of the period ending now (or of `window`), and the keys a stored
        digest is found by. The window is half-open, [start, end): an item published at the
        end is the next digest's. With `baseline`, a look back at a period that ended (a
        digest asked to end at a given moment), the items a source's first fetch stored as
        its baseline count too: they were not news to post then, but they are what the period
        published."""
        keep: Callable[[Item], bool] | None = None
        if item_filter is not None and not item_filter.empty:
            if self._filter_compiler is None:
                raise InvalidInput("filters are not available in this setup")
            keep = self._filter_compiler(item_filter)  # bad patterns fail before any work
        if window is not None:
            start, end = window
        else:
            end = self._clock.now()
            start = end - period.length
        rows = await self._store.items.in_window(start, end, baseline=baseline)
        if keep is not None:
            rows = [(item, source) for item, source in rows if keep(item)]
        candidates = self._candidates(rows)
        await self.models.ensure_loaded()
        models = await self._store.models.all()
        # Events are dated by the day: a day is the window's in which it ends, so the next
        # digest's window takes the day of this one's end, and no event is in two digests.
        first, stop = window_days(start, end)
        events = (
            await self._store.models.events(since=first, until=stop - timedelta(days=1), limit=500)
            if stop > first
            else []
        )
        chosen = self._chosen(candidates, period, (start, end), models, events)
        model_ids = self._composer.model_ids(chosen, models)
        facts = await self._store.models.facts(sorted(model_ids)) if model_ids else []
        market = await self._store.models.facts(metrics=self._composer.market_metrics())
        facts = list(dict.fromkeys([*facts, *market]))
        sheet = self._composer.sheet(
            chosen,
            period=period,
            window_start=start,
            window_end=end,
            models=models,
            facts=facts,
            events=events,
            max_stories=self._digest_limits.max_items,
        )
        spec = filter_spec(item_filter)
        filter_key = hashlib.sha256(spec.encode()).hexdigest() if spec else ""
        sheet_hash = self._composer.fingerprint(sheet)
        return DigestPlan(period, start, end, sheet, models, filter_key, spec, sheet_hash)

    async def _drafts(self, plan: DigestPlan) -> list[DigestDraft]:
        """Both languages written from the plan's sheet, one draft each."""
        written = await self._writer.write(plan.sheet, plan.models)
        sheet_json = self._composer.sheet_json(plan.sheet)
        return [
            DigestDraft(
                period=plan.period,
                language=document.language,
                window_start=plan.start,
                window_end=plan.end,
                title=document.title,
                body=self._composer.render(document),
                item_ids=plan.sheet.item_ids,
                writer=written.writer,
                verdict=written.verdict.value,
                filter_key=plan.filter_key,
                filter_spec=plan.filter_spec,
                sheet_hash=plan.sheet_hash,
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

    def _candidates(self, rows: Sequence[tuple[Item, Source]]) -> list[tuple[Item, Source]]:
        """The items a digest is ranked from, newest first: all of the period's, up to
        `candidates` (clustering compares every pair); past that, each source's newest in
        turn (every source's newest, then every source's second newest, ...), so that a source
        publishing hundreds of papers a day takes an even share, not the whole of it. No
        source is capped at `per_source` here: that cap is on the stories ranking chooses
        (`_chosen`), or a lab's launch lost its place to its five latest posts."""
        limits = self._digest_limits
        if limits.max_items < 1 or limits.per_source < 1 or limits.candidates < 1:
            raise InvalidInput("digest limits must be positive")
        newest = sorted(rows, key=lambda row: row[0].sort_time, reverse=True)
        if len(newest) <= limits.candidates:
            return newest
        turn: dict[int, int] = defaultdict(int)
        turns: list[int] = []
        for _, source in newest:
            turns.append(turn[source.id])
            turn[source.id] += 1
        # Stable: within a turn, newest first.
        order = sorted(range(len(newest)), key=turns.__getitem__)[: limits.candidates]
        return [newest[index] for index in sorted(order)]

    def _chosen(
        self,
        candidates: list[tuple[Item, Source]],
        period: Period,
        window: tuple[datetime, datetime],
        models: Sequence[ModelInfo],
        events: Sequence[ModelEvent],
    ) -> list[tuple[Item, Source]]:
        """The items of the stories the digest tells: every candidate ranked (the composer's
        stories, best first), then the first `max_items` stories with at most `per_source`
        led by one source (`pick_stories`). The ranking's sheet is built without the
        knowledge base's facts: a story's weight does not use them (its kind, sources and the
        period's events do), and only the chosen stories are weighed against their models."""
        if not candidates:
            return []
        limits = self._digest_limits
        ranking = self._composer.sheet(
            candidates,
            period=period,
            window_start=window[0],
            window_end=window[1],
            models=models,
            facts=[],
            events=events,
            max_stories=len(candidates),
        )
        stories = pick_stories(
            ranking.stories, per_source=limits.per_source, limit=limits.max_items
        )
        # Whole stories: clustered again, their items make the same stories (complete-link
        # grouping of a union of its own groups gives those groups back).
        item_ids = {item_id for story in stories for item_id in story.item_ids}
        return [(item, source) for item, source in candidates if item.id in item_ids]
