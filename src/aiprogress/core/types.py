"""Small immutable value types passed between layers. Every datetime is timezone-aware UTC."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum


class Language(StrEnum):
    RU = "ru"
    EN = "en"


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def length(self) -> timedelta:
        return {
            Period.DAY: timedelta(days=1),
            Period.WEEK: timedelta(days=7),
            Period.MONTH: timedelta(days=30),
        }[self]


class SourceKind(StrEnum):
    FEED = "feed"  # RSS 2.0, RSS 1.0/RDF or Atom, told apart by the parser


class TrustTier(StrEnum):
    OFFICIAL = "official"
    PAPER = "paper"
    PRESS = "press"
    COMMUNITY = "community"


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"


class Platform(StrEnum):
    CONSOLE = "console"
    TELEGRAM = "telegram"
    DISCORD = "discord"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; `parts_sent` says how far it got
    SENT = "sent"
    FAILED = "failed"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


def ensure_utc(moment: datetime) -> datetime:
    """Refuse naive datetimes: a naive value is a bug upstream, not something to guess about."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: use timezone-aware UTC")
    return moment.astimezone(UTC)


# The shortest polling interval a source may have: a feed checked more often than once a minute
# gains nothing and costs its publisher.
MIN_INTERVAL_SECONDS = 60


@dataclass(frozen=True, slots=True)
class NewSource:
    url: str
    name: str = ""
    kind: SourceKind = SourceKind.FEED
    trust_tier: TrustTier = TrustTier.COMMUNITY
    # Whether what the first fetch finds counts as news; by default it is the baseline.
    backfill: bool = False
    interval_seconds: int = 3600
    # The name is the feed's title, not one a user chose: it follows the title as it changes.
    # A name given by a user (or a curated list) stays; without a name the title is taken.
    name_from_feed: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    url: str
    name: str
    kind: SourceKind
    trust_tier: TrustTier
    enabled: bool
    created_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    last_fetched_at: datetime | None = None
    last_status: FetchStatus | None = None
    last_error: str | None = None
    failures: int = 0
    next_check_at: datetime | None = None
    interval_seconds: int = 3600
    disabled_reason: str | None = None
    backfill: bool = False
    baseline_at: datetime | None = None
    # A user set the name (on adding, editing or importing): collection leaves it alone. Else
    # the name follows the feed's title.
    name_from_user: bool = False
    # A digest of the last document read whole: a 200 with the same body is not parsed again.
    body_hash: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True, slots=True)
class SourceChange:
    """What `sources edit` changes; None leaves a field as it is. An empty name hands the name
    back to the feed's title."""

    name: str | None = None
    trust_tier: TrustTier | None = None
    interval_seconds: int | None = None

    @property
    def empty(self) -> bool:
        return self.name is None and self.trust_tier is None and self.interval_seconds is None


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One feed entry, normalised, before it is stored."""

    guid: str
    url: str
    title: str
    summary: str = ""
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.url, self.summary)


def content_hash(title: str, url: str, summary: str) -> str:
    payload = "\x1f".join((title.strip(), url.strip(), summary.strip())).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    items: tuple[ParsedItem, ...]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a fetcher brings back for one source: a feed, 'not modified', or an error."""

    status: FetchStatus
    feed: ParsedFeed | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    http_status: int | None = None
    # What the server said about when to come back (Retry-After; Cache-Control max-age or Expires).
    retry_after_seconds: float | None = None
    fresh_for_seconds: float | None = None
    # The digest of the body read (OK), to be stored with the source.
    body_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    source_id: int
    guid: str
    url: str
    title: str
    summary: str
    published_at: datetime | None
    fetched_at: datetime
    content_hash: str
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    updated_at: datetime | None = None

    @property
    def sort_time(self) -> datetime:
        return self.published_at or self.fetched_at


@dataclass(frozen=True, slots=True)
class SourceRunResult:
    """The outcome of collecting one source; a batch returns one per source."""

    source_id: int
    source_label: str
    status: FetchStatus
    new_items: int = 0
    seen_items: int = 0
    error: str | None = None
    disabled: bool = False
    updated_items: int = 0


@dataclass(frozen=True, slots=True)
class CollectReport:
    results: tuple[SourceRunResult, ...]

    @property
    def new_items(self) -> int:
        return sum(r.new_items for r in self.results)

    @property
    def updated_items(self) -> int:
        return sum(r.updated_items for r in self.results)

    @property
    def errors(self) -> tuple[SourceRunResult, ...]:
        return tuple(r for r in self.results if r.status is FetchStatus.ERROR)

    @property
    def not_modified(self) -> int:
        return sum(1 for r in self.results if r.status is FetchStatus.NOT_MODIFIED)

    @property
    def fetched(self) -> int:
        """Sources that answered with a feed (not 'not modified', not an error)."""
        return sum(1 for r in self.results if r.status is FetchStatus.OK)


