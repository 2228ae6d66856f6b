"""A comparison as a PNG chart sized for a phone screen.

What the chart shows is decided here, as a small immutable `ChartSpec` (title, legend, panels
with their rows, bars, value labels and scale, the sources footnote); `chart_draw` paints
exactly that and nothing else, so a test of the spec is a test of what is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from aiprogress.core.comparison import Comparison, MetricComparison, MetricKind
from aiprogress.core.messages import format_number, message, setting_words
from aiprogress.core.types import Language, Metric, Unit
from aiprogress.digest.compare import focus
from aiprogress.digest.release_render import release_dates

MAX_BENCHMARKS = 8
FOOTER_CHARS = 92  # what fits on one footer line at the footer's size

PERCENT = Unit.PERCENT
ELO = Unit.ELO

ValueStyle = Literal["percent", "elo", "price", "speed"]


@dataclass(frozen=True, slots=True)
class ChartGroup:
    """One metric's row: a bar per model in the legend's order (None where the model has no
    value) and the words written at each bar's end (its value, or "no data")."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChartAxis:
    """A panel's horizontal scale: bars start at `start`; `ticks` (value, label) are drawn
    under the panel only when the scale does not start at zero (Elo ratings)."""

    start: float
    end: float
    ticks: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ChartPanel:
    title: str
    style: ValueStyle
    groups: tuple[ChartGroup, ...]
    axis: ChartAxis

    @property
    def rows(self) -> int:
        return sum(len(g.values) for g in self.groups)


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """Everything the chart shows. `legend[i]` names the model of every group's `values[i]`
    and has the colour `PALETTE[i]`; `empty` is the words shown when there are no panels."""

    title: str
    legend: tuple[str, ...]
    panels: tuple[ChartPanel, ...]
    sources: str
    empty: str = ""


def render_comparison_chart(comparison: Comparison, language: Language) -> bytes:
    """The comparison as PNG bytes: benchmark scores, Arena-type ratings, prices and speed, one
    colour per model, each bar labelled with its value; absent panels are left out."""
    from aiprogress.digest.chart_draw import paint  # Pillow, loaded with the first chart

    return paint(chart_spec(comparison, language))


def chart_spec(comparison: Comparison, language: Language) -> ChartSpec:
    """What the chart of this comparison shows, in this language."""
    shown, _ = focus(comparison, MAX_BENCHMARKS)
    panels = tuple(_panels(shown, language))
    names = [m.display_name for m in comparison.models]
    title = message(
        "chart.title", language, models=f" {message('compare.vs', language)} ".join(names)
    )
    return ChartSpec(
        title=title,
        legend=tuple(legend_names(comparison, language)),
        panels=panels,
        sources=_sources_line(shown, language),
        empty="" if panels else message("chart.no_data", language),
    )


# --- what goes on the chart ---


def legend_names(comparison: Comparison, language: Language) -> list[str]:
    """Each model's name with the release date the text shows for it (its data's snapshot's)."""
    return [
        message("chart.legend", language, model=model.display_name, date=day.isoformat())
        if day is not None
        else model.display_name
        for model, day in zip(comparison.models, release_dates(comparison), strict=True)
    ]


def _values(row: MetricComparison) -> tuple[float | None, ...]:
    return tuple(v.value if v is not None else None for v in row.values)


def _mixed_settings(row: MetricComparison) -> bool:
    return len({v.setting for v in row.values if v is not None}) > 1


def _label(label: str, row: MetricComparison, language: Language) -> str:
    """A group's label, with what the text says on the row: the setting all its values were
    run under (o3 and o4-mini at high effort), the values come from different sources or
    settings (not compared), a score is near chance or the difference within the noise (no
    lead), or sources disagree."""
    notes = []
    settings = {v.setting for v in row.values if v is not None}
    if len(settings) == 1 and (setting := settings.pop()):
        notes.append(setting_words(setting, language))
    if row.cross_source:
        notes.append(message("chart.note.cross_source", language))
    elif row.shared and not row.comparable:
        notes.append(message("chart.note.settings", language))
    if row.chance is not None:
        notes.append(message("chart.note.chance", language))
    elif row.noise is not None:
        notes.append(message("chart.note.noise", language))
    if row.disagreements:
        notes.append(message("chart.note.disagree", language))
    return f"{label} ({', '.join(notes)})" if notes else label


def _has_data(rows: Sequence[MetricComparison]) -> bool:
    return any(v is not None for row in rows for v in row.values)


def _unit(row: MetricComparison) -> str | None:
    return next((v.unit for v in row.values if v is not None), None)


