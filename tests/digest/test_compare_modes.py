"""/compare puts like against like on the bundled data: a vendor's thinking-mode or high-compute
figure that LLM Stats files under the plain model carries its setting, so it is labelled and
never weighed against a plain score; a GPQA figure from a page that reports GPQA Diamond is GPQA
Diamond, not the 448-question set; a figure the vendor gave for another benchmark is filed
under it. The rules are `sources/importers/llmstats.py`'s (`PAGE_SETTINGS`, `ROW_SETTINGS`,
`GPQA_DIAMOND_PAGES`, `ROW_BENCHMARKS`), with the why of each in
`sources/data/snapshots/ORIGIN-extra.md`."""

from __future__ import annotations

from datetime import UTC, datetime

from aiprogress.core.clock import FixedClock
from aiprogress.core.types import Language
from aiprogress.digest.compare import headline
from aiprogress.digest.compare_render import render_comparison_text
from tests.builders import make_registry
from tests.conftest import Bundled

NOW = datetime(2026, 8, 15, tzinfo=UTC)
GROK_3_POST = "https://x.ai/blog/grok-3"


async def test_grok_3_think_scores_carry_their_setting_and_are_not_weighed(
    bundled: Bundled,
) -> None:
    """LLM Stats' Grok 3 rows are the post's "Grok 3 (Think)" column: shown with "thinking"
    (and AIME 2025's consensus of 64), never against Claude 3.7 Sonnet's runs, and the headline
    is Epoch's plain runs of both on GPQA Diamond."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["grok 3", "claude 3.7 sonnet"])

    lcb = comparison.metric("LiveCodeBench")
    assert lcb is not None and lcb.values[0] is not None and lcb.values[1] is None
    assert (lcb.values[0].value, lcb.values[0].setting) == (79.4, "thinking")
    assert lcb.values[0].source_url == GROK_3_POST
    for metric, settings in (
        ("AIME 2024", ("thinking", "extended thinking, parallel attempts")),
        ("AIME 2025", ("thinking, cons@64", "parallel attempts")),
    ):
        row = comparison.metric(metric)
        assert row is not None and row.settings == settings, metric
        assert not row.comparable and row.leader is None, metric
    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.comparable and gpqa.settings == ("", "")
    assert [v.value for v in gpqa.values if v is not None] == [75.76, 66.04]
    assert gpqa.source_name == "Epoch AI Benchmarking Hub"
    assert comparison.metric("GPQA") is None  # Grok 3's 84.6 is not the 448-question set
    top = headline(comparison)
    assert top is not None
    assert (top.metric, top.source_name) == ("GPQA Diamond", "Epoch AI Benchmarking Hub")

    ru = render_comparison_text(comparison, Language.RU)
    assert "🔘 LiveCodeBench: 79,4% (с размышлениями) / —\n" in ru
    assert (
        "🔘 AIME 2025: 93,3% (с размышлениями, cons@64) / 54,8% (параллельные попытки) "
        "(разные настройки, не сравниваем)\n" in ru
    )
    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 LiveCodeBench: 79.4% with thinking / —\n" in en

    grok_3 = comparison.models[0].canonical_id
    from_post = [f for f in await registry.facts([grok_3]) if f.source_url == GROK_3_POST]
    assert sorted((f.metric, f.value) for f in from_post) == [
        ("AIME 2024", 93.3),
        ("AIME 2025", 93.3),
        ("GPQA Diamond", 84.6),
        ("LiveCodeBench", 79.4),
        ("MMMU", 78.0),
    ]
    assert all(f.setting.startswith("thinking") for f in from_post)


async def test_grok_3_against_grok_2_weighs_no_think_score_against_a_plain_one(
    bundled: Bundled,
) -> None:
    """Grok 3 (Think)'s GPQA 84.6 and MMMU 78.0 were counted as leads over Grok 2's plain 56.0
    and 66.1; now MMMU is set aside and GPQA Diamond is Epoch's plain runs, with LLM Stats'
    Grok-2 figure (the same set, the same default run) as another source's word."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["grok 3", "grok 2"])

    assert comparison.metric("GPQA") is None
    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.comparable
    assert [v.value for v in gpqa.values if v is not None] == [75.76, 53.79]
    assert [(d.model_index, d.value.value, d.value.source_name) for d in gpqa.disagreements] == [
        (1, 56.0, "LLM Stats")
    ]
    mmmu = comparison.metric("MMMU")
    assert mmmu is not None and mmmu.settings == ("thinking", "")
    assert not mmmu.comparable and mmmu.leader is None

    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 MMMU: 78% with thinking / 66.1% (different settings, not compared)\n" in en
    assert "🔘 GPQA: " not in en
    assert "● Grok 3 leads on 5 of 6 shared benchmarks (1 tie).\n" in en


