"""A usage error (bad option value, unknown option, missing argument) is a user mistake: one
`error:` line on stderr naming the option and what it accepts, exit status 1, no box (README,
"How it is built"). Nothing here reaches the database: parsing fails first."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from aiprogress.app.cli import app


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["digest", "--lang", "de"], "error: --lang: 'de' is not one of ru, en"),
        (["digest", "--period", "year"], "error: --period: 'year' is not one of day, week, month"),
        (
            ["sources", "add", "https://example.org/feed", "--tier", "bogus"],
            "error: --tier: 'bogus' is not one of official, paper, press, community",
        ),
        (
            ["sources", "edit", "abc", "--name", "x"],
            "error: SOURCE_ID: 'abc' is not a whole number",
        ),
        (
            ["sources", "edit", "1", "--interval", "zz"],
            "error: 'zz' is not an interval such as 3600, 90m, 2h or 1d",
        ),
        (["sources", "edit"], "error: missing argument SOURCE_ID"),
        (["digest", "--bogus"], "error: No such option: --bogus"),
        (["bogus"], "error: No such command 'bogus'."),
    ],
)
def test_a_usage_error_is_one_error_line_and_exit_1(args: list[str], line: str) -> None:
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, line + "\n", "")


def test_help_still_prints_and_exits_0() -> None:
    for args in (["--help"], ["digest", "--help"], ["sources", "edit", "--help"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.stderr
        assert "Usage:" in result.stdout


def test_the_installed_entry_point_prints_the_same_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "aiprogress.app.cli", "digest", "--lang", "de"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (
        1,
        "error: --lang: 'de' is not one of ru, en\n",
    )


def test_publish_help_names_every_period_it_accepts() -> None:
    # Chats subscribe daily or weekly: a month has no subscriber, and is refused.
    result = CliRunner().invoke(app, ["publish", "--help"])
    assert result.exit_code == 0 and "day or week." in result.stdout


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        (["collect", "--help"], ["--json", "--strict", "--help"]),
        (["digest", "--help"], ["--dry-run", "--json", "--help"]),
        (["sources", "add", "--help"], ["--backfill", "--no-check", "--json"]),
        (["run", "--help"], ["--once"]),
    ],
    ids=" ".join,
)
def test_help_shows_no_value_after_a_flag(args: list[str], flags: list[str]) -> None:
    # A flag takes no value: `--dry-run <bool>` (Typer 0.29) read as if it wanted one.
    result = CliRunner().invoke(app, args, terminal_width=100)
    assert result.exit_code == 0, result.stderr
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if "│ --" in line}
    for flag in flags:
        assert "<" not in lines[flag], lines[flag]
    # An option that takes a value still names what it takes.
    if "--lang" in lines:
        assert "<ru|en>" in lines["--lang"]
    assert "<bool>" not in result.stdout
