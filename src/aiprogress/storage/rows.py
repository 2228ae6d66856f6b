"""What the collector's storage makes of its values and rows, apart from running SQL: shared by
the SQLAlchemy repositories (`sources.py`, `items.py`, `fetch_log.py`) and the standard
library's sqlite3 one that `aiprogress collect` uses on a SQLite database at head
(`sqlite_collect.py`). Only the SQL's execution differs between the two: which rows a fetch
stores, how they are grouped into statements and what they are stored as are decided here, once.
This module imports no SQLAlchemy, so that the sqlite3 path does not load it (issue 21)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import chain
from typing import Any, TypeVar

from aiprogress.core.types import (
    FetchOutcome,
    FetchResult,
    FetchStatus,
    ParsedItem,
    Source,
    SourceCheck,
    SourceKind,
    StoredFetch,
    TrustTier,
)

# --- sources ---------------------------------------------------------------------------------

SOURCE_FIELDS = (
    "id",
    "url",
    "name",
    "kind",
    "trust_tier",
    "enabled",
    "created_at",
    "etag",
    "last_modified",
    "last_fetched_at",
    "last_status",
    "last_error",
    "failures",
    "next_check_at",
    "interval_seconds",
    "disabled_reason",
    "backfill",
    "baseline_at",
    "name_from_user",
    "body_hash",
)
"""The source table's columns `source_of_row` takes, in its order."""


def _utc(value: datetime | None) -> datetime | None:
    """A time as read from the database, timezone-aware UTC (as UTCDateTime reads it)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def source_of_row(
    source_id: int,
    url: str,
    name: str,
    kind: str,
    trust_tier: str,
    enabled: bool,
    created_at: datetime,
    etag: str | None,
    last_modified: str | None,
    last_fetched_at: datetime | None,
    last_status: str | None,
    last_error: str | None,
    failures: int,
    next_check_at: datetime | None,
    interval_seconds: int,
    disabled_reason: str | None,
    backfill: bool,
    baseline_at: datetime | None,
    name_from_user: bool,
    body_hash: str | None,
) -> Source:
    """A `Source` from a row of `SOURCE_FIELDS`, in that order (its times as datetimes, naive
    ones in UTC)."""
    # Positional, with the enums looked up in dicts: the collector builds one per source per
    # run, and keywords and enum calls were half of its cost.
    return Source(
        source_id,
        url,
        name,
        _SOURCE_KINDS[kind],
        _TRUST_TIERS[trust_tier],
        enabled,
        created_at.replace(tzinfo=UTC) if created_at.tzinfo is None else created_at.astimezone(UTC),
        etag,
        last_modified,
        _utc(last_fetched_at),
        _FETCH_STATUSES[last_status] if last_status else None,
        last_error,
        failures,
        _utc(next_check_at),
        interval_seconds,
        disabled_reason,
        backfill,
        _utc(baseline_at),
        name_from_user,
        body_hash,
    )


_SOURCE_KINDS = {kind.value: kind for kind in SourceKind}
_TRUST_TIERS = {tier.value: tier for tier in TrustTier}
_FETCH_STATUSES = {status.value: status for status in FetchStatus}


# --- values as SQLite stores them --------------------------------------------------------------


def sqlite_moment(moment: datetime) -> str:
    """A UTC moment as SQLAlchemy's SQLite DATETIME stores it (`tables.UTCDateTime`):
    'YYYY-MM-DD HH:MM:SS.ffffff' in UTC. A test holds the two to the same text."""
    if moment.tzinfo is not UTC:  # the parsers give UTC: its text needs no conversion
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r} cannot be stored; use UTC")
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_json_list(values: tuple[str, ...]) -> str:
    # As the JSON column's bind processor writes it (json.dumps); most items have none.
    return json.dumps(list(values)) if values else "[]"


# --- new items, as a fetch stores them (the collector's hot path) ---------------------------

ITEM_TABLE = "item"

# The columns a fetch's INSERT fills, in the order of `sqlite_item_values`; the others
# (id, updated_at) are the database's.
INSERTED = (
    "source_id",
    "guid",
    "url",
    "title",
    "summary",
    "published_at",
    "fetched_at",
    "content_hash",
    "authors",
    "tags",
    "baseline",
)
# The SQLite driver keeps each distinct statement it ran prepared (128 of them a connection),
# and a prepared INSERT of n rows holds about 1.2 KB a row: statements of any length (a batch's
# rows, as one multi-row INSERT) took up to 48 MB. Rows go in chunks of these sizes only (a
# batch's count written in binary, at most 128 rows to a statement): 8 shapes, ~300 KB.
_SQLITE_CHUNKS = (128, 64, 32, 16, 8, 4, 2, 1)
# Names from the table's definition; every value is a bound parameter.
_SQLITE_INSERT = (
    f"INSERT INTO {ITEM_TABLE} ({', '.join(INSERTED)}) VALUES {{rows}} "  # noqa: S608
    "ON CONFLICT DO NOTHING RETURNING source_id"
)
_SQLITE_ROW = "(" + ",".join("?" * len(INSERTED)) + ")"
_SQLITE_STATEMENTS = tuple(
    (size, _SQLITE_INSERT.format(rows=",".join([_SQLITE_ROW] * size))) for size in _SQLITE_CHUNKS
)


def unique_items(items: Sequence[ParsedItem]) -> Iterator[tuple[ParsedItem, str]]:
    """A feed's items with their content hashes, the first of any that repeat a guid or a
    content hash only: a feed may repeat an entry, and the first occurrence wins, as it would
    in the table (whose unique keys are those two)."""
    seen_guids: set[str] = set()
    seen_hashes: set[str] = set()
    for item in items:
        digest = item.content_hash
        if item.guid in seen_guids or digest in seen_hashes:
            continue
        seen_guids.add(item.guid)
        seen_hashes.add(digest)
        yield item, digest


def is_baseline(item: ParsedItem, baseline: bool, news_since: datetime | None) -> bool:
    """A baseline fetch's item is not news unless it was published since `news_since`."""
    return baseline and not (
        news_since is not None and item.published_at is not None and item.published_at >= news_since
    )


