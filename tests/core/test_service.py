"""The facade end to end: collect over loopback HTTP into SQLite and PostgreSQL, then a digest."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.collection import CollectLimits
from aiprogress.core.errors import DuplicateSource, InvalidSourceUrl
from aiprogress.core.hostqueue import host_of
from aiprogress.core.policy import FetchPolicy
from aiprogress.core.ports import Fetcher, Store
from aiprogress.core.service import AiProgress, DigestLimits
from aiprogress.core.types import (
    Digest,
    DigestDraft,
    FetchOutcome,
    FetchResult,
    FetchStatus,
    Language,
    Period,
    Source,
    SourceCheck,
)
from aiprogress.digest.builtin import BuiltinWriter
from aiprogress.digest.composer import Composer
from aiprogress.sources.http import HttpFetcher
from aiprogress.storage.store import SqlStore
from tests.builders import make_registry, make_service
from tests.conftest import snapshot_feed
from tests.counting import CountingStore
from tests.servers.feeds import FeedServer, Route


async def test_collect_stores_new_items_once(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    await service.add_source(
        feed_server.feed("/anthropic.rss", snapshot_feed("anthropic-news.rss"))
    )
    await service.add_source(feed_server.feed("/openai.rss", snapshot_feed("openai-research.rss")))

    first = await service.collect()
    assert [r.status for r in first.results] == [FetchStatus.OK, FetchStatus.OK]
    assert first.new_items == 255 + 194
    assert await store.items.count() == 449

    second = await service.collect()
    assert second.new_items == 0
    assert await store.items.count() == 449
    # The second run asked conditionally and the host answered 304 for both.
    assert [r.status for r in second.results] == [FetchStatus.NOT_MODIFIED] * 2


async def test_changed_feed_without_etag_stores_only_the_new_entry(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    body = snapshot_feed("bair-blog.rss")
    feed_server.routes["/bair.rss"] = Route(body=body, etag=False)
    await service.add_source(feed_server.url("/bair.rss"))
    assert (await service.collect()).new_items == 3

    extra = (
        b"<item><title>A new post</title><link>http://bair.berkeley.edu/blog/new/</link>"
        b"<guid>http://bair.berkeley.edu/blog/new/</guid></item>"
    )
    feed_server.routes["/bair.rss"] = Route(
        body=body.replace(b"<item>", extra + b"<item>", 1), etag=False
    )
    report = await service.collect()
    assert report.new_items == 1
    assert report.results[0].seen_items == 4
    assert await store.items.count() == 4


async def test_one_failing_source_does_not_stop_the_others(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    feed_server.routes["/broken"] = Route(status=500)
    feed_server.feed("/page", b"<html><body>moved</body></html>", "text/html")
    broken = await service.add_source(feed_server.url("/broken"), name="Broken")
    page = await service.add_source(feed_server.url("/page"), name="Page")
    good = await service.add_source(
        feed_server.feed("/ollama.rss", snapshot_feed("ollama-blog.rss"))
    )

    report = await service.collect()
    by_id = {r.source_id: r for r in report.results}
    assert by_id[good.id].status is FetchStatus.OK and by_id[good.id].new_items == 56
    assert by_id[broken.id].status is FetchStatus.ERROR
    assert by_id[broken.id].error == "HTTP 500 Internal Server Error"
    assert (by_id[page.id].error or "").startswith("not an RSS, Atom or JSON feed")

    listed = {s.id: s for s in await service.list_sources()}
    assert listed[broken.id].last_status is FetchStatus.ERROR
    assert listed[broken.id].last_error == "HTTP 500 Internal Server Error"
    assert listed[good.id].last_status is FetchStatus.OK


async def test_add_source_validates_and_refuses_duplicates(
    service: AiProgress, feed_server: FeedServer
) -> None:
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    await service.add_source(url)
    with pytest.raises(DuplicateSource):
        await service.add_source(
            url.upper().replace("HTTP://", "http://").replace("/BAIR.RSS", "/bair.rss")
        )
    with pytest.raises(InvalidSourceUrl):
        await service.add_source("ftp://example.org/feed")


async def test_digest_of_the_period_in_both_languages(
    service: AiProgress, store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    await service.add_source(
        feed_server.feed("/anthropic.rss", snapshot_feed("anthropic-news.rss")),
        name="Anthropic News",
        backfill=True,
    )
    await service.add_source(
        feed_server.feed("/ollama.rss", snapshot_feed("ollama-blog.rss")),
        name="Ollama Blog",
        backfill=True,
    )
    await service.collect()

    english = await service.write_digest(Period.WEEK, Language.EN)
    russian = await service.draft_digest(Period.WEEK, Language.RU)
    assert isinstance(english, Digest)
    # 8-14 August 2026: one Anthropic post and two Ollama posts.
    assert english.title == "Where is AI heading? On the release of NVIDIA Nemotron 3.5 Lightning?"
    assert russian.title == "Куда движется ИИ? О выходе NVIDIA Nemotron 3.5 Lightning?"
    assert "In this digest (8–14 August 2026)" in english.body
    assert len(english.item_ids) == 3
    assert "https://www.anthropic.com/news/claude-text-watermark" in english.body
    assert "https://ollama.com/blog/nemotron-3-5-lightning" in russian.body
    assert english.window_end - english.window_start == timedelta(days=7)
    assert await store.digests.get(english.id) == english
    # Both languages are written from one fact sheet and stored together; the dry run wrote
    # the same Russian text.
    assert english.sheet_hash is not None and english.verdict == "builtin"
    stored_russian = await store.digests.find(
        Period.WEEK, Language.RU, english.filter_key, english.sheet_hash
    )
    assert stored_russian is not None and stored_russian.body == russian.body
    # Asked again over the same stories, the stored digest comes back: nothing is written twice.
    assert await service.write_digest(Period.WEEK, Language.EN) == english


async def test_digest_limits_per_source(service: AiProgress, feed_server: FeedServer) -> None:
    await service.add_source(
        feed_server.feed("/anthropic.rss", snapshot_feed("anthropic-news.rss")), backfill=True
    )
    digest = await service.draft_digest(Period.MONTH, Language.EN)
    assert digest.item_ids == ()  # nothing collected yet
    await service.collect()
    digest = await service.draft_digest(Period.MONTH, Language.EN)
    assert len(digest.item_ids) == 5  # 11 Anthropic posts in the 30 days, at most 5 per source


async def _lab_news(service: AiProgress, feed_server: FeedServer) -> None:
    """The recorded Anthropic and OpenAI news feeds, collected whole."""
    for path, fixture, name in (
        ("/anthropic.rss", "anthropic-news.rss", "Anthropic News"),
        ("/openai.rss", "openai-research.rss", "OpenAI Research News"),
    ):
        await service.add_source(
            feed_server.feed(path, snapshot_feed(fixture)), name=name, backfill=True
        )
    await service.collect()


def _stories(draft: DigestDraft) -> list[tuple[str, str]]:
    """The digest's stories, best first: title and lead outlet."""
    sheet = json.loads(draft.fact_sheet)
    return [(story["title"], story["sources"][0]["name"]) for story in sheet["stories"]]


