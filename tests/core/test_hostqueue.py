"""The collector's queue of sources: per-host limits without idle workers, pages read lazily."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from aiprogress.core.hostqueue import HostQueue, host_of
from aiprogress.core.types import Source, SourceKind, TrustTier


def source(source_id: int, host: str) -> Source:
    return Source(
        id=source_id,
        url=f"https://{host}/feed/{source_id}.xml",
        name="",
        kind=SourceKind.FEED,
        trust_tier=TrustTier.COMMUNITY,
        enabled=True,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )


class Pages:
    """The sources in id order, read a page at a time; remembers how far it was read."""

    def __init__(self, sources: list[Source], size: int) -> None:
        self.sources, self.size = sources, size
        self.read = 0

    async def __call__(self, after_id: int) -> Sequence[Source]:
        await asyncio.sleep(0)
        page = [s for s in self.sources if s.id > after_id][: self.size]
        self.read += len(page)
        return page


async def run_workers(
    queue: HostQueue, workers: int, fetch_seconds: dict[str, float]
) -> tuple[list[int], Counter[str], list[int]]:
    """Fetches every source the way the collector does; returns the ids in the order their
    fetches ended, the most fetches each host had in flight, and the waiting count seen."""
    ended: list[int] = []
    in_flight: Counter[str] = Counter()
    most: Counter[str] = Counter()
    waiting: list[int] = []

    async def worker() -> None:
        taken = await queue.take()
        while taken is not None:
            host = host_of(taken)
            in_flight[host] += 1
            most[host] = max(most[host], in_flight[host])
            await asyncio.sleep(fetch_seconds.get(host, 0.0))
            in_flight[host] -= 1
            ended.append(taken.id)
            waiting.append(queue.waiting)
            following = queue.done(taken)
            taken = following if following is not None else await queue.take()

    await asyncio.gather(*(worker() for _ in range(workers)))
    return ended, most, waiting


async def test_a_busy_host_holds_only_its_share_of_workers() -> None:
    # Ten sources of a slow host come first, then ten of two quick hosts.
    sources = [source(i, "slow.example") for i in range(1, 11)]
    sources += [source(i, f"quick{i % 2}.example") for i in range(11, 21)]
    pages = Pages(sources, size=50)
    queue = HostQueue(pages, page_size=50, per_host=2)

    ended, most, _ = await run_workers(queue, workers=6, fetch_seconds={"slow.example": 0.02})

    assert sorted(ended) == list(range(1, 21))  # each source once
    assert max(most.values()) == 2
    # The quick hosts' sources were not stuck behind the slow host's line.
    assert set(ended[:10]) == set(range(11, 21))


async def test_pages_are_read_as_the_lines_move_not_all_at_once() -> None:
    # Every source on one host, one fetch at a time: sources wait in the host's line, and once
    # a page of them waits no more is read, so fewer than two pages ever wait.
    sources = [source(i, "one.example") for i in range(1, 31)]
    pages = Pages(sources, size=5)
    queue = HostQueue(pages, page_size=5, per_host=1)

    ended, most, waiting = await run_workers(queue, workers=4, fetch_seconds={})

    assert ended == list(range(1, 31))  # one line, in order
    assert most["one.example"] == 1
    assert max(waiting) < 2 * 5
    assert pages.read == 30


async def test_an_empty_source_list_ends_every_worker() -> None:
    pages = Pages([], size=10)
    queue = HostQueue(pages, page_size=10, per_host=4)
    ended, _, _ = await run_workers(queue, workers=3, fetch_seconds={})
    assert ended == []


def test_hosts_are_told_apart_by_port_and_not_by_case() -> None:
    assert host_of(source(1, "Example.org")) == host_of(source(2, "example.org"))
    assert host_of(source(1, "example.org:8443")) != host_of(source(2, "example.org"))


def test_the_host_is_the_netloc_urlsplit_reads() -> None:
    urls = [
        "https://example.org",
        "https://example.org?page=2",
        "https://example.org#top",
        "http://[2001:db8::1]:8080/feed",
        "https://user:secret@example.org/feed.xml",
        "https://xn--e1afmkfd.xn--p1ai/rss",
        "git+https://example.org/a",
        "//example.org/protocol-relative",
    ]
    for url in urls:
        taken = replace(source(1, "unused"), url=url)
        assert host_of(taken) == urlsplit(url).netloc.lower(), url
