"""JSON Feed: the faults a study of ours against fastfeedparser (issue 22) found in ours, mended.

Each was an item lost or a source failed with "internal error": a lone surrogate, a number longer
than Python reads, tags given as a string, a byte order mark on a feed served as text/plain, dates
as RFC 3339 allows them in lower case or as RSS writes them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import ParseError
from aiprogress.core.service import AiProgress
from aiprogress.core.types import FetchStatus
from aiprogress.sources.http import FetchLimits, HttpFetcher
from aiprogress.sources.parse import parse_feed
from aiprogress.storage.store import SqlStore
from tests.builders import make_service
from tests.servers.feeds import FeedServer

URL = "https://example.org/feed.json"


def feed_of(*items: Any, **fields: Any) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", **fields, "items": list(items)}
    ).encode()


ONE = {"id": "1", "url": "https://example.org/1", "title": "One"}


def test_a_number_longer_than_python_reads_is_invalid_json_not_an_internal_error() -> None:
    # int() refuses more than 4,300 digits with a ValueError json.loads passes on as it is.
    document = feed_of(ONE).replace(b'"1"', b"1" * 5_000, 1)
    with pytest.raises(ParseError, match=r"invalid JSON.*4300 digits"):
        parse_feed(document, url=URL, content_type="application/json")


# --- what the study found in ours ------------------------------------------------------------


@pytest.mark.parametrize(
    "lone",
    [b"\\ud800", b"\\uDFFF", b"\xed\xa0\x80"],  # escapes, and the raw bytes json.loads lets by
    ids=["escape", "escape-upper", "raw-bytes"],
)
def test_a_lone_surrogate_becomes_a_replacement_character(lone: bytes) -> None:
    document = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "F%s", "items": [{"id": "i%s",'
        b' "url": "https://example.org/1", "title": "T%s", "content_html": "<p>H%s</p>",'
        b' "authors": [{"name": "A%s"}], "tags": ["g%s"]}]}' % ((lone,) * 6)
    )
    feed = parse_feed(document, url=URL)
    (item,) = feed.items
    strings = [feed.title, item.guid, item.title, item.summary, *item.authors, *item.tags]
    assert strings == ["F\ufffd", "i\ufffd", "T\ufffd", "H\ufffd", "A\ufffd", "g\ufffd"]
    assert item.content_hash  # which encodes them as UTF-8


def test_tags_are_a_list_or_none() -> None:
    document = feed_of({**ONE, "tags": "llm"}, {**ONE, "id": "2", "tags": ["llm", 3, " ", "eval"]})
    assert [i.tags for i in parse_feed(document, url=URL).items] == [(), ("llm", "eval")]


def test_a_numeric_id_is_a_string_and_a_bool_is_no_id() -> None:
    document = feed_of({**ONE, "id": 7}, {**ONE, "id": True})
    assert [i.guid for i in parse_feed(document, url=URL).items] == ["7", "https://example.org/1"]


def test_a_feed_with_a_byte_order_mark_is_known_without_a_json_content_type() -> None:
    # raw.githubusercontent.com, where the Hugging Face feed lives, serves text/plain.
    document = b"\xef\xbb\xbf" + feed_of(ONE)
    feed = parse_feed(document, url=URL, content_type="text/plain; charset=utf-8")
    assert [i.title for i in feed.items] == ["One"]


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("2026-01-02t03:04:05z", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),  # RFC 3339 allows it
        ("2026-01-02T03:04:05+05:30", datetime(2026, 1, 1, 21, 34, 5, tzinfo=UTC)),
        ("2026-01-02T03:04:05", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),  # as Hugging Face's
        ("Fri, 02 Jan 2026 03:04:05 +0100", datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC)),  # RSS's
        ("Fri, 02 Jan 2026 03:04:05 -0000", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("yesterday", None),
    ],
)
def test_dates_as_feeds_write_them(written: str, moment: datetime | None) -> None:
    (item,) = parse_feed(feed_of({**ONE, "date_published": written}), url=URL).items
    assert item.published_at == moment
    assert (
        moment is None or item.published_at is None or item.published_at.utcoffset() == timedelta(0)
    )


@pytest.fixture
async def service(store: SqlStore, clock: FixedClock) -> AsyncIterator[AiProgress]:
    async with HttpFetcher(limits=FetchLimits(), allow_private=True) as fetcher:
        yield make_service(store, clock, fetcher)


async def test_a_lone_surrogate_does_not_cost_the_feed_its_items(
    service: AiProgress, store: SqlStore, feed_server: FeedServer, clock: FixedClock
) -> None:
    # Before, the sanitiser (a Rust library) refused the string and the source failed with
    # "internal error: UnicodeEncodeError"; a plain-text title would have failed the database.
    day = "2026-08-14T12:00:00Z"  # the day before the clock's: news, not the first fetch's baseline
    document = feed_of(
        {
            **ONE,
            "title": "Model \ud800 card",
            "content_html": "<p>\ud800</p>",
            "date_published": day,
        },
        {"id": "2", "url": "https://example.org/2", "title": "Two", "date_published": day},
    )
    assert b"\\ud800" in document  # json.dumps writes the escape
    source = await service.add_source(
        feed_server.feed("/surrogate.json", document, "application/feed+json"), name="json"
    )
    (result,) = (await service.collect()).results
    assert result.source_id == source.id
    assert result.status is FetchStatus.OK and result.new_items == 2
    now = clock.now()
    stored = await store.items.in_window(now - timedelta(days=3650), now + timedelta(days=1))
    assert sorted(item.title for item, _ in stored) == ["Model \ufffd card", "Two"]
