"""What every command shares: the consoles, the settings, the event loop and the one way a user
mistake ends a command (one line on stderr, exit 1, no traceback)."""

import gc
import json
import sys
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from aiprogress.core.errors import AppError
from aiprogress.core.jsonable import to_jsonable
from aiprogress.core.types import Language

if TYPE_CHECKING:
    import asyncio

    from rich.text import Text

    from aiprogress.app.settings import Settings
    from aiprogress.app.wiring import App
    from aiprogress.sources.http import FetchLimits
    from aiprogress.storage.store import SqlStore

T = TypeVar("T")


# The composition root, imported when a command first opens it (storage, HTTP, the service).


def open_app(settings: "Settings", **replacements: Any) -> AbstractAsyncContextManager["App"]:
    from aiprogress.app.wiring import open_app as opened

    return opened(settings, **replacements)


def open_store(
    settings: "Settings", *, migrate: bool | None = None
) -> AbstractAsyncContextManager["SqlStore"]:
    from aiprogress.app.wiring import open_store as opened

    return opened(settings, migrate=migrate)


def fetch_limits(settings: "Settings") -> "FetchLimits":
    from aiprogress.app.wiring import fetch_limits as limits

    return limits(settings)


# No emoji codes: what is printed is often someone else's text (a source's name, a feed's
# title), and ":rocket:" in it is text. It also spares `collect` loading rich's emoji table.
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

# Shared by commands that print a table (sources list), prose (digest, compare) or a summary line.
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def _fail(text: str) -> typer.Exit:
    # One line, whatever the message: a driver's error text may span several.
    line = " ".join(part.strip() for part in text.splitlines() if part.strip())
    err.print(f"error: {line}", markup=False)
    return typer.Exit(1)


def _first_app_error(error: BaseException) -> AppError | None:
    """The first AppError of an exception group whose every member is one (concurrent tasks
    that all failed the same way, say), else None: anything else is a bug, shown in full."""
    if isinstance(error, AppError):
        return error
    if isinstance(error, BaseExceptionGroup) and error.split(AppError)[1] is None:
        return _first_app_error(error.exceptions[0])
    return None


def _cells(*texts: str) -> list["Text"]:
    """Table cells shown as written: a plain string in a rich table is read as markup, and a
    source's name such as "[ai] news" would lose its brackets (or fail to print)."""
    from rich.text import Text

    return [Text(text) for text in texts]


def _settings() -> "Settings":
    from pydantic import ValidationError

    from aiprogress.app.settings import Settings

    try:
        return Settings.load()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        # The input value is left out on purpose: it may be a secret.
        raise _fail(f"invalid setting {name}: {first['msg']}") from None


def _bot_settings() -> "Settings":
    """Settings for a command that runs the bots, refused before anything is opened when the
    bots' part cannot work (a malformed token, half a webhook)."""
    from aiprogress.app.startup_checks import check_bot_settings

    settings = _settings()
    try:
        check_bot_settings(settings)
    except AppError as exc:
        raise _fail(str(exc)) from None
    return settings


def _event_loop_factory() -> Callable[[], "asyncio.AbstractEventLoop"] | None:
    """uvloop where it is installed (every platform but Windows): a request costs the fetcher
    about a fifth less CPU on it, which is most of what an all-304 collect run spends."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _run(work: Callable[[], Awaitable[T]]) -> T:
    import asyncio

    # What is alive now (modules, classes, settings) lives as long as the command: frozen, the
    # collector's garbage is collected without walking it again each time (a full collection
    # walks every object alive). Thawed at the end, so that a process that
    # runs many commands (the tests, the bench) can still collect what an earlier one left.
    gc.freeze()
    results: list[T] = []

    async def main() -> None:
        # The result leaves through a list, not as the task's: on Python 3.11 the runner's
        # exit formats the repr of its main task, result and all (a collect report of 10,000
        # sources, every time), in an error message it then discards (signal.signal).
        results.append(await work())

    try:
        with asyncio.Runner(loop_factory=_event_loop_factory()) as runner:
            runner.run(main())
    except (AppError, BaseExceptionGroup) as exc:
        first = _first_app_error(exc)
        if first is None:
            raise
        raise _fail(str(first)) from None
    finally:
        gc.unfreeze()
    return results[0]


def _with_app(work: Callable[["App"], Awaitable[T]], settings: "Settings | None" = None) -> T:
    """The frame of a command that works on the service: open the app with the settings (loaded
    now when not given), await `work` on it, close it, and end the command in one line on an
    AppError (see `_run`). A command that needs its settings before (a language, the bots'
    checks, logging) loads them itself and passes them."""
    chosen = _settings() if settings is None else settings

    async def framed() -> T:
        async with open_app(chosen) as ctx:
            return await work(ctx)

    return _run(framed)


LangOption = Annotated[
    Language | None, typer.Option("--lang", help="ru or en (default: AIPROGRESS_LANGUAGE).")
]
