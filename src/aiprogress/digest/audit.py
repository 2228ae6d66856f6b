"""How honest a comparison is, counted: the measure of `aiprogress models audit`.

For each compared pair, from the comparison and every fact the knowledge base holds about the
two models:
- `rows`: rows where both models have a value;
- `cross_source_unlabelled`: rows whose values come from different sources without saying so,
  or said to be cross-source although one source covers both models;
- `duplicated`: extra rows of one benchmark (two names of one canonical benchmark);
- `variant_on_plain`: values shown as the plain model's that the knowledge base only has under
  a setting (a thinking run, a free endpoint);
- `disagreeing` / `disagreeing_unshown`: rows where another source's value for the same model
  and setting differs beyond the thresholds, and of those, rows that do not say so;
- `bad_wording`: "×0", "×1" or a bare "(×…)" multiple in the text (RU or EN), and any "×" in
  the Russian text, which says multiples in words ("в 12,5 раза дороже").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from aiprogress.core.benchmarks import benchmark_key, canonical_benchmark
from aiprogress.core.comparison import Comparison, MetricComparison, MetricKind
from aiprogress.core.types import Language, ModelFact
from aiprogress.digest.compare import disagrees, without_shadowed_copies
from aiprogress.digest.compare_render import render_comparison_text

# The seed post's pairs, and two more that test snapshots, settings and fine-tunes.
SEED_PAIRS: tuple[tuple[str, str], ...] = (
    ("gpt-4.5", "gpt-4o"),
    ("claude 3.7 sonnet", "claude 3.5 sonnet"),
    ("gemini 2.0 pro", "gemini 2.0 flash"),
    ("gemini 2.0 flash", "gemini 1.5 pro"),
    ("grok 3", "grok 2"),
    ("gpt-4", "gpt-3.5 turbo"),
    ("o1", "deepseek-r1"),
    ("llama 3.1 405b", "llama 3.1 70b"),
)

_BAD_WORDING = re.compile(r"×\s?0(?![0-9])|×\s?1(?![0-9.,])|\(×")


@dataclass(frozen=True, slots=True)
class PairAudit:
    models: tuple[str, ...]
    rows: int = 0
    cross_source_unlabelled: int = 0
    duplicated: int = 0
    variant_on_plain: int = 0
    disagreeing: int = 0
    disagreeing_unshown: int = 0
    bad_wording: int = 0

    @property
    def problems(self) -> int:
        return (
            self.cross_source_unlabelled
            + self.duplicated
            + self.variant_on_plain
            + self.disagreeing_unshown
            + self.bad_wording
        )


COUNTS = (
    "rows",
    "cross_source_unlabelled",
    "duplicated",
    "variant_on_plain",
    "disagreeing",
    "disagreeing_unshown",
    "bad_wording",
)


def _benchmark_id(metric: str) -> str:
    found = canonical_benchmark(metric)
    return found.id if found is not None else benchmark_key(metric)


def _covering_source_exists(
    row: MetricComparison, ids: Sequence[str], facts: Sequence[ModelFact]
) -> bool:
    covered: dict[str, set[str]] = defaultdict(set)
    for fact in facts:
        if fact.metric == row.metric:
            covered[fact.source_name].add(fact.model_id)
    return any(models >= set(ids) for models in covered.values())


def audit_comparison(comparison: Comparison, facts: Sequence[ModelFact]) -> PairAudit:
    ids = [m.canonical_id for m in comparison.models]
    usable = without_shadowed_copies([f for f in facts if f.model_id in ids])
    rows = [r for r in comparison.metrics if sum(v is not None for v in r.values) >= 2]
    duplicated = sum(n - 1 for n in Counter(_benchmark_id(r.metric) for r in rows).values())
    cross = 0
    variant = 0
    disagreeing = 0
    unshown = 0
    for row in rows:
        sources = {v.source_name for v in row.values if v is not None}
        # A limit's row takes each model's most trusted source by design (`compare._select`).
        if (len(sources) > 1 and not row.cross_source) or (
            row.cross_source
            and row.kind is not MetricKind.CONTEXT
            and _covering_source_exists(row, ids, usable)
        ):
            cross += 1
        said = {(d.model_index, d.value.source_name) for d in row.disagreements}
        row_disagrees = row_unshown = False
        for index, ref in enumerate(row.values):
            if ref is None:
                continue
            model_id = ids[index]
            same = [
                f
                for f in usable
                if f.model_id == model_id
                and f.metric == row.metric
                and f.value == ref.value
                and f.source_name == ref.source_name
                and f.as_of == ref.as_of
            ]
            if not ref.setting and same and all(f.setting for f in same):
                variant += 1
            newest: dict[str, ModelFact] = {}
            for fact in usable:
                if (
                    fact.model_id == model_id
                    and fact.metric == row.metric
                    and fact.setting == ref.setting
                    and fact.unit == ref.unit
                    and fact.source_name != ref.source_name
                ):
                    kept = newest.get(fact.source_name)
                    if kept is None or fact.as_of > kept.as_of:
                        newest[fact.source_name] = fact
            for name, fact in newest.items():
                if disagrees(ref.value, fact.value, ref.unit):
                    row_disagrees = True
                    if (index, name) not in said:
                        row_unshown = True
        disagreeing += row_disagrees
        unshown += row_unshown
    wording = sum(
        len(_BAD_WORDING.findall(render_comparison_text(comparison, language)))
        for language in Language
    ) + render_comparison_text(comparison, Language.RU).count("×")
    return PairAudit(
        models=tuple(m.display_name for m in comparison.models),
        rows=len(rows),
        cross_source_unlabelled=cross,
        duplicated=duplicated,
        variant_on_plain=variant,
        disagreeing=disagreeing,
        disagreeing_unshown=unshown,
        bad_wording=wording,
    )


def total(audits: Sequence[PairAudit]) -> PairAudit:
    return PairAudit(
        models=("total",),
        **{name: sum(getattr(a, name) for a in audits) for name in COUNTS},
    )
