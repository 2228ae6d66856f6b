"""Column types: what they write to the database and what they read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from aiprogress.storage.engine import create_engine
from aiprogress.storage.tables import UTCDateTime


async def test_sqlite_datetimes_are_written_as_sqlalchemy_writes_them(tmp_path: Path) -> None:
    # SQLite has no time zones: UTCDateTime stores naive UTC text, which must compare and sort
    # with what SQLAlchemy's DATETIME writes, and reads back aware, whatever form it has.
    engine = create_engine(f"sqlite:///{tmp_path / 't.db'}")
    columns = sa.MetaData()
    table = sa.Table(
        "t",
        columns,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ours", UTCDateTime),
        sa.Column("theirs", sa.DateTime),
    )
    moments = [
        datetime(2026, 8, 15, 12, 0, tzinfo=UTC),
        datetime(2026, 8, 15, 14, 30, 5, 123456, tzinfo=timezone(timedelta(hours=3))),
        datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    ]
    try:
        async with engine.begin() as connection:
            await connection.run_sync(columns.create_all)
            for moment in moments:
                naive_utc = moment.astimezone(UTC).replace(tzinfo=None)
                await connection.execute(table.insert().values(ours=moment, theirs=naive_utc))
            written = (await connection.execute(sa.text("SELECT ours, theirs FROM t"))).all()
            assert [ours for ours, _ in written] == [theirs for _, theirs in written]
            assert written[0][0] == "2026-08-15 12:00:00.000000"
            # Every form SQLite DATETIME text takes reads back as aware UTC.
            await connection.execute(
                sa.text(
                    "INSERT INTO t (ours) VALUES "
                    "('2026-08-15'), ('2026-08-15 12:00:00'), ('2026-08-15 12:00:00.5'), (NULL)"
                )
            )
            read = (await connection.execute(sa.select(table.c.ours).order_by(table.c.id))).all()
            due = sa.select(sa.func.count()).where(table.c.ours <= moments[0])
            assert (await connection.execute(due)).scalar() == 5
    finally:
        await engine.dispose()
    assert [value for (value,) in read] == [
        *(moment.astimezone(UTC) for moment in moments),
        datetime(2026, 8, 15, tzinfo=UTC),
        datetime(2026, 8, 15, 12, tzinfo=UTC),
        datetime(2026, 8, 15, 12, 0, 0, 500000, tzinfo=UTC),
        None,
    ]
    assert all(value is None or value.tzinfo is UTC for (value,) in read)
