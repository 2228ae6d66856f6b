"""The comparison chart: what it shows (its `ChartSpec`: panels, rows, values, scale, legend,
sources) for a real comparison of the bundled data and for every shape of comparison, and that
the picture painted from it is a phone-sized PNG with each model's bars in its colour."""

from __future__ import annotations

import shutil
import struct
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageColor

from aiprogress.core.clock import FixedClock
from aiprogress.core.comparison import Comparison, FactRef, MetricComparison, MetricKind
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.types import Language, Metric, ModelInfo
from aiprogress.digest.chart import (
    FOOTER_CHARS,
    MAX_BENCHMARKS,
    chart_spec,
    render_comparison_chart,
)
from aiprogress.digest.chart_cache import ChartCache, content_key
from aiprogress.digest.chart_draw import PALETTE, paint
from aiprogress.digest.compare import compare_models
from aiprogress.sources.names import ModelIndex
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import upgrade
from aiprogress.storage.store import SqlStore
from tests.conftest import BundledImport

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
URL = "https://example.org/source"

GPT45 = ModelInfo("openai/gpt-4.5-preview", "GPT-4.5", "OpenAI", release_date=date(2025, 2, 27))
GPT4O = ModelInfo("openai/gpt-4o", "GPT-4o", "OpenAI", release_date=date(2024, 5, 13))
CLAUDE = ModelInfo(
    "anthropic/claude-3.7-sonnet",
    "Claude 3.7 Sonnet",
    "Anthropic",
    release_date=date(2025, 2, 24),
)

PRICE = "USD/1M tokens"


def row(
    metric: str,
    unit: str,
    values: Sequence[float | None],
    *,
    kind: MetricKind = MetricKind.BENCHMARK,
    source: str = "Artificial Analysis",
) -> MetricComparison:
    refs = tuple(
        FactRef(v, unit, date(2025, 3, 1), source, URL) if v is not None else None for v in values
    )
    first = values[0]
    deltas = tuple(v - first if v is not None and first is not None else None for v in values)
    ratios = tuple(v / first if v is not None and first else None for v in values)
    higher = kind is not MetricKind.PRICE
    present = [(v, i) for i, v in enumerate(values) if v is not None]
    leader = None
    if len(present) >= 2:
        best = max(present) if higher else min(present)
        leader = best[1]
    return MetricComparison(metric, kind, higher, refs, deltas, ratios, leader)


def prices(
    values_in: Sequence[float | None], values_out: Sequence[float | None]
) -> list[MetricComparison]:
    return [
        row(Metric.PRICE_INPUT, PRICE, values_in, kind=MetricKind.PRICE, source="OpenAI pricing"),
        row(Metric.PRICE_OUTPUT, PRICE, values_out, kind=MetricKind.PRICE, source="OpenAI pricing"),
    ]


def comparison(models: Sequence[ModelInfo], metrics: Sequence[MetricComparison]) -> Comparison:
    return Comparison(tuple(models), tuple(metrics), tuple(0 for _ in models))


def two_models() -> Comparison:
    return comparison(
        [GPT45, GPT4O],
        [
            row("GPQA Diamond", "%", [68.69, 49.21], source="Epoch AI"),
            row("MMLU-Pro", "%", [86.1, 74.7]),
            row("SWE-bench Verified", "%", [38.0, 33.2], source="OpenAI"),
            row("LiveCodeBench", "%", [46.0, 30.9]),
            row("HumanEval", "%", [88.6, 90.2]),
            row("AIME 2024", "%", [36.7, 9.3]),
            row("MATH Level 5", "%", [79.0, 70.2]),
            row("Humanity's Last Exam", "%", [6.4, 3.3]),
            row("Arena Elo", "Elo", [1398, 1265], source="LMArena"),
            *prices([75.0, 2.5], [150.0, 10.0]),
            row(Metric.CONTEXT_WINDOW, "tokens", [128000, 128000], kind=MetricKind.CONTEXT),
            row(Metric.OUTPUT_SPEED, "tokens/s", [14.0, 80.0], kind=MetricKind.SPEED),
        ],
    )


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    length, chunk = struct.unpack(">I4s", png[8:16])
    assert chunk == b"IHDR" and length == 13
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def assert_valid(png: bytes) -> None:
    assert png[:8] == PNG_SIGNATURE
    width, height = png_size(png)
    assert 800 <= width <= 2000
    assert 600 <= height <= 3000
    assert len(png) < 600 * 1024


def assert_not_blank(png: bytes) -> None:
    pixels = Image.open(BytesIO(png)).convert("RGB")
    colours = pixels.getcolors(1 << 16)
    assert colours is None or len(colours) > 1