@dataclass(frozen=True, slots=True)
class SourceAddResult:
    """One line of a batch of additions (a default catalogue, an OPML file)."""

    url: str
    source: Source | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SourceTally:
    """How many sources of one trust tier are in one state: enabled or not (paused, or
    disabled by the failure policy) and, if enabled, failing (its last fetch failed)."""

    tier: TrustTier
    enabled: bool
    failing: bool
    count: int


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a web page names in `<link rel="alternate">`, its URL made absolute."""

    url: str
    title: str = ""
    media_type: str = ""  # application/rss+xml, application/atom+xml, application/feed+json


class ProbeKind(StrEnum):
    FEED = "feed"  # a feed: the probe's `fetched` holds it, parsed
    PAGE = "page"  # an HTML page: `feed_links` lists the feeds it links (maybe none)
    NOT_FEED = "not_feed"  # a document that is neither: `error` says what the parser found
    FAILED = "failed"  # no document: `error` says why (HTTP status, network, limits, address)


@dataclass(frozen=True, slots=True)
class SourceProbe:
    """One fetch of a URL someone wants to add, and what it turned out to be."""

    kind: ProbeKind
    url: str  # where the document came from, after redirects
    fetched: FetchResult | None = None
    feed_links: tuple[FeedLink, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class Onboarding:
    """What adding one source did: the source, added (with what the page it was found on, when
    the URL given was a page), or, when a page links several feeds, those feeds and nothing
    added, so that the user picks one."""

    url: str  # as given, normalised
    source: Source | None = None
    found_on: str | None = None
    candidates: tuple[FeedLink, ...] = ()
    items: int = 0  # the items its first fetch stored


@dataclass(frozen=True, slots=True)
class SourceCheck:
    """What the failure policy decided after one fetch of a source."""

    failures: int
    next_check_at: datetime
    disabled_reason: str | None = None
    # Set on a source's first successful fetch: from then on its items are news.
    baseline_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """Everything one fetch leaves in storage: new or edited items, the source's fetch record
    and, when the policy disabled it, a notice for admins. Stored in batches."""

    source_id: int
    result: FetchResult
    check: SourceCheck
    fetched_at: datetime
    items: tuple[ParsedItem, ...] = ()
    # A first fetch's items are a baseline (stored, never news), except those published at or
    # after `news_since`: what came out inside a digest's period is news whenever it is found.
    baseline: bool = False
    news_since: datetime | None = None
    notice: AdminNotice | None = None
    # The source's new name: its feed's title, when the source follows it and it changed.
    rename_to: str | None = None


@dataclass(frozen=True, slots=True)
class StoredFetch:
    new_items: int
    updated_items: int


class NoticeKind(StrEnum):
    SOURCE_DISABLED = "source_disabled"
    CHANNEL_DEACTIVATED = "channel_deactivated"


@dataclass(frozen=True, slots=True)
class AdminNotice:
    """Something a channel's admins must be told (the bots deliver these). `text` is the
    English line for logs; the outbox words it for each owner from `kind`, `source_id`,
    `subject` (the source's or channel's name) and `detail` (the stored reason)."""

    kind: NoticeKind
    text: str
    created_at: datetime
    source_id: int | None = None
    id: int | None = None
    subject: str = ""
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A dated snapshot of a model (`claude-3-5-sonnet-20241022`), an entry under its model:
    its own release date, and whether it is the one the model's bare name means in our data
    (the snapshot a source's value is assumed to be of when it names none)."""

    snapshot_id: str
    release_date: date | None = None
    is_default: bool = False

    def matches(self, source_model: str) -> bool:
        """Whether a source's model id (`openai/gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`)
        names this snapshot: its id, less punctuation and case, ends the source's id."""
        return bool(source_model) and _squeeze(source_model).endswith(_squeeze(self.snapshot_id))


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class ModelInfo:
    canonical_id: str
    display_name: str
    vendor: str
    family: str = ""
    # The first public release of the model line; a snapshot has its own (`snapshots`).
    release_date: date | None = None
    open_weights: bool | None = None
    aliases: tuple[str, ...] = ()
    predecessor: str | None = None
    snapshots: tuple[Snapshot, ...] = ()

    @property
    def default_snapshot(self) -> Snapshot | None:
        return next((s for s in self.snapshots if s.is_default), None)

    def snapshot_of(self, source_model: str) -> Snapshot | None:
        """The snapshot a source's model id names, or the default one when it names none."""
        found = next((s for s in self.snapshots if s.matches(source_model)), None)
        return found or self.default_snapshot


