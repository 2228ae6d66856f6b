"""The fetch log's IN-lists come in few lengths: the SQLite driver keeps each distinct statement
it ran prepared (128 to a connection), and an IN-list of each length is a statement of its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from aiprogress.core.types import (
    FetchOutcome,
    FetchResult,
    FetchStatus,
    NewSource,
    ParsedItem,
    SourceCheck,
)
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import upgrade
from aiprogress.storage.store import SqlStore

NOW = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)


async def test_batches_of_304s_of_every_length_share_a_few_statements(tmp_path: Path) -> None:
    store = SqlStore(create_engine(f"sqlite:///{tmp_path / 'log.db'}"))
    statements: set[str] = set()

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.add(statement)

    try:
        await upgrade(store.engine)
        sources = [
            await store.sources.add(NewSource(url=f"https://example.org/{n}.xml"), NOW)
            for n in range(40)
        ]
        sa.event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
        unchanged = FetchResult(status=FetchStatus.NOT_MODIFIED, http_status=304)
        for size in range(1, 41):
            later = NOW + timedelta(minutes=size)
            check = SourceCheck(0, later + timedelta(hours=1))
            # Items already stored are read back as possible edits: their IN-lists too.
            items = (ParsedItem(guid=f"g{size}", url="https://example.org/a", title=f"{size}"),)
            outcomes = [
                FetchOutcome(source.id, result=unchanged, check=check, fetched_at=later)
                for source in sources[:size]
            ]
            await store.fetches.record(outcomes)
            ok = FetchResult(status=FetchStatus.OK, http_status=200)
            with_items = [
                FetchOutcome(s.id, result=ok, check=check, fetched_at=later, items=items)
                for s in sources[:size]
            ]
            await store.fetches.record(with_items)
            await store.fetches.record(with_items)  # again: every item is a candidate edit
        by_id = {source.id: source for source in await store.sources.list()}
    finally:
        await store.close()
    # Each source ends with its last batch's values: padding an IN-list changes nothing it
    # matches.
    for source in sources:
        assert by_id[source.id].last_fetched_at == NOW + timedelta(minutes=40)
        assert by_id[source.id].next_check_at == NOW + timedelta(minutes=40, hours=1)
    updates = [s for s in statements if s.startswith("UPDATE source") and " IN (" in s]
    selects = [s for s in statements if s.startswith("SELECT") and " IN (" in s]
    # 40 lengths of each list without padding; padded to powers of two: 1, 2, 4, ... 64.
    assert updates and selects
    lengths = {
        part.split(")")[0].count("?") for s in updates + selects for part in s.split(" IN (")[1:]
    }
    assert lengths <= {1, 2, 4, 8, 16, 32, 64}, sorted(lengths)
