"""The model registry: models with aliases, their facts over time, and events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from aiprogress.core.types import EventKind, ModelEvent, ModelFact, ModelInfo, Snapshot
from aiprogress.storage.sessions import Sessions, insert_for
from aiprogress.storage.tables import (
    ModelAliasRow,
    ModelEventRow,
    ModelFactRow,
    ModelRow,
    ModelSnapshotRow,
)


def _fact(row: ModelFactRow) -> ModelFact:
    return ModelFact(
        model_id=row.model_id,
        metric=row.metric,
        value=row.value,
        unit=row.unit,
        as_of=row.as_of,
        source_name=row.source_name,
        source_url=row.source_url,
        setting=row.setting,
        source_model=row.source_model,
        copy_of=row.copy_of,
    )


def _event(row: ModelEventRow) -> ModelEvent:
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

    def __init__(self, sessions: Sessions, dialect: str) -> None:
        self._sessions = sessions
        self._insert = insert_for(dialect)

    async def all(self) -> list[ModelInfo]:
        async with self._sessions() as session:
            rows = (await session.exec(select(ModelRow).order_by(col(ModelRow.canonical_id)))).all()
            aliases: dict[str, list[str]] = {}
            for alias in await session.exec(
                select(ModelAliasRow).order_by(col(ModelAliasRow.alias))
            ):
                aliases.setdefault(alias.model_id, []).append(alias.alias)
            snapshots: dict[str, list[Snapshot]] = {}
            for snapshot in await session.exec(
                select(ModelSnapshotRow).order_by(
                    col(ModelSnapshotRow.release_date), col(ModelSnapshotRow.snapshot_id)
                )
            ):
                snapshots.setdefault(snapshot.model_id, []).append(
                    Snapshot(snapshot.snapshot_id, snapshot.release_date, snapshot.is_default)
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
            )
            for row in rows
        ]

    async def facts(
        self, model_ids: Sequence[str] | None = None, metrics: Sequence[str] | None = None
    ) -> list[ModelFact]:
        query = select(ModelFactRow)
        if model_ids is not None:
            query = query.where(col(ModelFactRow.model_id).in_(list(model_ids)))
        if metrics is not None:
            query = query.where(col(ModelFactRow.metric).in_(list(metrics)))
        query = query.order_by(
            col(ModelFactRow.model_id), col(ModelFactRow.metric), col(ModelFactRow.as_of)
        )
        async with self._sessions() as session:
            return [_fact(row) for row in await session.exec(query)]

    async def events(self, since: datetime | None = None, limit: int = 100) -> list[ModelEvent]:
        query = select(ModelEventRow)
        if since is not None:
            query = query.where(col(ModelEventRow.created_at) >= since)
        query = query.order_by(col(ModelEventRow.as_of).desc(), col(ModelEventRow.id)).limit(limit)
        async with self._sessions() as session:
            return [_event(row) for row in await session.exec(query)]

    async def apply_import(
        self,
        *,
        models: Sequence[ModelInfo],
        aliases: Sequence[tuple[str, str]],
        facts: Sequence[ModelFact],
        events: Sequence[ModelEvent],
        now: datetime,
        update_models: bool = False,
    ) -> tuple[int, int]:
        """Write one import in one transaction: all of it or, on any error, none of it.
        Returns (models added, facts added). Existing facts are never changed."""
        added_models = added_facts = 0
        async with self._sessions() as session:
            connection = await session.connection()
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
                    }
                    for m in models
                ]
                insert = self._insert(ModelRow)
                if update_models:
                    statement = insert.on_conflict_do_update(
                        index_elements=["canonical_id"],
                        set_={
                            key: insert.excluded[key] for key in rows[0] if key != "canonical_id"
                        },
                    )
                    await connection.execute(statement, rows)
                    added_models = len(rows)
                else:
                    result = await connection.execute(
                        insert.on_conflict_do_nothing().returning(col(ModelRow.canonical_id)),
                        rows,
                    )
                    added_models = len(result.all())
            if update_models and models:
                # The authoritative file says what a model's snapshots are: its list replaces ours.
                await connection.execute(
                    sa.delete(ModelSnapshotRow).where(
                        col(ModelSnapshotRow.model_id).in_([m.canonical_id for m in models])
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
            if snapshot_rows:
                await connection.execute(
                    self._insert(ModelSnapshotRow).on_conflict_do_nothing(), snapshot_rows
                )
            if aliases:
                await connection.execute(
                    self._insert(ModelAliasRow).on_conflict_do_nothing(),
                    [{"alias": alias, "model_id": model_id} for alias, model_id in aliases],
                )
            if facts:
                result = await connection.execute(
                    self._insert(ModelFactRow)
                    .on_conflict_do_nothing()
                    .returning(col(ModelFactRow.id)),
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
                    self._insert(ModelEventRow).on_conflict_do_nothing(),
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
