"""Model-name normalisation and resolution: what a user or a data source calls a model, to ours.

Exact matches on a compact key come first ("GPT-4.5 preview", "gpt4.5-preview" and
"openai/gpt-4.5-preview" all share one). Only then is rapidfuzz asked, and a fuzzy answer is
taken only when it is clearly ahead of the next model; otherwise the caller gets candidates,
never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from datetime import date
from functools import cached_property

from aiprogress.core.errors import AmbiguousModel, ModelNotFound
from aiprogress.core.latin_names import latin_name, unreadable
from aiprogress.core.types import ModelInfo, ModelMatch, value_type

# A fuzzy match is accepted at this score (0-100) when the runner-up model trails by MARGIN.
ACCEPT_SCORE = 88.0
MARGIN = 6.0
# Below this a candidate is not worth showing.
CANDIDATE_SCORE = 55.0
# A candidate that lacks a number the name asks for scores at most this: shown, never taken
# (ACCEPT_SCORE) and never strong enough to make a name ambiguous.
OTHER_NUMBERS_SCORE = 75.0
MAX_CANDIDATES = 5

# What `alias_key` drops of an ASCII name (it drops every other character too).
_NOT_ASCII_ALNUM = bytes(c for c in range(128) if not (chr(c).isdigit() or "a" <= chr(c) <= "z"))
# For fuzzy matching, dots stay inside version numbers ("3.5" is one token, not "3" and "5").
_SEPARATORS = re.compile(r"[^0-9a-z.]+|(?<![0-9])\.|\.(?![0-9])")
# Date stamps that sources append to a model's name: -20250219, -2024-11-20, -0324, -02-05.
_DATE_SUFFIX = re.compile(r"[-_ @:]+(20\d{2}-?\d{2}-?\d{2}|\d{2}-\d{2}|\d{4})(-v\d+(:\d+)?)?$")


# A run of digits, and what follows it (to tell a version "4-5" from a size "3-70b").
_DIGITS = re.compile(r"\d+")


def name_numbers(name: str) -> frozenset[str]:
    """The numbers a name states, as versions and sizes: 'Claude Opus 4.5' and
    'claude-opus-4-5' state {'4.5'}, 'Llama 3.1 405B' {'3.1', '405'}, 'gemini 2 pro' and
    'Gemini 2.0 Pro' {'2'}, 'DeepSeek-R1' {'r1'}, 'Mixtral 8x7B' {'8', '7'}. Digits joined by a
    dot are one number; so are two short runs joined by '-', '_' or a space when the second ends
    the word ("claude-3-5-sonnet" is 3.5; "llama-3-70b" is 3 and 70). Leading zeros and a
    trailing '.0' are dropped."""
    text = latin_name(name).lower()
    runs = [(m.start(), m.end()) for m in _DIGITS.finditer(text)]
    numbers: list[list[str]] = []
    starts: list[int] = []
    previous_end = -2
    for start, end in runs:
        run = text[start:end]
        gap = text[previous_end:start] if previous_end >= 0 else ""
        joins = bool(numbers) and (
            gap == "."
            or (
                gap in ("-", "_", " ")
                and len(run) <= 2
                and len(numbers[-1]) == 1
                and len(numbers[-1][0]) <= 2
                and not text[end : end + 1].isalpha()
            )
        )
        if joins:
            numbers[-1].append(run)
        else:
            numbers.append([run])
            starts.append(start)
        previous_end = end
    found = set()
    for parts, start in zip(numbers, starts, strict=True):
        cleaned = [part.lstrip("0") or "0" for part in parts]
        while len(cleaned) > 1 and cleaned[-1] == "0":
            cleaned.pop()
        found.add(_series_letter(text, start) + ".".join(cleaned))
    return frozenset(found)


def _series_letter(text: str, start: int) -> str:
    """The one letter a number is glued to when that letter starts the word ('r' of
    'DeepSeek-R1', 'o' of 'o3-mini', 'k' of 'Kimi K2'): it names a series, and 'r3' is not
    'v3'. A 'v' is the word "version" ('Nemotron v1.5' is 1.5, 'DeepSeek-V3' is 3); a letter
    inside a word ('qwen2.5', 'gpt4') or after a digit ('8x7b') is not one."""
    if start == 0 or not text[start - 1].isalpha() or text[start - 1] == "v":
        return ""
    if start >= 2 and text[start - 2].isalnum():
        return ""
    return text[start - 1]


def alias_key(name: str) -> str:
    """The compact form aliases are matched on: lower case, letters and digits only (ASCII
    ones: `re.sub("[^0-9a-z]+", "", name.lower())`). Made with the bytes' `translate` in C, a
    third of the cost of the pattern: the index makes ~3,500 keys, issue 21. A "+" is "plus":
    Cohere's "Command R+" is `command-r-plus`, another model than "Command R". Cyrillic
    letters are read as the Latin ones they mean first (`latin_name`: "гпт-4о" is `gpt4o`);
    an ASCII name skips that in one C-speed check."""
    lowered = name.lower()
    if not lowered.isascii():
        lowered = latin_name(lowered)
    if "+" in lowered:
        lowered = lowered.replace("+", "plus")
    return lowered.encode("ascii", "ignore").translate(None, _NOT_ASCII_ALNUM).decode()


def fuzzy_form(name: str) -> str:
    """'GPT-3.5-Turbo' -> 'gpt 3.5 turbo': lower case, words split, version numbers whole; a
    "+" is the word "plus" ('Command R+' -> 'command r plus') and Cyrillic letters are Latin
    ('клод 3.5 соннет' -> 'claude 3.5 sonnet'), as `alias_key` has them."""
    lowered = name.lower()
    if not lowered.isascii():
        lowered = latin_name(lowered)
    return " ".join(_SEPARATORS.sub(" ", lowered.replace("+", " plus ")).split())


def without_vendor(name: str) -> str:
    """'openai/gpt-4o' -> 'gpt-4o'; 'openrouter/x-ai/grok-3' -> 'grok-3'."""
    return name.rsplit("/", 1)[-1]


def without_date(name: str) -> str:
    stripped = name.strip()
    # Every date suffix ends in a digit: most names do not, and skip the pattern.
    if not stripped[-1:].isdigit():
        return stripped
    return _DATE_SUFFIX.sub("", stripped)


def name_variants(name: str) -> set[str]:
    """The keys one name is known by: as given, without its vendor prefix, without a date."""
    base = without_vendor(name)
    return {k for k in (alias_key(name), alias_key(base), alias_key(without_date(base))) if k}


def _stripped_keys(name: str) -> list[str]:
    """`name_variants(name)` less the name's own key: the keys that stripping its vendor or its
    date makes, computed only when the stripping changes something."""
    keys: list[str] = []
    base = without_vendor(name)
    if base != name:
        keys.append(alias_key(base))
    undated = without_date(base)
    if undated != base:
        keys.append(alias_key(undated))
    return [key for key in keys if key]


@value_type
class _Alias:
    text: str
    model: ModelInfo


class ModelIndex:
    """An in-memory index over the registry, built once per registry version."""

    def __init__(self, models: Iterable[ModelInfo]) -> None:
        self._models: dict[str, ModelInfo] = {}
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._given: list[ModelInfo] = []
        # The numbers each model's names state, made per model as `search` first needs them.
        self._numbers: dict[str, list[frozenset[str]]] = {}
        for model in models:
            self._models[model.canonical_id] = model
            self._given.append(model)
            for name in {model.canonical_id, model.display_name, *model.aliases}:
                self._exact[alias_key(name)].add(model.canonical_id)
        # Keys that only come from stripping a vendor or a date are weaker than the full ones;
        # they are added where they do not clash with a full key. Every name's own key is in
        # already, so only the stripped ones are made (a third of the work: the index is most
        # of what `compare` does besides starting, issue 21).
        for model in self._models.values():
            for name in {model.canonical_id, model.display_name, *model.aliases}:
                for key in _stripped_keys(name):
                    if key not in self._exact:
                        self._exact[key].add(model.canonical_id)

    @cached_property
    def _aliases(self) -> list[_Alias]:
        """Every name of every model given, for `search`, made on its first use as `_choices`
        is: `compare` with exact names needs only the keys (issue 21: 2,200 objects)."""
        return [
            _Alias(name, model)
            for model in self._given
            for name in {model.canonical_id, model.display_name, *model.aliases}
        ]

    @cached_property
    def _choices(self) -> list[str]:
        """Every alias in fuzzy form, for `search`: made on its first use, as are rapidfuzz's
        imports, because a command that names models exactly (`compare gpt-4.5 gpt-4o`) never
        searches (issue 21: about 12 ms of `compare`'s CPU)."""
        return [fuzzy_form(a.text) for a in self._aliases]

    def __len__(self) -> int:
        return len(self._models)

    def get(self, canonical_id: str) -> ModelInfo | None:
        return self._models.get(canonical_id)

    def exact(self, name: str) -> tuple[ModelInfo, ...]:
        """Models whose own names give exactly this key (vendor and date stripped if needed),
        the most specific key first: the name as given, then without its vendor, and only then
        without its date. `mistral/mistral-large-2411` is Mistral Large 2411 where we hold it,
        not the bare Mistral Large its stripped stamp also names ("mistrallarge" sorted before
        "mistrallarge2411", so Epoch's and LiteLLM's 2411 figures landed on the bare model)."""
        for key in (alias_key(name), *_stripped_keys(name)):
            ids = self._exact.get(key)
            if ids:
                return tuple(self._models[i] for i in sorted(ids))
        return ()

    def search(self, query: str, limit: int = MAX_CANDIDATES) -> list[ModelMatch]:
        """Models ranked by how well any of their names matches, best first."""
        from rapidfuzz import fuzz, process

        exact = self.exact(query)
        best: dict[str, ModelMatch] = {
            m.canonical_id: ModelMatch(model=m, score=100.0, matched_alias=query) for m in exact
        }
        if unreadable(query):
            # A word we cannot read ("通义千问 2.5"): what is left of the name ("2.5") would
            # match models the name does not ask about.
            return sorted(best.values(), key=lambda m: m.model.display_name)[:limit]
        processed = fuzzy_form(query)
        query_tokens = set(processed.split())
        asked_numbers = name_numbers(query)
        if processed:
            # Two C-speed passes: token_set_ratio finds "claude" in "Claude 3.7 Sonnet" and
            # ignores word order; plain ratio forgives typos. WRatio was tried first: its partial
            # matching scored "llama 3" at 86 against "Claude 3.5 Sonnet", so unknown names came
            # back as ambiguous known ones.
            for scorer in (fuzz.token_set_ratio, fuzz.ratio):
                for choice, score, index in process.extract(
                    processed,
                    self._choices,
                    scorer=scorer,
                    processor=None,
                    limit=max(limit * 8, 40),
                    score_cutoff=CANDIDATE_SCORE,
                ):
                    if scorer is fuzz.token_set_ratio and not query_tokens <= set(choice.split()):
                        # token_set_ratio also scores 100 when the alias is the part: "gpt 4o"
                        # inside "gpt 4o mini", a different model. Say more, match less.
                        score = fuzz.token_sort_ratio(processed, choice)
                    alias = self._aliases[index]
                    if asked_numbers and not self._states(alias.model, asked_numbers):
                        # "claude opus 5" is not Claude Opus 4.5, nor "deepseek r2" R1: a
                        # typo in a word is forgiven, another version or size never is.
                        score = min(score, OTHER_NUMBERS_SCORE)
                    if score < CANDIDATE_SCORE:
                        continue
                    current = best.get(alias.model.canonical_id)
                    if current is None or score > current.score:
                        best[alias.model.canonical_id] = ModelMatch(
                            model=alias.model, score=float(score), matched_alias=alias.text
                        )
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.model.display_name))
        return ranked[:limit]

    def _states(self, model: ModelInfo, numbers: frozenset[str]) -> bool:
        """Whether one of the model's names states every number in `numbers`."""
        stated = self._numbers.get(model.canonical_id)
        if stated is None:
            names = {model.canonical_id, model.display_name, *model.aliases}
            stated = self._numbers[model.canonical_id] = [name_numbers(n) for n in names]
        return any(numbers <= own for own in stated)

    def resolve(self, query: str) -> ModelInfo:
        """The one model a name means, or `AmbiguousModel` / `ModelNotFound` with candidates."""
        text = query.strip()
        if not text:
            raise ModelNotFound(query)
        exact = self.exact(text)
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise AmbiguousModel(query, _newest_first(exact))
        # Every close match, not only the first few by name: they are ranked below by date.
        ranked = self.search(text, limit=_CLOSE_POOL)
        if not ranked:
            raise ModelNotFound(query)
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if top.score >= ACCEPT_SCORE and top.score - runner_up >= MARGIN:
            return top.model
        if top.score >= ACCEPT_SCORE:
            # Strong matches, but more than one: ask, offering only the close ones.
            close = [m.model for m in ranked if top.score - m.score < 2 * MARGIN]
            raise AmbiguousModel(query, _newest_first(close))
        # The closest of the same family only: "grok 5" is offered Grok 4, never GPT-5 Pro for
        # sharing its number; a name of no family we know is offered nothing.
        asked = _family_words(text)
        closest = [m.model.display_name for m in ranked if asked and _same_family(asked, m.model)]
        raise ModelNotFound(query, tuple(closest[:MAX_CANDIDATES]))


