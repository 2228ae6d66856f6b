"""Without an LLM, the digest's titles and summaries stay as published; every word we write
around them is in the digest's language: Russian (Cyrillic) in the RU digest, no Cyrillic in the
EN one. Checked on built-in digests written end to end into a fresh SQLite database (the golden
day's feeds through the loopback feed server; the month to the bundled snapshot's date of its
real recorded feeds) and on every catalogue line the digest writer words from. Which words are
ours is read from each digest's fact sheet (tests/digest/own_words.py), not guessed by script.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from aiprogress.core.messages import CATALOGUE, long_date, period_name
from aiprogress.core.types import Language, Period
from tests.digest.own_words import Written, count_words, golden_day, is_russian, snapshot_month
from tests.digest.own_words import words as words_of


def _assert_ours_in_its_language(written: Written) -> None:
    for language in Language:
        count = written.count(language)
        script = "Cyrillic" if language is Language.RU else "Latin, not Cyrillic"
        assert not count.strays, (
            f"{written.what}, {language.value}: our words not in {script}: {count.strays}"
        )
        # The cut leaves our wording (title, thesis, headings, sign-off) and takes out others'.
        assert count.ours >= 15, (written.what, language, count.words)
        assert count.total > count.ours, (written.what, language)


async def test_the_golden_days_own_words_are_in_the_digests_language(tmp_path: Path) -> None:
    written = await golden_day(tmp_path)
    ru = written.drafts[Language.RU].body
    # The day has what a digest words: a weighing line, conclusions, sources with links.
    assert " против " in ru and "Что мы видим?" in ru and "Данные: " in ru
    _assert_ours_in_its_language(written)


async def test_a_months_own_words_are_in_the_digests_language(tmp_path: Path) -> None:
    written = await snapshot_month(tmp_path)
    assert written.drafts[Language.RU].body.count("🔘 ") >= 10
    _assert_ours_in_its_language(written)


# The catalogue lines the built-in writer and the text renderer word a digest from; the
# digests above show some of them, these cover the branches a given day does not take (a
# widening gap, slower releases, a weighing without prices, the empty digest, the coverage
# takeaway, every period and month).
_DIGEST_KEYS = re.compile(
    r"^(?:digest\.|noun\.story$|noun\.outlet$|noun\.source\.|compare\.times$)"
)


def _catalogue_words(language: Language) -> list[tuple[str, str]]:
    lines = [(key, text[language]) for key, text in CATALOGUE.items() if _DIGEST_KEYS.match(key)]
    lines += [(f"period {p.value}", period_name(p, language)) for p in Period]
    lines += [(f"month {m}", long_date(date(2026, m, 1), language)) for m in range(1, 13)]
    return [
        (key, word)
        for key, line in lines
        for word in words_of(re.sub(r"\{\w+\}", " ", line))  # placeholders are not words
    ]


@pytest.mark.parametrize("language", list(Language))
def test_every_catalogue_line_of_the_digest_is_in_its_language(language: Language) -> None:
    pairs = _catalogue_words(language)
    assert len(pairs) > 200
    strays = [
        (key, word) for key, word in pairs if is_russian(word) is not (language is Language.RU)
    ]
    assert not strays, f"{language.value} catalogue words in the other script: {strays}"


def test_the_cut_keeps_our_words_and_takes_out_what_is_published() -> None:
    """Constructed: an English word of ours ("Data") is caught in a Russian text; the English
    title, summary, outlet, model and benchmark names and the link are not ours."""
    sheet = {
        "stories": [
            {
                "title": "Introducing Orion 2.",
                "summary": "Orion 2 beats Orion 1 on GPQA Diamond.",
                "models": ["Orion 2"],
                "sources": [
                    {"name": "Example Labs", "url": "https://example.org/a", "outlet_url": ""}
                ],
                "weighing": None,
            }
        ],
        "conclusions": [
            {
                "metric": "GPQA Diamond",
                "models": [["leader_now", "Orion 2"]],
                "sources": [{"name": "Epoch AI Benchmarking Hub", "url": ""}],
            }
        ],
    }
    text = (
        "Главная история — «Introducing Orion 2.» (Example Labs).\n\n"
        "🔘 Introducing Orion 2\nOrion 2 beats Orion 1 on GPQA Diamond.\nhttps://example.org/a\n\n"
        "● На GPQA Diamond лидирует Orion 2 и Orion 1. Data: Epoch AI Benchmarking Hub."
    )
    count = count_words(text, json.dumps(sheet), ["Orion 1"], russian=True)
    assert count.words == ("Главная", "история", "На", "лидирует", "и", "Data")
    assert count.strays == ("Data",)
    assert count.total == len(words_of(text))
    english = count_words(text, json.dumps(sheet), ["Orion 1"], russian=False)
    assert english.strays == ("Главная", "история", "На", "лидирует", "и")