def sqlite_item_values(
    source_id: int,
    items: Sequence[ParsedItem],
    fetched_at: datetime,
    baseline: bool,
    news_since: datetime | None,
) -> list[tuple[Any, ...]]:
    """One source's new rows as the parameters of `INSERTED`, converted as the columns' types
    would convert them on SQLite. (The collector's first pass builds one for each of its items:
    `is_baseline` is spelled out below, and a source's published moment converted once.)"""
    fetched = sqlite_moment(fetched_at)
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    for item, digest in unique_items(items):
        published = item.published_at
        append(
            (
                source_id,
                item.guid,
                item.url,
                item.title,
                item.summary,
                None if published is None else sqlite_moment(published),
                fetched,
                digest,
                _sqlite_json_list(item.authors) if item.authors else "[]",
                _sqlite_json_list(item.tags) if item.tags else "[]",
                int(
                    baseline
                    and not (
                        news_since is not None and published is not None and published >= news_since
                    )
                ),
            )
        )
    return rows


_R = TypeVar("_R")
# One source's new rows from its items: (source id, items, fetched at, baseline, news since).
_RowsOf = Callable[[int, Sequence[ParsedItem], datetime, bool, datetime | None], Iterable[_R]]


def _of_outcomes(outcomes: Sequence[FetchOutcome], rows_of: _RowsOf[_R]) -> list[_R]:
    """The rows of every outcome's items, one source's at a time by `rows_of`."""
    return [
        row
        for outcome in outcomes
        if outcome.items
        for row in rows_of(
            outcome.source_id,
            outcome.items,
            outcome.fetched_at,
            outcome.baseline,
            outcome.news_since,
        )
    ]


def sqlite_values_of(outcomes: Sequence[FetchOutcome]) -> list[tuple[Any, ...]]:
    """The rows of every outcome's items, as `sqlite_item_values` gives them. ValueError for a
    naive date."""
    return _of_outcomes(outcomes, sqlite_item_values)


def item_rows(
    source_id: int,
    items: Sequence[ParsedItem],
    fetched_at: datetime,
    baseline: bool,
    news_since: datetime | None,
) -> list[dict[str, Any]]:
    """One source's new rows as Core's INSERT takes them (the columns' types convert them)."""
    return [
        {
            "source_id": source_id,
            "guid": item.guid,
            "url": item.url,
            "title": item.title,
            "summary": item.summary,
            "published_at": item.published_at,
            "fetched_at": fetched_at,
            "content_hash": digest,
            "authors": list(item.authors),
            "tags": list(item.tags),
            "baseline": is_baseline(item, baseline, news_since),
        }
        for item, digest in unique_items(items)
    ]


