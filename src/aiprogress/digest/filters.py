"""Channel filters over items, on RE2: linear time whatever the pattern, so an admin's regular
expression cannot stall selection (no catastrophic backtracking; backreferences and lookaround,
which need backtracking, are refused with a clear message)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import re2

from aiprogress.core.errors import InvalidInput
from aiprogress.core.types import Item, ItemFilter


class _Rule(Protocol):
    def search(self, text: str) -> object | None: ...


# A pattern longer than this is more likely a paste accident than a rule.
MAX_PATTERN_LENGTH = 500


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # our message is the one the user sees
    options.max_mem = 8 << 20
    return options


def _compile(pattern: str) -> _Rule:
    if not pattern.strip():
        raise InvalidInput(
            "an empty filter pattern matches everything; leave it out instead",
            reason="empty_filter",
        )
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise InvalidInput(
            f"filter pattern is over {MAX_PATTERN_LENGTH} characters",
            reason="long_pattern",
            values={"limit": MAX_PATTERN_LENGTH},
        )
    try:
        rule: _Rule = re2.compile(pattern, _options())
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise InvalidInput(
            # As typed: repr() would double a backslash ('(a)\\1' for (a)\1).
            f"filter pattern '{pattern}' is not usable: {detail}",
            reason="bad_pattern",
            values={"pattern": pattern, "detail": detail},
        ) from None
    return rule


def _keyword(word: str) -> _Rule:
    cleaned = " ".join(word.split())
    if not cleaned:
        raise InvalidInput(
            "an empty filter keyword matches everything; leave it out instead",
            reason="empty_filter",
        )
    # Whole words: "GPT" finds "GPT-5" but not "ChatGPTs"; spaces match any run of spaces.
    escaped = r"\s+".join(re2.escape(part) for part in cleaned.split(" "))
    rule: _Rule = re2.compile(rf"(?:^|\W){escaped}(?:$|\W)", _options())
    return rule


def _any(rules: Sequence[_Rule]) -> Callable[[str], bool]:
    return lambda text: any(rule.search(text) is not None for rule in rules)


def compile_filter(spec: ItemFilter) -> Callable[[Item], bool]:
    """A predicate for `spec`; raises `InvalidInput` for an unusable keyword or pattern."""
    includes = [*(_keyword(w) for w in spec.include), *(_compile(p) for p in spec.include_patterns)]
    excludes = [*(_keyword(w) for w in spec.exclude), *(_compile(p) for p in spec.exclude_patterns)]
    wanted, unwanted = _any(includes), _any(excludes)

    def keep(item: Item) -> bool:
        text = "\n".join((item.title, item.summary, " ".join(item.tags)))
        if includes and not wanted(text):
            return False
        return not unwanted(text)

    return keep