def pixels_of(png: bytes) -> dict[tuple[int, int, int], int]:
    """How many pixels of each colour the picture has."""
    colours = Image.open(BytesIO(png)).convert("RGB").getcolors(1 << 16)
    assert colours is not None
    return {(rgb[0], rgb[1], rgb[2]): count for count, rgb in colours if isinstance(rgb, tuple)}


def bar_pixels(png: bytes, model: int) -> int:
    """Pixels in the colour of the model's bars (and its legend patch)."""
    rgb = ImageColor.getrgb(PALETTE[model])
    return pixels_of(png).get((rgb[0], rgb[1], rgb[2]), 0)


# --- a real comparison: the bundled knowledge base, as /compare gpt-4.5 gpt-4o shows it ---


async def bundled_comparison(
    bundled: BundledImport, folder: Path, names: Sequence[str]
) -> Comparison:
    """The comparison of `names` on a copy (in `folder`) of the session's bundled import."""
    assert not [report for report in bundled.reports if report.error]
    path = folder / "models.db"
    shutil.copyfile(bundled.url.removeprefix("sqlite:///"), path)
    store = SqlStore(create_engine(f"sqlite:///{path}"))
    try:
        await upgrade(store.engine)
        registry = ModelRegistry(
            store=store,
            clock=FixedClock(datetime(2026, 8, 15, tzinfo=UTC)),
            index_factory=ModelIndex,
            analyst=compare_models,
        )
        return await registry.compare(list(names))
    finally:
        await store.close()


def row_of(comparison: Comparison, metric: str) -> MetricComparison:
    return next(m for m in comparison.metrics if m.metric == metric)


def values_of(comparison: Comparison, metric: str) -> tuple[float | None, ...]:
    return tuple(v.value if v is not None else None for v in row_of(comparison, metric).values)


async def test_a_real_comparison_shows_its_panels_rows_values_and_sources(
    sqlite_bundled: BundledImport, tmp_path: Path
) -> None:
    real = await bundled_comparison(sqlite_bundled, tmp_path, ["gpt-4.5", "gpt-4o"])
    spec = chart_spec(real, Language.EN)

    assert spec.title == "GPT-4.5 (preview) vs GPT-4o"
    # The legend names the models in the bars' order, with the dates the text gives them
    # (GPT-4o's first version's).
    assert spec.legend == (
        "GPT-4.5 (preview) (released 2025-02-27)",
        "GPT-4o (released 2024-05-13)",
    )
    assert [(p.title, p.style) for p in spec.panels] == [
        ("Benchmarks, %", "percent"),
        ("Arena rating (Elo)", "elo"),
        ("Price, $ per 1M tokens", "price"),
        ("Speed, tokens/s", "speed"),
    ]
    benchmarks, arena, price, speed = spec.panels
    # Benchmarks both models have, best known first (at most 8), then headline ones one lacks;
    # a row whose sources disagree says so, as the text does.
    assert [g.label for g in benchmarks.groups] == [
        "GPQA Diamond (sources disagree)",
        "MMLU",
        "SWE-bench Verified (within the margin of error)",
        "HumanEval (within the margin of error)",
        "Aider Polyglot",
        "AIME 2024",
        "MATH Level 5",
        "MMLU-Pro",
        "Humanity's Last Exam",
    ]
    assert row_of(real, "GPQA Diamond").disagreements
    # Each bar is the comparison's own value, written at its end as the text writes it.
    for group in benchmarks.groups:
        metric = group.label.split(" (")[0]
        assert group.values == values_of(real, metric)
    assert benchmarks.groups[0].texts == ("68.7%", "49.2%")
    assert benchmarks.groups[-2].texts == ("no data", "74.7%")
    assert benchmarks.axis.start == 0 and not benchmarks.axis.ticks
    # An Elo scale does not start at zero, so it is drawn with its ticks.
    assert arena.groups[0].values == values_of(real, "Arena Elo") == (1415.0, 1285.0)
    assert arena.groups[0].texts == ("1,415", "1,285")
    assert 0 < arena.axis.start < 1285 and [label for _, label in arena.axis.ticks] == [
        "1,200",
        "1,300",
        "1,400",
    ]
    assert [(g.label, g.texts) for g in price.groups] == [
        ("input", ("$75", "$2.5")),
        ("output", ("$150", "$10")),
    ]
    assert price.groups[0].values == values_of(real, Metric.PRICE_INPUT)
    assert speed.groups[0].values == values_of(real, Metric.OUTPUT_SPEED)
    # The footnote names the sources of what is drawn, first seen first, within one line.
    assert spec.sources == (
        "Sources: Epoch AI Benchmarking Hub, LLM Stats, Aider polyglot leaderboard, … +2"
    )
    assert spec.empty == ""

    russian = chart_spec(real, Language.RU)
    assert russian.title == "GPT-4.5 (preview) против GPT-4o"
    assert [p.title for p in russian.panels] == [
        "Бенчмарки, %",
        "Рейтинг Arena (Elo)",
        "Цена, $ за 1 млн токенов",
        "Скорость, токенов/с",
    ]
    assert russian.panels[0].groups[0].texts == ("68,7%", "49,2%")
    assert russian.panels[1].groups[0].texts == ("1\u00a0415", "1\u00a0285")
    assert russian.sources.startswith("Источники: Epoch AI Benchmarking Hub, LLM Stats")

    # What is painted is that spec: each model's bars in its colour, a phone-sized portrait.
    png = render_comparison_chart(real, Language.EN)
    assert png == paint(spec)
    assert_valid(png)
    assert all(bar_pixels(png, model) > 20_000 for model in range(2))
    assert bar_pixels(png, 2) == 0


