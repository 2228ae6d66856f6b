"""Sources: the feeds we read, their schedule and conditional-GET state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from aiprogress.core.errors import DuplicateSource, SourceNotFound, StorageError
from aiprogress.core.types import NewSource, Source, SourceChange, SourceTally, TrustTier
from aiprogress.storage.rows import SOURCE_FIELDS, source_of_row
from aiprogress.storage.tables import source as SOURCE_TABLE
from aiprogress.storage.transactions import Connection, Transactions

# Read as the dialect's own DateTime and made UTC by `source_of_row`, as UTCDateTime would make
# them: one call a value instead of the type decorator's three. A collection reads these four
# for every source on every run (an all-304 pass of 2,000 sources: 8,000 values, a tenth of
# what the collector's own code cost it in a profile).
_TIMES = frozenset({"created_at", "last_fetched_at", "next_check_at", "baseline_at"})


def _read(name: str) -> sa.ColumnElement[Any]:
    column = SOURCE_TABLE.c[name]
    if name in _TIMES:
        return sa.type_coerce(column, column.type.impl).label(name)  # type: ignore[attr-defined]
    return column


SOURCE_COLUMNS = tuple(_read(name) for name in SOURCE_FIELDS)
"""The columns `source_of_row` takes, in its order (its times as the database gives them)."""


def _page_query(enabled_only: bool, due: bool, limited: bool) -> sa.Select[Any]:
    """Sources after `:after_id` in id order, as plain rows of `SOURCE_COLUMNS`; `due` adds
    `next_check_at <= :due_at`, `limited` a `LIMIT :limit`."""
    table = SOURCE_TABLE
    conditions: list[sa.ColumnElement[bool]] = [table.c.id > sa.bindparam("after_id")]
    if enabled_only or due:
        conditions.append(table.c.enabled.is_(True))
    if due:
        next_check = table.c.next_check_at
        conditions.append(sa.or_(next_check.is_(None), next_check <= sa.bindparam("due_at")))
    query = sa.select(*SOURCE_COLUMNS).where(*conditions).order_by(table.c.id)
    return query.limit(sa.bindparam("limit", type_=sa.Integer)) if limited else query


class SqlSourceRepository:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions
        self._pages: dict[tuple[bool, bool, bool], sa.Select[Any]] = {}
        self._one = sa.select(*SOURCE_COLUMNS).where(SOURCE_TABLE.c.id == sa.bindparam("key"))

    async def add(self, new: NewSource, now: datetime) -> Source:
        values = {
            "url": new.url,
            "name": new.name,
            "kind": new.kind.value,
            "trust_tier": new.trust_tier.value,
            "enabled": True,
            "created_at": now,
            "backfill": new.backfill,
            "interval_seconds": new.interval_seconds,
            "name_from_user": bool(new.name) and not new.name_from_feed,
        }
        statement = sa.insert(SOURCE_TABLE).values(values).returning(*SOURCE_COLUMNS)
        try:
            async with self._transactions() as connection:
                return source_of_row(*(await connection.execute(statement)).one())
        except StorageError as exc:
            if isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise DuplicateSource(new.url) from None
            raise

    async def get(self, source_id: int) -> Source:
        async with self._transactions() as connection:
            return await self._get(connection, source_id)

    async def _get(self, connection: Connection, source_id: int) -> Source:
        row = (await connection.execute(self._one, {"key": source_id})).first()
        if row is None:
            raise SourceNotFound(source_id)
        return source_of_row(*row)

    async def find_by_url(self, url: str) -> Source | None:
        query = sa.select(*SOURCE_COLUMNS).where(SOURCE_TABLE.c.url == url)
        async with self._transactions() as connection:
            row = (await connection.execute(query)).first()
            return source_of_row(*row) if row else None

    async def list(
        self,
        *,
        enabled_only: bool = False,
        due_at: datetime | None = None,
        after_id: int = 0,
        limit: int | None = None,
    ) -> Sequence[Source]:
        """All sources, or the enabled ones, or the enabled ones due for a check at `due_at`."""
        # One statement object per shape: the collector pages through every source on each
        # run, and a new statement and its result metadata cost more than the rows.
        shape = (enabled_only, due_at is not None, limit is not None)
        query = self._pages.get(shape)
        if query is None:
            query = self._pages[shape] = _page_query(*shape)
        parameters: dict[str, Any] = {"after_id": after_id}
        if due_at is not None:
            parameters["due_at"] = due_at
        if limit is not None:
            parameters["limit"] = limit
        async with self._transactions() as connection:
            rows = await connection.execute(query, parameters)
            return [source_of_row(*row) for row in rows]

    async def count(self, *, enabled_only: bool = False, due_at: datetime | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(SOURCE_TABLE)
        query = query.where(*self._selected(enabled_only, due_at))
        async with self._transactions() as connection:
            return int((await connection.execute(query)).scalar_one())

    async def tally(self) -> Sequence[SourceTally]:
        table = SOURCE_TABLE
        enabled = table.c.enabled
        failing = sa.and_(enabled.is_(True), table.c.failures > 0)
        query = sa.select(table.c.trust_tier, enabled, failing, sa.func.count()).group_by(
            table.c.trust_tier, enabled, failing
        )
        async with self._transactions() as connection:
            rows = (await connection.execute(query)).all()
        return [
            SourceTally(TrustTier(tier), bool(on), bool(bad), int(count))
            for tier, on, bad, count in rows
        ]

    @staticmethod
    def _selected(
        enabled_only: bool, due_at: datetime | None
    ) -> tuple[sa.ColumnElement[bool], ...]:
        table = SOURCE_TABLE
        conditions: tuple[sa.ColumnElement[bool], ...] = ()
        if enabled_only or due_at is not None:
            conditions += (table.c.enabled.is_(True),)
        if due_at is not None:
            due = sa.or_(table.c.next_check_at.is_(None), table.c.next_check_at <= due_at)
            conditions += (due,)
        return conditions

    async def remove(self, source_id: int) -> None:
        statement = sa.delete(SOURCE_TABLE).where(SOURCE_TABLE.c.id == source_id)
        async with self._transactions() as connection:
            if (await connection.execute(statement)).rowcount == 0:
                raise SourceNotFound(source_id)

    async def update(self, source_id: int, change: SourceChange) -> Source:
        values: dict[str, Any] = {}
        if change.name is not None:
            values["name"] = change.name
            values["name_from_user"] = bool(change.name)
            if not change.name:
                # Handed back to the feed's title, "taken at the next fetch": that fetch must
                # read the feed, which an unchanged feed's 304 (or its same body, skipped
                # unparsed) would not, and the source stayed nameless until the feed changed.
                values.update(etag=None, last_modified=None, body_hash=None)
        if change.trust_tier is not None:
            values["trust_tier"] = change.trust_tier.value
        if change.interval_seconds is not None:
            values["interval_seconds"] = change.interval_seconds
        return await self._change(source_id, values)

    async def set_enabled(self, source_id: int, enabled: bool) -> Source:
        values: dict[str, Any] = {"enabled": enabled}
        if enabled:
            # Enabling by hand is a fresh start: check now, forget the failure streak.
            values.update(failures=0, disabled_reason=None, next_check_at=None)
        return await self._change(source_id, values)

    async def _change(self, source_id: int, values: dict[str, Any]) -> Source:
        """Set `values` on the source and return it as it is now."""
        async with self._transactions() as connection:
            if not values:
                return await self._get(connection, source_id)
            statement = (
                sa.update(SOURCE_TABLE)
                .where(SOURCE_TABLE.c.id == source_id)
                .values(values)
                .returning(*SOURCE_COLUMNS)
            )
            row = (await connection.execute(statement)).first()
            if row is None:
                raise SourceNotFound(source_id)
            return source_of_row(*row)
