"""A comparison as text (Russian or English, in the post's markers) and as JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiprogress.core.comparison import Comparison, FactRef, MetricComparison, MetricKind
from aiprogress.core.jsonable import to_jsonable
from aiprogress.core.messages import (
    CATALOGUE,
    count_of,
    format_number,
    is_same_multiple,
    message,
    plural_form,
    setting_words,
    times,
)
from aiprogress.core.types import Language, Metric, Unit
from aiprogress.digest.compare import focus, headline, headline_rank
from aiprogress.digest.release_render import release_line

JSON_SCHEMA = "aiprogress.comparison/1"


def metric_label(metric: str, language: Language) -> str:
    key = f"compare.metric.{metric}"
    return message(key, language) if key in CATALOGUE else metric


def format_value(ref: FactRef, language: Language) -> str:
    """A value with its unit, as a reader expects it: $75, 68.7%, 1398, 128,000 tokens."""
    if ref.unit == Unit.USD_PER_MTOK:
        return f"${format_number(ref.value, language, 2)}"
    if ref.unit == Unit.PERCENT:
        # As the source gives it, as a digest's weighing line says it: Epoch's 68.69% (its
        # share, to the hundredth of a point as imported), LLM Stats' 70.1%.
        return f"{format_number(ref.value, language, _value_decimals(ref.unit))}%"
    if ref.unit == Unit.TOKENS:
        return _counted(ref.value, "compare.unit.tokens", language)
    if ref.unit == Unit.TOKENS_PER_SECOND:
        return _counted(ref.value, "compare.unit.speed", language)
    if ref.unit == Unit.ELO:
        return format_number(ref.value, language, 0)
    if ref.unit == Unit.POINTS:
        # An index's score is a bare number, as Artificial Analysis shows it: the row names
        # the index, and an English "points" in a Russian answer would be the one foreign word.
        return format_number(ref.value, language, 2)
    return f"{format_number(ref.value, language, 2)} {ref.unit}".strip()


def _counted(value: float, key: str, language: Language) -> str:
    """A whole number with its noun in the form the number takes: "8 192 токена", "1 token"."""
    return f"{format_number(value, language, 0)} {plural_form(round(value), key, language)}"


def shown_value(ref: FactRef, language: Language, *, with_source: bool = False) -> str:
    """A value as a row shows it: with its setting when it has one ("64.9% with 32k
    thinking", "free (experimental endpoint)"), and its source on a cross-source row."""
    if ref.setting and ref.unit == Unit.USD_PER_MTOK and ref.value == 0:
        setting = setting_words(ref.setting.removeprefix("free ").strip(), language)
        text = message("compare.free", language, setting=setting)
    elif ref.setting:
        text = message(
            "compare.with_setting",
            language,
            value=format_value(ref, language),
            setting=setting_words(ref.setting, language),
        )
    else:
        text = format_value(ref, language)
    if ref.snapshot:
        text = message("compare.of_snapshot", language, value=text, snapshot=ref.snapshot)
    if with_source:
        text = message("compare.from_source", language, value=text, source=ref.source_name)
    return text


def _signed(value: float, language: Language, decimals: int) -> str:
    text = format_number(abs(value), language, decimals)
    if text in ("0", "0,0", "0.0"):
        return "±0"
    return f"+{text}" if value > 0 else f"−{text}"


def _value_decimals(unit: str) -> int:
    """The decimals `format_value` shows a value of this unit with."""
    decimals: dict[str, int] = {
        Unit.PERCENT: 2,
        Unit.ELO: 0,
        Unit.TOKENS: 0,
        Unit.TOKENS_PER_SECOND: 0,
    }
    return decimals.get(unit, 2)


def _as_shown(ref: FactRef) -> float:
    """The value rounded as `format_value` shows it."""
    return float(f"{ref.value:.{_value_decimals(ref.unit)}f}")


def _delta_decimals(unit: str) -> int:
    """The decimals of a difference: those of the values it is of, so 68.69% against 49.21%
    is +19.48, as the digest's weighing line says it, and 90.8% against 85.7% is +5.1."""
    return _value_decimals(unit)


def price_note(first: float, other: float, language: Language) -> str:
    """How the first model's price stands to another's: '30× dearer', '12.5× cheaper', 'same
    price'. Never '×0' or '×1'."""
    if first == other or (first and other and is_same_multiple(first / other)):
        return message("compare.same_price", language)
    if first > other:
        if other == 0:
            return ""
        return message("compare.price_dearer", language, times=times(first / other, language))
    if first == 0:
        return ""
    return message("compare.price_cheaper", language, times=times(other / first, language))


def _disagreement_note(row: MetricComparison, comparison: Comparison, language: Language) -> str:
    """Other sources' values for the row's models, one item per model and value: sources that
    agree with each other are named together ("LiteLLM 1.63.14 price table, LLM Stats — 128 000
    tokens for …"), so three releases of one table saying the same do not take three items."""
    grouped: dict[tuple[int, str], list[str]] = {}
    for d in row.disagreements:
        shown = shown_value(d.value, language)
        sources = grouped.setdefault((d.model_index, shown), [])
        name = d.value.source_name
        current = row.values[d.model_index]
        if row.kind is not MetricKind.BENCHMARK and current and d.value.as_of < current.as_of:
            # An older price or limit may be the one charged then, not a mistake: o3's $10
            # in LiteLLM's April 2025 table was its price before the June 2025 cut.
            name = f"{name} ({d.value.as_of.isoformat()})"
        if name not in sources:
            sources.append(name)
    items = [
        message(
            "compare.disagree_item",
            language,
            source=", ".join(sources),
            value=shown,
            model=comparison.models[model_index].display_name,
        )
        for (model_index, shown), sources in grouped.items()
    ]
    return message("compare.disagree", language, items="; ".join(items)) if items else ""


def _metric_line(row: MetricComparison, comparison: Comparison, language: Language) -> str:
    values = " / ".join(
        shown_value(v, language, with_source=row.cross_source) if v is not None else "—"
        for v in row.values
    )
    notes: list[str] = []
    first = row.values[0]
    if row.chance is not None:
        # A lead over a guess's score is no lead: the values, and why they are not weighed.
        notes.append(message("compare.near_chance", language, chance=_chance(row, language)))
    if row.comparable and first is not None and row.chance is None:
        for value in row.values[1:]:
            if value is None:
                continue
            if row.kind is MetricKind.PRICE:
                # Prices compare by multiple: "30× dearer" reads better than "-$72.50".
                notes.append(price_note(first.value, value.value, language))
            else:
                # The difference of the values as shown, so the row's arithmetic holds for the
                # reader: 53.3% against 52.6% is +0.7, though 53.26 - 52.64 is 0.62.
                delta = _as_shown(first) - _as_shown(value)
                notes.append(_signed(delta, language, _delta_decimals(value.unit)))
        if row.noise is not None:
            # The difference is shown, and why no one is said to lead on it.
            notes.append(
                message("compare.within_noise", language, margin=_margin(row.noise, row, language))
            )
        elif row.margin_unknown:
            # Nor can a difference whose margin no one knows say who leads.
            notes.append(message("compare.unknown_margin", language))
        elif row.margin is not None and row.leader is not None:
            # A lead is said with what it is clear of: OTIS Mock AIME's −20 on 45 problems is
            # beyond ±19.2 by little, GPQA Diamond's +19.48 beyond ±8.7 by much.
            notes.append(
                message("compare.beyond_noise", language, margin=_margin(row.margin, row, language))
            )
    elif row.cross_source:
        notes.append(message("compare.cross_source", language))
    elif row.shared and not row.comparable:
        notes.append(message("compare.mixed_settings", language))
    disagreement = _disagreement_note(row, comparison, language)
    if disagreement:
        notes.append(disagreement)
    kept = [n for n in notes if n]
    suffix = f" ({'; '.join(kept)})" if kept else ""
    marker = "🔘" if row.kind is MetricKind.BENCHMARK else "▪️"
    unit = f" {message('compare.unit.price', language)}" if row.kind is MetricKind.PRICE else ""
    return f"{marker} {metric_label(row.metric, language)}: {values}{unit}{suffix}"


def _gain_line(comparison: Comparison, language: Language) -> str | None:
    found = headline(comparison)
    if found is None:
        return None
    model = comparison.models[0].display_name
    factor = found.price_factor
    row = comparison.metric(found.metric)
    shown = row.values if row is not None else ()
    # As on the row: the difference of the values as shown.
    difference = (
        _as_shown(shown[0]) - _as_shown(shown[1])
        if len(shown) == 2 and shown[0] is not None and shown[1] is not None
        else found.delta
    )
    delta = _signed(difference, language, _value_decimals(Unit.PERCENT))
    setting = row.settings[0] if row is not None else ""
    metric = found.metric
    if setting:
        # Both runs were under this setting (a headline row is like for like): say which.
        metric = f"{metric} ({setting_words(setting, language)})"
    if found.margin is not None:
        # On par on the best-known benchmark: said so, with the margin the row gives; how the
        # prices stand is the price line's to say.
        return message(
            "compare.gain_par",
            language,
            model=model,
            other=comparison.models[1].display_name,
            delta=delta,
            metric=metric,
            margin=format_number(found.margin, language, 1),
        )
    if factor is None:
        return message("compare.gain", language, model=model, delta=delta, metric=metric)
    if is_same_multiple(factor):
        return message("compare.gain_same_price", language, model=model, delta=delta, metric=metric)
    if factor > 1:
        return message(
            "compare.gain_for_price",
            language,
            model=model,
            delta=delta,
            metric=metric,
            times=times(factor, language),
        )
    return message(
        "compare.gain_cheaper",
        language,
        model=model,
        delta=delta,
        metric=metric,
        times=times(1 / factor, language),
    )


def _margin(margin: float, row: MetricComparison, language: Language) -> str:
    """A margin of error as a row says it: a score's to one decimal (it is an estimate, not a
    source's figure), an Elo rating's whole."""
    first = next((v for v in row.values if v is not None), None)
    decimals = 0 if first is not None and first.unit == Unit.ELO else 1
    return format_number(margin, language, decimals)


def _chance(row: MetricComparison, language: Language) -> str:
    return f"{format_number(row.chance or 0.0, language, 1)}%"


def _near_chance_line(comparison: Comparison, language: Language) -> str | None:
    """The comparable rows no lead is read from, a score on them being near chance."""
    rows = [
        m for m in comparison.of_kind(MetricKind.BENCHMARK) if m.comparable and m.chance is not None
    ]
    if not rows:
        return None
    items = "; ".join(
        message(
            "compare.near_chance_item",
            language,
            metric=metric_label(m.metric, language),
            chance=_chance(m, language),
        )
        for m in sorted(rows, key=lambda m: (headline_rank(m.metric), m.metric))
    )
    return message("compare.near_chance_rows", language, items=items)


def _unknown_margin_line(
    comparison: Comparison, shown: Comparison, language: Language
) -> str | None:
    """The comparable rows no lead is read from, their margin of error not being known: those
    the text shows by name, the others (in --json) counted."""
    rows = [
        m for m in comparison.of_kind(MetricKind.BENCHMARK) if m.comparable and m.margin_unknown
    ]
    if not rows:
        return None
    on_view = {m.metric for m in shown.metrics}
    named = [
        metric_label(m.metric, language)
        for m in sorted(rows, key=lambda m: (headline_rank(m.metric), m.metric))
        if m.metric in on_view
    ]
    others = len(rows) - len(named)
    if not named:
        items = count_of(others, "compare.benchmarks", language)
    elif others:
        items = message("compare.and_more", language, items=", ".join(named), count=others)
    else:
        items = ", ".join(named)
    return message("compare.unknown_margin_rows", language, items=items)


def _leads_line(comparison: Comparison, language: Language) -> str | None:
    """Who leads on how many of the comparable rows, those near chance or of an unknown margin
    of error not counted; a row whose difference is within the noise counts as a tie."""
    models = comparison.models
    benchmarks = comparison.of_kind(MetricKind.BENCHMARK)
    rows = [m for m in benchmarks if m.comparable and m.chance is None and not m.margin_unknown]
    if not rows:
        # Rows near chance are named on their own line; the models do share them. A benchmark
        # every model has, but from different sources or settings, is not "none".
        if any(m.comparable for m in benchmarks):
            return None
        key = (
            "compare.none_comparable" if any(m.shared for m in benchmarks) else "compare.no_shared"
        )
        return message(key, language)
    wins = [0] * len(models)
    ties = 0
    for row in rows:
        if row.leader is None:
            ties += 1
        else:
            wins[row.leader] += 1
    top = max(range(len(models)), key=lambda i: wins[i])
    total = len(rows)
    if ties == total:
        return message(
            "compare.no_lead_one" if total == 1 else "compare.no_lead", language, total=total
        )
    ties_text = count_of(ties, "compare.ties", language)
    if total == 1:
        return message("compare.leads_one", language, model=models[top].display_name)
    if wins[top] + ties == total and wins[top] > 0:
        key = "compare.leads_ties" if ties else "compare.leads"
        return message(
            key,
            language,
            model=models[top].display_name,
            count=wins[top],
            total=total,
            ties=ties_text,
        )
    parts = ", ".join(
        message("compare.split_part", language, model=m.display_name, count=w)
        for m, w in zip(models, wins, strict=True)
    )
    key = "compare.split_ties" if ties else "compare.split"
    return message(key, language, parts=parts, total=total, ties=ties_text)


def _price_line(comparison: Comparison, language: Language) -> str | None:
    models = comparison.models
    price_in = comparison.metric(Metric.PRICE_INPUT)
    price_out = comparison.metric(Metric.PRICE_OUTPUT)
    if len(models) != 2 or price_in is None or price_out is None:
        return None
    if not (price_in.comparable and price_out.comparable):
        return None
    values = [(r.values[0], r.values[1]) for r in (price_in, price_out)]
    if any(a is None or b is None or a.value == 0 or b.value == 0 for a, b in values):
        return None
    (in_a, in_b), (out_a, out_b) = [(a.value, b.value) for a, b in values if a and b]
    same_in = is_same_multiple(in_a / in_b)
    same_out = is_same_multiple(out_a / out_b)
    if same_in and same_out:
        # Two models that cost the same are named together ("A and B"), not set against each other.
        return message(
            "compare.same_prices",
            language,
            model=models[0].display_name,
            other=models[1].display_name,
        )
    # The cheaper model is the one cheaper on input, or on output when input is the same.
    cheaper = (1 if in_b < in_a else 0) if not same_in else (1 if out_b < out_a else 0)
    other = 1 - cheaper
    low_in, high_in = (in_b, in_a) if cheaper == 1 else (in_a, in_b)
    low_out, high_out = (out_b, out_a) if cheaper == 1 else (out_a, out_b)
    same = message("compare.same_price", language)
    if not same_in and not same_out and (low_out > high_out):
        return message(
            "compare.cheaper_mixed",
            language,
            model=models[cheaper].display_name,
            other=models[other].display_name,
            input=times(high_in / low_in, language),
            output=times(low_out / high_out, language),
        )
    return message(
        "compare.cheaper",
        language,
        model=models[cheaper].display_name,
        other=models[other].display_name,
        input=same if same_in else times(high_in / low_in, language),
        output=same if same_out else times(high_out / low_out, language),
    )


def _takeaways(comparison: Comparison, shown: Comparison, language: Language) -> list[str]:
    """Verdicts over every comparable row (one source, one setting); missing data named for the
    rows shown."""
    lines = [
        line
        for line in (
            _gain_line(comparison, language),
            _leads_line(comparison, language),
            _near_chance_line(comparison, language),
            _unknown_margin_line(comparison, shown, language),
            _price_line(comparison, language),
        )
        if line
    ]
    missing = [
        message(
            "compare.missing_item",
            language,
            metric=metric_label(row.metric, language),
            model=comparison.models[i].display_name,
        )
        for row in shown.metrics
        for i, value in enumerate(row.values)
        if value is None
    ]
    if missing:
        lines.append(message("compare.missing", language, items="; ".join(missing)))
    return lines


def _sources(comparison: Comparison, language: Language) -> list[str]:
    """One line per source and page: its newest date, the rows it gave, its address."""
    seen: dict[tuple[str, str], date] = {}
    rows: dict[tuple[str, str], list[str]] = {}
    for row in comparison.metrics:
        refs = [*(v for v in row.values if v is not None), *(d.value for d in row.disagreements)]
        for ref in refs:
            key = (ref.source_name, ref.source_url)
            seen[key] = max(seen.get(key, ref.as_of), ref.as_of)
            label = metric_label(row.metric, language)
            if label not in rows.setdefault(key, []):
                rows[key].append(label)
    return [
        f"● {name} ({day.isoformat()}, {', '.join(rows[(name, url)])}): {url}"
        for (name, url), day in sorted(seen.items())
    ]


def render_comparison_text(
    comparison: Comparison, language: Language, *, max_benchmarks: int = 8, in_chat: bool = False
) -> str:
    """The message a reader gets: the best-known shared benchmarks, prices, context, speed and
    release dates, what they add up to, and the sources. The JSON output has every row; a chat
    has no --json, so there the line counting the benchmarks left out does not point to it."""
    vs = f" {message('compare.vs', language)} "
    names = [m.display_name for m in comparison.models]
    title = vs.join(names)
    if not comparison.metrics:
        return f"{title}\n\n{message('compare.nothing', language, models=', '.join(names))}"
    shown, left_out = focus(comparison, max_benchmarks)
    lines = [_metric_line(row, comparison, language) for row in shown.of_kind(MetricKind.BENCHMARK)]
    if left_out:
        more = "compare.more.chat" if in_chat else "compare.more"
        noun = plural_form(left_out, "compare.benchmarks", language)
        lines.append(message(more, language, count=left_out, noun=noun))
    lines += [
        _metric_line(row, comparison, language)
        for row in shown.metrics
        if row.kind is not MetricKind.BENCHMARK
    ]
    release = release_line(comparison, language)
    if release:
        lines.append(release)
    blocks = [title, "\n".join(lines)]
    takeaways = _takeaways(comparison, shown, language)
    if takeaways:
        blocks.append(
            "\n".join([message("compare.what_we_see", language), *(f"● {t}" for t in takeaways)])
        )
    blocks.append("\n".join([message("compare.sources", language), *_sources(shown, language)]))
    return "\n\n".join(blocks)


def comparison_to_json(comparison: Comparison) -> dict[str, Any]:
    """Every row, each with the source it comes from (null when cross-source), the settings of
    its values, whether it is comparable, and the sources that disagree."""
    document: dict[str, Any] = {"schema": JSON_SCHEMA}
    document.update(to_jsonable(comparison))
    for row, metric in zip(comparison.metrics, document["metrics"], strict=True):
        metric["comparable"] = row.comparable
        metric["settings"] = list(row.settings)
    found = headline(comparison)
    document["headline"] = to_jsonable(found) if found is not None else None
    return document
