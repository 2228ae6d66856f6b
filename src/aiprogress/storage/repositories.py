"""Repositories over SQLModel tables; they take and return `core` types only."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from aiprogress.core.errors import DuplicateSource, NotFound, SourceNotFound, StorageError
from aiprogress.core.factsheet import LlmCall
from aiprogress.core.types import (
    AdminNotice,
    Digest,
    DigestDraft,
    EventKind,
    FetchOutcome,
    FetchResult,
    FetchStatus,
    Item,
    Language,
    ModelEvent,
    ModelFact,
    ModelInfo,
    NewSource,
    NoticeKind,
    ParsedItem,
    Period,
    Source,
    SourceChange,
    SourceCheck,
    SourceKind,
    SourceTally,
    StoredFetch,
    TrustTier,
)
from aiprogress.storage.errors import database_errors, stored_id
from aiprogress.storage.outbox import SqlChannelRepository, SqlDeliveryRepository
from aiprogress.storage.tables import (
    AdminNoticeRow,
    DigestRow,
    ItemRow,
    LlmCacheRow,
    LlmCallRow,
    ModelAliasRow,
    ModelEventRow,
    ModelFactRow,
    ModelRow,
    SourceRow,
)

# Stored error texts are for admins' eyes in listings; keep them to a readable length.
_MAX_ERROR_LENGTH = 500


class _Sessions:
    def __init__(self, engine: AsyncEngine) -> None:
        self._factory = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        """One short transaction; database failures become `StorageError`."""
        with database_errors():
            async with self._factory() as session, session.begin():
                yield session


def _source(row: SourceRow) -> Source:
    stored_id(row.id)
    return _source_of_row(*(getattr(row, column.name) for column in _SOURCE_COLUMNS))


def _item(row: ItemRow) -> Item:
    return Item(
        id=stored_id(row.id),
        source_id=row.source_id,
        guid=row.guid,
        url=row.url,
        title=row.title,
        summary=row.summary,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        content_hash=row.content_hash,
        authors=tuple(row.authors),
        tags=tuple(row.tags),
        updated_at=row.updated_at,
    )


_DIGEST_FIELDS = (
    "title",
    "body",
    "writer",
    "verdict",
    "filter_key",
    "filter_spec",
    "sheet_hash",
    "model",
    "prompt_version",
    "prompt_tokens",
    "completion_tokens",
    "cost_usd",
    "document",
    "fact_sheet",
    "window_start",
    "window_end",
)


def _digest(row: DigestRow) -> Digest:
    return Digest(
        id=stored_id(row.id),
        period=Period(row.period),
        language=Language(row.language),
        item_ids=tuple(row.item_ids),
        problems=tuple(row.problems),
        created_at=row.created_at,
        **{name: getattr(row, name) for name in _DIGEST_FIELDS},
    )


def _digest_row(draft: DigestDraft, now: datetime) -> DigestRow:
    return DigestRow(
        period=draft.period.value,
        language=draft.language.value,
        item_ids=list(draft.item_ids),
        problems=list(draft.problems),
        created_at=now,
        **{name: getattr(draft, name) for name in _DIGEST_FIELDS},
    )


_SOURCE_TABLE = SourceRow.metadata.tables["source"]
_SOURCE_COLUMNS = tuple(
    _SOURCE_TABLE.c[name]
    for name in (
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
)


def _page_query(enabled_only: bool, due: bool, limited: bool) -> sa.Select[Any]:
    """Sources after `:after_id` in id order, as plain rows of `_SOURCE_COLUMNS`; `due` adds
    `next_check_at <= :due_at`, `limited` a `LIMIT :limit`."""
    table = _SOURCE_TABLE
    conditions: list[sa.ColumnElement[bool]] = [table.c.id > sa.bindparam("after_id")]
    if enabled_only or due:
        conditions.append(table.c.enabled.is_(True))
    if due:
        next_check = table.c.next_check_at
        conditions.append(sa.or_(next_check.is_(None), next_check <= sa.bindparam("due_at")))
    query = sa.select(*_SOURCE_COLUMNS).where(*conditions).order_by(table.c.id)
    return query.limit(sa.bindparam("limit", type_=sa.Integer)) if limited else query


def _source_of_row(
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
    """A `Source` from a row of `_SOURCE_COLUMNS`, in that order."""
    # Positional, with the enums looked up in dicts: the collector builds one per source per
    # run, and keywords and enum calls were half of its cost.
    return Source(
        source_id,
        url,
        name,
        _SOURCE_KINDS[kind],
        _TRUST_TIERS[trust_tier],
        enabled,
        created_at,
        etag,
        last_modified,
        last_fetched_at,
        _FETCH_STATUSES[last_status] if last_status else None,
        last_error,
        failures,
        next_check_at,
        interval_seconds,
        disabled_reason,
        backfill,
        baseline_at,
        name_from_user,
        body_hash,
    )


_SOURCE_KINDS = {kind.value: kind for kind in SourceKind}
_TRUST_TIERS = {tier.value: tier for tier in TrustTier}
_FETCH_STATUSES = {status.value: status for status in FetchStatus}


class SqlSourceRepository:
    def __init__(self, sessions: _Sessions) -> None:
        self._sessions = sessions
        self._pages: dict[tuple[bool, bool, bool], sa.Select[Any]] = {}

    async def add(self, new: NewSource, now: datetime) -> Source:
        row = SourceRow(
            url=new.url,
            name=new.name,
            kind=new.kind.value,
            trust_tier=new.trust_tier.value,
            enabled=True,
            created_at=now,
            backfill=new.backfill,
            interval_seconds=new.interval_seconds,
            name_from_user=bool(new.name) and not new.name_from_feed,
        )
        try:
            async with self._sessions() as session:
                session.add(row)
                await session.flush()
                return _source(row)
        except StorageError as exc:
            if isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise DuplicateSource(new.url) from None
            raise

    async def get(self, source_id: int) -> Source:
        async with self._sessions() as session:
            row = await session.get(SourceRow, source_id)
            if row is None:
                raise SourceNotFound(source_id)
            return _source(row)

    async def find_by_url(self, url: str) -> Source | None:
        async with self._sessions() as session:
            row = (await session.exec(select(SourceRow).where(SourceRow.url == url))).first()
            return _source(row) if row else None

    async def list(
        self,
        *,
        enabled_only: bool = False,
        due_at: datetime | None = None,
        after_id: int = 0,
        limit: int | None = None,
    ) -> Sequence[Source]:
        """All sources, or the enabled ones, or the enabled ones due for a check at `due_at`."""
        # Plain rows of the table's columns, not ORM objects, through one statement object
        # per shape: the collector pages through every source on each run, and building
        # mapped instances, a new statement and its result metadata cost more than the rows.
        shape = (enabled_only, due_at is not None, limit is not None)
        query = self._pages.get(shape)
        if query is None:
            query = self._pages[shape] = _page_query(*shape)
        parameters: dict[str, Any] = {"after_id": after_id}
        if due_at is not None:
            parameters["due_at"] = due_at
        if limit is not None:
            parameters["limit"] = limit
        async with self._sessions() as session:
            connection = await session.connection()
            rows = await connection.execute(query, parameters)
            return [_source_of_row(*row) for row in rows]

    async def count(self, *, enabled_only: bool = False, due_at: datetime | None = None) -> int:
        query = select(sa.func.count()).select_from(SourceRow)
        query = query.where(*self._selected(enabled_only, due_at))
        async with self._sessions() as session:
            return int((await session.exec(query)).one())

    async def tally(self) -> Sequence[SourceTally]:
        enabled = col(SourceRow.enabled)
        failing = sa.and_(enabled.is_(True), col(SourceRow.failures) > 0)
        query = sa.select(col(SourceRow.trust_tier), enabled, failing, sa.func.count()).group_by(
            col(SourceRow.trust_tier), enabled, failing
        )
        async with self._sessions() as session:
            connection = await session.connection()
            rows = (await connection.execute(query)).all()
        return [
            SourceTally(TrustTier(tier), bool(on), bool(bad), int(count))
            for tier, on, bad, count in rows
        ]

    @staticmethod
    def _selected(
        enabled_only: bool, due_at: datetime | None
    ) -> tuple[sa.ColumnElement[bool], ...]:
        conditions: tuple[sa.ColumnElement[bool], ...] = ()
        if enabled_only or due_at is not None:
            conditions += (col(SourceRow.enabled).is_(True),)
        if due_at is not None:
            due = sa.or_(
                col(SourceRow.next_check_at).is_(None), col(SourceRow.next_check_at) <= due_at
            )
            conditions += (due,)
        return conditions

    async def remove(self, source_id: int) -> None:
        async with self._sessions() as session:
            row = await session.get(SourceRow, source_id)
            if row is None:
                raise SourceNotFound(source_id)
            await session.delete(row)

    async def update(self, source_id: int, change: SourceChange) -> Source:
        async with self._sessions() as session:
            row = await session.get(SourceRow, source_id)
            if row is None:
                raise SourceNotFound(source_id)
            if change.name is not None:
                row.name = change.name
                row.name_from_user = bool(change.name)
            if change.trust_tier is not None:
                row.trust_tier = change.trust_tier.value
            if change.interval_seconds is not None:
                row.interval_seconds = change.interval_seconds
            return _source(row)

    async def set_enabled(self, source_id: int, enabled: bool) -> Source:
        async with self._sessions() as session:
            row = await session.get(SourceRow, source_id)
            if row is None:
                raise SourceNotFound(source_id)
            row.enabled = enabled
            if enabled:
                # Enabling by hand is a fresh start: check now, forget the failure streak.
                row.failures = 0
                row.disabled_reason = None
                row.next_check_at = None
            return _source(row)


class SqlItemRepository:
    def __init__(self, sessions: _Sessions) -> None:
        self._sessions = sessions

    async def prune(self, before: datetime) -> int:
        """Drop the text of items fetched before `before` but keep their rows: the guid and
        content hash still tell a feed's old entries from new ones, so nothing pruned comes
        back as news."""
        statement = (
            sa.update(ItemRow)
            .where(col(ItemRow.fetched_at) < before, col(ItemRow.summary) != "")
            .values(summary="", authors=[], tags=[])
        )
        async with self._sessions() as session:
            connection = await session.connection()
            result = await connection.execute(statement)
            return int(result.rowcount or 0)

    async def in_window(self, start: datetime, end: datetime) -> Sequence[tuple[Item, Source]]:
        moment = sa.func.coalesce(col(ItemRow.published_at), col(ItemRow.fetched_at))
        query = (
            select(ItemRow, SourceRow)
            .join(SourceRow, col(SourceRow.id) == col(ItemRow.source_id))
            .where(moment >= start, moment < end, col(ItemRow.baseline).is_(False))
            .order_by(moment.desc(), col(ItemRow.id))
        )
        async with self._sessions() as session:
            return [(_item(item), _source(source)) for item, source in await session.exec(query)]

    async def count(self) -> int:
        async with self._sessions() as session:
            result = await session.exec(select(sa.func.count()).select_from(ItemRow))
            return int(result.one())


class SqlDigestRepository:
    def __init__(self, sessions: _Sessions) -> None:
        self._sessions = sessions

    async def add(self, draft: DigestDraft, now: datetime) -> Digest:
        return (await self.add_all([draft], now))[0]

    async def add_all(self, drafts: Sequence[DigestDraft], now: datetime) -> list[Digest]:
        stored: list[Digest] = []
        async with self._sessions() as session:
            for draft in drafts:
                existing = None
                if draft.sheet_hash is not None:
                    existing = await self._find(
                        session, draft.period, draft.language, draft.filter_key, draft.sheet_hash
                    )
                if existing is not None:
                    stored.append(existing)
                    continue
                row = _digest_row(draft, now)
                session.add(row)
                await session.flush()
                stored.append(_digest(row))
        return stored

    async def get(self, digest_id: int) -> Digest:
        async with self._sessions() as session:
            row = await session.get(DigestRow, digest_id)
            if row is None:
                raise NotFound(f"no digest #{digest_id}")
            return _digest(row)

    async def find(
        self, period: Period, language: Language, filter_key: str, sheet_hash: str
    ) -> Digest | None:
        async with self._sessions() as session:
            return await self._find(session, period, language, filter_key, sheet_hash)

    @staticmethod
    async def _find(
        session: AsyncSession, period: Period, language: Language, filter_key: str, sheet_hash: str
    ) -> Digest | None:
        query = select(DigestRow).where(
            DigestRow.period == period.value,
            DigestRow.language == language.value,
            DigestRow.filter_key == filter_key,
            DigestRow.sheet_hash == sheet_hash,
        )
        row = (await session.exec(query)).first()
        return _digest(row) if row else None

    async def latest(self, period: Period, language: Language) -> Digest | None:
        query = (
            select(DigestRow)
            .where(DigestRow.period == period.value, DigestRow.language == language.value)
            .order_by(col(DigestRow.created_at).desc(), col(DigestRow.id).desc())
            .limit(1)
        )
        async with self._sessions() as session:
            row = (await session.exec(query)).first()
            return _digest(row) if row else None


class SqlLlmLedger:
    def __init__(self, sessions: _Sessions, dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect

    async def record(self, call: LlmCall) -> None:
        async with self._sessions() as session:
            session.add(
                LlmCallRow(
                    at=call.at,
                    model=call.model,
                    purpose=call.purpose,
                    prompt_tokens=call.prompt_tokens,
                    completion_tokens=call.completion_tokens,
                    cost_usd=call.cost_usd,
                    cached=call.cached,
                )
            )

    async def tokens_since(self, since: datetime) -> int:
        total = sa.func.coalesce(
            sa.func.sum(col(LlmCallRow.prompt_tokens) + col(LlmCallRow.completion_tokens)), 0
        )
        async with self._sessions() as session:
            result = await session.exec(select(total).where(col(LlmCallRow.at) >= since))
            return int(result.one())

    async def cached(self, key: str) -> str | None:
        async with self._sessions() as session:
            row = await session.get(LlmCacheRow, key)
            return row.content if row else None

    async def cache(
        self, key: str, model: str, prompt_version: str, content: str, now: datetime
    ) -> None:
        values = {
            "key": key,
            "model": model,
            "prompt_version": prompt_version,
            "content": content,
            "created_at": now,
        }
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = insert(LlmCacheRow).values(**values).on_conflict_do_nothing()
        async with self._sessions() as session:
            await session.exec(statement)


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

    def __init__(self, sessions: _Sessions, dialect: str) -> None:
        self._sessions = sessions
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    async def all(self) -> list[ModelInfo]:
        async with self._sessions() as session:
            rows = (await session.exec(select(ModelRow).order_by(col(ModelRow.canonical_id)))).all()
            aliases: dict[str, list[str]] = {}
            for alias in await session.exec(
                select(ModelAliasRow).order_by(col(ModelAliasRow.alias))
            ):
                aliases.setdefault(alias.model_id, []).append(alias.alias)
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


class SqlNoticeRepository:
    def __init__(self, sessions: _Sessions) -> None:
        self._sessions = sessions

    async def add(self, notice: AdminNotice) -> AdminNotice:
        row = AdminNoticeRow(
            kind=notice.kind.value,
            text=notice.text,
            source_id=notice.source_id,
            created_at=notice.created_at,
            subject=notice.subject,
            detail=notice.detail,
        )
        async with self._sessions() as session:
            session.add(row)
            await session.flush()
            return replace(notice, id=row.id)

    async def pending(self) -> list[AdminNotice]:
        query = (
            select(AdminNoticeRow)
            .where(col(AdminNoticeRow.delivered_at).is_(None))
            .order_by(col(AdminNoticeRow.id))
        )
        async with self._sessions() as session:
            return [
                AdminNotice(
                    kind=NoticeKind(row.kind),
                    text=row.text,
                    created_at=row.created_at,
                    source_id=row.source_id,
                    id=row.id,
                    subject=row.subject,
                    detail=row.detail,
                )
                for row in await session.exec(query)
            ]

    async def mark_delivered(self, notice_ids: Sequence[int], now: datetime) -> None:
        if not notice_ids:
            return
        async with self._sessions() as session:
            connection = await session.connection()
            await connection.execute(
                sa.update(AdminNoticeRow)
                .where(col(AdminNoticeRow.id).in_(list(notice_ids)))
                .values(delivered_at=now)
            )


# --- collection: shared by the one-source repositories and the batched fetch log ---------------


def _item_rows(
    source_id: int,
    items: Sequence[ParsedItem],
    fetched_at: datetime,
    baseline: bool,
    news_since: datetime | None = None,
) -> list[dict[str, Any]]:
    rows = []
    seen_guids: set[str] = set()
    seen_hashes: set[str] = set()
    for item in items:
        digest = item.content_hash
        # A feed may repeat an entry; the first occurrence wins, as it would in the table.
        if item.guid in seen_guids or digest in seen_hashes:
            continue
        seen_guids.add(item.guid)
        seen_hashes.add(digest)
        rows.append(
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
                "baseline": baseline
                and not (
                    news_since is not None
                    and item.published_at is not None
                    and item.published_at >= news_since
                ),
            }
        )
    return rows


async def _insert_items(
    connection: AsyncConnection, dialect: str, rows: list[dict[str, Any]]
) -> Counter[int]:
    """Insert what is new; how many rows each source gained."""
    if not rows:
        return Counter()
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING with no target covers both unique keys (guid, content hash).
    statement = insert(ItemRow).on_conflict_do_nothing().returning(col(ItemRow.source_id))
    result = await connection.execute(statement, rows)
    return Counter(source_id for (source_id,) in result.all())


async def _apply_edits(
    connection: AsyncConnection,
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
            col(ItemRow.source_id), col(ItemRow.id), col(ItemRow.guid), col(ItemRow.content_hash)
        ).where(col(ItemRow.source_id).in_(list(items_by_source)), col(ItemRow.guid).in_(guids))
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
                sa.select(col(ItemRow.source_id), col(ItemRow.content_hash)).where(
                    col(ItemRow.source_id).in_({source_id for source_id, _, _ in changed}),
                    col(ItemRow.content_hash).in_([item.content_hash for _, _, item in changed]),
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
            sa.update(ItemRow).where(col(ItemRow.id) == sa.bindparam("row_id")), rows
        )
    return updated


# Most source ids one UPDATE names: each is a bound parameter, and old SQLite builds allow
# 999 to a statement.
_IDS_PER_UPDATE = 500


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

    def __init__(self, sessions: _Sessions, dialect: str) -> None:
        self._sessions = sessions
        self._dialect = dialect
        self._updates: dict[tuple[tuple[str, ...], bool], sa.Update] = {}

    def _update_of(self, shape: tuple[str, ...], *, many: bool) -> sa.Update:
        """The update that sets the columns of `shape` on one source (bound as `source_key`)
        or, with `many`, on each source of `source_keys`; built once, as a new statement per
        batch cost more than its rows when most answers are 304s."""
        statement = self._updates.get((shape, many))
        if statement is None:
            table = _SOURCE_TABLE
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
        async with self._sessions() as session:
            connection = await session.connection()
            rows = [
                row
                for outcome in outcomes
                for row in _item_rows(
                    outcome.source_id,
                    outcome.items,
                    outcome.fetched_at,
                    outcome.baseline,
                    outcome.news_since,
                )
            ]
            new = await _insert_items(connection, self._dialect, rows)
            # Entries that were not new may be edits of stored ones.
            maybe_edited = {
                outcome.source_id: outcome.items
                for outcome in outcomes
                if new[outcome.source_id] < len(outcome.items)
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
                        self._update_of(shape, many=True), {**dict(key), "source_keys": chunk}
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
                await connection.execute(sa.insert(AdminNoticeRow), notices)
        return [
            StoredFetch(new_items=new[o.source_id], updated_items=updated[o.source_id])
            for o in outcomes
        ]


class SqlStore:
    """The repositories of one database, sharing one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        sessions = _Sessions(engine)
        self._sources = SqlSourceRepository(sessions)
        self._items = SqlItemRepository(sessions)
        self._digests = SqlDigestRepository(sessions)
        self._models = SqlModelRepository(sessions, engine.dialect.name)
        self._notices = SqlNoticeRepository(sessions)
        self._fetches = SqlFetchLog(sessions, engine.dialect.name)
        self._llm = SqlLlmLedger(sessions, engine.dialect.name)
        self._channels = SqlChannelRepository(sessions)
        self._deliveries = SqlDeliveryRepository(sessions, engine.dialect.name)

    @property
    def sources(self) -> SqlSourceRepository:
        return self._sources

    @property
    def items(self) -> SqlItemRepository:
        return self._items

    @property
    def digests(self) -> SqlDigestRepository:
        return self._digests

    @property
    def models(self) -> SqlModelRepository:
        return self._models

    @property
    def notices(self) -> SqlNoticeRepository:
        return self._notices

    @property
    def fetches(self) -> SqlFetchLog:
        return self._fetches

    @property
    def llm(self) -> SqlLlmLedger:
        return self._llm

    @property
    def channels(self) -> SqlChannelRepository:
        return self._channels

    @property
    def deliveries(self) -> SqlDeliveryRepository:
        return self._deliveries

    async def close(self) -> None:
        await self.engine.dispose()
