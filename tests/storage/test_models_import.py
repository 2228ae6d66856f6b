"""The model registry's import writes what it always wrote, in a few statements: the bundled
knowledge base against its recorded dump, and many fills at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event

from aiprogress.core.types import EventKind, ModelEvent, ModelInfo
from aiprogress.storage.engine import Database
from aiprogress.storage.store import SqlStore
from tests.conftest import Bundled
from tests.storage.bundled_dump import RECORD, dump, report_rows, summary

NOW = datetime(2026, 8, 15, 12, 0, tzinfo=UTC)


@contextmanager
def statements(engine: Database) -> Iterator[list[str]]:
    """The SQL statements the engine sends to the database inside the block."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def test_the_bundled_import_stores_the_rows_the_one_statement_per_fill_import_stored(
    bundled: Bundled,
) -> None:
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    assert summary(await dump(bundled.store.engine)) == record["tables"]
    assert report_rows(bundled.reports) == record["reports"]


async def test_fills_of_many_models_take_a_few_statements_and_the_first_value_wins(
    store: SqlStore,
) -> None:
    count = 150
    bare = [ModelInfo(f"acme/m{n}", f"M{n}", vendor="", family="") for n in range(count)]
    kept = ModelInfo("acme/kept", "Kept", "Acme", "kept", date(2024, 1, 1), open_weights=False)
    listed = date(2025, 5, 23)
    await store.models.apply_import(
        models=[*bare, kept],
        aliases=[],
        facts=[],
        events=[
            ModelEvent(EventKind.NEW_MODEL, m.canonical_id, listed, "https://example.org")
            for m in (*bare, kept)
        ],
        now=NOW,
    )

    def fill(model_id: str, n: int, released: date | None, source: str) -> ModelInfo:
        return ModelInfo(
            model_id,
            "",
            vendor=f"vendor-{n}",
            family=f"family-{n}" if n % 2 else "",
            release_date=released,
            open_weights=n % 3 == 0,
            release_source=source,
        )

    # Two sources' words on each model: the first to give a field fills it.
    fills = [
        *(
            fill(f"acme/m{n}", n, date(2024, 6, 1) if n % 2 else None, "first")
            for n in range(count)
        ),
        *(fill(f"acme/m{n}", n + 1, date(2024, 7, 1), "second") for n in range(count)),
        fill("acme/kept", 1, date(2023, 1, 1), "first"),
    ]
    with statements(store.engine) as sent:
        await store.models.apply_import(
            models=[], aliases=[], facts=[], events=[], now=NOW, fills=fills
        )
    # One read of the models, one UPDATE per field (and one of the "new" events); the import
    # of one UPDATE per fill and field sent ~1,000 here.
    assert len(sent) <= 8, sent

    stored = {m.canonical_id: m for m in await store.models.all()}
    assert stored["acme/kept"] == kept
    for n in range(count):
        first, second = n, n + 1
        odd = n % 2 == 1
        model = stored[f"acme/m{n}"]
        assert model.vendor == f"vendor-{first}"
        assert model.family == (f"family-{first}" if odd else f"family-{second}")
        assert (model.release_date, model.release_source) == (
            (date(2024, 6, 1), "first") if odd else (date(2024, 7, 1), "second")
        )
        assert model.open_weights is (first % 3 == 0)
    # A filled release date, earlier than the snapshot that first listed the model, dates its
    # "new" event; the model that had a date keeps its event's.
    events = {e.model_id: e.as_of for e in await store.models.events(limit=1000)}
    assert events["acme/kept"] == listed
    assert events["acme/m1"] == date(2024, 6, 1)
    assert events["acme/m2"] == date(2024, 7, 1)


def test_facts_are_read_in_the_order_of_model_facts_fields() -> None:
    """`facts()` makes each row a `ModelFact` by position."""
    from aiprogress.core.types import ModelFact
    from aiprogress.storage.models import _FACT_COLUMNS

    assert [c.name for c in _FACT_COLUMNS] == [f.name for f in dataclasses.fields(ModelFact)]


async def test_a_release_date_gives_way_to_a_more_trusted_source_only(store: SqlStore) -> None:
    """Release dates by source (`RELEASE_DATE_TRUST`): a date LLM Stats filled gives way to
    models.dev's, later; models.dev's never to LLM Stats' nor to an unranked source's; the
    curated file's (no source name) to no one. The model's "new" event moves with its date."""
    listed = date(2025, 5, 23)
    models = [
        ModelInfo("acme/opus", "Opus", "Acme"),
        ModelInfo("acme/sonnet", "Sonnet", "Acme"),
        ModelInfo("acme/haiku", "Haiku", "Acme"),
        ModelInfo("acme/seeded", "Seeded", "Acme", release_date=date(2023, 7, 11)),
    ]
    await store.models.apply_import(
        models=models,
        aliases=[],
        facts=[],
        events=[
            ModelEvent(EventKind.NEW_MODEL, m.canonical_id, listed, "https://example.org")
            for m in models
        ],
        now=NOW,
    )

    def fill(model_id: str, day: date, source: str) -> ModelInfo:
        return ModelInfo(model_id, "", "", release_date=day, release_source=source)

    async def apply(*fills: ModelInfo) -> dict[str, tuple[date | None, str]]:
        await store.models.apply_import(
            models=[], aliases=[], facts=[], events=[], now=NOW, fills=fills
        )
        return {
            m.canonical_id: (m.release_date, m.release_source) for m in await store.models.all()
        }

    # The bundled order: LLM Stats' stamp read back first, where models.dev's day was missed.
    stored = await apply(
        fill("acme/opus", date(2024, 2, 29), "LLM Stats"),
        fill("acme/haiku", date(2024, 3, 13), "models.dev"),
        fill("acme/seeded", date(2023, 7, 1), "models.dev"),
    )
    assert stored["acme/opus"] == (date(2024, 2, 29), "LLM Stats")
    stored = await apply(
        fill("acme/opus", date(2024, 3, 4), "models.dev"),
        fill("acme/haiku", date(2024, 3, 7), "LLM Stats"),
        fill("acme/haiku", date(2024, 3, 8), "OpenRouter models API"),
        fill("acme/seeded", date(2023, 7, 1), "models.dev"),
    )
    assert stored["acme/opus"] == (date(2024, 3, 4), "models.dev")
    assert stored["acme/haiku"] == (date(2024, 3, 13), "models.dev")
    assert stored["acme/seeded"] == (date(2023, 7, 11), "")
    # Of one import's fills the most trusted wins, whatever their order.
    stored = await apply(
        fill("acme/sonnet", date(2024, 2, 29), "LLM Stats"),
        fill("acme/sonnet", date(2024, 3, 4), "models.dev"),
        fill("acme/sonnet", date(2024, 3, 5), "LLM Stats"),
    )
    assert stored["acme/sonnet"] == (date(2024, 3, 4), "models.dev")
    events = {e.model_id: e.as_of for e in await store.models.events(limit=10)}
    assert events["acme/opus"] == date(2024, 3, 4)
    assert events["acme/sonnet"] == date(2024, 3, 4)
    assert events["acme/haiku"] == date(2024, 3, 13)
    assert events["acme/seeded"] == listed