async def test_a_months_digest_ranks_before_it_caps_each_source(
    service: AiProgress, feed_server: FeedServer
) -> None:
    """August 2025 holds 14 Anthropic posts and none of OpenAI's. Capped first, newest first,
    its digest was Anthropic's five latest posts, led by "Updates to Consumer Terms and Privacy
    Policy", and Claude Opus 4.1 (5 August) was not in it at all."""
    await _lab_news(service, feed_server)
    august = await service.draft_digest(
        Period.MONTH, Language.EN, end=datetime(2025, 8, 31, tzinfo=UTC)
    )
    stories = _stories(august)
    assert stories[0] == ("Claude Opus 4.1", "Anthropic News")
    assert august.body.startswith(
        "The main story is “Claude Opus 4.1” (Anthropic News). "
        "In this digest (1–30 August 2025): 5 stories from 1 source."
    )
    assert len(stories) == 5  # the cap still holds: 5 of the month's 14 Anthropic posts


async def test_the_per_source_cap_holds_on_the_stories_ranking_chose(
    service: AiProgress, feed_server: FeedServer
) -> None:
    """February 2026: 19 Anthropic posts and 5 of OpenAI's. Each lab leads five stories, and
    Anthropic's two launches (Opus 4.6 on 5 February, Sonnet 4.6 on the 17th) are among them;
    capped first, newest first, Anthropic's five were its last five posts of the month."""
    await _lab_news(service, feed_server)
    february = await service.draft_digest(
        Period.MONTH, Language.EN, end=datetime(2026, 2, 28, tzinfo=UTC)
    )
    stories = _stories(february)
    assert Counter(lead for _, lead in stories) == {
        "Anthropic News": 5,
        "OpenAI Research News": 5,
    }
    titles = [title for title, _ in stories]
    assert {"Introducing Claude Sonnet 4.6", "Introducing Claude Opus 4.6"} <= set(titles)
    # Two of the five latest, a policy and a security post, give way to the launches.
    assert "Anthropic’s Responsible Scaling Policy: Version 3.0" not in titles
    assert "Detecting and preventing distillation attacks" not in titles


