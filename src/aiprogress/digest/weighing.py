"""A model weighed against the one before it, as the seed post weighs GPT-4.5 against GPT-4o:
the change on the best headline benchmark both have, for a multiple of the input price.

A story that names two known models weighs them against each other on a benchmark both have, the
newer against the older where both dates are known, else in the order the story names
them: the seed post weighs Gemini 2.0 Pro against Gemini 2.0 Flash, announced with it, and a
launch weighs against the rival it names ("DeepSeek-R1 ... on par with OpenAI o1"). When the
second model is the first's same-vendor sibling rather than its predecessor or a rival, it is
news too and is weighed against the one before it, as the seed goes on to weigh Gemini 2.0 Flash
against Gemini 1.5 Pro.

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
release, a dated snapshot of it or an alias to it (`same_model`). A preview precedes only
previews: GPT-4.1 is weighed against GPT-4o, as OpenAI presented it, not against GPT-4.5
(preview), released between them and retired for GPT-4.1 (`may_precede`). Where the data give a
model no release date, the earliest full date in its ids orders it (`known_date`: OpenRouter's
"x-ai/grok-4.20-20260309"). Versions order only where reading them as whole numbers and as
decimals agree: "4.6" before "4.7", but "4.20" and "4.3" are left to the dates (xAI released
Grok 4.20 first), and without dates such a model is weighed against nothing rather than a
guess.

The benchmark numbers are `/compare`'s (one source and setting per row, by its trust order), so a
digest and `/compare` say the same.

Prices change, so a line's prices are those known on the story's day (`price_at`, the rule the
conclusions use too): each model's price from a source is the one of its latest snapshot at or
before the day, or where none is that old, of the earliest after it, and then the line says
the date. The choice is the model's own, not the pair's, so one model never shows two prices
from one source on one day. Both prices of a multiple come from one source and one snapshot;
the most trusted source whose prices are known on the day speaks, else the most trusted whose
later prices are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from aiprogress.core.comparison import FactRef, MetricComparison, MetricKind
from aiprogress.core.factsheet import ModelLine, WeighedAgainst, Weighing
from aiprogress.core.types import Metric, ModelFact, ModelInfo
from aiprogress.digest.compare import (
    compare_models,
    headline,
    headline_rank,
    source_rank,
    telling,
    without_shadowed_copies,
)

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

FactsByModel = Mapping[str, Sequence[ModelFact]]


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


def _bare_names(model: ModelInfo) -> frozenset[str]:
    """The model's name without what marks a preview, a dated snapshot or a moving alias, from
    its display name and from its id: "Gemini 3.1 Flash Lite Preview" and
    "gemini-3.1-flash-lite-preview" are both "gemini 3.1 flash lite"."""
    names = set()
    for text in (model.display_name, model.canonical_id.rsplit("/", 1)[-1]):
        tokens = [
            token
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
    skeleton = _SEPARATORS.sub(" ", _VERSION.sub("{v}", name).lower())
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


# --- prices as known at a moment --------------------------------------------------------------


def input_prices(facts: Iterable[ModelFact]) -> dict[str, list[ModelFact]]:
    """Each model's input prices that can be weighed, oldest first: list prices in USD above
    zero (a free endpoint has no multiple), the default offer (no setting), no copy whose
    original is here. On one date the most trusted source comes last, so it is the newest."""
    usable = [
        fact
        for fact in without_shadowed_copies(list(facts))
        if fact.metric == Metric.PRICE_INPUT
        and not fact.setting
        and fact.unit.upper().startswith("USD")
        and fact.value > 0
    ]
    by_trust = sorted(
        usable, key=lambda f: source_rank(f.source_name, MetricKind.PRICE), reverse=True
    )
    prices: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in sorted(by_trust, key=lambda f: f.as_of):
        prices[fact.model_id].append(fact)
    return prices


def price_at(
    prices: Sequence[ModelFact], moment: date, *, or_later: bool = False
) -> ModelFact | None:
    """The price as known on `moment`, from one model's prices oldest first: the newest
    published on or before it, never one published since. With `or_later`, where none is that
    old, the earliest published after it (the caller says its date)."""
    known = [fact for fact in prices if fact.as_of <= moment]
    if known:
        return known[-1]
    return prices[0] if or_later and prices else None


def _price_source(name: str) -> str:
    """The source a price snapshot belongs to: each LiteLLM release is a snapshot of LiteLLM's
    table (the trust order ranks its releases by version), any other source is its name."""
    return "LiteLLM" if source_rank(name, MetricKind.PRICE)[1] else name


def _line_between(
    model: ModelInfo,
    other: ModelInfo,
    metric: str,
    mine: ModelFact | FactRef,
    theirs: ModelFact | FactRef,
    *,
    postdated: date | None = None,
) -> ModelLine:
    """`model`'s value `mine` against `other`'s `theirs` on one metric: the difference, the
    ratio (None against a zero), and `theirs`'s source where it is not `mine`'s."""
    same = theirs.source_name == mine.source_name
    return ModelLine(
        model=model.display_name,
        other=other.display_name,
        metric=metric,
        value=mine.value,
        other_value=theirs.value,
        unit=mine.unit,
        delta=round(mine.value - theirs.value, 2),
        ratio=round(mine.value / theirs.value, 2) if theirs.value else None,
        source_name=mine.source_name,
        source_url=mine.source_url,
        other_source_name="" if same else theirs.source_name,
        other_source_url="" if same else theirs.source_url,
        postdated=postdated,
    )


def price_line(
    model: ModelInfo, other: ModelInfo, prices: Mapping[str, Sequence[ModelFact]], day: date
) -> ModelLine | None:
    """`model`'s input price against `other`'s as known on `day`, both from one source and one
    snapshot: each model's price from a source is chosen by `price_at` on its own (so a model
    has one price per source and day, whatever it is weighed against), and a source speaks only
    where the two chosen prices are of one snapshot. Sources whose prices are known on the day
    come first, then by the trust order; None when no source prices both."""
    by_source: dict[str, list[list[ModelFact]]] = defaultdict(lambda: [[], []])
    for side, model_id in enumerate((model.canonical_id, other.canonical_id)):
        for fact in prices.get(model_id, ()):
            by_source[_price_source(fact.source_name)][side].append(fact)
    pairs: list[tuple[ModelFact, ModelFact]] = []
    for mine_all, theirs_all in by_source.values():
        mine = price_at(mine_all, day, or_later=True)
        theirs = price_at(theirs_all, day, or_later=True)
        if mine is None or theirs is None:
            continue
        if (mine.source_name, mine.as_of) == (theirs.source_name, theirs.as_of):
            pairs.append((mine, theirs))
    if not pairs:
        return None
    mine, theirs = min(
        pairs,
        key=lambda pair: (pair[0].as_of > day, source_rank(pair[0].source_name, MetricKind.PRICE)),
    )
    postdated = mine.as_of if mine.as_of > day else None
    return _line_between(model, other, Metric.PRICE_INPUT, mine, theirs, postdated=postdated)


# --- weighing --------------------------------------------------------------------------------


def _line(model: ModelInfo, other: ModelInfo, row: MetricComparison) -> ModelLine | None:
    mine, theirs = row.values
    if mine is None or theirs is None or mine.unit != theirs.unit:
        return None
    return _line_between(model, other, row.metric, mine, theirs)


def weigh(
    model: ModelInfo,
    other: ModelInfo,
    facts: FactsByModel,
    against: WeighedAgainst = WeighedAgainst.PREDECESSOR,
    *,
    day: date = date.max,
) -> Weighing | None:
    """`model` against `other` on `day` (by default, on the newest data): on a benchmark as
    `/compare` weighs them (one source per row, by the comparison's trust order), its headline
    benchmark, else the best-known benchmark both have from one source in another unit (Arena
    Elo), never one where a score is near its chance level; and on the input price as known on
    `day` (`price_line`)."""
    both = [*facts.get(model.canonical_id, ()), *facts.get(other.canonical_id, ())]
    comparison = compare_models([model, other], both)
    top = headline(comparison)
    rows = sorted(
        (row for row in comparison.of_kind(MetricKind.BENCHMARK) if telling(row)),
        key=lambda row: (headline_rank(row.metric), row.metric),
    )
    row = comparison.metric(top.metric) if top is not None else (rows[0] if rows else None)
    benchmark = _line(model, other, row) if row is not None else None
    price = price_line(model, other, input_prices(both), day)
    if benchmark is None and price is None:
        return None
    return Weighing(model.display_name, other.display_name, benchmark, price, against)


def weigh_first(
    model_ids: Sequence[str], lineage: Lineage, facts: FactsByModel, *, day: date = date.max
) -> Weighing | None:
    """The first of `model_ids` (in the order a story names them) that can be weighed."""
    for model_id in model_ids:
        model = lineage.models.get(model_id)
        other = lineage.before(model_id)
        if model is None or other is None:
            continue
        weighing = weigh(model, other, facts, day=day)
        if weighing is not None:
            return weighing
    return None


def vendor_of(model: ModelInfo) -> str:
    """The vendor as the id names it ("meta-llama/…"): registry models from a listing carry no
    vendor field."""
    return (
        model.canonical_id.split("/", 1)[0] if "/" in model.canonical_id else model.vendor
    ).lower()


def weigh_story(
    model_ids: Sequence[str], lineage: Lineage, facts: FactsByModel, *, day: date = date.max
) -> tuple[Weighing, ...]:
    """A story's weighings, from the known models it names (in the order it names them): the
    first two against each other (the newer first where both dates are known, `known_date`), and the
    second against the one before it when it is the first's same-vendor sibling; a story naming
    one model (or two that share no figure) weighs the first that can be against the one before
    it. Prices are those known on `day`, the story's. A model named twice, as itself and as its
    preview or a snapshot of it, counts once (as first named)."""
    named: list[ModelInfo] = []
    for model_id in dict.fromkeys(model_ids):
        model = lineage.models.get(model_id)
        # A story that names a model and its preview (or a dated snapshot) names one model.
        if model is not None and not any(same_model(model, seen) for seen in named):
            named.append(model)
    if len(named) >= 2:
        model, other = named[0], named[1]
        if dated_order(model, other):
            model, other = other, model
        before = lineage.before(model.canonical_id)
        is_predecessor = before is not None and before.canonical_id == other.canonical_id
        against = WeighedAgainst.PREDECESSOR if is_predecessor else WeighedAgainst.NAMED
        pair = weigh(model, other, facts, against, day=day)
        # Two models named together are weighed on what they can do: a price alone says little
        # of a sibling or a rival (Phi-4-mini against Phi-4-multimodal), so without a shared
        # benchmark the story's model is weighed against the one before it instead.
        if pair is not None and (pair.benchmark is not None or is_predecessor):
            weighings = [pair]
            if not is_predecessor and vendor_of(model) == vendor_of(other):
                previous = lineage.before(other.canonical_id)
                if previous is not None and previous.canonical_id != model.canonical_id:
                    sibling = weigh(other, previous, facts, day=day)
                    if sibling is not None:
                        weighings.append(sibling)
            return tuple(weighings)
    first = weigh_first([m.canonical_id for m in named], lineage, facts, day=day)
    return (first,) if first is not None else ()