# How many of the best matches resolve() weighs; the close ones among them are offered.
_CLOSE_POOL = 50

# A family's name: a word of two letters or more ("claude", "gpt", "o3"'s "o" is too short to
# say which family it is of; "sonnet", "opus" and "mistral" say it).
_FAMILY_WORD = re.compile(r"[a-z]{2,}")
# Words many families' models share, which say nothing of the family: "GPT-5 Mini" is no closer
# to "gemini 9" for its "mini".
_COMMON_WORDS = frozenset(
    {
        "mini", "nano", "pro", "max", "plus", "ultra", "lite", "flash", "fast", "turbo",
        "preview", "exp", "experimental", "latest", "beta", "instruct", "chat", "thinking",
        "reasoning", "base", "large", "medium", "small", "vision", "coder", "online", "free",
        "high", "low", "it", "ai",
    }
)  # fmt: skip
# Two family words are one when this close (rapidfuzz's ratio, 0-100): a typo ("calude",
# "gemni", "sonet") is forgiven; "gemini" and "mini" (80), "grok" and "groq" (75) are apart.
_FAMILY_WORD_SCORE = 82.0


def _family_words(name: str) -> frozenset[str]:
    return frozenset(_FAMILY_WORD.findall(fuzzy_form(name))) - _COMMON_WORDS


