"""Digests: written drafts, stored once per (period, language, filter, fact sheet)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from aiprogress.core.errors import NotFound
from aiprogress.core.types import Digest, DigestDraft, Language, Period
from aiprogress.storage.errors import stored_id
from aiprogress.storage.sessions import Sessions
from aiprogress.storage.tables import DigestRow

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


class SqlDigestRepository:
    def __init__(self, sessions: Sessions) -> None:
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
