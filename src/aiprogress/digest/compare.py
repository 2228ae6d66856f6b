"""Comparison of models from stored, sourced facts. Missing data stays missing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from aiprogress.core.benchmarks import (
    chance_level,
    higher_is_better,
    near_chance,
    noise_margin,
    too_small_to_headline,
)
from aiprogress.core.comparison import (
    Comparison,
    Disagreement,
    FactRef,
    Headline,
    MetricComparison,
    MetricKind,
    SetAsideRelease,
)
from aiprogress.core.types import Metric, ModelFact, ModelInfo, Unit
from aiprogress.digest.releases import (
    announced_release,
    checked_release,
    data_snapshot,
    name_other_snapshots,
)

_KINDS = {
    Metric.PRICE_INPUT: MetricKind.PRICE,
    Metric.PRICE_OUTPUT: MetricKind.PRICE,
    Metric.CONTEXT_WINDOW: MetricKind.CONTEXT,
    Metric.MAX_OUTPUT: MetricKind.CONTEXT,
    Metric.OUTPUT_SPEED: MetricKind.SPEED,
}
_NON_BENCHMARK_ORDER = list(Metric.NON_BENCHMARK)


def metric_kind(metric: str) -> MetricKind:
    return _KINDS.get(metric, MetricKind.BENCHMARK)


# --- which source speaks for a row -----------------------------------------------------------
#
# Trust order, first to last; a row takes the first source that covers every compared model.
# Benchmarks: an independent harness that runs every model the same way (Epoch AI), then the
# benchmark's own leaderboards (Aider, SWE-bench, LMArena), then vendor-reported figures
# gathered by LLM Stats, then aggregators that quote others (models.dev).
# Prices and speeds: OpenRouter's API (what is charged on a dated day, read by machine), then
# LiteLLM's first-party keys (newest release first; a hand-kept table that can lag a price
# cut, as with Gemini 1.5 Pro's), then LLM Stats, then models.dev. Limits: below. Sources not
# named come after the named ones but before the aggregators. A copy ranks after everything.
BENCHMARK_TRUST = (
    "Epoch AI Benchmarking Hub",
    "Aider polyglot leaderboard",
    "SWE-bench leaderboard",
    "LMArena text leaderboard",
    "Aider code editing leaderboard",
    "",  # any source not named here
    "LLM Stats",
    "models.dev",
)
PRICE_TRUST = ("OpenRouter models API", "LiteLLM", "", "LLM Stats", "models.dev")
# A model's limits are the vendor's standard ones: models.dev's first-party provider files
# (Anthropic's for Claude) first. OpenRouter gives what its providers serve, beta features
# included: Claude Sonnet 4 and 4.5's 1M-token context is a beta Anthropic opens by a header,
# their standard context 200K, and it outranked models.dev's 200,000. For the context
# window, LiteLLM's first-party keys come next (Claude 2's 100,000 where OpenRouter's
# `anthropic/claude-2` says 2.1's 200,000; Gemini 1.5 Pro's 2,097,152, OpenRouter's rounded
# 2,000,000); for the maximum output, OpenRouter before LiteLLM, whose table often repeats the
# context there (Grok 2's 131,072) or gives a beta's (Claude 3.7 Sonnet's 128,000, a header's
# against its standard 64,000).
CONTEXT_TRUST = ("models.dev", "LiteLLM", "OpenRouter models API", "", "LLM Stats")
MAX_OUTPUT_TRUST = ("models.dev", "OpenRouter models API", "LiteLLM", "", "LLM Stats")
_TRUST_BY_METRIC = {Metric.CONTEXT_WINDOW: CONTEXT_TRUST, Metric.MAX_OUTPUT: MAX_OUTPUT_TRUST}
# Differences above these are disagreements the row must show.
SCORE_THRESHOLD = 2.0  # points, for scores in % or index points
RELATIVE_THRESHOLD = 0.10  # for prices, token counts, speeds and ratings
_POINT_UNITS = (Unit.PERCENT, Unit.POINTS)
_LITELLM_VERSION = re.compile(r"LiteLLM (\d+(?:\.\d+)*)")


def source_rank(
    source_name: str, kind: MetricKind, metric: str = ""
) -> tuple[int, tuple[int, ...], str]:
    """Where a source stands in the trust order of a kind of metric, or of the metric itself
    where it has its own (a limit: `CONTEXT_TRUST`, `MAX_OUTPUT_TRUST`); lower is trusted more."""
    order = _TRUST_BY_METRIC.get(
        metric, BENCHMARK_TRUST if kind is MetricKind.BENCHMARK else PRICE_TRUST
    )
    version = _LITELLM_VERSION.match(source_name)
    key = "LiteLLM" if version else source_name
    position = order.index(key) if key in order else order.index("")
    # Newer LiteLLM releases first.
    newer = tuple(-int(p) for p in version.group(1).split(".")) if version else ()
    return (position, newer, source_name)


def disagrees(a: float, b: float, unit: str) -> bool:
    if unit in _POINT_UNITS:
        return abs(a - b) > SCORE_THRESHOLD
    base = max(abs(a), abs(b))
    return base > 0 and abs(a - b) / base > RELATIVE_THRESHOLD


def without_shadowed_copies(facts: Sequence[ModelFact]) -> list[ModelFact]:
    """Facts less the copies whose original is present: a copy (models.dev quoting Aider) never
    stands in for, outranks or disagrees with the source it copies."""
    originals = {(f.model_id, f.metric, f.source_name) for f in facts if not f.copy_of}
    return [f for f in facts if not f.copy_of or (f.model_id, f.metric, f.copy_of) not in originals]


def current_facts(facts: Sequence[ModelFact]) -> dict[tuple[str, str], ModelFact]:
    """One value per (model, metric) for callers that want a single figure (story weighing):
    the newest default run or list price; on one date, the first source by name, so the choice
    is stable. A run under a setting and a copy whose original is present are never it.
    `compare_models` chooses differently (one source per row); this stays as the digest's
    story builder expects it."""
    chosen: dict[tuple[str, str], ModelFact] = {}
    plain = [f for f in without_shadowed_copies(facts) if not f.setting]
    for fact in sorted(plain, key=lambda f: (f.as_of, _reverse(f.source_name))):
        key = (fact.model_id, fact.metric)
        held = chosen.get(key)
        # A limit is the most trusted source's, as `compare_models` shows it (`_select`), not
        # the newest: LiteLLM 1.110.2's GPT-5 "context" is its input limit.
        if (
            held is not None
            and metric_kind(fact.metric) is MetricKind.CONTEXT
            and source_rank(fact.source_name, MetricKind.CONTEXT, fact.metric)
            > source_rank(held.source_name, MetricKind.CONTEXT, fact.metric)
        ):
            continue
        chosen[key] = fact
    return chosen


def _reverse(text: str) -> tuple[int, ...]:
    # Sorting ascending by date and descending by name lets the last write be the wanted one.
    return tuple(-ord(ch) for ch in text)


def _ref(fact: ModelFact) -> FactRef:
    return FactRef(
        value=fact.value,
        unit=fact.unit,
        as_of=fact.as_of,
        source_name=fact.source_name,
        source_url=fact.source_url,
        setting=fact.setting,
        source_model=fact.source_model,
    )


def _newest(facts: Iterable[ModelFact]) -> ModelFact | None:
    # On one date, the default run before any setting, then by setting name: a stable choice.
    return max(facts, key=lambda f: (f.as_of, not f.setting, f.setting), default=None)


def _shared_setting(model_ids: Sequence[str], facts: Sequence[ModelFact]) -> str | None:
    """The setting every model has a run under in these facts (all of one source), the one
    with the newest runs where several are; None when there is none. o3 and o4-mini are both
    on Aider's board at high effort, though only o3 has a default run there."""
    shared = set.intersection(
        *({f.setting for f in facts if f.model_id == m and f.setting} for m in model_ids)
    )
    if not shared:
        return None

    def newest(setting: str) -> tuple[date, str]:
        return (max(f.as_of for f in facts if f.setting == setting), setting)

    return max(shared, key=newest)


