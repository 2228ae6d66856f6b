"""admin_notice.subject, admin_notice.detail: a notice is worded in each owner's language

A notice used to be stored as English text. It now keeps what it is about (the source's or
channel's name) and the stored reason (a source's disabled reason, which the catalogue words
in Russian or English), so the outbox words it per owner when it delivers it; `text` stays as
the English line for logs and for notices stored before this revision.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("admin_notice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("subject", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("admin_notice", schema=None) as batch_op:
        batch_op.drop_column("detail")
        batch_op.drop_column("subject")
