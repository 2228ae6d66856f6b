"""HTTP fetching: conditional GET, limits, and the private-address guard, over the lean HTTP/1.1
client of sources/http11.py (our own, over asyncio protocols, keep-alive per host).

The fetcher used aiohttp's client until issue 21; the all-304 `aiprogress collect` of 2,000
loopback feeds spent ~20% of its instructions importing aiohttp and about half of the rest in
its request path (docs/architecture.md has the figures before and after). aiohttp is still
what the bots and the web endpoints use; nothing on the collect path imports it. httpx was
measured before aiohttp and was slower still (CPU per request).
"""

from __future__ import annotations

import asyncio
import hashlib
import string
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin

from aiprogress import __version__
from aiprogress.core.errors import BlockedAddress, FetchError, InvalidSourceUrl, ParseError
from aiprogress.core.types import (
    FetchResult,
    FetchStatus,
    ParsedFeed,
    ProbeKind,
    Source,
    SourceProbe,
)
from aiprogress.core.urls import (
    check_host_allowed,
    is_public_address,
    literal_ip,
    normalise_source_url,
)
from aiprogress.sources.http11 import (
    ACCEPT_ENCODING,
    AddressPolicy,
    Http11Client,
    PublicOnlyResolver,
    Resolver,
    Response,
    SystemResolver,
    Target,
)
from aiprogress.sources.http_headers import fresh_for, retry_after
from aiprogress.sources.tls import DeferredTrustContext, client_context

if TYPE_CHECKING:
    from aiprogress.sources.parse_worker import ParserProcess

__all__ = [
    "FEED_ACCEPT",
    "USER_AGENT",
    "AddressPolicy",
    "FetchLimits",
    "HttpFetcher",
    "PublicOnlyResolver",
    "Resolver",
]

# The parsers (and the page reader `probe` uses) are imported when first needed: a collection
# whose feeds all answer 304 parses nothing, and importing them cost it 30M instructions (~1%)
# and 2 MB (callgrind, issue 21).

USER_AGENT = f"aiprogress/{__version__} (+https://github.com/aiprogress/aiprogress)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)

# What may stand anywhere in an already encoded URL (RFC 3986's unreserved and reserved
# characters) except "%", whose escapes yarl checks and normalises, and the brackets of IPv6
# hosts, which yarl encodes in a path.
_PLAIN_URL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#@!$&'()*+,;=")

# Most hosts whose verdicts a fetcher keeps (the table is emptied when full): more than a
# collection of thousands of sources needs, and a bound on what a long-running service keeps
# for redirects to ever new hosts.
_KEPT_HOSTS = 16_384


@dataclass(frozen=True, slots=True)
class FetchLimits:
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 64
    per_host: int = 4
    parser_threads: int = 1
    inline_parse_bytes: int = 128 * 1024
    # Parse in a worker process (`parse_worker`), on another core, once this fetcher has parsed
    # `inline_before_process` feeds itself: a collection with a few changed feeds never starts it.
    parse_process: bool = False
    inline_before_process: int = 32
    # A document parsed on the loop has its limits check (libxml2, GIL released) run on the
    # parser thread meanwhile: worth it with a second core, a cost (the hand-over) without one.
    check_on_thread: bool = True


