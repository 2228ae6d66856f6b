"""What a digest is written from: its window, its filter's key and its plan."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from aiprogress.core.errors import InvalidInput
from aiprogress.core.types import ItemFilter, ModelInfo, Period, value_type

if TYPE_CHECKING:
    # Annotations only: the composer builds the sheet and its stories (see core/ports.py).
    from aiprogress.core.factsheet import FactSheet, Story


def filter_spec(item_filter: ItemFilter | None) -> str:
    """A filter set as canonical JSON ("" for none): the key digests are stored under."""
    if item_filter is None or item_filter.empty:
        return ""
    return json.dumps(
        {field.name: sorted(getattr(item_filter, field.name)) for field in fields(item_filter)},
        sort_keys=True,
        ensure_ascii=False,
    )


@value_type
class DigestPlan:
    """What a digest is written from, and the keys it is stored and found by."""

    period: Period
    start: datetime
    end: datetime
    sheet: FactSheet
    models: list[ModelInfo]
    filter_key: str
    filter_spec: str
    sheet_hash: str


def past_window(
    period: Period, end: datetime | None, now: datetime
) -> tuple[datetime, datetime] | None:
    """The period's window [end - length, end) for a digest asked to end at `end`: a moment
    that has passed (a digest of time to come would miss what is yet to be published and be
    stored as if complete); None, the period ending now, for no `end`."""
    if end is None:
        return None
    if end.tzinfo is None:
        raise InvalidInput("a digest's end needs a time zone")
    try:
        end = end.astimezone(UTC)
        start = end - period.length
    except OverflowError:
        raise InvalidInput(f"{end:%Y-%m-%d} is too early for a digest's end") from None
    if end > now:
        raise InvalidInput(
            f"a digest can only cover time that has passed: its period would end at "
            f"{end:%Y-%m-%d %H:%M} UTC, after now ({now:%Y-%m-%d %H:%M} UTC)"
        )
    return start, end


def pick_stories(ranked: Sequence[Story], *, per_source: int, limit: int) -> list[Story]:
    """The stories a digest tells, best first: the first `limit` of `ranked` (best first) with
    at most `per_source` led by one source, so that one prolific outlet cannot crowd the
    digest. The cap comes after the ranking, not before it: capped first, newest first, a
    month's digest kept a lab's five latest posts and dropped its model launch a week earlier.
    A story counts against its lead source (its first), the one whose item it is told from."""
    led: Counter[str] = Counter()
    picked: list[Story] = []
    for story in ranked:
        if len(picked) >= limit:
            break
        lead = (story.sources[0].outlet_url or story.sources[0].name) if story.sources else ""
        if led[lead] >= per_source:
            continue
        led[lead] += 1
        picked.append(story)
    return picked
