"""The fetcher (its HTTP/1.1 client, sources/http11.py) against a loopback feed host."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from aiprogress.core.types import FetchStatus
from aiprogress.core.urls import is_public_address
from aiprogress.sources.http import (
    USER_AGENT,
    FetchLimits,
    HttpFetcher,
    PublicOnlyResolver,
)
from aiprogress.sources.http_headers import fresh_for, retry_after
from tests.builders import feed_source
from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer, Route


@pytest.fixture
async def fetcher() -> AsyncIterator[HttpFetcher]:
    async with HttpFetcher(
        limits=FetchLimits(max_bytes=200_000, max_redirects=3, total_timeout=5), allow_private=True
    ) as fetcher:
        yield fetcher


async def test_fetch_parses_and_returns_validators(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    result = await fetcher.fetch(feed_source(url))
    assert result.status is FetchStatus.OK, result.error
    assert result.feed is not None and len(result.feed.items) == 3
    assert result.etag and result.etag.startswith('"')
    assert feed_server.user_agents == {USER_AGENT}


async def test_a_200_with_the_stored_etag_is_not_read_again(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    feed_server.routes["/full.rss"] = Route(body=snapshot_feed("bair-blog.rss"), conditional=False)
    url = feed_server.url("/full.rss")
    first = await fetcher.fetch(feed_source(url))
    assert first.status is FetchStatus.OK and first.body_hash
    second = await fetcher.fetch(feed_source(url, etag=first.etag, body_hash=first.body_hash))
    # The server answered 200 in full; its ETag says it is the same document.
    assert feed_server.conditional_hits["/full.rss"] == 0
    assert second.status is FetchStatus.NOT_MODIFIED and second.feed is None
    assert second.etag == first.etag and second.http_status == 200


async def test_a_200_with_the_same_body_is_not_parsed_again(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    body = snapshot_feed("bair-blog.rss")
    feed_server.routes["/plain.rss"] = Route(body=body, etag=False)
    url = feed_server.url("/plain.rss")
    first = await fetcher.fetch(feed_source(url))
    assert first.status is FetchStatus.OK and first.etag is None and first.body_hash
    same = await fetcher.fetch(feed_source(url, body_hash=first.body_hash))
    assert same.status is FetchStatus.NOT_MODIFIED and same.feed is None
    feed_server.routes["/plain.rss"] = Route(body=body.replace(b"BAIR", b"Bair"), etag=False)
    changed = await fetcher.fetch(feed_source(url, body_hash=first.body_hash))
    assert changed.status is FetchStatus.OK and changed.feed is not None
    assert changed.body_hash not in (None, first.body_hash)


async def test_etag_round_trip_gives_not_modified(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    first = await fetcher.fetch(feed_source(url))
    second = await fetcher.fetch(feed_source(url, etag=first.etag))
    assert second.status is FetchStatus.NOT_MODIFIED
    assert second.etag == first.etag
    assert feed_server.conditional_hits["/bair.rss"] == 1


async def test_a_304_gives_its_connection_back(feed_server: FeedServer) -> None:
    """A 304 is released without being read: with one connection allowed to the host, the
    fetches after it still get one, and a changed ETag is sent as the source now holds it."""
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    limits = FetchLimits(per_host=1, concurrency=1, total_timeout=5)
    async with HttpFetcher(limits=limits, allow_private=True) as fetcher:
        first = await fetcher.fetch(feed_source(url))
        for _ in range(3):
            again = await fetcher.fetch(feed_source(url, etag=first.etag))
            assert again.status is FetchStatus.NOT_MODIFIED and again.http_status == 304
        stale = await fetcher.fetch(feed_source(url, etag='"an older version"'))
    assert stale.status is FetchStatus.OK and stale.feed is not None
    assert feed_server.conditional_hits["/bair.rss"] == 3
    assert feed_server.hits["/bair.rss"] == 5


async def test_http_errors_are_results_not_exceptions(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    feed_server.routes["/gone"] = Route(status=410)
    result = await fetcher.fetch(feed_source(feed_server.url("/gone")))
    assert result.status is FetchStatus.ERROR
    assert result.error == "HTTP 410 Gone"


async def test_body_over_the_cap_is_refused(feed_server: FeedServer, fetcher: HttpFetcher) -> None:
    url = feed_server.feed("/big.rss", b"<rss>" + b" " * 300_000 + b"</rss>")
    result = await fetcher.fetch(feed_source(url))
    assert result.status is FetchStatus.ERROR
    assert result.error is not None and "200000-byte limit" in result.error


async def test_redirects_are_followed_and_limited(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    feed_server.feed("/real.rss", snapshot_feed("bair-blog.rss"))
    feed_server.routes["/moved"] = Route(status=301, location="/real.rss")
    moved = await fetcher.fetch(feed_source(feed_server.url("/moved")))
    assert moved.status is FetchStatus.OK

    feed_server.routes["/loop-a"] = Route(status=302, location="/loop-b")
    feed_server.routes["/loop-b"] = Route(status=302, location="/loop-a")
    looped = await fetcher.fetch(feed_source(feed_server.url("/loop-a")))
    assert looped.status is FetchStatus.ERROR
    assert looped.error == "more than 3 redirects"


async def test_redirect_to_an_unusable_url_is_refused(
    feed_server: FeedServer, fetcher: HttpFetcher
) -> None:
    # The source's own URL was checked when it was added; every redirect target is checked here.
    feed_server.routes["/ftp"] = Route(status=302, location="ftp://example.org/feed.xml")
    feed_server.routes["/secret"] = Route(status=301, location="http://user:pw@example.org/f")
    to_ftp = await fetcher.fetch(feed_source(feed_server.url("/ftp")))
    to_userinfo = await fetcher.fetch(feed_source(feed_server.url("/secret")))
    assert to_ftp.status is FetchStatus.ERROR and to_userinfo.status is FetchStatus.ERROR
    assert (to_ftp.error or "").startswith("redirected to an unusable URL: only http and https")
    assert (to_userinfo.error or "").startswith("redirected to an unusable URL: URLs with a user")


async def test_html_page_is_a_parse_error(feed_server: FeedServer, fetcher: HttpFetcher) -> None:
    url = feed_server.feed("/page", b"<html><body><h1>Hello</h1></body></html>", "text/html")
    result = await fetcher.fetch(feed_source(url))
    assert result.status is FetchStatus.ERROR
    assert result.error is not None and result.error.startswith("not an RSS, Atom or JSON feed")


async def test_unreachable_host_is_an_error(fetcher: HttpFetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await fetcher.fetch(feed_source(f"http://127.0.0.1:{port}/feed"))
    assert result.status is FetchStatus.ERROR
    assert result.error is not None and result.error.startswith("cannot connect to 127.0.0.1")


# --- the private-address guard ----------------------------------------------------------------


async def test_loopback_literal_is_refused_without_the_setting(feed_server: FeedServer) -> None:
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    async with HttpFetcher(allow_private=False) as guarded:
        result = await guarded.fetch(feed_source(url))
    assert result.status is FetchStatus.ERROR
    assert result.error is not None and "AIPROGRESS_ALLOW_PRIVATE_URLS" in result.error
    assert feed_server.hits["/bair.rss"] == 0


def loopback_only(address: str) -> bool:
    """A policy that lets the test's own host through and nothing else private."""
    return address == "127.0.0.1" or is_public_address(address)