@pytest.mark.parametrize("language", list(Language))
def test_full_comparison_in_both_languages(language: Language) -> None:
    png = render_comparison_chart(two_models(), language)
    assert_valid(png)
    assert_not_blank(png)
    width, height = png_size(png)
    assert height > width  # portrait, for a phone


def test_missing_values_render() -> None:
    partial = comparison(
        [GPT45, GPT4O],
        [
            row("GPQA Diamond", "%", [68.69, 49.21]),
            row("Humanity's Last Exam", "%", [6.4, None]),
            row("Arena Elo", "Elo", [None, 1265]),
            *prices([75.0, None], [150.0, None]),
            row(Metric.OUTPUT_SPEED, "tokens/s", [None, 80.0], kind=MetricKind.SPEED),
        ],
    )
    spec = chart_spec(partial, Language.EN)
    benchmarks, arena, price, speed = spec.panels
    assert benchmarks.groups[1].texts == ("6.4%", "no data")
    assert arena.groups[0].values == (None, 1265) and arena.groups[0].texts[0] == "no data"
    # One rating alone still gets a scale around it.
    assert arena.axis.start < 1265 < arena.axis.end and arena.axis.ticks
    assert [g.texts for g in price.groups] == [("$75", "no data"), ("$150", "no data")]
    assert speed.groups[0].texts == ("no data", "80")
    png = render_comparison_chart(partial, Language.EN)
    assert_valid(png)
    assert_not_blank(png)
    assert bar_pixels(png, 0) > 0 and bar_pixels(png, 1) > 0


def test_three_models() -> None:
    three = comparison(
        [GPT45, GPT4O, CLAUDE],
        [
            row("GPQA Diamond", "%", [68.69, 49.21, 68.0]),
            row("MMLU-Pro", "%", [86.1, 74.7, 80.3]),
            row("SWE-bench Verified", "%", [38.0, 33.2, 62.3]),
            row("Arena Elo", "Elo", [1398, 1265, 1300], source="LMArena"),
            *prices([75.0, 2.5, 3.0], [150.0, 10.0, 15.0]),
        ],
    )
    spec = chart_spec(three, Language.RU)
    assert spec.title == "GPT-4.5 против GPT-4o против Claude 3.7 Sonnet"
    assert len(spec.legend) == 3 and spec.legend[2] == "Claude 3.7 Sonnet (выпуск 2025-02-24)"
    assert all(len(g.values) == 3 for p in spec.panels for g in p.groups)
    assert spec.sources == "Источники: Artificial Analysis, LMArena, OpenAI pricing"
    png = render_comparison_chart(three, Language.RU)
    assert_valid(png)
    assert_not_blank(png)
    assert all(bar_pixels(png, model) > 0 for model in range(3))


def test_prices_only_is_shorter_than_the_full_chart() -> None:
    only_prices = comparison([GPT45, GPT4O], prices([75.0, 2.5], [150.0, 10.0]))
    spec = chart_spec(only_prices, Language.EN)
    assert [p.title for p in spec.panels] == ["Price, $ per 1M tokens"]
    assert spec.sources == "Sources: OpenAI pricing"
    png = render_comparison_chart(only_prices, Language.EN)
    assert_valid(png)
    assert_not_blank(png)
    assert png_size(png)[1] < png_size(render_comparison_chart(two_models(), Language.EN))[1]


