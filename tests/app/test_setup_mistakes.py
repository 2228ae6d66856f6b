"""A new admin's set-up mistakes, made as README's quick start has them make their set-up: in a
folder of their own, `cp .env.example .env`, one line edited, then the command line. Each
mistake stops every command that reads the settings with one `error:` line and exit 1: no
traceback, nothing on stdout, no secret, and no setting silently left at its default.

Each command runs as the process an admin starts (`python -m aiprogress`): `collect` with no
other option takes the entry point's own path, without Typer (`app/entry.py`), and must say the
same as the rest."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest

from aiprogress.storage.migrate import HEAD_REVISION
from tests.app.processes import OUR_PREFIXES

ENV_EXAMPLE = Path(__file__).parents[2] / ".env.example"

# What an admin runs first, then each day: README's quick start and its next steps.
COMMANDS: list[tuple[str, ...]] = [
    ("collect",),
    ("sources", "list"),
    ("digest", "--dry-run"),
    ("compare", "gpt-4o", "gpt-4.5"),
    ("run", "--once"),
    ("db", "upgrade"),
]

# A token's secret part: no output may hold it.
SECRET = "AAHsEcReT-never-shown_42"
TOKEN = f"123456789:{SECRET}"


def shell_environment() -> dict[str, str]:
    """The admin's shell: none of our settings, so that `.env` alone says them."""
    return {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}


