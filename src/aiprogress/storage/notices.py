"""Admin notices: what the service has to tell its owners, until it is delivered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from aiprogress.core.types import AdminNotice, NoticeKind
from aiprogress.storage.sessions import Sessions
from aiprogress.storage.tables import AdminNoticeRow


class SqlNoticeRepository:
    def __init__(self, sessions: Sessions) -> None:
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
