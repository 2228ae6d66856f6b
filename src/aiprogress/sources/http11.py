"""The fetcher's HTTP/1.1 client: GET requests over asyncio protocols, with keep-alive per
host, the address policy applied to every connection it opens, and nothing else.

Why not aiohttp (which the fetcher used before issue 21): an all-304 `aiprogress collect` of
2,000 loopback feeds spent ~20% of its instructions importing aiohttp (its attrs classes compile
at import) and about half of the rest in aiohttp's request path (tracing, cookies, multidicts,
three coroutines a request). Nor h11: its state machine and header validation took ~170 us a
request on this machine, more than aiohttp's whole path; a GET client needs a small part of it.
docs/architecture.md has the figures.

What it does, each as aiohttp did it before:
- connections per (scheme, host, port) are kept alive and reused, at most `per_host` requests
  at once to a host and `concurrency` in all; an idle connection is dropped after
  `KEEPALIVE_SECONDS`, and a reused one that the server had closed is retried once on a new
  connection (a GET, before any byte of an answer);
- a name is resolved (`Resolver`) at every connection opened, and the addresses filtered by the
  fetcher's policy (`PublicOnlyResolver`); an IP literal is connected to as it is (the fetcher
  checks literals itself); several addresses are tried Happy-Eyeballs style;
- https is verified with the fetcher's TLS context (the system's trust store), `server_hostname`
  being the URL's host;
- `connect_timeout` bounds opening a connection (TCP and TLS), `total_timeout` a request from
  asking for a connection to the end of its body;
- responses are read as RFC 9112 writes them: a status line and headers of at most
  `MAX_HEAD_BYTES` (bare LF line ends and obs-fold accepted, anything else malformed refused),
  1xx skipped, no body for 204 and 304, Transfer-Encoding chunked (any other transfer coding
  refused), else Content-Length (conflicting values refused), else to the connection's close;
  gzip and deflate content is decompressed, the caller's cap counting decompressed bytes;
- requests carry no control characters (a stored validator cannot split one);
- no proxy (aiohttp's session did not read the environment's either) and no cookie jar: a feed
  fetch is anonymous.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Protocol

from aiprogress.core.errors import FetchError
from aiprogress.core.urls import is_public_address, literal_ip

__all__ = [
    "KEEPALIVE_SECONDS",
    "MAX_HEAD_BYTES",
    "Http11Client",
    "PublicOnlyResolver",
    "Resolver",
    "Response",
    "ResponseHeaders",
    "SystemResolver",
    "Target",
]

# A response's status line and headers together: aiohttp allowed 8,190 bytes a line; a head of
# many long headers (policies, cookies) still fits.
MAX_HEAD_BYTES = 64 * 1024
# How long an idle connection is kept for another request to its host (aiohttp's default).
KEEPALIVE_SECONDS = 15.0
# Received bytes not yet handed to the parser beyond which the socket stops being read: a body
# is read at the pace its reader takes it, never buffered whole past the caller's cap.
_READ_AHEAD = 256 * 1024
# Happy Eyeballs (RFC 8305): the next address is tried when the previous one has not connected
# within this many seconds (as aiohttp and asyncio do).
_NEXT_ADDRESS_DELAY = 0.25

ACCEPT_ENCODING = "gzip, deflate"


class Resolver(Protocol):
    """Turns a host name into the addresses to connect to, in order of preference."""

    async def resolve(self, host: str, port: int) -> list[str]: ...


class SystemResolver:
    """The system's resolver (getaddrinfo on the loop's thread pool)."""

    async def resolve(self, host: str, port: int) -> list[str]:
        answers = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
        addresses: list[str] = []
        for _family, _type, _proto, _name, address in answers:
            if address[0] not in addresses:
                addresses.append(str(address[0]))
        return addresses


AddressPolicy = Callable[[str], bool]


class PublicOnlyResolver:
    """Resolves names, then drops every address the policy refuses (by default every one that is
    not public). Asked at every connection, so a redirect or a DNS change cannot lead a fetch to
    a private address."""

    def __init__(
        self, inner: Resolver | None = None, *, allowed: AddressPolicy = is_public_address
    ) -> None:
        self._inner = inner or SystemResolver()
        self._allowed = allowed

    async def resolve(self, host: str, port: int) -> list[str]:
        answers = await self._inner.resolve(host, port)
        public = [address for address in answers if self._allowed(address)]
        if not public:
            addresses = ", ".join(sorted(set(answers)))
            raise OSError(f"{host} resolves to a non-public address ({addresses}); refused")
        return public


class ResponseHeaders(dict[str, str]):
    """A response's headers by lower-case name, the first of each name (as aiohttp's `get`
    answered); looked up by any case."""

    __slots__ = ()

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())


_Key = tuple[str, str, int]


class Target:
    """Where a request goes: the scheme, the host as connected to (an IDNA name or an IP address
    without brackets), the port, the Host header's value and the request target (path and
    query, encoded)."""

    __slots__ = ("authority", "host", "key", "path", "port", "scheme")

    def __init__(self, scheme: str, host: str, port: int, authority: str, path: str) -> None:
        self.scheme = scheme
        self.host = host
        self.port = port
        self.authority = authority
        self.path = path
        self.key: _Key = (scheme, host, port)


# How a response's body is delimited (RFC 9112 section 6.3).
_NO_BODY, _LENGTH, _CHUNKED, _TO_CLOSE = range(4)

# A field name's characters (RFC 9110's tchar). The head is read with str and bytes methods, not
# regular expressions: sre took ~30 us on a 304's head, most of the client's time.
_FIELD_NAME_CHARACTERS = (
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?")
# A chunk's size line (extensions and all), and what may follow the last chunk.
_MAX_CHUNK_LINE = 4096
_FORBIDDEN_IN_REQUEST = re.compile(r"[\x00-\x1f\x7f]")


class _Malformed(Exception):
    """What the server sent is not HTTP/1.1 as RFC 9112 writes it."""


class _Head:
    __slots__ = ("framing", "headers", "keep_alive", "length", "reason", "status")

    def __init__(self, head: bytes) -> None:
        status_end = head.find(b"\n")
        status_line = (head if status_end < 0 else head[:status_end]).removesuffix(b"\r")
        version, status = status_line[:9], status_line[9:12]
        if (
            version not in (b"HTTP/1.1 ", b"HTTP/1.0 ")
            or len(status) != 3
            or not status.isdigit()
            or status_line[12:13] not in (b"", b" ")
            or b"\x00" in status_line
        ):
            raise _Malformed("not an HTTP/1.x status line")
        self.status = int(status)
        self.reason = status_line[13:].decode("latin-1").strip()
        block = "" if status_end < 0 else head[status_end + 1 :].decode("utf-8", "surrogateescape")
        fields = _fields(block) if block else []
        headers = ResponseHeaders()
        lengths: list[str] = []
        for field, value in fields:
            name = field.lower()
            if name == "content-length":
                lengths.append(value)
            dict.setdefault(headers, name, value)  # the first of a name counts
        self.headers = headers
        connection = (headers.get("connection") or "").lower()
        self.keep_alive = version == b"HTTP/1.1 " and "close" not in connection
        self.length = 0
        if self.status < 200 or self.status in (204, 304):
            self.framing = _NO_BODY
        elif "transfer-encoding" in headers:
            codings = [c.strip().lower() for c in headers["transfer-encoding"].split(",")]
            if codings != ["chunked"]:
                raise _Malformed(f"unsupported transfer coding {headers['transfer-encoding']!r}")
            self.framing = _CHUNKED
        elif lengths:
            values = {v.strip() for joined in lengths for v in joined.split(",")}
            if len(values) != 1 or not (value := values.pop()).isdigit() or len(value) > 18:
                raise _Malformed("bad Content-Length")
            self.framing = _LENGTH
            self.length = int(value)
        else:
            self.framing = _TO_CLOSE
            self.keep_alive = False


def _fields(block: str) -> list[tuple[str, str]]:
    """A head's fields, in order. An obs-fold line continues the previous value, read as one
    space (RFC 9112 section 5.2); a line that is not a field is refused, as is a NUL or CR in a
    value."""
    fields: list[tuple[str, str]] = []
    for raw in block.split("\n"):
        line = raw.removesuffix("\r")
        if line[:1] in (" ", "\t"):
            if not fields:
                raise _Malformed("a header line starts with whitespace")
            more = line.strip(" \t")
            if "\x00" in more or "\r" in more:
                raise _Malformed(f"bad header value in {line[:60]!r}")
            field, value = fields[-1]
            fields[-1] = (field, f"{value} {more}" if value else more)
            continue
        field, colon, value = line.partition(":")
        if not colon or not field or field.strip(_FIELD_NAME_CHARACTERS):
            raise _Malformed(f"bad header line {line[:60]!r}")
        value = value.strip(" \t")
        if "\x00" in value or "\r" in value:
            raise _Malformed(f"bad header value in {line[:60]!r}")
        fields.append((field, value))
    return fields


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: what the socket receives waits in a buffer for its reader."""

    def __init__(self, key: _Key, loop: asyncio.AbstractEventLoop) -> None:
        self.key = key
        self.transport: asyncio.Transport | None = None
        self.idle_since = 0.0
        self.reused = False
        # Bytes received since the current request was sent (a stale kept-alive connection
        # closes before any); whether the current response was read to its end, reusably.
        self.received = 0
        self.reusable = False
        self.head: _Head | None = None
        self._loop = loop
        self._buffer = bytearray()
        self._paused = False
        self._ended = False  # the peer sent EOF or the connection was lost
        self._timed_out = False
        self._waiter: asyncio.Future[None] | None = None

    # asyncio's side.

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        self.received += len(data)
        if len(self._buffer) > _READ_AHEAD and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def eof_received(self) -> bool:
        self.connection_lost(None)
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # The reader's side.

    @property
    def usable(self) -> bool:
        transport = self.transport
        return not self._ended and transport is not None and not transport.is_closing()

    @property
    def ended(self) -> bool:
        return self._ended

    def more(self) -> asyncio.Future[None]:
        """A future done when more bytes arrive or the peer closes (or `time_out` was called:
        TimeoutError)."""
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        self._waiter = waiter = self._loop.create_future()
        if self._timed_out:
            waiter.set_exception(TimeoutError())
        return waiter

    def time_out(self) -> None:
        """The request's time is up: its wait in `more` ends in TimeoutError."""
        self._timed_out = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(TimeoutError())

    async def _more(self) -> bool:
        """Wait for more bytes; False when the peer has closed (nothing more will come)."""
        if self._ended:
            return False
        await self.more()
        return True

    def send(self, request: bytes) -> None:
        self.received = 0
        self.reusable = False
        self.head = None
        assert self.transport is not None  # noqa: S101 (connected before it is used)
        self.transport.write(request)

    def head_now(self) -> _Head | None:
        """The response's head if it has arrived in full (1xx responses skipped), else None;
        its body is still to be read."""
        buffer = self._buffer
        while True:
            # The first empty line: LF LF, or either with a CR before its LF.
            bare, crlf = buffer.find(b"\n\n"), buffer.find(b"\n\r\n")
            if crlf < 0 or 0 <= bare < crlf:
                line_end, head_end = bare, bare + 2
            else:
                line_end, head_end = crlf, crlf + 3
            if line_end < 0 or line_end > MAX_HEAD_BYTES:
                if len(buffer) > MAX_HEAD_BYTES:
                    raise FetchError(f"response headers over the {MAX_HEAD_BYTES}-byte limit")
                return None
            if line_end > 0 and buffer[line_end - 1] == 13:  # the CR of the last field's CRLF
                line_end -= 1
            head = _Head(bytes(buffer[:line_end]))
            del buffer[:head_end]
            if head.status == 101:
                raise _Malformed("the server switched protocols")
            if head.status >= 200:
                self.head = head
                if head.framing == _NO_BODY:
                    self.reusable = head.keep_alive
                return head

    def _take(self, most: int) -> bytes:
        buffer = self._buffer
        piece = bytes(buffer[:most])
        del buffer[: len(piece)]
        return piece

    async def _line(self, limit: int) -> bytes:
        buffer = self._buffer
        while True:
            end = buffer.find(b"\n")
            if end >= 0:
                if end > limit:
                    break
                line = bytes(buffer[:end])
                del buffer[: end + 1]
                return line.rstrip(b"\r")
            if len(buffer) > limit:
                break
            if not await self._more():
                raise FetchError("broken response body: the connection closed within a chunk")
        raise FetchError("broken response body: a chunk's size line is too long")

    async def _exactly(self, size: int, sink: Callable[[bytes], None]) -> None:
        remaining = size
        while remaining:
            if not self._buffer and not await self._more() and not self._buffer:
                raise FetchError(
                    f"broken response body: the connection closed {remaining} bytes short"
                )
            piece = self._take(remaining)
            remaining -= len(piece)
            if piece:
                sink(piece)

    async def read_body(self, sink: Callable[[bytes], None]) -> None:
        """Hand the current response's body to `sink`, piece by piece, to its end."""
        head = self.head
        assert head is not None  # noqa: S101 (head_now came first)
        if head.framing == _LENGTH:
            await self._exactly(head.length, sink)
        elif head.framing == _CHUNKED:
            trailers = 0
            while True:
                line = await self._line(_MAX_CHUNK_LINE)
                matched = _CHUNK_SIZE.fullmatch(line)
                if matched is None:
                    raise FetchError("broken response body: bad chunk size line")
                size = int(matched.group(1), 16)
                if size == 0:
                    while line := await self._line(_MAX_CHUNK_LINE):
                        trailers += len(line)
                        if trailers > MAX_HEAD_BYTES:
                            raise FetchError("broken response body: trailers too long")
                    break
                await self._exactly(size, sink)
                if await self._line(_MAX_CHUNK_LINE):
                    raise FetchError("broken response body: a chunk is longer than its size")
        elif head.framing == _TO_CLOSE:
            while True:
                if self._buffer:
                    sink(self._take(len(self._buffer)))
                if not await self._more() and not self._buffer:
                    break
        self.reusable = head.keep_alive and not self._buffer

    def finish_unread(self) -> None:
        """At release: whether the connection can serve another request, its response's body
        unread (none, or already here in full and dropped)."""
        head = self.head
        if head is None or self.reusable:
            return
        if head.framing == _LENGTH and head.length == len(self._buffer):
            self._buffer.clear()
            self.reusable = head.keep_alive

    def close(self) -> None:
        self._ended = True
        self.reusable = False
        if self.transport is not None:
            self.transport.close()


