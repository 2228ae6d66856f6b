"""The catalogue's code: looking a message up, plural forms, numbers and dates as each language
writes them, and the language a user's app reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from aiprogress.core.messages.catalogue import CATALOGUE
from aiprogress.core.types import Language, Period

_MIDNIGHT = time(tzinfo=UTC)

_MONTHS: dict[Language, tuple[str, ...]] = {
    Language.RU: (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    Language.EN: (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def language_of_locale(locale: str | None) -> Language | None:
    """The catalogue's language a user's app reports (Telegram's `language_code`, Discord's
    `locale`): "en", "en-GB", "ru" and the like; None for any other language or none."""
    primary = (locale or "").replace("_", "-").split("-", 1)[0].lower()
    try:
        return Language(primary)
    except ValueError:
        return None


def message(key: str, language: Language, /, **values: object) -> str:
    return CATALOGUE[key][language].format(**values)


def count_of(count: int, key: str, language: Language) -> str:
    """'3 публикации', '5 публикаций', '1 item', '2 items'."""
    return f"{count} {plural_form(count, key, language)}"


def plural_form(count: int, key: str, language: Language) -> str:
    """The form of `key`'s noun that goes after `count`: 'публикации' after 3, 'items' after 2."""
    forms = CATALOGUE[key][language].split("|")
    if language is Language.RU:
        tens, units = count % 100, count % 10
        if units == 1 and tens != 11:
            return forms[0]
        if 2 <= units <= 4 and not 12 <= tens <= 14:
            return forms[1]
        return forms[2]
    return forms[0] if count == 1 else forms[1]


def format_number(value: float, language: Language, decimals: int = 1) -> str:
    """Digits grouped and the decimal mark as each language writes it: 1,048,576 and 68.7 in
    English; 1 048 576 and 68,7 in Russian. Trailing zeros are dropped."""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language is Language.RU:
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


# Multiples from here up are whole: "31×" says enough where "30.5×" would be false precision,
# while below it a decimal matters ("12.5×", not "12×").
_WHOLE_TIMES_FROM = 20


def _rounded_multiple(factor: float) -> Decimal:
    exact = Decimal(f"{factor:.12g}")
    step = Decimal(1) if exact >= _WHOLE_TIMES_FROM else Decimal("0.1")
    return exact.quantize(step, rounding=ROUND_HALF_UP)


def is_same_multiple(factor: float) -> bool:
    """A multiple, either way round, that `times` would say as 1: no difference worth naming
    ("same price"), in digests and /compare alike."""
    return factor > 0 and _rounded_multiple(max(factor, 1 / factor)) == 1


def times(factor: float, language: Language) -> str:
    """'30×', '12.5×', '1.5×' / '30 раз', '2 раза', '1,5 раза' (a fraction takes the 'few' form).

    The one rule for a multiple, in digests and /compare alike: one decimal below 20×, whole
    from 20×, rounded half up on the factor's shortest decimal form, so $1.25 against $0.1
    (12.499999… in binary floating point) is 12.5×, as the two prices say."""
    rounded = _rounded_multiple(factor)
    whole = rounded.as_tuple().exponent == 0
    number = format_number(float(rounded), language, 0 if whole else 1)
    if language is Language.EN:
        return f"{number}×"
    forms = CATALOGUE["compare.times"][language].split("|")
    if "," in number:
        return f"{number} {forms[1]}"
    return count_of(int(number.replace("\u00a0", "")), "compare.times", language)


def period_name(period: Period, language: Language) -> str:
    return message(f"digest.period.{period.value}", language)


def long_date(day: date, language: Language) -> str:
    """'14 августа 2026' / '14 August 2026'."""
    return f"{short_date(day, language)} {day.year}"


def short_date(day: date, language: Language) -> str:
    """'14 августа' / '14 August'."""
    return f"{day.day} {_MONTHS[language][day.month - 1]}"


def window_span(start: datetime, end: datetime, language: Language) -> str:
    """The moments a digest's window [start, end) covers, as a reader takes them (UTC).

    Bounds at midnight UTC cover whole days, named first to last: '5 March 2030',
    '1–7 March 2030', '28 February – 6 March 2030', '29 December 2029 – 4 January 2030'
    ('марта' and the like in Russian). Any other bound is named with its time, both ends
    alike, since a day's name alone would claim the whole day: '5 March, 09:00 – 6 March
    2030, 09:00 UTC' ('по Гринвичу' in Russian). Times are to the minute."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if start.timetz() == _MIDNIGHT and end.timetz() == _MIDNIGHT and end > start:
        first, last = start.date(), (end - timedelta(days=1)).date()
        if first == last:
            return long_date(first, language)
        if (first.year, first.month) == (last.year, last.month):
            month = _MONTHS[language][last.month - 1]
            return message(
                "digest.window.same_month",
                language,
                first=first.day,
                last=last.day,
                month=month,
                year=last.year,
            )
        return message(
            "digest.window.days",
            language,
            first=_date_before(first, last, language),
            last=long_date(last, language),
        )
    return message(
        "digest.window.moments",
        language,
        start=message(
            "digest.window.moment",
            language,
            date=_date_before(start.date(), end.date(), language),
            time=f"{start:%H:%M}",
        ),
        end=message(
            "digest.window.moment",
            language,
            date=long_date(end.date(), language),
            time=f"{end:%H:%M}",
        ),
    )


def _date_before(day: date, later: date, language: Language) -> str:
    """A span's first day: its year is said once, at the end, unless the span crosses one."""
    return short_date(day, language) if day.year == later.year else long_date(day, language)
