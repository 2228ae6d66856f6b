"""A fixed fact sheet built from real recorded items (the offline snapshot's feeds) and real
model facts (LiteLLM 1.110.2's price table), through the real story builder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from aiprogress.core.factsheet import FactSheet
from aiprogress.core.types import (
    Item,
    Metric,
    ModelFact,
    ModelInfo,
    Period,
    Source,
    SourceKind,
    TrustTier,
)
from aiprogress.digest.stories import SheetInputs, StoryBuilder

WINDOW_END = datetime(2026, 8, 22, tzinfo=UTC)
LITELLM = ("LiteLLM 1.110.2 price table", "https://pypi.org/project/litellm/1.110.2/")

MODELS = (
    ModelInfo("openai/gpt-3.5-turbo", "GPT-3.5 Turbo", "openai", aliases=("gpt-3.5-turbo",)),
    ModelInfo(
        "openai/gpt-4o-mini",
        "GPT-4o mini",
        "openai",
        aliases=("gpt-4o-mini",),
        predecessor="openai/gpt-3.5-turbo",
    ),
    ModelInfo("openai/gpt-5.6", "GPT-5.6", "openai", aliases=("gpt-5.6",)),
)


def _fact(model_id: str, metric: str, value: float, unit: str) -> ModelFact:
    return ModelFact(model_id, metric, value, unit, date(2026, 11, 20), *LITELLM)


# From litellm-1.110.2-model_prices_and_context_window.json (../shared/fixtures/models/).
FACTS = (
    _fact("openai/gpt-4o-mini", Metric.PRICE_INPUT, 0.15, "USD/1M tokens"),
    _fact("openai/gpt-3.5-turbo", Metric.PRICE_INPUT, 0.5, "USD/1M tokens"),
    _fact("openai/gpt-4o-mini", Metric.CONTEXT_WINDOW, 128000, "tokens"),
    _fact("openai/gpt-3.5-turbo", Metric.CONTEXT_WINDOW, 16385, "tokens"),
)

OLLAMA = Source(1, "https://ollama.com/blog/rss.xml", "Ollama Blog", SourceKind.FEED,
                TrustTier.OFFICIAL, True, WINDOW_END)  # fmt: skip
OPENAI = Source(2, "https://openai.com/news/research/rss.xml", "OpenAI Research",
                SourceKind.FEED, TrustTier.OFFICIAL, True, WINDOW_END)  # fmt: skip
PAPERS = Source(3, "https://huggingface.co/papers", "Hugging Face Daily Papers",
                SourceKind.FEED, TrustTier.PAPER, True, WINDOW_END)  # fmt: skip

# Texts as the snapshot's feeds carry them (ollama-blog.rss, openai-research.rss,
# hf-papers.json), trimmed to their first sentences.
RAW = (
    (
        OLLAMA,
        "https://ollama.com/blog/nemotron-3-5-lightning",
        "NVIDIA Nemotron 3.5 Lightning",
        "NVIDIA Nemotron 3.5 Lightning is now available on Ollama. It's a 30 billion parameter "
        "(3B active) open model built for agents that stay running, gathering context, calling "
        "tools, and working through multi-step tasks on your own hardware.",
        datetime(2026, 8, 20, 17, 0, tzinfo=UTC),
    ),
    (
        OPENAI,
        "https://openai.com/index/how-two-settings-tripled-our-arc-agi-3-scores",
        "How enabling two settings tripled our scores on the ARC-AGI-3 benchmark",
        "How two API settings improved GPT-5.6 performance on ARC-AGI-3, boosting scores and "
        "efficiency by retaining reasoning and enabling compaction.",
        datetime(2026, 8, 19, 10, 0, tzinfo=UTC),
    ),
    (
        PAPERS,
        "https://huggingface.co/papers/2607.21596",
        "FlowEvo: Self-Evolving Agents through the Co-Evolution of Workflows and Executable Skills",
        "Using a shared GPT-4o-mini backbone, FlowEvo achieves the highest accuracy among 8 "
        "baselines. On ALFWorld, it reaches 85.6%, 26.4 points above the strongest baseline, "
        "while using roughly one third as many tokens.",
        datetime(2026, 8, 21, 23, 9, tzinfo=UTC),
    ),
)


def feed_item(
    index: int,
    source: Source,
    url: str,
    title: str,
    summary: str,
    published: datetime,
    *,
    hash_prefix: str = "hash",
) -> Item:
    """A recorded feed entry as collection stores it: its link is its guid, and it was fetched
    the moment it was published."""
    return Item(
        id=index,
        source_id=source.id,
        guid=url,
        url=url,
        title=title,
        summary=summary,
        published_at=published,
        fetched_at=published,
        content_hash=f"{hash_prefix}{index}",
    )


def rows(extra_summary: str = "") -> list[tuple[Item, Source]]:
    """The three items; `extra_summary` is appended to the paper's text (a planted line)."""
    built = []
    for index, (source, url, title, summary, published) in enumerate(RAW, start=1):
        if extra_summary and source is PAPERS:
            summary = f"{summary} {extra_summary}"
        built.append((feed_item(index, source, url, title, summary, published), source))
    return built


def fact_sheet(extra_summary: str = "") -> FactSheet:
    stories, quarantined = StoryBuilder(MODELS).stories(
        rows(extra_summary), SheetInputs(models=MODELS, facts=FACTS), max_stories=10
    )
    return FactSheet(
        period=Period.WEEK,
        window_start=WINDOW_END - timedelta(days=7),
        window_end=WINDOW_END,
        stories=stories,
        quarantined=quarantined,
    )