async def test_redirect_to_a_private_address_is_refused(feed_server: FeedServer) -> None:
    feed_server.routes["/hop"] = Route(status=302, location="http://10.0.0.1/internal")
    feed_server.routes["/named"] = Route(status=302, location="http://localhost/admin")
    async with HttpFetcher(address_policy=loopback_only) as guarded:
        to_address = await guarded.fetch(feed_source(feed_server.url("/hop")))
        to_name = await guarded.fetch(feed_source(feed_server.url("/named")))
    assert to_address.status is FetchStatus.ERROR
    assert to_address.error is not None and to_address.error.startswith("refused: 10.0.0.1")
    assert to_name.status is FetchStatus.ERROR
    assert to_name.error is not None and to_name.error.startswith("refused: localhost")


class StaticResolver:
    """Answers every name with fixed addresses, as a DNS server pointing at internal hosts would."""

    def __init__(self, *addresses: str) -> None:
        self._addresses = addresses

    async def resolve(self, host: str, port: int) -> list[str]:
        return list(self._addresses)


class CountingResolver(StaticResolver):
    """A `StaticResolver` that counts the questions it is asked."""

    def __init__(self, *addresses: str) -> None:
        super().__init__(*addresses)
        self.asked = 0

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked += 1
        return await super().resolve(host, port)


async def test_a_refused_address_is_refused_at_every_request(feed_server: FeedServer) -> None:
    """The fetcher keeps its verdict on a host: the second request to it is refused as the
    first was, without the server hearing of either."""
    url = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    async with HttpFetcher() as guarded:
        first = await guarded.fetch(feed_source(url))
        second = await guarded.fetch(feed_source(url))
    assert first.status is second.status is FetchStatus.ERROR
    assert first.error == second.error
    assert first.error is not None and first.error.startswith("refused: 127.0.0.1")
    assert feed_server.hits["/bair.rss"] == 0


async def test_a_name_let_through_is_still_resolved_and_checked_each_time(
    feed_server: FeedServer,
) -> None:
    """A name's verdict is kept, its addresses are not: a name that passes the URL check but
    resolves to an internal address is refused at every request, not only the first."""
    feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    resolver = CountingResolver("10.0.0.1")
    named = feed_source(f"http://feeds.example.com:{feed_server.port}/bair.rss")
    async with HttpFetcher(address_policy=loopback_only, resolver=resolver) as guarded:
        first = await guarded.fetch(named)
        second = await guarded.fetch(named)
    for refused in (first, second):
        assert refused.status is FetchStatus.ERROR
        assert refused.error is not None and "non-public address (10.0.0.1)" in refused.error
    assert resolver.asked == 2
    # And where the name points at the test's own host, the policy lets it through.
    async with HttpFetcher(
        address_policy=loopback_only, resolver=CountingResolver("127.0.0.1")
    ) as guarded:
        allowed = await guarded.fetch(named)
    assert allowed.status is FetchStatus.OK, allowed.error
    assert feed_server.hits["/bair.rss"] == 1