def _one_source(
    model_ids: Sequence[str], facts: Sequence[ModelFact], *, allow_settings: bool, shared: bool
) -> list[ModelFact] | None:
    """One fact per model from these facts (all of one source), or None if the source misses
    a model. The newest snapshot that covers every model wins; a source whose facts carry each
    run's own date (Aider) gives each model's newest run. With `shared`, only runs under a
    setting every model was run under (`_shared_setting`), or None where there is none."""
    usable = [f for f in facts if allow_settings or not f.setting]
    if shared:
        setting = _shared_setting(model_ids, usable)
        if setting is None:
            return None
        usable = [f for f in usable if f.setting == setting]
    by_model: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in usable:
        by_model[fact.model_id].append(fact)
    if any(not by_model[m] for m in model_ids):
        return None
    common = set.intersection(*({f.as_of for f in by_model[m]} for m in model_ids))
    chosen: list[ModelFact] = []
    for model_id in model_ids:
        pool = by_model[model_id]
        if common:
            pool = [f for f in pool if f.as_of == max(common)]
        plain = [f for f in pool if not f.setting]
        best = _newest(plain or pool)
        if best is None:
            return None
        chosen.append(best)
    return chosen


def _select(
    metric: str, model_ids: Sequence[str], facts: Sequence[ModelFact]
) -> tuple[list[ModelFact | None], str | None]:
    """The row's facts, one per model (None where none exists), and the one source they come
    from, or None for a cross-source row."""
    kind = metric_kind(metric)
    by_source: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in facts:
        by_source[fact.source_name].append(fact)
    ranked = sorted(by_source, key=lambda name: source_rank(name, kind, metric))
    if kind is MetricKind.CONTEXT:
        return _select_limit(metric, model_ids, facts, by_source, ranked)
    # Default runs from one source; else, for a benchmark, runs under one setting every model
    # shares (like against like); else whatever one source has, the row then showing mixed
    # settings. A price's setting is an endpoint, not a way of running the model:
    # two free experimental endpoints say less than one's list price beside the other's.
    passes = (
        ((False, False), (True, True), (True, False))
        if kind is MetricKind.BENCHMARK
        else ((False, False), (True, False))
    )
    for allow_settings, shared in passes:
        for name in ranked:
            covered = _one_source(
                model_ids, by_source[name], allow_settings=allow_settings, shared=shared
            )
            if covered is not None:
                return list(covered), name
    return _most_trusted_each(metric, model_ids, facts)