@pytest.mark.parametrize(
    "metrics",
    [
        [],
        # Rows whose every value is missing count as nothing.
        [row("GPQA Diamond", "%", [None, None]), *prices([None, None], [None, None])],
    ],
)
def test_nothing_to_show(metrics: list[MetricComparison]) -> None:
    nothing = comparison([GPT45, GPT4O], metrics)
    spec = chart_spec(nothing, Language.RU)
    assert spec.panels == () and spec.empty == "нет данных"
    png = render_comparison_chart(nothing, Language.RU)
    assert_valid(png)
    assert_not_blank(png)
    # No bars and no legend: nothing in the models' colours.
    assert bar_pixels(png, 0) == 0 and bar_pixels(png, 1) == 0


def test_many_benchmarks_and_long_sources_stay_in_bounds() -> None:
    names = [f"Benchmark number {i} with a long name" for i in range(30)]
    crowded = comparison(
        [GPT45, GPT4O, CLAUDE],
        [
            *(
                row(n, "%", [50.0 + i, 40.0, 45.5], source=f"Source {i} " * 4)
                for i, n in enumerate(names)
            ),
            *prices([75.0, 2.5, 3.0], [150.0, 10.0, 15.0]),
        ],
    )
    spec = chart_spec(crowded, Language.EN)
    assert len(spec.panels[0].groups) == MAX_BENCHMARKS
    assert len(spec.sources) <= FOOTER_CHARS and spec.sources.endswith(", … +7")
    png = render_comparison_chart(crowded, Language.EN)
    assert_valid(png)


def test_parallel_renders_in_threads() -> None:
    jobs = [
        (two_models(), Language.EN),
        (two_models(), Language.RU),
        (comparison([GPT45, GPT4O], prices([75.0, 2.5], [150.0, 10.0])), Language.EN),
        (comparison([GPT45, GPT4O], []), Language.EN),
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: render_comparison_chart(*job), jobs))
    for png in results:
        assert_valid(png)
    # Thread-safety: the same input gives the same image as a render on this thread.
    assert results[0] == render_comparison_chart(two_models(), Language.EN)


def test_the_cache_draws_each_distinct_comparison_once() -> None:
    drawn: list[tuple[Comparison, Language]] = []

    def render(shown: Comparison, language: Language) -> bytes:
        drawn.append((shown, language))
        return render_comparison_chart(shown, language)

    cache = ChartCache(render, capacity=2)
    first = cache(two_models(), Language.EN)
    # An equal comparison built again (as each /compare builds its own) is a hit.
    assert cache(two_models(), Language.EN) == first and len(drawn) == 1
    assert_valid(first)
    # Another language, or any value changed (new data in the knowledge base), is drawn anew.
    cache(two_models(), Language.RU)
    changed = comparison([GPT45, GPT4O], prices([75.0, 2.6], [150.0, 10.0]))
    cache(changed, Language.EN)
    assert len(drawn) == 3 and cache.renders == 3
    # The least recently used beyond the capacity is dropped: the first one is drawn again.
    cache(two_models(), Language.EN)
    assert len(drawn) == 4


def test_content_keys_tell_values_apart() -> None:
    base = comparison([GPT45, GPT4O], prices([75.0, 2.5], [150.0, 10.0]))
    same = comparison([GPT45, GPT4O], prices([75.0, 2.5], [150.0, 10.0]))
    other = comparison([GPT45, GPT4O], prices([75.0, 2.5], [150.0, 10.5]))
    assert content_key(base, Language.EN) == content_key(same, Language.EN)
    assert content_key(base, Language.EN) != content_key(other, Language.EN)
    assert content_key(base, Language.EN) != content_key(base, Language.RU)


def test_the_cache_draws_one_chart_at_a_time_and_a_chart_being_drawn_once() -> None:
    drawing = threading.Lock()
    at_once: list[int] = []
    active = [0]

    def render(shown: Comparison, language: Language) -> bytes:
        with drawing:
            active[0] += 1
            at_once.append(active[0])
        time.sleep(0.05)  # long enough for the other threads to ask meanwhile
        with drawing:
            active[0] -= 1
        return render_comparison_chart(shown, language)

    cache = ChartCache(render)
    same = [(two_models(), Language.EN)] * 4
    others = [(two_models(), Language.RU), (comparison([GPT45, GPT4O], []), Language.EN)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        pngs = list(pool.map(lambda job: cache(*job), [*same, *others]))
    # Four requests for one new chart: drawn once, all four get it; never two drawings at once.
    assert len(set(pngs[:4])) == 1
    assert cache.renders == 3
    assert max(at_once) == 1