def _panel(
    title: str,
    labelled: Sequence[tuple[str, MetricComparison]],
    style: ValueStyle,
    language: Language,
) -> ChartPanel:
    missing = message("chart.no_data", language)
    groups = []
    for label, row in labelled:
        values = _values(row)
        # Where the values' settings differ, each bar says its own ("86.7% (medium effort)").
        mixed = _mixed_settings(row)
        texts = tuple(
            missing
            if ref is None
            else _format(ref.value, style, language)
            + (f" ({setting_words(ref.setting, language)})" if mixed and ref.setting else "")
            for ref in row.values
        )
        groups.append(ChartGroup(_label(label, row, language).strip(), values, texts))
    return ChartPanel(title, style, tuple(groups), _axis(groups, style, language))


def _panels(comparison: Comparison, language: Language) -> list[ChartPanel]:
    benchmarks = [row for row in comparison.of_kind(MetricKind.BENCHMARK) if _unit(row) is not None]
    panels: list[ChartPanel] = []
    percent = [row for row in benchmarks if _unit(row) == PERCENT]
    if _has_data(percent):
        title = message("chart.benchmarks", language)
        panels.append(_panel(title, [(r.metric, r) for r in percent], "percent", language))
    elo = [row for row in benchmarks if _unit(row) == ELO]
    if _has_data(elo):
        title = message("chart.arena", language)
        panels.append(_panel(title, [(r.metric, r) for r in elo], "elo", language))
    prices = [
        (message(key, language), row)
        for key, metric in (
            ("chart.price.input", Metric.PRICE_INPUT),
            ("chart.price.output", Metric.PRICE_OUTPUT),
        )
        if (row := comparison.metric(metric)) is not None
    ]
    if _has_data([row for _, row in prices]):
        panels.append(_panel(message("chart.price", language), prices, "price", language))
    speed = comparison.metric(Metric.OUTPUT_SPEED)
    if speed is not None and _has_data([speed]):
        panels.append(_panel(message("chart.speed", language), [("", speed)], "speed", language))
    return panels


def _axis(groups: Sequence[ChartGroup], style: ValueStyle, language: Language) -> ChartAxis:
    present = [v for g in groups for v in g.values if v is not None]
    high = max(present)
    if style != "elo":
        # Room right of the longest bar for the longest words written at a bar's end ("86.7%
        # (medium effort)"), at about 0.085 in a character across a 4.6 in panel.
        longest = max((len(t) for g in groups for t in g.texts), default=0)
        room = min(0.6, 0.03 + longest * 0.085 / 4.6)
        return ChartAxis(0.0, (high if high > 0 else 1.0) * max(1.24, 1 / (1 - room)))
    # An Elo rating has no zero: the scale starts a little below the lowest bar and is shown.
    low = min(present)
    spread = max(high - low, 50.0)
    start = math.floor((low - 0.35 * spread) / 50.0) * 50.0
    end = high + 0.28 * (high - start)
    step = next((s for s in (10, 20, 25, 50, 100, 200, 250, 500) if (end - start) / s <= 5), 1000)
    first = math.ceil(start / step) * step
    # Ticks stop at the longest bar: the last label must not spill past the right edge.
    values = [first + k * step for k in range(int((high - first) // step) + 1)]
    return ChartAxis(start, end, tuple((t, format_number(t, language, 0)) for t in values))


def _sources_line(comparison: Comparison, language: Language) -> str:
    """The sources of the rows drawn (not of context windows, which the chart leaves out)."""
    names: list[str] = []
    for row in comparison.metrics:
        drawn = _unit(row) in (PERCENT, ELO) if row.kind is MetricKind.BENCHMARK else True
        if row.kind is MetricKind.CONTEXT or not drawn:
            continue
        for ref in row.values:
            if ref is not None and ref.source_name and ref.source_name not in names:
                names.append(ref.source_name)
    if not names:
        return ""
    names = [_shorten(n, 32) for n in names]
    empty = len(message("chart.sources", language, sources=""))
    budget = FOOTER_CHARS - empty
    kept: list[str] = []
    for index, name in enumerate(names):
        rest = len(names) - index - 1
        more = len(f", … +{rest}") if rest else 0
        if kept and len(", ".join([*kept, name])) + more > budget:
            kept.append(f"… +{len(names) - index}")
            break
        kept.append(name)
    return message("chart.sources", language, sources=", ".join(kept))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _format(value: float, style: ValueStyle, language: Language) -> str:
    if style == "percent":
        text = f"{value:,.1f}"
        if language is Language.RU:
            text = text.replace(",", "\u00a0").replace(".", ",")
        return f"{text}%"
    if style == "price":
        return f"${format_number(value, language, 2)}"
    return format_number(value, language, 0)
