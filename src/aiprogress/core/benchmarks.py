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

import math
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
    # The questions (tasks, problems) in the test as its registered name means it, where that is
    # one fixed set: what a score's sampling error follows (`noise_margin`). None where the set
    # changes from release to release (LiveCodeBench) or the score is not a share of them.
    items: int | None = None


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "gpqa_diamond",
        "GPQA Diamond",
        aliases=("GPQA diamond", "gpqa-diamond"),
        chance=25.0,
        items=198,
    ),
    Benchmark("gpqa", "GPQA", chance=25.0, items=448),
    Benchmark("mmlu", "MMLU", chance=25.0, items=14042),
    Benchmark("mmlu_pro", "MMLU-Pro", aliases=("MMLU Pro", "mmlu-pro"), chance=10.0, items=12032),
    Benchmark("mmlu_redux", "MMLU-Redux", chance=25.0),
    Benchmark("mmmlu", "MMMLU", chance=25.0),
    Benchmark(
        "swe_bench_verified", "SWE-bench Verified", aliases=("SWE-Bench verified",), items=500
    ),
    Benchmark("livecodebench", "LiveCodeBench"),
    Benchmark("humaneval", "HumanEval", items=164),
    Benchmark(
        "aider_polyglot",
        "Aider Polyglot",
        aliases=("Aider-Polyglot", "aider-polyglot"),
        items=225,
    ),
    Benchmark("aider_code_editing", "Aider Code Editing", items=133),
    Benchmark("aime_2024", "AIME 2024", aliases=("aime-2024",), items=30),
    Benchmark("aime_2025", "AIME 2025", aliases=("aime-2025",), items=30),
    Benchmark("math", "MATH", items=5000),
    Benchmark("math_level_5", "MATH Level 5", aliases=("MATH level 5",), items=1324),
    Benchmark("math_500", "MATH-500", items=500),
    Benchmark("hle", "Humanity's Last Exam", aliases=("humanity's-last-exam", "HLE")),
    Benchmark("arena_elo", "Arena Elo", unit=Unit.ELO),
    Benchmark(
        "multichallenge",
        "MultiChallenge",
        aliases=("Scale MultiChallenge", "scale-multichallenge", "multichallenge"),
        items=273,
    ),
    Benchmark("simpleqa", "SimpleQA", items=4326),
    Benchmark("ifeval", "IFEval", items=541),
    Benchmark("mmmu", "MMMU"),
    Benchmark("mathvista", "MathVista"),
    Benchmark("drop", "DROP"),
    Benchmark("mgsm", "MGSM"),
    Benchmark("gsm8k", "GSM8k", aliases=("GSM8K",), items=1319),
    Benchmark("tau_bench_airline", "TAU-bench Airline", items=50),
    Benchmark("tau_bench_retail", "TAU-bench Retail", items=115),
    Benchmark("frontiermath_public", "FrontierMath (2025-02-28, public set)", items=10),
    Benchmark("frontiermath_private", "FrontierMath (2025-02-28, private set)", items=290),
    Benchmark("otis_aime", "OTIS Mock AIME 2024-2025", items=45),
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


# LMArena's 95% confidence intervals are ±5 Elo at the median in both recorded leaderboards
# (2025-03-28 and 2025-08-04; ±4 to ±9 between the quartiles). The difference of two ratings
# each known to ±5 is known to about ±5·√2: GPT-4o-mini's 1288 against GPT-4o's 1285 (each
# +3/-3) is no lead.
ELO_MARGIN = 7.0
_Z95 = 1.96


def noise_margin(metric: str, unit: str, a: float, b: float) -> float | None:
    """How far apart two models' scores must be, in the metric's unit, before one is ahead
    rather than within the noise (95%): for a share of a fixed set of questions, the sampling
    error of the difference of two proportions over its `items` (GPQA Diamond's 198 questions
    make 81.8% against 79.6% a tie, ±7.7 points); for Arena Elo, `ELO_MARGIN`. None where the
    benchmark's size is not known."""
    if unit == Unit.ELO:
        return ELO_MARGIN
    found = canonical_benchmark(metric)
    if unit != Unit.PERCENT or found is None or found.items is None:
        return None
    # Agresti and Caffo's interval: one success and one failure added to each model's run, so
    # a score of 0 on a 10-problem set is not taken as known exactly (o3-mini's 4 of 10
    # against o1's 0 of 10 on FrontierMath's public set is ±32 points, not ±30).
    n = found.items + 2
    p, q = ((min(max(v / 100.0, 0.0), 1.0) * found.items + 1) / n for v in (a, b))
    return _Z95 * math.sqrt((p * (1 - p) + q * (1 - q)) / n) * 100.0


# Below this many questions a benchmark's difference is too coarse to be what a comparison
# leads with: 4 of FrontierMath's 10 public problems against none is "+40 points".
HEADLINE_MIN_ITEMS = 30


def too_small_to_headline(metric: str) -> bool:
    found = canonical_benchmark(metric)
    return found is not None and found.items is not None and found.items < HEADLINE_MIN_ITEMS


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
