"""What every command shares: the frame a command runs in (`app/command_frame.py`: the consoles,
the settings, the event loop and the one way a user mistake ends a command, one line on stderr,
exit 1, no traceback), under the names the commands use, and the options that several commands
take."""

from typing import Annotated

import typer

from aiprogress.app.command_frame import bot_settings as _bot_settings
from aiprogress.app.command_frame import cells as _cells
from aiprogress.app.command_frame import (
    err,
    fetch_limits,
    open_app,
    open_store,
    out,
)
from aiprogress.app.command_frame import fail as _fail
from aiprogress.app.command_frame import load_settings as _settings
from aiprogress.app.command_frame import print_json as _print_json
from aiprogress.app.command_frame import run as _run
from aiprogress.app.command_frame import with_app as _with_app
from aiprogress.core.types import Language

__all__ = [
    "JsonOption",
    "LangOption",
    "_bot_settings",
    "_cells",
    "_fail",
    "_print_json",
    "_run",
    "_settings",
    "_with_app",
    "err",
    "fetch_limits",
    "open_app",
    "open_store",
    "out",
]

# Shared by commands that print a table (sources list), prose (digest, compare) or a summary line.
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]

LangOption = Annotated[
    Language | None, typer.Option("--lang", help="ru or en (default: AIPROGRESS_LANGUAGE).")
]
