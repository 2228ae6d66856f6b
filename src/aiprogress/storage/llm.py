"""The LLM ledger: every call with its tokens and cost, and the cache of answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa

from aiprogress.storage import tables
from aiprogress.storage.transactions import Transactions, insert_for

if TYPE_CHECKING:
    from aiprogress.core.factsheet import LlmCall


class SqlLlmLedger:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions
        self._dialect = transactions.dialect

    async def record(self, call: LlmCall) -> None:
        statement = sa.insert(tables.llm_call).values(
            at=call.at,
            model=call.model,
            purpose=call.purpose,
            prompt_tokens=call.prompt_tokens,
            completion_tokens=call.completion_tokens,
            cost_usd=call.cost_usd,
            cached=call.cached,
        )
        async with self._transactions() as connection:
            await connection.execute(statement)

    async def tokens_since(self, since: datetime) -> int:
        columns = tables.llm_call.c
        total = sa.func.coalesce(sa.func.sum(columns.prompt_tokens + columns.completion_tokens), 0)
        async with self._transactions() as connection:
            result = await connection.execute(sa.select(total).where(columns.at >= since))
            return int(result.scalar_one())

    async def cached(self, key: str) -> str | None:
        columns = tables.llm_cache.c
        query = sa.select(columns.content).where(columns.key == key)
        async with self._transactions() as connection:
            content: str | None = (await connection.execute(query)).scalar_one_or_none()
            return content

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
        statement = insert(tables.llm_cache).values(**values).on_conflict_do_nothing()
        async with self._transactions() as connection:
            await connection.execute(statement)
