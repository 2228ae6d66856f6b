"""Hostile and broken sources: each ends with its own clear error; nothing else is harmed."""

from __future__ import annotations

import gzip
import time
from collections.abc import AsyncIterator

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import ParseError
from aiprogress.core.service import AiProgress
from aiprogress.core.types import FetchStatus
from aiprogress.sources.http import FetchLimits, HttpFetcher
from aiprogress.sources.parse import ParserEngine, parse_feed
from aiprogress.storage.store import SqlStore
from tests.builders import make_service
from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer, Route
from tests.sources.hostile_corpus import BILLION_LAUGHS, EXTERNAL_ENTITY

LIMIT = 200_000


@pytest.fixture
async def service(store: SqlStore, clock: FixedClock) -> AsyncIterator[AiProgress]:
    limits = FetchLimits(max_bytes=LIMIT, max_redirects=3, total_timeout=2.0)
    async with HttpFetcher(limits=limits, allow_private=True) as fetcher:
        yield make_service(store, clock, fetcher)


@pytest.mark.parametrize("engine", list(ParserEngine))
@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_entity_declarations_are_refused_by_both_engines(
    engine: ParserEngine, document: bytes
) -> None:
    # Refused before any parser sees it: nothing is expanded, no file is read.
    with pytest.raises(ParseError, match=r"^refused: the document declares XML entities"):
        parse_feed(document, url="https://example.org/feed", engine=engine)


def test_a_doctype_without_entity_declarations_is_read() -> None:
    # RSS 0.91 feeds name Netscape's DTD; that is not refused.
    document = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        b"<title>t</title><item><title>One</title><link>https://example.org/1</link></item>"
        b"</channel></rss>"
    )
    assert [i.title for i in parse_feed(document, url="https://example.org/feed").items] == ["One"]


def test_malformed_xml_with_nothing_readable_is_an_error() -> None:
    with pytest.raises(ParseError, match="malformed feed"):
        parse_feed(
            b"<rss version='2.0'><channel><title>x</title><item><title>broken",
            url="https://example.org/feed",
        )


def test_wrong_declared_encoding_still_reads_the_feed() -> None:
    document = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Лента</title>'
        "<item><title>Новая модель</title><link>https://example.org/1</link></item>"
        "</channel></rss>"
    ).encode("cp1251")
    feed = parse_feed(
        document, url="https://example.org/feed", content_type="text/xml; charset=utf-8"
    )
    assert len(feed.items) == 1 and feed.items[0].url == "https://example.org/1"


async def test_hostile_sources_fail_alone_and_good_ones_are_stored_in_full(
    service: AiProgress, store: SqlStore, feed_server: FeedServer
) -> None:
    bomb = gzip.compress(b"<rss>" + b" " * 50_000_000 + b"</rss>")
    hostile = {
        "/malformed": Route(
            body=b"<rss version='2.0'><channel><title>x</title><item><title>broken",
            content_type="application/rss+xml",
        ),
        "/laughs": Route(body=BILLION_LAUGHS),
        "/bomb": Route(body=bomb, gzipped=True),
        "/huge": Route(body=b"<rss>" + b"x" * (LIMIT + 10) + b"</rss>"),
        "/trickle": Route(body=snapshot_feed("bair-blog.rss")[:2000], trickle_seconds=0.2),
        "/loop": Route(status=302, location="/loop"),
        "/page": Route(
            body=b"<!doctype html><html><body><h1>Blog</h1></body></html>", content_type="text/html"
        ),
    }
    feed_server.routes.update(hostile)
    ids = {
        path: (await service.add_source(feed_server.url(path), name=path)).id for path in hostile
    }
    good = await service.add_source(
        feed_server.feed("/good.rss", snapshot_feed("anthropic-news.rss")), name="good"
    )

    started = time.perf_counter()
    report = await service.collect()
    elapsed = time.perf_counter() - started

    by_id = {r.source_id: r for r in report.results}
    assert by_id[good.id].status is FetchStatus.OK and by_id[good.id].new_items == 255
    assert await store.items.count() >= 255
    errors = {path: by_id[source_id].error or "" for path, source_id in ids.items()}
    assert errors["/bomb"] == f"response is over the {LIMIT}-byte limit"
    assert errors["/huge"] == f"response of {LIMIT + 21} bytes is over the {LIMIT}-byte limit"
    assert errors["/trickle"] == "timed out"
    assert errors["/loop"] == "more than 3 redirects"
    assert errors["/page"].startswith("not an RSS, Atom or JSON feed")
    for path in ("/bomb", "/huge", "/trickle", "/loop", "/page", "/laughs"):
        assert by_id[ids[path]].status is FetchStatus.ERROR, path
    assert errors["/malformed"].startswith("malformed feed: ")
    assert errors["/laughs"].startswith("refused: the document declares XML entities")
    # Every bad source carries its own error in the listing.
    listed = {s.id: s for s in await service.list_sources()}
    for path in ("/malformed", "/bomb", "/huge", "/trickle", "/loop", "/page", "/laughs"):
        assert listed[ids[path]].last_error == errors[path]
    assert elapsed < 10


def test_a_broken_feed_past_the_entry_cap_keeps_the_entries_read_whole() -> None:
    """feedparser reads a broken document cut before its 2,001st entry: the 2,000 items kept
    are those it gives when it reads the whole document, their titles and links alike (at
    3 elements an item, within the 8,000 a broken document may have)."""
    import feedparser

    from aiprogress.sources.parse import MAX_ENTRIES

    entries = b"".join(
        b"<item><title>t%d &amp; more</title><link>/p/%d</link></item>" % (n, n)
        for n in range(MAX_ENTRIES + 50)
    )
    document = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>c</title>"
        b"<item><title>a & b</title></item>" + entries + b"</channel></rss>"
    )
    url = "https://example.org/feed"
    feed = parse_feed(document, url=url)
    whole = feedparser.parse(document, response_headers={"content-location": url})
    assert whole.bozo and len(whole.entries) == MAX_ENTRIES + 51
    assert len(feed.items) == MAX_ENTRIES
    assert feed.title == "c"
    assert [item.title for item in feed.items] == [e.title for e in whole.entries[:MAX_ENTRIES]]
    assert [item.url for item in feed.items] == [
        e.get("link") or url for e in whole.entries[:MAX_ENTRIES]
    ]
    assert feed.items[-1].url == f"https://example.org/p/{MAX_ENTRIES - 2}"
