"""Parsing real feeds into `core` items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aiprogress.core.errors import ParseError
from aiprogress.sources import parse
from aiprogress.sources.parse import parse_feed
from aiprogress.sources.text import html_to_text
from tests.conftest import SNAPSHOT_FEEDS, TEST_DATA, snapshot_feed

EXPECTED_COUNTS = {
    "anthropic-news.rss": 255,
    "openai-research.rss": 194,
    "ollama-blog.rss": 56,
    "ollama-models-recent-20.atom": 20,
    "arxiv-cs.AI-trimmed.rss": 3,
    "bair-blog.rss": 3,
    "hf-papers.json": 26,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_snapshot_feeds_parse_whole(name: str) -> None:
    feed = parse_feed(snapshot_feed(name), url=f"https://feeds.example/{name}")
    assert len(feed.items) == EXPECTED_COUNTS[name]
    assert feed.title
    for item in feed.items:
        assert item.title and item.guid
        assert item.url.startswith(("http://", "https://"))
        assert item.published_at is not None and item.published_at.tzinfo is not None
        assert "<" not in item.summary or "&lt;" in item.summary or "< " in item.summary


def test_every_snapshot_file_is_listed() -> None:
    assert {p.name for p in SNAPSHOT_FEEDS.iterdir()} == set(EXPECTED_COUNTS)


def test_item_without_guid_uses_its_link() -> None:
    feed = parse_feed(snapshot_feed("openai-research.rss"), url="https://feeds.example/openai")
    first = feed.items[0]
    assert (
        first.guid
        == first.url
        == "https://openai.com/index/how-two-settings-tripled-our-arc-agi-3-scores"
    )
    assert len({i.guid for i in feed.items}) == len(feed.items)


def test_arxiv_guid_and_html_text() -> None:
    feed = parse_feed(
        snapshot_feed("arxiv-cs.AI-trimmed.rss"), url="https://rss.arxiv.org/rss/cs.AI"
    )
    first = feed.items[0]
    assert first.guid == "oai:arXiv.org:2604.21935v1"
    assert first.url == "https://arxiv.org/abs/2604.21935"
    assert (
        first.title == "Math Takes Two: A test for emergent mathematical reasoning in communication"
    )
    assert first.published_at == datetime(2026, 4, 27, 4, 0, tzinfo=UTC)


def test_relative_links_are_made_absolute() -> None:
    document = (TEST_DATA / "github-releases-gulp-2015.atom").read_bytes()
    feed = parse_feed(document, url="https://github.com/gulpjs/gulp/releases.atom")
    assert feed.items[0].url == "https://github.com/gulpjs/gulp/releases/tag/v3.9.0"
    # `+02:00` in the feed becomes UTC.
    assert all(
        i.published_at is not None and i.published_at.utcoffset() == timedelta(0)
        for i in feed.items
    )


def test_html_entities_in_titles_are_decoded() -> None:
    feed = parse_feed(
        (TEST_DATA / "hackernews.rss").read_bytes(), url="https://news.ycombinator.com/rss"
    )
    assert any("'" in i.title for i in feed.items)
    assert not any("&#x27;" in i.title for i in feed.items)


def test_empty_feed_is_a_feed_with_no_items() -> None:
    document = (TEST_DATA / "ollama-models-empty.atom").read_bytes()
    feed = parse_feed(
        document, url="https://simonw.github.io/ollama-models-atom-feed/atom-recent-20.xml"
    )
    assert feed.items == ()
    assert feed.title == "Ollama models"


@pytest.mark.parametrize(
    "document",
    [
        b"<!doctype html><html><head><title>Hi</title></head><body><p>Not a feed</p></body></html>",
        b"",
        b'{"not": "a feed"}',
    ],
)
def test_non_feeds_are_refused_with_a_clear_error(document: bytes) -> None:
    with pytest.raises(ParseError, match="not an RSS, Atom or JSON feed"):
        parse_feed(document, url="https://example.org/page")


def test_html_to_text_drops_markup_and_scripts() -> None:
    text = html_to_text('<p>GPT-4.5 costs <b>$75</b>&nbsp;per 1M</p><script>alert("x")</script>')
    assert text == "GPT-4.5 costs $75 per 1M"


def _rss_with_attributes(count: int) -> bytes:
    """A small feed (under the size checked in one call) with one element of `count`
    attributes; its other "=" is the version's."""
    attributes = b" ".join(b"a%d='1'" % i for i in range(count))
    return (
        b"<rss version='2.0'><channel><title>t</title><item><title>x</title>"
        b"<link>https://example.org/x</link><x " + attributes + b"/></item></channel></rss>"
    )


