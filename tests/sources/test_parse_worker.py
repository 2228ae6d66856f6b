"""Parsing in a worker process: the same feeds and errors as inline, and inline again should the
worker die."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator

import pytest

from aiprogress.core.errors import ParseError
from aiprogress.core.types import FetchStatus
from aiprogress.sources.http import FetchLimits, HttpFetcher
from aiprogress.sources.parse import parse_feed
from aiprogress.sources.parse_worker import ParserProcess, WorkerGone
from tests.builders import feed_source
from tests.conftest import SNAPSHOT_FEEDS, TEST_DATA, snapshot_feed
from tests.servers.feeds import FeedServer
from tests.sources.hostile_corpus import BILLION_LAUGHS

# RSS, Atom with XHTML content, RDF, releases with content only and JSON Feed: each path once.
RECORDED = [
    SNAPSHOT_FEEDS / "anthropic-news.rss",
    TEST_DATA / "intertwingly-xhtml.atom",
    TEST_DATA / "biorxiv-plant-biology.rdf",
    TEST_DATA / "github-releases-astral-ty.atom",
    TEST_DATA / "jsonfeed-inessential.json",
]


@pytest.fixture
async def worker() -> AsyncIterator[ParserProcess]:
    process = ParserProcess()
    try:
        yield process
    finally:
        await process.close()


async def test_the_worker_parses_recorded_feeds_as_inline_parsing_does(
    worker: ParserProcess,
) -> None:
    for path in RECORDED:
        document = path.read_bytes()
        url = f"https://example.org/{path.name}"
        assert await worker.parse(document, url=url, content_type=None) == parse_feed(
            document, url=url
        )


async def test_a_refusal_in_the_worker_is_raised_as_inline(worker: ParserProcess) -> None:
    with pytest.raises(ParseError) as inline:
        parse_feed(BILLION_LAUGHS, url="https://example.org/feed")
    with pytest.raises(ParseError) as remote:
        await worker.parse(BILLION_LAUGHS, url="https://example.org/feed", content_type=None)
    assert str(remote.value) == str(inline.value)
    # and it goes on answering
    document = snapshot_feed("bair-blog.rss")
    feed = await worker.parse(document, url="https://bair.berkeley.edu/", content_type=None)
    assert len(feed.items) == 3


async def test_a_dead_worker_is_not_asked_again(worker: ParserProcess) -> None:
    document = snapshot_feed("bair-blog.rss")
    await worker.parse(document, url="https://bair.berkeley.edu/", content_type=None)
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    for _ in range(2):
        with pytest.raises(WorkerGone):
            await worker.parse(document, url="https://bair.berkeley.edu/", content_type=None)


async def test_the_fetcher_parses_in_its_worker_and_inline_once_it_is_gone(
    feed_server: FeedServer,
) -> None:
    url = feed_server.feed("/anthropic.rss", snapshot_feed("anthropic-news.rss"))
    expected = parse_feed(snapshot_feed("anthropic-news.rss"), url=url)
    limits = FetchLimits(parse_process=True, inline_before_process=1)
    async with HttpFetcher(limits=limits, allow_private=True) as fetcher:
        worker = fetcher.parser_process
        assert worker is not None
        results = [await fetcher.fetch(feed_source(url)) for _ in range(2)]
        # The first feed was parsed here, the second by the worker, which started for it.
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        results.append(await fetcher.fetch(feed_source(url)))
    for result in results:
        assert result.status is FetchStatus.OK, result.error
        assert result.feed == expected


async def test_without_the_option_no_worker_is_started(feed_server: FeedServer) -> None:
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    async with HttpFetcher(allow_private=True) as fetcher:
        assert fetcher.parser_process is None
        result = await fetcher.fetch(feed_source(url))
    assert result.status is FetchStatus.OK
