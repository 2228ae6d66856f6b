"""A comparison as a PNG chart sized for a phone screen.

Built on a bare `Figure` rendered by the Agg canvas (never `pyplot`, whose state is global), so
it may run in worker threads. Layout is computed by hand, in inches: no `tight_layout` and no
constrained layout solver, which keeps a render well under a third of a second.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from PIL import Image

from aiprogress.core.comparison import Comparison, MetricComparison, MetricKind
from aiprogress.core.messages import format_number, message
from aiprogress.core.types import Language, Metric
from aiprogress.digest.compare import focus
from aiprogress.digest.compare_render import release_dates

# Colour-blind-safe (Okabe-Ito), one per model, the same in every panel.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
MAX_BENCHMARKS = 8

_DPI = 150
_WIDTH = 7.2  # inches: 1080 px at 150 dpi
_MAX_HEIGHT = 19.5  # inches: under 3000 px however many rows there are
_MIN_HEIGHT = 4.1  # inches: 615 px
_RIGHT = 0.25
_TITLE_SIZE = 15.0
_PANEL_TITLE_SIZE = 13.0
_LABEL_SIZE = 11.0
_VALUE_SIZE = 11.0
_FOOTER_SIZE = 10.0
_TEXT = "#222222"
_MUTED = "#777777"
_GRID = "#DDDDDD"
# Heights in inches.
_BAR = 0.22
_GROUP_GAP = 0.16
_PANEL_HEAD = 0.42
_PANEL_GAP = 0.12
_AXIS_ROOM = 0.32  # tick labels under the one panel that shows its axis
_LEGEND_ROW = 0.30
_FOOTER = 0.42
_LABEL_WRAP = 18  # characters per line of a benchmark name
_FOOTER_CHARS = 92  # what fits on one footer line at 10 pt

PERCENT = "%"
ELO = "Elo"

ValueStyle = Literal["percent", "elo", "price", "speed"]


@dataclass(frozen=True, slots=True)
class _Group:
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class _Panel:
    title: str
    groups: tuple[_Group, ...]
    style: ValueStyle

    @property
    def rows(self) -> int:
        return sum(len(g.values) for g in self.groups)


def render_comparison_chart(comparison: Comparison, language: Language) -> bytes:
    """The comparison as PNG bytes: benchmark scores, Arena-type ratings, prices and speed, one
    colour per model, each bar labelled with its value; absent panels are left out."""
    shown, _ = focus(comparison, MAX_BENCHMARKS)
    panels = _panels(shown, language)
    names = [m.display_name for m in comparison.models]
    title = message(
        "chart.title", language, models=f" {message('compare.vs', language)} ".join(names)
    )
    sources = _sources_line(shown, language)
    figure = _draw(title, legend_names(comparison, language), panels, sources, language)
    canvas = FigureCanvasAgg(figure)  # attaches itself to the figure
    canvas.draw()  # type: ignore[no-untyped-call]  # (matplotlib's stubs leave it untyped)
    rgba = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    pixels = Image.frombuffer("RGBA", canvas.get_width_height(), rgba, "raw", "RGBA", 0, 1)
    # A flat chart has few colours: 256 of them (a fast octree, no dithering) keep its text and
    # bars as they are in a third of the bytes (~33 KB instead of ~100 KB), for the same CPU as
    # RGBA at zlib level 3; a smaller photo is also quicker to upload and to keep in the cache.
    palette = pixels.convert("RGB").quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buffer = BytesIO()
    palette.save(buffer, format="png", compress_level=3)
    return buffer.getvalue()


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


def _label(label: str, row: MetricComparison, language: Language) -> str:
    """A group's label, with what the text says on the row: the values come from different
    sources or settings (not compared), or sources disagree."""
    notes = []
    if row.cross_source:
        notes.append(message("chart.note.cross_source", language))
    elif row.shared and not row.comparable:
        notes.append(message("chart.note.settings", language))
    if row.disagreements:
        notes.append(message("chart.note.disagree", language))
    return f"{label} ({', '.join(notes)})" if notes else label


def _has_data(rows: Sequence[MetricComparison]) -> bool:
    return any(v is not None for row in rows for v in row.values)


def _unit(row: MetricComparison) -> str | None:
    return next((v.unit for v in row.values if v is not None), None)


def _panels(comparison: Comparison, language: Language) -> list[_Panel]:
    benchmarks = [row for row in comparison.of_kind(MetricKind.BENCHMARK) if _unit(row) is not None]
    panels: list[_Panel] = []
    percent = [row for row in benchmarks if _unit(row) == PERCENT]
    if _has_data(percent):
        groups = tuple(_Group(_label(row.metric, row, language), _values(row)) for row in percent)
        panels.append(_Panel(message("chart.benchmarks", language), groups, "percent"))
    elo = [row for row in benchmarks if _unit(row) == ELO]
    if _has_data(elo):
        groups = tuple(_Group(_label(row.metric, row, language), _values(row)) for row in elo)
        panels.append(_Panel(message("chart.arena", language), groups, "elo"))
    prices = [
        (key, row)
        for key, metric in (
            ("chart.price.input", Metric.PRICE_INPUT),
            ("chart.price.output", Metric.PRICE_OUTPUT),
        )
        if (row := comparison.metric(metric)) is not None
    ]
    if _has_data([row for _, row in prices]):
        groups = tuple(
            _Group(_label(message(key, language), row, language), _values(row))
            for key, row in prices
        )
        panels.append(_Panel(message("chart.price", language), groups, "price"))
    speed = comparison.metric(Metric.OUTPUT_SPEED)
    if speed is not None and _has_data([speed]):
        panels.append(
            _Panel(
                message("chart.speed", language),
                (_Group(_label("", speed, language).strip(), _values(speed)),),
                "speed",
            )
        )
    return panels


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
    budget = _FOOTER_CHARS - empty
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


# --- drawing ---


def _draw(
    title: str,
    names: Sequence[str],
    panels: Sequence[_Panel],
    sources: str,
    language: Language,
) -> Figure:
    title_lines = textwrap.wrap(title, 46) or [""]
    title_height = 0.2 + 0.3 * len(title_lines)
    legend_cols = _legend_columns(names)
    legend_height = (
        0.12 + _LEGEND_ROW * math.ceil(len(names) / legend_cols) if names and panels else 0.0
    )
    footer_height = _FOOTER if sources else 0.18

    labels = {
        id(panel): [textwrap.fill(g.label, _LABEL_WRAP) for g in panel.groups] for panel in panels
    }
    longest = max(
        (len(line) for ls in labels.values() for label in ls for line in label.split("\n")),
        default=0,
    )
    left = min(2.3, max(0.9, 0.3 + 0.092 * longest))

    # Bar rows grow a little when there are few and shrink (never below readable) when there
    # are many, keeping the image between _MIN_HEIGHT and _MAX_HEIGHT.
    rows = sum(p.rows for p in panels)
    groups = sum(len(p.groups) for p in panels)
    fixed = title_height + legend_height + footer_height + 0.15
    fixed += sum(_PANEL_HEAD + _PANEL_GAP + _axis_room(p) for p in panels)
    scale = 1.0
    if panels:
        needed = rows * _BAR + groups * _GROUP_GAP
        target = min(max(fixed + needed, _MIN_HEIGHT), _MAX_HEIGHT)
        scale = max(0.7, min(1.6, (target - fixed) / needed))
    heights = [scale * (p.rows * _BAR + len(p.groups) * _GROUP_GAP) + _axis_room(p) for p in panels]
    height = fixed + sum(h - _axis_room(p) for h, p in zip(heights, panels, strict=True))
    height = max(height if panels else height + 1.6, _MIN_HEIGHT)

    figure = Figure(figsize=(_WIDTH, height), dpi=_DPI, facecolor="white")
    top = height - 0.15
    figure.text(
        0.5,
        top / height,
        "\n".join(title_lines),
        ha="center",
        va="top",
        fontsize=_TITLE_SIZE,
        fontweight="bold",
        color=_TEXT,
        parse_math=False,
    )
    top -= title_height
    if legend_height:
        handles = [Patch(color=PALETTE[i % len(PALETTE)]) for i in range(len(names))]
        legend = figure.legend(
            handles,
            list(names),
            loc="upper center",
            bbox_to_anchor=(0.5, (top + 0.08) / height),
            ncol=legend_cols,
            frameon=False,
            fontsize=_LABEL_SIZE + 1,
            handlelength=1.2,
            handleheight=1.0,
            columnspacing=1.6,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
        top -= legend_height

    if not panels:
        figure.text(
            0.5,
            (top / 2 + 0.1) / height,
            message("chart.no_data", language),
            ha="center",
            va="center",
            fontsize=_PANEL_TITLE_SIZE + 1,
            color=_MUTED,
            parse_math=False,
        )

    for panel, panel_height in zip(panels, heights, strict=True):
        top -= _PANEL_HEAD
        box_height = panel_height - _axis_room(panel)
        axes = figure.add_axes(
            (
                left / _WIDTH,
                (top - box_height) / height,
                (_WIDTH - left - _RIGHT) / _WIDTH,
                box_height / height,
            )
        )
        _draw_panel(axes, panel, labels[id(panel)], scale, language)
        top -= panel_height + _PANEL_GAP

    if sources:
        figure.text(
            0.03,
            0.12 / height,
            sources,
            ha="left",
            va="bottom",
            fontsize=_FOOTER_SIZE,
            color=_MUTED,
            parse_math=False,
        )
    return figure


def _axis_room(panel: _Panel) -> float:
    return _AXIS_ROOM if panel.style == "elo" else 0.0


def _legend_columns(names: Sequence[str]) -> int:
    """As many columns as fit across the width at the legend's font size (a column is as wide
    as its widest name; one row is as wide as all the names)."""

    def entry(chars: int) -> float:
        return chars * 0.095 + 0.65  # inches: the name, its colour patch and the spacing

    room = _WIDTH - 0.3
    if sum(entry(len(n)) for n in names) <= room:
        return max(len(names), 1)
    widest = max(len(n) for n in names)
    return next((c for c in range(min(len(names), 4), 1, -1) if c * entry(widest) <= room), 1)


def _draw_panel(
    axes: Axes, panel: _Panel, labels: Sequence[str], scale: float, language: Language
) -> None:
    count = len(panel.groups[0].values)
    bar = _BAR * scale
    gap = _GROUP_GAP * scale
    group = count * bar + gap
    # Y positions in inches from the top of the axes, bar centres.
    centres = [
        [g * group + gap / 2 + (i + 0.5) * bar for i in range(count)]
        for g in range(len(panel.groups))
    ]
    total = len(panel.groups) * group

    present = [v for g in panel.groups for v in g.values if v is not None]
    high = max(present)
    if panel.style == "elo":
        low = min(present)
        spread = max(high - low, 50.0)
        start = math.floor((low - 0.35 * spread) / 50.0) * 50.0
        end = high + 0.28 * (high - start)
    else:
        start = 0.0
        end = (high if high > 0 else 1.0) * 1.24
    span = end - start

    for i in range(count):
        ys: list[float] = []
        widths: list[float] = []
        for g, grp in enumerate(panel.groups):
            value = grp.values[i] if i < len(grp.values) else None
            y = centres[g][i]
            if value is None:
                axes.text(
                    start + 0.012 * span,
                    y,
                    message("chart.no_data", language),
                    va="center",
                    ha="left",
                    fontsize=_VALUE_SIZE - 1,
                    fontstyle="italic",
                    color=_MUTED,
                    parse_math=False,
                )
                continue
            ys.append(y)
            widths.append(value - start)
            axes.text(
                max(value, start) + 0.012 * span,
                y,
                _format(value, panel.style, language),
                va="center",
                ha="left",
                fontsize=_VALUE_SIZE,
                color=_TEXT,
                parse_math=False,
            )
        if ys:
            axes.barh(
                ys,
                widths,
                left=start,
                height=bar * 0.9,
                color=PALETTE[i % len(PALETTE)],
                zorder=2,
            )

    axes.set_ylim(total, 0)
    axes.set_xlim(start, end)
    axes.set_yticks(
        [g * group + gap / 2 + count * bar / 2 for g in range(len(panel.groups))],
        list(labels),
        fontsize=_LABEL_SIZE,
        color=_TEXT,
        parse_math=False,
    )
    axes.tick_params(axis="y", length=0, pad=6)
    axes.set_title(
        panel.title,
        loc="left",
        fontsize=_PANEL_TITLE_SIZE,
        fontweight="bold",
        color=_TEXT,
        pad=8,
        parse_math=False,
    )
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color(_MUTED)
    if panel.style == "elo":
        # The scale does not start at zero (an Elo rating has no zero), so it is shown.
        axes.spines["bottom"].set_color(_MUTED)
        axes.tick_params(axis="x", labelsize=_FOOTER_SIZE, colors=_MUTED)
        step = next((s for s in (10, 20, 25, 50, 100, 200, 250, 500) if span / s <= 5), 1000)
        first = math.ceil(start / step) * step
        # Ticks stop at the longest bar: the last label must not spill past the right edge.
        ticks = [first + k * step for k in range(int((high - first) // step) + 1)]
        axes.set_xticks(ticks, [format_number(t, language, 0) for t in ticks])
        axes.xaxis.grid(True, color=_GRID, zorder=0)
    else:
        axes.spines["bottom"].set_visible(False)
        axes.set_xticks([])
