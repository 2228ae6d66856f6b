"""Pairs users ask `/compare` about, on the bundled data as a fresh install imports it, each
figure read back from the recorded file it comes from (the bundled snapshots are byte copies of
../shared/fixtures/models, see sources/data/snapshots/ORIGIN.md)."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from aiprogress.core.clock import FixedClock
from aiprogress.core.comparison import Comparison
from aiprogress.core.errors import AmbiguousModel, ModelNotFound
from aiprogress.core.types import Language, Metric, ModelFact, ModelInfo, Unit
from aiprogress.digest.compare import compare_models, fair, headline
from aiprogress.digest.compare_render import comparison_to_json, render_comparison_text
from aiprogress.sources.names import ModelIndex
from tests.builders import make_registry
from tests.conftest import Bundled
from tests.digest.test_compare_seed_pairs import epoch_best, lmarena

SNAPSHOTS = Path(__file__).parents[2] / "src/aiprogress/sources/data/snapshots"
NOW = datetime(2026, 8, 15, tzinfo=UTC)
URL = "https://example.org/source"
A = ModelInfo("lab/a", "Model A", "Lab", release_date=date(2025, 1, 1))
B = ModelInfo("lab/b", "Model B", "Lab", release_date=date(2024, 1, 1))


def fact(model: ModelInfo, metric: str, value: float, unit: str = Unit.PERCENT) -> ModelFact:
    return ModelFact(model.canonical_id, metric, value, unit, date(2025, 3, 1), "Test", URL)


def shown(comparison: Comparison, metric: str) -> list[float | None]:
    row = comparison.metric(metric)
    assert row is not None, metric
    return [v.value if v is not None else None for v in row.values]


def test_a_dated_name_finds_its_own_model_before_the_bare_one() -> None:
    """The most specific key first: `mistral/mistral-large-2411` is Mistral Large 2411 where the
    index holds it; only a stamp no model is named by falls back to the bare name."""
    index = ModelIndex(
        [
            ModelInfo("mistralai/mistral-large", "Mistral Large", "Mistral"),
            ModelInfo("mistralai/mistral-large-2411", "Mistral Large 2411", "Mistral"),
        ]
    )
    assert [m.canonical_id for m in index.exact("mistral/mistral-large-2411")] == [
        "mistralai/mistral-large-2411"
    ]
    assert [m.canonical_id for m in index.exact("mistral-large-2411")] == [
        "mistralai/mistral-large-2411"
    ]
    assert [m.canonical_id for m in index.exact("mistral/mistral-large-2402")] == [
        "mistralai/mistral-large"
    ]


async def test_mistral_large_versions_keep_their_own_figures(bundled: Bundled) -> None:
    """Epoch, LMArena and LiteLLM list Mistral Large 2402, 2407 and 2411 apart; OpenRouter holds
    2407 and 2411 as models of their own. Their figures went to the bare Mistral Large, where
    one date's unique key kept 2402's (GPQA Diamond 38.76, Arena 1181: the oldest version,
    unnamed) and 2411's own rows had none."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["mistral large 2411", "mistral large 2407"])
    assert [m.canonical_id for m in comparison.models] == [
        "mistralai/mistral-large-2411",
        "mistralai/mistral-large-2407",
    ]
    assert shown(comparison, "GPQA Diamond") == [
        epoch_best("mistral-large-2411", "GPQA diamond"),
        epoch_best("mistral-large-2407", "GPQA diamond"),
    ]
    assert shown(comparison, "Arena Elo") == [
        lmarena("Mistral-Large-2411"),
        lmarena("Mistral-Large-2407"),
    ]


def aider(label: str) -> float:
    runs = yaml.safe_load((SNAPSHOTS / "polyglot_leaderboard.yml").read_bytes())
    return float(next(r["pass_rate_2"] for r in runs if r["model"] == label))


