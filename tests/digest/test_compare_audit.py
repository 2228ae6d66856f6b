"""What a demanding reader of `/compare` caught on the bundled data (pairs people ask about,
beyond the seed post's), each held here with the recorded figures it rests on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aiprogress.core.benchmarks import noise_margin
from aiprogress.core.clock import FixedClock
from aiprogress.core.comparison import Comparison, MetricComparison
from aiprogress.core.errors import AmbiguousModel
from aiprogress.core.types import Language
from aiprogress.digest.chart import chart_spec
from aiprogress.digest.compare import headline
from aiprogress.digest.compare_render import render_comparison_text
from tests.builders import make_registry
from tests.conftest import Bundled


async def compare(bundled: Bundled, *names: str) -> Comparison:
    registry = make_registry(bundled.store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    return await registry.compare(list(names))


def row(comparison: Comparison, metric: str) -> MetricComparison:
    found = comparison.metric(metric)
    assert found is not None, metric
    return found


def test_the_margin_of_error_follows_the_size_of_the_test() -> None:
    # GPQA Diamond has 198 questions: 81.8% against 79.6% is ±7.8 points of sampling error.
    assert round(noise_margin("GPQA Diamond", "%", 81.82, 79.61) or 0, 1) == 7.8
    # FrontierMath's public set is 10 problems: 0% against 20% is 2 problems, no lead.
    assert (noise_margin("FrontierMath (2025-02-28, public set)", "%", 0.0, 20.0) or 0) > 20
    assert noise_margin("Arena Elo", "Elo", 1285, 1288) == 7.0
    assert noise_margin("SciCode", "%", 33.1, 22.9) is None  # its size is not registered


async def test_no_lead_is_claimed_within_the_noise(bundled: Bundled) -> None:
    comparison = await compare(bundled, "o3", "o4-mini")
    # Epoch AI, both at high effort: o3-2025-04-16_high 0.8182, o4-mini-2025-04-16_high 0.7961
    # ("choice:0.82±0.02", "choice:0.8±0.02"): within the noise of 198 questions.
    gpqa = row(comparison, "GPQA Diamond")
    assert gpqa.comparable and gpqa.leader is None and gpqa.noise is not None
    # MATH Level 5: 97.77% and 97.83%, both shown as 97.8%.
    assert row(comparison, "MATH Level 5").leader is None
    # The headline stays on GPQA Diamond and says the two are on par there.
    found = headline(comparison)
    assert found is not None and found.metric == "GPQA Diamond" and found.margin is not None
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "🔘 GPQA Diamond: 81.82% with high effort / 79.61% with high effort (+2.21; within the"
        in en
    )
    assert "+2.21 points on GPQA Diamond for" not in en
    assert (
        "● o3 and o4 Mini are on par on GPQA Diamond (high effort): +2.21 points, within the "
        "±7.8 margin of error.\n" in en
    )
    ru = render_comparison_text(comparison, Language.RU)
    assert "(+2,21; в пределах погрешности ±7,8)" in ru

    # LMArena 2025-08-04: GPT-4o-2024-08-06 1285 +3/-3, GPT-4o-mini-2024-07-18 1288 +3/-3.
    mini = await compare(bundled, "gpt-4o", "gpt-4o-mini")
    arena = row(mini, "Arena Elo")
    assert arena.leader is None and arena.noise == 7.0
    assert "🔘 Arena Elo: 1,285 / 1,288 (−3; within the ±7 margin of error)" in (
        render_comparison_text(mini, Language.EN)
    )


async def test_a_copy_of_a_thinking_run_keeps_its_setting(bundled: Bundled) -> None:
    comparison = await compare(bundled, "gemini 2.5 pro", "gemini 2.5 flash")
    # models.dev's 83.1% and 55.1% quote Aider's `gemini-2.5-pro-preview-06-05 (32k think)`
    # (2025-06-06) and `gemini-2.5-flash-preview-05-20 (24k think)` (2025-05-25); Aider lists no
    # run under either model's own name, so the copies stand alone and must say so.
    aider = row(comparison, "Aider Polyglot")
    assert [(v.value, v.setting, v.source_model) for v in aider.values if v is not None] == [
        (83.1, "32k thinking", "gemini-2.5-pro-preview-06-05 (32k think)"),
        (55.1, "24k thinking", "gemini-2.5-flash-preview-05-20 (24k think)"),
    ]
    assert not aider.comparable and aider.leader is None
    found = headline(comparison)
    assert found is None or found.metric != "Aider Polyglot"
    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 Aider Polyglot: 83.1% with 32k thinking / 55.1% with 24k thinking (different" in en


async def test_runs_under_a_setting_every_model_shares_are_compared_like_for_like(
    bundled: Bundled,
) -> None:
    comparison = await compare(bundled, "o3", "o4-mini")
    # Aider's board has `o3` (76.9%) and `o3 (high)` (81.3%, 2025-06-25) but only
    # `o4-mini (high)` (72.0%): the high-effort runs are the pair to weigh, not 76.9 against 72.
    aider = row(comparison, "Aider Polyglot")
    assert [(v.value, v.setting) for v in aider.values if v is not None] == [
        (81.3, "high effort"),
        (72.0, "high effort"),
    ]
    assert aider.comparable and aider.source_name == "Aider polyglot leaderboard"
    assert aider.leader == 0 and aider.noise is None  # 9.3 points, beyond ±7.8 on 225 tasks
    # The headline names the setting both runs share (GPQA Diamond's, where the two are on par:
    # it is the better-known benchmark, and the headline stays on it).
    en = render_comparison_text(comparison, Language.EN)
    assert "● o3 and o4 Mini are on par on GPQA Diamond (high effort): +2.21 points" in en
    ru = render_comparison_text(comparison, Language.RU)
    assert "● o3 и o4 Mini вровень на GPQA Diamond (высокое усилие): +2,21 п." in ru


async def test_names_people_type_reach_the_model_they_mean_or_none(bundled: Bundled) -> None:
    registry = make_registry(bundled.store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    # "Claude Sonnet 4" is the asked name and its brand; Sonnet 4.5 and 4.6 are other models.
    assert (await registry.resolve("sonnet 4")).canonical_id == "anthropic/claude-sonnet-4"
    assert (await registry.resolve("opus 4")).canonical_id == "anthropic/claude-opus-4"
    # The knowledge base holds no Gemini 3 Pro (OpenRouter's 2026 list has its image model
    # and Gemini 3.1 Pro): an image model's figures are no answer about it. (LiteLLM 1.110.2's
    # `gemini/lyria-3-pro-preview`, an alias of Lyria 3 Pro Preview, reads as "gemini … 3 pro"
    # too: the name is asked for, not answered.)
    with pytest.raises(AmbiguousModel) as asked:
        await registry.resolve("gemini 3 pro")
    assert asked.value.candidates == (
        "Lyria 3 Pro Preview",
        "Nano Banana Pro (Gemini 3 Pro Image Preview)",
    )
    image = await registry.resolve("gemini-3-pro-image-preview")
    assert image.canonical_id == "google/gemini-3-pro-image-preview"


async def test_an_announcement_date_is_not_shown_as_the_release(bundled: Bundled) -> None:
    comparison = await compare(bundled, "o3-mini", "o1")
    # models.dev: o3-mini release_date "2024-12-20" (the day OpenAI announced it); its API id
    # is `o3-mini-2025-01-31` (OpenRouter, LiteLLM), and LLM Stats dates it 2025-01-30. o1's
    # 5 December 2024 (ChatGPT) is 12 days before `o1-2024-12-17`: a release, and it stands.
    assert comparison.release_dates == (date(2025, 1, 31), date(2024, 12, 5))
    assert comparison.release_snapshots == ("o3-mini-2025-01-31", "")
    (doubt,) = comparison.release_set_aside
    assert (doubt.release_date, doubt.source_name, doubt.first_snapshot) == (
        date(2024, 12, 20),
        "models.dev",
        "o3-mini-2025-01-31",
    )
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "▪️ Released: 31 January 2025, snapshot o3-mini-2025-01-31 / 5 December 2024 "
        "(models.dev) (57 days later; sources disagree: 20 December 2024 for o3 Mini in "
        "models.dev, over a month before its first dated snapshot: likely an announcement or a "
        "preview)\n"
    ) in en
    ru = render_comparison_text(comparison, Language.RU)
    assert "models.dev — 20 декабря 2024 у o3 Mini, больше чем за месяц до первой" in ru


async def test_a_row_s_difference_is_that_of_the_values_it_shows(bundled: Bundled) -> None:
    comparison = await compare(bundled, "gpt-4o", "gpt-4o-mini")
    # Epoch AI MATH Level 5: gpt-4o-2024-08-06 and gpt-4o-mini-2024-07-18, imported to the
    # hundredth (53.28% and 52.63%) and shown so, as a digest shows them; shown to the tenth,
    # 53.3% and 52.6%, their unrounded difference (0.6 and a bit) printed "+0.6" beside them.
    math = row(comparison, "MATH Level 5")
    assert [v.value for v in math.values if v is not None] == [53.28, 52.63]
    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 MATH Level 5: 53.28% / 52.63% (+0.65; within the ±3.8 margin of error)" in en
    gpt4 = render_comparison_text(await compare(bundled, "gpt-4", "gpt-3.5-turbo"), Language.EN)
    assert (
        "🔘 MATH Level 5: 22.97% (snapshot gpt-4-0613) / 11.63% (snapshot gpt-3.5-turbo-0125) "
        "(+11.34; beyond the ±2.9 margin of error)" in gpt4
    )
    assert "● GPT-4: +11.34 points on MATH Level 5 for 60× the input price." in gpt4


async def test_the_chart_says_what_the_text_says_of_a_row(bundled: Bundled) -> None:
    spec = chart_spec(await compare(bundled, "o3", "o4-mini"), Language.EN)
    benchmarks = spec.panels[0]
    labels = {g.label.split(" (")[0]: g.label for g in benchmarks.groups}
    # Both runs at high effort (Epoch's `_high` ids), within GPQA Diamond's noise: the bars
    # were drawn as if of the plain models and with a lead.
    assert labels["GPQA Diamond"] == "GPQA Diamond (high effort, within the margin of error)"
    assert labels["Aider Polyglot"] == "Aider Polyglot (high effort)"
    mixed = chart_spec(await compare(bundled, "o3-pro", "gpt-4.1"), Language.RU).panels[0]
    aider = next(g for g in mixed.groups if g.label.startswith("Aider Polyglot"))
    assert aider.label == "Aider Polyglot (разные настройки)"
    assert aider.texts == ("84,9% (высокое усилие)", "52,4%")
    # The words at the bar's end fit before the right edge: the scale leaves room for them.
    assert mixed.axis.end > 84.9 * 1.5


async def test_a_default_run_under_a_dated_label_is_not_lost_to_a_setting_s(
    bundled: Bundled,
) -> None:
    comparison = await compare(bundled, "claude sonnet 4", "gemini 2.5 pro")
    # LMArena 2025-08-04 lists `Claude Sonnet 4 (20250514)` 1338 and `Claude Sonnet 4
    # (thinking-32k)` 1350; only the thinking run was kept, so the row set 1350 "with 32k
    # thinking" against Gemini 2.5 Pro's 1470 and compared nothing.
    arena = row(comparison, "Arena Elo")
    assert [(v.value, v.setting) for v in arena.values if v is not None] == [
        (1338.0, ""),
        (1470.0, ""),
    ]
    assert arena.comparable and arena.leader == 1
    opus = await compare(bundled, "claude opus 4", "claude sonnet 4")
    assert [v.value for v in row(opus, "Arena Elo").values if v is not None] == [1366.0, 1338.0]


async def test_a_pinned_latest_alias_names_its_model(bundled: Bundled) -> None:
    # models.dev `providers/anthropic/models/claude-opus-4-0.toml`: "Claude Opus 4 (latest)",
    # release_date "2025-05-22"; its dated twin `claude-opus-4-20250514` is a snapshot and
    # gives no line's release. Opus 4 and Sonnet 4 showed "Released: —".
    comparison = await compare(bundled, "claude opus 4", "claude sonnet 4")
    assert comparison.release_dates == (date(2025, 5, 22), date(2025, 5, 22))
    en = render_comparison_text(comparison, Language.EN)
    assert "▪️ Released: 22 May 2025 (models.dev) / 22 May 2025 (models.dev) (the same day)" in en
    # A `-latest` id moves from model to model: Mistral's is no name of "Mistral Large".
    large = (await compare(bundled, "mistral large", "gpt-4o")).models[0]
    assert "mistral/mistral-large-latest" not in large.aliases


async def test_the_verdict_lines_say_what_the_rows_show(bundled: Bundled) -> None:
    # o3 Pro and GPT-4.1 both have Aider Polyglot (84.9% at high effort, 52.4%): "no benchmark
    # covers all of these models" was false; what is missing is a like-for-like one.
    gpt = render_comparison_text(await compare(bundled, "o3-pro", "gpt-4.1"), Language.EN)
    assert "No benchmark in the collected data covers all of these models." not in gpt
    assert "● No benchmark compares these models like for like: the shared ones come" in gpt
    # One shared benchmark (Arena Elo), one left out of the message.
    mistral = await compare(bundled, "mistral large", "mistral medium 3")
    en = render_comparison_text(mistral, Language.EN)
    assert "… and 1 more benchmark (all of them in --json)" in en
    assert "● Mistral Medium 3 leads on the one shared benchmark." in en
    ru = render_comparison_text(mistral, Language.RU)
    assert "… и ещё 1 бенчмарк (все — в --json)" in ru
    assert "● Mistral Medium 3 впереди на единственном общем бенчмарке." in ru


async def test_an_older_price_in_another_source_says_when_it_was(bundled: Bundled) -> None:
    # LiteLLM 1.67.4 (wheel of 2025-04-27): o3 at $10/$40, its price before OpenAI's June 2025
    # cut; OpenRouter's May 2026 listing: $2/$8. "Sources disagree" without the date read as
    # doubt about today's price.
    en = render_comparison_text(await compare(bundled, "o3", "o4-mini"), Language.EN)
    assert "sources disagree: $10 for o3 in LiteLLM 1.67.4 price table (2025-04-27))" in en


async def test_a_ten_problem_set_does_not_headline(bundled: Bundled) -> None:
    comparison = await compare(bundled, "o3-mini", "o1")
    # Epoch AI, FrontierMath-2025-02-28-Public: o3-mini-2025-01-31_high 0.4 ("0.4±0.16"),
    # o1-2024-12-17_high 0.0: 4 of 10 problems against none. It headlined "+40 points"; the
    # headline is the best-known benchmark, GPQA Diamond, where the two are on par.
    found = headline(comparison)
    assert found is not None and found.metric == "GPQA Diamond" and found.margin is not None
    assert round(noise_margin("FrontierMath (2025-02-28, public set)", "%", 40.0, 0.0) or 0) == 32
    en = render_comparison_text(comparison, Language.EN)
    assert "+40 points" not in en


async def test_a_later_checkpoint_filed_under_a_model_is_named(bundled: Bundled) -> None:
    comparison = await compare(bundled, "deepseek r1", "deepseek v3")
    # Aider 2025-03-24 "DeepSeek V3 (0324)" 55.1%: the knowledge base files V3-0324 under
    # DeepSeek-V3 (released 26 December 2024, whose own run, "DeepSeek Chat V3 (prev)", is
    # 48.4%), so the value was shown as the December model's.
    aider = row(comparison, "Aider Polyglot")
    v3 = aider.values[1]
    assert v3 is not None and (v3.value, v3.snapshot) == (55.1, "DeepSeek V3 (0324)")
    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 Aider Polyglot: 56.9% / 55.1% (snapshot DeepSeek V3 (0324)) (+1.8; within" in en
