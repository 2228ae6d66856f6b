"""The command line imports on demand (issue 21), as lemon24/reader tests its own: `--help` loads
no storage, HTTP, bot, LLM, settings or plotting library; `compare` (text) none of the network,
bot, LLM, feed-parsing or plotting ones; and neither `compare` nor a `collect` with nothing to
fetch loads an ORM (the store is SQLAlchemy Core), pydantic (the settings are dataclasses) or,
on SQLite, PostgreSQL's dialect; a `collect` on a SQLite database at head loads no SQLAlchemy at
all (its store is sqlite3's) and still stores what it fetched; and `aiprogress collect` as the
entry point runs it loads no Typer. Each case runs in a fresh interpreter and lists what it ended
up loading."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer

# Run the command line in-process, then print the top-level packages and our modules loaded.
_PROBE = """
import json, sys
from aiprogress.app.cli import app
try:
    app(sys.argv[1:], standalone_mode=True)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

# The bots, the network, feeds, the LLM, plotting and data files: what sending, collecting,
# writing and drawing need, and neither --help nor `compare` does.
NOT_FOR_READING = {
    "aiogram",
    "aiohttp",
    "alembic",
    "apscheduler",
    "asyncpg",
    "discord",
    "fastfeedparser",
    "feedparser",
    "lxml",
    "matplotlib",
    "openai",
    "PIL",
    "yaml",
    "aiprogress.bot",
}

# Nothing that a command's work needs: storage, HTTP, settings, bots, LLM, parsing, plotting.
HELP_MAY_NOT_LOAD = NOT_FOR_READING | {
    "aiosqlite",
    "asyncio",
    "nh3",
    # Typer below 0.29 validates no parameter through pydantic, and help reads no settings.
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    "rapidfuzz",
    "re2",
    "sqlalchemy",
    "sqlmodel",
    "uvloop",
    "aiprogress.app.settings",
    "aiprogress.app.wiring",
    "aiprogress.digest",
    "aiprogress.sources",
    "aiprogress.storage",
}

# What the store does not need: it runs Core statements on its own thin asyncio engine
# (storage/engine.py). `sqlalchemy.ext.asyncio` imports all of `sqlalchemy.orm`; on SQLite,
# PostgreSQL's dialect and driver are dead weight.
STORE_MAY_NOT_LOAD = {
    "asyncpg",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.orm",
    "sqlmodel",
    # Settings are plain dataclasses read from a dictionary of variables: no pydantic (its
    # import, the sections' schemas and its plugin loader's scan of every installed
    # distribution cost each command ~0.13 s of CPU), nor pydantic-settings. Only the bots
    # (aiogram) need it.
    "annotated_types",
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
}

# `compare` reads the store and resolves names; it fetches nothing, sends nothing, writes no
# digest and draws nothing.
COMPARE_MAY_NOT_LOAD = (
    STORE_MAY_NOT_LOAD
    | NOT_FOR_READING
    | {
        # Names given exactly are resolved without fuzzy matching.
        "rapidfuzz",
        # Plain text is printed without rich (app/cli/_common.py's Output).
        "rich",
        # The built-in writer and its checker are for digests, as are the fact sheet's classes
        # and the digest's renderer.
        "aiprogress.core.factsheet",
        "aiprogress.digest.builtin",
        "aiprogress.digest.checker",
        "aiprogress.digest.chart",
        "aiprogress.digest.llm",
        "aiprogress.digest.render",
        "aiprogress.sources.http",
        "aiprogress.sources.importers",
        "aiprogress.sources.parse",
    }
)


# What a `collect` on a SQLite database at head does without: its store runs on sqlite3
# (storage/sqlite_collect.py), and SQLAlchemy's import was ~14% of an all-304 run (issue 21).
NO_SQLALCHEMY = {"aiosqlite", "alembic", "sqlalchemy", "sqlmodel", "aiprogress.storage.sqlite_head"}


def _loaded(args: list[str], environment: dict[str, str], folder: Path) -> set[str]:
    return _probed(args, environment, folder)[0]


def _probed(args: list[str], environment: dict[str, str], folder: Path) -> tuple[set[str], str]:
    """The modules the command loaded, and what it printed before them."""
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        env=environment,
        cwd=folder,  # no .env is read from the repository
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    *printed, last = completed.stdout.strip().splitlines()
    modules: list[str] = json.loads(last)
    return set(modules), "\n".join(printed)


