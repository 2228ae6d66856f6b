"""A model weighed against the one before it, as the seed post weighs GPT-4.5 against GPT-4o:
the change on the best headline benchmark both have, for a multiple of the input price.

A story that names two known models weighs them against each other on a benchmark both have, the
newer against the older where both dates are known, else in the order the story names
them: the seed post weighs Gemini 2.0 Pro against Gemini 2.0 Flash, announced with it, and a
launch weighs against the rival it names ("DeepSeek-R1 ... on par with OpenAI o1"). When the
second model is the first's same-vendor sibling rather than its predecessor or a rival, it is
news too and is weighed against the one before it, as the seed goes on to weigh Gemini 2.0 Flash
against Gemini 1.5 Pro.

The benchmark numbers are `/compare`'s (one source and setting per row, by its trust order), so a
digest and `/compare` say the same.

Prices change, so a line's prices are those known on the story's day (`price_at`, the rule the
conclusions use too): each model's price from a source is the one of its latest snapshot at or
before the day, or where none is that old, of the earliest after it, and then the line says
the date. The choice is the model's own, not the pair's, so one model never shows two prices
from one source on one day. Both prices of a multiple come from one source and one snapshot;
the most trusted source whose prices are known on the day speaks, else the most trusted whose
later prices are.


Which model is the one before it is `digest.lineage`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from aiprogress.core.comparison import Comparison, FactRef, MetricComparison, MetricKind
from aiprogress.core.factsheet import ModelLine, WeighedAgainst, Weighing
from aiprogress.core.types import Metric, ModelFact, ModelInfo, Unit
from aiprogress.digest.compare import (
    best_known,
    compare_models,
    fair,
    headline_rank,
    source_rank,
    without_shadowed_copies,
)
from aiprogress.digest.lineage import Lineage, dated_order, same_model, vendor_of

FactsByModel = Mapping[str, Sequence[ModelFact]]


# --- prices as known at a moment --------------------------------------------------------------


def input_prices(facts: Iterable[ModelFact]) -> dict[str, list[ModelFact]]:
    """Each model's input prices that can be weighed, oldest first: list prices in USD above
    zero (a free endpoint has no multiple), the default offer (no setting), no copy whose
    original is here. On one date the most trusted source comes last, so it is the newest."""
    usable = [
        fact
        for fact in without_shadowed_copies(list(facts))
        if fact.metric == Metric.PRICE_INPUT
        and not fact.setting
        and fact.unit.upper().startswith("USD")
        and fact.value > 0
    ]
    by_trust = sorted(
        usable, key=lambda f: source_rank(f.source_name, MetricKind.PRICE), reverse=True
    )
    prices: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in sorted(by_trust, key=lambda f: f.as_of):
        prices[fact.model_id].append(fact)
    return prices


def price_at(
    prices: Sequence[ModelFact], moment: date, *, or_later: bool = False
) -> ModelFact | None:
    """The price as known on `moment`, from one model's prices oldest first: the newest
    published on or before it, never one published since, and only if it still held then:
    where the next price published after `moment` differs, the change fell somewhere between
    the two listings and the price on `moment` is not known (o3, listed at $10 on 23 May 2025
    and at $2 on 15 May 2026, did not cost $10 on 12 April 2026). With `or_later`, where none
    is known, the earliest published after it (the caller says its date)."""
    known = [fact for fact in prices if fact.as_of <= moment]
    later = next((fact for fact in prices if fact.as_of > moment), None)
    if known and (later is None or later.value == known[-1].value or known[-1].as_of == moment):
        return known[-1]
    return later if or_later else None


def _price_source(name: str) -> str:
    """The source a price snapshot belongs to: each LiteLLM release is a snapshot of LiteLLM's
    table (the trust order ranks its releases by version), any other source is its name."""
    return "LiteLLM" if source_rank(name, MetricKind.PRICE)[1] else name


def _line_between(
    model: ModelInfo,
    other: ModelInfo,
    metric: str,
    mine: ModelFact | FactRef,
    theirs: ModelFact | FactRef,
    *,
    postdated: date | None = None,
) -> ModelLine:
    """`model`'s value `mine` against `other`'s `theirs` on one metric: the difference, the
    ratio (None against a zero), and `theirs`'s source where it is not `mine`'s."""
    same = theirs.source_name == mine.source_name
    return ModelLine(
        model=model.display_name,
        other=other.display_name,
        metric=metric,
        value=mine.value,
        other_value=theirs.value,
        unit=mine.unit,
        delta=round(mine.value - theirs.value, 2),
        ratio=round(mine.value / theirs.value, 2) if theirs.value else None,
        source_name=mine.source_name,
        source_url=mine.source_url,
        other_source_name="" if same else theirs.source_name,
        other_source_url="" if same else theirs.source_url,
        postdated=postdated,
    )


def _in_snapshot_of(
    later: ModelFact, chosen: ModelFact, prices: Sequence[ModelFact]
) -> ModelFact | None:
    """The price among `prices` (one model's, one source's) in `later`'s snapshot, where it is
    the `chosen` price's value: the same price, listed again."""
    return next(
        (
            fact
            for fact in prices
            if (fact.source_name, fact.as_of) == (later.source_name, later.as_of)
            and fact.value == chosen.value
        ),
        None,
    )


