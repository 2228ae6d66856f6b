"""Conclusions read the knowledge base as it stood at each moment they compare."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aiprogress.core.factsheet import (
    Conclusion,
    ConclusionKind,
    ModelLine,
    Story,
    StorySource,
    WeighedAgainst,
    Weighing,
)
from aiprogress.core.types import Metric, ModelFact, ModelInfo, Period, TrustTier
from aiprogress.digest.compare import HEADLINE_BENCHMARKS
from aiprogress.digest.conclusions import QUARTER, Market, conclude

BENCHMARK = HEADLINE_BENCHMARKS[0]
OLD = ModelInfo("lab/old", "Old", "OpenAI", release_date=date(2024, 1, 10))
NEW = ModelInfo("lab/new", "New", "Google", release_date=date(2024, 12, 1))


def score(model: ModelInfo, value: float) -> ModelFact:
    return ModelFact(model.canonical_id, BENCHMARK, value, "%", date(2025, 5, 1), "Board", "u")


def price(model: ModelInfo, value: float, as_of: date) -> ModelFact:
    return ModelFact(
        model.canonical_id, Metric.PRICE_INPUT, value, "USD/1M tokens", as_of, "Prices", "p"
    )


def price_conclusion(facts: list[ModelFact], end: datetime) -> object:
    found = conclude(
        period=Period.DAY,
        window_start=end.replace(day=end.day - 1),
        window_end=end,
        stories=(),
        models=(OLD, NEW),
        facts=facts,
    )
    return next((c for c in found if c.kind is ConclusionKind.PRICE_OF_CAPABILITY), None)


def test_a_quarter_earlier_reads_the_prices_known_then() -> None:
    scores = [score(OLD, 60.0), score(NEW, 64.0)]
    prices_then = [price(OLD, 10.0, date(2024, 6, 1)), price(NEW, 1.0, date(2025, 1, 5))]
    conclusion = price_conclusion([*scores, *prices_then], datetime(2025, 2, 28, tzinfo=UTC))
    assert conclusion is not None
    quantities = {q.name: q.value for q in conclusion.quantities}  # type: ignore[attr-defined]
    assert quantities["price_before"] == 10.0 and quantities["price_now"] == 1.0


def test_a_price_published_after_the_earlier_moment_is_not_read_back_into_it() -> None:
    # Old's only known price was published in May 2025: on 29 November 2024 nobody had said
    # what it cost, so "a quarter earlier it cost $10" would be invented. No conclusion.
    scores = [score(OLD, 60.0), score(NEW, 64.0)]
    prices_later = [price(OLD, 10.0, date(2025, 5, 23)), price(NEW, 1.0, date(2025, 1, 5))]
    assert price_conclusion([*scores, *prices_later], datetime(2025, 2, 28, tzinfo=UTC)) is None


def returns(weighings: tuple[Weighing, ...]) -> list[dict[str, float]]:
    source = StorySource("Lab", "https://lab/new", TrustTier.OFFICIAL)
    story = Story("S1", "New", "", (source,), (1,), weighings=weighings)
    found = conclude(
        period=Period.DAY,
        window_start=datetime(2024, 12, 1, tzinfo=UTC),
        window_end=datetime(2024, 12, 2, tzinfo=UTC),
        stories=(story,),
        models=(OLD, NEW),
        facts=(),
    )
    return [
        {q.name: q.value for q in c.quantities}
        for c in found
        if c.kind is ConclusionKind.RETURNS_ON_PRICE
    ]


def line(metric: str, value: float, other_value: float, other: str) -> ModelLine:
    ratio = round(value / other_value, 2)
    delta = value - other_value
    return ModelLine("New", other, metric, value, other_value, "", delta, ratio, "S", "u")


def test_returns_on_price_weigh_a_launch_against_its_predecessor_only() -> None:
    # Against a model its story names beside it (a rival), a launch shows no returns.
    rival = Weighing(
        "New",
        "Rival",
        line(BENCHMARK, 60.0, 64.0, "Rival"),
        line(Metric.PRICE_INPUT, 0.7, 15.0, "Rival"),
        WeighedAgainst.NAMED,
    )
    assert returns((rival,)) == []
    # The multiple comes from the prices, not the line's two-decimal ratio (0.05 would be 20×).
    predecessor = Weighing(
        "New", "Old", line(BENCHMARK, 64.0, 60.0, "Old"), line(Metric.PRICE_INPUT, 0.7, 15.0, "Old")
    )
    [quantities] = returns((rival, predecessor))
    assert quantities["ratio"] == round(0.7 / 15.0, 4) and 1 / quantities["ratio"] > 21


# --- on the bundled knowledge base, as `aiprogress` imports it ---------------------------------


@pytest.fixture(scope="module")
def bundled_market(
    bundled_models_and_facts: tuple[list[ModelInfo], list[ModelFact]],
) -> tuple[list[ModelInfo], list[ModelFact]]:
    """Every model of the bundled data and their facts (a copy of the session's import)."""
    models, facts = bundled_models_and_facts
    return list(models), list(facts)  # lists of this module's own


def month_to(
    end: datetime, bundled: tuple[list[ModelInfo], list[ModelFact]]
) -> dict[ConclusionKind, Conclusion]:
    models, facts = bundled
    found = conclude(
        period=Period.MONTH,
        window_start=end - Period.MONTH.length,
        window_end=end,
        stories=(),
        models=models,
        facts=facts,
    )
    return {conclusion.kind: conclusion for conclusion in found}


def test_no_release_count_where_the_knowledge_base_listed_an_undated_launch(
    bundled_market: tuple[list[ModelInfo], list[ModelFact]],
) -> None:
    # May 2025: Claude Opus 4 and Claude Sonnet 4 came out on 22 May, and the bundled data has
    # no date for them (OpenRouter listed them first on 23 May). The month's digest said "New
    # models from the tracked vendors this period: 0 ... Data: ." beside "Introducing Claude 4".
    may = month_to(datetime(2025, 6, 1, tzinfo=UTC), bundled_market)
    assert ConclusionKind.CADENCE not in may
    # August 2025 against July: Grok 4 (July, listed undated on 11 July) is not counted as 0.
    august = month_to(datetime(2025, 9, 1, tzinfo=UTC), bundled_market)
    assert ConclusionKind.CADENCE not in august


def test_a_release_count_cites_its_sources_whichever_period_has_the_launches(
    bundled_market: tuple[list[ModelInfo], list[ModelFact]],
) -> None:
    models, facts = bundled_market
    # No undated model listed in these two months: a count stands, and it cites who dated it.
    for end in (datetime(2026, 2, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC)):
        cadence = month_to(end, bundled_market).get(ConclusionKind.CADENCE)
        if cadence is not None:
            assert cadence.sources
    # Constructed: launches only in the earlier period still name a source.
    dated = [m for m in models if m.release_date == date(2025, 4, 16)]
    assert dated
    found = conclude(
        period=Period.DAY,
        window_start=datetime(2025, 4, 17, tzinfo=UTC),
        window_end=datetime(2025, 4, 18, tzinfo=UTC),
        stories=(),
        models=dated,
        facts=[f for f in facts if f.model_id in {m.canonical_id for m in dated}],
    )
    cadence = next(c for c in found if c.kind is ConclusionKind.CADENCE)
    assert cadence.value("now") == 0 and cadence.value("before") == len(dated)
    assert cadence.sources


def test_a_price_that_changed_between_two_listings_is_not_known_in_between(
    bundled_market: tuple[list[ModelInfo], list[ModelFact]],
) -> None:
    # o3 is listed at $10 (OpenRouter, 23 May 2025) and at $2 (15 May 2026): on 12 April 2026
    # its price is not known. The week to 12 July 2026 said "a quarter earlier, on 12 April
    # 2026, it was o3 at $10, 5× dearer" for a cut made in June 2025.
    models, facts = bundled_market
    market = Market(models, facts)
    assert market.price_at("openai/o3", date(2026, 4, 12)) is None
    later = market.price_at("openai/o3", date(2026, 7, 12))
    assert later is not None and later.value == 2.0
    week = conclude(
        period=Period.WEEK,
        window_start=datetime(2026, 7, 6, tzinfo=UTC),
        window_end=datetime(2026, 7, 13, tzinfo=UTC),
        stories=(),
        models=models,
        facts=facts,
    )
    said = [
        (c.model("cheapest_before"), c.value("price_before"))
        for c in week
        if c.kind is ConclusionKind.PRICE_OF_CAPABILITY
    ]
    assert ("o3", 10.0) not in said


def test_leaders_are_named_only_where_the_board_says_who_led(
    bundled_market: tuple[list[ModelInfo], list[ModelFact]],
) -> None:
    # The day of GPT-4.5's launch said "a quarter earlier, on 29 November 2024, it was 1.93
    # points (Gemini 1.5 Pro 57.23% versus Claude 3.5 Sonnet 55.3%)": o1-mini, out since
    # September 2024 with 59.5%, has no release date and was first listed in May 2025.
    day = conclude(
        period=Period.DAY,
        window_start=datetime(2025, 2, 27, 12, tzinfo=UTC),
        window_end=datetime(2025, 2, 28, 12, tzinfo=UTC),
        stories=(),
        models=bundled_market[0],
        facts=bundled_market[1],
    )
    said = [c for c in day if c.kind is ConclusionKind.COMPETITION]
    assert not [c for c in said if c.model("leader_before") == "Gemini 1.5 Pro"]
    # Nor from a board of six models (LLM Stats' MMLU-Pro: "Gemini 2.0 Flash against
    # DeepSeek-V3" as the leading vendors), nor from a board older than a quarter at the end
    # (Epoch's May 2025 SWE-bench Verified for the end of August 2025).
    for end in (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC)):
        found = month_to(end, bundled_market).get(ConclusionKind.COMPETITION)
        assert found is None or found.metric != "MMLU-Pro"
        assert found is None or (found.sources[0].as_of or date.min) >= end.date() - QUARTER
