""" "What we see", computed: takeaways about the period from the knowledge base, each with the
numbers it rests on and their sources. Only what the data support is concluded.

- Competition: the gap between the two leading vendors on a headline benchmark at the period's
  end and a quarter earlier (one source for all four numbers, so they compare).
- Cadence: new models from tracked vendors released in this period and in the one before.
- Price of capability: the cheapest input price of a model at or above a score on a headline
  benchmark, now and a quarter earlier.
- Returns on price: what this period's launches gained on their headline benchmark against the
  model before them, per multiple of the input price (points per doubling of price).

A model counts as out at a moment from its release date, or where the knowledge base has none,
from the date of its first fact. Scores are each model's newest value from the chosen source.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from aiprogress.core.factsheet import (
    Conclusion,
    ConclusionKind,
    FactSource,
    Quantity,
    Story,
    WeighedAgainst,
    Weighing,
)
from aiprogress.core.types import Metric, ModelFact, ModelInfo, Period, Unit, window_days
from aiprogress.core.vendors import TRACKED_VENDORS
from aiprogress.digest.compare import HEADLINE_BENCHMARKS, without_shadowed_copies
from aiprogress.digest.weighing import input_prices, price_at

QUARTER = timedelta(days=91)
# Benchmarks whose facts across every model the conclusions read, with the input price.
MARKET_METRICS = (*HEADLINE_BENCHMARKS, Metric.PRICE_INPUT)
# A score threshold is the earlier leader's score rounded down to this step.
_THRESHOLD_STEP = 5.0
_LAUNCHES = 3
# Leaders are named from a board of at least this many models out at both moments: LLM Stats
# lists six models on MMLU-Pro, so its "leading vendors" were Gemini 2.0 Flash and DeepSeek-V3.
_MIN_BOARD = 10


def _vendor(model: ModelInfo) -> str:
    return (model.vendor or model.canonical_id.split("/", 1)[0]).lower()


def _tracked(model: ModelInfo) -> bool:
    return _vendor(model) in TRACKED_VENDORS or model.canonical_id.split("/", 1)[0] in (
        TRACKED_VENDORS
    )


class Market:
    """The knowledge base as the conclusions read it: who was out when, scores by source."""

    def __init__(self, models: Sequence[ModelInfo], facts: Sequence[ModelFact]) -> None:
        self.models = {model.canonical_id: model for model in models}
        first_seen: dict[str, date] = {}
        self.scores: dict[str, dict[str, dict[str, ModelFact]]] = defaultdict(
            lambda: defaultdict(dict)
        )  # metric → source → model → newest fact
        # model → its input prices, oldest first: a price changes over time, so what a model cost
        # at a moment is the newest price known by then, never one published later (`price_at`,
        # the rule a story's weighing line follows too).
        self.price_history = input_prices(facts)
        self.prices = {model_id: known[-1] for model_id, known in self.price_history.items()}
        # Default runs only, and no copy whose original is here: a setting changes a score.
        plain = [f for f in without_shadowed_copies(facts) if not f.setting]
        for fact in sorted(plain, key=lambda f: f.as_of):
            seen = first_seen.get(fact.model_id)
            first_seen[fact.model_id] = min(seen, fact.as_of) if seen else fact.as_of
            if Metric.is_benchmark(fact.metric):
                self.scores[fact.metric][fact.source_name][fact.model_id] = fact
        self.first_seen = first_seen
        self.out_since = {
            model_id: model.release_date or first_seen.get(model_id)
            for model_id, model in self.models.items()
        }

    def out_at(self, model_id: str, moment: date) -> bool:
        since = self.out_since.get(model_id)
        return since is not None and since <= moment

    def price_at(self, model_id: str, moment: date) -> ModelFact | None:
        """The input price known on `moment`, if any was (`weighing.price_at`'s rule)."""
        return price_at(self.price_history.get(model_id, ()), moment)

    def board(self, metric: str, source: str, moment: date) -> list[ModelFact]:
        """The scores of the models out at `moment`, best first."""
        facts = self.scores[metric][source].values()
        return sorted(
            (f for f in facts if f.model_id in self.models and self.out_at(f.model_id, moment)),
            key=lambda f: (-f.value, f.model_id),
        )


def _leaders(board: list[ModelFact], market: Market) -> tuple[ModelFact, ModelFact] | None:
    """The best score and the best of another vendor."""
    if not board:
        return None
    first = board[0]
    vendor = _vendor(market.models[first.model_id])
    second = next((f for f in board if _vendor(market.models[f.model_id]) != vendor), None)
    return (first, second) if second is not None else None


def _settled(
    market: Market, metric: str, source: str, moment: date, pair: tuple[ModelFact, ModelFact]
) -> bool:
    """Whether `pair` are the leaders at `moment` whatever the models without a release date
    were doing then: none of those not yet listed by `moment` scores as high as the runner-up.
    Such a model counts as out from its first listing, which may be long after its release (o1-mini,
    out in September 2024, is first listed in the bundled data in May 2025, so "a quarter
    earlier, on 29 November 2024" read Gemini 1.5 Pro against Claude 3.5 Sonnet below it)."""
    runner = pair[1].value
    return not any(
        fact.value >= runner
        and fact.model_id in market.models
        and market.models[fact.model_id].release_date is None
        and not market.out_at(fact.model_id, moment)
        for fact in market.scores[metric][source].values()
    )


def _name(market: Market, model_id: str) -> str:
    return market.models[model_id].display_name


def _source(fact: ModelFact) -> FactSource:
    return FactSource(fact.source_name, fact.source_url, fact.as_of)


def _competition(market: Market, now: date, before: date) -> Conclusion | None:
    for metric in HEADLINE_BENCHMARKS:
        # The source that has the most models out now on this benchmark.
        sources = sorted(
            market.scores[metric],
            key=lambda s: (-len(market.board(metric, s, now)), s),
        )
        for source in sources:
            # A source last heard from more than a quarter before the period's end cannot say
            # who leads at its end (Epoch's May 2025 board had "Claude 3.7 Sonnet against o4
            # Mini" leading SWE-bench Verified at the end of August 2025).
            listed = max(f.as_of for f in market.scores[metric][source].values())
            if listed < now - QUARTER:
                continue
            board_now = market.board(metric, source, now)
            board_before = market.board(metric, source, before)
            if min(len(board_now), len(board_before)) < _MIN_BOARD:
                continue
            pair_now = _leaders(board_now, market)
            pair_before = _leaders(board_before, market)
            if pair_now is None or pair_before is None or pair_now == pair_before:
                continue
            if not (
                _settled(market, metric, source, now, pair_now)
                and _settled(market, metric, source, before, pair_before)
            ):
                continue
            unit = Unit.PERCENTAGE_POINTS if pair_now[0].unit == Unit.PERCENT else ""
            score = Unit.PERCENT if pair_now[0].unit == Unit.PERCENT else ""
            spread_now = round(pair_now[0].value - pair_now[1].value, 2)
            spread_before = round(pair_before[0].value - pair_before[1].value, 2)
            return Conclusion(
                kind=ConclusionKind.COMPETITION,
                metric=metric,
                quantities=(
                    Quantity("spread_now", spread_now, unit),
                    Quantity("spread_before", spread_before, unit),
                    Quantity("leader_now", pair_now[0].value, score),
                    Quantity("runner_now", pair_now[1].value, score),
                    Quantity("leader_before", pair_before[0].value, score),
                    Quantity("runner_before", pair_before[1].value, score),
                ),
                models=(
                    ("leader_now", _name(market, pair_now[0].model_id)),
                    ("runner_now", _name(market, pair_now[1].model_id)),
                    ("leader_before", _name(market, pair_before[0].model_id)),
                    ("runner_before", _name(market, pair_before[1].model_id)),
                ),
                sources=(_source(pair_now[0]),),
                dates=(("now", now), ("before", before)),
            )
    return None


def _cadence(market: Market, start: date, end: date, length: timedelta) -> Conclusion | None:
    def released(first: date, last: date) -> list[ModelInfo]:
        return sorted(
            (
                m
                for m in market.models.values()
                if _tracked(m) and m.release_date is not None and first <= m.release_date < last
            ),
            key=lambda m: (m.release_date, m.display_name),
        )

    # The counts are of release dates the knowledge base knows. A tracked model it first listed
    # without a date in these two periods or since may be one of their launches (Claude Opus 4,
    # listed by OpenRouter on 23 May 2025 with no date, made "0 new models in May 2025" beside
    # the digest's own "Introducing Claude 4"), so then nothing is concluded.
    if any(
        _tracked(model)
        and model.release_date is None
        and (seen := market.first_seen.get(model_id)) is not None
        and seen >= start - length
        for model_id, model in market.models.items()
    ):
        return None
    now = released(start, end)
    before = released(start - length, start)
    if not now and not before:
        return None
    named = now[-_LAUNCHES:]
    # Each count's models are cited, those of the earlier period too: a period without launches
    # otherwise cited nobody ("Данные: .").
    sources: dict[tuple[str, str], FactSource] = {}
    for model in [*named, *before[-_LAUNCHES:]]:
        facts = [
            fact
            for board in market.scores.values()
            for by_model in board.values()
            for fact in by_model.values()
            if fact.model_id == model.canonical_id
        ]
        facts += market.price_history.get(model.canonical_id, [])
        # The source the release date was filled from speaks for it where it has a fact.
        dated_by = [fact for fact in facts if fact.source_name == model.release_source]
        if dated_by or facts:
            first = min(dated_by or facts, key=lambda f: (f.as_of, f.source_name))
            sources.setdefault((first.source_name, first.source_url), _source(first))
    if not sources:
        return None
    return Conclusion(
        kind=ConclusionKind.CADENCE,
        metric="",
        quantities=(Quantity("now", len(now), ""), Quantity("before", len(before), "")),
        models=tuple((f"model.{i}", m.display_name) for i, m in enumerate(named)),
        sources=tuple(sources.values()),
        dates=(("start", start), ("previous_start", (start - length))),
    )


def _cheapest(
    market: Market, board: list[ModelFact], threshold: float, moment: date
) -> tuple[ModelFact, ModelFact] | None:
    """(input price, score) of the cheapest model on `board` scoring at least `threshold`, at
    the prices known on `moment`. A score is the model's own and does not age; a price does, so
    "a quarter earlier" never reads a price published since."""
    able = [
        (price, f)
        for f in board
        if f.value >= threshold and (price := market.price_at(f.model_id, moment)) is not None
    ]
    return min(able, key=lambda pair: (pair[0].value, pair[0].model_id), default=None)


def _price_of_capability(market: Market, now: date, before: date) -> Conclusion | None:
    for metric in HEADLINE_BENCHMARKS:
        for source in sorted(market.scores[metric]):
            earlier = market.board(metric, source, before)
            if not earlier or earlier[0].unit != Unit.PERCENT:
                continue
            threshold = math.floor(earlier[0].value / _THRESHOLD_STEP) * _THRESHOLD_STEP

            then = _cheapest(market, earlier, threshold, before)
            latest = _cheapest(market, market.board(metric, source, now), threshold, now)
            if then is None or latest is None or latest[0].value >= then[0].value:
                continue
            price_now, score_now = latest
            price_before, score_before = then
            return Conclusion(
                kind=ConclusionKind.PRICE_OF_CAPABILITY,
                metric=metric,
                quantities=(
                    Quantity("threshold", threshold, "%"),
                    Quantity("price_now", price_now.value, "$"),
                    Quantity("price_before", price_before.value, "$"),
                    Quantity("ratio", round(price_before.value / price_now.value, 2), Unit.TIMES),
                    Quantity("score_now", score_now.value, "%"),
                    Quantity("score_before", score_before.value, "%"),
                ),
                models=(
                    ("cheapest_now", _name(market, price_now.model_id)),
                    ("cheapest_before", _name(market, price_before.model_id)),
                ),
                sources=tuple(
                    dict.fromkeys(
                        _source(f) for f in (score_now, price_now, score_before, price_before)
                    )
                ),
                dates=(("now", now), ("before", before)),
            )
    return None


def _launched(story: Story, weighing: Weighing, market: Market, start: date, end: date) -> bool:
    """Whether a story's weighed model is one of this period's launches: released in the
    period, or (with no release date known) announced by an official source."""
    model = next((m for m in market.models.values() if m.display_name == weighing.model), None)
    if model is not None and model.release_date is not None:
        return start <= model.release_date < end
    return any(source.trust_tier.value == "official" for source in story.sources)


def _returns(stories: Sequence[Story], market: Market, start: date, end: date) -> list[Conclusion]:
    conclusions: list[Conclusion] = []
    seen: set[str] = set()
    for story in stories:
        # Returns are a launch against the one before it, not against a model named beside it.
        weighing = next(
            (w for w in story.weighings if w.against is WeighedAgainst.PREDECESSOR), None
        )
        if weighing is None or weighing.benchmark is None or weighing.price is None:
            continue
        if weighing.benchmark.margin is not None:
            # On par within the margin of error: no return (or loss) to state per doubling.
            continue
        if weighing.model in seen or not _launched(story, weighing, market, start, end):
            continue
        seen.add(weighing.model)
        gain, price = weighing.benchmark, weighing.price
        # From the values, not the line's two-decimal ratio ($0.7 against $15 is 0.0467, which
        # rounds to 0.05 and would read "20× lower" for 21.4×).
        ratio = round(price.value / price.other_value, 4) if price.other_value else 0.0
        if ratio <= 0:
            continue
        unit = Unit.PERCENTAGE_POINTS if gain.unit == Unit.PERCENT else ""
        quantities = [Quantity("delta", gain.delta, unit), Quantity("ratio", ratio, Unit.TIMES)]
        if ratio > 1:
            quantities.append(
                Quantity("per_doubling", round(gain.delta / math.log2(ratio), 1), unit)
            )
        sources = [FactSource(name, url) for line in (gain, price) for name, url in line.sources]
        conclusions.append(
            Conclusion(
                kind=ConclusionKind.RETURNS_ON_PRICE,
                metric=gain.metric,
                quantities=tuple(quantities),
                models=(("model", weighing.model), ("other", weighing.other)),
                sources=tuple(dict.fromkeys(sources)),
                # Prices of a snapshot later than the story's day say so, as its line does.
                dates=(("prices_of", price.postdated),) if price.postdated else (),
            )
        )
        if len(conclusions) >= _LAUNCHES:
            break
    return conclusions


def conclude(
    *,
    period: Period,
    window_start: datetime,
    window_end: datetime,
    stories: Sequence[Story],
    models: Sequence[ModelInfo],
    facts: Sequence[ModelFact],
) -> tuple[Conclusion, ...]:
    """The conclusions the knowledge base supports for the period, in the post's order."""
    if not models:
        return ()
    market = Market(models, facts)
    # The window is half-open; "now" is its last day. Release dates are days, each the
    # window's in which it ends (`window_days`), so consecutive digests count a launch once.
    now = (window_end - timedelta(microseconds=1)).date()
    start, after = window_days(window_start, window_end)
    before = now - QUARTER
    found = [
        _competition(market, now, before),
        _cadence(market, start, after, period.length),
        _price_of_capability(market, now, before),
    ]
    return (
        *(c for c in found if c is not None),
        *_returns(stories, market, start, after),
    )
