"""Numbers and model names in prose: found the same way in sources (to build the fact sheet) and
in drafts (to check them against it).

A figure is a number with its sign, multiplier and unit class: "$75" and "75%" are different
figures, "+4.2 pp" and "-4.2 pp" too, "1.5M" is 1,500,000. Decimal marks differ by language
("68,7" in Russian), so an ambiguous number yields every reading and matches on any of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from aiprogress.core.types import ModelInfo, Unit

URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)

_FIGURE = re.compile(
    r"""
    (?<![\w.\-/:])
    (?P<sign>[+\-\u2212\u2013](?=[$€£]?\d))?
    (?P<cur>[$€£])?
    (?P<num>\d{1,3}(?:[\u0020\u00a0\u2009\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)
    (?![\w.,]*\d)
    (?P<mult>\s?(?:[kKMB](?![\w])|тыс\.?|млн|млрд|thousand|million|billion|trillion|трлн))?
    (?P<unit>\s?(?:%|процент\w*|percent|×|x(?![\w])|раза?(?![\w])|times|fold|п\.\s?п\.|pp(?![\w])
        |points?|пункт\w*|п\.|[$€£]))?
    """,
    re.VERBOSE | re.IGNORECASE,
)

_MULTIPLIERS = {
    "k": 1e3,
    "тыс": 1e3,
    "тыс.": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "млн": 1e6,
    "million": 1e6,
    "b": 1e9,
    "млрд": 1e9,
    "billion": 1e9,
    "trillion": 1e12,
    "трлн": 1e12,
}


def _unit_class(cur: str | None, unit: str | None) -> str:
    if cur:
        return Unit.USD if cur == Unit.USD else cur
    if not unit:
        return ""
    unit = unit.strip().lower()
    if unit in {"$", "€", "£"}:
        return Unit.USD if unit == Unit.USD else unit
    if unit == Unit.PERCENT or unit.startswith(("процент", "percent")):
        return Unit.PERCENT
    if unit in {"×", "x", "раз", "раза", "times", "fold"}:
        return Unit.TIMES
    return Unit.PERCENTAGE_POINTS


def _readings(number: str) -> tuple[tuple[float, int], ...]:
    """Every plausible (value, decimals) reading of a number as written."""
    number = re.sub(r"[\u0020\u00a0\u2009\u202f]", "", number)
    if "," in number and "." in number:
        decimal = max(number.rfind(","), number.rfind("."))
        whole = re.sub(r"[.,]", "", number[:decimal])
        return ((float(f"{whole}.{number[decimal + 1 :]}"), len(number) - decimal - 1),)
    for mark in (",", "."):
        if mark not in number:
            continue
        parts = number.split(mark)
        readings: list[tuple[float, int]] = []
        if all(len(part) == 3 for part in parts[1:]) and len(parts[0]) <= 3:
            readings.append((float("".join(parts)), 0))  # thousands grouped: 1,048,576
        if len(parts) == 2:
            readings.append((float(f"{parts[0]}.{parts[1]}"), len(parts[1])))
        return tuple(readings)
    return ((float(number), 0),)


@dataclass(frozen=True, slots=True)
class FoundFigure:
    text: str
    readings: tuple[tuple[float, int], ...]  # (signed value with multiplier, decimals shown)
    unit: str
    signed: bool
    span: tuple[int, int]

    @property
    def value(self) -> float:
        return self.readings[0][0]

    @property
    def bare_integer(self) -> bool:
        return not self.unit and not self.signed and self.readings[0][1] == 0


def find_figures(text: str) -> Iterator[FoundFigure]:
    for match in _FIGURE.finditer(text):
        sign = match.group("sign")
        negative = bool(sign) and sign != "+"
        multiplier = 1.0
        if match.group("mult"):
            multiplier = _MULTIPLIERS.get(match.group("mult").strip().lower(), 1.0)
        readings = tuple(
            ((-value if negative else value) * multiplier, decimals)
            for value, decimals in _readings(match.group("num"))
        )
        if not readings:
            continue
        # A multiplier widens what rounding hides: "1.5M" is 1,450,000 to 1,550,000.
        scaled = tuple(
            (value, decimals - round(math.log10(multiplier))) for value, decimals in readings
        )
        yield FoundFigure(
            text=match.group(0).strip(),
            readings=scaled,
            unit=_unit_class(match.group("cur"), match.group("unit")),
            signed=bool(sign),
            span=(match.start(), match.end()),
        )


def figure_matches(drafted: FoundFigure, value: float, unit: str) -> bool:
    """Whether a drafted figure states `value` in `unit`: same unit class (a bare number takes
    any), the sign if the draft writes one, and the value up to the precision the draft shows."""
    if drafted.unit and drafted.unit != unit:
        return False
    for reading, decimals in drafted.readings:
        if drafted.signed and (reading < 0) != (value < 0):
            continue
        tolerance = 0.5 * 10.0 ** (-decimals) + 1e-9 * max(1.0, abs(value))
        if abs(abs(reading) - abs(value)) <= tolerance:
            return True
    return False


# --- model names -----------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9]+")
# A word in prose: Latin letters and digits make name tokens; a word in another script (Russian
# "выпустила") stands between them, so "OpenAI выпустила GPT-4.5" never reads as "OpenAI GPT-4".
_WORD = re.compile(r"[^\W_]+")
# What may stand between two tokens of one name: spaces, or one joining mark ("GPT-4.5",
# "claude_3_7"); not a comma, a colon, a full stop and a space ("GPT-4. 5 models") or a word.
_JOINER = re.compile(r"\s*|[\-\u2010\u2011._/]")
# Longest model name looked for, in tokens ("llama 3.1 nemotron 70b instruct").
_MAX_TOKENS = 6


# Words a model's name may end with without being another model, as `/compare` reads names:
# "Llama 3.1 70B" is Meta's "Llama 3.1 70B Instruct".
_PLAIN_SUFFIXES = frozenset({"instruct", "chat", "it"})
_BASE_ASIDE = re.compile(r"\s*\(base\)", re.IGNORECASE)


def _is_model_name(key: str) -> bool:
    """A name is a model name in prose only with a version or several words: "Command" or
    "Auto" alone are words, and "4.5" or "30" alone are numbers."""
    return (
        bool(key)
        and (any(c.isdigit() for c in key) or "-" in key)
        and any(c.isalpha() for c in key)
    )


def model_key(name: str) -> str:
    """'Claude 3.7 Sonnet', 'claude-3.7-sonnet' and 'claude_3_7_sonnet' → 'claude-3-7-sonnet'."""
    return "-".join(token.lower() for token in _TOKEN.findall(name))


# How many texts a vocabulary remembers the names of (a period's items, a few times over).
_FOUND_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    key: str
    canonical_id: str | None  # None: a model-like name the registry does not know
    span: tuple[int, int]


class ModelVocabulary:
    """Model names of the registry, found in text by token n-grams (no giant regex), plus
    family-and-version names the registry does not know yet ("GPT-7", "Llama 5")."""

    def __init__(self, models: Iterable[ModelInfo]) -> None:
        self._ids: dict[str, str] = {}
        self.display: dict[str, str] = {}
        # Texts already read: a digest reads one item's title and summary while ranking the
        # period, again for the models its chosen items name and again for its sheet.
        self._found: dict[str, tuple[Mention, ...]] = {}
        families: dict[str, int] = {}
        # (rank, key, model): a model's own names first, then an instruct model's plain name,
        # then the names of "(base)" pretrained weights that leave "base" out, so that a name
        # means what `/compare` takes it to mean (core/registry.py `resolve_plain`): "Llama 3.1
        # 405B" is Meta's instruct model, not OpenRouter's `meta-llama/llama-3.1-405b` base.
        names: list[tuple[int, str, str]] = []
        for model in models:
            self.display[model.canonical_id] = model.display_name
            words = model_key(model.display_name).split("-")
            pretrained = "base" in words
            for name in (model.display_name, model.canonical_id, *model.aliases):
                key = model_key(name.rsplit("/", 1)[-1])
                if _is_model_name(key):
                    rank = 2 if pretrained and "base" not in key.split("-") else 0
                    names.append((rank, key, model.canonical_id))
            if len(words) > 1 and words[-1] in _PLAIN_SUFFIXES:
                plain = "-".join(words[:-1])
                if _is_model_name(plain):
                    names.append((1, plain, model.canonical_id))
            first = model_key(model.display_name).split("-", 1)[0]
            if first.isalpha() and len(first) >= 3:
                families[first] = families.get(first, 0) + 1
        for _, key, model_id in sorted(names, key=lambda name: name[0]):
            self._ids.setdefault(key, model_id)
        self.families = frozenset(name for name, count in families.items() if count >= 2) | {
            "gpt",
            "claude",
            "gemini",
            "llama",
            "grok",
            "qwen",
            "mistral",
            "deepseek",
        }

    def find(self, text: str) -> list[Mention]:
        """The model names in `text`, in order: the registry's, and family-and-version names
        it does not know (`canonical_id` None)."""
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _FOUND_LIMIT:
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[Mention]:
        tokens = _tokens(text)
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = None
            # The longest run of tokens that join up (no word or comma between them).
            run = 1
            while run < min(_MAX_TOKENS, len(tokens) - i) and _joined(
                text, tokens[i + run - 1], tokens[i + run]
            ):
                run += 1
            for n in range(run, 0, -1):
                key = "-".join(token for token, _, _ in tokens[i : i + n])
                canonical = self._ids.get(key)
                if canonical is not None and not _version_goes_on(text, tokens, i + n):
                    found = (n, key, canonical)
                    break
            if found is None and tokens[i][0] in self.families:
                # A family word and the version tokens after it: "GPT-7", "Claude 9 Opus".
                n = 1
                while n < run and any(c.isdigit() for c in tokens[i + n][0]):
                    n += 1
                if n > 1:
                    key = "-".join(token for token, _, _ in tokens[i : i + n])
                    found = (n, key, None)  # type: ignore[assignment]
            if found is None:
                i += 1
                continue
            n, key, canonical_or_none = found
            start, end = tokens[i][1], tokens[i + n - 1][2]
            pretrained = _BASE_ASIDE.match(text, end)
            if pretrained and canonical_or_none and f"{key}-base" in self._ids:
                # "Llama 3.1 405B (base)", as a display name writes it, is the base weights.
                key, canonical_or_none, end = (
                    f"{key}-base",
                    self._ids[f"{key}-base"],
                    pretrained.end(),
                )
                n += 1
            mentions.append(Mention(text[start:end], key, canonical_or_none, (start, end)))
            i += n
        return mentions


_Token = tuple[str, int, int]


def _tokens(text: str) -> list[_Token]:
    """Latin letter and digit runs, lower-cased, with their offsets; a word that holds letters of
    another script is left out, and `_joined` sees it in the gap."""
    tokens: list[_Token] = []
    for word in _WORD.finditer(text):
        start = word.start()
        tokens += [
            (m.group(0).lower(), start + m.start(), start + m.end())
            for m in _TOKEN.finditer(word.group(0))
        ]
    return tokens


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """Whether two tokens can belong to one name: only joining marks between them."""
    return _JOINER.fullmatch(text, left[2], right[1]) is not None


def _version_goes_on(text: str, tokens: Sequence[tuple[str, int, int]], following: int) -> bool:
    """Whether the version of a name ending before token `following` continues: "GPT-5" in
    "GPT-5.6" is not GPT-5, it is another model."""
    if following >= len(tokens) or following == 0:
        return False
    _, _, end = tokens[following - 1]
    token, start, _ = tokens[following]
    return text[end:start] == "." and text[end - 1].isdigit() and token[0].isdigit()


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with each span replaced by spaces, so offsets stay valid."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


_NAME_BEFORE = re.compile(r"(?:^|[\s(])[A-Z][\w\-]*\s$")


def is_version(text: str, figure: FoundFigure) -> bool:
    """A bare number right after a capitalised name is a version ("Nemotron 3.5", "Fable 5")."""
    start = figure.span[0]
    bare = not figure.unit and not figure.signed
    return bare and bool(_NAME_BEFORE.search(text[max(0, start - 40) : start]))


def prose_figures(text: str, vocabulary: ModelVocabulary) -> list[FoundFigure]:
    """The figures of a text that are figures: not the versions in model names ("Claude 3.7
    Sonnet", "GPT-5.6", "Nemotron 3.5 Lightning", "Fable 5")."""
    plain = blank(text, [mention.span for mention in vocabulary.find(text)])
    return [figure for figure in find_figures(plain) if not is_version(plain, figure)]