class Metric:
    """Names of the non-benchmark metrics. Any other metric name is a benchmark's display name
    ("GPQA Diamond", "Arena Elo")."""

    PRICE_INPUT = "price_input"
    PRICE_OUTPUT = "price_output"
    CONTEXT_WINDOW = "context_window"
    MAX_OUTPUT = "max_output_tokens"
    OUTPUT_SPEED = "output_speed"

    PRICES = (PRICE_INPUT, PRICE_OUTPUT)
    NON_BENCHMARK = (PRICE_INPUT, PRICE_OUTPUT, CONTEXT_WINDOW, MAX_OUTPUT, OUTPUT_SPEED)

    @classmethod
    def is_benchmark(cls, metric: str) -> bool:
        return metric not in cls.NON_BENCHMARK


@dataclass(frozen=True, slots=True)
class ModelFact:
    """One sourced value of one metric of one model, as a source stated it on a date.
    Facts form a time series: a new value is a new fact, never an overwrite."""

    model_id: str
    metric: str
    value: float
    unit: str
    as_of: date
    source_name: str
    source_url: str
    # What changes the score without changing the benchmark or the model ("32k thinking",
    # "high effort", "5-shot", "free endpoint"); empty for the default run or list price.
    setting: str = ""
    # The id the source used (a dated snapshot, a suffixed run: `o1-2024-12-17_high`).
    source_model: str = ""
    # Set when the source copied the value from another (models.dev quoting Aider): the
    # original's source name. A copy never outranks its original.
    copy_of: str = ""


@dataclass(frozen=True, slots=True)
class ImportBatch:
    """What one importer read from one data source: models (with the names that source uses as
    aliases) and facts keyed by that source's own model id, resolved to ours when stored.
    `dropped` says, per reason, how many records the importer refused (an unverified
    placeholder row, say), so the import report can count them."""

    source_name: str
    models: tuple[ModelInfo, ...]
    facts: tuple[ModelFact, ...]
    dropped: tuple[tuple[str, int], ...] = ()


class EventKind(StrEnum):
    NEW_MODEL = "new_model"
    NEW_BEST = "new_best"
    PRICE_CHANGE = "price_change"


@dataclass(frozen=True, slots=True)
class ModelEvent:
    """Something a digest may cite: a new model, a new best score, a price change."""

    kind: EventKind
    model_id: str
    as_of: date
    source_url: str
    metric: str = ""
    old_value: float | None = None
    new_value: float | None = None
    unit: str = ""
    previous_model_id: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    source_name: str
    models_added: int
    facts_added: int
    events: tuple[ModelEvent, ...] = ()
    error: str | None = None
    # Records the importer refused, per reason (see `ImportBatch.dropped`).
    dropped: tuple[tuple[str, int], ...] = ()

    @property
    def dropped_count(self) -> int:
        return sum(count for _, count in self.dropped)


@dataclass(frozen=True, slots=True)
class ModelMatch:
    """A candidate for a name a user typed, with how close it is (0-100)."""

    model: ModelInfo
    score: float
    matched_alias: str


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """What a channel wants to see. Keywords match whole words, case aside; patterns are
    regular expressions run by a linear-time engine. With any include rule, an item must match
    one; an item matching any exclude rule is dropped."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    include_patterns: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.include or self.exclude or self.include_patterns or self.exclude_patterns)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DigestDraft:
    """A digest as the writer produced it, before it is stored. `document` and `fact_sheet`
    (JSON) let any post be rendered again and traced to the facts it was written from."""

    period: Period
    language: Language
    window_start: datetime
    window_end: datetime
    title: str
    body: str
    item_ids: tuple[int, ...]
    writer: str
    verdict: str = ""
    filter_key: str = ""
    filter_spec: str = ""
    sheet_hash: str | None = None
    model: str = ""
    prompt_version: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    problems: tuple[str, ...] = ()
    document: str = ""
    fact_sheet: str = ""


@dataclass(frozen=True, slots=True)
class Digest(DigestDraft):
    id: int = 0
    created_at: datetime = _EPOCH


@dataclass(frozen=True, slots=True)
class Channel:
    """A chat the bot talks to: a private chat, a group or a broadcast channel. `active` means
    digests are delivered to it (`period` says which); `admin_ids` are the users told when it
    stops working or a source is disabled."""

    id: int
    platform: Platform
    address: str
    language: Language
    active: bool = True
    kind: ChatKind = ChatKind.PRIVATE
    title: str = ""
    period: Period | None = None
    send_at: str = "09:00"  # local time HH:MM in `timezone`
    timezone: str = "UTC"
    item_filter: ItemFilter = ItemFilter()
    admin_ids: tuple[str, ...] = ()
    deactivated_reason: str | None = None
    last_published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChannelUpdate:
    """Fields to change on a channel; None leaves one as it is."""

    language: Language | None = None
    active: bool | None = None
    kind: ChatKind | None = None
    title: str | None = None
    period: Period | None = None
    send_at: str | None = None
    timezone: str | None = None
    item_filter: ItemFilter | None = None
    add_admin: str | None = None
    deactivated_reason: str | None = None
    last_published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    digest_id: int
    channel_id: int
    state: DeliveryState
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    parts_sent: int = 0
    next_attempt_at: datetime | None = None
