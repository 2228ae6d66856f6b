"""Usage errors (a bad option value, an unknown option, a missing argument) as one `error:` line
and exit status 1, the rule every other user mistake follows (README, "How it is built").

Click, under Typer, would print a usage line, a hint and a boxed message and exit 2. The group
class below turns those errors into `_fail`'s line before Click prints anything; `--help` and a
bare `aiprogress` (which prints the help) are not errors and pass through.
"""

# No `from __future__ import annotations` here: see the package's docstring.

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import Any

# Typer ships its own copy of Click; these are its classes, the ones its commands raise.
from typer._click.core import Context, Parameter
from typer._click.exceptions import (
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    UsageError,
)
from typer.core import TyperGroup

from aiprogress.app.cli._common import _fail

__all__ = ["OneLineUsageErrors", "usage_error_line"]


class OneLineUsageErrors(TyperGroup):
    """The top-level group: subcommands are parsed inside its `invoke`, so one place sees all."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        with _one_line():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with _one_line():
            return super().invoke(ctx)


@contextmanager
def _one_line() -> Iterator[None]:
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except UsageError as error:
        raise _fail(usage_error_line(error)) from None


def usage_error_line(error: UsageError) -> str:
    """`--lang: 'de' is not one of ru, en`: the option, the value and what is accepted."""
    if not isinstance(error, BadParameter):
        return error.format_message()
    param = error.param
    if param is None:
        # Raised by a command's own check, which words the whole reason.
        return error.message
    if isinstance(error, MissingParameter):
        return f"missing {param.param_type_name} {_hint(param)}"
    return f"{_hint(param)}: {_reason(error, param)}"


def _hint(param: Parameter) -> str:
    if param.param_type_name == "option":
        return max(param.opts, key=len)
    return (param.metavar or param.name or "argument").upper()


def _reason(error: BadParameter, param: Parameter) -> str:
    """Our own words where the value and its type are known; Typer's message otherwise."""
    given = _given(error)
    if given is None:
        return error.message
    accepted = _enum_values(param)
    if accepted:
        return f"{given!r} is not one of {', '.join(accepted)}"
    if _annotation(param) is int:
        return f"{given!r} is not a whole number"
    return error.message.removeprefix("Value error, ")


def _given(error: BadParameter) -> str | None:
    # Typer validates through pydantic, whose error keeps the text the user typed.
    errors = getattr(error.__cause__, "errors", None)
    if not callable(errors):
        return None
    details = errors()
    if not isinstance(details, Sequence) or not details:
        return None
    value = details[0].get("input")
    return value if isinstance(value, str) else None


def _annotation(param: Parameter) -> object:
    return getattr(getattr(param, "type_descriptor", None), "annotation", None)


def _enum_values(param: Parameter) -> list[str]:
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return []
