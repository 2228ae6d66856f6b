"""model_snapshot: dated snapshots as entries under their model

`gpt-4o-2024-05-13`, `-08-06` and `-11-20` are one model with three release dates; a comparison
shows the release date of the snapshot its values come from, and the default snapshot says which
one the bare name means.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_snapshot",
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("snapshot_id", sa.String(length=200), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["model.canonical_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("model_id", "snapshot_id"),
    )


def downgrade() -> None:
    op.drop_table("model_snapshot")
