"""Conclusions read the knowledge base as it stood at each moment they compare."""

from __future__ import annotations

from datetime import UTC, date, datetime

from aiprogress.core.factsheet import (
    ConclusionKind,
    ModelLine,
    Story,
    StorySource,
    WeighedAgainst,
    Weighing,
)
from aiprogress.core.types import Metric, ModelFact, ModelInfo, Period, TrustTier
from aiprogress.digest.compare import HEADLINE_BENCHMARKS
from aiprogress.digest.conclusions import conclude

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
