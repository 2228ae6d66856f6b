"""The `aiprogress` command line. User mistakes print one line and exit 1; no tracebacks.

One module per topic: `sources`, `collect` (collect, publish, deliver, run), `digest` (digest,
demo), `models` (models …, compare) and `db`; `_common` holds what they share. The top-level
commands are registered here, in the order `--help` lists them.

Unlike the rest of the package, these modules' annotations are evaluated when they are imported
(no `from __future__ import annotations`): Typer reads every command's signature on every run,
and string annotations made it `eval` each of them each time, which doubled Typer's part of a
run.

Imports on demand (issue 21): `aiprogress --help` and the command line's entry load no storage,
HTTP, bot, LLM, settings or plotting library; each command imports what it uses, inside it.
tests/app/test_lazy_imports.py holds the list of what `--help` and `compare` may load. What the
commands share without Typer (the consoles, the settings, the event loop, `_fail`) is
`app/command_frame.py`, outside this package: `aiprogress collect` runs on it alone, never
importing this package (`app/entry.py`).
"""

import gc
import sys
from collections.abc import Callable, Sequence

# The command line's own imports (Typer, the commands, the core types) make thousands of objects
# and hardly any garbage: the collector is off while they load, as `main` keeps it off until the
# command has opened what it needs (issue 21). It is back on below, as it was, for a process
# that imports the command line without running it through `main` (the tests, the bench).
_collecting = gc.isenabled()
gc.disable()

import typer  # noqa: E402
from typer.main import get_command_name  # noqa: E402

# The modules, not their commands: `collect` and `digest` name both a module and a command, and
# importing the function would hide the module behind the package's attribute.
from aiprogress.app.cli import collect, db, digest, models, sources  # noqa: E402
from aiprogress.app.cli._usage import OneLineUsageErrors  # noqa: E402

__all__ = ["app", "command_line", "main"]


def _command_line() -> typer.Typer:
    return typer.Typer(
        name="aiprogress",
        # A bad option value or an unknown option is a user mistake: one `error:` line, exit 1.
        cls=OneLineUsageErrors,
        help="Follow AI progress: collect sources, write sourced digests, deliver them.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
        # Markdown joins a docstring's lines into one paragraph in the command lists (Typer's
        # "rich" mode keeps every line break there); each group sets the same.
        rich_markup_mode="markdown",
    )


app = _command_line()
app.add_typer(db.db_app, name="db")
app.add_typer(sources.sources_app, name="sources")
app.add_typer(models.models_app, name="models")
app.command()(collect.collect)
app.command()(digest.digest)
app.command()(collect.publish)
app.command()(collect.deliver)
app.command()(collect.run)
app.command()(digest.demo)
app.command()(models.compare)

if _collecting:
    gc.enable()


def main() -> None:
    """The command line as a process runs it: the process's entry point (`app/entry.py`) hands
    it every command line but `collect [--json] [--strict]`, which it runs without Typer."""
    # No garbage collection while the command imports and opens what it needs: the command
    # turns it on once it has (app/command_frame.py's `settle_memory`), and a command that
    # opens nothing (`--help`, a usage error) ends first.
    gc.disable()
    try:
        command_line(sys.argv[1:])()
    finally:
        # The process ends here. Frozen, what is alive (modules, classes, the command's
        # objects) is not walked once more by the interpreter's garbage collection at exit,
        # which cost `compare` ~14 ms of CPU (issue 21). The command has closed its store and
        # sessions by now; atexit handlers and the streams' flushing still run.
        gc.freeze()


def command_line(args: Sequence[str]) -> typer.Typer:
    """`app`, or, when `args` start with the name of one of its commands or groups, the same
    command line holding that one alone. Typer makes a Click command of every command an app
    holds on every run, reading each one's signature: ~20 million instructions, 1.5% of
    `compare` (callgrind, issue 21), for the 21 commands that one run does not use. The command
    is the same object, so its usage line, help, errors and exit status are `app`'s."""
    name = args[0] if args else ""
    for group in app.registered_groups:
        if group.name == name:
            alone = _command_line()
            alone.registered_groups.append(group)
            return alone
    for command in app.registered_commands:
        if command.callback is not None and _name(command.name, command.callback) == name:
            alone = _command_line()
            alone.registered_commands.append(command)
            # With one command and no callback Typer would make that command the whole command
            # line (`aiprogress ARGS`); a callback that does nothing keeps it a group.
            alone.callback()(_no_options)
            return alone
    return app


def _name(name: str | None, callback: Callable[..., object]) -> str:
    """The command's name as Typer gives it."""
    return name or get_command_name(callback.__name__)


def _no_options() -> None:
    """Follow AI progress: collect sources, write sourced digests, deliver them."""
