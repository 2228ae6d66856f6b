"""A channel insert that stores nothing is our failure (`StorageError`), not a `NotFound` the
chat would read as its own mistake. A real trigger on each database drops the insert."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aiprogress.core.errors import StorageError, UserError
from aiprogress.core.types import ChatKind, Language, Platform
from aiprogress.storage.store import SqlStore

# Each database's way of skipping an insert without an error.
_DROP_INSERTS = {
    "sqlite": [
        "CREATE TRIGGER drop_channel_insert BEFORE INSERT ON channel "
        "BEGIN SELECT RAISE(IGNORE); END"
    ],
    "postgresql": [
        "CREATE FUNCTION drop_channel_insert() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NULL; END $$",
        "CREATE TRIGGER drop_channel_insert BEFORE INSERT ON channel "
        "FOR EACH ROW EXECUTE FUNCTION drop_channel_insert()",
    ],
}
_UNDO = {
    "sqlite": ["DROP TRIGGER drop_channel_insert"],
    # The PostgreSQL database is shared by the session's tests: leave it as found.
    "postgresql": [
        "DROP TRIGGER drop_channel_insert ON channel",
        "DROP FUNCTION drop_channel_insert()",
    ],
}


async def _run(store: SqlStore, statements: list[str]) -> None:
    async with store.engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))


async def test_a_channel_the_database_does_not_store_is_a_storage_error(store: SqlStore) -> None:
    dialect = store.engine.dialect.name
    await _run(store, _DROP_INSERTS[dialect])
    try:
        with pytest.raises(StorageError) as raised:
            await store.channels.ensure(
                Platform.TELEGRAM, "-100123", language=Language.EN, kind=ChatKind.GROUP
            )
        assert not isinstance(raised.value, UserError)
    finally:
        await _run(store, _UNDO[dialect])
    # Without the trigger the same chat is stored.
    channel = await store.channels.ensure(
        Platform.TELEGRAM, "-100123", language=Language.EN, kind=ChatKind.GROUP
    )
    assert channel.address == "-100123"
