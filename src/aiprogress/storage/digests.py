"""Digests: written drafts, stored once per (period, language, filter, fact sheet)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from aiprogress.core.errors import NotFound
from aiprogress.core.types import Digest, DigestDraft, Language, Period
from aiprogress.storage import tables
from aiprogress.storage.transactions import Connection, Transactions

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


def _digest(row: Any) -> Digest:
    """A `Digest` from a row of the digest table."""
    return Digest(
        id=row.id,
        period=Period(row.period),
        language=Language(row.language),
        item_ids=tuple(row.item_ids),
        problems=tuple(row.problems),
        created_at=row.created_at,
        **{name: getattr(row, name) for name in _DIGEST_FIELDS},
    )


def _digest_values(draft: DigestDraft, now: datetime) -> dict[str, Any]:
    return {
        "period": draft.period.value,
        "language": draft.language.value,
        "item_ids": list(draft.item_ids),
        "problems": list(draft.problems),
        "created_at": now,
        **{name: getattr(draft, name) for name in _DIGEST_FIELDS},
    }


class SqlDigestRepository:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions

    async def add_all(self, drafts: Sequence[DigestDraft], now: datetime) -> list[Digest]:
        stored: list[Digest] = []
        table = tables.digest
        async with self._transactions() as connection:
            for draft in drafts:
                existing = None
                if draft.sheet_hash is not None:
                    existing = await self._find(
                        connection, draft.period, draft.language, draft.filter_key, draft.sheet_hash
                    )
                if existing is not None:
                    stored.append(existing)
                    continue
                statement = sa.insert(table).values(_digest_values(draft, now)).returning(table)
                stored.append(_digest((await connection.execute(statement)).one()))
        return stored

    async def get(self, digest_id: int) -> Digest:
        table = tables.digest
        async with self._transactions() as connection:
            query = sa.select(table).where(table.c.id == digest_id)
            row = (await connection.execute(query)).first()
            if row is None:
                raise NotFound(f"no digest #{digest_id}")
            return _digest(row)

    async def find(
        self, period: Period, language: Language, filter_key: str, sheet_hash: str
    ) -> Digest | None:
        async with self._transactions() as connection:
            return await self._find(connection, period, language, filter_key, sheet_hash)

    @staticmethod
    async def _find(
        connection: Connection,
        period: Period,
        language: Language,
        filter_key: str,
        sheet_hash: str,
    ) -> Digest | None:
        columns = tables.digest.c
        query = sa.select(tables.digest).where(
            columns.period == period.value,
            columns.language == language.value,
            columns.filter_key == filter_key,
            columns.sheet_hash == sheet_hash,
        )
        row = (await connection.execute(query)).first()
        return _digest(row) if row else None