class _Decoder:
    """A Content-Encoding's decompressor (gzip, or deflate with or without its zlib header)."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._inner: zlib._Decompress | None = (
            zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
        )
        self._start = b""
        self._fed = False

    def decompress(self, data: bytes, limit: int) -> bytes:
        """At most `limit` bytes (0 is none) of what `data` decompresses to; more would be over
        the caller's cap, which it sees as `limit` bytes back with input left over."""
        self._fed = True
        if self._inner is None:
            # deflate: RFC 9110 says the zlib format; some servers send raw deflate. Told apart
            # by the zlib header's first two bytes.
            data = self._start + data
            if len(data) < 2:
                self._start = data
                return b""
            zlib_header = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._inner = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        try:
            return self._inner.decompress(data, limit)
        except zlib.error as exc:
            raise FetchError(
                f"broken response body: cannot decode {self._encoding}: {exc}"
            ) from None

    def check_end(self) -> None:
        if self._fed and (self._inner is None or not self._inner.eof):
            # An empty body is empty whatever its encoding says.
            raise FetchError(f"broken response body: the {self._encoding} stream is cut short")


class Response:
    """A response's head; its body is read with `read` or left unread. Released (with `release`
    or as a context manager) when done with: the connection goes back to the pool when the whole
    response was read, else it is closed."""

    __slots__ = ("_client", "_conn", "_deadline", "_done", "headers", "reason", "status")

    def __init__(self, client: Http11Client, conn: _Connection, head: _Head, deadline: float):
        self._client = client
        self._conn = conn
        self._deadline = deadline
        self._done = False
        self.status: int = head.status
        self.reason: str = head.reason
        self.headers: ResponseHeaders = head.headers

    @property
    def content_length(self) -> int | None:
        declared = self.headers.get("content-length")
        return int(declared) if declared is not None and declared.isdigit() else None

    async def read(self, cap: int) -> bytes:
        """The body, decompressed; over `cap` bytes (after decompression) is a FetchError."""
        if self._done:
            raise RuntimeError("the response was released")
        encoding = (self.headers.get("content-encoding") or "identity").strip().lower()
        decoder: _Decoder | None = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            decoder = _Decoder(encoding)
        elif encoding != "identity":
            raise FetchError(f"unsupported content encoding {encoding!r}")
        chunks: list[bytes] = []
        size = 0

        def sink(data: bytes) -> None:
            nonlocal size
            if decoder is not None:
                data = decoder.decompress(data, cap - size + 1)
            size += len(data)
            if size > cap:
                raise FetchError(f"response is over the {cap}-byte limit")
            chunks.append(data)

        async with asyncio.timeout_at(self._deadline):
            await self._conn.read_body(sink)
        if decoder is not None:
            decoder.check_end()
        return b"".join(chunks)

    def release(self) -> None:
        if self._done:
            return
        self._done = True
        self._client._release(self._conn)

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