def _select_limit(
    metric: str,
    model_ids: Sequence[str],
    facts: Sequence[ModelFact],
    by_source: Mapping[str, list[ModelFact]],
    ranked: Sequence[str],
) -> tuple[list[ModelFact | None], str | None]:
    """A limit's row (context window, maximum output): each model's most trusted figure. A
    limit is a specification, not a measurement: no harness or date makes two sources' figures
    unlike, and the one source covering every model can mean another thing by it. LiteLLM's
    context is its `max_input_tokens`: GPT-5's 272,000 against the 400,000-token window
    models.dev and OpenRouter state, and `compare gpt-5 "claude opus 5"` showed 272,000
    because LiteLLM alone held both. One source still speaks for the row where it covers
    every model and agrees with each model's most trusted figure."""
    picked, source = _most_trusted_each(metric, model_ids, facts)
    for name in ranked:
        covered = _one_source(model_ids, by_source[name], allow_settings=False, shared=False)
        if covered is not None and all(
            own is None or not disagrees(one.value, own.value, one.unit)
            for one, own in zip(covered, picked, strict=True)
        ):
            return list(covered), name
    return picked, source


def _most_trusted_each(
    metric: str, model_ids: Sequence[str], facts: Sequence[ModelFact]
) -> tuple[list[ModelFact | None], str | None]:
    """Each model's value from its most trusted source (None where it has none), and that
    source where it is one for every model."""
    kind = metric_kind(metric)
    picked: list[ModelFact | None] = []
    for model_id in model_ids:
        own = [f for f in facts if f.model_id == model_id]
        best_source = min(
            (f.source_name for f in own), key=lambda n: source_rank(n, kind, metric), default=None
        )
        if best_source is None:
            picked.append(None)
            continue
        mine = [f for f in own if f.source_name == best_source]
        plain = [f for f in mine if not f.setting]
        picked.append(_newest(plain or mine))
    present = {f.source_name for f in picked if f is not None}
    single = len(present) == 1 and (len(model_ids) == 1 or kind is MetricKind.CONTEXT)
    return picked, (present.pop() if single and None not in picked else None)


