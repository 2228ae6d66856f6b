"""/compare says only what the data support: a lead over a score near a benchmark's chance level
is no lead, on the bundled data (a fresh database) and on constructed facts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.comparison import FactRef
from aiprogress.core.types import Language, Metric, ModelFact, ModelInfo, Unit
from aiprogress.digest.compare import compare_models, headline
from aiprogress.digest.compare_render import (
    comparison_to_json,
    format_value,
    render_comparison_text,
)
from tests.builders import make_registry
from tests.conftest import Bundled

URL = "https://example.org/source"
A = ModelInfo("lab/a", "Model A", "Lab", release_date=date(2025, 1, 1))
B = ModelInfo("lab/b", "Model B", "Lab", release_date=date(2024, 1, 1))


def fact(model: ModelInfo, metric: str, value: float, unit: str = "%") -> ModelFact:
    return ModelFact(model.canonical_id, metric, value, unit, date(2025, 3, 1), "Test", URL)


async def test_gpt_4_against_gpt_3_5_turbo_on_gpqa_is_near_chance(bundled: Bundled) -> None:
    """GPT-3.5 Turbo's 27.18% on GPQA Diamond (Epoch) is a four-choice test's 25% and a bit:
    the row says so in both languages, names no leader and counts for neither model."""
    registry = make_registry(bundled.store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    comparison = await registry.compare(["gpt-4", "gpt-3.5-turbo"])
    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.comparable
    assert [v.value for v in gpqa.values if v is not None] == [30.65, 27.18]
    assert gpqa.chance == 25.0 and gpqa.leader is None
    math = comparison.metric("MATH Level 5")
    assert math is not None and math.chance is None and math.leader == 0

    en = render_comparison_text(comparison, Language.EN)
    assert (
        "🔘 GPQA Diamond: 30.65% (snapshot gpt-4-0613) / 27.18% (snapshot gpt-3.5-turbo-0125) "
        "(near the 25% chance level, not compared)\n" in en
    )
    assert "+3.5" not in en
    assert "● GPT-4 leads on 3 of 3 shared benchmarks." in en
    assert "● Not counted, near chance level: GPQA Diamond (25%)." in en
    assert "● GPT-4: +11.34 points on MATH Level 5 for 60× the input price." in en

    ru = render_comparison_text(comparison, Language.RU)
    assert (
        "🔘 GPQA Diamond: 30,65% (версия gpt-4-0613) / 27,18% (версия gpt-3.5-turbo-0125) "
        "(близко к случайному уровню 25%, не сравниваем)\n" in ru
    )
    assert "+3,5" not in ru
    assert "● GPT-4 впереди на 3 из 3 общих бенчмарков." in ru
    assert "● Не в счёт, близко к случайному уровню: GPQA Diamond (25%)." in ru

    document = comparison_to_json(comparison)
    row = next(m for m in document["metrics"] if m["metric"] == "GPQA Diamond")
    assert (row["chance"], row["leader"], row["comparable"]) == (25.0, None, True)
    assert document["headline"]["metric"] == "MATH Level 5"


def test_only_rows_near_chance_name_no_leader_nor_a_shared_benchmark_gap() -> None:
    """Two models that share only a benchmark where one guesses: nothing headlines, no one
    leads, and the text does not say they share no benchmark."""
    facts = [
        fact(A, "MMLU-Pro", 70.0),
        fact(B, "MMLU-Pro", 14.0),  # a ten-choice test's 10% and a bit
        fact(A, Metric.PRICE_INPUT, 2.0, "USD/1M tokens"),
        fact(B, Metric.PRICE_INPUT, 1.0, "USD/1M tokens"),
    ]
    comparison = compare_models([A, B], facts)
    row = comparison.metric("MMLU-Pro")
    assert row is not None and row.chance == 10.0 and row.leader is None
    assert headline(comparison) is None
    en = render_comparison_text(comparison, Language.EN)
    assert "🔘 MMLU-Pro: 70% / 14% (near the 10% chance level, not compared)" in en
    assert "leads" not in en and "No benchmark in the collected data" not in en
    assert "● Not counted, near chance level: MMLU-Pro (10%)." in en


def test_a_benchmark_without_a_chance_level_keeps_its_leader() -> None:
    """A low score on a benchmark where guessing scores nothing (SWE-bench) is still a score."""
    comparison = compare_models(
        [A, B], [fact(A, "SWE-bench Verified", 20.0), fact(B, "SWE-bench Verified", 4.0)]
    )
    row = comparison.metric("SWE-bench Verified")
    assert row is not None and row.chance is None and row.leader == 0
    assert "(+16; beyond the ±3.9 margin of error)" in render_comparison_text(
        comparison, Language.EN
    )


# --- release dates -----------------------------------------------------------------------------


async def test_deep_research_is_not_dated_before_o3(bundled: Bundled) -> None:
    """models.dev dates o3 Deep Research and o4 Mini Deep Research 26 June 2024, before o3 and
    o4-mini themselves (16 April 2025), on which they are built. The date is set aside and named;
    the one shown is that of the dated id OpenRouter lists for each (`canonical_slug`
    `openai/o3-deep-research-2025-06-26`)."""
    registry = make_registry(bundled.store, FixedClock(datetime(2026, 8, 15, tzinfo=UTC)))
    comparison = await registry.compare(["o3-deep-research", "o3"])
    assert comparison.release_dates == (date(2025, 6, 26), date(2025, 4, 16))
    assert comparison.release_snapshots == ("o3-deep-research-2025-06-26", "")
    assert comparison.release_gaps_days == (0, -71)
    (doubt,) = comparison.release_set_aside
    assert (doubt.model_index, doubt.release_date, doubt.source_name) == (
        0,
        date(2024, 6, 26),
        "models.dev",
    )
    assert (doubt.built_on, doubt.built_on_date) == ("o3", date(2025, 4, 16))
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "▪️ Released: 26 June 2025, snapshot o3-deep-research-2025-06-26 / "
        "16 April 2025 (models.dev) (71 days later; sources disagree: 26 June 2024 for "
        "o3 Deep Research in models.dev, before o3 (16 April 2025))\n"
    ) in en
    ru = render_comparison_text(comparison, Language.RU)
    assert (
        "▪️ Выпуск: 26 июня 2025, версия o3-deep-research-2025-06-26 / "
        "16 апреля 2025 (models.dev) (на 71 дн. позже; источники расходятся: models.dev — "
        "26 июня 2024 у o3 Deep Research, раньше o3 (16 апреля 2025))\n"
    ) in ru
    assert "2024" not in comparison_to_json(comparison)["release_dates"][0]

    pair = await registry.compare(["o4-mini-deep-research", "o3-deep-research"])
    assert pair.release_dates == (date(2025, 6, 26), date(2025, 6, 26))
    assert [d.built_on for d in pair.release_set_aside] == ["o4 Mini", "o3"]
    # o3-mini came before o3 (a smaller tier may): its date is not set aside for that. It is
    # for another reason: models.dev's 20 December 2024 is its announcement, over a month
    # before it shipped as o3-mini-2025-01-31 (`test_compare_audit.py`).
    mini = await registry.compare(["o3-mini", "o3"])
    assert [d.built_on for d in mini.release_set_aside] == [""]
    assert mini.release_dates[0] == date(2025, 1, 31)


O3 = ModelInfo("openai/o3", "o3", "OpenAI", release_date=date(2025, 4, 16))


def research(**changes: object) -> ModelInfo:
    fields: dict[str, object] = {
        "release_date": date(2024, 6, 26),
        "release_source": "models.dev",
        "aliases": ("openai/o3-deep-research-2025-06-26", "o3 Deep Research"),
    }
    fields.update(changes)
    return ModelInfo("openai/o3-deep-research", "o3 Deep Research", "OpenAI", **fields)  # type: ignore[arg-type]


def test_an_impossible_date_with_no_dated_id_is_shown_as_unknown() -> None:
    model = research(aliases=())
    prices = [fact(m, Metric.PRICE_INPUT, 10.0, "USD/1M tokens") for m in (model, O3)]
    comparison = compare_models([model, O3], prices, [O3, None])
    assert comparison.release_dates == (None, date(2025, 4, 16))
    en = render_comparison_text(comparison, Language.EN)
    assert (
        "▪️ Released: — / 16 April 2025 (date set aside as impossible: 26 June 2024 for "
        "o3 Deep Research in models.dev, before o3 (16 April 2025))"
    ) in en


def test_possible_curated_or_preview_dates_stand() -> None:
    # Without the model it is built on, or a dated id, nothing to check against.
    assert compare_models([research(aliases=()), O3], []).release_dates[0] == date(2024, 6, 26)
    # Its dated id alone, a year later, still says the date is no release (an announcement).
    assert compare_models([research(), O3], []).release_dates[0] == date(2025, 6, 26)
    # The curated file's own date (no import named) is checked by hand: it stands.
    curated = research(release_source="")
    assert compare_models([curated, O3], [], [O3, None]).release_set_aside == ()
    # A preview may come before its release; a dated id of another date is no witness.
    preview = ModelInfo(
        "openai/o3-preview",
        "o3 Preview",
        "OpenAI",
        release_date=date(2024, 12, 20),
        release_source="models.dev",
    )
    assert compare_models([preview, O3], [], [O3, None]).release_set_aside == ()
    # A dated id that is itself before the base is no better: none is shown.
    early = research(aliases=("openai/o3-deep-research-2025-01-01",))
    assert compare_models([early, O3], [], [O3, None]).release_dates[0] is None


@pytest.mark.parametrize(("language", "shown"), [(Language.EN, "45.27"), (Language.RU, "45,27")])
def test_an_index_score_is_a_bare_number_in_either_language(language: Language, shown: str) -> None:
    # Artificial Analysis's Coding Index is stored in Unit.POINTS: a Russian answer read
    # "45,27 points", its one English word.
    ref = FactRef(
        value=45.27,
        unit=Unit.POINTS,
        as_of=date(2025, 10, 1),
        source_name="models.dev",
        source_url="https://models.dev",
    )
    assert format_value(ref, language) == shown
