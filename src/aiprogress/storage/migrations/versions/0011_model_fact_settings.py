"""model_fact.setting, source_model, copy_of: settings that change a score are data

A benchmark run with 32k thinking tokens, high reasoning effort or parallel attempts is the same
benchmark under another setting, not another benchmark nor the plain model's score; the source's
own model id (a dated snapshot, `o1-2024-12-17_high`) is kept; and a value one source copied from
another names the original. The unique key gains `setting`, so one source may give a model's
default run and its thinking run on the same day.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_COLUMNS = ("setting", "source_model", "copy_of")


def upgrade() -> None:
    with op.batch_alter_table("model_fact", schema=None) as batch_op:
        for name in _COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=200), nullable=False, server_default="")
            )
        batch_op.drop_constraint("uq_model_fact_source_day", type_="unique")
        batch_op.create_unique_constraint(
            "uq_model_fact_source_day_setting",
            ["model_id", "metric", "as_of", "source_name", "setting"],
        )


def downgrade() -> None:
    # Facts that differ only by setting would break the narrower key: keep the default runs.
    op.execute("DELETE FROM model_fact WHERE setting <> ''")
    with op.batch_alter_table("model_fact", schema=None) as batch_op:
        batch_op.drop_constraint("uq_model_fact_source_day_setting", type_="unique")
        batch_op.create_unique_constraint(
            "uq_model_fact_source_day", ["model_id", "metric", "as_of", "source_name"]
        )
        for name in reversed(_COLUMNS):
            batch_op.drop_column(name)
