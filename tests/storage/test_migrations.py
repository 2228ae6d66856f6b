"""The migration builds the schema from nothing, on both backends, and matches the models."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import (
    HEAD_REVISION,
    current_revision,
    head_revision,
    stored_revision,
    upgrade,
)
from aiprogress.storage.store import SqlStore
from aiprogress.storage.tables import metadata
from tests.conftest import _reset_postgres


async def test_upgrade_empty_database_matches_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
        assert await stored_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        # The quick check that spares Alembic's import reads the same revision.
        assert await stored_revision(engine) == HEAD_REVISION == head_revision()

        def diff(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))

        async with engine.connect() as connection:
            assert await connection.run_sync(diff) == []

        # Upgrading an up-to-date database is a no-op, not an error.
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(tmp_path: object) -> None:
    from pathlib import Path

    import sqlalchemy as sa

    assert isinstance(tmp_path, Path)
    engine = create_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        async with engine.connect() as connection:
            mode = (await connection.execute(sa.text("PRAGMA journal_mode"))).scalar()
            keys = (await connection.execute(sa.text("PRAGMA foreign_keys"))).scalar()
            cache = (await connection.execute(sa.text("PRAGMA cache_size"))).scalar()
        assert mode == "wal"
        assert keys == 1
        assert cache == -1000  # KiB: the collector's peak RSS counts every connection's cache
    finally:
        await engine.dispose()


@asynccontextmanager
async def store_at(database_url: str, revision: str) -> AsyncIterator[SqlStore]:
    """A store whose database is migrated only up to `revision`, to be filled as it was then
    (the test upgrades it after); closed at the end."""
    store = SqlStore(create_engine(database_url))
    try:
        await upgrade(store.engine, revision)
        yield store
    finally:
        await store.close()


async def test_sources_named_before_0009_keep_their_names_the_others_follow_titles(
    database_url: str,
) -> None:
    import sqlalchemy as sa

    async with store_at(database_url, "0008") as store:
        async with store.engine.begin() as connection:
            for url, name in (("https://a.example/feed", "Named"), ("https://b.example/feed", "")):
                await connection.execute(
                    sa.text(
                        "INSERT INTO source (url, name, kind, trust_tier, enabled, created_at, "
                        "failures, interval_seconds, backfill) VALUES "
                        "(:url, :name, 'feed', 'community', true, CURRENT_TIMESTAMP, 0, 3600, "
                        "false)"
                    ),
                    {"url": url, "name": name},
                )
        await upgrade(store.engine)
        listed = await store.sources.list()
        assert [(s.name, s.name_from_user) for s in listed] == [("Named", True), ("", False)]


async def test_0014_keeps_models_and_their_facts_and_names_no_release_source(
    database_url: str,
) -> None:
    import sqlalchemy as sa

    async with store_at(database_url, "0013") as store:
        async with store.engine.begin() as connection:
            await connection.execute(
                sa.text(
                    "INSERT INTO model (canonical_id, display_name, vendor, family, release_date) "
                    "VALUES ('openai/o1', 'o1', 'OpenAI', '', NULL)"
                )
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO model_fact (model_id, metric, value, unit, as_of, source_name, "
                    "source_url, collected_at, setting, source_model, copy_of) VALUES "
                    "('openai/o1', 'price_input', 15.0, 'USD/1M tokens', '2025-05-23', "
                    "'OpenRouter models API', 'https://openrouter.ai/api/v1/models', "
                    "CURRENT_TIMESTAMP, '', '', '')"
                )
            )
        await upgrade(store.engine)
        [model] = await store.models.all()
        assert (model.canonical_id, model.release_date, model.release_source) == (
            "openai/o1",
            None,
            "",
        )
        assert [f.value for f in await store.models.facts(["openai/o1"])] == [15.0]


async def test_a_dated_model_before_0015_becomes_its_base_models_snapshot(
    database_url: str,
) -> None:
    # Constructed after what the bundled data made before 0015: OpenRouter's bare and dated
    # GPT-4o mini as two models, the same price on each, Epoch's GPQA Diamond on the dated one.
    import sqlalchemy as sa

    fact = (
        "INSERT INTO model_fact (model_id, metric, value, unit, as_of, source_name, source_url, "
        "collected_at, setting, source_model, copy_of) VALUES (:model, :metric, :value, :unit, "
        "'2025-05-23', :source, 'https://example.org', CURRENT_TIMESTAMP, '', '', '')"
    )
    async with store_at(database_url, "0014") as store:
        async with store.engine.begin() as connection:
            for model_id, name in (
                ("openai/gpt-4o-mini", "GPT-4o-mini"),
                ("openai/gpt-4o-mini-2024-07-18", "GPT-4o-mini (2024-07-18)"),
                ("mistralai/mistral-large", "Mistral Large"),
                ("mistralai/mistral-large-2411", "Mistral Large 2411"),
            ):
                await connection.execute(
                    sa.text(
                        "INSERT INTO model (canonical_id, display_name, vendor, family) "
                        "VALUES (:id, :name, 'openai', '')"
                    ),
                    {"id": model_id, "name": name},
                )
            for model_id, metric, value, unit, source in (
                ("openai/gpt-4o-mini", "price_input", 0.15, "USD/1M tokens", "OpenRouter"),
                (
                    "openai/gpt-4o-mini-2024-07-18",
                    "price_input",
                    0.15,
                    "USD/1M tokens",
                    "OpenRouter",
                ),
                ("openai/gpt-4o-mini-2024-07-18", "GPQA Diamond", 37.72, "%", "Epoch AI"),
            ):
                await connection.execute(
                    sa.text(fact),
                    {"model": model_id, "metric": metric, "value": value, "unit": unit,
                     "source": source},
                )  # fmt: skip
            await connection.execute(
                sa.text(
                    "INSERT INTO model_alias (alias, model_id) VALUES "
                    "('gpt-4o-mini-2024-07-18', 'openai/gpt-4o-mini-2024-07-18')"
                )
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO model_event (kind, model_id, metric, unit, as_of, source_url, "
                    "created_at) VALUES ('new_model', 'openai/gpt-4o-mini-2024-07-18', '', '', "
                    "'2025-05-23', 'https://example.org', CURRENT_TIMESTAMP)"
                )
            )
        await upgrade(store.engine)

        models = {m.canonical_id: m for m in await store.models.all()}
        assert sorted(models) == [
            "mistralai/mistral-large",
            "mistralai/mistral-large-2411",  # a four-digit stamp stays a model
            "openai/gpt-4o-mini",
        ]
        mini = models["openai/gpt-4o-mini"]
        assert [(s.snapshot_id, s.is_default) for s in mini.snapshots] == [
            ("gpt-4o-mini-2024-07-18", False)
        ]
        assert "gpt-4o-mini-2024-07-18" in mini.aliases
        facts = await store.models.facts(["openai/gpt-4o-mini"])
        assert sorted((f.metric, f.value, f.source_name, f.source_model) for f in facts) == [
            ("GPQA Diamond", 37.72, "Epoch AI", "openai/gpt-4o-mini-2024-07-18"),
            ("price_input", 0.15, "OpenRouter", ""),
        ]
        assert await store.models.events() == []


def _clauses(sql: str | None) -> list[str]:
    """A CREATE statement's clauses (columns in order, then its constraints in any order), in
    SQLite's words. Alembic's batch migrations that rebuild a table write its constraints in
    an order that changes from run to run (a set's), so only their order is let go."""
    if sql is None:
        return []
    head, _, body = sql.partition("(")
    parts, depth, current = [], 0, ""
    for char in body.rsplit(")", 1)[0]:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    constraint = ("PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CONSTRAINT", "CHECK")
    columns = [p for p in parts if not p.startswith(constraint)]
    return [head.strip(), *columns, *sorted(p for p in parts if p.startswith(constraint))]


def _reflected(connection: Connection) -> dict[str, object]:
    """Every table as SQLAlchemy reflects it: columns in order (type, nullable, server default,
    autoincrement), primary key, foreign keys (with their ON DELETE), indexes, unique and check
    constraints."""
    import sqlalchemy as sa

    inspector = sa.inspect(connection)
    found: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        found[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"), c.get("autoincrement"))
                for c in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table),
            "foreign keys": sorted(map(repr, inspector.get_foreign_keys(table))),
            "indexes": sorted(map(repr, inspector.get_indexes(table))),
            "unique": sorted(map(repr, inspector.get_unique_constraints(table))),
            "checks": sorted(map(repr, inspector.get_check_constraints(table))),
        }
    if connection.dialect.name == "sqlite":
        # SQLite's own statement of each table and index, clause by clause.
        found["sqlite_master"] = sorted(
            (kind, name, table, _clauses(sql))
            for kind, name, table, sql in connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
            )
        )
    found["alembic_version"] = connection.exec_driver_sql(
        "SELECT version_num FROM alembic_version"
    ).all()
    return found