async def test_past_the_candidates_limit_each_source_takes_an_even_share(
    store: SqlStore, clock: FixedClock, feed_server: FeedServer
) -> None:
    """Clustering compares every pair of candidates, so a period's items are cut to `candidates`
    before it; the cut takes each source's newest in turn. Newest first alone, February 2026's
    four candidates were Anthropic's last four posts (24 to 27 February) and OpenAI's
    benchmark posts of the 18th and 23rd never reached the ranking."""
    async with HttpFetcher(allow_private=True) as fetcher:
        service = AiProgress(
            store=store,
            fetcher=fetcher,
            writer=BuiltinWriter(),
            composer=Composer(),
            clock=clock,
            allow_private_urls=True,
            models=make_registry(store, clock),
            digest_limits=DigestLimits(candidates=4),
        )
        await _lab_news(service, feed_server)
        february = await service.draft_digest(
            Period.MONTH, Language.EN, end=datetime(2026, 2, 28, tzinfo=UTC)
        )
    stories = _stories(february)
    assert Counter(lead for _, lead in stories) == {
        "Anthropic News": 2,
        "OpenAI Research News": 2,
    }
    assert ("Why we no longer evaluate SWE-bench Verified", "OpenAI Research News") in stories


async def test_a_dry_run_stores_nothing_and_a_stored_digest_has_its_own_id(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    await service.add_source(
        feed_server.feed("/anthropic.rss", snapshot_feed("anthropic-news.rss")), backfill=True
    )
    await service.collect()
    draft = await service.draft_digest(Period.MONTH, Language.EN)
    assert not isinstance(draft, Digest)
    assert draft.sheet_hash is not None
    assert await store.digests.find(Period.MONTH, Language.EN, "", draft.sheet_hash) is None
    stored = await service.write_digest(Period.MONTH, Language.EN)
    assert stored.id > 0 and stored.created_at.tzinfo is not None
    assert stored.body == draft.body
    # A digest is only ever one that was stored: it has no placeholder id or date to fall back to.
    with pytest.raises(TypeError, match="id"):
        Digest(**{f: getattr(draft, f) for f in DigestDraft.__dataclass_fields__})


async def test_failures_back_off_then_disable_and_notify(
    store: SqlStore, clock: FixedClock, feed_server: FeedServer
) -> None:
    async with HttpFetcher(allow_private=True) as fetcher:
        service = make_service(
            store,
            clock,
            fetcher,
            fetch_policy=FetchPolicy(disable_after=3, max_backoff=timedelta(hours=24)),
        )
        feed_server.routes["/flaky"] = Route(status=500)
        good_url = feed_server.feed("/good.rss", snapshot_feed("bair-blog.rss"))
        flaky = await service.add_source(feed_server.url("/flaky"), name="Flaky")
        good = await service.add_source(good_url, name="Good")
        start = clock.now()

        first = await service.collect(due_only=True)
        assert {r.source_id for r in first.results} == {flaky.id, good.id}
        after_one = await store.sources.get(flaky.id)
        assert after_one.failures == 1 and after_one.next_check_at == start + timedelta(hours=1)
        assert (await store.sources.get(good.id)).next_check_at == start + timedelta(hours=1)

        # Not due yet: nothing is fetched.
        clock.set(start + timedelta(minutes=30))
        assert (await service.collect(due_only=True)).results == ()

        clock.set(start + timedelta(hours=1))
        await service.collect(due_only=True)
        after_two = await store.sources.get(flaky.id)
        assert after_two.failures == 2
        assert after_two.next_check_at == start + timedelta(hours=1) + timedelta(hours=2)  # doubled

        clock.set(start + timedelta(hours=3))
        third = await service.collect(due_only=True)
        flaky_run = next(r for r in third.results if r.source_id == flaky.id)
        assert flaky_run.disabled
        disabled = await store.sources.get(flaky.id)
        assert not disabled.enabled
        assert (
            disabled.disabled_reason
            == "disabled after 3 failures in a row; last: HTTP 500 Internal Server Error"
        )
        notices = await service.pending_notices()
        assert [n.source_id for n in notices] == [flaky.id]
        assert notices[0].text.startswith(f"source #{flaky.id} (Flaky) disabled after 3 failures")

        # A disabled source is not fetched any more; the good one goes on.
        clock.set(start + timedelta(days=2))
        later = await service.collect(due_only=True)
        assert [r.source_id for r in later.results] == [good.id]

        # Enabling it again by hand starts afresh.
        feed_server.feed("/flaky", snapshot_feed("ollama-blog.rss"))
        resumed = await service.set_source_enabled(flaky.id, True)
        assert resumed.enabled and resumed.failures == 0 and resumed.disabled_reason is None
        again = await service.collect(due_only=True)
        assert next(r for r in again.results if r.source_id == flaky.id).new_items == 56


async def test_retry_after_and_max_age_set_the_next_check(
    service: AiProgress, store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    slow = await service.add_source(feed_server.url("/busy"))
    feed_server.routes["/busy"] = Route(status=429, headers={"Retry-After": "7200"})
    fresh = await service.add_source(feed_server.url("/fresh.rss"))
    feed_server.routes["/fresh.rss"] = Route(
        body=snapshot_feed("bair-blog.rss"), headers={"Cache-Control": "public, max-age=10800"}
    )
    await service.collect()
    assert (await store.sources.get(slow.id)).next_check_at == clock.now() + timedelta(hours=2)
    assert (await store.sources.get(fresh.id)).next_check_at == clock.now() + timedelta(hours=3)


async def test_first_fetch_is_a_baseline_and_later_items_are_news(
    service: AiProgress, store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    body = snapshot_feed("ollama-blog.rss")
    feed_server.routes["/ollama.rss"] = Route(body=body, etag=False)
    source = await service.add_source(feed_server.url("/ollama.rss"))
    first = await service.collect()
    assert first.new_items == 56  # stored, so they can never come back as new...
    assert (await store.sources.get(source.id)).baseline_at == clock.now()
    # ...and only what was published inside a digest's period is news on this first fetch:
    # a new user's first digest is not empty, and older items never reach one.
    month = await service.draft_digest(Period.MONTH, Language.EN)
    stored = await store.items.in_window(clock.now() - timedelta(days=3650), clock.now())
    recent = {
        item.id
        for item, _ in stored
        if item.published_at and item.published_at >= clock.now() - Period.MONTH.length
    }
    assert recent and set(month.item_ids) <= recent
    assert len(stored) == len(recent) < 56  # baseline items are not offered at all

    fresh = (
        b"<item><title>Qwen 4 is available</title><link>https://ollama.com/blog/qwen4</link>"
        b"<guid>https://ollama.com/blog/qwen4</guid><pubDate>Fri, 14 Aug 2026 18:00:00 GMT</pubDate></item>"
    )
    feed_server.routes["/ollama.rss"] = Route(
        body=body.replace(b"<item>", fresh + b"<item>", 1), etag=False
    )
    assert (await service.collect()).new_items == 1
    digest = await service.draft_digest(Period.WEEK, Language.EN)
    assert "https://ollama.com/blog/qwen4" in digest.body
    assert set(digest.item_ids) - recent == {max(digest.item_ids)}  # the new one only


async def test_collect_reports_progress(service: AiProgress, feed_server: FeedServer) -> None:
    await service.add_source(feed_server.feed("/a.rss", snapshot_feed("bair-blog.rss")))
    await service.add_source(feed_server.feed("/b.rss", snapshot_feed("ollama-blog.rss")))
    totals: list[int] = []
    seen: list[int] = []
    report = await service.collect(
        on_start=totals.append, on_result=lambda r: seen.append(r.source_id)
    )
    assert totals == [2]
    assert sorted(seen) == sorted(r.source_id for r in report.results)


async def test_edits_are_updates_and_removed_entries_do_not_come_back(
    service: AiProgress, store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    body = snapshot_feed("bair-blog.rss")
    feed_server.routes["/bair.rss"] = Route(body=body, etag=False)
    await service.add_source(feed_server.url("/bair.rss"), backfill=True)
    assert (await service.collect()).new_items == 3

    old_title = b"<title>Gradient-based Planning for World Models at Longer Horizons</title>"
    assert old_title in body
    edited = body.replace(
        old_title, b"<title>Gradient-based Planning for World Models (updated)</title>"
    )
    feed_server.routes["/bair.rss"] = Route(body=edited, etag=False)
    report = await service.collect()
    assert (report.new_items, report.results[0].updated_items) == (0, 1)
    rows = await store.items.in_window(
        clock.now() - timedelta(days=365), clock.now() + timedelta(days=1)
    )
    titles = {item.title: item for item, _ in rows}
    assert "Gradient-based Planning for World Models (updated)" in titles
    assert titles["Gradient-based Planning for World Models (updated)"].updated_at == clock.now()
    assert await store.items.count() == 3

    # The entry leaves the feed, then comes back: still not new.
    start = edited.index(b"<item>")
    end = edited.index(b"</item>") + len(b"</item>")
    feed_server.routes["/bair.rss"] = Route(body=edited[:start] + edited[end:], etag=False)
    assert (await service.collect()).new_items == 0
    feed_server.routes["/bair.rss"] = Route(body=edited, etag=False)
    again = await service.collect()
    assert (again.new_items, again.results[0].updated_items) == (0, 0)
    assert await store.items.count() == 3


def batched(store: SqlStore, clock: FixedClock, fetcher: Fetcher, batch: int) -> AiProgress:
    return make_service(
        store,
        clock,
        fetcher,
        collect_limits=CollectLimits(concurrency=4, store_batch=batch, source_page=5),
    )


async def test_many_sources_stored_in_batches_with_edits_and_news_per_source(
    store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    # Twelve sources read five at a time by four workers, stored three per transaction: each
    # source is fetched once and its counts stay its own.
    feeds = ["bair-blog.rss", "arxiv-cs.AI-trimmed.rss", "ollama-models-recent-20.atom"]
    async with HttpFetcher(allow_private=True) as fetcher:
        service = batched(store, clock, fetcher, batch=3)
        for index in range(12):
            name = feeds[index % 3]
            feed_server.routes[f"/{index}.xml"] = Route(body=snapshot_feed(name), etag=False)
            await service.add_source(feed_server.url(f"/{index}.xml"))
        first = await service.collect()
        assert len({r.source_id for r in first.results}) == 12
        assert [r.new_items for r in first.results] == [3, 3, 20] * 4
        assert await store.items.count() == 4 * 26

        # Source 0 gains an entry, source 1 has one edited, the rest are unchanged.
        bair = snapshot_feed("bair-blog.rss")
        extra = b"<item><title>New</title><link>http://bair.berkeley.edu/blog/n/</link></item>"
        feed_server.routes["/0.xml"] = Route(
            body=bair.replace(b"<item>", extra + b"<item>", 1), etag=False
        )
        arxiv = snapshot_feed("arxiv-cs.AI-trimmed.rss")
        title = arxiv[arxiv.index(b"<item>") :].split(b"<title>", 1)[1].split(b"</title>", 1)[0]
        feed_server.routes["/1.xml"] = Route(
            body=arxiv.replace(title, title + b" (v2)", 1), etag=False
        )
        second = await service.collect()
    assert [(r.new_items, r.updated_items) for r in second.results[:4]] == [
        (1, 0),
        (0, 1),
        (0, 0),
        (0, 0),
    ]
    # The changed ones are read; the others answered the same body again and are not parsed.
    assert [r.status for r in second.results[:2]] == [FetchStatus.OK] * 2
    assert all(r.status is FetchStatus.NOT_MODIFIED for r in second.results[2:])
    assert await store.items.count() == 4 * 26 + 1


class RemovingFetcher:
    """Fetches for real, but an admin removes one source while the run is under way."""

    def __init__(self, inner: HttpFetcher, store: SqlStore, victim: int) -> None:
        self._inner, self._store, self._victim = inner, store, victim

    async def fetch(self, source: Source) -> FetchResult:
        result = await self._inner.fetch(source)
        if source.id == self._victim:
            await self._store.sources.remove(source.id)
        return result


async def test_a_batch_that_cannot_be_stored_is_stored_source_by_source(
    store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    async with HttpFetcher(allow_private=True) as http:
        setup = batched(store, clock, http, batch=50)
        ids = [
            (
                await setup.add_source(
                    feed_server.feed(f"/{i}.rss", snapshot_feed("bair-blog.rss"))
                )
            ).id
            for i in range(5)
        ]
        # The removed source's items violate the foreign key, so the batch's transaction fails
        # as a whole; the other four are then stored one by one, in full.
        service = batched(store, clock, RemovingFetcher(http, store, victim=ids[2]), batch=50)
        report = await service.collect()
    by_id = {r.source_id: r for r in report.results}
    assert by_id[ids[2]].status is FetchStatus.ERROR
    assert (by_id[ids[2]].error or "").startswith("could not store items")
    assert [by_id[i].new_items for i in ids if i != ids[2]] == [3, 3, 3, 3]
    assert await store.items.count() == 12


class NotModifiedFetcher:
    """Answers every source 304 at once, as servers do for feeds that did not change."""

    async def fetch(self, source: Source) -> FetchResult:
        await asyncio.sleep(0)
        return FetchResult(FetchStatus.NOT_MODIFIED, etag=source.etag, http_status=304)


def unchanged_sources_service(store: Store, clock: FixedClock) -> AiProgress:
    """The facade over sources that all answer 304, with small limits so a collection spans
    several pages and transactions (8 workers, pages of 7 sources, store_batch 2)."""
    return make_service(
        store,
        clock,
        NotModifiedFetcher(),
        collect_limits=CollectLimits(concurrency=8, store_batch=2, source_page=7),
    )


async def forty_unchanged_sources(store: SqlStore, clock: FixedClock) -> list[Source]:
    service = unchanged_sources_service(store, clock)
    return [await service.add_source(f"http://127.0.0.1:9/{i}.xml") for i in range(40)]


async def test_not_modified_answers_share_transactions_and_each_is_recorded(
    store: SqlStore, clock: FixedClock
) -> None:
    sources = await forty_unchanged_sources(store, clock)
    # Each source starts in a failure streak, which its 304 must end.
    earlier = clock.now() - timedelta(hours=1)
    await store.fetches.record(
        [
            FetchOutcome(
                source_id=s.id,
                result=FetchResult(FetchStatus.ERROR, error="HTTP 503"),
                check=SourceCheck(3, earlier),
                fetched_at=earlier,
            )
            for s in sources
        ]
    )
    counting = CountingStore(store)
    report = await unchanged_sources_service(counting, clock).collect()

    assert [r.status for r in report.results] == [FetchStatus.NOT_MODIFIED] * 40
    # Light answers wait a moment for each other: a few transactions, not one per handful.
    batches = counting.fetches.batches
    assert sum(batches) == 40 and len(batches) <= 3
    for source in sources:
        stored = await store.sources.get(source.id)
        assert stored.last_status is FetchStatus.NOT_MODIFIED
        assert stored.last_fetched_at == clock.now()
        assert stored.failures == 0 and stored.last_error is None
        assert stored.next_check_at == clock.now() + timedelta(seconds=source.interval_seconds)


async def test_collect_reads_each_page_of_sources_once(store: SqlStore, clock: FixedClock) -> None:
    await forty_unchanged_sources(store, clock)
    counting = CountingStore(store)
    report = await unchanged_sources_service(counting, clock).collect()

    assert len(report.results) == 40
    # Five full pages and a short one that ends the run; no worker asks again after it.
    assert counting.sources.pages == [7, 7, 7, 7, 7, 5]


class HostCountingFetcher:
    """Answers 304 after a pause, slower for one host, and counts fetches in flight per host."""

    def __init__(self, slow_host: str) -> None:
        self.slow_host = slow_host
        self.in_flight: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.ended: list[str] = []

    async def fetch(self, source: Source) -> FetchResult:
        host = host_of(source)
        self.in_flight[host] += 1
        self.most[host] = max(self.most[host], self.in_flight[host])
        await asyncio.sleep(0.05 if host == self.slow_host else 0.001)
        self.in_flight[host] -= 1
        self.ended.append(host)
        return FetchResult(FetchStatus.NOT_MODIFIED, etag=source.etag, http_status=304)


async def test_collect_keeps_each_host_to_its_limit_and_busy_hosts_hold_no_one_else(
    store: SqlStore, clock: FixedClock
) -> None:
    fetcher = HostCountingFetcher(slow_host="127.0.0.1:9")
    service = make_service(
        store, clock, fetcher, collect_limits=CollectLimits(concurrency=8, per_host=2)
    )
    # The slow host's sources come first in the table.
    for i in range(12):
        await service.add_source(f"http://127.0.0.1:9/{i}.xml")
    for i in range(12):
        await service.add_source(f"http://127.0.0.1:{10 + i % 3}/{i}.xml")

    report = await service.collect()

    assert len(report.results) == 24
    assert max(fetcher.most.values()) == 2
    # Six workers were free for the quick hosts, which finished while the slow one went on.
    assert fetcher.ended[:12].count("127.0.0.1:9") <= 2
