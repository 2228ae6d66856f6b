"""Which model came before which, for weighing a model against the one before it.

The one before it is the knowledge base's predecessor where the curated data names one;
otherwise the family's previous release: by release date within a family ("Gemini 1.5 Pro"
before "Gemini 2.0 Flash"), else read from the names, the same vendor and the same name around
the version ("Claude Opus 4.6" before "Claude Opus 4.7", "GPT-5.4" before "GPT-5.5"). Sizes
("120b") are part of a name, not a version. A predecessor is always older: where both release
dates are known, released strictly before; where either is missing, the lower version of the
same name. And it is of the same variant: a "Deep Research", "mini", "Pro", image, "(Fast)",
thinking-mode or dated-snapshot model is weighed against the one before it in its own line,
never against a base model, nor a base model against it (`variant`), unless the curated data
says so (its predecessors, and its own families, which weigh Gemini 2.0 Flash against Gemini
1.5 Pro as the seed does). Moving aliases ("~google/gemini-flash-latest") are no release.

Nor is the same model earlier its predecessor: Gemini 3.1 Flash Lite is weighed against Gemini
2.5 Flash Lite, not against its own Preview, and no model against its experimental or beta
release, a dated snapshot of it or an alias to it, nor "Claude v2.0" against "Claude v2"
(`same_model`). A preview precedes only
previews: GPT-4.1 is weighed against GPT-4o, as OpenAI presented it, not against GPT-4.5
(preview), released between them and retired for GPT-4.1 (`may_precede`). Where the data give a
model no release date, the earliest full date in its ids orders it (`known_date`: OpenRouter's
"x-ai/grok-4.20-20260309"). Versions order only where reading them as whole numbers and as
decimals agree: "4.6" before "4.7", but "4.20" and "4.3" are left to the dates (xAI released
Grok 4.20 first), and without dates such a model is weighed against nothing rather than a
guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from aiprogress.core.types import ModelInfo
from aiprogress.core.vendors import VENDORS

_VERSION = re.compile(r"(?<![\d.])\d+(?:\.\d+)*(?![\d.]*\s?[bBmMkK]\b)(?![\d.])")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_SEPARATORS = re.compile(r"[\s_-]+")
_WORDS = re.compile(r"[a-z]+")
# Words of a display name (parentheses included) that make a model a variant of its line rather
# than the line's release: a smaller or larger tier, another modality, a mode of running it.
_VARIANT_WORDS = frozenset(
    {
        "mini", "nano", "lite", "flash", "pro", "max", "ultra",
        "deep", "research", "image", "audio", "realtime", "search", "vision",
        "codex", "chat", "fast", "thinking", "reasoning", "high", "low", "base", "custom",
    }
)  # fmt: skip
# A date stamp in a model id (`gpt-4-1106-preview`, `mistral-large-2411`): a dated snapshot.
_STAMP = re.compile(r"\d{4}")
# Words that make a model an early, unfinished release of a name: "Gemini 3.1 Flash Lite
# Preview", "gemini-2.5-pro-exp-03-25", "Grok 3 Mini Beta", "GPT-4.5 (preview)".
_PREVIEW_WORDS = frozenset({"preview", "exp", "experimental", "beta", "alpha"})
# What a name may carry besides the model's own name: the preview words, "latest" (a moving
# alias) and any token of digits only, two or more of them (a date stamp: "0613", "2411",
# "09-2025", "(2024-11-20)"); a version always has a dot or is one digit ("4.1", "3").
_NOT_THE_NAME = _PREVIEW_WORDS | {"latest"}
_TOKENS = re.compile(r"[^\s_()/:-]+")
# A full date in an id: OpenRouter's `canonical_slug` "x-ai/grok-4.20-20260309",
# "gpt-4.1-2025-04-14".
_FULL_DATE = re.compile(r"(?<!\d)(20\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def variant(model: ModelInfo) -> frozenset[str]:
    """What sets a model apart from its line's plain release: the variant words of its display
    name ("o4 Mini Deep Research" is {mini, deep, research}), and "snapshot" for a dated one."""
    words = frozenset(_WORDS.findall(model.display_name.lower())) & _VARIANT_WORDS
    dated = _STAMP.search(model.canonical_id.rsplit("/", 1)[-1]) is not None
    return words | {"snapshot"} if dated else words


def is_preview(model: ModelInfo) -> bool:
    """Whether the model is a preview, experimental, beta or alpha release, by its display name
    or its id ("GPT-4.5 (preview)", "google/gemini-2.5-pro-exp-03-25")."""
    text = f"{model.display_name} {model.canonical_id.rsplit('/', 1)[-1]}".lower()
    return not _PREVIEW_WORDS.isdisjoint(_WORDS.findall(text))


# A version's trailing ".0" parts: "Claude v2" and "Claude v2.0" are one version of one model
# (OpenRouter lists both), which must not be weighed against itself.
_ZERO_MINOR = re.compile(r"(?<=\d)(?:\.0)+$")


def _bare_names(model: ModelInfo) -> frozenset[str]:
    """The model's name without what marks a preview, a dated snapshot or a moving alias, from
    its display name and from its id: "Gemini 3.1 Flash Lite Preview" and
    "gemini-3.1-flash-lite-preview" are both "gemini 3.1 flash lite"; "Claude v2.0" and
    "Claude v2" are both "claude v2"."""
    names = set()
    for text in (model.display_name, model.canonical_id.rsplit("/", 1)[-1]):
        tokens = [
            _ZERO_MINOR.sub("", token)
            for token in _TOKENS.findall(text.lower())
            if token not in _NOT_THE_NAME and not (token.isdigit() and len(token) >= 2)
        ]
        names.add(" ".join(tokens))
    return frozenset(names)


def same_model(one: ModelInfo, other: ModelInfo) -> bool:
    """Whether two entries are one model at two moments: its preview, experimental or beta
    release, a dated snapshot of it, or a moving alias to it ("Gemini 3.1 Flash Lite" and
    "Gemini 3.1 Flash Lite Preview", "Mistral Large 2407" and "Mistral Large 2411")."""
    return not _bare_names(one).isdisjoint(_bare_names(other))


def may_precede(earlier: ModelInfo, later: ModelInfo) -> bool:
    """Whether `earlier` may be weighed as the one before `later`, whatever the dates: never the
    same model earlier (its preview is the same model, not its predecessor), and never a preview
    before a model that is not one, for a preview line may end unfinished: GPT-4.5 (preview)
    came out between GPT-4o and GPT-4.1, and GPT-4.1 is weighed against GPT-4o, whose scores
    its announcement reports (https://openai.com/index/gpt-4-1/, the link LLM Stats records
    for GPT-4.1 and for those scores)."""
    return not same_model(earlier, later) and (is_preview(later) or not is_preview(earlier))


def _is_release(model: ModelInfo) -> bool:
    """A model a lineage may hold: not a variant of an endpoint (":free") nor a moving alias
    ("~google/gemini-flash-latest" is whichever release Google points it at, and so is
    "openai/gpt-chat-latest")."""
    return (
        ":" not in model.canonical_id
        and not model.canonical_id.startswith("~")
        and not model.canonical_id.endswith("latest")
    )


def _curated(model: ModelInfo) -> bool:
    """Whether the model's release date (and family) are the curated file's own."""
    return model.release_date is not None and not model.release_source


def known_date(model: ModelInfo) -> date | None:
    """The date a model is ordered by: its release date; where the data give none, the earliest
    full date in its ids, a snapshot's date (OpenRouter's `canonical_slug`
    "x-ai/grok-4.20-20260309"; models.dev dates the same model "grok-4.20-0309" 9 March 2026).
    A snapshot may be later than the line's first release, so this orders models and is never
    shown as a release date."""
    if model.release_date is not None:
        return model.release_date
    stamps = []
    for text in (model.canonical_id, *model.aliases):
        for year, month, day in _FULL_DATE.findall(text):
            try:
                stamps.append(date(int(year), int(month), int(day)))
            except ValueError:
                continue
    return min(stamps, default=None)


def dated_order(earlier: ModelInfo, later: ModelInfo) -> bool | None:
    """Whether `earlier` came out strictly before `later` by their dates (`known_date`); None
    where either has none."""
    mine, theirs = known_date(earlier), known_date(later)
    if mine is None or theirs is None:
        return None
    return mine < theirs


def is_older(earlier: ModelInfo, later: ModelInfo) -> bool:
    """Whether `earlier` may be the one before `later` by date: released strictly before it
    where both dates are known; undecided (True) where either is missing, so the caller's
    version order decides."""
    return dated_order(earlier, later) is not False


def _version_order(lower: str, higher: str) -> bool | None:
    """Whether version `lower` comes before version `higher` by the name alone: True or False
    where reading the parts after the first dot as whole numbers ("4.20" after "4.3") and as
    decimals ("4.20" before "4.3") do not disagree ("2" before "2.0" as whole numbers), None
    where they do (or the versions are one).
    xAI released Grok 4.20 (9 March 2026) before Grok 4.3 (17 April 2026, both models.dev), so
    neither reading is safe alone: such versions are ordered by dates or not at all."""

    def whole(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split("."))

    def decimal(version: str) -> tuple[int, str, tuple[int, ...]]:
        # Digits after a point compare as text once trailing zeros go: "2" < "25" < "3".
        major, *rest = version.split(".")
        fraction = rest[0].rstrip("0") if rest else ""
        return int(major), fraction, tuple(int(part) for part in rest[1:])

    if whole(lower) == whole(higher):
        return None
    by_whole = whole(lower) < whole(higher)
    if decimal(lower) != decimal(higher) and (decimal(lower) < decimal(higher)) != by_whole:
        return None
    return by_whole


def _family_key(model: ModelInfo) -> tuple[str, str, frozenset[str], str] | None:
    """(vendor, name with the version taken out, variant, version) of a plain release; None for
    an alias or a name without exactly one version. "o1-mini" and "o3 Mini" share a name.
    "2" and "2.0" stay two versions: the data keep Claude 2's scores under "Claude v2.0", so
    Claude 2.1 is weighed against that one."""
    if not _is_release(model):
        return None
    name = _PARENTHESES.sub("", model.display_name).strip()
    versions = _VERSION.findall(name)
    if len(versions) != 1:
        return None
    words = _SEPARATORS.sub(" ", _VERSION.sub("{v}", name).lower()).split()
    # Where a version stands in the name is no part of it: Anthropic's "Claude 3.7 Sonnet" and
    # "Claude Sonnet 4" are one line, as are "Claude 3.5 Haiku" and "Claude Haiku 4.5".
    skeleton = " ".join([*(word for word in words if word != "{v}"), "{v}"])
    if "{v}" not in words:
        skeleton = " ".join(words)  # a version inside a word ("gpt-4o mini": "gpt {v}o mini")
    return vendor_of(model), skeleton, variant(model), versions[0]


class Lineage:
    """Which model came before which: curated predecessors first, then a family's release
    dates, then the names' versions; always an older model of the same variant, never the same
    model earlier nor a preview before a finished model (see the module's docstring)."""

    def __init__(self, models: Iterable[ModelInfo]) -> None:
        self.models = {model.canonical_id: model for model in models}
        # Each model's date and bare names, worked out once (`known_date`, `same_model`).
        self._dates = {key: known_date(model) for key, model in self.models.items()}
        self._names = {key: _bare_names(model) for key, model in self.models.items()}
        families: dict[tuple[str, str, frozenset[str]], list[tuple[str, str]]] = defaultdict(list)
        for model in self.models.values():
            key = _family_key(model)
            if key is not None:
                families[key[:3]].append((key[3], model.canonical_id))
        self._previous: dict[str, str] = {}
        for releases in families.values():
            self._by_versions(releases)
        # A family with release dates orders its models by date, across name patterns ("Gemini
        # 1.5 Pro" before "Gemini 2.0 Flash"), and goes before the names: the latest model
        # released before this one and of its variant, any model of a curated family (the
        # curated file's own dates) in it. Unless the names found a later one that the family
        # lacks ("Grok 4.20", whose only date is its id's, before "Grok 4.3", not "Grok 3").
        dated: dict[tuple[str, str], list[ModelInfo]] = defaultdict(list)
        for model in self.models.values():
            if model.family and model.release_date is not None and _is_release(model):
                dated[(model.vendor.lower(), model.family.lower())].append(model)
        for members in dated.values():
            members.sort(key=lambda m: (m.release_date or date.min, m.canonical_id))
            for index, later in enumerate(members):
                earlier = next(
                    (
                        m
                        for m in reversed(members[:index])
                        if self._dated(m, later) is not False
                        and self._may_precede(m, later)
                        and ((_curated(m) and _curated(later)) or variant(m) == variant(later))
                    ),
                    None,
                )
                if earlier is None:
                    continue
                named = self.models.get(self._previous.get(later.canonical_id, ""))
                curated = _curated(earlier) and _curated(later)
                if named is None or curated or self._dated(earlier, named) is not True:
                    self._previous[later.canonical_id] = earlier.canonical_id

    def _by_versions(self, releases: Sequence[tuple[str, str]]) -> None:
        """The one before each model of a name (one vendor, name and variant) by its version:
        a lower version, released before it where both dates are known; a version the name
        cannot order (`_version_order`) only where the dates do. The nearest of those, and
        none where a version that cannot be ordered may fall between."""
        # A dated copy of a name has the same version; the shortest id speaks for a version.
        speaker: dict[str, ModelInfo] = {}
        for version, model_id in sorted(releases, key=lambda r: (len(r[1]), r[1])):
            speaker.setdefault(version, self.models[model_id])

        names: dict[tuple[str, str], bool | None] = {}

        def before(one: tuple[str, ModelInfo], other: tuple[str, ModelInfo]) -> bool | None:
            pair = (one[0], other[0])
            if pair not in names:
                names[pair] = _version_order(*pair)
            by_name, by_date = names[pair], self._dated(one[1], other[1])
            if by_name is None or by_date is None:
                return by_date if by_name is None else by_name
            return by_name and by_date

        for version, model_id in releases:
            mine = (version, self.models[model_id])
            others = [(v, m) for v, m in speaker.items() if v != version]
            if any(before(other, mine) is None for other in others):
                continue  # a version that may fall anywhere: weigh against nothing
            lower = [o for o in others if before(o, mine) and self._may_precede(o[1], mine[1])]
            nearest = [o for o in lower if not any(before(o, p) for p in lower if p is not o)]
            if len(nearest) == 1:
                self._previous[model_id] = nearest[0][1].canonical_id

    def _dated(self, earlier: ModelInfo, later: ModelInfo) -> bool | None:
        """`dated_order` on the dates worked out once."""
        mine, theirs = self._dates[earlier.canonical_id], self._dates[later.canonical_id]
        return None if mine is None or theirs is None else mine < theirs

    def _may_precede(self, earlier: ModelInfo, later: ModelInfo) -> bool:
        """`may_precede` on the names worked out once."""
        names, others = self._names[earlier.canonical_id], self._names[later.canonical_id]
        return names.isdisjoint(others) and (is_preview(later) or not is_preview(earlier))

    def before(self, model_id: str) -> ModelInfo | None:
        model = self.models.get(model_id)
        if model is None:
            return None
        if model.predecessor and model.predecessor in self.models:
            curated = self.models[model.predecessor]
            return curated if is_older(curated, model) else None
        previous = self._previous.get(model_id)
        return self.models.get(previous) if previous else None


# Every spelling of a known maker (id prefix, name, alias) -> its one id: the curated file and
# models.dev write `xai/grok-3`, OpenRouter `x-ai/grok-4`; both are xAI's.
_MAKERS = {spelling: vendor.id for vendor in VENDORS for spelling in vendor.spellings}


def vendor_of(model: ModelInfo) -> str:
    """The vendor as the id names it ("meta-llama/…"; registry models from a listing carry no
    vendor field), one id per known maker however the id spells it ("xai/grok-3" and
    "x-ai/grok-4" are both "xai"), so Grok 4 is weighed against Grok 3."""
    prefix = (
        model.canonical_id.split("/", 1)[0] if "/" in model.canonical_id else model.vendor
    ).lower()
    return _MAKERS.get(prefix, prefix)
