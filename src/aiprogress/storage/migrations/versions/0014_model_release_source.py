"""model.release_source, model_event.as_of index: gaps filled with their source, events by day

A later import fills what a model's stored entry lacks (o1's release date from models.dev), and
the model names the source its release date came from. Digests select knowledge-base events by
the day they happened, not by when they were stored.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends: a batch copy of `model` on SQLite would drop the
    # table its facts and aliases cascade from.
    op.add_column(
        "model",
        sa.Column("release_source", sa.String(length=200), nullable=False, server_default=""),
    )
    op.create_index("ix_model_event_as_of", "model_event", ["as_of"])


def downgrade() -> None:
    op.drop_index("ix_model_event_as_of", table_name="model_event")
    op.drop_column("model", "release_source")
