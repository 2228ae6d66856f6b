"""The checker: holds every figure, model name and link of a draft to the fact sheet.

A draft passes when every number (with its unit class and sign), every model name and every
link it states is in the sheet, every story of the sheet is told with links to its own sources,
and nothing repeats a sentence that was quarantined as an instruction planted in a feed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from aiprogress.core.factsheet import DigestDocument, FactSheet, ModelLine
from aiprogress.core.types import Language
from aiprogress.digest.figures import (
    URL,
    FoundFigure,
    ModelVocabulary,
    blank,
    figure_matches,
    find_figures,
    model_key,
)

# Words of a quarantined sentence a draft may share before it counts as repeating it.
_QUARANTINE_RUN = 5
_WORD = re.compile(r"\w+")


def unit_class(unit: str) -> str:
    """The checker's unit class of a knowledge-base unit."""
    if unit == "%":
        return "%"
    if unit.upper().startswith("USD"):
        return "$"
    return ""


def line_figures(line: ModelLine) -> list[tuple[float, str]]:
    """The figures a model line lets a digest state: both values, the delta (percentage points
    for a percentage) and the ratio."""
    unit = unit_class(line.unit)
    figures = [(line.value, unit), (line.other_value, unit)]
    figures.append((line.delta, "pp" if unit == "%" else unit))
    if line.ratio is not None:
        figures.append((line.ratio, "×"))
    return figures


def allowed_figures(sheet: FactSheet) -> list[tuple[float, str]]:
    allowed = [(figure.value, figure.unit) for figure in sheet.figures]
    for story in sheet.stories:
        allowed += [figure for line in story.model_lines for figure in line_figures(line)]
        allowed.append((float(len(story.sources)), ""))
    # Counts of stories (in all, per tier) are the sheet's own.
    allowed += [(float(count), "") for count in range(len(sheet.stories) + 1)]
    allowed.append((float(len({source.name for s in sheet.stories for source in s.sources})), ""))
    # The window's dates: "for the week to 24 November 2026".
    last_day = sheet.window_end - timedelta(microseconds=1)
    for moment in (sheet.window_start, sheet.window_end, last_day):
        allowed += [(float(moment.day), ""), (float(moment.year), ""), (float(moment.month), "")]
    allowed.append((float(sheet.period.length.days), ""))
    allowed.append((1e6, ""))  # prices are per 1M tokens
    return allowed


@dataclass(frozen=True, slots=True)
class Checker:
    vocabulary: ModelVocabulary

    def check(self, sheet: FactSheet, documents: Iterable[DigestDocument]) -> list[str]:
        documents = list(documents)
        problems: list[str] = []
        for document in documents:
            problems += [f"{document.language.value}: {p}" for p in self._check(sheet, document)]
        problems += self._same_facts(documents)
        return problems

    def _check(self, sheet: FactSheet, document: DigestDocument) -> list[str]:
        problems: list[str] = []
        links = {url for story in sheet.stories for url in story.links}
        figures = allowed_figures(sheet)
        model_keys = {model_key(name) for name in sheet.models}
        model_ids = {
            mention.canonical_id
            for name in sheet.models
            for mention in self.vocabulary.find(name)
            if mention.canonical_id
        }

        told = set()
        for part in document.stories:
            story = sheet.story(part.story)
            if story is None:
                problems.append(f"story {part.story!r} is not in the fact sheet")
                continue
            told.add(part.story)
            if not part.links:
                problems.append(f"story {part.story} has no link to its sources")
            for link in part.links:
                if link not in story.links:
                    problems.append(f"story {part.story} links {link}, not one of its sources")
        for story in sheet.stories:
            if story.key not in told:
                problems.append(f"story {story.key} ({story.title}) is not covered")

        for text in document.texts():
            for url in URL.findall(text):
                if url.rstrip(".,;") not in links:
                    problems.append(f"link not in the fact sheet: {url}")
            plain = URL.sub(" ", text)
            mentions = self.vocabulary.find(plain)
            for mention in mentions:
                known = mention.canonical_id is not None and mention.canonical_id in model_ids
                if not known and not _named(mention.key, model_keys):
                    problems.append(f"model not in the fact sheet: {mention.text}")
            plain = blank(plain, [mention.span for mention in mentions])
            for found in find_figures(plain):
                if _small_count(found):
                    continue
                if not any(figure_matches(found, value, unit) for value, unit in figures):
                    problems.append(f"figure not in the fact sheet: {found.text}")
            for sentence in sheet.quarantined:
                if _repeats(text, sentence):
                    problems.append(
                        f"repeats text planted in a feed item as an instruction: {sentence[:80]}"
                    )
        return list(dict.fromkeys(problems))

    def _same_facts(self, documents: Sequence[DigestDocument]) -> list[str]:
        """Russian and English must state the same figures: one language may not add any."""
        if len(documents) < 2:
            return []
        seen: dict[Language, set[float]] = {}
        for document in documents:
            values: set[float] = set()
            for text in document.texts():
                plain = URL.sub(" ", text)
                plain = blank(plain, [m.span for m in self.vocabulary.find(plain)])
                values |= {
                    round(abs(found.value), 6)
                    for found in find_figures(plain)
                    if not _small_count(found) and found.unit
                }
            seen[document.language] = values
        languages = list(seen)
        first, rest = languages[0], languages[1:]
        problems = []
        for other in rest:
            only = seen[first] ^ seen[other]
            if only:
                listed = ", ".join(f"{value:g}" for value in sorted(only))
                problems.append(
                    f"{first.value} and {other.value} state different figures: {listed}"
                )
        return problems


def _named(key: str, allowed: set[str]) -> bool:
    """A mention is named by the sheet when it is one of its names or a shorter form of one
    ("Claude 3.7" for "Claude 3.7 Sonnet")."""
    return any(name == key or name.startswith(f"{key}-") for name in allowed)


def _small_count(found: FoundFigure) -> bool:
    """Bare small integers and years are counts and dates a digest may say on its own."""
    if not found.bare_integer:
        return False
    value = found.value
    return 0 <= value <= 12 or 1990 <= value <= 2100


def _repeats(text: str, sentence: str) -> bool:
    words = [w.lower() for w in _WORD.findall(sentence)]
    haystack = " ".join(w.lower() for w in _WORD.findall(text))
    if len(words) < _QUARANTINE_RUN:
        return bool(words) and " ".join(words) in haystack
    return any(
        " ".join(words[i : i + _QUARANTINE_RUN]) in haystack
        for i in range(len(words) - _QUARANTINE_RUN + 1)
    )
