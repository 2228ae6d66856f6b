"""The one catalogue, merged from its topics; a key is in exactly one topic."""

from __future__ import annotations

from aiprogress.core.messages.bot import BOT
from aiprogress.core.messages.chart import CHART
from aiprogress.core.messages.compare import COMPARE
from aiprogress.core.messages.digest import DIGEST
from aiprogress.core.messages.sources import SOURCES
from aiprogress.core.types import Language


def _merged(*topics: dict[str, dict[Language, str]]) -> dict[str, dict[Language, str]]:
    # One dict literal used to hold every key, where a repeated key was a lint error; across
    # topic modules a repeat would silently replace a message, so the merge refuses it.
    merged: dict[str, dict[Language, str]] = {}
    for topic in topics:
        repeated = merged.keys() & topic.keys()
        if repeated:
            raise ValueError(f"catalogue keys in two topics: {sorted(repeated)}")
        merged.update(topic)
    return merged


CATALOGUE: dict[str, dict[Language, str]] = _merged(DIGEST, BOT, SOURCES, COMPARE, CHART)
