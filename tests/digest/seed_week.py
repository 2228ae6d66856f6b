"""The fact sheet of the seed post's week (24 February to 2 March 2025), from real data.

Models and facts: the bundled curated file (`src/aiprogress/sources/data/seed_models.json`, each
fact with its source), narrowed to what the sheet's model lines use: GPQA Diamond from the Epoch
AI Benchmarking Hub and the input price from LiteLLM 1.63.14's price table. OpenRouter's name for
GPT-4, "OpenAI: GPT-4" (`../shared/fixtures/models/openrouter-models.json`), is added as an alias:
it is the alias that once made "OpenAI выпустила GPT-4.5" read as "OpenAI … GPT-4".

Items: three entries of the week from `../shared/fixtures/feeds/anthropic-news.rss` (the feed's
description repeats the title). GPT-4.5 has no item in the fixture feeds; its story is the
knowledge base's record of the release (27 February 2025, the Epoch hub as its source), with the
model lines the story builder computes for a model against its predecessor.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import replace
from datetime import UTC, datetime

from aiprogress.core.factsheet import FactSheet, ModelLine, Story, StorySource, Weighing
from aiprogress.core.types import Metric, ModelFact, Period, Source, SourceKind, TrustTier
from aiprogress.digest.stories import SheetInputs, StoryBuilder
from aiprogress.sources.importers.curated import read_curated
from tests.digest.sheets import feed_item

WINDOW_END = datetime(2025, 3, 3, tzinfo=UTC)
EPOCH = "Epoch AI Benchmarking Hub"
LITELLM = "LiteLLM 1.63.14 price table"

_batch = read_curated(
    importlib.resources.files("aiprogress.sources.data").joinpath("seed_models.json").read_bytes()
)
MODELS = tuple(
    replace(model, aliases=(*model.aliases, "OpenAI: GPT-4"))
    if model.canonical_id == "openai/gpt-4"
    else model
    for model in _batch.models
)
FACTS: tuple[ModelFact, ...] = tuple(
    fact
    for fact in _batch.facts
    if (fact.metric, fact.source_name) in {("GPQA Diamond", EPOCH), (Metric.PRICE_INPUT, LITELLM)}
)

ANTHROPIC = Source(1, "https://raw.githubusercontent.com/Olshansk/rss-feeds/main/feeds/"
                   "feed_anthropic_news.xml", "Anthropic News", SourceKind.FEED,
                   TrustTier.OFFICIAL, True, WINDOW_END)  # fmt: skip

RAW = (
    (
        "https://www.anthropic.com/news/claude-3-7-sonnet",
        "Claude 3.7 Sonnet and Claude Code",
        datetime(2025, 2, 24, tzinfo=UTC),
    ),
    (
        "https://www.anthropic.com/news/claude-and-alexa-plus",
        "Claude and Alexa+",
        datetime(2025, 2, 26, tzinfo=UTC),
    ),
    (
        "https://www.anthropic.com/news/anthropic-partners-with-u-s-national-labs-for-first-1-000-"
        "scientist-ai-jam",
        "Anthropic partners with U.S. National Labs for first 1,000 Scientist AI Jam",
        datetime(2025, 2, 28, tzinfo=UTC),
    ),
)
GPT_45_RELEASE = datetime(2025, 2, 27, tzinfo=UTC)
GPT_45_SOURCE = "https://epoch.ai/data/ai-benchmarking-dashboard"


def _fact(model_id: str, metric: str) -> ModelFact:
    return next(f for f in FACTS if f.model_id == model_id and f.metric == metric)


def _line(model_id: str, other_id: str, metric: str) -> ModelLine:
    """A model against its predecessor on one metric, computed as the story builder does."""
    names = {model.canonical_id: model.display_name for model in MODELS}
    mine, theirs = _fact(model_id, metric), _fact(other_id, metric)
    return ModelLine(
        model=names[model_id],
        other=names[other_id],
        metric=metric,
        value=mine.value,
        other_value=theirs.value,
        unit=mine.unit,
        delta=round(mine.value - theirs.value, 2),
        ratio=round(mine.value / theirs.value, 2) if theirs.value else None,
        source_name=mine.source_name,
        source_url=mine.source_url,
    )


def seed_week_sheet() -> FactSheet:
    rows = [
        (feed_item(index, ANTHROPIC, url, title, title, published, hash_prefix="seed"), ANTHROPIC)
        for index, (url, title, published) in enumerate(RAW, start=1)
    ]
    stories, quarantined = StoryBuilder(MODELS).stories(
        rows, SheetInputs(models=MODELS, facts=FACTS), max_stories=10
    )
    gpt_45 = Story(
        key=f"S{len(stories) + 1}",
        title="GPT-4.5 (preview)",
        summary="",
        sources=(StorySource(EPOCH, GPT_45_SOURCE, TrustTier.PRESS, GPT_45_RELEASE),),
        item_ids=(),
        models=("GPT-4.5 (preview)",),
        weighings=(
            Weighing(
                "GPT-4.5 (preview)",
                "GPT-4o",
                benchmark=_line("openai/gpt-4.5-preview", "openai/gpt-4o", "GPQA Diamond"),
                price=_line("openai/gpt-4.5-preview", "openai/gpt-4o", Metric.PRICE_INPUT),
            ),
        ),
        score=5.0,
    )
    return FactSheet(
        period=Period.WEEK,
        window_start=WINDOW_END - Period.WEEK.length,
        window_end=WINDOW_END,
        stories=(*stories, gpt_45),
        quarantined=quarantined,
    )
