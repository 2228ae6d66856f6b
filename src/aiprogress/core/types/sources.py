"""Sources and what collecting them yields: feeds, fetches, items, the failure policy's
checks, onboarding probes and the notices admins receive."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from aiprogress.core.types._value import value_type


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


# The shortest polling interval a source may have: a feed checked more often than once a minute
# gains nothing and costs its publisher.
MIN_INTERVAL_SECONDS = 60


@value_type
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


@value_type
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


@value_type
class SourceChange:
    """What `sources edit` changes; None leaves a field as it is. An empty name hands the name
    back to the feed's title."""

    name: str | None = None
    trust_tier: TrustTier | None = None
    interval_seconds: int | None = None

    @property
    def empty(self) -> bool:
        return self.name is None and self.trust_tier is None and self.interval_seconds is None


@value_type
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


@value_type
class ParsedFeed:
    title: str
    items: tuple[ParsedItem, ...]


@value_type
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


@value_type
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


@value_type
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


@value_type
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


@value_type
class SourceAddResult:
    """One line of a batch of additions (a default catalogue, an OPML file)."""

    url: str
    source: Source | None = None
    error: str | None = None


@value_type
class SourceTally:
    """How many sources of one trust tier are in one state: enabled or not (paused, or
    disabled by the failure policy) and, if enabled, failing (its last fetch failed)."""

    tier: TrustTier
    enabled: bool
    failing: bool
    count: int


@value_type
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


@value_type
class SourceProbe:
    """One fetch of a URL someone wants to add, and what it turned out to be."""

    kind: ProbeKind
    url: str  # where the document came from, after redirects
    fetched: FetchResult | None = None
    feed_links: tuple[FeedLink, ...] = ()
    error: str = ""


@value_type
class Onboarding:
    """What adding one source did: the source, added (with what the page it was found on, when
    the URL given was a page), or, when a page links several feeds, those feeds and nothing
    added, so that the user picks one."""

    url: str  # as given, normalised
    source: Source | None = None
    found_on: str | None = None
    candidates: tuple[FeedLink, ...] = ()
    items: int = 0  # the items its first fetch stored


@value_type
class SourceCheck:
    """What the failure policy decided after one fetch of a source."""

    failures: int
    next_check_at: datetime
    disabled_reason: str | None = None
    # Set on a source's first successful fetch: from then on its items are news.
    baseline_at: datetime | None = None


@value_type
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


@value_type
class StoredFetch:
    new_items: int
    updated_items: int


class NoticeKind(StrEnum):
    SOURCE_DISABLED = "source_disabled"
    CHANNEL_DEACTIVATED = "channel_deactivated"


@value_type
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
