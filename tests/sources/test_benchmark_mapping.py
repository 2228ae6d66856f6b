"""Each source's names onto the canonical benchmarks, and settings taken out of model ids and
run labels: one test per rule, on names the recorded files use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiprogress.core.benchmarks import BENCHMARKS, canonical_benchmark, canonical_name
from aiprogress.sources.importers._settings import (
    settings_from_method,
    split_epoch_id,
    split_openrouter_id,
    split_quantisation,
    split_run_label,
)
from aiprogress.sources.importers.catalogue import load_models_dev
from aiprogress.sources.importers.llmstats import (
    DROP_PLACEHOLDER,
    DROP_UNVERIFIED,
    LlmStatsRow,
    LlmStatsScore,
    map_row,
)

# Recorded LLM Stats rows (../shared/fixtures/models/llm-stats), copied into the curated seed.
SEED = Path(__file__).parents[2] / "src/aiprogress/sources/data/seed_models.json"


def llm_stats_row(model: str, benchmark_id: str) -> LlmStatsRow:
    for fact in json.loads(SEED.read_bytes())["facts"]:
        raw = fact.get("llm_stats")
        if raw and raw["model_id"] == model and raw["benchmark_id"] == benchmark_id:
            return LlmStatsRow(
                model_id=raw["model_id"],
                benchmark_id=raw["benchmark_id"],
                benchmark_name=raw["benchmark_name"],
                analysis_method=raw["analysis_method"],
                is_self_reported=raw["is_self_reported"],
                verified=raw["verified_by_llmstats"],
                source_link=raw["self_reported_source_link"],
            )
    raise AssertionError(f"no LLM Stats row {model} {benchmark_id}")


def test_benchmark_ids_and_names_are_unique() -> None:
    assert len({b.id for b in BENCHMARKS}) == len(BENCHMARKS)
    assert len({b.name for b in BENCHMARKS}) == len(BENCHMARKS)
    for benchmark in BENCHMARKS:
        assert canonical_benchmark(benchmark.name) is benchmark
        for alias in benchmark.aliases:
            assert canonical_benchmark(alias) is benchmark, alias


@pytest.mark.parametrize(
    ("source_name", "ours"),
    [
        ("GPQA diamond", "GPQA Diamond"),  # Epoch
        ("SWE-Bench verified", "SWE-bench Verified"),  # Epoch
        ("MATH level 5", "MATH Level 5"),  # Epoch
        ("Scale MultiChallenge", "MultiChallenge"),  # LLM Stats
        ("MMLU Pro", "MMLU-Pro"),
        ("GPQA", "GPQA"),  # LLM Stats' 448-question set is not Diamond by name alone
        ("MATH", "MATH"),  # not MATH Level 5
        ("Some new task", "Some new task"),  # unregistered: kept as the source names it
    ],
)
def test_source_names_map_onto_canonical_benchmarks(source_name: str, ours: str) -> None:
    assert canonical_name(source_name) == ours


@pytest.mark.parametrize(
    ("model", "benchmark_id", "expected"),
    [
        # "Accuracy (Diamond)": GPQA Diamond, the vendor's page as source.
        (
            "gpt-4.5",
            "gpqa",
            LlmStatsScore("GPQA Diamond", "", "https://openai.com/index/gpt-4-1/"),
        ),
        # "GPT-4o - Diamond no thinking no tools": Diamond, default run.
        (
            "gpt-4o-2024-08-06",
            "gpqa",
            LlmStatsScore("GPQA Diamond", "", "https://openai.com/index/gpt-5/"),
        ),
        # "Maj@32 5-shot CoT" from Anthropic's model card addendum, which reports GPQA Diamond
        # (the method does not say it; the page does); the settings are data, shots first.
        (
            "claude-3-5-sonnet-20241022",
            "gpqa",
            LlmStatsScore(
                "GPQA Diamond",
                "5-shot, maj@32",
                "https://www-cdn.anthropic.com/fed9cc193a14b84131812372d8d5857f8f304c52/Model_Card_Claude_3_Addendum.pdf",
            ),
        ),
        (
            "claude-3-7-sonnet-20250219",
            "swe-bench-verified",
            LlmStatsScore(
                "SWE-bench Verified",
                "parallel attempts, scaffolding",
                "https://www.anthropic.com/news/claude-3-7-sonnet",
            ),
        ),
        (
            "gpt-4o-2024-08-06",
            "scale-multichallenge",
            LlmStatsScore("MultiChallenge", "", "https://openai.com/index/gpt-5/"),
        ),
        (
            "gpt-4o-2024-08-06",
            "multichallenge-(o3-mini-grader)",
            LlmStatsScore("MultiChallenge", "o3-mini grader", "https://openai.com/index/gpt-4-1/"),
        ),
        (
            "gpt-4o-2024-08-06",
            "aider-polyglot",
            LlmStatsScore(
                "Aider Polyglot", "whole edit format", "https://openai.com/index/gpt-4-1/"
            ),
        ),
        (
            "gpt-4o-2024-08-06",
            "aider-polyglot-edit",
            LlmStatsScore(
                "Aider Polyglot", "diff edit format", "https://openai.com/index/gpt-4-1/"
            ),
        ),
        # xAI's Grok 3 post: LLM Stats' `grok-3` rows are its "Grok 3 (Think)" column, and its
        # GPQA is the Diamond set; the AIME 2025 figure is a consensus of 64 samples.
        (
            "grok-3",
            "gpqa",
            LlmStatsScore("GPQA Diamond", "thinking", "https://x.ai/blog/grok-3"),
        ),
        (
            "grok-3",
            "livecodebench",
            LlmStatsScore("LiveCodeBench", "thinking", "https://x.ai/blog/grok-3"),
        ),
        (
            "grok-3",
            "aime-2024",
            LlmStatsScore("AIME 2024", "thinking", "https://x.ai/blog/grok-3"),
        ),
        (
            "grok-3",
            "aime-2025",
            LlmStatsScore("AIME 2025", "thinking, cons@64", "https://x.ai/blog/grok-3"),
        ),
        (
            "grok-3",
            "mmmu",
            LlmStatsScore("MMMU", "thinking", "https://x.ai/blog/grok-3"),
        ),
        # The vendors' pages report GPQA Diamond; the rows' methods do not say so.
        (
            "grok-2",
            "gpqa",
            LlmStatsScore("GPQA Diamond", "", "https://x.ai/blog/grok-2"),
        ),
        (
            "deepseek-v3",
            "gpqa",
            LlmStatsScore("GPQA Diamond", "", "https://github.com/deepseek-ai/DeepSeek-V3"),
        ),
        (
            "gemini-2.0-flash",
            "gpqa",
            LlmStatsScore(
                "GPQA Diamond",
                "",
                "https://blog.google/technology/google-deepmind/google-gemini-ai-update-december-2024/",
            ),
        ),
        (
            "gemini-1.5-pro",
            "gpqa",
            LlmStatsScore("GPQA Diamond", "", "https://deepmind.google/technologies/gemini/pro/"),
        ),
        # DeepSeek-V3's README: "Aider-Edit" 79.7 is Aider's older code-editing benchmark.
        (
            "deepseek-v3",
            "aider-polyglot-edit",
            LlmStatsScore("Aider Code Editing", "", "https://github.com/deepseek-ai/DeepSeek-V3"),
        ),
        # Its "Aider-Polyglot" 49.6 stays.
        (
            "deepseek-v3",
            "aider-polyglot",
            LlmStatsScore(
                "Aider Polyglot", "whole edit format", "https://github.com/deepseek-ai/DeepSeek-V3"
            ),
        ),
    ],
)
def test_llm_stats_rows_map_to_benchmark_setting_and_vendor_page(
    model: str, benchmark_id: str, expected: LlmStatsScore
) -> None:
    row = llm_stats_row(model, benchmark_id)
    mapped = map_row(row)
    if isinstance(mapped, LlmStatsScore) and expected.source_url.endswith(".pdf"):
        expected = LlmStatsScore(expected.metric, expected.setting, row.source_link)
    assert mapped == expected


def test_llm_stats_placeholder_and_unverified_rows_are_refused() -> None:
    # GPT-3.5 Turbo's rows: not self-reported, unverified, https://example.com/benchmark-image.
    assert map_row(llm_stats_row("gpt-3.5-turbo-0125", "humaneval")) == DROP_PLACEHOLDER
    row = llm_stats_row("gpt-4.5", "gpqa")
    unverified = LlmStatsRow(
        row.model_id,
        row.benchmark_id,
        row.benchmark_name,
        row.analysis_method,
        False,
        False,
        row.source_link,
    )
    assert map_row(unverified) == DROP_UNVERIFIED


def test_llm_stats_setting_known_from_the_vendor_page_is_added() -> None:
    mapped = map_row(
        llm_stats_row("claude-3-7-sonnet-20250219", "gpqa"), extra_setting="extended thinking"
    )
    assert isinstance(mapped, LlmStatsScore)
    assert (mapped.metric, mapped.setting) == ("GPQA Diamond", "extended thinking")


@pytest.mark.parametrize(
    ("method", "setting"),
    [
        ("0-shot CoT", ""),
        ("5-shot", "5-shot"),
        ("Pass@1", ""),
        ("Cons@64", "cons@64"),
        ("Pass@1, Thinking mode", "thinking"),
        ("Pass@1, Non-Thinking mode", ""),
        ("GPT-4o without thinking mode (no tools) - Full set", ""),
        ("With prompt addendum to better utilize planning", "prompt addendum"),
        ("Parallel test-time compute (footnotes 4, 5)", "parallel attempts"),
        ("o3-mini high", "high effort"),
        ("Extended thinking with tool use (up to 64K tokens)", "thinking, tools"),
    ],
)
def test_settings_from_a_method_note(method: str, setting: str) -> None:
    assert settings_from_method(method) == setting


@pytest.mark.parametrize(
    ("epoch_id", "expected"),
    [
        ("o1-2024-12-17_high", ("o1-2024-12-17", "high effort")),
        ("o1-2024-12-17_medium", ("o1-2024-12-17", "")),  # OpenAI's default effort
        ("o3-mini-2025-01-31_low", ("o3-mini-2025-01-31", "low effort")),
        ("grok-3-mini-beta_high", ("grok-3-mini-beta", "high effort")),
        ("claude-3-7-sonnet-20250219_64K", ("claude-3-7-sonnet-20250219", "64k thinking")),
        ("gpt-4o-2024-08-06", ("gpt-4o-2024-08-06", "")),
        ("Phi-3-medium-128k-instruct", ("Phi-3-medium-128k-instruct", "")),
    ],
)
def test_epoch_suffixes(epoch_id: str, expected: tuple[str, str]) -> None:
    assert split_epoch_id(epoch_id) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("o3-mini (high)", ("o3-mini", "high effort")),
        ("o3-mini (medium)", ("o3-mini", "")),
        ("claude-3-7-sonnet-20250219 (no thinking)", ("claude-3-7-sonnet-20250219", "")),
        (
            "claude-3-7-sonnet-20250219 (32k thinking tokens)",
            ("claude-3-7-sonnet-20250219", "32k thinking"),
        ),
        ("Claude 3.7 Sonnet (thinking-32k)", ("Claude 3.7 Sonnet", "32k thinking")),
        ("DeepSeek V3 (0324)", ("DeepSeek V3 (0324)", "")),
        ("DeepSeek Chat V3 (prev)", ("DeepSeek Chat V3 (prev)", "")),
        ("Claude 3.5 Sonnet (20241022)", ("Claude 3.5 Sonnet (20241022)", "")),
    ],
)
def test_run_labels(label: str, expected: tuple[str, str]) -> None:
    assert split_run_label(label) == expected


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("Meta-Llama-3.1-405B-Instruct-bf16", ("Meta-Llama-3.1-405B-Instruct", "")),
        ("Meta-Llama-3.1-405B-Instruct-fp8", ("Meta-Llama-3.1-405B-Instruct", "fp8")),
        ("Meta-Llama-3.1-70B-Instruct", ("Meta-Llama-3.1-70B-Instruct", "")),
    ],
)
def test_quantisation_suffixes(model_id: str, expected: tuple[str, str]) -> None:
    assert split_quantisation(model_id) == expected


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("anthropic/claude-3.7-sonnet:thinking", ("anthropic/claude-3.7-sonnet", "thinking")),
        ("deepseek/deepseek-r1:free", ("deepseek/deepseek-r1", "free endpoint")),
        ("openai/gpt-4o", ("openai/gpt-4o", "")),
    ],
)
def test_openrouter_variants(model_id: str, expected: tuple[str, str]) -> None:
    assert split_openrouter_id(model_id) == expected


def test_models_dev_benchmarks_that_quote_aider_are_copies() -> None:
    batch = load_models_dev()
    quoted = [
        f
        for f in batch.facts
        if f.model_id == "anthropic/claude-3-7-sonnet-20250219" and f.metric == "Aider Polyglot"
    ]
    assert [(f.value, f.copy_of) for f in quoted] == [(64.9, "Aider polyglot leaderboard")]
