"""The frame every command runs in, without the command line's parser: the consoles, the
settings, the event loop and the one way a user mistake ends a command (one line on stderr, exit
1, no traceback).

Outside `app/cli` on purpose: importing anything in that package imports Typer and builds the
command line, and `aiprogress collect` runs without either (`app/entry.py`); `app/cli/_common.py`
hands these to the Typer commands."""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from aiprogress.core.errors import AppError
from aiprogress.core.jsonable import to_jsonable

if TYPE_CHECKING:
    import asyncio

    from rich.console import Console
    from rich.text import Text

    from aiprogress.app.settings import Settings
    from aiprogress.app.wiring import App
    from aiprogress.sources.http import FetchLimits
    from aiprogress.storage.store import SqlStore

__all__ = [
    "COLLECT_GC_THRESHOLD",
    "Output",
    "bot_settings",
    "cells",
    "err",
    "event_loop_factory",
    "fail",
    "fetch_limits",
    "first_app_error",
    "load_settings",
    "open_app",
    "open_store",
    "out",
    "print_json",
    "run",
    "settle_memory",
    "with_app",
]

T = TypeVar("T")

# Objects allocated (less those freed) between young collections while the collector runs; the
# interpreter's default is 700.
COLLECT_GC_THRESHOLD = 10_000


# The composition root, imported when a command first opens it (storage, HTTP, the service).


def open_app(settings: Settings, **replacements: Any) -> AbstractAsyncContextManager[App]:
    from aiprogress.app.wiring import open_app as opened

    return opened(settings, **replacements)


def open_store(
    settings: Settings, *, migrate: bool | None = None
) -> AbstractAsyncContextManager[SqlStore]:
    from aiprogress.app.wiring import open_store as opened

    return opened(settings, migrate=migrate)


def fetch_limits(settings: Settings) -> FetchLimits:
    from aiprogress.app.wiring import fetch_limits as limits

    return limits(settings)


# What rich does not print as it is: it drops some control characters (BEL, BS, VT, FF, CR) and
# expands tabs by cell width. Text with none of these (newlines aside) it prints unchanged.
_NOT_AS_IS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


class Output:
    """Standard output or error as the commands print to it: a rich console, made (and rich
    imported) when first needed. Plain text, a string printed with `markup=False` and nothing
    else, that rich would print unchanged is written to the stream as rich writes it: `compare`
    and `collect` print nothing else, and importing rich and making its consoles cost each of
    them ~10 ms of CPU (issue 21). tests/app/test_output.py holds the two ways to the same
    bytes."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # No emoji codes: what is printed is often someone else's text (a source's name, a
            # feed's title), and ":rocket:" in it is text.
            self._console = Console(
                stderr=self._stderr, highlight=False, soft_wrap=True, emoji=False
            )
        return self._console

    def _stream(self) -> Any:
        # Looked up at each print, as rich does: tests and redirections replace sys.stdout.
        return sys.stderr if self._stderr else sys.stdout

    def print(self, *objects: Any, markup: bool | None = None, **options: Any) -> None:
        if (
            len(objects) == 1
            and isinstance(objects[0], str)
            and markup is False
            and not options
            and self._write_as_is(objects[0])
        ):
            return
        self.console.print(*objects, markup=markup, **options)

    def _write_as_is(self, text: str) -> bool:
        stream = self._stream()
        if (
            stream is None
            or sys.platform == "win32"  # rich may write through the legacy console API
            or hasattr(stream, "rich_proxied_file")  # a live display holds the stream
            or _NOT_AS_IS.search(text)
        ):
            return False
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:
            return False  # nothing was written: rich raises it, with its advice
        stream.flush()  # as rich does: stdout and stderr lines stay in order
        return True

    def rule(self, *args: Any, **options: Any) -> None:
        self.console.rule(*args, **options)

    @property
    def is_terminal(self) -> bool:
        """Rich's answer, asked only when it could be yes: rich takes a stream for a terminal
        when it is a TTY or when TTY_COMPATIBLE or FORCE_COLOR says so (and never else)."""
        stream = self._stream()
        try:
            tty = stream is not None and bool(stream.isatty())
        except (AttributeError, ValueError):
            tty = True  # let rich decide
        if tty or "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
            return self.console.is_terminal
        return False


out = Output()
err = Output(stderr=True)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def fail(text: str) -> SystemExit:
    """Say what went wrong in one `error:` line on stderr; raise what this returns, exit 1.

    A SystemExit, not Typer's Exit, so that a command ends the same way with or without Typer
    around it: Click lets a SystemExit through to the process (and Typer's CliRunner records its
    code) as it turns its own Exit into one."""
    # One line, whatever the message: a driver's error text may span several.
    line = " ".join(part.strip() for part in text.splitlines() if part.strip())
    err.print(f"error: {line}", markup=False)
    return SystemExit(1)


def first_app_error(error: BaseException) -> AppError | None:
    """The first AppError of an exception group whose every member is one (concurrent tasks
    that all failed the same way, say), else None: anything else is a bug, shown in full."""
    if isinstance(error, AppError):
        return error
    if isinstance(error, BaseExceptionGroup) and error.split(AppError)[1] is None:
        return first_app_error(error.exceptions[0])
    return None


def cells(*texts: str) -> list[Text]:
    """Table cells shown as written: a plain string in a rich table is read as markup, and a
    source's name such as "[ai] news" would lose its brackets (or fail to print)."""
    from rich.text import Text

    return [Text(text) for text in texts]


