"""The checker: holds every figure, model name and link of a draft to the fact sheet.

A draft passes when every number it states is in the sheet or derived from the sheet's numbers,
every model name is one the sheet names, every link is one of the sheet's, every story of the
sheet is told (or listed) with links to its own sources, and nothing repeats a sentence that was
quarantined as an instruction planted in a feed.

What an analyst may derive, within the rounding the draft shows:
- a number of the sheet, rounded ("86%" for 85.6%), with its unit class and, if the draft writes
  one, its sign (a model line's "−$0.35" is not "+$0.35");
- the difference of two numbers of one unit class, unsigned ("разрыв 2,65 п.п." between two
  percentages is in points; "$0.35 cheaper");
- their ratio either way ("в 30 раз дороже", "30×"), the share one is of the other ("30% of the
  price") and the change in percent either way ("около 40%" from a 1.4 ratio, "29% cheaper");
- hedged rounding: after "about / around / roughly / nearly / almost / ~ / около / почти /
  примерно / приблизительно / порядка", a round number stands for one within its last
  significant digit, and never more than 5% off ("около 40%" for 39.6%);
- the dates of the period and of the items (day, month, year), counts of the sheet's stories and
  outlets, small counts (0–12) and years.

The sheet's numbers are collected generically: every figure and model line, and every number,
text and date of any other value the sheet carries (knowledge-base lines and computed
conclusions), so a new kind of line in the sheet is checkable without touching this module. A
number with a `unit` beside it takes that unit's class; one without a unit matches any.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from aiprogress.core.factsheet import (
    DigestDocument,
    FactSheet,
    Figure,
    ModelLine,
    Story,
)
from aiprogress.core.types import Language, Unit
from aiprogress.digest.figures import (
    URL,
    FoundFigure,
    ModelVocabulary,
    blank,
    find_figures,
    is_version,
    model_key,
)

# Words of a quarantined sentence a draft may share before it counts as repeating it.
_QUARANTINE_RUN = 5
_WORD = re.compile(r"\w+")
# The unit class of a sheet number that carries no unit: a draft may give it any.
ANY_UNIT = "*"
_UNIT_CLASSES = (Unit.PERCENT, Unit.USD, Unit.TIMES, Unit.PERCENTAGE_POINTS, "", "€", "£")
# Hedges that make a round number an approximation ("около 40%", "roughly 30×", "~40%"),
# optionally followed by a preposition ("почти в 30 раз", "about by 40%" is not English, but
# "almost by" and "почти на" are).
_HEDGE = re.compile(
    r"(?:\b(?:about|around|roughly|nearly|almost|approximately|approx|some|circa|"
    r"около|почти|примерно|приблизительно|порядка|где-то|чуть\s+(?:больше|меньше|более|менее))"
    r"\.?\s+(?:в|на|by|to|in)?\s*|[~≈∼]\s*)$",
    re.IGNORECASE,
)
# Fields that hold identifiers, scores and offsets, not facts a reader may be told.
_NOT_FACTS = frozenset({"key", "item_ids", "score", "span", "id", "source_id", "quarantined"})
# A story's texts: the sheet reads their figures into Story.figures already, and reading them
# again would turn version numbers in titles into figures.
_READ_ALREADY = frozenset({"title", "summary", "models"})


def unit_class(unit: str) -> str:
    """The checker's unit class of a knowledge-base unit ("USD/1M tokens" is "$", "tokens" is a
    plain number); a unit class is its own class."""
    if unit in _UNIT_CLASSES:
        return unit
    if unit.upper().startswith("USD"):
        return Unit.USD
    return ""


def line_figures(line: ModelLine) -> list[tuple[float, str]]:
    """The figures a model line lets a digest state: both values, the delta (percentage points
    for a percentage), the ratio and the change in percent, signed as the line has them."""
    unit = unit_class(line.unit)
    figures = [(line.value, unit), (line.other_value, unit)]
    figures.append((line.delta, Unit.PERCENTAGE_POINTS if unit == Unit.PERCENT else unit))
    if line.ratio is not None:
        figures.append((line.ratio, Unit.TIMES))
    if line.other_value:
        figures.append(((line.value / line.other_value - 1.0) * 100.0, Unit.PERCENT))
    return figures


# --- the sheet's numbers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetNumbers:
    """What the sheet states (`stated`: signed), the measured values among them that an analyst
    derives from (`base`: not a line's own delta or ratio, so derivations stay one step deep), and
    what a digest may also say about it (`context`: dates, counts)."""

    stated: tuple[tuple[float, str], ...]
    base: tuple[tuple[float, str], ...]
    context: tuple[tuple[float, str], ...]
    links: frozenset[str]
    model_names: tuple[str, ...]


def sheet_numbers(sheet: FactSheet, vocabulary: ModelVocabulary) -> SheetNumbers:
    collector = _Collector(vocabulary)
    collector.walk(sheet)
    context = collector.context
    for story in sheet.stories:
        collector.links.update(story.links)
        context.append((float(len(story.sources)), ""))
    # Counts of stories (in all, per tier) and of outlets are the sheet's own.
    context += [(float(count), "") for count in range(len(sheet.stories) + 1)]
    outlets = {source.name for story in sheet.stories for source in story.sources}
    context.append((float(len(outlets)), ""))
    # The window: "for the week to 24 November 2026", "7 days".
    last_day = sheet.window_end - timedelta(microseconds=1)
    for moment in (sheet.window_start, sheet.window_end, last_day):
        context += _date_numbers(moment)
    context.append((float(sheet.period.length.days), ""))
    context.append((1e6, ""))  # prices are per 1M tokens
    names = (*sheet.models, *collector.names)
    return SheetNumbers(
        stated=tuple(collector.stated),
        base=tuple(collector.base),
        context=tuple(context),
        links=frozenset(collector.links),
        model_names=tuple(names),
    )


class _Collector:
    """Walks a sheet: its numbers into `stated`, its dates into `context`, its source links into
    `links` and the model names of its lines into `names`."""

    def __init__(self, vocabulary: ModelVocabulary) -> None:
        self.vocabulary = vocabulary
        self.stated: list[tuple[float, str]] = []
        self.base: list[tuple[float, str]] = []
        self.context: list[tuple[float, str]] = []
        self.links: set[str] = set()
        self.names: dict[str, None] = {}

    def walk(self, value: object, unit: str = ANY_UNIT) -> None:
        if isinstance(value, Figure):
            self._state((value.value, unit_class(value.unit)))
        elif isinstance(value, ModelLine):
            self.stated.extend(line_figures(value))
            self.base += [(v, unit_class(value.unit)) for v in (value.value, value.other_value)]
            self.links.add(value.source_url)
            self.names.update(dict.fromkeys((value.model, value.other)))
        elif isinstance(value, (datetime, date)):
            self.context.extend(_date_numbers(value))
        elif isinstance(value, (bool, Enum)):
            return
        elif isinstance(value, (int, float)):
            if math.isfinite(value):
                self._state((float(value), unit))
        elif isinstance(value, str):
            if value.startswith(("http://", "https://")):
                self.links.add(value)
            else:
                for number in _text_numbers(value, self.vocabulary):
                    self._state(number)
        elif isinstance(value, (list, tuple)):
            for element in value:
                self.walk(element, unit)
        elif isinstance(value, dict):
            for element in value.values():
                self.walk(element, unit)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            self._walk_fields(value)

    def _state(self, number: tuple[float, str]) -> None:
        self.stated.append(number)
        self.base.append(number)

    def _walk_fields(self, value: object) -> None:
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}  # type: ignore[arg-type]
        unit = fields.get("unit")
        unit = unit_class(unit) if isinstance(unit, str) else ANY_UNIT
        for name, field_value in fields.items():
            if name in _NOT_FACTS or name == "unit":
                continue
            if isinstance(value, Story) and name in _READ_ALREADY:
                continue
            self.walk(field_value, unit)


def _text_numbers(text: str, vocabulary: ModelVocabulary) -> list[tuple[float, str]]:
    """The figures a text of the sheet states (a conclusion, a weighing line), model names and
    links left out so that versions and URLs are not figures."""
    plain = URL.sub(" ", text)
    plain = blank(plain, [mention.span for mention in vocabulary.find(plain)])
    return [(found.value, found.unit or ANY_UNIT) for found in find_figures(plain)]


def _date_numbers(moment: date) -> list[tuple[float, str]]:
    return [(float(moment.day), ""), (float(moment.month), ""), (float(moment.year), "")]


def _derived(
    stated: Sequence[tuple[float, str]], base: Sequence[tuple[float, str]]
) -> Iterator[tuple[float, str]]:
    """Unsigned numbers an analyst derives from two measured numbers of one unit class
    (differences, ratios, shares, changes in percent) and from any ratio the sheet states (its
    change in percent either way)."""
    for value, unit in stated:
        if unit == Unit.TIMES and value > 0:
            yield (value - 1.0) * 100.0, Unit.PERCENT
            yield (1.0 - 1.0 / value) * 100.0, Unit.PERCENT
    by_unit: dict[str, set[float]] = defaultdict(set)
    for value, unit in base:
        by_unit[unit].add(abs(value))
    # A number without a unit pairs with numbers of every unit, and the result keeps theirs.
    loose = by_unit.pop(ANY_UNIT, set())
    groups = {unit: values | loose for unit, values in by_unit.items() if unit != Unit.TIMES}
    groups[ANY_UNIT] = loose
    for unit, values in groups.items():
        difference_unit = Unit.PERCENTAGE_POINTS if unit == Unit.PERCENT else unit
        ordered = sorted(values)
        for i, low in enumerate(ordered):
            for high in ordered[i + 1 :]:
                yield high - low, difference_unit
                if low > 0:
                    yield high / low, Unit.TIMES
                    yield low / high * 100.0, Unit.PERCENT
                    yield (high / low - 1.0) * 100.0, Unit.PERCENT
                    yield (1.0 - low / high) * 100.0, Unit.PERCENT


class AllowedFigures:
    """Every figure a digest may state about one sheet, indexed for range look-ups: signed values
    (stated by the sheet) and magnitudes (stated or derived) per unit class."""

    def __init__(self, numbers: SheetNumbers) -> None:
        signed: dict[str, set[float]] = defaultdict(set)
        magnitudes: dict[str, set[float]] = defaultdict(set)
        for value, unit in (*numbers.stated, *numbers.context):
            signed[unit].add(value)
            magnitudes[unit].add(abs(value))
        for value, unit in _derived(numbers.stated, numbers.base):
            magnitudes[unit].add(abs(value))
        self._signed = {unit: sorted(values) for unit, values in signed.items()}
        self._magnitudes = {unit: sorted(values) for unit, values in magnitudes.items()}

    def allows(self, found: FoundFigure, *, hedged: bool = False) -> bool:
        units = [found.unit, ANY_UNIT] if found.unit else list({*self._signed, *self._magnitudes})
        for reading, decimals in found.readings:
            tolerance = _tolerance(reading, decimals, hedged=hedged)
            for unit in units:
                if found.signed:
                    values, target = self._signed.get(unit, []), reading
                    # A signed draft states the sign: a zero or a value of the other sign is not it.
                    if _within(values, target, tolerance, sign=-1 if reading < 0 else 1):
                        return True
                elif _within(self._magnitudes.get(unit, []), abs(reading), tolerance):
                    return True
        return False


def _tolerance(reading: float, decimals: int, *, hedged: bool) -> float:
    """Half a unit of the last digit shown; after a hedge, a unit of the last significant digit
    ("about 85" for 85.6, "около 40" for 39.6), at most 5% of the number."""
    exact = 0.5 * 10.0 ** (-decimals) + 1e-9 * max(1.0, abs(reading))
    if not hedged:
        return exact
    step = 10.0 ** (-decimals)
    if decimals <= 0 and reading:
        whole = round(abs(reading))
        while whole and whole % 10 == 0 and step * 10 <= abs(reading):
            whole //= 10
            step *= 10
    return max(exact, min(step, 0.05 * abs(reading)) + 1e-9 * max(1.0, abs(reading)))


def _within(values: list[float], target: float, tolerance: float, *, sign: int = 0) -> bool:
    start = bisect.bisect_left(values, target - tolerance)
    end = bisect.bisect_right(values, target + tolerance)
    if sign == 0:
        return end > start
    return any((value < 0) == (sign < 0) and value != 0 for value in values[start:end])


def _hedged(text: str, start: int) -> bool:
    return _HEDGE.search(text[max(0, start - 40) : start]) is not None


# --- the checker -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checker:
    vocabulary: ModelVocabulary

    def check(self, sheet: FactSheet, documents: Iterable[DigestDocument]) -> list[str]:
        documents = list(documents)
        numbers = sheet_numbers(sheet, self.vocabulary)
        allowed = AllowedFigures(numbers)
        problems: list[str] = []
        for document in documents:
            found = self._check(sheet, document, numbers, allowed)
            problems += [f"{document.language.value}: {p}" for p in found]
        problems += self._same_facts(documents)
        return problems

    def _check(
        self,
        sheet: FactSheet,
        document: DigestDocument,
        numbers: SheetNumbers,
        allowed: AllowedFigures,
    ) -> list[str]:
        problems: list[str] = []
        model_keys = {model_key(name) for name in numbers.model_names}
        model_ids = {
            mention.canonical_id
            for name in numbers.model_names
            for mention in self.vocabulary.find(name)
            if mention.canonical_id
        }

        told = set()
        for part in (*document.stories, *document.more):
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

        texts = (*document.texts(), *(part.text for part in document.more))
        for text in texts:
            for url in URL.findall(text):
                if url.rstrip(".,;") not in numbers.links:
                    problems.append(f"link not in the fact sheet: {url}")
            plain = URL.sub(" ", text)
            mentions = self.vocabulary.find(plain)
            for mention in mentions:
                if not _named(mention.key, mention.canonical_id, model_keys, model_ids):
                    problems.append(f"model not in the fact sheet: {mention.text}")
            plain = blank(plain, [mention.span for mention in mentions])
            for found in find_figures(plain):
                if _small_count(found) or is_version(plain, found):
                    continue
                if not allowed.allows(found, hedged=_hedged(plain, found.span[0])):
                    problems.append(f"figure not in the fact sheet: {found.text}")
            for sentence in sheet.quarantined:
                if _repeats(text, sentence):
                    problems.append(
                        f"repeats text planted in a feed item as an instruction: {sentence[:80]}"
                    )
        return list(dict.fromkeys(problems))

    def _same_facts(self, documents: Sequence[DigestDocument]) -> list[str]:
        """Russian and English must state the same figures: one language may not add any. Two
        figures are the same when they agree within the rounding of the less precise one."""
        if len(documents) < 2:
            return []
        seen: dict[Language, list[FoundFigure]] = {}
        for document in documents:
            figures: list[FoundFigure] = []
            for text in document.texts():
                plain = URL.sub(" ", text)
                plain = blank(plain, [m.span for m in self.vocabulary.find(plain)])
                figures += [
                    found
                    for found in find_figures(plain)
                    if not _small_count(found) and found.unit and not is_version(plain, found)
                ]
            seen[document.language] = figures
        languages = list(seen)
        first, rest = languages[0], languages[1:]
        problems = []
        for other in rest:
            only = [f for f in seen[first] if not _stated_in(f, seen[other])]
            only += [f for f in seen[other] if not _stated_in(f, seen[first])]
            if only:
                values = sorted({round(abs(found.value), 6) for found in only})
                listed = ", ".join(f"{value:g}" for value in values)
                problems.append(
                    f"{first.value} and {other.value} state different figures: {listed}"
                )
        return problems


def _stated_in(found: FoundFigure, others: Sequence[FoundFigure]) -> bool:
    for other in others:
        if other.unit != found.unit:
            continue
        for value, decimals in found.readings:
            for other_value, other_decimals in other.readings:
                tolerance = 0.5 * 10.0 ** (-min(decimals, other_decimals)) + 1e-9
                if abs(abs(value) - abs(other_value)) <= tolerance:
                    return True
    return False


def _named(key: str, canonical_id: str | None, keys: set[str], ids: set[str]) -> bool:
    """A mention is named by the sheet when it is one of its models, exactly. A shorter form of a
    sheet name ("Claude 3.7" for "Claude 3.7 Sonnet") counts only when it is no other known
    model and what it leaves out is words, not a version ("GPT-4" is not GPT-4.5)."""
    if key in keys or (canonical_id is not None and canonical_id in ids):
        return True
    if canonical_id is not None:
        return False  # a model the registry knows, and not one of the sheet's
    for name in keys:
        if name.startswith(f"{key}-"):
            rest = name[len(key) + 1 :].split("-")
            if not any(character.isdigit() for token in rest for character in token):
                return True
    return False


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