class _Slots:
    """At most `per_host` requests to a host and `total` in all, each taken by one request from
    its start to its release; waiters are let in in order of arrival as their host allows."""

    def __init__(self, *, total: int, per_host: int) -> None:
        self._total = total
        self._per_host = per_host
        self._busy: dict[_Key, int] = {}
        self._busy_total = 0
        self._waiters: list[tuple[_Key, asyncio.Future[None]]] = []

    def _free(self, key: _Key) -> bool:
        return self._busy_total < self._total and self._busy.get(key, 0) < self._per_host

    def take_now(self, key: _Key) -> bool:
        """Take a place if one is free with no one waiting before; False if not."""
        if self._waiters or not self._free(key):
            return False
        self._busy[key] = self._busy.get(key, 0) + 1
        self._busy_total += 1
        return True

    async def take(self, key: _Key) -> None:
        if self._waiters or not self._free(key):
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append((key, waiter))
            try:
                await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    # Let in, then cancelled: the place goes to the next one.
                    self._let_in()
                else:
                    self._waiters.remove((key, waiter))
                raise
        self._busy[key] = self._busy.get(key, 0) + 1
        self._busy_total += 1

    def give(self, key: _Key) -> None:
        left = self._busy[key] - 1
        if left:
            self._busy[key] = left
        else:
            del self._busy[key]
        self._busy_total -= 1
        self._let_in()

    def _let_in(self) -> None:
        if not self._waiters:
            return
        # Those let in but not yet running count as busy already, by what they will take.
        promised: dict[_Key, int] = {}
        total = self._busy_total
        kept: list[tuple[_Key, asyncio.Future[None]]] = []
        for key, waiter in self._waiters:
            if waiter.done():
                continue
            if total < self._total and self._busy.get(key, 0) + promised.get(key, 0) < (
                self._per_host
            ):
                waiter.set_result(None)
                promised[key] = promised.get(key, 0) + 1
                total += 1
            else:
                kept.append((key, waiter))
        self._waiters = kept