def price_line(
    model: ModelInfo, other: ModelInfo, prices: Mapping[str, Sequence[ModelFact]], day: date
) -> ModelLine | None:
    """`model`'s input price against `other`'s as known on `day`, both from one source and one
    snapshot: each model's price from a source is chosen by `price_at` on its own (so a model
    has one price per source and day, whatever it is weighed against), and a source speaks only
    where the two chosen prices are of one snapshot. Sources whose prices are known on the day
    come first, then by the trust order; None when no source prices both."""
    by_source: dict[str, list[list[ModelFact]]] = defaultdict(lambda: [[], []])
    for side, model_id in enumerate((model.canonical_id, other.canonical_id)):
        for fact in prices.get(model_id, ()):
            by_source[_price_source(fact.source_name)][side].append(fact)
    pairs: list[tuple[ModelFact, ModelFact]] = []
    for mine_all, theirs_all in by_source.values():
        mine = price_at(mine_all, day, or_later=True)
        theirs = price_at(theirs_all, day, or_later=True)
        if mine is None or theirs is None:
            continue
        # One model known only from a later list (Claude Haiku 4.5 on its launch day, listed
        # from May 2026), the other known on the day: the other's price in that later list, where
        # it is the price known on the day still ($0.8 for Claude 3.5 Haiku in May 2025 and in
        # May 2026), so both come from one snapshot and neither model shows two prices.
        if mine.as_of > day >= theirs.as_of:
            theirs = _in_snapshot_of(mine, theirs, theirs_all) or theirs
        elif theirs.as_of > day >= mine.as_of:
            mine = _in_snapshot_of(theirs, mine, mine_all) or mine
        if (mine.source_name, mine.as_of) == (theirs.source_name, theirs.as_of):
            pairs.append((mine, theirs))
    if not pairs:
        return None
    mine, theirs = min(
        pairs,
        key=lambda pair: (pair[0].as_of > day, source_rank(pair[0].source_name, MetricKind.PRICE)),
    )
    postdated = mine.as_of if mine.as_of > day else None
    return _line_between(model, other, Metric.PRICE_INPUT, mine, theirs, postdated=postdated)


# --- weighing --------------------------------------------------------------------------------


def _line(model: ModelInfo, other: ModelInfo, row: MetricComparison) -> ModelLine | None:
    mine, theirs = row.values
    if mine is None or theirs is None or mine.unit != theirs.unit:
        return None
    line = _line_between(model, other, row.metric, mine, theirs)
    return replace(line, margin=row.noise) if row.noise is not None else line


