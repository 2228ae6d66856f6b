"""The schema revision this code expects: apart from `migrate.py`, so that the sqlite3 store
(`sqlite_collect.py`) can compare a database's with it without importing SQLAlchemy."""

# The newest migration's id; tests/storage/test_migrations.py keeps it equal to Alembic's head.
HEAD_REVISION = "0015"
