"""Stored English text worded in the reader's language: a source's error and a fact's setting."""

from __future__ import annotations

import re

from aiprogress.core.messages.formatting import message
from aiprogress.core.types import Language

# A source's error is stored as the fetcher and parser word it, in English (sources list and
# the logs show it as it is). The chats word its kind from the catalogue; a detail is kept only
# where it says what no catalogue line could (which limit refused a feed, an unknown error).
_SOURCE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^disabled after (?P<failures>\d+) failures in a row; last: (?P<last>.*)$", "disabled"),
        (r"non-public address|loopback, private|is a local address", "private"),
        (r"^(?:unexpected )?HTTP (?P<status>\d{3})(?: [^w].*)?$", "http"),
        (r"^HTTP \d{3} without a Location header$|redirect", "redirect"),
        (r"^timed out$", "timeout"),
        (r"^cannot connect to (?P<address>[^ ]+?):? ", "connect"),
        (r"over the [\d,]+-byte limit$", "too_large"),
        (r"^broken response body", "broken"),
        (r"^not an RSS, Atom or JSON feed: an HTML page$", "html_page"),
        (r"^not (?:an RSS, Atom or JSON feed|a JSON Feed)", "not_feed"),
        (r"^malformed feed", "malformed"),
        (r"^refused: (?P<detail>.*)$", "refused"),
        (r"^(?:internal error|could not store items)", "internal"),
    )
)
_HTTP_KINDS = {401: "denied", 403: "denied", 404: "not_found", 410: "not_found", 429: "busy"}


def _first_match(
    table: tuple[tuple[re.Pattern[str], str], ...], text: str
) -> tuple[str, dict[str, str]] | None:
    """The key of the first pattern in `table` that finds something in `text`, with its named
    groups; None when none does."""
    for pattern, key in table:
        found = pattern.search(text)
        if found is not None:
            return key, found.groupdict()
    return None


def source_error(error: str, language: Language) -> str:
    """A source's stored error (its last fetch's, or why it was disabled) in `language`."""
    found = _first_match(_SOURCE_ERRORS, error)
    if found is None:
        return message("source.error.other", language, detail=error)
    key, values = found
    if key == "disabled":
        last = source_error(values["last"], language)
        return message("source.error.disabled", language, failures=values["failures"], last=last)
    if key == "http":
        status = int(values["status"])
        kind = "server" if status >= 500 else _HTTP_KINDS.get(status)
        return message(
            f"source.error.http.{kind}" if kind else "source.error.http",
            language,
            status=status,
        )
    return message(f"source.error.{key}", language, **values)


# A part of a fact's setting, as the importers write it, and the catalogue key that words it
# (each pattern anchored at the start, so `_first_match`'s search is a match).
_SETTING_PARTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), key)
    for pattern, key in (
        (r"^thinking$", "setting.thinking"),
        (r"^(?P<size>\d+k) thinking$", "setting.thinking_tokens"),
        (r"^extended thinking$", "setting.extended_thinking"),
        (r"^(?P<level>high|medium|low) effort$", "setting.effort"),
        (r"^parallel attempts$", "setting.parallel_attempts"),
        (r"^scaffolding$", "setting.scaffolding"),
        (r"^extended context$", "setting.extended_context"),
        (r"^prompts over (?P<size>\S+) tokens$", "setting.prompts_over"),
        (r"^prompt addendum$", "setting.prompt_addendum"),
        (r"^(?P<name>\S+) edit format$", "setting.edit_format"),
        (r"^(?P<name>\S+) grader$", "setting.grader"),
        (r"^endpoint$", "setting.endpoint"),
        (r"^free endpoint$", "setting.free_endpoint"),
        (r"^experimental endpoint$", "setting.experimental_endpoint"),
        (r"^free experimental endpoint$", "setting.free_experimental_endpoint"),
        (r"^beta endpoint$", "setting.beta_endpoint"),
    )
)


def setting_words(setting: str, language: Language) -> str:
    """A fact's setting ("32k thinking, parallel attempts") in `language`, part by part; a part
    the catalogue does not word (5-shot, maj@32, fp8: terms of the trade) stays as written."""
    worded = []
    for part in (part.strip() for part in setting.split(",")):
        found = _first_match(_SETTING_PARTS, part)
        if found is None:
            worded.append(part)
            continue
        key, values = found
        if key == "setting.effort":
            key = f"setting.effort.{values.pop('level').lower()}"
        worded.append(message(key, language, **values))
    return ", ".join(part for part in worded if part)
