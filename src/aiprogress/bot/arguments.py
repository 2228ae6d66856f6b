"""The words of a command's arguments: split as a shell would, model names that may hold
spaces, and what a reply repeats of what the user typed."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

# The values of a refusal that repeat what the user typed (a model name, a URL, a pattern).
_ECHOED = frozenset({"query", "name", "other", "value", "pattern", "subject", "url"})
# How much of it a reply repeats: enough to recognise it, never the whole of a pasted page.
ECHO_LIMIT = 100


def shown(text: str) -> str:
    """What the user typed, as a reply repeats it: at most `ECHO_LIMIT` characters."""
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1].rstrip() + "…"


def echoed(values: Mapping[str, object]) -> dict[str, object]:
    """A refusal's values with what the user typed in them `shown`."""
    return {
        key: shown(value) if key in _ECHOED and isinstance(value, str) else value
        for key, value in values.items()
    }


def split_words(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


# What may stand between model names: with one of these, a name may hold spaces
# ("/compare claude 3.5 sonnet vs gpt-4o"); without, each word or quoted phrase is a name.
_NAME_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:vs\.?|versus|против)\s+", re.IGNORECASE)


def model_names(args: str) -> list[str]:
    if _NAME_SEPARATOR.search(args):
        names = (name.strip().strip("\"'«»") for name in _NAME_SEPARATOR.split(args))
        return [name for name in names if name]
    return split_words(args)


__all__ = ["ECHO_LIMIT", "echoed", "model_names", "shown", "split_words"]