@pytest.mark.parametrize("count", [0, 63, 64])
def test_small_documents_within_the_attribute_limit_are_read(count: int) -> None:
    feed = parse_feed(_rss_with_attributes(count), url="https://example.org/")
    assert [item.title for item in feed.items] == ["x"]


def test_attribute_limit_holds_for_small_documents() -> None:
    with pytest.raises(ParseError, match="more than 64 attributes"):
        parse_feed(_rss_with_attributes(65), url="https://example.org/")


def test_attributes_are_judged_after_the_document_proved_well_formed() -> None:
    # A broken document goes to the lenient reading, which names an HTML page as one, whatever
    # an element before the break holds (as when the strict check built a tree).
    attributes = b" ".join(b"data-a%d='1'" % i for i in range(65))
    page = b"<html><body " + attributes + b"><p>news<br></p></body></html>"
    with pytest.raises(ParseError, match="an HTML page"):
        parse_feed(page, url="https://example.org/")


def test_small_documents_cannot_hold_more_elements_than_the_limit() -> None:
    # Why a document checked in one call needs no element count (the smallest element: "<a/>").
    assert parse._STREAM_CHECK_BYTES // len(b"<a/>") < parse.MAX_ELEMENTS


# --- JSON Feed --------------------------------------------------------------------------------


def test_hugging_face_papers_json_feed() -> None:
    feed = parse_feed(
        snapshot_feed("hf-papers.json"),
        url="https://raw.githubusercontent.com/MichaelMarkert/rss/refs/heads/main/hf_papers.json",
        content_type="application/json",
    )
    assert feed.title == "Hugging Face Papers"
    assert len(feed.items) == 26
    first = feed.items[0]
    # No `url` on the items: the id is the paper's page, and it becomes the link.
    assert first.guid == first.url == "https://huggingface.co/papers/2608.19880"
    assert first.title == "EnvHarness: Awakening Static Worlds for Agent Learning"
    # The listing's "Abstract" label is left out (test_listing_labels.py).
    assert first.summary.startswith("EnvHarness and EnvRigger")
    # `date_published` has no offset; it is read as UTC.
    assert all(i.published_at is not None and i.published_at.tzinfo is not None for i in feed.items)


def test_json_feed_with_html_offsets_and_feed_author() -> None:
    document = (TEST_DATA / "jsonfeed-inessential.json").read_bytes()
    feed = parse_feed(document, url="http://inessential.com/feed.json")
    assert len(feed.items) == 20
    first = feed.items[0]
    assert first.url == "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi"
    assert "<p>" not in first.summary and first.summary.startswith("On Wednesday night")
    assert first.authors == ("Brent Simmons",)
    assert first.published_at is not None and first.published_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b'{"version": "https://jsonfeed.org/version/1", "items": 3}', "'items' is not a list"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', "invalid JSON"),
        (b'{"items": []}', "no https://jsonfeed.org/version/ marker"),
    ],
)
def test_broken_json_feeds(document: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_feed(
            document, url="https://example.org/feed.json", content_type="application/feed+json"
        )


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED_COUNTS if not n.endswith(".json")))
def test_a_document_checked_apart_parses_as_a_whole(name: str) -> None:
    # A fetcher may run the limits check on a thread and the rest on its loop.
    document, url = snapshot_feed(name), f"https://feeds.example/{name}"
    checked = parse.parse_checked_xml(document, url=url, well_formed=parse.check_xml(document))
    assert checked == parse_feed(document, url=url)
    broken = document[: len(document) // 2]
    assert parse.check_xml(broken) is False
    assert parse.parse_checked_xml(broken, url=url, well_formed=False) == parse_feed(
        broken, url=url
    )
