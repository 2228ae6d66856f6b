"""The fetcher's HTTP/1.1 client (sources/http11.py) against a loopback server that sends the
bytes each test scripts: framings, encodings, broken and hostile answers, keep-alive."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace

import pytest

from aiprogress.core.types import FetchStatus
from aiprogress.sources.http import FetchLimits, HttpFetcher, plain_target, yarl_target
from aiprogress.sources.http11 import MAX_HEAD_BYTES
from tests.builders import feed_source
from tests.conftest import snapshot_feed

FEED = snapshot_feed("bair-blog.rss")

# What the server answers to a request: raw bytes, and whether it then closes the connection.
Answer = Callable[[bytes], tuple[bytes, bool]]


@dataclass
class RawServer:
    """Answers each request on 127.0.0.1 with what `answer` makes of it, byte for byte."""

    answer: Answer
    port: int = 0
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed.xml"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    request = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return
                self.requests.append(request)
                data, close = self.answer(request)
                writer.write(data)
                await writer.drain()
                if close:
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


@pytest.fixture
async def raw() -> AsyncIterator[Callable[[Answer], RawServer]]:
    servers: list[RawServer] = []

    def make(answer: Answer) -> RawServer:
        server = RawServer(answer)
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()


async def started(server: RawServer) -> RawServer:
    await server.start()
    return server


def response(
    body: bytes, *headers: str, status: str = "200 OK", close: bool = False
) -> tuple[bytes, bool]:
    head = "\r\n".join([f"HTTP/1.1 {status}", *headers]) + "\r\n\r\n"
    return head.encode() + body, close


def limits(**changes: float) -> FetchLimits:
    return FetchLimits(**{"max_bytes": 200_000, "total_timeout": 2.0, **changes})  # type: ignore[arg-type]


async def fetch_once(server: RawServer, **changes: float) -> tuple[FetchStatus, str | None, int]:
    await server.start()
    async with HttpFetcher(limits=limits(**changes), allow_private=True) as fetcher:
        result = await fetcher.fetch(feed_source(server.url))
    items = len(result.feed.items) if result.feed is not None else 0
    return result.status, result.error, items


def chunked(body: bytes, size: int = 1000) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    framed = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in pieces)
    return framed + b"0\r\nX-Trailer: yes\r\n\r\n"


@pytest.mark.parametrize(
    "answer",
    [
        response(chunked(FEED), "Transfer-Encoding: chunked"),
        response(FEED, status="200 OK", close=True),  # to the connection's close
        (b"HTTP/1.0 200 OK\r\n\r\n" + FEED, True),
        (b"HTTP/1.1 200 OK\nContent-Length: %d\n\n%s" % (len(FEED), FEED), False),  # bare LF
        (
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s"
            % (len(FEED), FEED),
            False,
        ),
        response(
            chunked(gzip.compress(FEED)), "Content-Encoding: gzip", "Transfer-Encoding: chunked"
        ),
        response(
            zlib.compress(FEED),
            f"Content-Length: {len(zlib.compress(FEED))}",
            "Content-Encoding: deflate",
        ),
        response(
            (deflater := zlib.compressobj(wbits=-15)).compress(FEED) + deflater.flush(),
            "Content-Encoding: deflate",
            close=True,
        ),
    ],
    ids=["chunked", "to-close", "http-1.0", "bare-lf", "100-continue", "gzip", "zlib", "raw"],
)
async def test_every_framing_and_encoding_reads_the_same_feed(
    raw: Callable[[Answer], RawServer], answer: tuple[bytes, bool]
) -> None:
    server = raw(lambda _request: answer)
    status, error, items = await fetch_once(server)
    assert (status, error, items) == (FetchStatus.OK, None, 3)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            response(FEED[:500], f"Content-Length: {len(FEED)}", close=True),
            f"broken response body: the connection closed {len(FEED) - 500} bytes short",
        ),
        (
            response(b"5\r\nabc", "Transfer-Encoding: chunked", close=True),
            "broken response body: the connection closed 2 bytes short",
        ),
        (
            response(b"zz\r\n", "Transfer-Encoding: chunked"),
            "broken response body: bad chunk size line",
        ),
        (
            (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (MAX_HEAD_BYTES + 10), False),
            f"response headers over the {MAX_HEAD_BYTES}-byte limit",
        ),
        ((b"ICY 200 OK\r\n\r\n" + FEED, True), "malformed response: not an HTTP/1.x status line"),
        (
            response(FEED, "Content-Length: 10", "Content-Length: 20"),
            "malformed response: bad Content-Length",
        ),
        (
            response(FEED, "Transfer-Encoding: gzip, chunked"),
            "malformed response: unsupported transfer coding 'gzip, chunked'",
        ),
        (response(FEED, "Bad Header: x"), "malformed response: bad header line 'Bad Header: x'"),
        (
            response(gzip.compress(FEED)[:300], "Content-Encoding: gzip", close=True),
            "broken response body: the gzip stream is cut short",
        ),
        (
            response(b"not gzip at all", "Content-Encoding: gzip", close=True),
            "broken response body: cannot decode gzip: Error -3 while decompressing data: "
            "incorrect header check",
        ),
        (
            response(FEED, "Content-Encoding: zstd", close=True),
            "unsupported content encoding 'zstd'",
        ),
        ((b"", True), "server disconnected before it answered"),
    ],
    ids=[
        "short",
        "short-chunk",
        "bad-chunk",
        "huge-head",
        "not-http",
        "two-lengths",
        "transfer-coding",
        "bad-field",
        "cut-gzip",
        "not-gzip",
        "zstd",
        "no-answer",
    ],
)
async def test_broken_answers_are_the_sources_error(
    raw: Callable[[Answer], RawServer], answer: tuple[bytes, bool], error: str
) -> None:
    server = raw(lambda _request: answer)
    assert await fetch_once(server) == (FetchStatus.ERROR, error, 0)


async def test_the_cap_counts_decompressed_bytes_of_every_encoding(
    raw: Callable[[Answer], RawServer],
) -> None:
    bomb = zlib.compress(b" " * 5_000_000)
    server = raw(lambda _request: response(bomb, "Content-Encoding: deflate", close=True))
    assert await fetch_once(server) == (
        FetchStatus.ERROR,
        "response is over the 200000-byte limit",
        0,
    )


async def test_a_folded_header_is_read_as_one_value(raw: Callable[[Answer], RawServer]) -> None:
    server = raw(
        lambda _request: response(FEED, 'ETag: "first', '  half"', f"Content-Length: {len(FEED)}")
    )
    await server.start()
    async with HttpFetcher(limits=limits(), allow_private=True) as fetcher:
        result = await fetcher.fetch(feed_source(server.url))
    assert result.status is FetchStatus.OK and result.etag == '"first half"'


async def test_a_server_that_never_answers_times_out(raw: Callable[[Answer], RawServer]) -> None:
    server = await started(raw(lambda _request: (b"HTTP/1.1 200 OK\r\n", False)))
    async with HttpFetcher(limits=limits(total_timeout=0.3), allow_private=True) as fetcher:
        result = await fetcher.fetch(feed_source(server.url))
    assert (result.status, result.error) == (FetchStatus.ERROR, "timed out")


def conditional(request: bytes) -> tuple[bytes, bool]:
    if b'If-None-Match: "v1"' in request:
        return response(b"", 'ETag: "v1"', status="304 Not Modified")
    return response(FEED, 'ETag: "v1"', f"Content-Length: {len(FEED)}")


async def test_connections_are_kept_alive_and_a_closed_one_is_retried(
    raw: Callable[[Answer], RawServer],
) -> None:
    kept = await started(raw(conditional))
    # This one closes every connection after its answer, without saying so.
    closing = await started(raw(lambda request: (conditional(request)[0], True)))
    async with HttpFetcher(limits=limits(per_host=1), allow_private=True) as fetcher:
        for server in (kept, closing):
            first = await fetcher.fetch(feed_source(server.url))
            assert first.status is FetchStatus.OK and first.etag == '"v1"'
            for _ in range(3):
                again = await fetcher.fetch(feed_source(server.url, etag='"v1"'))
                assert again.status is FetchStatus.NOT_MODIFIED and again.http_status == 304
    assert kept.connections == 1 and len(kept.requests) == 4
    # Each reuse found the connection closed, and asked again on a new one.
    assert closing.connections == 4 and len(closing.requests) == 4


async def test_requests_say_who_asks_and_what_they_hold(raw: Callable[[Answer], RawServer]) -> None:
    server = await started(raw(conditional))
    async with HttpFetcher(limits=limits(), allow_private=True) as fetcher:
        since = "Sat, 15 Aug 2026 12:00:00 GMT"
        await fetcher.fetch(replace(feed_source(server.url, etag='"v1"'), last_modified=since))
        refused = await fetcher.fetch(feed_source(server.url, etag='"v1"\r\nX-Injected: 1'))
    head = server.requests[0].decode()
    assert head.startswith(f"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n")
    for line in (
        "Accept-Encoding: gzip, deflate",
        'If-None-Match: "v1"',
        "If-Modified-Since: Sat, 15 Aug 2026 12:00:00 GMT",
    ):
        assert f"\r\n{line}\r\n" in head
    # A stored validator cannot split a request in two.
    assert refused.status is FetchStatus.ERROR
    assert (refused.error or "").startswith("cannot send the request: a control character")
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/",
        "https://example.org/feed.xml?tag=llm&sort=new;v=2",
        "http://127.0.0.1:8080/feed/1.xml",
        "https://example.org:8443/~lab/(news)/feed.rss",
        "http://[::1]:8080/feed",
        "http://[2001:db8::1]/a:b@c",
        "https://feeds.example.com/a/b/",
    ],
)
def test_a_plain_stored_url_is_split_as_yarl_splits_it(url: str) -> None:
    fast, slow = plain_target(url), yarl_target(url)
    assert fast is not None
    assert (fast.scheme, fast.host, fast.port, fast.authority, fast.path) == (
        slow.scheme,
        slow.host,
        slow.port,
        slow.authority,
        slow.path,
    )
