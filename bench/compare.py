"""Measure /compare: resolve two names and compare them (text), and render the chart.

A synthetic registry of 2,000 models x 30 benchmarks (plus prices and context) is written to a
temporary SQLite file through the real registry. Figures printed:

- p50/p99 of resolve + compare + RU text through `ModelRegistry` (the path both bots use),
  for exact names, loosely typed names and typos;
- the same with a baseline resolver measured in the same run: rapidfuzz's `extractOne` over
  every alias with no exact-key index (what a plain fuzzy lookup costs);
- p50/p99 of the PNG chart.

Targets (issue 4): p99 <= 20 ms for text, <= 300 ms for the chart.

    python bench/compare.py [--models 2000] [--benchmarks 30] [--queries 400] [--charts 40]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from _stats import percentile
from aiprogress.core.clock import FixedClock
from aiprogress.core.errors import AmbiguousModel, ModelNotFound
from aiprogress.core.registry import ModelRegistry
from aiprogress.core.types import Language, Metric, ModelFact, ModelInfo
from aiprogress.digest.chart import render_comparison_chart
from aiprogress.digest.compare import compare_models
from aiprogress.digest.compare_render import render_comparison_text
from aiprogress.sources.names import ModelIndex
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import upgrade
from aiprogress.storage.store import SqlStore

VENDORS = ["openai", "anthropic", "google", "xai", "deepseek", "mistral", "meta", "qwen"]
FAMILIES = ["nova", "atlas", "orion", "lyra", "vega", "draco", "cygnus", "hydra", "pavo", "ara"]
SIZES = ["mini", "pro", "flash", "ultra", "lite", "max", "turbo", "nano", ""]


def synthetic_registry(
    n_models: int, n_benchmarks: int, rng: random.Random
) -> tuple[list[ModelInfo], list[ModelFact]]:
    models: list[ModelInfo] = []
    facts: list[ModelFact] = []
    benchmarks = [f"Bench-{i:02d}" for i in range(n_benchmarks)]
    url = "https://example.org/bench"
    day = date(2026, 1, 1)
    for i in range(n_models):
        vendor = VENDORS[i % len(VENDORS)]
        family = FAMILIES[(i // len(VENDORS)) % len(FAMILIES)]
        version = f"{1 + i // 80}.{i % 10}"
        size = SIZES[(i // 7) % len(SIZES)]
        display = " ".join(p for p in (family.title(), version, size.title()) if p)
        slug = "-".join(p for p in (family, version, size) if p)
        model = ModelInfo(
            canonical_id=f"{vendor}/{slug}-{i}",
            display_name=f"{display} #{i}",
            vendor=vendor,
            release_date=day - timedelta(days=i % 700),
            aliases=(f"{slug}-{i}", f"{family}{version}{size}{i}"),
        )
        models.append(model)
        facts.append(
            ModelFact(
                model.canonical_id,
                Metric.PRICE_INPUT,
                round(rng.uniform(0.1, 80), 2),
                "USD/1M tokens",
                day,
                "Bench",
                url,
            )
        )
        facts.append(
            ModelFact(
                model.canonical_id,
                Metric.PRICE_OUTPUT,
                round(rng.uniform(0.4, 160), 2),
                "USD/1M tokens",
                day,
                "Bench",
                url,
            )
        )
        facts.append(
            ModelFact(
                model.canonical_id,
                Metric.CONTEXT_WINDOW,
                rng.choice([32768, 128000, 200000, 1048576]),
                "tokens",
                day,
                "Bench",
                url,
            )
        )
        for name in benchmarks:
            if rng.random() < 0.9:
                facts.append(
                    ModelFact(
                        model.canonical_id,
                        name,
                        round(rng.uniform(10, 95), 1),
                        "%",
                        day,
                        "Bench",
                        url,
                    )
                )
    return models, facts


def queries(
    models: Sequence[ModelInfo], count: int, rng: random.Random
) -> list[tuple[str, str, tuple[str, str]]]:
    """Pairs of names as users type them (exact aliases, loose spacing and case, one typo),
    with the models they mean."""
    pairs = []
    for n in range(count):
        a, b = rng.sample(list(models), 2)
        meant = (a.canonical_id, b.canonical_id)
        style = n % 3
        if style == 0:
            pairs.append((a.aliases[0], b.aliases[0], meant))
        elif style == 1:
            pairs.append((a.display_name.upper(), b.aliases[1].replace(".", " "), meant))
        else:
            alias = a.aliases[0]
            typo = alias[:3] + alias[4:] if len(alias) > 6 else alias
            pairs.append((typo, b.canonical_id, meant))
    return pairs


async def timed(samples: list[float], work: Callable[[], Awaitable[object]]) -> None:
    start = time.perf_counter()
    await work()
    samples.append((time.perf_counter() - start) * 1000)


async def main(args: argparse.Namespace) -> None:
    rng = random.Random(42)  # reproducible synthetic data
    models, facts = synthetic_registry(args.models, args.benchmarks, rng)
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(create_engine(f"sqlite:///{Path(folder) / 'bench.db'}"))
        await upgrade(store.engine)
        now = datetime(2026, 1, 2, tzinfo=UTC)
        started = time.perf_counter()
        await store.models.apply_import(
            models=models,
            aliases=[(alias, m.canonical_id) for m in models for alias in m.aliases],
            facts=facts,
            events=[],
            now=now,
        )
        load_s = time.perf_counter() - started
        registry = ModelRegistry(
            store=store, clock=FixedClock(now), index_factory=ModelIndex, analyst=compare_models
        )
        await registry.index()  # built once, as a running bot has it
        pairs = queries(models, args.queries, rng)

        ours: list[float] = []
        unresolved = 0
        wrong = 0
        for a, b, meant in pairs:

            async def resolve_and_compare(
                a: str = a, b: str = b, meant: tuple[str, str] = meant
            ) -> object:
                nonlocal unresolved, wrong
                try:
                    comparison = await registry.compare([a, b])
                    wrong += tuple(m.canonical_id for m in comparison.models) != meant
                except (AmbiguousModel, ModelNotFound):
                    # A typo answered with candidates is an answer too; it is counted.
                    unresolved += 1
                    return None
                return render_comparison_text(comparison, Language.RU)

            await timed(ours, resolve_and_compare)

        # Baseline: a plain fuzzy lookup over every alias, then the same facts read and text.
        choices = [
            utils.default_process(x)
            for m in models
            for x in (m.canonical_id, m.display_name, *m.aliases)
        ]
        owners = [m for m in models for _ in range(2 + len(m.aliases))]
        baseline: list[float] = []
        for a, b, _ in pairs:

            async def fuzzy_then_compare(a: str = a, b: str = b) -> object:
                picked = []
                for name in (a, b):
                    hit = process.extractOne(
                        utils.default_process(name), choices, scorer=fuzz.WRatio, processor=None
                    )
                    assert hit is not None
                    picked.append(owners[hit[2]])
                rows = await store.models.facts([m.canonical_id for m in picked])
                return render_comparison_text(compare_models(picked, rows), Language.RU)

            await timed(baseline, fuzzy_then_compare)

        comparison = await registry.compare([models[0].aliases[0], models[1].aliases[0]])
        charts: list[float] = []
        for _ in range(args.charts):
            start = time.perf_counter()
            render_comparison_chart(comparison, Language.RU)
            charts.append((time.perf_counter() - start) * 1000)
        await store.close()

    print(
        f"registry: {args.models} models x {args.benchmarks} benchmarks, {len(facts)} facts (written in {load_s:.1f} s)"
    )
    print(
        f"queries: {len(pairs)} pairs (exact, loose, typo); {unresolved} answered with candidates instead of a match, {wrong} resolved to another model"
    )
    print(
        f"resolve+compare+text (ours):     p50 {percentile(ours, 0.5):6.2f} ms   p99 {percentile(ours, 0.99):6.2f} ms   (target p99 <= 20 ms)"
    )
    print(
        f"baseline: fuzzy over all aliases p50 {percentile(baseline, 0.5):6.2f} ms   p99 {percentile(baseline, 0.99):6.2f} ms"
    )
    print(f"ours / baseline at p50: {percentile(ours, 0.5) / percentile(baseline, 0.5):.2f}")
    print(
        f"chart PNG:                       p50 {percentile(charts, 0.5):6.1f} ms   p99 {percentile(charts, 0.99):6.1f} ms   (target p99 <= 300 ms)"
    )
    print(f"mean chart {statistics.mean(charts):.1f} ms over {len(charts)} renders")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--benchmarks", type=int, default=30)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--charts", type=int, default=40)
    asyncio.run(main(parser.parse_args()))
