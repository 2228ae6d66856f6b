"""Release dates of the bundled data: LLM Stats' model records and the first dated snapshot of
a line fill the models the curated file and models.dev left undated, and nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from aiprogress.core.clock import FixedClock
from aiprogress.core.types import Language
from aiprogress.digest.compare_render import render_comparison_text
from tests.builders import make_registry
from tests.conftest import Bundled

NOW = FixedClock(datetime(2026, 8, 15, tzinfo=UTC))


@pytest.mark.parametrize(
    ("first", "second", "en", "ru"),
    [
        (
            "o1-mini",
            "gpt-oss-20b",
            "▪️ Released: 12 September 2024 (LLM Stats) / 5 August 2025 (LLM Stats)",
            "▪️ Выпуск: 12 сентября 2024 (LLM Stats) / 5 августа 2025 (LLM Stats)",
        ),
        (
            # models.dev's `claude-3-opus-20240229` (the day it gives the snapshot of the same
            # stamp, `claude-3-sonnet-20240229`: Anthropic's launch) and
            # `claude-3-5-haiku-20241022`: each the only (so the first) dated id its line is
            # known by: its date is the line's.
            "claude 3 opus",
            "claude 3.5 haiku",
            "▪️ Released: 4 March 2024 (models.dev) / 22 October 2024 (models.dev)",
            "▪️ Выпуск: 4 марта 2024 (models.dev) / 22 октября 2024 (models.dev)",
        ),
        (
            "grok 4",
            "grok 3 mini",
            "▪️ Released: 9 July 2025 (LLM Stats) / 17 February 2025 (LLM Stats)",
            "▪️ Выпуск: 9 июля 2025 (LLM Stats) / 17 февраля 2025 (LLM Stats)",
        ),
    ],
)
async def test_models_only_llm_stats_or_a_dated_id_dates_show_their_release(
    bundled: Bundled, first: str, second: str, en: str, ru: str
) -> None:
    comparison = await make_registry(bundled.store, NOW).compare([first, second])
    assert en in render_comparison_text(comparison, Language.EN)
    assert ru in render_comparison_text(comparison, Language.RU)


async def test_a_checkpoint_or_a_contradicted_date_is_no_line_release(bundled: Bundled) -> None:
    registry = make_registry(bundled.store, NOW)
    # LLM Stats dates only `gemini-2.5-pro-preview-06-05`; our model is the preview line
    # (03-25, 05-06, 06-05), first out in March: that date would be the third checkpoint's.
    preview = await registry.resolve("gemini 2.5 pro preview")
    assert preview.release_date is None
    # LLM Stats' 2025-01-10 for DeepSeek-V3.1 is before V3-0324, the checkpoint it succeeds.
    v31 = await registry.resolve("deepseek v3.1")
    assert v31.release_date is None
    # A checkpoint's names are not its line's: `deepseek-v3-0324` is not DeepSeek-V3.
    v3 = await registry.resolve("deepseek-v3")
    assert "deepseek-v3-0324" not in v3.aliases
    assert "deepseek-r1-0528" not in (await registry.resolve("deepseek-r1")).aliases


async def test_dates_already_known_stay_as_they_were(bundled: Bundled) -> None:
    registry = make_registry(bundled.store, NOW)
    # Curated (checked by hand), and models.dev before LLM Stats: LLM Stats gives 2024-12-25,
    # 2023-06-13 and 2025-10-15 for these three.
    expected = {
        "deepseek-v3": (date(2024, 12, 26), ""),
        "gpt-4": (date(2023, 3, 14), ""),
        "claude haiku 4.5": (date(2025, 10, 15), "models.dev"),
    }
    for name, (day, source) in expected.items():
        model = await registry.resolve(name)
        assert (model.release_date, model.release_source) == (day, source), name


async def test_claude_3_is_dated_by_its_launch_not_by_its_snapshot_stamp(bundled: Bundled) -> None:
    """Anthropic launched Claude 3 Opus and Sonnet (`-20240229`) on 4 March 2024 and Haiku
    (`-20240307`) on 13 March: models.dev's days, which outrank LLM Stats' stamps."""
    registry = make_registry(bundled.store, NOW)
    expected = {
        "claude 3 opus": date(2024, 3, 4),
        "claude 3 sonnet": date(2024, 3, 4),
        "claude 3 haiku": date(2024, 3, 13),
    }
    for name, day in expected.items():
        model = await registry.resolve(name)
        assert (model.release_date, model.release_source) == (day, "models.dev"), name


async def test_dates_the_vendor_contradicts_are_left_out(bundled: Bundled) -> None:
    registry = make_registry(bundled.store, NOW)
    # models.dev's 2024-12-11 is Gemini 2.0 Flash's; LLM Stats gives Flash-Lite's preview.
    lite = await registry.resolve("gemini 2.0 flash lite")
    assert (lite.release_date, lite.release_source) == (date(2025, 2, 5), "LLM Stats")
