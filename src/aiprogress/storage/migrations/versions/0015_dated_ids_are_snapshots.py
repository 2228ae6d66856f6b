"""dated model ids become snapshots of the model they date

Before this revision a list that named a model under its bare and a dated id (OpenRouter's
`openai/gpt-4o-mini` and `openai/gpt-4o-mini-2024-07-18`) made two models, and the values other
sources read under the dated id (Epoch's GPQA Diamond for GPT-4o mini) went to the second. Each
model whose id is another held model's id plus a full date stamp becomes that model's snapshot:
its facts, aliases and events move to the base model (a fact naming the snapshot it is of), a
value the base model already holds for the same source, day and setting stays the base model's
(as an import lets the least dated id speak), and the dated model goes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 23:40:00
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# As core/registry.py's rule read on this revision's day; a migration does not follow later
# changes of the code.
_DATED_ID = re.compile(r"^(?P<base>.+?)-(?P<stamp>\d{4}-\d{2}-\d{2}|\d{8})$")


def _base(model_id: str) -> str | None:
    found = _DATED_ID.match(model_id)
    if found is None:
        return None
    digits = found["stamp"].replace("-", "")
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return found["base"]


def upgrade() -> None:
    bind = op.get_bind()
    held = {row[0] for row in bind.execute(sa.text("SELECT canonical_id FROM model"))}
    for dated in sorted(held):
        base = _base(dated)
        if base is None or base not in held:
            continue
        ids = {"dated": dated, "base": base, "snapshot": dated.rsplit("/", 1)[-1]}
        bind.execute(
            sa.text(
                "INSERT INTO model_snapshot (model_id, snapshot_id, release_date, is_default) "
                "SELECT CAST(:base AS VARCHAR), CAST(:snapshot AS VARCHAR), NULL, false "
                "WHERE NOT EXISTS (SELECT 1 FROM model_snapshot "
                "WHERE model_id = :base AND snapshot_id = :snapshot)"
            ),
            ids,
        )
        bind.execute(
            sa.text(
                "UPDATE model_fact SET model_id = :base, source_model = CASE WHEN "
                "source_model = '' THEN CAST(:dated AS VARCHAR) ELSE source_model END "
                "WHERE model_id = :dated "
                "AND NOT EXISTS (SELECT 1 FROM model_fact AS held WHERE held.model_id = :base "
                "AND held.metric = model_fact.metric AND held.as_of = model_fact.as_of AND "
                "held.source_name = model_fact.source_name AND held.setting = model_fact.setting)"
            ),
            ids,
        )
        bind.execute(
            sa.text("UPDATE model_alias SET model_id = :base WHERE model_id = :dated"), ids
        )
        # A snapshot is not a new model; its other events (a new best, a price change) are the
        # base model's unless the base model already has the same one.
        bind.execute(
            sa.text("DELETE FROM model_event WHERE model_id = :dated AND kind = 'new_model'"), ids
        )
        bind.execute(
            sa.text(
                "UPDATE model_event SET model_id = :base WHERE model_id = :dated AND NOT EXISTS "
                "(SELECT 1 FROM model_event AS held WHERE held.model_id = :base AND "
                "held.kind = model_event.kind AND held.metric = model_event.metric AND "
                "held.as_of = model_event.as_of AND held.source_url = model_event.source_url)"
            ),
            ids,
        )
        bind.execute(
            sa.text(
                "UPDATE model_event SET previous_model_id = :base WHERE previous_model_id = :dated"
            ),
            ids,
        )
        bind.execute(
            sa.text("UPDATE model SET predecessor = :base WHERE predecessor = :dated"), ids
        )
        for table in ("model_fact", "model_event", "model_snapshot"):
            bind.execute(sa.text(f"DELETE FROM {table} WHERE model_id = :dated"), ids)  # noqa: S608
        bind.execute(sa.text("DELETE FROM model WHERE canonical_id = :dated"), ids)


def downgrade() -> None:
    # The merge is not undone: which of the base model's values came from the dated model is
    # kept (source_model), but the separate model was the fault this revision mends.
    pass
