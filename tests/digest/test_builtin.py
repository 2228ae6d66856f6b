"""The built-in writer's text for a fixed fact sheet, held to golden files in both languages.

After an intended change, regenerate with `AIPROGRESS_UPDATE_GOLDEN=1 pytest tests/digest` and
read the diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aiprogress.core.factsheet import Verdict
from aiprogress.core.types import Language
from aiprogress.digest.builtin import BuiltinWriter
from aiprogress.digest.render import document_from_json, document_to_json, render_text
from tests.digest.sheets import MODELS, fact_sheet

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
