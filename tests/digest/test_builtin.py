"""The built-in writer's text for a fixed fact sheet, held to golden files in both languages.

After an intended change, regenerate with `AIPROGRESS_UPDATE_GOLDEN=1 pytest tests/digest` and
read the diff before committing it."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from aiprogress.core.factsheet import (
    Conclusion,
    ConclusionKind,
    FactSheet,
    FactSource,
    Quantity,
    Verdict,
)
from aiprogress.core.types import Item, Language, Period, Source, SourceKind, TrustTier, Unit
from aiprogress.digest.builtin import BuiltinWriter, conclusion_point
from aiprogress.digest.render import document_from_json, document_to_json, render_text
from aiprogress.digest.stories import SheetInputs, StoryBuilder
from aiprogress.sources.parse import parse_feed
from tests.conftest import snapshot_feed
from tests.digest.sheets import MODELS, WINDOW_END, fact_sheet

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("language", list(Language))
async def test_builtin_digest_matches_the_golden_file(language: Language) -> None:
    written = await BuiltinWriter().write(fact_sheet(), MODELS)
    assert written.verdict is Verdict.BUILTIN and written.usage.total_tokens == 0
    document = written.documents[language]
    text = f"{document.title}\n\n{render_text(document)}\n"
    golden = GOLDEN / f"builtin.{language.value}.txt"
    if os.environ.get("AIPROGRESS_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert document_from_json(document_to_json(document)) == document


async def test_an_empty_period_says_so() -> None:
    sheet = fact_sheet()
    empty = type(sheet)(sheet.period, sheet.window_start, sheet.window_end, stories=())
    written = await BuiltinWriter().write(empty)
    assert written.documents[Language.RU].thesis == "За этот период новых публикаций нет."
    assert written.documents[Language.EN].stories == ()


def _competition(spread_now: float, spread_before: float, unit: str) -> Conclusion:
    score = "%" if unit == Unit.PERCENTAGE_POINTS else ""
    return Conclusion(
        kind=ConclusionKind.COMPETITION,
        metric="MMLU-Pro",
        quantities=(
            Quantity("spread_now", spread_now, unit),
            Quantity("spread_before", spread_before, unit),
            Quantity("leader_now", 76.4, score),
            Quantity("runner_now", 76.4 - spread_now, score),
            Quantity("leader_before", 75.8, score),
            Quantity("runner_before", 75.8 - spread_before, score),
        ),
        models=(
            ("leader_now", "Gemini 2.0 Flash"),
            ("runner_now", "DeepSeek-V3"),
            ("leader_before", "Gemini 1.5 Pro"),
            ("runner_before", "Grok 2"),
        ),
        sources=(FactSource("LLM Stats", "https://llm-stats.com"),),
        dates=(("now", date(2025, 2, 28)), ("before", date(2024, 11, 29))),
    )


def test_a_gap_that_moved_within_noise_holds_steady() -> None:
    # The day of GPT-4.5's launch said "The leader pulls away" for 0.3 -> 0.5 points.
    steady = conclusion_point([_competition(0.5, 0.3, Unit.PERCENTAGE_POINTS)], Language.EN)
    assert steady.lead == "Competition holds steady"
    assert conclusion_point(
        [_competition(8.08, 0.0, Unit.PERCENTAGE_POINTS)], Language.RU
    ).lead == ("Отрыв лидера растёт")
    # Arena Elo gaps: 36 against 18 is news, 20 against 18 is not.
    assert conclusion_point([_competition(36, 18, "")], Language.EN).lead == "The leader pulls away"
    assert conclusion_point([_competition(19, 18, "")], Language.EN).lead == (
        "Competition holds steady"
    )


async def test_one_site_s_two_feeds_are_one_outlet() -> None:
    # The month to 1 July 2026 led with "NVIDIA Nemotron 3 Ultra": "2 outlets reported it (Ollama
    # Blog, Ollama models)" and "Wide coverage: … 2 outlets", for the Ollama blog's post and its
    # model library's entry, both on ollama.com.
    blog = Source(1, "https://ollama.com/blog/rss.xml", "Ollama Blog", SourceKind.FEED,
                  TrustTier.COMMUNITY, True, WINDOW_END)  # fmt: skip
    library = replace(blog, id=2, name="Ollama models",
                      url="https://simonw.github.io/ollama-models-atom-feed/atom-recent-20.xml")  # fmt: skip
    rows: list[tuple[Item, Source]] = []
    for name, source in (("ollama-blog.rss", blog), ("ollama-models-recent-20.atom", library)):
        for entry in parse_feed(snapshot_feed(name), url=source.url).items:
            if "nemotron-3-ultra" in entry.url:
                item = Item(len(rows) + 1, source.id, entry.guid, entry.url, entry.title,
                            entry.summary, entry.published_at, WINDOW_END, entry.content_hash)  # fmt: skip
                rows.append((item, source))
    stories, _ = StoryBuilder().stories(rows, SheetInputs(), max_stories=5)
    assert len(stories) == 1 and len(stories[0].sources) == 2  # one story, both feeds listed
    sheet = FactSheet(Period.MONTH, WINDOW_END - timedelta(days=30), WINDOW_END, stories=stories)
    written = await BuiltinWriter().write(sheet)
    english = written.documents[Language.EN]
    assert english.thesis.startswith("The main story is “NVIDIA Nemotron 3 Ultra” (Ollama Blog).")
    assert english.takeaways == ()
    assert "Широкий охват" not in render_text(written.documents[Language.RU])