async def test_gpt_5_at_medium_effort_is_its_default_run(bundled: Bundled) -> None:
    """GPT-5 reasons at medium effort unless told otherwise, as the o-series does: Aider's
    `gpt-5 (medium)` is its default run, compared with GPT-4.1's, where the row read '86.7% with
    medium effort / 52.4% (different settings, not compared)'. Its high-effort run stays one."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["gpt-5", "gpt-4.1"])
    row = comparison.metric("Aider Polyglot")
    assert row is not None and row.comparable and row.leader == 0
    assert row.settings == ("", "")
    assert shown(comparison, "Aider Polyglot") == [aider("gpt-5 (medium)"), aider("gpt-4.1")]
    facts = await registry.facts(["openai/gpt-5"])
    runs = {(f.value, f.setting) for f in facts if f.metric == "Aider Polyglot"}
    assert (aider("gpt-5 (high)"), "high effort") in runs
    assert (aider("gpt-5 (low)"), "low effort") in runs


async def test_on_par_on_the_best_known_benchmark_is_the_headline(bundled: Bundled) -> None:
    """DeepSeek-R1 and o1 are within GPQA Diamond's margin of error (Epoch: 71.72% against
    75.76%): the headline says they are on par there, as the digest's weighing line does, where
    it passed over it to '−20 points on OTIS Mock AIME', a benchmark further down on which
    they differ."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["deepseek-r1", "o1"])
    assert shown(comparison, "GPQA Diamond") == [
        epoch_best("DeepSeek-R1", "GPQA diamond"),
        epoch_best("o1-2024-12-17_medium", "GPQA diamond"),
    ]
    found = headline(comparison)
    assert found is not None and found.metric == "GPQA Diamond"
    assert found.margin is not None and abs(found.delta) < found.margin
    assert round(found.margin, 1) == 8.6
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "● DeepSeek-R1 and o1 are on par on GPQA Diamond: −4.04 points, within the ±8.6 margin "
        "of error.\n" in en
    )
    assert "OTIS Mock AIME 2024-2025 at" not in en
    ru = render_comparison_text(comparison, Language.RU)
    assert (
        "● DeepSeek-R1 и o1 вровень на GPQA Diamond: −4,04 п. в пределах погрешности ±8,6.\n" in ru
    )
    assert comparison_to_json(comparison)["headline"]["margin"] == found.margin


