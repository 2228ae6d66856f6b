"""`SqlStore`: the one composition of the repositories over one database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from aiprogress.storage.channels import SqlChannelRepository
from aiprogress.storage.digests import SqlDigestRepository
from aiprogress.storage.fetch_log import SqlFetchLog
from aiprogress.storage.items import SqlItemRepository
from aiprogress.storage.llm import SqlLlmLedger
from aiprogress.storage.models import SqlModelRepository
from aiprogress.storage.notices import SqlNoticeRepository
from aiprogress.storage.outbox import SqlDeliveryRepository
from aiprogress.storage.sessions import Sessions
from aiprogress.storage.sources import SqlSourceRepository


class SqlStore:
    """The repositories of one database, sharing one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        sessions = Sessions(engine)
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
