"""Ports: what the service needs from the outside world. Adapters live in the outer packages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from aiprogress.core.types import (
    AdminNotice,
    Channel,
    ChannelUpdate,
    ChatKind,
    Delivery,
    DeliveryState,
    Digest,
    DigestDraft,
    FetchOutcome,
    FetchResult,
    Item,
    Language,
    ModelEvent,
    ModelFact,
    ModelInfo,
    ModelMatch,
    NewSource,
    Period,
    Platform,
    Snapshot,
    Source,
    SourceChange,
    SourceProbe,
    SourceTally,
    StoredFetch,
)

if TYPE_CHECKING:
    # Named in signatures only: a command that writes no digest (`compare`, `collect`) does
    # not build the fact sheet's sixteen classes (issue 21).
    from aiprogress.core.factsheet import DigestDocument, FactSheet, LlmCall, WrittenDigest


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...


class Fetcher(Protocol):
    async def fetch(self, source: Source) -> FetchResult:
        """Fetch and parse one source. Never raises for a bad source: the result says why."""
        ...


class SourceProber(Protocol):
    async def probe(self, url: str) -> SourceProbe:
        """Fetch a URL once to tell what it is: a feed, a web page and the feeds it links,
        another document, or a failure. Never raises for a bad URL: the probe says why."""
        ...


class SourceRepository(Protocol):
    async def add(self, new: NewSource, now: datetime) -> Source: ...

    async def get(self, source_id: int) -> Source: ...

    async def find_by_url(self, url: str) -> Source | None: ...

    async def list(
        self,
        *,
        enabled_only: bool = False,
        due_at: datetime | None = None,
        after_id: int = 0,
        limit: int | None = None,
    ) -> Sequence[Source]:
        """In id order; `after_id` and `limit` read a long list a page at a time."""
        ...

    async def count(self, *, enabled_only: bool = False, due_at: datetime | None = None) -> int: ...

    async def tally(self) -> Sequence[SourceTally]:
        """Sources counted by tier and state, in one grouped query (for /metrics)."""
        ...

    async def remove(self, source_id: int) -> None: ...

    async def set_enabled(self, source_id: int, enabled: bool) -> Source: ...

    async def update(self, source_id: int, change: SourceChange) -> Source: ...


class ItemRepository(Protocol):
    async def in_window(
        self, start: datetime, end: datetime, *, baseline: bool = False
    ) -> Sequence[tuple[Item, Source]]:
        """Items published in [start, end) with their sources; with `baseline`, also those a
        source's first fetch stored as its baseline (not news)."""
        ...

    async def prune(self, before: datetime) -> int: ...

    async def count(self) -> int: ...


class DigestRepository(Protocol):
    async def get(self, digest_id: int) -> Digest: ...

    async def find(
        self, period: Period, language: Language, filter_key: str, sheet_hash: str
    ) -> Digest | None:
        """The digest already written from this very fact sheet for this filter set."""
        ...

    async def add_all(self, drafts: Sequence[DigestDraft], now: datetime) -> list[Digest]:
        """Store drafts (one per language) in one transaction; a draft whose (period, language,
        filter set, fact sheet) is stored already yields the stored digest."""
        ...


class ChannelRepository(Protocol):
    async def get(self, channel_id: int) -> Channel: ...

    async def find(self, platform: Platform, address: str) -> Channel | None: ...

    async def ensure(
        self, platform: Platform, address: str, *, language: Language, kind: ChatKind
    ) -> Channel: ...

    async def update(self, channel_id: int, change: ChannelUpdate) -> Channel: ...

    # The chat moved to a new address (a Telegram group upgraded to a supergroup): idempotent.
    async def move(
        self, platform: Platform, old_address: str, new_address: str
    ) -> Channel | None: ...

    async def list(
        self, *, platform: Platform | None = None, active_only: bool = False
    ) -> list[Channel]: ...


class DeliveryRepository(Protocol):
    async def enqueue(self, digest_id: int, channel_ids: Sequence[int]) -> int: ...

    # Only rows of chats on `platforms` (the caller's senders) and of inactive chats: a
    # process never claims, and never counts an attempt for, a row it has no sender for.
    async def claim(
        self, now: datetime, *, limit: int, lease: timedelta, platforms: Collection[Platform]
    ) -> list[Delivery]: ...

    async def waiting(self, platforms: Collection[Platform]) -> int: ...

    # The claimer's own rows: `claim` returns each row with its attempt number, which names
    # the claim. Each call below acts only while that claim still holds the row (it is
    # `sending` and no other process took it over after the lease) and says whether it did.
    async def hold(self, claims: Sequence[Delivery], now: datetime) -> set[int]: ...

    async def record_part(self, claim: Delivery, parts_sent: int, now: datetime) -> bool: ...

    async def mark_sent(self, claim: Delivery, now: datetime) -> bool: ...

    async def mark_failed(self, claim: Delivery, error: str) -> bool: ...

    async def retry_at(self, claim: Delivery, when: datetime, error: str) -> bool: ...

    async def for_digest(self, digest_id: int) -> list[Delivery]: ...

    async def counts(self) -> dict[DeliveryState, int]: ...


