"""A day's built-in digest held to golden files in Russian and English, end to end: the day's
feeds are served by the loopback feed server, collected by the real collector into a fresh
SQLite database, and written by the built-in writer, which loads the knowledge base itself.

The day (27-28 February 2025) holds a model launch reported by two outlets (OpenAI's
announcement and a press report: one story naming both, weighed against its predecessor), a
release with a similar title that is other news (Phi-4-mini), a partnership and a hire, which
rank below the launch, the hire last. Provenance of every item is in tests/data/ORIGIN.md.

After an intended change, regenerate with `AIPROGRESS_UPDATE_GOLDEN=1 pytest tests/app` and
read the diff before committing it."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aiprogress.app.settings import SecretStr, Settings
from aiprogress.app.wiring import open_app
from aiprogress.core.clock import FixedClock
from aiprogress.core.types import Language, Metric, ModelFact, ModelInfo, Period, TrustTier
from tests.conftest import TEST_DATA, snapshot_feed
from tests.servers.feeds import FeedServer

GOLDEN = Path(__file__).parents[1] / "digest" / "golden"
DAY_END = datetime(2025, 2, 28, 12, tzinfo=UTC)

# (path on the feed server, body, name given when added: "" takes the feed's title)
FEEDS = (
    ("/anthropic.rss", snapshot_feed("anthropic-news.rss"), "Anthropic News", TrustTier.OFFICIAL),
    ("/openai.rss", (TEST_DATA / "seed-launches.rss").read_bytes(), "OpenAI", TrustTier.OFFICIAL),
    ("/press.rss", (TEST_DATA / "golden-day-press.rss").read_bytes(), "", TrustTier.PRESS),
)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer().in_thread() as server:
        yield server


async def the_day(
    feeds: FeedServer, tmp_path: Path
) -> tuple[dict[Language, str], list[ModelInfo], list[ModelFact]]:
    settings = Settings.load(env_file=None)
    settings.database.url = SecretStr(f"sqlite:///{tmp_path / 'fresh.db'}")
    settings.collector.allow_private_urls = True
    async with open_app(settings, clock=FixedClock(DAY_END)) as app:
        assert await app.store.models.all() == []  # a fresh database
        for path, body, name, tier in FEEDS:
            await app.service.add_source(
                feeds.feed(path, body), name=name, trust_tier=tier, backfill=True
            )
        await app.service.collect()
        # The title above the body, as every chat shows it: it names the day's main story.
        drafts = {
            language: await app.service.draft_digest(Period.DAY, language) for language in Language
        }
        bodies = {language: f"{d.title}\n\n{d.body}" for language, d in drafts.items()}
        return bodies, await app.store.models.all(), await app.store.models.facts()


def _fact(
    models: list[ModelInfo], facts: list[ModelFact], name: str, metric: str, source: str
) -> float:
    """The one value the knowledge base holds for a model, metric and source (default run)."""
    (model,) = [m for m in models if m.display_name == name]
    values = {
        round(f.value, 2)
        for f in facts
        if f.model_id == model.canonical_id
        and f.metric == metric
        and f.source_name == source
        and not f.setting
        and not f.copy_of
    }
    assert len(values) == 1, (name, metric, source, values)
    return values.pop()


def _numbers(text: str) -> set[float]:
    return {float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", text)}


async def test_the_days_digest_matches_the_golden_files(feeds: FeedServer, tmp_path: Path) -> None:
    bodies, models, facts = await the_day(feeds, tmp_path)
    for language, body in bodies.items():
        golden = GOLDEN / f"day-launch.{language.value}.txt"
        if os.environ.get("AIPROGRESS_UPDATE_GOLDEN"):
            golden.write_text(body, encoding="utf-8")
        assert body == golden.read_text(encoding="utf-8")

    english = bodies[Language.EN]
    stories = [block for block in english.split("\n\n") if block.startswith("🔘 ")]
    titles = [block.splitlines()[0].removeprefix("🔘 ") for block in stories]
    # The launch is one story with both outlets' links, named in the thesis; the similar-titled
    # release is a story of its own; the partnership and the hire come after, the hire last.
    assert titles == [
        "Introducing GPT-4.5",
        "Microsoft launches Phi-4-mini, its smallest chat model yet",
        "Anthropic partners with U.S. National Labs for first 1,000 Scientist AI Jam",
        "Example Labs hires a new chief scientist",
    ]
    assert "https://example.org/press/openai-launches-gpt-4-5" in stories[0]
    assert "2 outlets reported it (OpenAI, AI Press Review)" in english
    assert "о ней написали 2 источника (OpenAI, AI Press Review)" in bodies[Language.RU]

    # Every figure of the weighing line and the conclusions, against the knowledge base the
    # digest loaded from the bundled recorded files (sources/data/ORIGIN.md).
    epoch, openrouter = "Epoch AI Benchmarking Hub", "OpenRouter models API"
    gpqa = "GPQA Diamond"

    def score(name: str) -> float:
        return _fact(models, facts, name, gpqa, epoch)

    gpt45, gpt4o = score("GPT-4.5 (preview)"), score("GPT-4o")
    price45 = _fact(models, facts, "GPT-4.5 (preview)", Metric.PRICE_INPUT, openrouter)
    price4o = _fact(models, facts, "GPT-4o", Metric.PRICE_INPUT, openrouter)
    # The launch (27 February 2025) predates OpenRouter's earliest list, May 2025's: said.
    weighing = (
        f"GPT-4.5 (preview) against GPT-4o: +{gpt45 - gpt4o:.2f} points on GPQA Diamond "
        f"({gpt45:g}% versus {gpt4o:g}%) for {price45 / price4o:g}× the input price "
        f"(${price45:g} versus ${price4o:g} per 1M tokens, prices of May 2025)"
    )
    assert weighing in stories[0]
    leaders_now = (score("Grok 3"), score("o3 Mini"))
    leaders_before = (score("Gemini 1.5 Pro"), score("Claude 3.5 Sonnet"))
    flash = score("Gemini 2.0 Flash")
    flash_price = _fact(models, facts, "Gemini 2.0 Flash", Metric.PRICE_INPUT, openrouter)
    pro_price = _fact(models, facts, "Gemini 1.5 Pro", Metric.PRICE_INPUT, openrouter)
    per_doubling = (gpt45 - gpt4o) / math.log2(price45 / price4o)
    # MATH Level 5's leaders of two vendors now and a quarter before (o1-mini, out since
    # 12 September 2024 by LLM Stats' model record, leads then).
    math5 = [
        _fact(models, facts, name, "MATH Level 5", epoch) for name in ("o3 Mini", "DeepSeek-R1")
    ]
    math5_before = [
        _fact(models, facts, name, "MATH Level 5", epoch) for name in ("o1-mini", "Gemini 1.5 Pro")
    ]
    computed = {
        *math5, round(math5[0] - math5[1], 2),
        *math5_before, round(math5_before[0] - math5_before[1], 2),
        gpt45, gpt4o, round(gpt45 - gpt4o, 2), price45, price4o, price45 / price4o,
        *leaders_now, round(leaders_now[0] - leaders_now[1], 2),
        *leaders_before, round(leaders_before[0] - leaders_before[1], 2),
        flash, flash_price, pro_price, round(pro_price / flash_price), round(per_doubling),
    }  # fmt: skip
    # No price was published for these models by 29 November 2024 (the earliest in the
    # bundled data is LiteLLM's of March 2025), so "capability gets cheaper" has no "before".
    assert "Capability gets cheaper" not in english
    # Our lines (weighing, conclusions) hold no figure outside those, bar dates and counts.
    ours = [line for line in english.splitlines() if " against " in line or line.startswith("● ")]
    names = sorted((m.display_name for m in models), key=len, reverse=True)
    ours = [re.sub("|".join(map(re.escape, names)), "", line) for line in ours]
    figures = {n for line in ours for n in _numbers(line) if n != int(n) or n > 31}
    threshold, year = 55.0, 2024.0  # the conclusion's score threshold, a date's year
    prices_of = 2025.0  # the year of the prices' snapshot, May 2025
    assert figures - {threshold, year, prices_of} <= computed, figures - computed
