"""The tables, as SQLAlchemy Core `Table`s: the one definition of the schema, which the
repositories query and Alembic compares migrations with. Rows never leave this package:
repositories turn them into `core` types.

Core, not ORM classes (SQLModel's, until issue 21): building mapped, validated classes at
import and instances per row cost the short commands (`compare`, an empty `collect`) about a
tenth of a second of CPU and 10 MB before they did anything. Column `default`s are Python-side,
filled in by Core's INSERT for a key a statement leaves out; `server_default`s are the schema's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


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


metadata = sa.MetaData()


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _text(name: str, length: int | None = None, *, default: str | None = None) -> sa.Column[str]:
    """A NOT NULL string column (TEXT without a length), with a Python-side default if given."""
    kind = sa.String(length) if length is not None else sa.Text
    return sa.Column(name, kind, nullable=False, default=default)


def _optional(name: str, kind: Any, *args: Any, **kwargs: Any) -> sa.Column[Any]:
    return sa.Column(name, kind, *args, nullable=True, **kwargs)


def _flag(name: str, default: bool) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False, default=default)


def _count(name: str, default: int | None = 0) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, nullable=False, default=default)


def _json_list(name: str) -> sa.Column[list[Any]]:
    return sa.Column(name, sa.JSON, nullable=False, default=list)


def _moment(name: str) -> sa.Column[datetime]:
    return sa.Column(name, UTCDateTime, nullable=False)


def _added_later(name: str, length: int | None = None) -> sa.Column[str]:
    """A string column added by a migration to a table with rows: empty by default, in the
    schema too."""
    kind = sa.String(length) if length is not None else sa.Text
    return sa.Column(name, kind, nullable=False, default="", server_default="")


source = sa.Table(
    "source",
    metadata,
    _id(),
    sa.Column("url", sa.String(2048), nullable=False, unique=True),
    _text("name", 300, default=""),
    _text("kind", 20),
    _text("trust_tier", 20),
    _flag("enabled", True),
    _moment("created_at"),
    _optional("etag", sa.String(512)),
    _optional("last_modified", sa.String(100)),
    _optional("last_fetched_at", UTCDateTime),
    _optional("last_status", sa.String(20)),
    _optional("last_error", sa.Text),
    _count("failures"),
    _optional("next_check_at", UTCDateTime, index=True),
    _count("interval_seconds", 3600),
    _optional("disabled_reason", sa.Text),
    _flag("backfill", False),
    _optional("baseline_at", UTCDateTime),
    _flag("name_from_user", False),
    _optional("body_hash", sa.String(64)),
)

item = sa.Table(
    "item",
    metadata,
    _id(),
    sa.Column(
        "source_id", sa.Integer, sa.ForeignKey("source.id", ondelete="CASCADE"), nullable=False
    ),
    _text("guid", 2048),
    _text("url", 2048),
    _text("title"),
    _text("summary", default=""),
    _optional("published_at", UTCDateTime),
    _moment("fetched_at"),
    _text("content_hash", 64),
    _json_list("authors"),
    _json_list("tags"),
    # Stored by a source's first fetch: kept for dedupe, never offered to a digest.
    _flag("baseline", False),
    # Set when the publisher edited the entry after we stored it (same guid, new content).
    _optional("updated_at", UTCDateTime),
    sa.UniqueConstraint("source_id", "guid", name="uq_item_source_guid"),
    sa.UniqueConstraint("source_id", "content_hash", name="uq_item_source_content_hash"),
    sa.Index("ix_item_published_at", "published_at"),
    sa.Index("ix_item_fetched_at", "fetched_at"),
)

model = sa.Table(
    "model",
    metadata,
    sa.Column("canonical_id", sa.String(200), primary_key=True),
    _text("display_name", 200),
    _text("vendor", 100),
    _text("family", 100, default=""),
    _optional("release_date", sa.Date),
    _optional("open_weights", sa.Boolean),
    # No foreign key: a predecessor may be named before it is imported.
    _optional("predecessor", sa.String(200)),
    # Which import filled `release_date` when the model's own entry had none (0014).
    _added_later("release_source", 200),
)


def _model_id(**kwargs: Any) -> sa.Column[str]:
    return sa.Column(
        "model_id",
        sa.String(200),
        sa.ForeignKey("model.canonical_id", ondelete="CASCADE"),
        nullable=False,
        **kwargs,
    )


model_alias = sa.Table(
    "model_alias",
    metadata,
    sa.Column("alias", sa.String(200), primary_key=True),
    _model_id(index=True),
)

# A dated snapshot of a model (`gpt-4o-2024-08-06`) with its own release date; the one marked
# default is what the model's bare name means in our data.
model_snapshot = sa.Table(
    "model_snapshot",
    metadata,
    _model_id(primary_key=True),
    sa.Column("snapshot_id", sa.String(200), primary_key=True),
    _optional("release_date", sa.Date),
    _flag("is_default", False),
)

# One sourced value of one metric of one model on a date. Rows are only ever added.
model_fact = sa.Table(
    "model_fact",
    metadata,
    _id(),
    _model_id(index=True),
    _text("metric", 100),
    sa.Column("value", sa.Float, nullable=False),
    _text("unit", 30),
    sa.Column("as_of", sa.Date, nullable=False),
    _text("source_name", 200),
    _text("source_url", 2048),
    _moment("collected_at"),
    # What changes the score ("32k thinking"); "" for the default run. See `core.types.ModelFact`.
    _added_later("setting", 200),
    _added_later("source_model", 200),
    _added_later("copy_of", 200),
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

# A new model, a new best score or a price change, for digests to cite.
model_event = sa.Table(
    "model_event",
    metadata,
    _id(),
    _text("kind", 20),
    _model_id(),
    _text("metric", 100, default=""),
    _optional("old_value", sa.Float),
    _optional("new_value", sa.Float),
    _text("unit", 30, default=""),
    sa.Column("as_of", sa.Date, nullable=False),
    _text("source_url", 2048),
    _optional("previous_model_id", sa.String(200)),
    _moment("created_at"),
    sa.UniqueConstraint("kind", "model_id", "metric", "as_of", "source_url", name="uq_model_event"),
    sa.Index("ix_model_event_created_at", "created_at"),
    # Digests select events by the day they happened (0014).
    sa.Index("ix_model_event_as_of", "as_of"),
)

digest = sa.Table(
    "digest",
    metadata,
    _id(),
    _text("period", 10),
    _text("language", 5),
    _moment("window_start"),
    _moment("window_end"),
    _text("title"),
    _text("body"),
    _json_list("item_ids"),
    _text("writer", 50),
    _moment("created_at"),
    # How it was made, so any post can be reproduced and its cost traced (0006).
    _text("verdict", 20, default=""),
    _text("filter_key", 64, default=""),
    _text("filter_spec", default=""),
    # NULL for digests stored before 0006: NULLs never collide in the unique index.
    _optional("sheet_hash", sa.String(64)),
    _text("model", 200, default=""),
    _text("prompt_version", 50, default=""),
    _count("prompt_tokens"),
    _count("completion_tokens"),
    _optional("cost_usd", sa.Float),
    _json_list("problems"),
    _text("document", default=""),
    _text("fact_sheet", default=""),
    sa.Index("ix_digest_period_language", "period", "language", "created_at"),
    sa.UniqueConstraint("period", "language", "filter_key", "sheet_hash", name="uq_digest_sheet"),
)

llm_call = sa.Table(
    "llm_call",
    metadata,
    _id(),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    _text("model", 200),
    _text("purpose", 30),
    _count("prompt_tokens", None),
    _count("completion_tokens", None),
    _optional("cost_usd", sa.Float),
    _flag("cached", False),
)

# Answers keyed by (request content hash, prompt version, model): the same request is never
# paid for twice.
llm_cache = sa.Table(
    "llm_cache",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    _text("model", 200),
    _text("prompt_version", 50),
    _text("content"),
    _moment("created_at"),
)

channel = sa.Table(
    "channel",
    metadata,
    _id(),
    _text("platform", 20),
    _text("address", 200),
    _text("language", 5),
    _flag("active", True),
    # Subscription and curation (0007).
    _text("kind", 20, default="private"),
    _text("title", 200, default=""),
    _optional("period", sa.String(10)),
    _text("send_at", 5, default="09:00"),
    _text("timezone", 64, default="UTC"),
    sa.Column("item_filter", sa.JSON, nullable=False, default=dict),
    _json_list("admin_ids"),
    _optional("deactivated_reason", sa.Text),
    # When its digest was last queued (0008): the scheduler queues one per scheduled moment.
    _optional("last_published_at", UTCDateTime),
    sa.UniqueConstraint("platform", "address", name="uq_channel_address"),
)

delivery = sa.Table(
    "delivery",
    metadata,
    _id(),
    sa.Column(
        "digest_id", sa.Integer, sa.ForeignKey("digest.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "channel_id", sa.Integer, sa.ForeignKey("channel.id", ondelete="CASCADE"), nullable=False
    ),
    _text("state", 20),
    _count("attempts"),
    _optional("sent_at", UTCDateTime),
    _optional("last_error", sa.Text),
    # Outbox progress (0007): parts already sent, when to try again, when it was claimed.
    _count("parts_sent"),
    _optional("next_attempt_at", UTCDateTime),
    _optional("claimed_at", UTCDateTime),
    sa.UniqueConstraint("digest_id", "channel_id", name="uq_delivery_digest_channel"),
    sa.Index("ix_delivery_state", "state"),
)

admin_notice = sa.Table(
    "admin_notice",
    metadata,
    _id(),
    _text("kind", 30),
    _text("text"),
    # What the notice is about and its stored reason, worded per owner at delivery (0012).
    _added_later("subject", 300),
    _added_later("detail"),
    _optional("source_id", sa.Integer, sa.ForeignKey("source.id", ondelete="SET NULL")),
    _moment("created_at"),
    _optional("delivered_at", UTCDateTime, index=True),
)
