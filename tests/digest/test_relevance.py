"""A general feed's off-topic items stay out of an AI digest; an AI source's items all stay in.

tests/data/hackernews.rss is Hacker News' recorded front page of 2025-12-13 (tests/data/ORIGIN.md).
The AI feeds are the snapshot's recorded `anthropic-news.rss` and `openai-research.rss`, added as
a reader adds a feed by its URL (community tier), so that no trust tier tells them apart from
Hacker News.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aiprogress.app.settings import SecretStr, Settings
from aiprogress.app.wiring import open_app
from aiprogress.core.clock import FixedClock
from aiprogress.core.types import Item, Language, Period, Source, SourceKind, TrustTier
from aiprogress.digest.relevance import ai_relevant, on_topic
from aiprogress.digest.stories import SheetInputs, StoryBuilder
from aiprogress.sources.parse import parse_feed
from tests.conftest import TEST_DATA, snapshot_feed
from tests.servers.feeds import FeedServer

HN_FEED = (TEST_DATA / "hackernews.rss").read_bytes()
OFF_TOPIC = (
    "Cat Gap",
    "Using E-Ink tablet as monitor for Linux",
    "TigerBeetle as a File Storage",
    "Go Proposal: Secret Mode",
)
ON_TOPIC = (
    "llamafile: Distribute and Run LLMs with a Single File",
    "Ask HN: How can I get better at using AI for programming?",
)
WEEK_END = datetime(2025, 12, 14, 12, tzinfo=UTC)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer().in_thread() as server:
        yield server


async def test_a_weeks_digest_leaves_out_a_general_feeds_other_news(
    feeds: FeedServer, tmp_path: Path
) -> None:
    settings = Settings.load(env_file=None)
    settings.database.url = SecretStr(f"sqlite:///{tmp_path / 'fresh.db'}")
    settings.collector.allow_private_urls = True
    async with open_app(settings, clock=FixedClock(datetime(2025, 12, 15, tzinfo=UTC))) as app:
        for path, body in (
            ("/hn.rss", HN_FEED),
            ("/anthropic.rss", snapshot_feed("anthropic-news.rss")),
        ):
            await app.service.add_source(
                feeds.feed(path, body), trust_tier=TrustTier.COMMUNITY, backfill=True
            )
        await app.service.collect()
        draft = await app.service.draft_digest(Period.WEEK, Language.EN, end=WEEK_END)
        stored = await app.store.items.in_window(
            datetime(2025, 12, 7, 12, tzinfo=UTC), WEEK_END, baseline=True
        )

    titles = [story["title"] for story in json.loads(draft.fact_sheet)["stories"]]
    for title in OFF_TOPIC:
        assert title not in titles
        assert title not in draft.body
    for title in ON_TOPIC:
        assert title in titles
    # The lab's posts of the week are all there.
    assert "Accenture and Anthropic launch multi-year partnership" in draft.body
    assert any("Model Context Protocol" in title for title in titles)
    # Left out of the digest, not out of storage.
    assert {"Cat Gap", *ON_TOPIC} <= {item.title for item, _ in stored}


def _source(source_id: int, url: str, name: str) -> Source:
    return Source(source_id, url, name, SourceKind.FEED, TrustTier.COMMUNITY, True, WEEK_END)


def _rows(source: Source, body: bytes, first_id: int) -> list[tuple[Item, Source]]:
    parsed = parse_feed(body, url=source.url)
    return [
        (
            Item(
                id=first_id + index,
                source_id=source.id,
                guid=entry.url,
                url=entry.url,
                title=entry.title,
                summary=entry.summary,
                published_at=entry.published_at,
                fetched_at=WEEK_END,
                content_hash=str(first_id + index),
            ),
            source,
        )
        for index, entry in enumerate(parsed.items)
    ]


HN = _source(1, "https://news.ycombinator.com/rss", "Hacker News")
RESEARCH = _source(2, "https://openai.com/news/research/rss.xml", "OpenAI Research")


def test_an_ai_source_keeps_its_items_whose_words_do_not_say_ai() -> None:
    research = _rows(RESEARCH, snapshot_feed("openai-research.rss"), 1000)
    quiet = {"Learning dexterity", "Robots that learn", "Scaling Kubernetes to 2,500 nodes"}
    assert not any(ai_relevant(item.title) for item, _ in research if item.title in quiet)
    rows = [*_rows(HN, HN_FEED, 1), *research]
    kept = {item.title for item, _ in on_topic(rows)}
    assert {item.title for item, _ in research} <= kept
    assert set(ON_TOPIC) <= kept
    assert not set(OFF_TOPIC) & kept
    stories, _ = StoryBuilder().stories(rows, SheetInputs(), max_stories=len(rows))
    told = {source.url for story in stories for source in story.sources}
    assert {item.url for item, _ in research} <= told
    hn_told = {story.title for story in stories if story.sources[0].outlet_url == HN.url}
    assert hn_told == set(ON_TOPIC)


def test_a_source_with_too_few_items_to_judge_keeps_them() -> None:
    """A small blog's two posts of the week whose titles name no AI thing ("Learning
    dexterity", "Robots that learn") are not judged off-topic on a sample of two."""
    blog = _source(3, "https://blog.example.org/feed", "A small lab blog")
    research = _rows(RESEARCH, snapshot_feed("openai-research.rss"), 1000)
    quiet = [
        (item, blog)
        for item, _ in research
        if item.title in {"Learning dexterity", "Robots that learn"}
    ]
    assert len(quiet) == 2 and not any(ai_relevant(item.title) for item, _ in quiet)
    assert on_topic(quiet) == quiet
    # Hacker News' week is judged: its other news stays out.
    assert not set(OFF_TOPIC) & {item.title for item, _ in on_topic(_rows(HN, HN_FEED, 1))}


def test_a_general_feeds_item_is_kept_by_a_link_to_a_labs_site() -> None:
    rows = _rows(HN, HN_FEED, 1)
    lab = replace(rows[0][0], id=99, title="Project Vend", url="https://www.anthropic.com/x")
    kept = on_topic([*rows, (lab, HN)])
    assert {item.title for item, _ in kept} == {*ON_TOPIC, "Project Vend"}


@pytest.mark.parametrize(
    "text",
    [
        "NARU: A Benchmark for NARrative Evolution and Cultural Nuance Understanding",
        "Ask HN: How can I get better at using AI for programming?",
        "llamafile: Distribute and Run LLMs with a Single File",
        "Fine-tuning small models with QLoRA",
        "Retrieval-augmented generation in practice",
        "Нейросеть пишет код",
        "ИИ-агенты в бенчмарках",
        "Новая языковая модель от Сбера",
        "Computer-Using Agent",
    ],
)
def test_ai_words_are_found(text: str) -> None:
    assert ai_relevant(text)


@pytest.mark.parametrize(
    "text",
    [
        "He said the rain would stop",
        "Ai, the three-toed sloth",
        "A LoRa radio mesh for the farm",
        "Type inference in Gleam",
        "The estate agent's week",
        "A fine tune on the piano",
        "Cat Gap",
        "Using E-Ink tablet as monitor for Linux",
        "Кот и собака",
    ],
)
def test_other_words_are_not(text: str) -> None:
    assert not ai_relevant(text)
