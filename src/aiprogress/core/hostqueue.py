"""Which source a collector's worker fetches next: sources are read a page at a time, and no host
ever has more than its share of fetches in flight.

A worker that would go over a host's limit does not wait for that host: the source waits in
the host's line and the worker takes another host's source. When a fetch ends, the worker that
made it takes the next source in its host's line along with the slot. So one slow or crowded
host holds as many workers as its limit and no more, and no worker sleeps while another host's
source could be fetched. Once a page of sources waits, idle workers stop reading pages until the
lines move (fewer than two pages ever wait), so memory does not grow with the number of sources.
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlsplit

from aiprogress.core.types import Source

# Reads the page of sources after a source id (0: from the start), at most `page_size` long.
PageReader = Callable[[int], Awaitable[Sequence[Source]]]


# The authority of an absolute URL: what follows "scheme://" up to the path, query or fragment.
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")


def host_of(source: Source) -> str:
    """What the per-host limit counts by: the URL's host and port (its netloc).

    Read with a regular expression rather than `urlsplit`, whose cache holds 128 URLs: over a
    collection's thousands it missed every time, and a miss costs several matches (two calls a
    source, a visible share of an all-304 pass in bench/collect.py)."""
    match = _AUTHORITY.match(source.url)
    return (match[1] if match else urlsplit(source.url).netloc).lower()


class HostQueue:
    def __init__(self, read_page: PageReader, *, page_size: int, per_host: int) -> None:
        self._read_page = read_page
        self._page_size = max(1, page_size)
        self._per_host = max(1, per_host)
        self._page: list[Source] = []  # the page being handed out, reversed
        self._last_id = 0
        self._last_page = False
        self._paging = asyncio.Lock()  # one worker reads the next page while the others wait
        self._in_flight: dict[str, int] = {}
        self._lines: dict[str, deque[Source]] = {}
        self._waiting = 0
        self._room = asyncio.Event()  # set while fewer than a page of sources wait
        self._room.set()

    @property
    def waiting(self) -> int:
        """Sources read but waiting for their host."""
        return self._waiting

    async def take(self) -> Source | None:
        """The next source whose host has room, holding one of the host's slots until `done`;
        None when this worker has nothing left to take (sources still in a host's line are
        handed on by `done` to the workers holding that host's slots)."""
        while True:
            while self._page:
                source = self._page.pop()
                host = host_of(source)
                in_flight = self._in_flight.get(host, 0)
                if in_flight < self._per_host:
                    self._in_flight[host] = in_flight + 1
                    return source
                self._lines.setdefault(host, deque()).append(source)
                self._waiting += 1
                if self._waiting >= self._page_size:
                    self._room.clear()
            if self._last_page:
                return None
            if self._waiting >= self._page_size:
                await self._room.wait()
                continue
            async with self._paging:
                # Another worker may have read the page, or the last one, or filled the lines,
                # while this one waited for the lock.
                if not self._page and not self._last_page and self._waiting < self._page_size:
                    page = await self._read_page(self._last_id)
                    # A short page is the last: no worker asks the database again after it.
                    self._last_page = len(page) < self._page_size
                    if page:
                        self._last_id = page[-1].id
                        self._page = list(reversed(page))

    def done(self, source: Source) -> Source | None:
        """Ends the fetch of `source`. Returns the next source in its host's line, which takes
        the slot over, or None when the line is empty and the slot is free again."""
        host = host_of(source)
        line = self._lines.get(host)
        if line:
            following = line.popleft()
            if not line:
                del self._lines[host]
            self._waiting -= 1
            if self._waiting < self._page_size:
                self._room.set()
            return following
        in_flight = self._in_flight[host] - 1
        if in_flight:
            self._in_flight[host] = in_flight
        else:
            del self._in_flight[host]
        return None
