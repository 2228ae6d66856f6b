"""A full dump of the model tables after the bundled knowledge base's import, and the record
of it that `test_models_import.py` compares every import with.

The record was made by the import as it was before it was batched (issue 21: one UPDATE per
field of every model a source could fill, ~1,000 statements), so the batched import is held to
the very rows that one wrote. Run this file to record it again, on purpose only, when the
bundled data or the import's rules change:

    python -m tests.storage.bundled_dump

Surrogate ids are left out: PostgreSQL spends a sequence value on each row an
`ON CONFLICT DO NOTHING` skips, so they differ between the backends for the same rows.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from aiprogress.core.types import ImportReport
from aiprogress.storage import tables
from aiprogress.storage.engine import Database

RECORD = Path(__file__).parent / "data" / "bundled_import_dump.json"
MODEL_TABLES = (
    tables.model,
    tables.model_alias,
    tables.model_snapshot,
    tables.model_fact,
    tables.model_event,
)


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return value


async def dump(engine: Database) -> dict[str, list[str]]:
    """Every row of each model table but its surrogate id, as sorted JSON lines."""
    found: dict[str, list[str]] = {}
    async with engine.connect() as connection:
        for table in MODEL_TABLES:
            columns = [c for c in table.c if c.name != "id"]
            rows = await connection.execute(sa.select(*columns))
            found[table.name] = sorted(
                json.dumps([_plain(v) for v in row], ensure_ascii=False) for row in rows
            )
    return found


def summary(found: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Each table's row count and the SHA-256 of its sorted rows."""
    return {
        name: {
            "rows": len(lines),
            "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
        }
        for name, lines in found.items()
    }


def report_rows(reports: Sequence[ImportReport]) -> list[Any]:
    """What each report of the import said, as JSON reads it back: source, models and facts
    added, its events, what it dropped and why, its error."""
    rows = [
        [r.source_name, r.models_added, r.facts_added, len(r.events), r.dropped, r.error]
        for r in reports
    ]
    found: list[Any] = json.loads(json.dumps(rows))
    return found


async def _record() -> None:
    from aiprogress.app.models_data import import_bundled_models
    from aiprogress.core.clock import FixedClock
    from aiprogress.storage.engine import create_engine
    from aiprogress.storage.migrate import upgrade
    from aiprogress.storage.store import SqlStore
    from tests.builders import make_registry
    from tests.conftest import TODAY

    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(create_engine(f"sqlite:///{Path(folder) / 'record.db'}"))
        try:
            await upgrade(store.engine)
            reports = await import_bundled_models(make_registry(store, FixedClock(TODAY)))
            found = await dump(store.engine)
        finally:
            await store.close()
    record = {"tables": summary(found), "reports": report_rows(reports)}
    RECORD.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"recorded {RECORD}\n")


if __name__ == "__main__":
    asyncio.run(_record())
