"""The model registry: models with aliases, their facts over time, and events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from aiprogress.core.types import EventKind, ModelEvent, ModelFact, ModelInfo, Snapshot
from aiprogress.storage import tables
from aiprogress.storage.transactions import Transactions, insert_for

# Ids per `IN (...)` read: well under SQLite's limit of bound parameters (32,766; 999 before
# SQLite 3.32) and asyncpg's (32,767).
_READ_CHUNK = 500


# A fact's columns in `ModelFact`'s order: rows become facts by position, and neither the id
# nor `collected_at` (a UTC conversion per row) is read. The bundled data's import reads its
# history of ~4,000 facts once per source.
_FACT_COLUMNS = tuple(
    tables.model_fact.c[name]
    for name in (
        "model_id",
        "metric",
        "value",
        "unit",
        "as_of",
        "source_name",
        "source_url",
        "setting",
        "source_model",
        "copy_of",
    )
)


# Whose release date a model keeps, most trusted first. The curated file's dates (stored with
# no source name: the file cites each) are never replaced; a date another import filled gives
# way to a later fill from a source ranked above its own, and never to one ranked the same or
# below (so the first of equals stays). Why this order:
# - models.dev keeps a `release_date` per model by hand as a field of its schema, and of the
#   dated ids of one release it dates each (`_dates` in the importers judges the ones that
#   only repeat an id's stamp);
# - LLM Stats' community records put a month as its first day, copy dates between models,
#   and give a dated id's stamp as its release (`importers.llmstats_models` lists the ones
#   refused): trusted below models.dev, its dates fill only what models.dev leaves;
# - any other source (none gives dates today) comes last.
# Vendor, family and open weights stay first-come: every source that gives them agrees on
# the models we hold, and no date or figure is read from them.
RELEASE_DATE_TRUST = ("models.dev", "LLM Stats")


def release_date_rank(source_name: str) -> int:
    """A release date's standing by its source (lower is trusted more): the curated file's
    (no source name) first, then `RELEASE_DATE_TRUST` in its order, then any other source."""
    if not source_name:
        return -1
    if source_name in RELEASE_DATE_TRUST:
        return RELEASE_DATE_TRUST.index(source_name)
    return len(RELEASE_DATE_TRUST)


def _event(row: Any) -> ModelEvent:
    return ModelEvent(
        kind=EventKind(row.kind),
        model_id=row.model_id,
        as_of=row.as_of,
        source_url=row.source_url,
        metric=row.metric,
        old_value=row.old_value,
        new_value=row.new_value,
        unit=row.unit,
        previous_model_id=row.previous_model_id,
    )


class SqlModelRepository:
    """The model registry: models with aliases, their facts over time, and events."""

    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions
        self._insert = insert_for(transactions.dialect)

    async def all(self) -> list[ModelInfo]:
        model, alias, snapshot = tables.model, tables.model_alias, tables.model_snapshot
        async with self._transactions() as connection:
            rows = (await connection.execute(sa.select(model).order_by(model.c.canonical_id))).all()
            aliases: dict[str, list[str]] = {}
            for alias_id, model_id in await connection.execute(
                sa.select(alias.c.alias, alias.c.model_id).order_by(alias.c.alias)
            ):
                aliases.setdefault(model_id, []).append(alias_id)
            snapshots: dict[str, list[Snapshot]] = {}
            for model_id, snapshot_id, release_date, is_default in await connection.execute(
                sa.select(
                    snapshot.c.model_id,
                    snapshot.c.snapshot_id,
                    snapshot.c.release_date,
                    snapshot.c.is_default,
                ).order_by(snapshot.c.release_date, snapshot.c.snapshot_id)
            ):
                snapshots.setdefault(model_id, []).append(
                    Snapshot(snapshot_id, release_date, is_default)
                )
        return [
            ModelInfo(
                canonical_id=row.canonical_id,
                display_name=row.display_name,
                vendor=row.vendor,
                family=row.family,
                release_date=row.release_date,
                open_weights=row.open_weights,
                aliases=tuple(aliases.get(row.canonical_id, ())),
                predecessor=row.predecessor,
                snapshots=tuple(snapshots.get(row.canonical_id, ())),
                release_source=row.release_source,
            )
            for row in rows
        ]

    async def facts(
        self, model_ids: Sequence[str] | None = None, metrics: Sequence[str] | None = None
    ) -> list[ModelFact]:
        columns = tables.model_fact.c
        query = sa.select(*_FACT_COLUMNS)
        if model_ids is not None:
            query = query.where(columns.model_id.in_(list(model_ids)))
        if metrics is not None:
            query = query.where(columns.metric.in_(list(metrics)))
        query = query.order_by(columns.model_id, columns.metric, columns.as_of)
        async with self._transactions() as connection:
            return [ModelFact(*row) for row in await connection.execute(query)]

    async def events(
        self, since: date | None = None, until: date | None = None, limit: int = 100
    ) -> list[ModelEvent]:
        """Events by the day they happened (`as_of`), newest first; not by when we stored them:
        a bulk import of old data is not today's news."""
        columns = tables.model_event.c
        query = sa.select(tables.model_event)
        if since is not None:
            query = query.where(columns.as_of >= since)
        if until is not None:
            query = query.where(columns.as_of <= until)
        query = query.order_by(columns.as_of.desc(), columns.id).limit(limit)
        async with self._transactions() as connection:
            return [_event(row) for row in await connection.execute(query)]

    async def apply_import(
        self,
        *,
        models: Sequence[ModelInfo],
        aliases: Sequence[tuple[str, str]],
        facts: Sequence[ModelFact],
        events: Sequence[ModelEvent],
        now: datetime,
        update_models: bool = False,
        snapshots: Sequence[tuple[str, Snapshot]] = (),
        fills: Sequence[ModelInfo] = (),
    ) -> tuple[int, int]:
        """Write one import in one transaction: all of it or, on any error, none of it.
        Returns (models added, facts added). Existing facts are never changed. `fills` give
        stored models what they lack (a release date, a vendor, a family, open weights) and
        never replace a value they have, but for a release date a more trusted source gives
        (`RELEASE_DATE_TRUST`)."""
        added_models = added_facts = 0
        async with self._transactions() as connection:
            if models:
                rows = [
                    {
                        "canonical_id": m.canonical_id,
                        "display_name": m.display_name,
                        "vendor": m.vendor,
                        "family": m.family,
                        "release_date": m.release_date,
                        "open_weights": m.open_weights,
                        "predecessor": m.predecessor,
                        "release_source": m.release_source if m.release_date else "",
                    }
                    for m in models
                ]
                insert = self._insert(tables.model)
                if update_models:
                    stored = tables.model.c
                    set_: dict[str, Any] = {
                        key: insert.excluded[key] for key in rows[0] if key != "canonical_id"
                    }
                    # The authoritative file replaces what it states; where it states no
                    # release date, one an import filled in stays, with its source.
                    set_["release_date"] = sa.func.coalesce(
                        insert.excluded.release_date, stored.release_date
                    )
                    set_["release_source"] = sa.case(
                        (insert.excluded.release_date.is_(None), stored.release_source),
                        else_=insert.excluded.release_source,
                    )
                    statement = insert.on_conflict_do_update(
                        index_elements=["canonical_id"], set_=set_
                    )
                    await connection.execute(statement, rows)
                    added_models = len(rows)
                else:
                    result = await connection.execute(
                        insert.on_conflict_do_nothing().returning(tables.model.c.canonical_id),
                        rows,
                    )
                    added_models = len(result.all())
            if fills:
                await self._fill_gaps(connection, fills)
            if update_models and models:
                # The authoritative file says what a model's snapshots are: its list replaces ours.
                await connection.execute(
                    sa.delete(tables.model_snapshot).where(
                        tables.model_snapshot.c.model_id.in_([m.canonical_id for m in models])
                    )
                )
            snapshot_rows = [
                {
                    "model_id": m.canonical_id,
                    "snapshot_id": s.snapshot_id,
                    "release_date": s.release_date,
                    "is_default": s.is_default,
                }
                for m in models
                for s in m.snapshots
            ]
            # Dated snapshots another source named under a model we hold (added, never replaced).
            snapshot_rows += [
                {
                    "model_id": model_id,
                    "snapshot_id": s.snapshot_id,
                    "release_date": s.release_date,
                    "is_default": s.is_default,
                }
                for model_id, s in snapshots
            ]
            if snapshot_rows:
                await connection.execute(
                    self._insert(tables.model_snapshot).on_conflict_do_nothing(), snapshot_rows
                )
            if aliases:
                await connection.execute(
                    self._insert(tables.model_alias).on_conflict_do_nothing(),
                    [{"alias": alias, "model_id": model_id} for alias, model_id in aliases],
                )
            if facts:
                result = await connection.execute(
                    self._insert(tables.model_fact)
                    .on_conflict_do_nothing()
                    .returning(tables.model_fact.c.id),
                    [
                        {
                            "model_id": f.model_id,
                            "metric": f.metric,
                            "value": f.value,
                            "unit": f.unit,
                            "as_of": f.as_of,
                            "source_name": f.source_name,
                            "source_url": f.source_url,
                            "collected_at": now,
                            "setting": f.setting,
                            "source_model": f.source_model,
                            "copy_of": f.copy_of,
                        }
                        for f in facts
                    ],
                )
                added_facts = len(result.all())
            if events:
                await connection.execute(
                    self._insert(tables.model_event).on_conflict_do_nothing(),
                    [
                        {
                            "kind": e.kind.value,
                            "model_id": e.model_id,
                            "metric": e.metric,
                            "old_value": e.old_value,
                            "new_value": e.new_value,
                            "unit": e.unit,
                            "as_of": e.as_of,
                            "source_url": e.source_url,
                            "previous_model_id": e.previous_model_id,
                            "created_at": now,
                        }
                        for e in events
                    ],
                )
        return added_models, added_facts

    @staticmethod
    async def _fill_gaps(connection: Any, fills: Sequence[ModelInfo]) -> None:
        """Each field a stored model lacks takes the first fill's value that has one; a field
        it has is kept, but for a release date, which a fill from a source ranked above the
        stored date's (`release_date_rank`) replaces. What each fill would change is worked
        out from one read of the models the fills name, then written in one statement per
        field (the bundled data's import has ~1,000 fills, ~280 of which change something):
        the same rows as one UPDATE per fill and field, in a few statements. Each UPDATE still
        checks the stored value in its `WHERE`, so two imports at once cannot both fill a
        field."""
        model = tables.model
        stored: dict[str, dict[str, Any]] = {}
        ids = sorted({fill.canonical_id for fill in fills})
        for start in range(0, len(ids), _READ_CHUNK):
            rows = await connection.execute(
                sa.select(
                    model.c.canonical_id,
                    model.c.release_date,
                    model.c.release_source,
                    model.c.vendor,
                    model.c.family,
                    model.c.open_weights,
                ).where(model.c.canonical_id.in_(ids[start : start + _READ_CHUNK]))
            )
            for row in rows:
                stored[row.canonical_id] = dict(row._mapping)
        dated: list[dict[str, Any]] = []
        changes: dict[str, list[dict[str, Any]]] = {"vendor": [], "family": [], "open_weights": []}
        for fill in fills:
            current = stored.get(fill.canonical_id)
            if current is None:
                continue  # removed since the import read it: nothing to fill
            if fill.release_date is not None and (
                current["release_date"] is None
                or release_date_rank(fill.release_source)
                < release_date_rank(current["release_source"])
            ):
                dated.append(
                    {
                        "b_id": fill.canonical_id,
                        "b_date": fill.release_date,
                        "b_source": fill.release_source,
                        "b_old": current["release_date"],
                        "b_old_source": current["release_source"],
                    }
                )
                current["release_date"] = fill.release_date
                current["release_source"] = fill.release_source
            for name, value, empty in (
                ("vendor", fill.vendor, ""),
                ("family", fill.family, ""),
                ("open_weights", fill.open_weights, None),
            ):
                if value not in (None, "") and current[name] == empty:
                    current[name] = value
                    changes[name].append({"b_id": fill.canonical_id, "b_value": value})
        key = model.c.canonical_id == sa.bindparam("b_id")
        if dated:
            # A model may be named twice (two sources' fills): the statement per row applies
            # them in order, each checking the value the one before left.
            await connection.execute(
                sa.update(model)
                .where(
                    key,
                    sa.or_(
                        model.c.release_date.is_(None),
                        sa.and_(
                            model.c.release_date == sa.bindparam("b_old"),
                            model.c.release_source == sa.bindparam("b_old_source"),
                        ),
                    ),
                )
                .values(
                    release_date=sa.bindparam("b_date"), release_source=sa.bindparam("b_source")
                ),
                dated,
            )
            # A model's "new" event was dated by the snapshot that first listed it, the latest
            # it can have appeared, or by the release date a less trusted source gave; its
            # release date, now known, is when it did. Only where this import's date is the
            # one stored (another import may have filled it first).
            event = tables.model_event.c
            await connection.execute(
                sa.update(tables.model_event)
                .where(
                    event.kind == EventKind.NEW_MODEL.value,
                    event.model_id == sa.bindparam("b_id"),
                    sa.or_(
                        event.as_of > sa.bindparam("b_date"),
                        event.as_of == sa.bindparam("b_old"),
                    ),
                    sa.exists().where(
                        key,
                        model.c.release_date == sa.bindparam("b_date"),
                        model.c.release_source == sa.bindparam("b_source"),
                    ),
                )
                .values(as_of=sa.bindparam("b_date")),
                dated,
            )
        for name, rows in changes.items():
            if not rows:
                continue
            column = model.c[name]
            empty_now = column.is_(None) if name == "open_weights" else column == ""
            await connection.execute(
                sa.update(model).where(key, empty_now).values({name: sa.bindparam("b_value")}),
                rows,
            )
