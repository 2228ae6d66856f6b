"""The comparison chart: a valid, phone-sized PNG for every shape of comparison."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from io import BytesIO

import pytest
from matplotlib.image import imread

from aiprogress.core.comparison import Comparison, FactRef, MetricComparison, MetricKind
from aiprogress.core.types import Language, Metric, ModelInfo
from aiprogress.digest.chart import render_comparison_chart
from aiprogress.digest.chart_cache import ChartCache, content_key

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
    pixels = imread(BytesIO(png), format="png")
    assert float(pixels.var()) > 0


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
    png = render_comparison_chart(partial, Language.EN)
    assert_valid(png)
    assert_not_blank(png)


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
    png = render_comparison_chart(three, Language.RU)
    assert_valid(png)
    assert_not_blank(png)


def test_prices_only_is_shorter_than_the_full_chart() -> None:
    only_prices = comparison([GPT45, GPT4O], prices([75.0, 2.5], [150.0, 10.0]))
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
    png = render_comparison_chart(comparison([GPT45, GPT4O], metrics), Language.RU)
    assert_valid(png)
    assert_not_blank(png)


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