async def test_a_stored_source_allowed_once_is_refused_after_a_redirect_inward(
    feed_server: FeedServer,
) -> None:
    """An allowed host's verdict does not carry over to where it redirects."""
    feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    feed_server.routes["/moved"] = Route(status=301, location="http://10.0.0.1/bair.rss")
    async with HttpFetcher(address_policy=loopback_only) as guarded:
        allowed = await guarded.fetch(feed_source(feed_server.url("/bair.rss")))
        moved = await guarded.fetch(feed_source(feed_server.url("/moved")))
        allowed_again = await guarded.fetch(feed_source(feed_server.url("/bair.rss")))
    assert allowed.status is allowed_again.status is FetchStatus.OK
    assert moved.status is FetchStatus.ERROR
    assert moved.error is not None and moved.error.startswith("refused: 10.0.0.1")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.5",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "::ffff:127.0.0.1",
    ],
)
async def test_names_resolving_to_private_addresses_are_refused(address: str) -> None:
    resolver = PublicOnlyResolver(StaticResolver(address))
    with pytest.raises(OSError, match="non-public address"):
        await resolver.resolve("feeds.example.com", 80)


async def test_public_answers_pass_and_private_ones_are_dropped() -> None:
    resolver = PublicOnlyResolver(StaticResolver("10.0.0.1", "93.184.215.14"))
    answers = await resolver.resolve("feeds.example.com", 80)
    assert answers == ["93.184.215.14"]


def test_server_hints() -> None:
    date = "Sat, 15 Aug 2026 12:00:00 GMT"
    assert retry_after({"Retry-After": "120"}) == 120.0
    assert retry_after({"Retry-After": "Sat, 15 Aug 2026 12:30:00 GMT", "Date": date}) == 1800.0
    assert retry_after({"Retry-After": "soon"}) is None
    assert fresh_for({"Cache-Control": "public, max-age=600"}) == 600.0
    assert fresh_for({"Cache-Control": "no-cache, max-age=600"}) is None
    assert fresh_for({"Expires": "Sat, 15 Aug 2026 13:00:00 GMT", "Date": date}) == 3600.0
    assert fresh_for({"Expires": "0"}) is None
    assert fresh_for({"Date": date}) is None


@pytest.mark.parametrize("inline_limit", [0, 1_000_000])
async def test_large_and_small_documents_parse_alike(
    feed_server: FeedServer, inline_limit: int
) -> None:
    # Documents over the inline limit are parsed on the fetcher's thread, the others on the
    # event loop; the result is the same either way.
    url = feed_server.feed("/anthropic.rss", snapshot_feed("anthropic-news.rss"))
    limits = FetchLimits(inline_parse_bytes=inline_limit)
    async with HttpFetcher(limits=limits, allow_private=True) as fetcher:
        result = await fetcher.fetch(feed_source(url))
    assert result.status is FetchStatus.OK, result.error
    assert result.feed is not None and len(result.feed.items) == 255


@pytest.mark.parametrize(
    ("stored", "requested"),
    [
        # Plain characters go out as they are stored.
        ("/feeds/ai.xml?tag=llm&sort=new;v=2", "/feeds/ai.xml?tag=llm&sort=new;v=2"),
        ("/~lab/(news)/feed.rss", "/~lab/(news)/feed.rss"),
        # Everything else is encoded and normalised by yarl, as a URL typed in by hand would be.
        ("/новости/feed.xml", "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/feed.xml"),
        ("/a%2fb/feed.xml", "/a%2Fb/feed.xml"),
        ("/blog/../feed.xml", "/feed.xml"),
    ],
)
async def test_stored_urls_are_requested_as_encoded_urls(
    feed_server: FeedServer, fetcher: HttpFetcher, stored: str, requested: str
) -> None:
    result = await fetcher.fetch(feed_source(feed_server.url(stored)))
    assert result.http_status == 404
    assert feed_server.raw_paths == [requested]


@pytest.mark.parametrize("check_on_thread", [True, False])
async def test_a_refusal_of_the_check_on_the_thread_is_the_fetchs_error(
    feed_server: FeedServer, check_on_thread: bool
) -> None:
    # A small document's limits check runs on the fetcher's thread (beside a second core): what
    # it refuses is the source's error, as when the whole parse runs on the loop; a feed that
    # passes is read alike either way.
    entities = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><rss>&a;</rss>'
    refused = feed_server.feed("/entities.rss", entities)
    read = feed_server.feed("/bair.rss", snapshot_feed("bair-blog.rss"))
    limits = FetchLimits(check_on_thread=check_on_thread)
    async with HttpFetcher(limits=limits, allow_private=True) as fetcher:
        result = await fetcher.fetch(feed_source(refused))
        feed = await fetcher.fetch(feed_source(read))
    assert result.status is FetchStatus.ERROR
    assert (result.error or "").startswith("refused: the document declares XML entities")
    assert feed.status is FetchStatus.OK and feed.feed is not None and len(feed.feed.items) == 3
