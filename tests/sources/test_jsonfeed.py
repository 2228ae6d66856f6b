"""JSON Feed: our reader (sources/jsonfeed.py) against fastfeedparser 0.6.5, which reads it too.

Issue 22 asked whether the library could replace ours. The study, whose figures head
sources/jsonfeed.py, kept ours; the tests here pin why. Each test named `..._fastfeedparser_...`
states what that release does: when a release stops doing it, the test fails, and the question is
worth asking again. The rest hold the faults the study found in ours, now mended.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fastfeedparser
import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import ParseError
from aiprogress.core.service import AiProgress
from aiprogress.core.types import FetchStatus
from aiprogress.sources.http import FetchLimits, HttpFetcher
from aiprogress.sources.jsonfeed import parse_json_feed
from aiprogress.sources.parse import parse_feed
from aiprogress.sources.text import MAX_SUMMARY_CHARS, html_to_text, without_listing_label
from aiprogress.storage.store import SqlStore
from tests.builders import make_service
from tests.conftest import SNAPSHOT_FEEDS, TEST_DATA
from tests.servers.feeds import FeedServer

JSON_FEEDS = sorted(
    path
    for folder in (SNAPSHOT_FEEDS, TEST_DATA)
    for path in folder.iterdir()
    if path.suffix == ".json"
)
URL = "https://example.org/feed.json"


def feed_of(*items: Any, **fields: Any) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", **fields, "items": list(items)}
    ).encode()


def library(document: bytes) -> Any:
    return fastfeedparser.parse(document, include_media=False)


# --- conformance on the recorded feeds -------------------------------------------------------


def test_every_recorded_json_feed_is_compared() -> None:
    # The shared fixtures' two JSON Feeds (../shared/fixtures/feeds/ORIGIN.md), copied here.
    assert [p.name for p in JSON_FEEDS] == ["hf-papers.json", "jsonfeed-inessential.json"]


@pytest.mark.parametrize("path", JSON_FEEDS, ids=lambda p: p.name)
def test_same_facts_as_fastfeedparser_but_the_authors(path: Path) -> None:
    """Titles, links, ids, dates and text agree with the library on every recorded feed; what
    we keep beyond it (authors) is pinned by the next test."""
    document = path.read_bytes()
    ours = parse_json_feed(document, url=URL)
    theirs = library(document)
    assert ours.title == theirs.feed.title
    assert len(ours.items) == len(theirs.entries)
    for item, entry in zip(ours.items, theirs.entries, strict=True):
        assert item.title == entry.title
        assert item.url == (entry.link or entry.id)
        assert item.guid == entry.id
        assert item.published_at == datetime.fromisoformat(entry.published)
        # The library's description is content_text cut to 512 characters; its content is the
        # whole text or HTML, of which ours is the text without a listing's "Abstract" label
        # (tests/sources/test_listing_labels.py), cut at our own limit.
        assert item.summary
        text = without_listing_label(html_to_text(entry.content[0]["value"]), item.url)
        assert item.summary == text[:MAX_SUMMARY_CHARS]


def test_fastfeedparser_drops_a_json_feed_1_0_feed_author_that_we_keep() -> None:
    # JSON Feed 1.0's feed-level `author` (one object) is the only author inessential.com gives;
    # the library reads only 1.1's `authors` list, so its 20 items have none.
    document = (TEST_DATA / "jsonfeed-inessential.json").read_bytes()
    theirs = library(document)
    assert "author" not in theirs.feed
    assert [e.get("authors") for e in theirs.entries] == [None] * 20
    ours = parse_json_feed(document, url=URL)
    assert [i.authors for i in ours.items] == [("Brent Simmons",)] * 20


def test_fastfeedparser_keeps_one_author_of_several_where_we_keep_all() -> None:
    document = feed_of(
        {
            "id": "1",
            "url": "https://example.org/1",
            "title": "Paper",
            "authors": [{"name": "Ann"}, {"name": "Bob"}],
        },
        {"id": "2", "url": "https://example.org/2", "title": "Note"},
        authors=[{"name": "Lab"}, {"name": "Team"}],
    )
    theirs = library(document)
    assert theirs.entries[0].authors == [{"name": "Ann"}]
    assert theirs.feed.author == "Lab"
    ours = parse_json_feed(document, url=URL)
    assert [i.authors for i in ours.items] == [("Ann", "Bob"), ("Lab", "Team")]


# --- malformed input -------------------------------------------------------------------------

ONE = {"id": "1", "url": "https://example.org/1", "title": "One"}
WRONG_TYPES = {
    "items a number": (feed_of().replace(b"[]", b"3"), "'items' is not a list"),
    "items a string": (feed_of().replace(b"[]", b'"abc"'), "'items' is not a list"),
    "items an object": (feed_of().replace(b"[]", b'{"a": {}}'), "'items' is not a list"),
    "an item not an object": (feed_of(1, None, "x", ONE), None),
    "authors as strings": (feed_of({**ONE, "authors": ["Ann"]}), None),
    "author a string": (feed_of({**ONE, "author": "Ann"}), None),
    "feed authors a string": (feed_of(ONE, authors="Ann"), None),
    "date a number": (feed_of({**ONE, "date_published": 1_700_000_000}), None),
    "attachments a string": (feed_of({**ONE, "attachments": "x"}), None),
}


@pytest.mark.parametrize(("document", "reason"), WRONG_TYPES.values(), ids=list(WRONG_TYPES))
def test_wrong_types_raise_from_inside_fastfeedparser_and_are_named_or_read_by_ours(
    document: bytes, reason: str | None
) -> None:
    with pytest.raises((AttributeError, TypeError)):
        library(document)
    if reason is None:
        # What is wrong is left out; the item itself is read.
        assert [i.title for i in parse_feed(document, url=URL).items] == ["One"]
    else:
        with pytest.raises(ParseError, match=reason):
            parse_feed(document, url=URL)


def test_fastfeedparser_reports_broken_json_as_broken_xml() -> None:
    document = feed_of(ONE)[:-3]
    with pytest.raises(ValueError, match="Failed to parse XML"):
        library(document)
    with pytest.raises(ParseError, match="not a JSON Feed: invalid JSON"):
        parse_feed(document, url=URL, content_type="application/feed+json")


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