class HttpFetcher:
    """The `Fetcher` port over one HTTP/1.1 client (sources/http11.py). Use as an async context
    manager."""

    def __init__(
        self,
        *,
        limits: FetchLimits | None = None,
        allow_private: bool = False,
        address_policy: AddressPolicy | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        """`address_policy` decides which IP addresses may be fetched from, by the address
        alone; by default every public one, or every one at all with `allow_private`.
        `resolver` turns names into addresses (the system's by default), which the policy then
        filters at every connection."""
        self._limits = limits or FetchLimits()
        self._policy: AddressPolicy | None = address_policy or (
            None if allow_private else is_public_address
        )
        self._resolver = resolver
        self._client: Http11Client | None = None
        self._parser_threads: ThreadPoolExecutor | None = None
        self._parser_process: ParserProcess | None = None
        self._parsed_here = 0
        # What `_check_url` decided for a host (None: allowed, else why not). It depends on the
        # host's text and the fixed policy alone, so it is worked out once a fetcher, not once a
        # request; a name's addresses are still checked at every connection, by the resolver.
        self._host_refusals: dict[str, str | None] = {}
        # Verifying as `ssl.create_default_context()` does; its trust store is loaded (on a
        # thread) before the first https request, so plain-http feeds never pay for it.
        self._tls: DeferredTrustContext = client_context()
        self._tls.set_alpn_protocols(["http/1.1"])

    async def __aenter__(self) -> Self:
        limits = self._limits
        resolver = self._resolver or SystemResolver()
        self._client = Http11Client(
            tls=self._tls,
            resolver=(
                resolver
                if self._policy is None
                else PublicOnlyResolver(resolver, allowed=self._policy)
            ),
            connect_timeout=limits.connect_timeout,
            total_timeout=limits.total_timeout,
            concurrency=limits.concurrency,
            per_host=limits.per_host,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": FEED_ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        # Parsing holds the GIL for most of its time: more threads only queue up behind each
        # other and delay the event loop and the database.
        self._parser_threads = ThreadPoolExecutor(
            max_workers=limits.parser_threads, thread_name_prefix="aiprogress-parse"
        )
        if limits.parse_process:
            from aiprogress.sources.parse_worker import ParserProcess

            self._parser_process = ParserProcess()
        return self

    @property
    def tls_trust_loaded(self) -> bool:
        """Whether the trust store that https needs has been read: it is, on a thread, before
        the fetcher's first https request, and never for plain-http sources."""
        return not self._tls.trust_pending

    @property
    def parser_process(self) -> ParserProcess | None:
        """The worker process that parses feeds, where the limits ask for one."""
        return self._parser_process

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._parser_threads is not None:
            self._parser_threads.shutdown(wait=True)
            self._parser_threads = None
        if self._parser_process is not None:
            await self._parser_process.close()
            self._parser_process = None

    async def _get(
        self, url: str, headers: Mapping[str, str], *, canonical: bool = False
    ) -> tuple[str, Response]:
        """GET a URL, following redirects ourselves so every hop passes the address checks;
        returns the final URL and its (non-redirect) response, which the caller releases (with
        `with` or `release`). `canonical` says `url` already passed `normalise_source_url` (a
        stored source's URL), so its first hop only needs the address check."""
        client = self._opened()
        target = self._check_url(url, canonical=canonical)
        if self._tls.trust_pending and target.scheme == "https":
            await self._load_trust()
        response = await client.get(target, headers)
        if response.status in _REDIRECTS:
            return await self._redirected(url, response, headers)
        return url, response

    async def _redirected(
        self, url: str, response: Response, headers: Mapping[str, str]
    ) -> tuple[str, Response]:
        """`_get` from a first hop's redirect on."""
        client = self._opened()
        for _ in range(self._limits.max_redirects):
            url = _next_hop(url, response)
            target = self._check_url(url)
            if self._tls.trust_pending and target.scheme == "https":
                await self._load_trust()
            response = await client.get(target, headers)
            if response.status not in _REDIRECTS:
                return url, response
        _next_hop(url, response)
        raise FetchError(f"more than {self._limits.max_redirects} redirects")

    def _opened(self) -> Http11Client:
        if self._client is None:
            raise RuntimeError("HttpFetcher is used outside its `async with` block")
        return self._client

    async def _load_trust(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._tls.load_pending_trust)

    async def fetch_document(self, url: str) -> bytes:
        """The body of a structured data file (a price table, a leaderboard) under the same
        limits and address checks as feeds; raises `FetchError`."""
        try:
            _, response = await self._get(url, {"Accept": "*/*"})
            with response:
                if response.status != 200:
                    raise FetchError(f"HTTP {response.status} {response.reason or ''}".strip())
                return await self._read_capped(response)
        except TimeoutError:
            raise FetchError("timed out") from None

    async def probe(self, url: str) -> SourceProbe:
        """Fetch a URL someone wants to add, once, under the same limits and address checks as
        a collection: a feed (parsed, with its validators, so the first collection can ask
        conditionally), a web page (with the feeds it links), another document, or a failure.
        `url` has passed `normalise_source_url`."""
        try:
            final_url, response = await self._get(url, {}, canonical=True)
            with response:
                if response.status >= 400:
                    error = f"HTTP {response.status} {response.reason or ''}".strip()
                    return SourceProbe(ProbeKind.FAILED, url, error=error)
                if response.status != 200:
                    return SourceProbe(
                        ProbeKind.FAILED, url, error=f"unexpected HTTP {response.status}"
                    )
                body = await self._read_capped(response)
                content_type = response.headers.get("Content-Type")
                fetched = FetchResult(
                    status=FetchStatus.OK,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                    http_status=200,
                    fresh_for_seconds=fresh_for(response.headers),
                )
        except FetchError as exc:
            return SourceProbe(ProbeKind.FAILED, url, error=str(exc))
        except TimeoutError:
            return SourceProbe(ProbeKind.FAILED, url, error="timed out")
        from aiprogress.sources.discover import feed_links, looks_like_html
        from aiprogress.sources.parse import parse_feed

        loop = asyncio.get_running_loop()
        parse = partial(parse_feed, body, url=final_url, content_type=content_type)
        try:
            feed = await loop.run_in_executor(self._parser_threads, parse)
        except ParseError as exc:
            if looks_like_html(body, content_type):
                links = feed_links(body, url=final_url)
                return SourceProbe(ProbeKind.PAGE, final_url, feed_links=links)
            media_type = (content_type or "").split(";")[0].strip()
            error = f"got {media_type}: {exc}" if media_type else str(exc)
            return SourceProbe(ProbeKind.NOT_FEED, final_url, error=error)
        return SourceProbe(ProbeKind.FEED, final_url, fetched=replace(fetched, feed=feed))

    async def fetch(self, source: Source) -> FetchResult:
        # One coroutine, not one for the errors around another: each of a request's
        # suspensions resumes every coroutine awaiting it.
        try:
            headers: dict[str, str] = {}
            if source.etag:
                headers["If-None-Match"] = source.etag
            if source.last_modified:
                headers["If-Modified-Since"] = source.last_modified
            # `_get`'s first hop, inline: a coroutine awaiting another is resumed through both
            # at each of a request's suspensions.
            url = source.url
            target = self._check_url(url, canonical=True)
            if self._tls.trust_pending and target.scheme == "https":
                await self._load_trust()
            response = await self._opened().get(target, headers)
            if response.status in _REDIRECTS:
                url, response = await self._redirected(url, response, headers)
            if response.status == 304:
                # Nothing to read: the connection goes back to the pool.
                response.release()
                return FetchResult(
                    status=FetchStatus.NOT_MODIFIED,
                    etag=source.etag,
                    last_modified=source.last_modified,
                    http_status=304,
                    fresh_for_seconds=fresh_for(response.headers),
                )
            with response:
                if response.status >= 400:
                    return FetchResult(
                        status=FetchStatus.ERROR,
                        error=f"HTTP {response.status} {response.reason or ''}".strip(),
                        http_status=response.status,
                        retry_after_seconds=retry_after(response.headers),
                    )
                if response.status != 200:
                    raise FetchError(f"unexpected HTTP {response.status}")
                validators = (response.headers.get("ETag"), response.headers.get("Last-Modified"))
                fresh = fresh_for(response.headers)
                if source.etag and validators[0] == source.etag:
                    # A server that ignores If-None-Match but names the same version: the body is
                    # the one read last time (as Miniflux reads it); not even downloaded.
                    return self._unchanged(source, validators, fresh)
                body = await self._read_capped(response)
                content_type = response.headers.get("Content-Type")
            body_hash = hashlib.blake2b(body, digest_size=16).hexdigest()
            if body_hash == source.body_hash:
                # The same document as last time, with new validators or none: nothing to parse.
                return self._unchanged(source, validators, fresh)
            # Parsed once the connection is back in the pool.
            feed = await self._parse(body, url=url, content_type=content_type)
            return FetchResult(
                status=FetchStatus.OK,
                feed=feed,
                etag=validators[0],
                last_modified=validators[1],
                http_status=200,
                fresh_for_seconds=fresh,
                body_hash=body_hash,
            )
        except (FetchError, ParseError) as exc:
            return FetchResult(status=FetchStatus.ERROR, error=str(exc))
        except TimeoutError:
            return FetchResult(status=FetchStatus.ERROR, error="timed out")

    async def _parse(self, body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
        from aiprogress.sources.jsonfeed import looks_like_json_feed
        from aiprogress.sources.parse import check_xml, parse_checked_xml, parse_feed

        if self._parser_process is not None:
            from aiprogress.sources.parse_worker import WorkerGone

            if self._parsed_here >= self._limits.inline_before_process:
                try:
                    return await self._parser_process.parse(
                        body, url=url, content_type=content_type
                    )
                except WorkerGone:
                    pass  # parsed here, as without a worker
            self._parsed_here += 1
        # Without a worker, documents up to `inline_parse_bytes` are parsed on the loop (the
        # default: a typical feed, whose Python half would take turns with the loop on a thread
        # anyway) and larger ones on the fetcher's thread, so the loop never stalls for long;
        # with `inline_parse_bytes=0`, every document goes to the thread (AIPROGRESS_PARSE_IN).
        parse = partial(parse_feed, body, url=url, content_type=content_type)
        if len(body) <= self._limits.inline_parse_bytes:
            if (
                not self._limits.check_on_thread
                or self._parser_threads is None
                or looks_like_json_feed(body, content_type)
            ):
                return parse()
            # The limits check, libxml2 reading the whole document with the GIL released (a
            # tenth of a first pass's instructions), runs on the thread beside the loop.
            well_formed = await asyncio.get_running_loop().run_in_executor(
                self._parser_threads, check_xml, body
            )
            return parse_checked_xml(
                body, url=url, content_type=content_type, well_formed=well_formed
            )
        return await asyncio.get_running_loop().run_in_executor(self._parser_threads, parse)

    @staticmethod
    def _unchanged(
        source: Source, validators: tuple[str | None, str | None], fresh: float | None
    ) -> FetchResult:
        """A 200 that carries the document read last time, reported as a 304 would be."""
        return FetchResult(
            status=FetchStatus.NOT_MODIFIED,
            etag=validators[0] or source.etag,
            last_modified=validators[1] or source.last_modified,
            http_status=200,
            fresh_for_seconds=fresh,
        )

    def _check_url(self, url: str, *, canonical: bool = False) -> Target:
        """Where to send the request for `url`, once it passed the checks."""
        if not canonical:
            try:
                normalise_source_url(url, allow_private=True)
            except InvalidSourceUrl as exc:
                raise FetchError(f"redirected to an unusable URL: {exc}") from None
        # A stored URL of plain characters is sent as it is, split here (`plain_target`); any
        # other (percent signs, non-ASCII, dot segments) is encoded and normalised by yarl.
        target = None
        if canonical and _PLAIN_URL_CHARACTERS.issuperset(url) and "/." not in url:
            target = plain_target(url)
        if target is None:
            target = yarl_target(url)
        policy = self._policy
        if policy is None:
            return target
        host = target.host
        try:
            refusal = self._host_refusals[host]
        except KeyError:
            # For a name, four failed IP parses: 55,000 instructions a request (callgrind).
            refusal = _host_refusal(host, policy)
            if len(self._host_refusals) >= _KEPT_HOSTS:
                self._host_refusals.clear()
            self._host_refusals[host] = refusal
        if refusal is not None:
            raise FetchError(refusal)
        return target

    async def _read_capped(self, response: Response) -> bytes:
        cap = self._limits.max_bytes
        declared = response.content_length
        if declared is not None and declared > cap:
            raise FetchError(f"response of {declared} bytes is over the {cap}-byte limit")
        # Counted after decompression, so a small gzip body cannot expand past the cap.
        return await response.read(cap)


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _next_hop(url: str, redirect: Response) -> str:
    """Where a redirect leads (released here), joined to the URL that gave it."""
    location = redirect.headers.get("Location")
    redirect.release()
    if not location:
        raise FetchError(f"HTTP {redirect.status} without a Location header")
    return urljoin(url, location)


def _host_refusal(host: str, policy: AddressPolicy) -> str | None:
    """Why requests to `host` are refused under `policy`, or None when they may go ahead."""
    address = literal_ip(host)
    if address is not None:
        # The client does not consult the resolver for IP literals, so they are checked here.
        if not policy(address):
            return (
                f"refused: {host} is a loopback, private, link-local or reserved address; "
                "set AIPROGRESS_ALLOW_PRIVATE_URLS=true to allow it"
            )
        return None
    try:
        check_host_allowed(host, allow_private=False)
    except BlockedAddress as exc:
        return f"refused: {exc}"
    return None


def plain_target(url: str) -> Target | None:
    """The target of a stored (canonical) URL of plain characters, split as yarl splits it
    (tests/sources/test_http.py holds the two alike), or None for one to leave to yarl.
    Importing yarl cost an all-304 `collect` 44M instructions, 2.4% (callgrind, issue 21)."""
    scheme, separator, rest = url.partition("://")
    default_port = _DEFAULT_PORTS.get(scheme)
    if not separator or default_port is None:
        return None
    slash = rest.find("/")
    authority, path = (rest, "/") if slash < 0 else (rest[:slash], rest[slash:])
    if "@" in authority or "?" in authority or "#" in path:
        return None
    if authority.startswith("["):
        end = authority.find("]")
        host, port_text = authority[1:end], authority[end + 1 :]
        if end < 0 or (port_text and not port_text.startswith(":")):
            return None
        port_text = port_text[1:]
    else:
        host, _, port_text = authority.partition(":")
    if not host or host != host.lower() or (port_text and not port_text.isdigit()):
        return None
    port = int(port_text) if port_text else default_port
    if not 0 < port < 65536:
        return None
    return Target(scheme, host, port, authority, path)


def yarl_target(url: str) -> Target:
    """The target of any URL, encoded and normalised by yarl (imported on first use)."""
    from yarl import URL

    try:
        parsed = URL(url)
        port = parsed.port
    except ValueError as exc:
        raise FetchError(f"not a usable URL: {exc}") from None
    if parsed.scheme not in _DEFAULT_PORTS or not parsed.raw_host or port is None:
        raise FetchError(f"not a usable URL: {url}")
    return Target(
        parsed.scheme,
        parsed.raw_host,
        port,
        parsed.host_port_subcomponent or parsed.raw_host,
        parsed.raw_path_qs,
    )


_DEFAULT_PORTS = {"http": 80, "https": 443}
