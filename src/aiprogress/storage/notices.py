"""Admin notices: what the service has to tell its owners, until it is delivered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from aiprogress.core.types import AdminNotice, NoticeKind
from aiprogress.storage import tables
from aiprogress.storage.transactions import Transactions


class SqlNoticeRepository:
    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions

    async def add(self, notice: AdminNotice) -> AdminNotice:
        table = tables.admin_notice
        statement = (
            sa.insert(table)
            .values(
                kind=notice.kind.value,
                text=notice.text,
                source_id=notice.source_id,
                created_at=notice.created_at,
                subject=notice.subject,
                detail=notice.detail,
            )
            .returning(table.c.id)
        )
        async with self._transactions() as connection:
            notice_id = (await connection.execute(statement)).scalar_one()
            return replace(notice, id=notice_id)

    async def pending(self) -> list[AdminNotice]:
        table = tables.admin_notice
        query = sa.select(table).where(table.c.delivered_at.is_(None)).order_by(table.c.id)
        async with self._transactions() as connection:
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
                for row in await connection.execute(query)
            ]

    async def mark_delivered(self, notice_ids: Sequence[int], now: datetime) -> None:
        if not notice_ids:
            return
        table = tables.admin_notice
        async with self._transactions() as connection:
            await connection.execute(
                sa.update(table).where(table.c.id.in_(list(notice_ids))).values(delivered_at=now)
            )