def _entry_probed(
    args: list[str], environment: dict[str, str], folder: Path
) -> tuple[set[str], str, str]:
    """The modules `python -m aiprogress ARGS` loaded (as `-X importtime` lists them), what it
    printed on stdout and the rest of its stderr: the process as a user runs it, through the
    entry point (app/entry.py), no probe of ours in it."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "aiprogress", *args],
        env=environment,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules: set[str] = set()
    rest: list[str] = []
    for line in completed.stderr.splitlines():
        if line.startswith("import time:"):
            modules.add(line.rsplit("|", 1)[1].strip())
        else:
            rest.append(line)
    assert "aiprogress.app.entry" in modules  # the listing is the process's
    return modules, completed.stdout.strip(), "\n".join(rest)


def _forbidden(loaded: set[str], banned: set[str]) -> list[str]:
    return sorted(
        name for name in loaded if any(name == b or name.startswith(b + ".") for b in banned)
    )


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    return {
        **{
            k: v
            for k, v in os.environ.items()
            # FORCE_COLOR and TTY_COMPATIBLE would make rich take the pipe for a terminal.
            if not k.startswith(("AIPROGRESS_", "DATABASE_", "FORCE_COLOR", "TTY_COMPATIBLE"))
        },
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lazy.db'}",
    }


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["collect", "--help"],
        ["compare", "--help"],
        ["run", "--help"],
        ["sources", "--help"],
        ["sources", "add", "--help"],
        ["models", "--help"],
    ],
    ids=" ".join,
)
def test_help_loads_no_library_a_command_needs(
    args: list[str], environment: dict[str, str], tmp_path: Path
) -> None:
    loaded = _loaded(args, environment, tmp_path)
    assert "typer" in loaded  # the probe did run the command line
    assert _forbidden(loaded, HELP_MAY_NOT_LOAD) == []


def test_compare_text_loads_only_storage_and_the_comparison(
    environment: dict[str, str], tmp_path: Path
) -> None:
    # The schema and the bundled models are in place first, as after any earlier command: the
    # case measured is a `compare` on a ready database.
    setup = _loaded(["compare", "gpt-4.5", "gpt-4o"], environment, tmp_path)
    assert "aiprogress.sources.importers" in setup
    loaded = _loaded(["compare", "gpt-4.5", "gpt-4o"], environment, tmp_path)
    assert {"sqlalchemy", "aiprogress.storage.store", "aiprogress.digest.compare"} <= loaded
    assert _forbidden(loaded, COMPARE_MAY_NOT_LOAD) == []


def test_an_empty_collect_loads_the_store_but_no_orm_and_no_fetcher(
    environment: dict[str, str], tmp_path: Path
) -> None:
    # The first command on a new database makes its schema (on SQLite, from
    # storage/sqlite_head.py), a `collect` too, with SQLAlchemy; the case measured is a
    # `collect` on a ready database, whose store is sqlite3's: no SQLAlchemy, no Alembic.
    setup, printed = _probed(["collect"], environment, tmp_path)
    assert {"sqlalchemy", "aiprogress.storage.sqlite_head"} <= setup
    assert "aiprogress.storage.sqlite_collect" in setup  # asked, and the file did not exist
    assert printed == "0 sources: 0 fetched, 0 not modified, 0 new items, 0 updated, 0 errors"
    with closing(sqlite3.connect(tmp_path / "lazy.db")) as connection:
        assert connection.execute("SELECT count(*) FROM source").fetchone() == (0,)
    loaded = _loaded(["collect"], environment, tmp_path)
    assert "aiprogress.storage.sqlite_collect" in loaded
    assert _forbidden(loaded, NO_SQLALCHEMY) == []
    # Nothing is due, so nothing is fetched or parsed; no digest is written, nothing compared.
    fetching = {
        "aiohttp",
        "fastfeedparser",
        "lxml",
        "aiprogress.sources.http",
        "aiprogress.sources.http11",
    }
    # Its summary line is plain text, and a pipe gets no progress bar: no rich.
    printing = {"rich"}
    writing = {
        "aiprogress.core.comparison",
        "aiprogress.core.factsheet",
        "aiprogress.core.messages",
        "aiprogress.digest.builtin",
        "aiprogress.digest.checker",
        "aiprogress.digest.compare",
        "aiprogress.digest.render",
    }
    assert _forbidden(loaded, STORE_MAY_NOT_LOAD | fetching | writing | printing) == []


def test_a_collect_at_head_stores_a_feed_without_sqlalchemy(
    environment: dict[str, str], tmp_path: Path
) -> None:
    environment["AIPROGRESS_ALLOW_PRIVATE_URLS"] = "true"
    with FeedServer().in_thread() as host:
        url = host.feed("/ollama.rss", snapshot_feed("ollama-blog.rss"))
        # Added as a user adds one (SQLAlchemy's store, which makes the schema at head).
        assert "sqlalchemy" in _loaded(["sources", "add", url, "--no-check"], environment, tmp_path)
        loaded, printed = _probed(["collect"], environment, tmp_path)
        assert printed == "1 source: 1 fetched, 0 not modified, 56 new items, 0 updated, 0 errors"
        assert _forbidden(loaded, NO_SQLALCHEMY) == []
        assert {"aiprogress.sources.http11", "aiprogress.storage.sqlite_collect"} <= loaded
        # Fetched over the fetcher's own HTTP/1.1 client: aiohttp was ~20% of an all-304
        # collect of 2,000 feeds, and yarl is for URLs that need encoding (issue 21).
        assert _forbidden(loaded, {"aiohttp", "yarl"}) == []
        with closing(sqlite3.connect(tmp_path / "lazy.db")) as connection:
            stored = connection.execute("SELECT count(*), min(fetched_at) FROM item").fetchone()
            etag = connection.execute("SELECT etag, last_status FROM source").fetchone()
        assert stored[0] == 56 and etag[0] and etag[1] == "ok"
        # The next run asks with the stored ETag, and the feed has not changed.
        loaded, printed = _probed(["collect"], environment, tmp_path)
        assert printed == "1 source: 0 fetched, 1 not modified, 0 new items, 0 updated, 0 errors"
        assert host.conditional_hits["/ollama.rss"] == 1
    # What it stored reads back through SQLAlchemy's store, as every other command reads it.
    loaded, printed = _probed(["sources", "list", "--json"], environment, tmp_path)
    assert "sqlalchemy" in loaded
    (listed,) = json.loads(printed)
    assert listed["name"] == "Ollama Blog" and listed["last_status"] == "not_modified"


def test_the_entry_point_s_collect_loads_no_typer_and_at_head_no_sqlalchemy(
    environment: dict[str, str], tmp_path: Path
) -> None:
    """`aiprogress collect [--json] [--strict]` as a process: its entry point runs the command
    without Typer (and its Click), whose import and command building were ~3% of an all-304
    collect of 2,000 feeds (issue 21); on a database at head, without SQLAlchemy too."""
    environment["AIPROGRESS_ALLOW_PRIVATE_URLS"] = "true"
    command_line = {"typer", "click", "rich"}
    # A new database: its schema is made, through SQLAlchemy, still without Typer.
    loaded, printed, _ = _entry_probed(["collect"], environment, tmp_path)
    assert printed == "0 sources: 0 fetched, 0 not modified, 0 new items, 0 updated, 0 errors"
    assert "sqlalchemy" in loaded and _forbidden(loaded, command_line) == []
    with FeedServer().in_thread() as host:
        url = host.feed("/ollama.rss", snapshot_feed("ollama-blog.rss"))
        assert "typer" in _loaded(["sources", "add", url, "--no-check"], environment, tmp_path)
        loaded, printed, _ = _entry_probed(["collect"], environment, tmp_path)
        assert printed == "1 source: 1 fetched, 0 not modified, 56 new items, 0 updated, 0 errors"
        assert _forbidden(loaded, NO_SQLALCHEMY | command_line | {"aiohttp", "yarl"}) == []
        assert {"aiprogress.sources.http11", "aiprogress.storage.sqlite_collect"} <= loaded
        loaded, printed, rest = _entry_probed(
            ["collect", "--json", "--strict"], environment, tmp_path
        )
        (result,) = json.loads(printed)
        assert (result["status"], rest) == ("not_modified", "")
        assert _forbidden(loaded, NO_SQLALCHEMY | command_line) == []
    # Anything else is Typer's command line, as before.
    loaded, printed, _ = _entry_probed(["collect", "--help"], environment, tmp_path)
    assert "typer" in loaded and "--strict" in printed


def test_the_writer_imported_on_demand_is_named_as_the_builtin_one() -> None:
    from aiprogress.app.wiring import OnDemandBuiltinWriter
    from aiprogress.digest.builtin import BuiltinWriter

    assert OnDemandBuiltinWriter.name == BuiltinWriter.name
