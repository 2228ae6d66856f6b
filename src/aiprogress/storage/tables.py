"""SQLModel tables. Rows never leave this package: repositories turn them into `core` types."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC in, timezone-aware UTC out, on SQLite (which has no time zones) too."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored; use UTC")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _json_list() -> Any:
    return Field(default_factory=list, sa_type=sa.JSON, nullable=False)


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=sa.String(2048), unique=True, nullable=False)
    name: str = Field(default="", sa_type=sa.String(300), nullable=False)
    kind: str = Field(sa_type=sa.String(20), nullable=False)
    trust_tier: str = Field(sa_type=sa.String(20), nullable=False)
    enabled: bool = Field(default=True, nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    etag: str | None = Field(default=None, sa_type=sa.String(512))
    last_modified: str | None = Field(default=None, sa_type=sa.String(100))
    last_fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: str | None = Field(default=None, sa_type=sa.String(20))
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    failures: int = Field(default=0, nullable=False)
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    interval_seconds: int = Field(default=3600, nullable=False)
    disabled_reason: str | None = Field(default=None, sa_type=sa.Text)
    backfill: bool = Field(default=False, nullable=False)
    baseline_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    name_from_user: bool = Field(default=False, nullable=False)
    body_hash: str | None = Field(default=None, sa_type=sa.String(64))


class ItemRow(SQLModel, table=True):
    __tablename__ = "item"
    __table_args__ = (
        sa.UniqueConstraint("source_id", "guid", name="uq_item_source_guid"),
        sa.UniqueConstraint("source_id", "content_hash", name="uq_item_source_content_hash"),
        sa.Index("ix_item_published_at", "published_at"),
        sa.Index("ix_item_fetched_at", "fetched_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("source.id", ondelete="CASCADE"), nullable=False
        )
    )
    guid: str = Field(sa_type=sa.String(2048), nullable=False)
    url: str = Field(sa_type=sa.String(2048), nullable=False)
    title: str = Field(sa_type=sa.Text, nullable=False)
    summary: str = Field(default="", sa_type=sa.Text, nullable=False)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fetched_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    content_hash: str = Field(sa_type=sa.String(64), nullable=False)
    authors: list[str] = _json_list()
    tags: list[str] = _json_list()
    # Stored by a source's first fetch: kept for dedupe, never offered to a digest.
    baseline: bool = Field(default=False, nullable=False)
    # Set when the publisher edited the entry after we stored it (same guid, new content).
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ModelRow(SQLModel, table=True):
    __tablename__ = "model"

    canonical_id: str = Field(sa_type=sa.String(200), primary_key=True)
    display_name: str = Field(sa_type=sa.String(200), nullable=False)
    vendor: str = Field(sa_type=sa.String(100), nullable=False)
    family: str = Field(default="", sa_type=sa.String(100), nullable=False)
    release_date: date | None = Field(default=None, sa_type=sa.Date)
    open_weights: bool | None = Field(default=None)
    # No foreign key: a predecessor may be named before it is imported.
    predecessor: str | None = Field(default=None, sa_type=sa.String(200))


class ModelAliasRow(SQLModel, table=True):
    __tablename__ = "model_alias"

    alias: str = Field(sa_type=sa.String(200), primary_key=True)
    model_id: str = Field(
        sa_column=sa.Column(
            sa.String(200),
            sa.ForeignKey("model.canonical_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )


class ModelSnapshotRow(SQLModel, table=True):
    """A dated snapshot of a model (`gpt-4o-2024-08-06`) with its own release date; the one
    marked default is what the model's bare name means in our data."""

    __tablename__ = "model_snapshot"

    model_id: str = Field(
        sa_column=sa.Column(
            sa.String(200),
            sa.ForeignKey("model.canonical_id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    snapshot_id: str = Field(sa_type=sa.String(200), primary_key=True)
    release_date: date | None = Field(default=None, sa_type=sa.Date)
    is_default: bool = Field(default=False, nullable=False)


class ModelFactRow(SQLModel, table=True):
    """One sourced value of one metric of one model on a date. Rows are only ever added."""

    __tablename__ = "model_fact"
    __table_args__ = (
        sa.UniqueConstraint(
            "model_id",
            "metric",
            "as_of",
            "source_name",
            "setting",
            name="uq_model_fact_source_day_setting",
        ),
        sa.Index("ix_model_fact_metric", "metric"),
    )

    id: int | None = Field(default=None, primary_key=True)
    model_id: str = Field(
        sa_column=sa.Column(
            sa.String(200),
            sa.ForeignKey("model.canonical_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    metric: str = Field(sa_type=sa.String(100), nullable=False)
    value: float = Field(nullable=False)
    unit: str = Field(sa_type=sa.String(30), nullable=False)
    as_of: date = Field(sa_type=sa.Date, nullable=False)
    source_name: str = Field(sa_type=sa.String(200), nullable=False)
    source_url: str = Field(sa_type=sa.String(2048), nullable=False)
    collected_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # What changes the score ("32k thinking"); "" for the default run. See `core.types.ModelFact`.
    setting: str = Field(
        default="", sa_type=sa.String(200), nullable=False, sa_column_kwargs={"server_default": ""}
    )
    source_model: str = Field(
        default="", sa_type=sa.String(200), nullable=False, sa_column_kwargs={"server_default": ""}
    )
    copy_of: str = Field(
        default="", sa_type=sa.String(200), nullable=False, sa_column_kwargs={"server_default": ""}
    )


class ModelEventRow(SQLModel, table=True):
    """A new model, a new best score or a price change, for digests to cite."""

    __tablename__ = "model_event"
    __table_args__ = (
        sa.UniqueConstraint(
            "kind", "model_id", "metric", "as_of", "source_url", name="uq_model_event"
        ),
        sa.Index("ix_model_event_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=sa.String(20), nullable=False)
    model_id: str = Field(
        sa_column=sa.Column(
            sa.String(200),
            sa.ForeignKey("model.canonical_id", ondelete="CASCADE"),
            nullable=False,
        )
    )
    metric: str = Field(default="", sa_type=sa.String(100), nullable=False)
    old_value: float | None = Field(default=None)
    new_value: float | None = Field(default=None)
    unit: str = Field(default="", sa_type=sa.String(30), nullable=False)
    as_of: date = Field(sa_type=sa.Date, nullable=False)
    source_url: str = Field(sa_type=sa.String(2048), nullable=False)
    previous_model_id: str | None = Field(default=None, sa_type=sa.String(200))
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class DigestRow(SQLModel, table=True):
    __tablename__ = "digest"
    __table_args__ = (
        sa.Index("ix_digest_period_language", "period", "language", "created_at"),
        sa.UniqueConstraint(
            "period", "language", "filter_key", "sheet_hash", name="uq_digest_sheet"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(sa_type=sa.String(10), nullable=False)
    language: str = Field(sa_type=sa.String(5), nullable=False)
    window_start: datetime = Field(sa_type=UTCDateTime, nullable=False)
    window_end: datetime = Field(sa_type=UTCDateTime, nullable=False)
    title: str = Field(sa_type=sa.Text, nullable=False)
    body: str = Field(sa_type=sa.Text, nullable=False)
    item_ids: list[int] = _json_list()
    writer: str = Field(sa_type=sa.String(50), nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # How it was made, so any post can be reproduced and its cost traced (0006).
    verdict: str = Field(default="", sa_type=sa.String(20), nullable=False)
    filter_key: str = Field(default="", sa_type=sa.String(64), nullable=False)
    filter_spec: str = Field(default="", sa_type=sa.Text, nullable=False)
    # NULL for digests stored before 0006: NULLs never collide in the unique index.
    sheet_hash: str | None = Field(default=None, sa_type=sa.String(64))
    model: str = Field(default="", sa_type=sa.String(200), nullable=False)
    prompt_version: str = Field(default="", sa_type=sa.String(50), nullable=False)
    prompt_tokens: int = Field(default=0, nullable=False)
    completion_tokens: int = Field(default=0, nullable=False)
    cost_usd: float | None = Field(default=None)
    problems: list[str] = _json_list()
    document: str = Field(default="", sa_type=sa.Text, nullable=False)
    fact_sheet: str = Field(default="", sa_type=sa.Text, nullable=False)


class LlmCallRow(SQLModel, table=True):
    __tablename__ = "llm_call"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    model: str = Field(sa_type=sa.String(200), nullable=False)
    purpose: str = Field(sa_type=sa.String(30), nullable=False)
    prompt_tokens: int = Field(nullable=False)
    completion_tokens: int = Field(nullable=False)
    cost_usd: float | None = Field(default=None)
    cached: bool = Field(default=False, nullable=False)


class LlmCacheRow(SQLModel, table=True):
    """Answers keyed by (request content hash, prompt version, model): the same request is
    never paid for twice."""

    __tablename__ = "llm_cache"

    key: str = Field(sa_type=sa.String(64), primary_key=True)
    model: str = Field(sa_type=sa.String(200), nullable=False)
    prompt_version: str = Field(sa_type=sa.String(50), nullable=False)
    content: str = Field(sa_type=sa.Text, nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class ChannelRow(SQLModel, table=True):
    __tablename__ = "channel"
    __table_args__ = (sa.UniqueConstraint("platform", "address", name="uq_channel_address"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_type=sa.String(20), nullable=False)
    address: str = Field(sa_type=sa.String(200), nullable=False)
    language: str = Field(sa_type=sa.String(5), nullable=False)
    active: bool = Field(default=True, nullable=False)
    # Subscription and curation (0007).
    kind: str = Field(default="private", sa_type=sa.String(20), nullable=False)
    title: str = Field(default="", sa_type=sa.String(200), nullable=False)
    period: str | None = Field(default=None, sa_type=sa.String(10))
    send_at: str = Field(default="09:00", sa_type=sa.String(5), nullable=False)
    timezone: str = Field(default="UTC", sa_type=sa.String(64), nullable=False)
    item_filter: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    admin_ids: list[str] = _json_list()
    deactivated_reason: str | None = Field(default=None, sa_type=sa.Text)
    # When its digest was last queued (0008): the scheduler queues one per scheduled moment.
    last_published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryRow(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (
        sa.UniqueConstraint("digest_id", "channel_id", name="uq_delivery_digest_channel"),
        sa.Index("ix_delivery_state", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    digest_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("digest.id", ondelete="CASCADE"), nullable=False
        )
    )
    channel_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("channel.id", ondelete="CASCADE"), nullable=False
        )
    )
    state: str = Field(sa_type=sa.String(20), nullable=False)
    attempts: int = Field(default=0, nullable=False)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    # Outbox progress (0007): parts already sent, when to try again, when it was claimed.
    parts_sent: int = Field(default=0, nullable=False)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AdminNoticeRow(SQLModel, table=True):
    __tablename__ = "admin_notice"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=sa.String(30), nullable=False)
    text: str = Field(sa_type=sa.Text, nullable=False)
    # What the notice is about and its stored reason, worded per owner at delivery (0012).
    subject: str = Field(
        default="", sa_type=sa.String(300), nullable=False, sa_column_kwargs={"server_default": ""}
    )
    detail: str = Field(
        default="", sa_type=sa.Text, nullable=False, sa_column_kwargs={"server_default": ""}
    )
    source_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("source.id", ondelete="SET NULL")),
    )
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


metadata = SQLModel.metadata