def _disagreements(
    chosen: Sequence[ModelFact | None], facts: Sequence[ModelFact]
) -> tuple[Disagreement, ...]:
    """Each other source's newest value for the same model and setting, where it differs from
    the one shown beyond the threshold."""
    found: list[Disagreement] = []
    for index, shown in enumerate(chosen):
        if shown is None:
            continue
        others: dict[str, list[ModelFact]] = defaultdict(list)
        for fact in facts:
            if (
                fact.model_id == shown.model_id
                and fact.setting == shown.setting
                and fact.unit == shown.unit
                and fact.source_name != shown.source_name
            ):
                others[fact.source_name].append(fact)
        kind = metric_kind(shown.metric)
        for name in sorted(others, key=lambda n: source_rank(n, kind, shown.metric)):
            newest = _newest(others[name])
            if newest is not None and disagrees(shown.value, newest.value, shown.unit):
                found.append(Disagreement(model_index=index, value=_ref(newest)))
    return tuple(found)


def _compare_metric(
    metric: str, model_ids: Sequence[str], facts: Sequence[ModelFact]
) -> MetricComparison:
    kind = metric_kind(metric)
    higher = kind is not MetricKind.PRICE and higher_is_better(metric)
    chosen, source = _select(metric, model_ids, facts)
    values = tuple(_ref(f) if f is not None else None for f in chosen)
    cross_source = source is None and len({v.source_name for v in values if v}) > 1
    row = MetricComparison(
        metric=metric,
        kind=kind,
        higher_is_better=higher,
        values=values,
        deltas=tuple(None for _ in values),
        ratios=tuple(None for _ in values),
        leader=None,
        source_name=source if source is not None else _sole_source(values),
        cross_source=cross_source,
        disagreements=_disagreements(chosen, facts),
    )
    if _near_chance(metric, values):
        row = replace(row, chance=chance_level(metric))
    first = values[0]
    if first is None or not row.comparable:
        if first is not None and not cross_source:
            # Some model has no value: the others' deltas stay unsaid, the first's is 0.
            row = replace(row, deltas=(0.0, *row.deltas[1:]), ratios=(1.0, *row.ratios[1:]))
        return row
    present = [v.value for v in values if v is not None]
    best = max(present) if higher else min(present)
    winners = [i for i, v in enumerate(values) if v is not None and v.value == best]
    margin = _margin(row, best, present) if kind is MetricKind.BENCHMARK else None
    noise = _within_noise(best, present, margin)
    # A benchmark's difference whose margin of error is not known cannot be judged: no lead.
    unknown = kind is MetricKind.BENCHMARK and row.chance is None and margin is None
    return replace(
        row,
        deltas=tuple(v.value - first.value if v is not None else None for v in values),
        ratios=tuple(
            v.value / first.value if v is not None and first.value else None for v in values
        ),
        # A lead over a guess's score, within the noise, or of a size no one can judge, is no
        # lead: the row names no leader.
        leader=winners[0]
        if len(winners) == 1 and row.chance is None and noise is None and not unknown
        else None,
        noise=noise,
        margin=margin,
        margin_unknown=unknown,
    )


def _margin(row: MetricComparison, best: float, present: Sequence[float]) -> float | None:
    """The margin of error (`noise_margin`) of the best value's lead over the next best, or of
    a tie; None where it is not known."""
    first = row.values[0]
    if first is None:
        return None
    rest = sorted((v for v in present if v != best), key=lambda v: abs(best - v))
    return noise_margin(row.metric, first.unit, best, rest[0] if rest else best)


def _within_noise(best: float, present: Sequence[float], margin: float | None) -> float | None:
    """The margin the best value is within of the next best, or None when its lead is clear of
    it, is not known, or there is no lead (a tie)."""
    rest = sorted((v for v in present if v != best), key=lambda v: abs(best - v))
    if margin is None or not rest or len(rest) < len(present) - 1:
        return None
    return margin if abs(best - rest[0]) <= margin else None


def _near_chance(metric: str, values: Sequence[FactRef | None]) -> bool:
    """Whether a value on the row is near its benchmark's chance level (`near_chance`), the
    rule a digest's weighing line keeps to as well."""
    return any(v is not None and near_chance(metric, v.value) for v in values)


