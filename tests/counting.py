"""A store that counts what the facade asks of it: the real store underneath, passed in through
the constructor, so a test can say how often a collection reads or writes without patching."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiprogress.core.ports import (
    ChannelRepository,
    DeliveryRepository,
    DigestRepository,
    FetchLog,
    ItemRepository,
    LlmLedger,
    ModelRepository,
    NoticeRepository,
    SourceRepository,
    Store,
)
from aiprogress.core.types import (
    FetchOutcome,
    NewSource,
    Source,
    SourceChange,
    SourceTally,
    StoredFetch,
)


class CountingSources:
    """The store's sources; `pages` holds the length of each list `list` returned, in order."""

    def __init__(self, sources: SourceRepository) -> None:
        self._sources = sources
        self.pages: list[int] = []

    async def list(
        self,
        *,
        enabled_only: bool = False,
        due_at: datetime | None = None,
        after_id: int = 0,
        limit: int | None = None,
    ) -> Sequence[Source]:
        page = await self._sources.list(
            enabled_only=enabled_only, due_at=due_at, after_id=after_id, limit=limit
        )
        self.pages.append(len(page))
        return page

    async def add(self, new: NewSource, now: datetime) -> Source:
        return await self._sources.add(new, now)

    async def get(self, source_id: int) -> Source:
        return await self._sources.get(source_id)

    async def find_by_url(self, url: str) -> Source | None:
        return await self._sources.find_by_url(url)

    async def count(self, *, enabled_only: bool = False, due_at: datetime | None = None) -> int:
        return await self._sources.count(enabled_only=enabled_only, due_at=due_at)

    async def tally(self) -> Sequence[SourceTally]:
        return await self._sources.tally()

    async def remove(self, source_id: int) -> None:
        await self._sources.remove(source_id)

    async def set_enabled(self, source_id: int, enabled: bool) -> Source:
        return await self._sources.set_enabled(source_id, enabled)

    async def update(self, source_id: int, change: SourceChange) -> Source:
        return await self._sources.update(source_id, change)


class CountingFetchLog:
    """The store's fetch log; `batches` holds the number of outcomes of each `record` call."""

    def __init__(self, fetches: FetchLog) -> None:
        self._fetches = fetches
        self.batches: list[int] = []

    async def record(self, outcomes: Sequence[FetchOutcome]) -> list[StoredFetch]:
        self.batches.append(len(outcomes))
        return await self._fetches.record(outcomes)


class CountingStore:
    """`store` itself, with its sources and fetch log counted (`sources.pages`,
    `fetches.batches`); the other repositories are the store's own."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._sources = CountingSources(store.sources)
        self._fetches = CountingFetchLog(store.fetches)

    @property
    def sources(self) -> CountingSources:
        return self._sources

    @property
    def fetches(self) -> CountingFetchLog:
        return self._fetches

    @property
    def items(self) -> ItemRepository:
        return self._store.items

    @property
    def digests(self) -> DigestRepository:
        return self._store.digests

    @property
    def models(self) -> ModelRepository:
        return self._store.models

    @property
    def notices(self) -> NoticeRepository:
        return self._store.notices

    @property
    def llm(self) -> LlmLedger:
        return self._store.llm

    @property
    def channels(self) -> ChannelRepository:
        return self._store.channels

    @property
    def deliveries(self) -> DeliveryRepository:
        return self._store.deliveries