def item_rows_of(outcomes: Sequence[FetchOutcome]) -> list[dict[str, Any]]:
    """The rows of every outcome's items, as Core's INSERT takes them (`item_rows`)."""
    return _of_outcomes(outcomes, item_rows)


Execute = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]
"""Runs one SQL statement with its parameters, as the driver takes them, and gives its rows."""


def insert_sqlite_rows(execute: Execute, rows: list[tuple[Any, ...]]) -> list[int]:
    """The rows (of `sqlite_item_values`) inserted as multi-row INSERTs, ON CONFLICT DO
    NOTHING; the source id of each row that was new. The parameters are already in the column's
    stored form, so the driver gets them as they are: SQLAlchemy's per-parameter processing (a
    type decorator and a formatter per date, json.dumps per list, a dict per row) cost the
    collector's first pass more than SQLite took to store the rows (bench/collect.py)."""
    new: list[int] = []
    start = 0
    for size, statement in _SQLITE_STATEMENTS:
        while len(rows) - start >= size:
            chunk = rows[start : start + size]
            start += size
            new.extend(
                source_id for (source_id,) in execute(statement, tuple(chain.from_iterable(chunk)))
            )
    return new


# --- the fetch log ------------------------------------------------------------------------------

# What an answer without items stored (frozen: one serves them all).
_NOTHING_STORED = StoredFetch(new_items=0, updated_items=0)

# Stored error texts are for admins' eyes in listings; keep them to a readable length.
_MAX_ERROR_LENGTH = 500

# Most source ids one UPDATE names: each is a bound parameter, and old SQLite builds allow
# 999 to a statement.
IDS_PER_UPDATE = 512