def _sole_source(values: Sequence[FactRef | None]) -> str | None:
    names = {v.source_name for v in values if v is not None}
    return names.pop() if len(names) == 1 else None


def compare_models(
    models: Sequence[ModelInfo],
    facts: Sequence[ModelFact],
    bases: Sequence[ModelInfo | None] = (),
) -> Comparison:
    """Every metric any of the models has, one row each: values from one source and snapshot
    where one covers them all (by the trust order above), the default run before any setting,
    copies never standing in for their originals, and other sources' disagreeing values named.
    `bases` gives, per model, the model its id extends where the knowledge base holds one
    (o3 for o3-deep-research), against which its release date is checked (`checked_release`)."""
    ids = [m.canonical_id for m in models]
    wanted = set(ids)
    usable = without_shadowed_copies([f for f in facts if f.model_id in wanted])
    by_metric: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in usable:
        by_metric[fact.metric].append(fact)
    rows = [_compare_metric(metric, ids, found) for metric, found in by_metric.items()]

    def order(row: MetricComparison) -> tuple[int, int, str]:
        if row.kind is MetricKind.BENCHMARK:
            # Benchmarks every model has come first, then those some lack.
            return (0, 0 if row.shared else 1, row.metric.lower())
        return (1, _NON_BENCHMARK_ORDER.index(row.metric), row.metric)

    snapshots = [data_snapshot(m, [row.values[i] for row in rows]) for i, m in enumerate(models)]
    rows = [name_other_snapshots(row, models, snapshots) for row in rows]
    dates: list[date | None] = []
    labels: list[str] = []
    set_aside: list[SetAsideRelease] = []
    later: list[str] = []
    for i, model in enumerate(models):
        day, label, doubt = shown_release(model, bases[i] if i < len(bases) else None)
        dates.append(day)
        labels.append(label)
        if doubt is not None:
            set_aside.append(replace(doubt, model_index=i))
        # The values' snapshot, where a later one than the release (a snapshot known only by
        # its id, which another source named, has no date to say so by).
        data = snapshots[i]
        later.append(
            data.snapshot_id
            if data is not None
            and data.release_date is not None
            and (day is None or data.release_date > day)
            else ""
        )
    first_release = dates[0] if dates else None
    gaps = tuple(
        (day - first_release).days if day is not None and first_release is not None else None
        for day in dates
    )
    return Comparison(
        models=tuple(models),
        metrics=tuple(sorted(rows, key=order)),
        release_gaps_days=gaps,
        release_dates=tuple(dates),
        release_snapshots=tuple(labels),
        release_set_aside=tuple(set_aside),
        data_snapshots=tuple(later),
    )


def shown_release(
    model: ModelInfo, base: ModelInfo | None = None
) -> tuple[date | None, str, SetAsideRelease | None]:
    """A model's release as `/compare` and `models show` give it: (date, the dated id it is of
    where not the model's own date, the stored date set aside). It is the model's own date,
    its first version's (the curated file's, else the most trusted import's: GPT-4o's 13 May
    2024, not 6 August 2024 of `gpt-4o-2024-08-06`, its default snapshot later), unless that
    cannot be right (`checked_release` against the model its id extends, `base`;
    `announced_release`: o3-mini's 20 December 2024, an announcement, gives way to
    `o3-mini-2025-01-31`). A model with no date of its own is dated by its first dated
    snapshot."""
    checked = checked_release(model, base) if base is not None else None
    if checked is None:
        checked = announced_release(model)
    if checked is not None:
        return checked
    if model.release_date is None:
        first = min(
            (s for s in model.snapshots if s.release_date is not None),
            key=lambda s: (s.release_date or date.max, s.snapshot_id),
            default=None,
        )
        if first is not None:
            return first.release_date, first.snapshot_id, None
    return model.release_date, "", None


# The benchmarks readers know, in the order a comparison shows them. Others follow by name.
HEADLINE_BENCHMARKS = (
    "GPQA Diamond",
    "MMLU-Pro",
    "MMLU",
    "SWE-bench Verified",
    "LiveCodeBench",
    "HumanEval",
    "Aider Polyglot",
    "AIME 2024",
    "MATH Level 5",
    "Humanity's Last Exam",
    "Arena Elo",
)


