"""The canonical benchmarks: one entry per benchmark, whatever each source calls it.

A fact's `metric` holds a benchmark's canonical `name` ("GPQA Diamond"); importers map their
source's names onto it with `canonical_benchmark`. What changes a score without changing the
benchmark (shots, maj@k, a thinking budget, reasoning effort, scaffolding, tools, an edit format)
is not part of the name: it is the fact's `setting` (empty for the benchmark's default run), so
"GPQA" with "Diamond, extended thinking" and Epoch's "GPQA diamond" are one benchmark, and a
comparison shows it once.

Benchmarks that only look alike stay apart: "GPQA" (LLM Stats' 448-question set) is not GPQA
Diamond, "MATH" (the 5,000-problem test) is not "MATH Level 5" or "MATH-500", and Aider's older
"Aider Code Editing" is not "Aider Polyglot".
"""

from __future__ import annotations

import re

from aiprogress.core.types import Unit, value_type


@value_type
class Benchmark:
    id: str
    name: str  # what facts store in `metric` and readers see
    unit: str = Unit.PERCENT
    higher_is_better: bool = True
    # Other spellings sources use, matched after lower-casing and dropping punctuation.
    aliases: tuple[str, ...] = ()
    # The score of guessing, in the benchmark's unit, for a test of multiple-choice questions
    # with a fixed number of options (one in four for GPQA and MMLU, one in ten for MMLU-Pro);
    # None where guessing scores nothing to speak of.
    chance: float | None = None


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "gpqa_diamond", "GPQA Diamond", aliases=("GPQA diamond", "gpqa-diamond"), chance=25.0
    ),
    Benchmark("gpqa", "GPQA", chance=25.0),
    Benchmark("mmlu", "MMLU", chance=25.0),
    Benchmark("mmlu_pro", "MMLU-Pro", aliases=("MMLU Pro", "mmlu-pro"), chance=10.0),
    Benchmark("mmlu_redux", "MMLU-Redux", chance=25.0),
    Benchmark("mmmlu", "MMMLU", chance=25.0),
    Benchmark("swe_bench_verified", "SWE-bench Verified", aliases=("SWE-Bench verified",)),
    Benchmark("livecodebench", "LiveCodeBench"),
    Benchmark("humaneval", "HumanEval"),
    Benchmark("aider_polyglot", "Aider Polyglot", aliases=("Aider-Polyglot", "aider-polyglot")),
    Benchmark("aider_code_editing", "Aider Code Editing"),
    Benchmark("aime_2024", "AIME 2024", aliases=("aime-2024",)),
    Benchmark("aime_2025", "AIME 2025", aliases=("aime-2025",)),
    Benchmark("math", "MATH"),
    Benchmark("math_level_5", "MATH Level 5", aliases=("MATH level 5",)),
    Benchmark("math_500", "MATH-500"),
    Benchmark("hle", "Humanity's Last Exam", aliases=("humanity's-last-exam", "HLE")),
    Benchmark("arena_elo", "Arena Elo", unit=Unit.ELO),
    Benchmark(
        "multichallenge",
        "MultiChallenge",
        aliases=("Scale MultiChallenge", "scale-multichallenge", "multichallenge"),
    ),
    Benchmark("simpleqa", "SimpleQA"),
    Benchmark("ifeval", "IFEval"),
    Benchmark("mmmu", "MMMU"),
    Benchmark("mathvista", "MathVista"),
    Benchmark("drop", "DROP"),
    Benchmark("mgsm", "MGSM"),
    Benchmark("gsm8k", "GSM8k", aliases=("GSM8K",)),
    Benchmark("tau_bench_airline", "TAU-bench Airline"),
    Benchmark("tau_bench_retail", "TAU-bench Retail"),
    Benchmark("frontiermath_public", "FrontierMath (2025-02-28, public set)"),
    Benchmark("frontiermath_private", "FrontierMath (2025-02-28, private set)"),
    Benchmark("otis_aime", "OTIS Mock AIME 2024-2025"),
    Benchmark(
        "aa_coding_index",
        "Artificial Analysis Coding Index",
        unit=Unit.POINTS,
        aliases=("AA Coding",),
    ),
    Benchmark("fleurs", "FLEURS", higher_is_better=False),  # a word error rate
)

_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def benchmark_key(name: str) -> str:
    """'SWE-Bench verified' and 'swe bench verified' share one key."""
    return _PUNCTUATION.sub("", name.lower())


_BY_KEY: dict[str, Benchmark] = {}
for _benchmark in BENCHMARKS:
    for _name in (_benchmark.name, _benchmark.id, *_benchmark.aliases):
        _BY_KEY.setdefault(benchmark_key(_name), _benchmark)


def canonical_benchmark(name: str) -> Benchmark | None:
    """The registered benchmark a source's name means, or None for one not registered (its
    facts keep the source's name, and a comparison shows them under it)."""
    return _BY_KEY.get(benchmark_key(name))


def canonical_name(name: str) -> str:
    """The name a fact stores: the registered benchmark's, else the source's own."""
    found = canonical_benchmark(name)
    return found.name if found is not None else name.strip()


# How far above its chance level a score must be to say something of a model: GPT-3.5 Turbo's
# 27.18% on GPQA Diamond is a guess's 25% and a bit, and GPT-4's +3.47 over it no jump at all.
CHANCE_MARGIN = 5.0  # points


def near_chance(metric: str, value: float) -> bool:
    """Whether a score is within `CHANCE_MARGIN` of its benchmark's chance level (or below it)."""
    found = canonical_benchmark(metric)
    return found is not None and found.chance is not None and value <= found.chance + CHANCE_MARGIN


def chance_level(metric: str) -> float | None:
    """The benchmark's chance level (25.0 for GPQA Diamond), None where guessing scores nothing
    to speak of or the benchmark is not registered."""
    found = canonical_benchmark(metric)
    return found.chance if found is not None else None


def higher_is_better(metric: str) -> bool:
    found = canonical_benchmark(metric)
    return True if found is None else found.higher_is_better


def join_settings(*parts: str) -> str:
    """Settings in one label, each once, in the order given: '64K thinking, high effort'."""
    seen: dict[str, None] = {}
    for part in parts:
        for piece in part.split(","):
            if piece.strip():
                seen.setdefault(piece.strip(), None)
    return ", ".join(seen)