class Http11Client:
    """GET requests over kept-alive HTTP/1.1 connections (see the module's docstring)."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext,
        resolver: Resolver,
        connect_timeout: float,
        total_timeout: float,
        concurrency: int,
        per_host: int,
        headers: Mapping[str, str],
    ) -> None:
        self._tls = tls
        self._resolver = resolver
        self._connect_timeout = connect_timeout
        self._total_timeout = total_timeout
        self._slots = _Slots(total=concurrency, per_host=per_host)
        self._max_idle = concurrency
        self._headers = dict(headers)
        self._default_fields = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        if _FORBIDDEN_IN_REQUEST.search("".join(self._headers.values())):
            raise ValueError("a control character in the client's headers")
        self._idle: dict[_Key, list[_Connection]] = {}
        self._idle_count = 0
        self._open: set[_Connection] = set()
        self._last_sweep = 0.0
        self._closed = False

    async def get(self, target: Target, headers: Mapping[str, str]) -> Response:
        """The response to a GET of `target` (already checked), its body unread."""
        if self._closed:
            raise RuntimeError("the HTTP client is closed")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._total_timeout
        key = target.key
        request = self._request(target, headers)
        # One coroutine for the whole exchange (each coroutine awaiting another is resumed at
        # each of a request's suspensions), and a timer of the loop's for the wait on a kept-alive
        # connection's answer, not `asyncio.timeout` (~5% of the client's time on a 304): that
        # wait is all most requests do.
        slots = self._slots
        if not slots.take_now(key):
            async with asyncio.timeout_at(deadline):
                await slots.take(key)
        try:
            for attempt in range(2):
                # A retry, after a kept-alive connection turned out closed, opens a new one.
                conn = self._idle_connection(key, loop) if attempt == 0 else None
                if conn is None:
                    async with asyncio.timeout_at(deadline):
                        conn = await self._connect(key, loop)
                timer = loop.call_at(deadline, conn.time_out)
                try:
                    conn.send(request)
                    while (head := conn.head_now()) is None:
                        if not conn.ended:
                            await conn.more()
                        elif conn.reused and conn.received == 0:
                            raise _Stale
                        else:
                            raise FetchError("server disconnected before it answered")
                except _Stale:
                    self._discard(conn)
                    continue
                except _Malformed as exc:
                    self._discard(conn)
                    raise FetchError(f"malformed response: {exc}") from None
                except BaseException:
                    self._discard(conn)
                    raise
                finally:
                    timer.cancel()
                return Response(self, conn, head, deadline)
            raise FetchError("server disconnected before it answered")
        except BaseException:
            slots.give(key)
            raise

    def _request(self, target: Target, headers: Mapping[str, str]) -> bytes:
        defaults = self._headers
        if defaults.keys().isdisjoint(headers):
            # The usual case: the client's own headers, checked once, and the request's.
            fields = [f"{name}: {value}\r\n" for name, value in headers.items()]
            checked = [target.path, target.authority, *headers.values()]
            text = f"GET {target.path} HTTP/1.1\r\nHost: {target.authority}\r\n"
            text += self._default_fields + "".join(fields) + "\r\n"
        else:
            merged = {**defaults, **headers}
            checked = [target.path, target.authority, *merged.values()]
            text = f"GET {target.path} HTTP/1.1\r\nHost: {target.authority}\r\n"
            text += "".join(f"{name}: {value}\r\n" for name, value in merged.items()) + "\r\n"
        if _FORBIDDEN_IN_REQUEST.search("".join(checked)):
            # A stored validator or a URL with a line break would split the request.
            for value in checked:
                if _FORBIDDEN_IN_REQUEST.search(value):
                    raise FetchError(
                        f"cannot send the request: a control character in {value[:60]!r}"
                    )
        return text.encode("utf-8", "surrogateescape")

    def _idle_connection(self, key: _Key, loop: asyncio.AbstractEventLoop) -> _Connection | None:
        idle = self._idle.get(key)
        if not idle:
            return None
        oldest = loop.time() - KEEPALIVE_SECONDS
        while idle:
            conn = idle.pop()
            self._idle_count -= 1
            if conn.usable and conn.idle_since > oldest:
                if not idle:
                    del self._idle[key]
                conn.reused = True
                return conn
            self._discard(conn)
        del self._idle[key]
        return None

    def _release(self, conn: _Connection) -> None:
        key = conn.key
        conn.finish_unread()
        if conn.reusable and conn.usable and not self._closed and self._idle_count < self._max_idle:
            conn.idle_since = now = asyncio.get_running_loop().time()
            self._idle.setdefault(key, []).append(conn)
            self._idle_count += 1
            if now - self._last_sweep > KEEPALIVE_SECONDS:
                self._sweep(now)
        else:
            self._discard(conn)
        self._slots.give(key)

    def _sweep(self, now: float) -> None:
        """Close the connections idle for longer than they are kept."""
        self._last_sweep = now
        oldest = now - KEEPALIVE_SECONDS
        for key, idle in list(self._idle.items()):
            kept = [conn for conn in idle if conn.idle_since > oldest and conn.usable]
            for conn in idle:
                if conn not in kept:
                    self._discard(conn)
            self._idle_count -= len(idle) - len(kept)
            if kept:
                self._idle[key] = kept
            else:
                del self._idle[key]

    def _discard(self, conn: _Connection) -> None:
        conn.close()
        self._open.discard(conn)

    async def _connect(self, key: _Key, loop: asyncio.AbstractEventLoop) -> _Connection:
        scheme, host, port = key
        try:
            if literal_ip(host) is not None:
                addresses = [host]
            else:
                addresses = await self._resolver.resolve(host, port)
                if not addresses:
                    raise OSError(f"{host} has no address")
            async with asyncio.timeout(self._connect_timeout):
                sock = await _open_socket(addresses, port, loop)
                conn = _Connection(key, loop)
                try:
                    await loop.create_connection(
                        lambda: conn,
                        sock=sock,
                        ssl=self._tls if scheme == "https" else None,
                        server_hostname=host.rstrip(".") if scheme == "https" else None,
                    )
                except BaseException:
                    sock.close()
                    raise
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise FetchError(f"cannot connect to {host}:{port}: {reason}") from None
        self._open.add(conn)
        return conn

    async def close(self) -> None:
        self._closed = True
        for conn in list(self._open):
            conn.close()
        self._open.clear()
        self._idle.clear()
        self._idle_count = 0
        # Let the transports' closing callbacks run before the loop may end.
        await asyncio.sleep(0)


class _Stale(Exception):
    """A kept-alive connection the server had closed before it could answer."""


async def _open_socket(
    addresses: Sequence[str], port: int, loop: asyncio.AbstractEventLoop
) -> socket.socket:
    """A connected TCP socket to the first of `addresses` that answers, the next one tried when
    the previous has not connected within `_NEXT_ADDRESS_DELAY` (RFC 8305)."""
    if len(addresses) == 1:
        return await _connect_to(addresses[0], port, loop)
    from asyncio import staggered

    errors: list[BaseException] = []

    async def attempt(address: str) -> socket.socket:
        try:
            return await _connect_to(address, port, loop)
        except OSError as exc:
            errors.append(exc)
            raise

    sock: socket.socket | None
    sock, _index, _exceptions = await staggered.staggered_race(
        [partial(attempt, address) for address in addresses], _NEXT_ADDRESS_DELAY
    )
    if sock is None:
        first = errors[0] if errors else OSError("no address answered")
        raise first if isinstance(first, OSError) else OSError(str(first))
    return sock


async def _connect_to(address: str, port: int, loop: asyncio.AbstractEventLoop) -> socket.socket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await loop.sock_connect(sock, (address, port))
    except BaseException:
        sock.close()
        raise
    return sock
