"""The fetch log: many sources' fetches (new items, edits, schedule, notices) stored in one
transaction, the collector's hot path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from aiprogress.core.types import (
    FetchOutcome,
    FetchResult,
    FetchStatus,
    ParsedItem,
    SourceCheck,
    StoredFetch,
)
from aiprogress.storage import tables
from aiprogress.storage.items import insert_new_items
from aiprogress.storage.transactions import Connection, Transactions

# What an answer without items stored (frozen: one serves them all).
_NOTHING_STORED = StoredFetch(new_items=0, updated_items=0)

# Stored error texts are for admins' eyes in listings; keep them to a readable length.
_MAX_ERROR_LENGTH = 500


async def _apply_edits(
    connection: Connection,
    items_by_source: Mapping[int, Sequence[ParsedItem]],
    fetched_at: datetime,
) -> Counter[int]:
    """Stored entries (same source, same guid) whose content changed take the new text."""
    by_key = {
        (source_id, item.guid): item
        for source_id, items in items_by_source.items()
        for item in items
    }
    updated: Counter[int] = Counter()
    if not by_key:
        return updated
    guids = list({guid for _, guid in by_key})
    stored = await connection.execute(
        sa.select(
            tables.item.c.source_id,
            tables.item.c.id,
            tables.item.c.guid,
            tables.item.c.content_hash,
        ).where(
            tables.item.c.source_id.in_(_padded(list(items_by_source))),
            tables.item.c.guid.in_(_padded(guids)),
        )
    )
    changed = [
        (source_id, row_id, item)
        for source_id, row_id, guid, digest in stored.all()
        if (item := by_key.get((source_id, guid))) is not None and item.content_hash != digest
    ]
    if not changed:
        return updated
    # An edit that now matches another stored entry's content stays as it was: two rows of
    # one source may not share a content hash.
    taken: set[tuple[int, str]] = set(
        (
            await connection.execute(
                sa.select(tables.item.c.source_id, tables.item.c.content_hash).where(
                    tables.item.c.source_id.in_(
                        _padded(list({source_id for source_id, _, _ in changed}))
                    ),
                    tables.item.c.content_hash.in_(
                        _padded([item.content_hash for _, _, item in changed])
                    ),
                )
            )
        ).all()
    )
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
    if rows:
        await connection.execute(
            sa.update(tables.item).where(tables.item.c.id == sa.bindparam("row_id")), rows
        )
    return updated


# Most source ids one UPDATE names: each is a bound parameter, and old SQLite builds allow
# 999 to a statement.
_IDS_PER_UPDATE = 512


def _padded(values: list[Any]) -> list[Any]:
    """`values` lengthened to the next power of two by repeating the last one, which changes
    nothing an IN (...) matches. The SQLite driver keeps each distinct statement it ran prepared
    (128 of them a connection) and an IN-list of each length is a statement of its own: lists of
    any length filled that cache with the 304 path's updates. Padded, a shape of update has at
    most ten lengths (1 to 512); a longer list (an edit check's guids) is padded to a multiple
    of 512, so that it never nears SQLite's limit of bound parameters."""
    if len(values) > _IDS_PER_UPDATE:
        size = -(-len(values) // _IDS_PER_UPDATE) * _IDS_PER_UPDATE
    else:
        size = 1 << (len(values) - 1).bit_length() if values else 0
    return values + values[-1:] * (size - len(values))


def _fetch_values(result: FetchResult, check: SourceCheck, now: datetime) -> dict[str, Any]:
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


class SqlFetchLog:
    """Many sources' fetches stored in one transaction: the collector's hot path."""

    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions
        self._dialect = transactions.dialect
        self._updates: dict[tuple[tuple[str, ...], bool], sa.Update] = {}

    def _update_of(self, shape: tuple[str, ...], *, many: bool) -> sa.Update:
        """The update that sets the columns of `shape` on one source (bound as `source_key`)
        or, with `many`, on each source of `source_keys`; built once, as a new statement per
        batch cost more than its rows when most answers are 304s."""
        statement = self._updates.get((shape, many))
        if statement is None:
            table = tables.source
            which = (
                table.c.id.in_(sa.bindparam("source_keys", expanding=True))
                if many
                else table.c.id == sa.bindparam("source_key")
            )
            statement = self._updates[(shape, many)] = (
                sa.update(table).where(which).values({key: sa.bindparam(key) for key in shape})
            )
        return statement

    async def record(self, outcomes: Sequence[FetchOutcome]) -> list[StoredFetch]:
        if not outcomes:
            return []
        async with self._transactions() as connection:
            new = await insert_new_items(connection, outcomes)
            # Entries that were not new may be edits of stored ones.
            maybe_edited = {
                outcome.source_id: outcome.items
                for outcome in outcomes
                if outcome.items and new.get(outcome.source_id, 0) < len(outcome.items)
            }
            updated = await _apply_edits(connection, maybe_edited, outcomes[0].fetched_at)
            # Sources given the same values share one UPDATE ... WHERE id IN (...): in a run of
            # 304s from sources of one interval that is all of them, and an executemany of a
            # row per source cost more to bind than the database took to apply it. The rest
            # (new validators, as after a 200) go in one executemany per shape of update.
            by_values: dict[tuple[tuple[str, Any], ...], list[int]] = {}
            for outcome in outcomes:
                values = _fetch_values(outcome.result, outcome.check, outcome.fetched_at)
                if outcome.rename_to is not None:
                    values["name"] = outcome.rename_to
                key = tuple(sorted(values.items()))
                by_values.setdefault(key, []).append(outcome.source_id)
            one_each: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for key, source_ids in by_values.items():
                shape = tuple(name for name, _ in key)
                if len(source_ids) == 1:
                    one_each.setdefault(shape, []).append(
                        {**dict(key), "source_key": source_ids[0]}
                    )
                    continue
                for start in range(0, len(source_ids), _IDS_PER_UPDATE):
                    chunk = source_ids[start : start + _IDS_PER_UPDATE]
                    await connection.execute(
                        self._update_of(shape, many=True),
                        {**dict(key), "source_keys": _padded(chunk)},
                    )
            for shape, parameters in one_each.items():
                await connection.execute(self._update_of(shape, many=False), parameters)
            notices = [
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
            if notices:
                await connection.execute(sa.insert(tables.admin_notice), notices)
        # Read with get: a Counter's missing key is a Python call (__missing__), three for each
        # answer without items, most of a 304 pass's.
        return [
            StoredFetch(
                new_items=new.get(o.source_id, 0), updated_items=updated.get(o.source_id, 0)
            )
            if o.items
            else _NOTHING_STORED
            for o in outcomes
        ]
