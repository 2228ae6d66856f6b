"""A SQLite database file: where a plain URL puts it, and how each connection to it is set up,
the same for SQLAlchemy's engine (`engine.py`) and the sqlite3 store (`sqlite_collect.py`).
No SQLAlchemy here."""

from __future__ import annotations

import os

SQLITE_PRAGMAS = (
    # WAL lets readers (the bots) run while the collector writes; foreign keys are off by
    # default in SQLite and our cascades depend on them.
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA synchronous=NORMAL",
    # 1 MB of page cache per connection, not SQLite's 2 MB: the operating system caches the
    # file as well, and each pooled connection holds its own cache (bench/collect.py: 1.4 MB
    # less peak RSS for `collect`; its first pass was 4% slower on average over three pairs of
    # runs, less than one run's noise on this machine).
    "PRAGMA cache_size=-1000",
)
"""Run on every new connection, in this order."""

# The URLs of a file read as `sqlite:///path` is: SQLite, by the driver SQLAlchemy picks for it.
_PLAIN_PREFIXES = ("sqlite:///", "sqlite+aiosqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str) -> str | None:
    """The absolute path of the file a plain SQLite URL names (`sqlite:///relative/path`,
    `sqlite:////absolute/path`), as SQLAlchemy's driver opens it; None for any other URL: not
    SQLite, in memory, a `file:` URI, or with a query, an escape or a fragment, which are
    SQLAlchemy's to read."""
    for prefix in _PLAIN_PREFIXES:
        if url.startswith(prefix):
            path = url[len(prefix) :]
            break
    else:
        return None
    if not path or path == ":memory:" or path.startswith("file:") or any(c in path for c in "?%#"):
        return None
    return os.path.abspath(path)