def padded(values: list[Any]) -> list[Any]:
    """`values` lengthened to the next power of two by repeating the last one, which changes
    nothing an IN (...) matches. The SQLite driver keeps each distinct statement it ran prepared
    (128 of them a connection) and an IN-list of each length is a statement of its own: lists of
    any length filled that cache with the 304 path's updates. Padded, a shape of update has at
    most ten lengths (1 to 512); a longer list (an edit check's guids) is padded to a multiple
    of 512, so that it never nears SQLite's limit of bound parameters."""
    if len(values) > IDS_PER_UPDATE:
        size = -(-len(values) // IDS_PER_UPDATE) * IDS_PER_UPDATE
    else:
        size = 1 << (len(values) - 1).bit_length() if values else 0
    return values + values[-1:] * (size - len(values))


def fetch_values(result: FetchResult, check: SourceCheck, now: datetime) -> dict[str, Any]:
    """The source's columns a fetch sets."""
    values: dict[str, Any] = {
        "last_fetched_at": now,
        "last_status": result.status.value,
        "last_error": (result.error or "")[:_MAX_ERROR_LENGTH] or None,
        "failures": check.failures,
        "next_check_at": check.next_check_at,
    }
    if check.baseline_at is not None:
        values["baseline_at"] = check.baseline_at
    if check.disabled_reason is not None:
        values["enabled"] = False
        values["disabled_reason"] = check.disabled_reason[:_MAX_ERROR_LENGTH]
    if result.status is FetchStatus.OK:
        # Validators are replaced only by a successful response, so a failed fetch keeps the
        # conditional-GET state of the last good one.
        values["etag"] = result.etag
        values["last_modified"] = result.last_modified
        values["body_hash"] = result.body_hash
    return values


Shape = tuple[str, ...]
"""The columns an update of sources sets, in order."""


def source_updates(
    outcomes: Sequence[FetchOutcome],
) -> tuple[list[tuple[Shape, dict[str, Any], list[int]]], dict[Shape, list[dict[str, Any]]]]:
    """The sources' updates, in the order they run: first one per set of values several
    sources share (its columns, their values, a padded chunk of at most `IDS_PER_UPDATE` source
    ids), then the rest, one executemany per shape (each row's values and `source_key`, its
    source's id).

    Sources given the same values share one UPDATE ... WHERE id IN (...): in a run of 304s
    from sources of one interval that is all of them, and an executemany of a row per source
    cost more to bind than the database took to apply it. The rest (new validators, as after a
    200) go in one executemany per shape of update."""
    by_values: dict[tuple[tuple[str, Any], ...], list[int]] = {}
    for outcome in outcomes:
        values = fetch_values(outcome.result, outcome.check, outcome.fetched_at)
        if outcome.rename_to is not None:
            values["name"] = outcome.rename_to
        key = tuple(sorted(values.items()))
        by_values.setdefault(key, []).append(outcome.source_id)
    shared: list[tuple[Shape, dict[str, Any], list[int]]] = []
    one_each: dict[Shape, list[dict[str, Any]]] = {}
    for key, source_ids in by_values.items():
        shape = tuple(name for name, _ in key)
        if len(source_ids) == 1:
            one_each.setdefault(shape, []).append({**dict(key), "source_key": source_ids[0]})
            continue
        for start in range(0, len(source_ids), IDS_PER_UPDATE):
            chunk = source_ids[start : start + IDS_PER_UPDATE]
            shared.append((shape, dict(key), padded(chunk)))
    return shared, one_each


def maybe_edited(
    outcomes: Sequence[FetchOutcome], new: Mapping[int, int]
) -> dict[int, Sequence[ParsedItem]]:
    """Each source's items when not all of them were new (`new`: how many each gained): those
    may be edits of stored ones."""
    return {
        outcome.source_id: outcome.items
        for outcome in outcomes
        if outcome.items and new.get(outcome.source_id, 0) < len(outcome.items)
    }


def edit_keys(
    items_by_source: Mapping[int, Sequence[ParsedItem]],
) -> dict[tuple[int, str], ParsedItem]:
    """The items by (source id, guid): what a stored entry is matched with."""
    return {
        (source_id, item.guid): item
        for source_id, items in items_by_source.items()
        for item in items
    }


def changed_items(
    stored: Iterable[Sequence[Any]], by_key: Mapping[tuple[int, str], ParsedItem]
) -> list[tuple[int, int, ParsedItem]]:
    """(source id, row id, item) of the stored entries (rows of source id, row id, guid, content
    hash) whose item's content differs from theirs."""
    return [
        (source_id, row_id, item)
        for source_id, row_id, guid, digest in stored
        if (item := by_key.get((source_id, guid))) is not None and item.content_hash != digest
    ]


def edit_rows(
    changed: Sequence[tuple[int, int, ParsedItem]],
    taken: set[tuple[int, str]],
    fetched_at: datetime,
) -> tuple[list[dict[str, Any]], Counter[int]]:
    """The updates of the changed entries (by `row_id`) and how many each source had.

    An edit that now matches another stored entry's content (`taken`: the (source id, content
    hash) pairs stored) stays as it was: two rows of one source may not share a content hash."""
    updated: Counter[int] = Counter()
    rows = []
    for source_id, row_id, item in changed:
        if (source_id, item.content_hash) in taken:
            continue
        taken.add((source_id, item.content_hash))
        rows.append(
            {
                "row_id": row_id,
                "url": item.url,
                "title": item.title,
                "summary": item.summary,
                "content_hash": item.content_hash,
                "updated_at": fetched_at,
            }
        )
        updated[source_id] += 1
    return rows, updated


def notice_rows(outcomes: Sequence[FetchOutcome]) -> list[dict[str, Any]]:
    """The admin notices the outcomes carry, as rows of the notice table."""
    return [
        {
            "kind": notice.kind.value,
            "text": notice.text,
            "source_id": notice.source_id,
            "created_at": notice.created_at,
            "subject": notice.subject,
            "detail": notice.detail,
        }
        for outcome in outcomes
        if (notice := outcome.notice) is not None
    ]


def stored_fetches(
    outcomes: Sequence[FetchOutcome], new: Mapping[int, int], updated: Mapping[int, int]
) -> list[StoredFetch]:
    """One result per outcome: the items its source gained and those edited."""
    # Read with get: a Counter's missing key is a Python call (__missing__), three for each
    # answer without items, most of a 304 pass's.
    return [
        StoredFetch(new_items=new.get(o.source_id, 0), updated_items=updated.get(o.source_id, 0))
        if o.items
        else _NOTHING_STORED
        for o in outcomes
    ]
