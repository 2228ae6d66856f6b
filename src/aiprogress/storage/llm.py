"""The LLM ledger: every call with its tokens and cost, and the cache of answers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from aiprogress.core.factsheet import LlmCall
from aiprogress.storage.sessions import Sessions, insert_for
from aiprogress.storage.tables import LlmCacheRow, LlmCallRow


class SqlLlmLedger:
    def __init__(self, sessions: Sessions, dialect: str) -> None:
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
        insert = insert_for(self._dialect)
        statement = insert(LlmCacheRow).values(**values).on_conflict_do_nothing()
        async with self._sessions() as session:
            await session.exec(statement)
