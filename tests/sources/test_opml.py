"""OPML in and out, and the default catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

import listparser
import pytest

from aiprogress.core.errors import InvalidInput
from aiprogress.core.types import Source, SourceKind, TrustTier
from aiprogress.core.urls import normalise_source_url
from aiprogress.sources.catalogue import DEFAULT_SOURCES
from aiprogress.sources.opml import NAMESPACE, read_opml, write_opml

# The shape feed readers export: folders of outlines, some without a title.
EXPORTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="AI labs" title="AI labs">
      <outline type="rss" text="OpenAI News" title="OpenAI News" xmlUrl="https://openai.com/news/rss.xml" htmlUrl="https://openai.com/news"/>
      <outline type="rss" text="" xmlUrl="https://huggingface.co/blog/feed.xml"/>
    </outline>
    <outline type="rss" text="arXiv cs.CL" xmlUrl="https://rss.arxiv.org/rss/cs.CL"/>
  </body>
</opml>
"""


def test_read_nested_outlines() -> None:
    entries = read_opml(EXPORTED)
    assert [(e.url, e.name) for e in entries] == [
        ("https://openai.com/news/rss.xml", "OpenAI News"),
        ("https://huggingface.co/blog/feed.xml", ""),
        ("https://rss.arxiv.org/rss/cs.CL", "arXiv cs.CL"),
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<opml version='2.0'><body></body></opml>", "lists no feeds"),
        (b"this is not xml", "not a readable OPML file"),
        (b"https://example.org/feeds.opml", "not a readable OPML file: line 1, column 1"),
        (b"<html><body>a page</body></html>", "no <opml> document found"),
    ],
)
def test_unreadable_files(document: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_opml(document)


def _source(
    source_id: int, url: str, name: str, tier: TrustTier, interval: int, *, by_user: bool = True
) -> Source:
    now = datetime(2026, 8, 15, tzinfo=UTC)
    return Source(
        source_id,
        url,
        name,
        SourceKind.FEED,
        tier,
        True,
        now,
        interval_seconds=interval,
        name_from_user=by_user and bool(name),
    )


# In the export's order: grouped by tier, in the order tiers first appear.
SOURCES = [
    _source(1, "https://openai.com/news/rss.xml", "OpenAI News", TrustTier.OFFICIAL, 3600),
    _source(2, "https://rss.arxiv.org/rss/cs.AI", "", TrustTier.PAPER, 6 * 3600),
    _source(3, "https://www.theverge.com/rss/ai/index.xml", "The Verge", TrustTier.PRESS, 7200),
    _source(
        5, "https://ollama.com/blog/rss.xml", "Ollama Blog", TrustTier.PRESS, 3600, by_user=False
    ),
    _source(4, "https://news.ycombinator.com/rss", "HN & <friends>", TrustTier.COMMUNITY, 900),
]


def test_write_then_read_round_trip_keeps_tiers_and_intervals() -> None:
    document = write_opml(SOURCES, created=datetime(2026, 8, 15, tzinfo=UTC))
    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert [
        (e.url, e.name, e.trust_tier, e.interval_seconds, e.name_from_feed)
        for e in read_opml(document)
    ] == [(s.url, s.name, s.trust_tier, s.interval_seconds, not s.name_from_user) for s in SOURCES]


def test_the_export_is_opml_other_readers_accept() -> None:
    # listparser (feedparser's maintainer's OPML reader) reads it without complaint: the
    # attributes of our namespace are skipped, the category and folders are its own.
    document = write_opml(SOURCES, created=datetime(2026, 8, 15, tzinfo=UTC))
    parsed = listparser.parse(document)
    assert not parsed.bozo and parsed.version == "opml2"
    assert [(feed.url, feed.title) for feed in parsed.feeds] == [(s.url, s.label) for s in SOURCES]
    assert [sorted(c[0] for c in feed.categories) for feed in parsed.feeds] == [
        [s.trust_tier.value] for s in SOURCES
    ]


def test_tiers_from_categories_and_from_folders_of_older_exports() -> None:
    document = b"""<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="official" title="official">
    <outline type="rss" text="Lab" xmlUrl="https://lab.example/feed"/>
  </outline>
  <outline text="Reading"><outline text="press">
    <outline type="rss" text="Paper" xmlUrl="https://paper.example/feed"/>
  </outline></outline>
  <outline type="rss" text="Cat" xmlUrl="https://cat.example/feed" category="/ai,/paper"/>
  <outline type="rss" text="Plain" xmlUrl="https://plain.example/feed"/>
</body></opml>"""
    assert [(e.name, e.trust_tier) for e in read_opml(document)] == [
        ("Lab", TrustTier.OFFICIAL),
        ("Paper", TrustTier.PRESS),
        ("Cat", TrustTier.PAPER),
        ("Plain", TrustTier.COMMUNITY),
    ]


def test_a_file_cut_off_mid_outline_is_refused_with_its_line() -> None:
    whole = write_opml(SOURCES, created=datetime(2026, 8, 15, tzinfo=UTC))
    cut = whole[: whole.index(b"news.ycombinator") + 10]
    line = cut.count(b"\n") + 1
    with pytest.raises(InvalidInput, match=rf"^not a readable OPML file: line {line}, column \d+"):
        read_opml(cut)


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ('aiprogress:tier="oficial"', "OPML line 3: unknown tier 'oficial'"),
        ('aiprogress:interval="soon"', "OPML line 3: interval 'soon' is not a number of seconds"),
        ('aiprogress:interval="5"', "OPML line 3: interval '5' is not a number of seconds"),
    ],
)
def test_a_bad_tier_or_interval_is_refused_with_its_line(attribute: str, message: str) -> None:
    document = f"""<opml version="2.0" xmlns:aiprogress="{NAMESPACE}"><body>
<outline text="ok" xmlUrl="https://ok.example/feed"/>
<outline text="bad" xmlUrl="https://bad.example/feed" {attribute}/>
</body></opml>""".encode()
    with pytest.raises(InvalidInput, match=f"^{message}"):
        read_opml(document)


def test_default_catalogue_is_usable() -> None:
    urls = [source.url for source in DEFAULT_SOURCES]
    assert len(urls) == len(set(urls))
    for source in DEFAULT_SOURCES:
        assert normalise_source_url(source.url, allow_private=False) == source.url
        assert source.name and source.interval_seconds >= 3600
    tiers = {source.trust_tier for source in DEFAULT_SOURCES}
    assert tiers == set(TrustTier)