def load_settings() -> Settings:
    from aiprogress.app.settings import InvalidSetting, Settings

    try:
        return Settings.load()
    except InvalidSetting as exc:
        # "invalid setting NAME: what is wrong", without the value: it may be a secret.
        raise fail(str(exc)) from None


def bot_settings() -> Settings:
    """Settings for a command that runs the bots, refused before anything is opened when the
    bots' part cannot work (a malformed token, half a webhook)."""
    from aiprogress.app.startup_checks import check_bot_settings

    settings = load_settings()
    try:
        check_bot_settings(settings)
    except AppError as exc:
        raise fail(str(exc)) from None
    return settings


def event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (every platform but Windows): a request costs the fetcher
    about a fifth less CPU on it, which is most of what an all-304 collect run spends."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def settle_memory() -> None:
    """Start collecting garbage, with what is alive now left out of it.

    What is alive now (modules, classes, settings, the app) lives as long as the command:
    frozen, the collector's garbage is collected without walking it again each time (a full
    collection walks every object alive). The entry point (`app/entry.py`) starts a process with
    the collector off: importing the command's libraries makes thousands of objects and hardly any
    garbage, and collections while they loaded cost an empty `collect` ~4% of its instructions
    (callgrind, issue 21)."""
    gc.freeze()
    gc.enable()


def run(work: Callable[[], Awaitable[T]], *, settle: bool = True) -> T:
    """Run `work` on an event loop (uvloop where there is one) and return its result. With
    `settle`, garbage is collected from here on (see `settle_memory`); without it, `work` calls
    `settle_memory` itself once it has imported and opened what it needs (`with_app`). Thawed and
    on at the end, so that a process that runs many commands (the tests, the bench) can still
    collect what an earlier one left."""
    import asyncio

    if settle:
        settle_memory()
    results: list[T] = []

    async def main() -> None:
        # The result leaves through a list, not as the task's: on Python 3.11 the runner's
        # exit formats the repr of its main task, result and all (a collect report of 10,000
        # sources, every time), in an error message it then discards (signal.signal).
        results.append(await work())

    try:
        with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
            runner.run(main())
    except (AppError, BaseExceptionGroup) as exc:
        first = first_app_error(exc)
        if first is None:
            raise
        raise fail(str(first)) from None
    finally:
        gc.unfreeze()
        gc.enable()
    return results[0]


def with_app(
    work: Callable[[App], Awaitable[T]],
    settings: Settings | None = None,
    *,
    collect_only: bool = False,
) -> T:
    """The frame of a command that works on the service: open the app with the settings (loaded
    now when not given), await `work` on it, close it, and end the command in one line on an
    AppError (see `run`). A command that needs its settings before (a language, the bots'
    checks, logging) loads them itself and passes them. `collect_only` says the work is the
    collector's alone: on a SQLite database at head its store is the sqlite3 one and SQLAlchemy
    is never imported (see `wiring.open_app`)."""
    chosen = load_settings() if settings is None else settings

    async def framed() -> T:
        async with open_app(chosen, collect_only=collect_only) as ctx:
            # The storage, its SQL library and the service are imported and built by now.
            settle_memory()
            if not collect_only:
                return await work(ctx)
            # The collector's garbage is mostly freed as it goes (reference counts); what it
            # keeps (the sources, their results) made the default threshold start a young
            # collection every 700 objects, 3.4% of an all-304 `collect` of 2,000 feeds
            # (callgrind, issue 21). Peak RSS of a first pass of 10,000 feeds: see
            # docs/architecture.md.
            threshold = gc.get_threshold()
            gc.set_threshold(COLLECT_GC_THRESHOLD, *threshold[1:])
            try:
                return await work(ctx)
            finally:
                gc.set_threshold(*threshold)

    return run(framed, settle=False)
