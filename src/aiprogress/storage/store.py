"""`SqlStore`: the one composition of the repositories over one database."""

from __future__ import annotations

from aiprogress.storage.channels import SqlChannelRepository
from aiprogress.storage.digests import SqlDigestRepository
from aiprogress.storage.engine import Database
from aiprogress.storage.fetch_log import SqlFetchLog
from aiprogress.storage.items import SqlItemRepository
from aiprogress.storage.llm import SqlLlmLedger
from aiprogress.storage.models import SqlModelRepository
from aiprogress.storage.notices import SqlNoticeRepository
from aiprogress.storage.outbox import SqlDeliveryRepository
from aiprogress.storage.sources import SqlSourceRepository
from aiprogress.storage.transactions import Transactions


class SqlStore:
    """The repositories of one database, sharing one engine."""

    def __init__(self, engine: Database) -> None:
        self.engine = engine
        transactions = Transactions(engine)
        self._sources = SqlSourceRepository(transactions)
        self._items = SqlItemRepository(transactions)
        self._digests = SqlDigestRepository(transactions)
        self._models = SqlModelRepository(transactions)
        self._notices = SqlNoticeRepository(transactions)
        self._fetches = SqlFetchLog(transactions)
        self._llm = SqlLlmLedger(transactions)
        self._channels = SqlChannelRepository(transactions)
        self._deliveries = SqlDeliveryRepository(transactions)

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