def _weighed_row(comparison: Comparison) -> MetricComparison | None:
    """The benchmark a weighing line states: the best-known fair one in % (`best_known`), else
    the best-known fair one in another unit (Arena Elo). Unlike `/compare`'s headline
    (`telling`), a difference within the noise stays: the line then says the two are on par.
    Passing over the best-known benchmark because the two tie on it, for one further down where
    they differ, would pick the benchmark by its result (DeepSeek-R1, "on par with o1" at
    launch, read "−20 points on OTIS Mock AIME"; Gemini 2.0 Pro, a minimal gain over 2.0 Flash,
    "+13.4 points on Aider Polyglot")."""
    rows = [row for row in comparison.of_kind(MetricKind.BENCHMARK) if fair(row)]
    percent = best_known(
        [row for row in rows if row.values[0] is not None and row.values[0].unit == Unit.PERCENT]
    )
    if percent is not None:
        return percent
    return min(rows, key=lambda row: (headline_rank(row.metric), row.metric), default=None)


def weigh(
    model: ModelInfo,
    other: ModelInfo,
    facts: FactsByModel,
    against: WeighedAgainst = WeighedAgainst.PREDECESSOR,
    *,
    day: date = date.max,
) -> Weighing | None:
    """`model` against `other` on `day` (by default, on the newest data): on a benchmark as
    `/compare` weighs them (one source per row, by the comparison's trust order), its headline
    benchmark, else the best-known benchmark both have from one source in another unit (Arena
    Elo), never one where a score is near its chance level; and on the input price as known on
    `day` (`price_line`)."""
    both = [*facts.get(model.canonical_id, ()), *facts.get(other.canonical_id, ())]
    row = _weighed_row(compare_models([model, other], both))
    benchmark = _line(model, other, row) if row is not None else None
    price = price_line(model, other, input_prices(both), day)
    if benchmark is None and price is None:
        return None
    return Weighing(model.display_name, other.display_name, benchmark, price, against)


def weigh_first(
    model_ids: Sequence[str], lineage: Lineage, facts: FactsByModel, *, day: date = date.max
) -> Weighing | None:
    """The first of `model_ids` (in the order a story names them) that can be weighed."""
    for model_id in model_ids:
        model = lineage.models.get(model_id)
        other = lineage.before(model_id)
        if model is None or other is None:
            continue
        weighing = weigh(model, other, facts, day=day)
        if weighing is not None:
            return weighing
    return None


def weigh_story(
    model_ids: Sequence[str], lineage: Lineage, facts: FactsByModel, *, day: date = date.max
) -> tuple[Weighing, ...]:
    """A story's weighings, from the known models it names (in the order it names them): the
    first two against each other (the newer first where both dates are known, `known_date`), and the
    second against the one before it when it is the first's same-vendor sibling; a story naming
    one model (or two that share no figure) weighs the first that can be against the one before
    it. Prices are those known on `day`, the story's. A model named twice, as itself and as its
    preview or a snapshot of it, counts once (as first named)."""
    named: list[ModelInfo] = []
    for model_id in dict.fromkeys(model_ids):
        model = lineage.models.get(model_id)
        # A story that names a model and its preview (or a dated snapshot) names one model.
        if model is not None and not any(same_model(model, seen) for seen in named):
            named.append(model)
    if len(named) >= 2:
        model, other = named[0], named[1]
        if dated_order(model, other):
            model, other = other, model
        before = lineage.before(model.canonical_id)
        is_predecessor = before is not None and before.canonical_id == other.canonical_id
        against = WeighedAgainst.PREDECESSOR if is_predecessor else WeighedAgainst.NAMED
        pair = weigh(model, other, facts, against, day=day)
        # Two models named together are weighed on what they can do: a price alone says little
        # of a sibling or a rival (Phi-4-mini against Phi-4-multimodal), so without a shared
        # benchmark the story's model is weighed against the one before it instead.
        if pair is not None and (pair.benchmark is not None or is_predecessor):
            weighings = [pair]
            if not is_predecessor and vendor_of(model) == vendor_of(other):
                previous = lineage.before(other.canonical_id)
                if previous is not None and previous.canonical_id != model.canonical_id:
                    sibling = weigh(other, previous, facts, day=day)
                    if sibling is not None:
                        weighings.append(sibling)
            return tuple(weighings)
    first = weigh_first([m.canonical_id for m in named], lineage, facts, day=day)
    return (first,) if first is not None else ()