def _same_family(asked: frozenset[str], model: ModelInfo) -> bool:
    """Whether one of the model's names shares a family word with the asked name's."""
    from rapidfuzz import fuzz

    own: set[str] = set()
    for name in {model.canonical_id, model.display_name, *model.aliases}:
        own |= _family_words(name)
    return any(
        word == other or fuzz.ratio(word, other) >= _FAMILY_WORD_SCORE
        for word in asked
        for other in own
    )


# The first version number in a display name: "Claude 3.5 Haiku (2024-10-22)" -> 3.5.
_VERSION = re.compile(r"(?<![\d.])v?(\d{1,2}(?:\.\d+)?)(?![\d.])")


# A full date stamp at the end of an id, as vendors date their snapshots: -20250219, -2024-11-20.
_DATE_STAMP = re.compile(r"[-_@:](20\d{2})-?(\d{2})-?(\d{2})$")


def _released(model: ModelInfo) -> int:
    """The release date as an ordinal; without one, the earliest snapshot date in the model's
    ids ("claude-3-7-sonnet-20250219"); 0 when neither is known."""
    if model.release_date is not None:
        return model.release_date.toordinal()
    stamps = []
    for name in (model.canonical_id, *model.aliases):
        found = _DATE_STAMP.search(name)
        if found:
            with suppress(ValueError):
                stamps.append(date(*map(int, found.groups())).toordinal())
    return min(stamps, default=0)


def _newest_first(models: Iterable[ModelInfo]) -> tuple[str, ...]:
    """The candidates offered for an ambiguous name: released most recently first, as a bare
    "claude" more likely means a current model than Claude v2. Models with no known date come
    after the dated ones, higher version numbers first, and a
    model's base name before its variants ("Claude 3 Haiku" before "… (self-moderated)")."""

    def order(model: ModelInfo) -> tuple[int, float, int, str]:
        released = _released(model)
        version = _VERSION.search(model.display_name.lower())
        return (
            -released,
            -float(version[1]) if version else 0.0,
            len(model.display_name),
            model.display_name,
        )

    return tuple(m.display_name for m in sorted(models, key=order)[:MAX_CANDIDATES])
