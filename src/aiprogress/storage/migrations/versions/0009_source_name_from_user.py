"""source.name_from_user: a name a user gave stays; any other follows the feed's title

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_from_user", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Before this revision a source had a name only when one was given (--name, the default
    # catalogue, an OPML file); the nameless ones take their feed's title from now on.
    op.execute("UPDATE source SET name_from_user = (name <> '')")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.alter_column("name_from_user", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("name_from_user")
