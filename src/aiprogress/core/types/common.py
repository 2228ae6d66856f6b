"""What every layer speaks in: the reader's language, a digest's period, and UTC time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum


class Language(StrEnum):
    RU = "ru"
    EN = "en"


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def length(self) -> timedelta:
        return {
            Period.DAY: timedelta(days=1),
            Period.WEEK: timedelta(days=7),
            Period.MONTH: timedelta(days=30),
        }[self]


def ensure_utc(moment: datetime) -> datetime:
    """Refuse naive datetimes: a naive value is a bug upstream, not something to guess about."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: use timezone-aware UTC")
    return moment.astimezone(UTC)


def window_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The days of a digest's window [start, end), as a half-open range [first, stop) of dates,
    for what is dated by the day (knowledge-base events, release dates): a day is the window's
    in which it ends, so consecutive windows share no day and miss none. A daily window from
    09:00 to 09:00 holds the day before its end; one shorter than a day may hold none."""
    return start.date(), end.date()