def copied_env(folder: Path, *edits: tuple[str, str]) -> Path:
    """`cp .env.example .env` in `folder`, then each `(line as shipped, line as edited)`."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    for shipped, edited in edits:
        assert f"\n{shipped}\n" in text, shipped
        text = text.replace(f"\n{shipped}\n", f"\n{edited}\n", 1)
    (folder / ".env").write_text(text, encoding="utf-8")
    return folder / ".env"


def line_of(env_file: Path, text: str) -> int:
    return env_file.read_text(encoding="utf-8").splitlines().index(text) + 1


def run_each(
    folder: Path, commands: Sequence[tuple[str, ...]]
) -> dict[tuple[str, ...], tuple[int, str, str]]:
    """Each command as a process in `folder` (all at once: each mistake is refused before any
    of them writes), with its exit status, stdout and stderr."""
    started = {
        command: subprocess.Popen(
            [sys.executable, "-m", "aiprogress", *command],
            cwd=folder,
            env=shell_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    }
    ended = {}
    for command, process in started.items():
        out, err = process.communicate(timeout=120)
        ended[command] = (process.returncode, out, err)
    return ended


def assert_each_says(
    ended: dict[tuple[str, ...], tuple[int, str, str]], line: str, *secrets: str
) -> None:
    for command, (code, out, err) in ended.items():
        assert (code, out, err) == (1, "", f"error: {line}\n"), command
        for secret in secrets:
            assert secret not in out + err, command


# --- a line of .env that cannot be read -------------------------------------------------------


@pytest.mark.parametrize(
    ("shipped", "edited", "variable"),
    [
        # "=" left out: dotenv skipped the line with a warning, and the bot had no token.
        ("TELEGRAM_BOT_TOKEN=", f"TELEGRAM_BOT_TOKEN {TOKEN}", "TELEGRAM_BOT_TOKEN"),
        # A colon for "=": dotenv read a variable named "TELEGRAM_BOT_TOKEN:123456789:…".
        ("TELEGRAM_BOT_TOKEN=", f"TELEGRAM_BOT_TOKEN:{TOKEN}", "TELEGRAM_BOT_TOKEN"),
        # A quote left open: the commands ran on the default SQLite file, not the admin's.
        (
            "DATABASE_URL=sqlite:///aiprogress.db",
            f"DATABASE_URL='postgresql://app:{SECRET}@db/aiprogress",
            "DATABASE_URL",
        ),
    ],
)
def test_a_line_that_cannot_be_read_is_named_by_every_command(
    tmp_path: Path, shipped: str, edited: str, variable: str
) -> None:
    env_file = copied_env(tmp_path, (shipped, edited))
    line = line_of(env_file, edited)
    ended = run_each(tmp_path, COMMANDS)
    assert_each_says(
        ended,
        f"cannot read line {line} of .env ({variable}): write it as NAME=value, a value with "
        "spaces or # in quotes closed on that line",
        SECRET,
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == [".env"]  # no database made


def test_a_line_not_of_ours_that_cannot_be_read_is_named_by_its_number(tmp_path: Path) -> None:
    env_file = copied_env(tmp_path, ("LLM_MODEL=", f"LLM_MODEL=\n{SECRET} is my key"))
    line = line_of(env_file, f"{SECRET} is my key")
    ended = run_each(tmp_path, [("collect",), ("sources", "list")])
    assert_each_says(
        ended,
        f"cannot read line {line} of .env: write it as NAME=value, a value with spaces or # in "
        "quotes closed on that line",
        SECRET,
    )


def test_a_misspelled_name_is_one_warning_and_the_command_goes_on(tmp_path: Path) -> None:
    env_file = copied_env(tmp_path, ("TELEGRAM_BOT_TOKEN=", f"TELEGRAM_BOT_TOKN={TOKEN}"))
    line = line_of(env_file, f"TELEGRAM_BOT_TOKN={TOKEN}")
    ended = run_each(tmp_path, [("collect",), ("db", "upgrade")])
    for command, (code, out, err) in ended.items():
        assert code == 0 and out, command
        assert err == (
            f"warning: line {line} of .env: TELEGRAM_BOT_TOKN is not a setting aiprogress reads, "
            "and is ignored (did you mean TELEGRAM_BOT_TOKEN?)\n"
        ), command
        assert SECRET not in out + err


# --- a value a setting cannot take ------------------------------------------------------------

ID_LIST = "numbers separated by commas, such as 123456789,987654321 (not @usernames)"


@pytest.mark.parametrize(
    ("shipped", "edited", "line"),
    [
        (
            "TELEGRAM_OWNER_IDS=",
            "TELEGRAM_OWNER_IDS=abc",
            f"invalid setting TELEGRAM_OWNER_IDS: must be Telegram user ids, {ID_LIST}",
        ),
        (
            "DISCORD_OWNER_IDS=",
            "DISCORD_OWNER_IDS=4242,@admin",
            f"invalid setting DISCORD_OWNER_IDS: must be Discord user ids, {ID_LIST}",
        ),
        (
            "DISCORD_TEST_GUILD_ID=",
            "DISCORD_TEST_GUILD_ID=-5",
            "invalid setting DISCORD_TEST_GUILD_ID: must be a Discord server id, a number such "
            "as 123456789012345678 (Developer Mode: right-click the server, Copy Server ID)",
        ),
        (
            "OPENAI_BASE_URL=",
            "OPENAI_BASE_URL=localhost:11434/v1",
            "invalid setting OPENAI_BASE_URL: must be an http:// or https:// URL, such as "
            "https://api.openai.com/v1",
        ),
        (
            "AIPROGRESS_HTTP_HOST=127.0.0.1",
            "AIPROGRESS_HTTP_HOST=http://0.0.0.0:8080",
            "invalid setting AIPROGRESS_HTTP_HOST: must be a host name or an IP address to "
            "listen on, such as 127.0.0.1 or 0.0.0.0, without a scheme or a port",
        ),
        (
            "AIPROGRESS_COLLECT_EVERY=60.0",
            "AIPROGRESS_COLLECT_EVERY=5m",
            "invalid setting AIPROGRESS_COLLECT_EVERY: Input should be a valid number, unable "
            "to parse string as a number (a number of seconds, such as 60)",
        ),
        (
            "AIPROGRESS_LANGUAGE=ru",
            "AIPROGRESS_LANGUAGE=english",
            "invalid setting AIPROGRESS_LANGUAGE: Input should be 'ru' or 'en'",
        ),
        (
            "LLM_PRICE_INPUT_PER_MTOK=",
            "LLM_PRICE_INPUT_PER_MTOK=inf",
            "invalid setting LLM_PRICE_INPUT_PER_MTOK: Input should be a finite number",
        ),
    ],
)
def test_a_value_a_setting_cannot_take_is_named_by_every_command(
    tmp_path: Path, shipped: str, edited: str, line: str
) -> None:
    copied_env(tmp_path, (shipped, edited))
    ended = run_each(tmp_path, [("collect",), ("sources", "list"), ("db", "upgrade")])
    assert_each_says(ended, line, edited)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".env"]


def test_a_bad_database_url_says_what_one_looks_like(tmp_path: Path) -> None:
    copied_env(
        tmp_path, ("DATABASE_URL=sqlite:///aiprogress.db", f"DATABASE_URL=aiprogress-{SECRET}.db")
    )
    ended = run_each(tmp_path, [("collect",), ("sources", "list")])
    assert_each_says(
        ended,
        "DATABASE_URL is not a valid database URL: write sqlite:///path/to/file.db or "
        "postgresql://user:password@host:5432/database",
        SECRET,
    )


# --- a database a newer aiprogress wrote ------------------------------------------------------


def test_a_database_a_newer_version_upgraded_is_one_line_for_every_command(
    tmp_path: Path,
) -> None:
    copied_env(tmp_path)
    assert run_each(tmp_path, [("db", "upgrade")])[("db", "upgrade")][0] == 0
    newer = f"{int(HEAD_REVISION) + 1:04d}"
    with closing(sqlite3.connect(tmp_path / "aiprogress.db")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (newer,))
    # Before: Alembic's "Can't locate revision identified by …" under a traceback of 110 to
    # 142 lines, for every command but `db upgrade`.
    ended = run_each(tmp_path, COMMANDS)
    assert_each_says(
        ended,
        f"the database was written by a newer aiprogress (schema revision {newer}; this one "
        f"knows up to {HEAD_REVISION}): upgrade aiprogress, or point DATABASE_URL at another "
        "database",
    )
    with closing(sqlite3.connect(tmp_path / "aiprogress.db")) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (newer,)
        ]


def test_a_revision_alembic_does_not_know_is_one_line(tmp_path: Path) -> None:
    copied_env(tmp_path)
    assert run_each(tmp_path, [("db", "upgrade")])[("db", "upgrade")][0] == 0
    with closing(sqlite3.connect(tmp_path / "aiprogress.db")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0007a'")
    ended = run_each(tmp_path, [("collect",), ("db", "upgrade")])
    assert_each_says(
        ended,
        "cannot upgrade the database schema: Can't locate revision identified by '0007a'",
    )


# --- .env.example copied unchanged ------------------------------------------------------------


def test_every_command_runs_on_env_example_copied_unchanged(tmp_path: Path) -> None:
    copied_env(tmp_path)
    # In order: the first makes the database (and imports the bundled model data).
    for command in [("db", "upgrade"), *(c for c in COMMANDS if c != ("db", "upgrade"))]:
        code, out, err = run_each(tmp_path, [command])[command]
        assert code == 0, (command, err)
        assert out, command
        assert "error" not in err.lower() and "Traceback" not in err, (command, err)
        assert "python-dotenv" not in err, (command, err)
    # The shipped DATABASE_URL: a SQLite file in the working folder.
    assert (tmp_path / "aiprogress.db").is_file()
