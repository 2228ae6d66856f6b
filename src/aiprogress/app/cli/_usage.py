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
from typer._click.types import IntParamType
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
    """Our own words where the value and its type are known; Click's message otherwise."""
    choices = getattr(param.type, "choices", None)
    if choices is not None:
        # TyperChoice's message: "'de' is not one of 'ru', 'en'." The part before the phrase
        # is the value as the user typed it, quoted (its repr): kept as it is.
        given, phrase, _ = error.message.rpartition(" is not one of ")
        if phrase:
            return f"{given} is not one of {', '.join(_choice_texts(choices))}"
    if isinstance(param.type, IntParamType):
        given, phrase, _ = error.message.rpartition(" is not a valid ")
        if phrase:
            return f"{given} is not a whole number"
    return error.message


def _choice_texts(choices: Sequence[object]) -> list[str]:
    return [str(choice.value if isinstance(choice, Enum) else choice) for choice in choices]