async def test_vendor_gpqa_diamond_figures_join_gpqa_diamond(bundled: Bundled) -> None:
    """Every GPQA figure the seed models' vendors report is GPQA Diamond (Google's "GPQA
    (diamond)", DeepSeek's "GPQA-Diamond", Anthropic's and xAI's, OpenAI's simple-evals): none
    stays under LLM Stats' 448-question "GPQA". Gemini 2.0 Flash's 62.1 is then another
    source's word beside Epoch's 64.14; Claude 3.5 Sonnet's 67.2 is a 5-shot maj@32 run and
    stays apart."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    ids = [
        (await registry.resolve(name)).canonical_id
        for name in (
            "gpt-4",
            "claude 3.5 sonnet",
            "gemini 2.0 flash",
            "gemini 1.5 pro",
            "grok 2",
            "deepseek v3",
        )
    ]
    facts = [f for f in await registry.facts(ids) if f.source_name == "LLM Stats"]
    assert not [f for f in facts if f.metric == "GPQA"]
    assert sorted(
        (f.source_model, f.value, f.setting) for f in facts if f.metric == "GPQA Diamond"
    ) == [
        ("claude-3-5-sonnet-20241022", 67.2, "5-shot, maj@32"),
        ("deepseek-v3", 59.1, ""),
        ("gemini-1.5-pro", 59.1, ""),
        ("gemini-2.0-flash", 62.1, ""),
        ("gpt-4-0613", 35.7, "5-shot"),
        ("grok-2", 56.0, ""),
    ]

    comparison = await registry.compare(["gemini 2.0 flash", "claude 3.5 sonnet"])
    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.comparable
    assert [v.value for v in gpqa.values if v is not None] == [64.14, 55.3]
    assert [(d.model_index, d.value.value) for d in gpqa.disagreements] == [(0, 62.1)]


async def test_deepseek_v3_aider_edit_is_the_code_editing_benchmark(bundled: Bundled) -> None:
    """DeepSeek-V3's README gives "Aider-Edit" 79.7 (Aider's older code-editing benchmark) and
    "Aider-Polyglot" 49.6; LLM Stats filed the 79.7 as a polyglot diff run, twice Aider's own
    polyglot score of the model (48.4)."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    comparison = await registry.compare(["deepseek v3", "gpt-4o"])
    v3 = comparison.models[0].canonical_id
    llm_stats = {
        (f.metric, f.setting): f.value
        for f in await registry.facts([v3])
        if f.source_name == "LLM Stats" and f.metric.startswith("Aider")
    }
    assert llm_stats == {
        ("Aider Code Editing", ""): 79.7,
        ("Aider Polyglot", "whole edit format"): 49.6,
    }
    editing = comparison.metric("Aider Code Editing")
    assert editing is not None and editing.cross_source and not editing.comparable
    assert [v.value for v in editing.values if v is not None] == [79.7, 71.4]
    assert [v.source_name for v in editing.values if v is not None] == [
        "LLM Stats",
        "Aider code editing leaderboard",
    ]


async def test_models_dev_copy_of_a_thinking_run_carries_its_setting(bundled: Bundled) -> None:
    """models.dev's Claude 3.7 Sonnet Aider Polyglot 64.9 copies Aider's 32k-thinking run (the
    no-thinking run scored 60.4): the curated seed's copy of it is that run's, one fact with the
    import's, and no plain 64.9 is left to stand for the default run."""
    registry = make_registry(bundled.store, FixedClock(NOW))
    claude = (await registry.resolve("claude 3.7 sonnet")).canonical_id
    aider = sorted(
        (f.source_name, f.value, f.setting)
        for f in await registry.facts([claude])
        if f.metric == "Aider Polyglot"
    )
    assert aider == [
        ("Aider polyglot leaderboard", 60.4, ""),
        ("Aider polyglot leaderboard", 64.9, "32k thinking"),
        ("models.dev", 64.9, "32k thinking"),
    ]
