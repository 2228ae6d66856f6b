"""Paint a `ChartSpec` as a PNG with Pillow: rectangles and FreeType text on one RGB image.

matplotlib drew these charts until issue 21: its figure, axes and text layout cost ~80% of a
render's 100-140 ms of CPU and loaded ~40 MB into the bots' process, for what is a handful of
bars and labels at fixed places. Here the layout is computed by hand, in inches at 150 dpi
(1080 px across), and a render costs a tenth of that. The fonts are DejaVu Sans (Latin and
Cyrillic), bundled in digest/data/fonts (copied from matplotlib's mpl-data, see ORIGIN.md there)
so that matplotlib is no longer a dependency.
"""

from __future__ import annotations

import importlib.resources
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import cast

from PIL import Image, ImageDraw, ImageFont

from aiprogress.digest.chart import ChartPanel, ChartSpec

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

_DPI = 150
_WIDTH = 7.2  # inches: 1080 px at 150 dpi
_MAX_HEIGHT = 19.5  # inches: under 3000 px however many rows there are
_MIN_HEIGHT = 4.1  # inches: 615 px
_RIGHT = 0.25
# Font sizes in points.
_TITLE_SIZE = 15.0
_PANEL_TITLE_SIZE = 13.0
_LABEL_SIZE = 11.0
_LEGEND_SIZE = 12.0
_FOOTER_SIZE = 10.0
_TEXT = "#222222"
_MUTED = "#777777"
_GRID = "#DDDDDD"
_WHITE = "#FFFFFF"
# Heights in inches.
_TOP = 0.15
_TITLE_LINE = 0.3
_BAR = 0.22
_GROUP_GAP = 0.16
_PANEL_HEAD = 0.42
_PANEL_GAP = 0.12
_AXIS_ROOM = 0.32  # tick labels under the one panel that shows its axis
_LEGEND_ROW = 0.30
_FOOTER = 0.42
_TITLE_WRAP = 46  # characters per title line
_LABEL_WRAP = 18  # characters per line of a benchmark name
_VALUE_GAP = 0.012  # of the scale's span, between a bar's end and its value

_FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}


def _px(inches: float) -> int:
    return round(inches * _DPI)


def _font_folder() -> Path:
    """The bundled DejaVu Sans files' folder (digest/data/fonts, package data)."""
    folder = importlib.resources.files("aiprogress.digest.data").joinpath("fonts")
    # FreeType opens a font by its file name; given a file object, Pillow would copy the whole
    # file (0.6-0.7 MB) into memory for every size of every face a render asks for. The package
    # is installed as plain files (a wheel, not a zip), so the resource is a real folder.
    if not isinstance(folder, Path) or not (folder / _FONT_FILES["regular"]).is_file():
        raise FileNotFoundError(f"the chart's bundled fonts are not a folder of files: {folder}")
    return folder


@dataclass(frozen=True, slots=True)
class _Fonts:
    """The faces of one render (FreeType faces are not shared between threads)."""

    folder: Path

    def get(self, points: float, face: str = "regular") -> ImageFont.FreeTypeFont:
        size = round(points * _DPI / 72)
        return ImageFont.truetype(str(self.folder / _FONT_FILES[face]), size)

    def fitting(
        self, text: str, points: float, room: float, face: str = "regular"
    ) -> ImageFont.FreeTypeFont:
        """The font at `points`, or smaller until `text` is at most `room` px wide."""
        font = self.get(points, face)
        while font.getlength(text) > room and points > 6:
            points -= 0.5
            font = self.get(points, face)
        return font


def paint(spec: ChartSpec) -> bytes:
    """The spec as 256-colour PNG bytes, 1080 px wide, portrait for a phone."""
    fonts = _Fonts(_font_folder())
    layout = _Layout.of(spec)
    image = Image.new("RGB", (_px(_WIDTH), _px(layout.height)), _WHITE)
    draw = ImageDraw.Draw(image)
    top = _TOP
    for k, line in enumerate(layout.title_lines):
        y = _px(top + k * _TITLE_LINE)
        font = fonts.fitting(line, _TITLE_SIZE, image.width - 2 * _px(0.2), "bold")
        draw.text((image.width / 2, y), line, font=font, fill=_TEXT, anchor="ma")
    top += layout.title_height
    if layout.legend_height:
        _legend(draw, fonts, spec.legend, layout.legend_columns, top)
        top += layout.legend_height
    if not spec.panels:
        middle = (top + layout.height - layout.footer_height) / 2
        font = fonts.get(_PANEL_TITLE_SIZE + 1)
        draw.text((image.width / 2, _px(middle)), spec.empty, font=font, fill=_MUTED, anchor="mm")
    panels = zip(spec.panels, layout.labels, layout.boxes, layout.rows, strict=True)
    for panel, labels, box, heights in panels:
        top += _PANEL_HEAD
        _panel(draw, fonts, panel, labels, layout, top, box, heights)
        top += box + _axis_room(panel) + _PANEL_GAP
    if spec.sources:
        room = image.width - 2 * _px(0.2)
        font = fonts.fitting(spec.sources, _FOOTER_SIZE, room)
        at = (_px(0.2), image.height - _px(0.12))
        draw.text(at, spec.sources, font=font, fill=_MUTED, anchor="ld")
    return _png(image)


