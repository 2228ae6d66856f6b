"""Clustering and ranking: one story told by several outlets is one entry listing them all."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from aiprogress.core.types import EventKind, Item, ModelEvent, Source, TrustTier
from aiprogress.digest.stories import SheetInputs, StoryBuilder
from tests.digest.sheets import FACTS, MODELS, OLLAMA, OPENAI, PAPERS, rows


def _item(item_id: int, source: Source, title: str, url: str) -> tuple[Item, Source]:
    first, _ = rows()[0]
    return replace(first, id=item_id, source_id=source.id, title=title, url=url, guid=url), source


HN = Source(4, "https://news.ycombinator.com/rss", "Hacker News", OLLAMA.kind,
            TrustTier.COMMUNITY, True, OLLAMA.created_at)  # fmt: skip


def test_one_story_from_several_outlets_is_one_entry_with_all_of_them() -> None:
    reported = [
        *rows(),
        _item(
            10,
            HN,
            "OpenAI: two settings tripled GPT-5.6 scores on ARC-AGI-3",
            "https://news.ycombinator.com/item?id=1",
        ),
        _item(
            11,
            PAPERS,
            "Nemotron 3.5 Lightning on Ollama",
            "https://ollama.com/blog/nemotron-3-5-lightning",
        ),
    ]
    stories, _ = StoryBuilder(MODELS).stories(reported, SheetInputs(MODELS, FACTS), max_stories=10)
    assert len(stories) == 3
    arc = next(s for s in stories if "ARC-AGI-3" in s.title)
    assert [s.name for s in arc.sources] == ["OpenAI Research", "Hacker News"]  # lead first
    assert arc.item_ids == (2, 10)
    nemotron = next(s for s in stories if "Nemotron" in s.title)
    assert nemotron.item_ids == (1, 11) and len(nemotron.sources) == 1  # the same link


def test_ranking_weighs_coverage_tier_and_knowledge_base_events() -> None:
    plain = rows()
    stories, _ = StoryBuilder(MODELS).stories(plain, SheetInputs(MODELS, FACTS), max_stories=10)
    # Two official posts ahead of the paper; the newer official one first.
    assert [s.sources[0].name for s in stories] == ["Ollama Blog", "OpenAI Research", "Hugging Face Daily Papers"]  # fmt: skip
    event = ModelEvent(EventKind.NEW_MODEL, "openai/gpt-4o-mini", date(2026, 8, 20), "https://x")
    boosted, _ = StoryBuilder(MODELS).stories(
        plain, SheetInputs(MODELS, FACTS, events=(event, event)), max_stories=1
    )
    assert [s.title[:7] for s in boosted] == ["FlowEvo"]  # the paper names a model with news
    assert boosted[0].model_lines[0].other == "GPT-3.5 Turbo"
    assert OPENAI.trust_tier is TrustTier.OFFICIAL