async def test_a_benchmark_of_unknown_size_does_not_headline_nor_name_a_leader(
    bundled: Bundled,
) -> None:
    """Gemini 2.5 Pro against 2.5 Flash share only models.dev's Artificial Analysis figures
    (Terminal-Bench Hard, SciCode, the Coding Index) and Arena Elo: how many tasks make the
    +12.9 points on Terminal-Bench Hard is not known, so neither is its margin of error: it
    no longer headlines, and its row, which named 2.5 Pro the leader ('(+12.9)', counted in
    'leads on 4 of 4'), says the margin is unknown as a row within the margin says that one,
    and is not counted."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["gemini-2.5-pro", "gemini-2.5-flash"])
    unknown = ("Artificial Analysis Coding Index", "SciCode", "Terminal-Bench Hard")
    for metric in unknown:
        row = comparison.metric(metric)
        assert row is not None and row.comparable, metric
        assert row.leader is None and row.margin_unknown and row.margin is None, metric
    arena = comparison.metric("Arena Elo")
    assert arena is not None and arena.leader == 0 and not arena.margin_unknown
    assert headline(comparison) is None
    en = render_comparison_text(comparison, Language.EN)
    assert "points on Terminal-Bench Hard" not in en
    assert "🔘 Terminal-Bench Hard: 26.5% / 13.6% (+12.9; margin of error unknown)\n" in en
    assert "🔘 Arena Elo: 1,470 / 1,411 (+59; beyond the ±7 margin of error)\n" in en
    assert "● Gemini 2.5 Pro leads on the one shared benchmark.\n" in en
    assert (
        "● Not counted, margin of error unknown: Artificial Analysis Coding Index, SciCode, "
        "Terminal-Bench Hard.\n" in en
    )
    ru = render_comparison_text(comparison, Language.RU)
    assert "🔘 Terminal-Bench Hard: 26,5% / 13,6% (+12,9; погрешность неизвестна)\n" in ru
    assert "● Не в счёт, погрешность неизвестна: Artificial Analysis Coding Index, SciCode, " in ru
    row = next(m for m in comparison_to_json(comparison)["metrics"] if m["metric"] == unknown[2])
    assert (row["leader"], row["margin"], row["margin_unknown"]) == (None, None, True)


async def test_a_lead_on_otis_mock_aime_says_the_margin_it_is_beyond(bundled: Bundled) -> None:
    """o1's 73.33% against DeepSeek-R1's 53.33% on OTIS Mock AIME (Epoch; 45 problems) is a
    lead beyond the ±19.2 margin of error, by 0.8 points: the row read '(−20)', a winner with
    no margin; it says the margin, as a row within one does. Within it (o3-mini's 63.89%),
    no leader."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    otis = "OTIS Mock AIME 2024-2025"
    comparison = await registry.compare(["deepseek-r1", "o1"])
    assert shown(comparison, otis) == [
        epoch_best("DeepSeek-R1", otis),
        epoch_best("o1-2024-12-17_medium", otis),
    ]
    row = comparison.metric(otis)
    assert row is not None and row.leader == 1 and row.noise is None
    assert row.margin is not None and round(row.margin, 1) == 19.2
    en = render_comparison_text(comparison, Language.EN)
    assert f"🔘 {otis}: 53.33% / 73.33% (−20; beyond the ±19.2 margin of error)\n" in en
    ru = render_comparison_text(comparison, Language.RU)
    assert f"🔘 {otis}: 53,33% / 73,33% (−20; больше погрешности ±19,2)\n" in ru
    mini = (await registry.compare(["o3-mini", "o1"])).metric(otis)
    assert mini is not None and mini.leader is None and mini.noise == mini.margin


def test_only_a_row_whose_noise_is_known_on_a_set_large_enough_is_fair() -> None:
    """A fair row (what a headline or a weighing line may state) is on a benchmark whose margin
    of error is known and of 30 questions or more: FrontierMath's public 10 and an unregistered
    benchmark are shown but weigh nothing; GPQA Diamond's 198 and Arena Elo do."""
    rows = {
        metric: compare_models(
            [A, B], [fact(A, metric, 40.0 + gap, unit), fact(B, metric, 40.0, unit)]
        ).metrics[0]
        for metric, unit, gap in (
            ("FrontierMath (2025-02-28, public set)", Unit.PERCENT, 40.0),
            ("Some New Bench", Unit.PERCENT, 30.0),
            ("GPQA Diamond", Unit.PERCENT, 30.0),
            ("Arena Elo", Unit.ELO, 30.0),
        )
    }
    assert {metric: fair(row) for metric, row in rows.items()} == {
        "FrontierMath (2025-02-28, public set)": False,
        "Some New Bench": False,
        "GPQA Diamond": True,
        "Arena Elo": True,
    }
    # A lead beyond a known margin, however small the set, is named; one whose margin is not
    # known is not (it says so on its row).
    assert {metric: row.leader for metric, row in rows.items()} == {
        "FrontierMath (2025-02-28, public set)": 0,
        "Some New Bench": None,
        "GPQA Diamond": 0,
        "Arena Elo": 0,
    }
    assert [m for m, row in rows.items() if row.margin_unknown] == ["Some New Bench"]


async def test_a_version_a_short_stamp_names_is_said_on_its_value(bundled: Bundled) -> None:
    """Mistral Small is filed one version per source: Epoch's `mistral-small-2501` (3.0),
    LMArena's `Mistral-Small-2506` (3.2), OpenRouter's `mistralai/mistral-small-2603` (4, whose
    context window is 262,144). Each value now names the version it is of, as a dated
    snapshot's does, where the row read as one model's; Mistral Large's are 2402's."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["mistral large", "mistral small"])
    assert shown(comparison, "GPQA Diamond") == [
        epoch_best("mistral-large-2402", "GPQA diamond"),
        epoch_best("mistral-small-2501", "GPQA diamond"),
    ]
    assert shown(comparison, "Arena Elo") == [
        lmarena("Mistral-Large-2402"),
        lmarena("Mistral-Small-2506"),
    ]

    def snapshots(metric: str) -> list[str]:
        row = comparison.metric(metric)
        assert row is not None, metric
        return [v.snapshot if v is not None else "" for v in row.values]

    assert snapshots("GPQA Diamond") == ["mistral-large-2402", "mistral-small-2501"]
    assert snapshots("Arena Elo") == ["Mistral-Large-2402", "Mistral-Small-2506"]
    # The context window is LiteLLM's first-party one, and OpenRouter's 262,144 of
    # `mistral-small-2603` (Small 4) disagrees, naming its version.
    context = comparison.metric("context_window")
    assert context is not None
    assert ("mistralai/mistral-small-2603", 262144.0) in {
        (d.value.snapshot, d.value.value) for d in context.disagreements
    }
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "🔘 Arena Elo: 1,181 (snapshot Mistral-Large-2402) / 1,335 (snapshot Mistral-Small-2506)"
        in en
    )
    ru = render_comparison_text(comparison, Language.RU)
    assert (
        "🔘 Arena Elo: 1\u00a0181 (версия Mistral-Large-2402) / 1\u00a0335 (версия Mistral-Small-2506)"
        in ru
    )
    # A model whose own id carries the stamp names none: Mistral Large 2411 is that version.
    own = await registry.compare(["mistral large 2411", "mistral large 2407"])
    assert all(v is None or not v.snapshot for m in own.metrics for v in m.values)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # "EVA Qwen2.5 72B", a fine-tune, made the base name ambiguous; "Qwen2.5" was one word.
        ("qwen 2.5 72b", "qwen/qwen-2.5-72b-instruct"),
        # A mixture of experts' active parameters are no other model: Qwen3 235B A22B, not the
        # VL or Thinking 2507 variants.
        ("qwen3-235b", "qwen/qwen3-235b-a22b"),
        # Only a preview is known: it is what the name means, not its "Custom Tools" variant.
        ("gemini 3.1 pro", "google/gemini-3.1-pro-preview"),
        # Unchanged: the brand opening the name, the exact name before its variants.
        ("sonnet 4", "anthropic/claude-sonnet-4"),
        ("gemini 2.5 pro", "google/gemini-2.5-pro"),
        ("llama 3.1 70b", "meta-llama/llama-3.1-70b-instruct"),
    ],
)
async def test_names_people_type_resolve_to_the_plain_model(
    bundled: Bundled, typed: str, expected: str
) -> None:
    registry = make_registry(bundled.store, FixedClock(NOW))
    assert (await registry.resolve(typed)).canonical_id == expected


async def test_names_that_stay_ambiguous(bundled: Bundled) -> None:
    registry = make_registry(bundled.store, FixedClock(NOW))
    for typed in ("claude", "llama 3.3", "gpt-oss"):
        with pytest.raises(AmbiguousModel):
            await registry.resolve(typed)


async def test_a_stamp_of_the_release_itself_names_nothing(bundled: Bundled) -> None:
    """LMArena's `Grok-4-0709` is Grok 4 as released on 9 July 2025: its Arena Elo is the
    model's own, not another version's, and carries no label."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["grok-4", "claude-opus-4"])
    arena = comparison.metric("Arena Elo")
    assert arena is not None and arena.values[0] is not None
    assert (arena.values[0].value, arena.values[0].snapshot) == (lmarena("Grok-4-0709"), "")
    assert arena.values[0].source_model == "Grok-4-0709"


async def test_a_model_we_do_not_hold_is_not_answered_with_another_version(
    bundled: Bundled,
) -> None:
    """Claude Opus 5 (news of August 2026) was not in the bundled data: '/compare claude opus 5
    …' answered with Claude Opus 4.5's figures, 'llama 5' with a Nemotron fine-tune of Llama 3.3
    v1.5, 'gemini 4 pro' with Gemini 2.0 Pro. Now the user is told none matches, with the
    closest offered. (Claude Opus 5 is held since LiteLLM 1.110.2; Opus 6 is not.)"""
    registry = make_registry(bundled.store, FixedClock(NOW))
    assert (await registry.resolve("claude opus 5")).canonical_id == "anthropic/claude-opus-5"
    for typed, offered in (
        ("claude opus 6", "Claude Opus 4.1"),
        ("llama 5", None),
        ("gemini 4 pro", "Gemini 2.5 Pro"),
    ):
        with pytest.raises(ModelNotFound) as raised:
            await registry.resolve(typed)
        if offered is not None:
            assert offered in raised.value.candidates


async def test_a_plus_is_part_of_the_name(bundled: Bundled) -> None:
    """Cohere's "Command R+" is `command-r-plus`, not "Command R" with a stray sign: the two
    shared one key, so `cohere/command-r` itself was ambiguous and LMArena's "Command R
    (04-2024)" ratings were filed under Command R+ (04-2024)."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    for typed, expected in (
        ("command r+", "cohere/command-r-plus"),
        ("Command R+", "cohere/command-r-plus"),
        ("command r", "cohere/command-r"),
        ("cohere/command-r", "cohere/command-r"),
        ("Command R+ (08-2024)", "cohere/command-r-plus-08-2024"),
    ):
        assert (await registry.resolve(typed)).canonical_id == expected, typed
    facts = await registry.facts(["cohere/command-r-plus-04-2024"])
    arena = {f.value for f in facts if f.metric == "Arena Elo" and f.as_of == date(2025, 8, 4)}
    assert arena == {lmarena("Command R+ (04-2024)")}


def models_dev_limit(path: str, key: str) -> float:
    """A model's `[limit]` in models.dev's recorded provider file."""
    table = tomllib.loads((SNAPSHOTS / "models.dev" / path).read_text(encoding="utf-8"))
    return float(table["limit"][key])


def openrouter_context(model_id: str) -> float:
    entries = json.loads((SNAPSHOTS / "openrouter-models.json").read_bytes())["data"]
    return float(next(e for e in entries if e["id"] == model_id)["context_length"])


async def test_the_context_window_is_the_vendor_s_standard_one(bundled: Bundled) -> None:
    """OpenRouter serves Claude Sonnet 4 and 4.5 with Anthropic's 1M-token context, a beta a
    header opens; their standard context is 200K. OpenRouter outranked every other source for
    limits, so `compare "claude sonnet 4.5" "gpt-5"` read '1,000,000 tokens / 400,000 tokens'
    with models.dev's 200,000 as a disagreement: the vendor's figure (models.dev's first-party
    provider files, then LiteLLM's first-party keys) is now the row's, the 1M named beside it."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["claude sonnet 4.5", "gpt-5"])
    context = comparison.metric(Metric.CONTEXT_WINDOW)
    assert context is not None and context.source_name == "models.dev"
    assert shown(comparison, Metric.CONTEXT_WINDOW) == [
        models_dev_limit("providers/anthropic/models/claude-sonnet-4-5.toml", "context"),
        models_dev_limit("models/openai/gpt-5.toml", "context"),  # its base model's
    ]
    assert [
        (d.value.value, d.value.source_name) for d in context.disagreements if d.model_index == 0
    ] == [(openrouter_context("anthropic/claude-sonnet-4.5"), "OpenRouter models API")]
    assert openrouter_context("anthropic/claude-sonnet-4.5") == 1_000_000
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "▪️ Context window: 200,000 tokens / 400,000 tokens (−200,000; sources disagree: "
        "1,000,000 tokens for Claude Sonnet 4.5 in OpenRouter models API (2026-05-15)" in en
    )
    sonnet_4 = await registry.compare(["claude sonnet 4", "gpt-4.1"])
    assert shown(sonnet_4, Metric.CONTEXT_WINDOW) == [200_000, 1_047_576]
    # Where models.dev has no figure, LiteLLM's first-party key before OpenRouter's rounded
    # one: Gemini 1.5 Pro's 2,097,152, not 2,000,000.
    gemini = await registry.compare(["gemini 1.5 pro", "gpt-4o"])
    row = gemini.metric(Metric.CONTEXT_WINDOW)
    assert row is not None and row.values[0] is not None
    assert row.values[0].source_name.startswith("LiteLLM")
    assert shown(gemini, Metric.CONTEXT_WINDOW) == [2_097_152, 128_000]
    # GPT-4.1, Gemini 2.5 Pro and Grok 4: every source agrees, nothing moves.
    assert shown(await registry.compare(["gpt-4.1", "gemini 2.5 pro"]), Metric.CONTEXT_WINDOW) == [
        1_047_576,
        1_048_576,
    ]
    assert shown(await registry.compare(["grok 4", "claude opus 4"]), Metric.CONTEXT_WINDOW) == [
        256_000,
        200_000,
    ]


def litellm_2026(key: str, field: str) -> float:
    table = json.loads((SNAPSHOTS / "litellm-1.110.2-first-party.json").read_bytes())
    return float(table[key][field])


async def test_a_limit_is_each_model_s_most_trusted_figure_not_one_source_s(
    bundled: Bundled,
) -> None:
    """Claude Opus 5 is known to LiteLLM 1.110.2 alone, so that table was the one source
    covering both models of `compare gpt-5 "claude opus 5"`, and its GPT-5 "context" is its
    `max_input_tokens`, 272,000, against the 400,000-token window models.dev and OpenRouter
    state. A limit is a specification, the same whoever states it: each model's figure comes
    from its most trusted source, named beside it, and the row still compares them."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["gpt-5", "claude opus 5"])
    assert litellm_2026("gpt-5", "max_input_tokens") == 272_000
    assert shown(comparison, Metric.CONTEXT_WINDOW) == [
        models_dev_limit("models/openai/gpt-5.toml", "context"),
        litellm_2026("claude-opus-5", "max_input_tokens"),
    ]
    row = comparison.metric(Metric.CONTEXT_WINDOW)
    assert row is not None and row.cross_source and row.comparable
    assert [(d.value.value, d.value.source_name) for d in row.disagreements] == [
        (272_000, "LiteLLM 1.110.2 price table")
    ]
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "▪️ Context window: 400,000 tokens [models.dev] / 1,000,000 tokens [LiteLLM 1.110.2 "
        "price table] (−600,000; sources disagree: 272,000 tokens for GPT-5 in LiteLLM "
        "1.110.2 price table)" in en
    ), en