# --- layout ---


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where things go, in inches from the top: the same arithmetic whatever draws it."""

    height: float
    title_lines: tuple[str, ...]
    title_height: float
    legend_columns: int
    legend_height: float
    footer_height: float
    left: float  # the panels' left edge: the widest row label fits before it
    labels: tuple[tuple[str, ...], ...]  # each panel's row labels, wrapped
    boxes: tuple[float, ...]  # each panel's bar area's height
    scale: float  # bar thickness and gaps, relative to _BAR and _GROUP_GAP
    # Each panel's groups' heights: the bars and their gap, or the label's lines where those
    # are taller (a benchmark's name and what the row says of it).
    rows: tuple[tuple[float, ...], ...]

    @classmethod
    def of(cls, spec: ChartSpec) -> _Layout:
        panels = spec.panels
        title_lines = tuple(textwrap.wrap(spec.title, _TITLE_WRAP) or [""])
        title_height = 0.2 + _TITLE_LINE * len(title_lines)
        columns = _legend_columns(spec.legend)
        legend_height = (
            0.12 + _LEGEND_ROW * math.ceil(len(spec.legend) / columns)
            if spec.legend and panels
            else 0.0
        )
        footer_height = _FOOTER if spec.sources else 0.18
        labels = tuple(tuple(textwrap.fill(g.label, _LABEL_WRAP) for g in p.groups) for p in panels)
        longest = max(
            (len(line) for ls in labels for label in ls for line in label.split("\n")), default=0
        )
        left = min(2.3, max(0.9, 0.3 + 0.092 * longest))
        # Bar rows grow a little when there are few and shrink (never below readable) when
        # there are many, keeping the image between _MIN_HEIGHT and _MAX_HEIGHT.
        rows = sum(p.rows for p in panels)
        groups = sum(len(p.groups) for p in panels)
        fixed = title_height + legend_height + footer_height + 0.15
        fixed += sum(_PANEL_HEAD + _PANEL_GAP + _axis_room(p) for p in panels)
        scale = 1.0
        if panels:
            needed = rows * _BAR + groups * _GROUP_GAP
            target = min(max(fixed + needed, _MIN_HEIGHT), _MAX_HEIGHT)
            scale = max(0.7, min(1.6, (target - fixed) / needed))
        rows_high = tuple(
            tuple(
                max(scale * (len(g.values) * _BAR + _GROUP_GAP), _label_height(label))
                for g, label in zip(p.groups, ls, strict=True)
            )
            for p, ls in zip(panels, labels, strict=True)
        )
        boxes = tuple(sum(heights) for heights in rows_high)
        height = max(fixed + sum(boxes) if panels else fixed + 1.6, _MIN_HEIGHT)
        return cls(
            height,
            title_lines,
            title_height,
            columns,
            legend_height,
            footer_height,
            left,
            labels,
            boxes,
            scale,
            rows_high,
        )


_LABEL_LINE = _LABEL_SIZE * 1.25 / 72  # inches


def _label_height(label: str) -> float:
    """The height a wrapped row label needs, with a little air above and below."""
    return (label.count("\n") + 1) * _LABEL_LINE + 0.1


def _axis_room(panel: ChartPanel) -> float:
    return _AXIS_ROOM if panel.axis.ticks else 0.0


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


# --- drawing ---


def _legend(
    draw: ImageDraw.ImageDraw, fonts: _Fonts, names: Sequence[str], columns: int, top: float
) -> None:
    """Rows of a colour patch and a name, the block centred across the width."""
    width = _px(_WIDTH)
    patch, gap, spacing = _px(0.2), _px(0.1), _px(0.25)
    room = (width - _px(0.3) - (columns - 1) * spacing) / columns - patch - gap
    font = fonts.fitting(max(names, key=len), _LEGEND_SIZE, room)
    column_widths = [
        max(font.getlength(n) for n in names[c::columns]) + patch + gap for c in range(columns)
    ]
    x0 = (width - sum(column_widths) - spacing * (columns - 1)) / 2
    for index, name in enumerate(names):
        row, column = divmod(index, columns)
        x = x0 + sum(column_widths[:column]) + spacing * column
        y = _px(top + 0.06 + (row + 0.5) * _LEGEND_ROW)
        half = _px(0.07)
        draw.rectangle(
            (round(x), y - half, round(x) + patch, y + half), fill=PALETTE[index % len(PALETTE)]
        )
        draw.text((x + patch + gap, y), name, font=font, fill=_TEXT, anchor="lm")


def _panel(
    draw: ImageDraw.ImageDraw,
    fonts: _Fonts,
    panel: ChartPanel,
    labels: Sequence[str],
    layout: _Layout,
    top: float,
    box: float,
    heights: Sequence[float],
) -> None:
    left = _px(layout.left)
    right = _px(_WIDTH - _RIGHT)
    y_top, y_bottom = _px(top), _px(top + box)
    axis = panel.axis
    span = axis.end - axis.start

    def x_of(value: float) -> float:
        return left + (value - axis.start) / span * (right - left)

    title = fonts.get(_PANEL_TITLE_SIZE, "bold")
    draw.text((left, y_top - _px(0.11)), panel.title, font=title, fill=_TEXT, anchor="ls")
    if axis.ticks:
        ticks = fonts.get(_FOOTER_SIZE)
        for tick, label in axis.ticks:
            x = round(x_of(tick))
            draw.line((x, y_top, x, y_bottom), fill=_GRID, width=2)
            draw.line((x, y_bottom, x, y_bottom + _px(0.05)), fill=_MUTED, width=2)
            draw.text((x, y_bottom + _px(0.08)), label, font=ticks, fill=_MUTED, anchor="ma")
        draw.line((left, y_bottom, right, y_bottom), fill=_MUTED, width=2)

    count = len(panel.groups[0].values)
    bar = _BAR * layout.scale
    value_font = fonts.get(_LABEL_SIZE)
    missing_font = fonts.get(_LABEL_SIZE - 1, "italic")
    label_font = fonts.get(_LABEL_SIZE)
    line_height = _px(_LABEL_SIZE * 1.25 / 72)
    nudge = _VALUE_GAP * (right - left)
    start = top
    for group, label, height in zip(panel.groups, labels, heights, strict=True):
        # The row's label, right-aligned before the panel and centred on its bars, which are
        # centred in the group's height.
        lines = label.split("\n")
        middle = start + height / 2
        bars_top = middle - count * bar / 2
        start += height
        first = _px(middle) - line_height * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            y = first + k * line_height
            draw.text((left - _px(0.09), y), line, font=label_font, fill=_TEXT, anchor="rm")
        for i, (value, text) in enumerate(zip(group.values, group.texts, strict=True)):
            centre = _px(bars_top + (i + 0.5) * bar)
            if value is None:
                at = (x_of(axis.start) + nudge, centre)
                draw.text(at, text, font=missing_font, fill=_MUTED, anchor="lm")
                continue
            end = x_of(max(value, axis.start))
            half = bar * 0.9 * _DPI / 2
            draw.rectangle(
                (left, round(centre - half), round(end), round(centre + half) - 1),
                fill=PALETTE[i % len(PALETTE)],
            )
            draw.text((end + nudge, centre), text, font=value_font, fill=_TEXT, anchor="lm")
    draw.line((left, y_top, left, y_bottom), fill=_MUTED, width=2)


def _png(image: Image.Image) -> bytes:
    """256 colours, no dithering: a flat chart's text and bars stay as they are in a third of
    the bytes of RGB. Its colours are usually few enough to be the palette itself (found and
    mapped in ~3 ms; an octree quantiser costs ~20 ms and is kept for a chart with more).
    Pillow maps a colour through a cache of 4x4x4-level cells, so each cell keeps only its most
    used colour: the white background, the bars and the text stay exact, and the edges of
    letters move by at most a few levels."""
    colours = image.getcolors(256)
    if colours is not None:
        kept: dict[tuple[int, ...], tuple[int, ...]] = {}
        for _, colour in sorted(colours, key=lambda counted: -counted[0]):
            rgb = cast(tuple[int, int, int], colour)  # an RGB image's colours are (r, g, b)
            kept.setdefault(tuple(channel >> 2 for channel in rgb), rgb)
        palette = Image.new("P", (1, 1))
        palette.putpalette([channel for rgb in kept.values() for channel in rgb])
        indexed = image.quantize(palette=palette, dither=Image.Dither.NONE)
    else:
        indexed = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = BytesIO()
    indexed.save(buffer, format="png", compress_level=3)
    return buffer.getvalue()