class LlmLedger(Protocol):
    """Token accounting and the answer cache of the LLM writer."""

    async def record(self, call: LlmCall) -> None: ...

    async def tokens_since(self, since: datetime) -> int: ...

    async def cached(self, key: str) -> str | None: ...

    async def cache(
        self, key: str, model: str, prompt_version: str, content: str, now: datetime
    ) -> None: ...


class ModelRepository(Protocol):
    async def all(self) -> list[ModelInfo]: ...

    async def facts(
        self, model_ids: Sequence[str] | None = None, metrics: Sequence[str] | None = None
    ) -> list[ModelFact]: ...

    async def events(
        self, since: date | None = None, until: date | None = None, limit: int = 100
    ) -> list[ModelEvent]:
        """Events whose day (`as_of`, when it happened) lies in [since, until], newest first."""
        ...

    async def apply_import(
        self,
        *,
        models: Sequence[ModelInfo],
        aliases: Sequence[tuple[str, str]],
        facts: Sequence[ModelFact],
        events: Sequence[ModelEvent],
        now: datetime,
        update_models: bool = False,
        snapshots: Sequence[tuple[str, Snapshot]] = (),
        fills: Sequence[ModelInfo] = (),
    ) -> tuple[int, int]: ...


class ModelIndex(Protocol):
    """Name lookup over the registry (normalisation and fuzzy matching live in `sources`)."""

    def __len__(self) -> int: ...

    def get(self, canonical_id: str) -> ModelInfo | None: ...

    def exact(self, name: str) -> tuple[ModelInfo, ...]:
        """Models that this name denotes exactly (after normalisation)."""
        ...

    def search(self, query: str, limit: int = 5) -> list[ModelMatch]: ...

    def resolve(self, query: str) -> ModelInfo:
        """The one model meant, or raise `AmbiguousModel` / `ModelNotFound`."""
        ...


class NoticeRepository(Protocol):
    async def add(self, notice: AdminNotice) -> AdminNotice: ...

    async def pending(self) -> list[AdminNotice]: ...

    async def mark_delivered(self, notice_ids: Sequence[int], now: datetime) -> None: ...


class FetchLog(Protocol):
    async def record(self, outcomes: Sequence[FetchOutcome]) -> list[StoredFetch]:
        """Store many fetches in one transaction, all or nothing; one result per outcome.

        Of each outcome's items, those not seen before from its source (by guid, then content
        hash) are added, and stored entries whose content changed under the same guid take the
        new text (an edit, counted apart). The source's fetch record is replaced, keeping its
        ETag and Last-Modified unless the fetch succeeded; a notice, if any, is added."""
        ...


class Store(Protocol):
    """The repositories of one database."""

    @property
    def sources(self) -> SourceRepository: ...

    @property
    def items(self) -> ItemRepository: ...

    @property
    def digests(self) -> DigestRepository: ...

    @property
    def models(self) -> ModelRepository: ...

    @property
    def notices(self) -> NoticeRepository: ...

    @property
    def fetches(self) -> FetchLog: ...

    @property
    def llm(self) -> LlmLedger: ...

    @property
    def channels(self) -> ChannelRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...


class Writer(Protocol):
    name: str

    async def write(self, sheet: FactSheet, models: Sequence[ModelInfo]) -> WrittenDigest:
        """Both languages of a digest from this sheet only; `models` is the registry the
        checker reads model names with."""
        ...


class DigestComposer(Protocol):
    """Turns items into a fact sheet and documents into text (clustering, ranking, rendering
    live in `digest`)."""

    def model_ids(
        self, rows: Sequence[tuple[Item, Source]], models: Sequence[ModelInfo]
    ) -> set[str]:
        """Models the items name, with their predecessors: whose facts the sheet needs."""
        ...

    def market_metrics(self) -> tuple[str, ...]:
        """Metrics whose facts about every model the sheet's conclusions read."""
        ...

    def sheet(
        self,
        rows: Sequence[tuple[Item, Source]],
        *,
        period: Period,
        window_start: datetime,
        window_end: datetime,
        models: Sequence[ModelInfo],
        facts: Sequence[ModelFact],
        events: Sequence[ModelEvent],
        max_stories: int,
    ) -> FactSheet: ...

    def render(self, document: DigestDocument) -> str: ...

    def sheet_json(self, sheet: FactSheet) -> str: ...

    def document_json(self, document: DigestDocument) -> str: ...

    def fingerprint(self, sheet: FactSheet) -> str: ...


class Sender(Protocol):
    """Delivers to one platform. Rendering, splitting, rate limits and the platform's own
    retries live in the sender; what it cannot get past it raises as `ChatGone`, `RetryLater`
    or `DeliveryError`."""

    platform: Platform

    async def send_digest(
        self,
        channel: Channel,
        digest: Digest,
        *,
        start_part: int,
        part_sent: Callable[[int], Awaitable[None]],
    ) -> None:
        """Send the digest's parts from `start_part` on, calling `part_sent(n)` after the n-th
        part (counting from 1) is accepted by the platform."""
        ...

    async def send_text(self, address: str, text: str) -> None:
        """A plain notice (for admins)."""
        ...
