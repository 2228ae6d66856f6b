"""digest provenance (filter set, fact sheet, model, tokens, verdict); LLM calls and cache

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = ("filter_spec", "document", "fact_sheet")


def upgrade() -> None:
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verdict", sa.String(20), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("filter_key", sa.String(64), nullable=False, server_default="")
        )
        for name in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("sheet_hash", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("model", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("prompt_version", sa.String(50), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("prompt_tokens", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("completion_tokens", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("cost_usd", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("problems", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_unique_constraint(
            "uq_digest_sheet", ["period", "language", "filter_key", "sheet_hash"]
        )
    op.create_table(
        "llm_call",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("purpose", sa.String(30), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=True),
        sa.Column("cached", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_llm_call_at", "llm_call", ["at"])
    op.create_table(
        "llm_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt_version", sa.String(50), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("llm_cache")
    op.drop_index("ix_llm_call_at", table_name="llm_call")
    op.drop_table("llm_call")
    with op.batch_alter_table("digest", schema=None) as batch_op:
        batch_op.drop_constraint("uq_digest_sheet", type_="unique")
        for name in (
            "problems",
            "cost_usd",
            "completion_tokens",
            "prompt_tokens",
            "prompt_version",
            "model",
            "sheet_hash",
            *_TEXT_COLUMNS,
            "filter_key",
            "verdict",
        ):
            batch_op.drop_column(name)