async def _schema_of(url: str, *, alembic_only: bool) -> dict[str, object]:
    """The schema `upgrade` makes of an empty database, or, with `alembic_only`, the one
    Alembic's every migration makes."""

    def run_every_migration(connection: Connection) -> None:
        from alembic import command

        from aiprogress.storage.migrate import alembic_config

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    engine = create_engine(url)
    try:
        if alembic_only:
            async with engine.begin() as connection:
                await connection.run_sync(run_every_migration)
        else:
            await upgrade(engine)
        async with engine.connect() as connection:
            return await connection.run_sync(_reflected)
    finally:
        await engine.dispose()


async def test_a_new_database_is_made_at_head_with_the_schema_every_migration_makes(
    database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A new SQLite database is created from `sqlite_head` in one transaction (issue 21), not
    migrated step by step: tables, columns in order, types, defaults, keys, indexes and
    constraints are the migrations', and SQLite states every table in the same words. A new
    PostgreSQL database is migrated as before (0.07 s of CPU there: not worth a record)."""
    from aiprogress.storage import sqlite_head

    # A migration added without recording the schema again fails here (and new databases
    # are migrated meanwhile, never made from a stale record).
    assert sqlite_head.REVISION == HEAD_REVISION
    with caplog.at_level("INFO"):
        made = await _schema_of(database_url, alembic_only=False)
    created = [r for r in caplog.records if "schema created at revision" in r.getMessage()]
    assert len(created) == (1 if database_url.startswith("sqlite") else 0)
    if database_url.startswith("sqlite"):
        migrated_url = f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        await _reset_postgres(database_url)
        migrated_url = database_url
    migrated = await _schema_of(migrated_url, alembic_only=True)
    assert made == migrated
    assert len(made) > 10  # every table, not two empty answers


async def test_a_sqlite_file_holding_any_table_is_migrated_not_made_at_head(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import sqlalchemy as sa

    engine = create_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("CREATE TABLE notes (text TEXT)"))
        with caplog.at_level("INFO"):
            await upgrade(engine)
        assert not [r for r in caplog.records if "schema created" in r.getMessage()]
        assert await stored_revision(engine) == HEAD_REVISION
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: sa.inspect(c).get_table_names())
        assert "notes" in tables and "model_fact" in tables
    finally:
        await engine.dispose()


async def test_two_processes_starting_on_one_new_sqlite_file_both_get_the_schema(
    tmp_path: Path,
) -> None:
    import asyncio

    url = f"sqlite:///{tmp_path / 'new.db'}"
    engines = [create_engine(url), create_engine(url)]
    try:
        await asyncio.gather(*(upgrade(engine) for engine in engines))
        for engine in engines:
            assert await stored_revision(engine) == HEAD_REVISION
    finally:
        for engine in engines:
            await engine.dispose()
