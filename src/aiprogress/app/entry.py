"""The process's entry point (`aiprogress`, `python -m aiprogress`): `aiprogress collect`, with
`--json` and `--strict` at most once each and in any order, runs without the command line's
parser; everything else (`--help`, any other option or command) goes to the Typer command line
(`app/cli`) as it is.

Why: importing Typer and building its command for `collect` cost ~64 million instructions, 3.4%
of an all-304 `collect` of 2,000 feeds as a process (callgrind, 1,892M -> 1,828M), a run that
must cost no more than 15% of the first pass (issue 21). Importing any module of `app/cli`
imports Typer, so this module and what it runs (`app/collect_command.py`,
`app/command_frame.py`) are outside that package; the Typer `collect` command runs the same
body, and tests/app/test_entry.py holds the two to the same output and exit status.

What Click's standalone mode does around a command is done here too: Ctrl-C ends the process
with status 130 and no traceback, and a closed pipe (`aiprogress collect | head -1`) with 1.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from collections.abc import Sequence
from typing import TextIO, cast

__all__ = ["collect_options", "main"]

_COLLECT_OPTIONS = frozenset({"--json", "--strict"})


def main() -> None:
    args = sys.argv[1:]
    options = collect_options(args)
    if options is None:
        from aiprogress.app.cli import main as command_line

        command_line()
        return
    as_json, strict = options
    # As the command line's `main`: no garbage collection while the command imports and opens
    # what it needs (the frame turns it on then), and what is alive at the end is frozen, so
    # that the interpreter's exit does not walk it once more.
    gc.disable()
    try:
        _collect(as_json=as_json, strict=strict)
    finally:
        gc.freeze()


def collect_options(args: Sequence[str]) -> tuple[bool, bool] | None:
    """`(as_json, strict)` when `args` are `collect` with nothing but `--json` and `--strict`,
    each at most once; else None (for Typer). Shell completion, which Click runs when
    `_<PROG>_COMPLETE` is set, is Typer's too."""
    if not args or args[0] != "collect":
        return None
    given = args[1:]
    if len(given) != len(set(given)) or not _COLLECT_OPTIONS.issuperset(given):
        return None
    for name, value in os.environ.items():
        if value and name.startswith("_") and name.endswith("_COMPLETE"):
            return None
    return "--json" in given, "--strict" in given


def _collect(*, as_json: bool, strict: bool) -> None:
    from aiprogress.app.collect_command import collect

    try:
        collect(as_json=as_json, strict=strict)
    except KeyboardInterrupt:
        # Typer's standalone mode: Ctrl-C is exit status 130, silently.
        raise SystemExit(130) from None
    except EOFError:
        # Nothing is read from stdin; Typer would end as below, in rich's words.
        from typer.rich_utils import rich_abort_error

        sys.stderr.write("\n")
        rich_abort_error()
        raise SystemExit(1) from None
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # Whoever read the output has gone: exit 1 without the interpreter's complaint when
        # it flushes the streams at exit, as Click does.
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout = cast(TextIO, PacifyFlushWrapper(sys.stdout))
        sys.stderr = cast(TextIO, PacifyFlushWrapper(sys.stderr))
        raise SystemExit(1) from None
