"""A paper's summary starts at its abstract, not at the label its listing puts first: arXiv's
RSS "arXiv:2604.21935v1 Announce Type: new Abstract: …", Hugging Face's Daily Papers
"Abstract …". Recorded feeds from the bundled snapshot (their origin in its ORIGIN.md)."""

from __future__ import annotations

import pytest

from aiprogress.sources.parse import ParserEngine, parse_feed
from aiprogress.sources.text import without_listing_label
from tests.conftest import snapshot_feed


@pytest.mark.parametrize("engine", list(ParserEngine))
def test_arxiv_listing_summaries_start_at_the_abstract(engine: ParserEngine) -> None:
    feed = parse_feed(
        snapshot_feed("arxiv-cs.AI-trimmed.rss"),
        url="https://rss.arxiv.org/rss/cs.AI",
        engine=engine,
    )
    summaries = [item.summary for item in feed.items]
    assert len(summaries) == 3
    assert summaries[0].startswith("Although language models demonstrate remarkable proficiency")
    assert not any("Announce Type" in s or s.startswith("arXiv:") for s in summaries)


def test_hugging_face_daily_papers_summaries_start_at_the_abstract() -> None:
    feed = parse_feed(
        snapshot_feed("hf-papers.json"),
        url="https://huggingface.co/papers",
        content_type="application/feed+json",
    )
    assert feed.items
    assert all(item.url.startswith("https://huggingface.co/papers/") for item in feed.items)
    assert not any(item.summary.startswith("Abstract") for item in feed.items)


@pytest.mark.parametrize(
    ("summary", "link", "expected"),
    [
        ("Abstract: We study X.", "https://example.org/a", "We study X."),
        ("ABSTRACT : We study X.", "https://example.org/a", "We study X."),
        ("Abstract We study X.", "https://huggingface.co/papers/2608.1", "We study X."),
        # Without its colon, "Abstract" is a word of the sentence anywhere else.
        ("Abstract art sells.", "https://example.org/art", "Abstract art sells."),
        ("Abstracts are due.", "https://huggingface.co/papers/2608.1", "Abstracts are due."),
        ("A plain summary.", "https://example.org/a", "A plain summary."),
        ("", "https://example.org/a", ""),
    ],
)
def test_only_a_label_is_taken_off(summary: str, link: str, expected: str) -> None:
    assert without_listing_label(summary, link) == expected
