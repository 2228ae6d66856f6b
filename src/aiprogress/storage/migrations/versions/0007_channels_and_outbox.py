"""channel subscription and curation fields; delivery progress for the outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(20), nullable=False, server_default="private")
        )
        batch_op.add_column(sa.Column("title", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("period", sa.String(10), nullable=True))
        batch_op.add_column(
            sa.Column("send_at", sa.String(5), nullable=False, server_default="09:00")
        )
        batch_op.add_column(
            sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC")
        )
        batch_op.add_column(
            sa.Column("item_filter", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.add_column(sa.Column("admin_ids", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("deactivated_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        for name in ("claimed_at", "next_attempt_at", "parts_sent"):
            batch_op.drop_column(name)
    with op.batch_alter_table("channel", schema=None) as batch_op:
        for name in (
            "deactivated_reason",
            "admin_ids",
            "item_filter",
            "timezone",
            "send_at",
            "period",
            "title",
            "kind",
        ):
            batch_op.drop_column(name)
