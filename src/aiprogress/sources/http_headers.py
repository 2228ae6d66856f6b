"""What a feed server's response headers say about when to ask again: Retry-After (a 429 or
503's wait) and Cache-Control/Expires (how long the answer stays fresh), read as RFC 9110 and
9111 write them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    # Imported when a date is there to read: most 304s carry neither Expires nor Retry-After,
    # and email.utils (with email.charset and more) cost an all-304 `collect` ~0.5%.
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a Retry-After header, given as a number or as an HTTP date."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    moment, now = _http_date(value), _http_date(headers.get("Date"))
    if moment is None:
        return None
    seconds = (moment - (now or datetime.now(UTC))).total_seconds()
    return max(seconds, 0.0)


def fresh_for(headers: Mapping[str, str]) -> float | None:
    """How long the server calls the response fresh: Cache-Control max-age, else Expires."""
    for directive in (headers.get("Cache-Control") or "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() in ("no-cache", "no-store"):
            return None
        if name.lower() == "max-age" and value.strip().isdigit():
            return float(value.strip())
    expires = _http_date(headers.get("Expires"))
    if expires is None:
        return None  # before parsing Date, which nearly every response carries
    now = _http_date(headers.get("Date"))
    seconds = (expires - (now or datetime.now(UTC))).total_seconds()
    return seconds if seconds > 0 else None