def headline_rank(metric: str) -> int:
    return (
        HEADLINE_BENCHMARKS.index(metric)
        if metric in HEADLINE_BENCHMARKS
        else len(HEADLINE_BENCHMARKS)
    )


def focus(comparison: Comparison, max_benchmarks: int = 8) -> tuple[Comparison, int]:
    """The comparison a chat message or a chart can hold: benchmarks every model has, the
    well-known ones first, at most `max_benchmarks`; and headline benchmarks some model lacks
    (so the gap is said). Prices, context and speed stay. Returns it with the number of
    benchmark rows left out (the JSON output keeps them all)."""
    benchmarks = [m for m in comparison.metrics if m.kind is MetricKind.BENCHMARK]
    shared = sorted(
        (m for m in benchmarks if m.shared), key=lambda m: (headline_rank(m.metric), m.metric)
    )[:max_benchmarks]
    partial = [m for m in benchmarks if not m.shared and m.metric in HEADLINE_BENCHMARKS]
    partial.sort(key=lambda m: headline_rank(m.metric))
    others = [m for m in comparison.metrics if m.kind is not MetricKind.BENCHMARK]
    kept = (*shared, *partial, *others)
    return replace(comparison, metrics=kept), len(benchmarks) - len(shared) - len(partial)


def fair(row: MetricComparison) -> bool:
    """Whether a row weighs its models at all: comparable (one source, unit and setting), no
    model's score near its benchmark's chance level (GPT-3.5 Turbo's 27.18% on GPQA Diamond, a
    four-choice test, is a guess's 25% and a bit, so a lead over it says little of either
    model), and a difference whose noise is known on a set large enough to say something: a
    benchmark of under 30 questions (`too_small_to_headline`: 4 of FrontierMath's 10 public
    problems against none) or of unknown size (Terminal-Bench Hard, whose +12.9 points headlined
    Gemini 2.5 Pro against 2.5 Flash) is shown on its row but weighs nothing. A digest's
    weighing line and `/compare`'s headline state a fair row even within the noise, as on par
    (digest/weighing.py)."""
    first = row.values[0] if row.values else None
    return (
        row.comparable
        and row.chance is None
        and not _near_chance(row.metric, row.values)
        and not too_small_to_headline(row.metric)
        and first is not None
        and noise_margin(row.metric, first.unit, first.value, first.value) is not None
    )


def telling(row: MetricComparison) -> bool:
    """Whether a row's difference says who is ahead: fair, and more than the noise
    (`MetricComparison.noise`)."""
    return fair(row) and row.noise is None


def best_known(rows: Sequence[MetricComparison]) -> MetricComparison | None:
    """Of benchmark rows in %, the best-known benchmark (`headline_rank`), the larger difference
    first between equally known ones; None for no rows."""
    return min(
        rows, key=lambda row: (headline_rank(row.metric), -abs(row.deltas[1] or 0.0)), default=None
    )


def headline(comparison: Comparison) -> Headline | None:
    """For two models: the first's lead (or lag) on the best-known benchmark in % that both have
    from one source under one setting (`fair`: neither score near the benchmark's chance level,
    a set of known size and not tiny), and the input-price factor from one price source, or
    None when no such benchmark exists. Where the two are within that benchmark's margin of
    error, the headline says so (`Headline.margin`) and stays on it: passing to a benchmark
    further down where they differ would pick the benchmark by its result (DeepSeek-R1 against
    o1 read '−20 points on OTIS Mock AIME', on par on GPQA Diamond). The digest's weighing line
    takes the same row. Pure: what `/compare` says."""
    if len(comparison.models) != 2:
        return None
    best = best_known(
        [
            m
            for m in comparison.of_kind(MetricKind.BENCHMARK)
            if fair(m) and m.values[0] is not None and m.values[0].unit == Unit.PERCENT
        ]
    )
    if best is None:
        return None
    price = comparison.metric(Metric.PRICE_INPUT)
    factor: float | None = None
    price_source: str | None = None
    if price is not None and price.comparable:
        first, second = price.values
        if first is not None and second is not None and first.value > 0 and second.value > 0:
            factor = first.value / second.value
            price_source = price.source_name
    return Headline(
        metric=best.metric,
        delta=-(best.deltas[1] or 0.0),
        source_name=best.source_name or "",
        price_factor=factor,
        price_source=price_source,
        margin=best.noise,
    )
