"""The fetch log: many sources' fetches (new items, edits, schedule, notices) stored in one
transaction, the collector's hot path. What is stored and how it is grouped into statements is
`rows.py`'s, shared with the sqlite3 fetch log (`sqlite_collect.py`); here it runs on Core."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa

from aiprogress.core.types import FetchOutcome, ParsedItem, StoredFetch
from aiprogress.storage import tables
from aiprogress.storage.items import insert_new_items
from aiprogress.storage.rows import (
    changed_items,
    edit_keys,
    edit_rows,
    maybe_edited,
    notice_rows,
    padded,
    source_updates,
    stored_fetches,
)
from aiprogress.storage.transactions import Connection, Transactions


async def _apply_edits(
    connection: Connection,
    items_by_source: Mapping[int, Sequence[ParsedItem]],
    fetched_at: datetime,
) -> Counter[int]:
    """Stored entries (same source, same guid) whose content changed take the new text."""
    by_key = edit_keys(items_by_source)
    if not by_key:
        return Counter()
    guids = list({guid for _, guid in by_key})
    stored = await connection.execute(
        sa.select(
            tables.item.c.source_id,
            tables.item.c.id,
            tables.item.c.guid,
            tables.item.c.content_hash,
        ).where(
            tables.item.c.source_id.in_(padded(list(items_by_source))),
            tables.item.c.guid.in_(padded(guids)),
        )
    )
    changed = changed_items(stored.all(), by_key)
    if not changed:
        return Counter()
    taken: set[tuple[int, str]] = set(
        (
            await connection.execute(
                sa.select(tables.item.c.source_id, tables.item.c.content_hash).where(
                    tables.item.c.source_id.in_(
                        padded(list({source_id for source_id, _, _ in changed}))
                    ),
                    tables.item.c.content_hash.in_(
                        padded([item.content_hash for _, _, item in changed])
                    ),
                )
            )
        ).all()
    )
    rows, updated = edit_rows(changed, taken, fetched_at)
    if rows:
        await connection.execute(
            sa.update(tables.item).where(tables.item.c.id == sa.bindparam("row_id")), rows
        )
    return updated


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
            updated = await _apply_edits(
                connection, maybe_edited(outcomes, new), outcomes[0].fetched_at
            )
            shared, one_each = source_updates(outcomes)
            for shape, values, source_ids in shared:
                await connection.execute(
                    self._update_of(shape, many=True), {**values, "source_keys": source_ids}
                )
            for shape, parameters in one_each.items():
                await connection.execute(self._update_of(shape, many=False), parameters)
            notices = notice_rows(outcomes)
            if notices:
                await connection.execute(sa.insert(tables.admin_notice), notices)
        return stored_fetches(outcomes, new, updated)
