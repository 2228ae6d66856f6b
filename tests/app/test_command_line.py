"""The entry point hands Typer only the command a run names (issue 21): `command_line(args)`
holds that one command or group, and every help text, usage error and exit status is the full
command line's, for every command, group and subcommand."""

from __future__ import annotations

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from aiprogress.app.cli import app, command_line


def _paths() -> list[list[str]]:
    """Every command and group of the command line, and every group's subcommands."""
    group = get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    paths: list[list[str]] = []
    for name, command in group.commands.items():
        paths.append([name])
        if isinstance(command, typer.core.TyperGroup):
            paths.extend([name, sub] for sub in command.commands)
    return paths


def _run(command: typer.Typer, args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, args, terminal_width=100)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_and_group_is_reached() -> None:
    paths = _paths()
    assert ["compare"] in paths and ["models", "import"] in paths and ["db", "upgrade"] in paths
    assert len(paths) > 20


@pytest.mark.parametrize("path", _paths(), ids=" ".join)
def test_help_is_the_full_command_line_s(path: list[str]) -> None:
    alone = command_line(path)
    assert alone is not app
    assert len(alone.registered_commands) + len(alone.registered_groups) == 1
    assert _run(alone, [*path, "--help"]) == _run(app, [*path, "--help"])


@pytest.mark.parametrize(
    "args",
    [
        ["compare"],
        ["digest", "--lang", "de"],
        ["collect", "--bogus"],
        ["sources", "edit", "abc", "--name", "x"],
        ["sources"],
        ["models", "nonsense"],
    ],
    ids=" ".join,
)
def test_usage_errors_are_the_full_command_line_s(args: list[str]) -> None:
    assert _run(command_line(args), args) == _run(app, args)


@pytest.mark.parametrize("args", [[], ["--help"], ["bogus"], ["compre", "a"]], ids=" ".join)
def test_no_command_named_is_the_full_command_line(args: list[str]) -> None:
    assert command_line(args) is app
