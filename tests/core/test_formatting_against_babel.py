"""The catalogue's hand-written plural rules, number formats and month names against Babel's
(CLDR's) for Russian and English. The product keeps the hand rules because Babel costs start-up
(README, "How it is built"); Babel is a test dependency only, and this test is what makes keeping
them safe: a case where the two disagree fails here."""

from __future__ import annotations

from datetime import date

import pytest
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from aiprogress.core.messages import (
    CATALOGUE,
    count_of,
    format_number,
    long_date,
    short_date,
    times,
)
from aiprogress.core.types import Language

COUNTS = (0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1000)
NUMBERS = ((1234.5, 1), (0.5, 1), (19.48, 2), (19.48, 1), (1_048_576, 0), (68.7, 1), (3.0, 1))

# The catalogue's forms in order, by CLDR category. Russian keeps three: "one", "few", "many";
# CLDR's "other" (fractions: "1,5 раза") takes the "few" word, as Russian grammar has it.
FORM_INDEX = {
    Language.RU: {"one": 0, "few": 1, "many": 2, "other": 1},
    Language.EN: {"one": 0, "other": 1},
}
# Plural keys with a distinct word per form, so a wrong choice shows.
PLURAL_KEY = {Language.RU: "noun.story", Language.EN: "noun.story"}


def _locale(language: Language) -> Locale:
    return Locale.parse(language.value)


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("count", COUNTS)
def test_plural_forms_are_cldrs(language: Language, count: int) -> None:
    key = PLURAL_KEY[language]
    forms = CATALOGUE[key][language].split("|")
    assert len(set(forms)) == len(forms)  # distinct words: a wrong index cannot pass
    category = _locale(language).plural_form(count)
    assert count_of(count, key, language) == f"{count} {forms[FORM_INDEX[language][category]]}"


def test_a_fraction_takes_cldrs_other_form_in_russian() -> None:
    assert _locale(Language.RU).plural_form(1.5) == "other"
    assert _locale(Language.EN).plural_form(1.5) == "other"
    forms = CATALOGUE["compare.times"][Language.RU].split("|")
    assert times(1.5, Language.RU) == f"1,5 {forms[FORM_INDEX[Language.RU]['other']]}"
    # Whole factors go through the counted forms: 21 раз, 22 раза, 25 раз.
    for factor in (21.0, 22.0, 25.0):
        category = _locale(Language.RU).plural_form(int(factor))
        assert (
            times(factor, Language.RU) == f"{factor:.0f} {forms[FORM_INDEX[Language.RU][category]]}"
        )


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize(("value", "decimals"), NUMBERS)
def test_numbers_are_written_as_cldr_writes_them(
    language: Language, value: float, decimals: int
) -> None:
    # Grouped digits and the language's decimal mark; trailing zeros dropped ("#" digits).
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    expected = format_decimal(value, format=pattern, locale=_locale(language))
    assert format_number(value, language, decimals) == expected


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_are_cldrs(language: Language, month: int) -> None:
    # Russian dates take the genitive ("14 марта"): CLDR's "format" context, as MMMM gives it.
    day = date(2025, month, 14)
    locale = _locale(language)
    assert short_date(day, language) == format_date(day, "d MMMM", locale=locale)
    assert long_date(day, language) == format_date(day, "d MMMM y", locale=locale)
