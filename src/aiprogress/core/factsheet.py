"""What a digest is written from (the fact sheet) and what a writer returns (the document).

The fact sheet holds every fact a digest may state: stories with their sources and links, the
figures found in the sources' own text (with the span they were read from) and the knowledge
base's model-against-predecessor lines. Writers turn it into a `DigestDocument`, a structure the
renderers turn into Telegram HTML, Discord markdown or plain text; no writer emits markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from aiprogress.core.types import Language, Period, TrustTier


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as a source wrote it. `value` carries the sign and the multiplier ("1.5M" is
    1,500,000); `unit` is one of the checker's unit classes ("%", "$", "×", "pp", "")."""

    text: str
    value: float
    unit: str
    source_url: str
    # Offsets of `text` in the story's `title + "\n" + summary` (or in the KB line it came from).
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class StorySource:
    """One outlet's report of a story: the outlet's name, the item's link, and the outlet's own
    address (its feed), so that a digest names each outlet once."""

    name: str
    url: str
    trust_tier: TrustTier
    published_at: datetime | None = None
    outlet_url: str = ""


@dataclass(frozen=True, slots=True)
class ModelLine:
    """One knowledge-base comparison: a model against its predecessor on one metric, with the
    figures already computed so that no writer does arithmetic."""

    model: str
    other: str
    metric: str
    value: float
    other_value: float
    unit: str
    delta: float
    ratio: float | None
    source_name: str
    source_url: str
    # Where `other_value` came from, when not from the same source as `value`.
    other_source_name: str = ""
    other_source_url: str = ""
    # The snapshot both values are of, when it is later than the story's day (no snapshot that
    # old has them): the line says the date ("prices of May 2025"). None: known on the day.
    postdated: date | None = None
    # The margin of error (95%, in the line's unit: `core.benchmarks.noise_margin`) the
    # difference is within, where it is: the two are on par on this benchmark, and the line
    # says so rather than a gain or a loss (Gemini 2.0 Pro's +1.52 over 2.0 Flash on GPQA
    # Diamond, ±9.4). None: the difference is clear of it, or the margin is not known.
    margin: float | None = None

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """(name, url) of the sources of both values, once each."""
        pairs = [(self.source_name, self.source_url)]
        if self.other_source_name:
            pairs.append((self.other_source_name, self.other_source_url))
        return tuple(dict.fromkeys(pairs))


class WeighedAgainst(StrEnum):
    """What the other model of a weighing is to the model: the one before it (curated
    predecessor or the family's previous release), or a model the same story names beside it
    (a sibling announced with it, as Gemini 2.0 Pro with 2.0 Flash; the rival it was launched
    against, as DeepSeek-R1 with o1)."""

    PREDECESSOR = "predecessor"
    NAMED = "named"


@dataclass(frozen=True, slots=True)
class Weighing:
    """A model against its predecessor (or its family's previous release, or a model its story
    names beside it) as the seed post weighs it, in one line: the change on the best headline
    benchmark both have, and what it costs as a multiple of the input price ("+19.5 points on
    GPQA Diamond for 30× the input price"). Either part may be missing; a weighing has at least
    one."""

    model: str
    other: str
    benchmark: ModelLine | None = None
    price: ModelLine | None = None
    against: WeighedAgainst = WeighedAgainst.PREDECESSOR

    @property
    def lines(self) -> tuple[ModelLine, ...]:
        return tuple(line for line in (self.benchmark, self.price) if line is not None)


@dataclass(frozen=True, slots=True)
class Story:
    """One story, possibly reported by several sources (clustered)."""

    key: str
    title: str
    summary: str
    sources: tuple[StorySource, ...]
    item_ids: tuple[int, ...]
    models: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    # The story's model first; a story that names two models may weigh both ("Gemini 2.0 Pro
    # against 2.0 Flash", then "2.0 Flash against 1.5 Pro", as the seed post does).
    weighings: tuple[Weighing, ...] = ()
    score: float = 0.0

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(source.url for source in self.sources)

    @property
    def weighing(self) -> Weighing | None:
        """The story's own model weighed (the first weighing), if any."""
        return self.weighings[0] if self.weighings else None

    @property
    def model_lines(self) -> tuple[ModelLine, ...]:
        return tuple(line for weighing in self.weighings for line in weighing.lines)


class ConclusionKind(StrEnum):
    """The takeaways ("What we see") a digest can compute from the knowledge base."""

    COMPETITION = "competition"  # the gap between the two leading vendors, now and before
    CADENCE = "cadence"  # new models from tracked vendors, this period and the previous one
    PRICE_OF_CAPABILITY = "price_of_capability"  # the cheapest model above a score, now/before
    RETURNS_ON_PRICE = "returns_on_price"  # what this period's launches gained per price ×


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number a conclusion states. `unit` is a checker unit class: "pp", "%", "$", "×" or
    "" (a count, an Elo score)."""

    name: str
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class FactSource:
    name: str
    url: str
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class Conclusion:
    """One computed takeaway with every number it rests on and where each came from. Writers
    word it (the built-in writer from the message catalogue); none of them computes.
    `models` pairs a role ("leader", "cheapest_now" …) with a model's display name; `dates`
    the dates it compares (the period's start, a quarter before)."""

    kind: ConclusionKind
    metric: str
    quantities: tuple[Quantity, ...]
    models: tuple[tuple[str, str], ...]
    sources: tuple[FactSource, ...]
    dates: tuple[tuple[str, date], ...] = ()

    def value(self, name: str) -> float:
        return next(q.value for q in self.quantities if q.name == name)

    def model(self, role: str) -> str:
        return next(model for key, model in self.models if key == role)

    def day(self, name: str) -> date:
        return next(day for key, day in self.dates if key == name)


@dataclass(frozen=True, slots=True)
class FactSheet:
    period: Period
    window_start: datetime
    window_end: datetime
    stories: tuple[Story, ...]
    # Sentences taken out of feed text because they read as instructions to a model.
    quarantined: tuple[str, ...] = ()
    # What the knowledge base says about the period as a whole ("What we see").
    conclusions: tuple[Conclusion, ...] = ()

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(figure for story in self.stories for figure in story.figures)

    @property
    def models(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for story in self.stories:
            names.update(dict.fromkeys(story.models))
            for line in story.model_lines:
                names.update(dict.fromkeys((line.model, line.other)))
        for conclusion in self.conclusions:
            names.update(dict.fromkeys(model for _, model in conclusion.models))
        return tuple(names)

    @property
    def item_ids(self) -> tuple[int, ...]:
        return tuple(item_id for story in self.stories for item_id in story.item_ids)

    def story(self, key: str) -> Story | None:
        return next((story for story in self.stories if story.key == key), None)


@dataclass(frozen=True, slots=True)
class DocumentStory:
    """A story as the digest tells it: one or two sentences and the links they rest on."""

    story: str
    text: str
    links: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Point:
    """A named point: a cause (▪️) or a takeaway (●)."""

    lead: str
    text: str


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """An outlet (its address and the links of its items in this digest) or a knowledge-base
    source the digest's numbers come from (`links` empty)."""

    name: str
    url: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestDocument:
    """The seed post's structure: question title, weighed thesis, 🔘 lines, ▪️ causes, outlook,
    "What we see" ●, sign-off, and the sources (always filled from the fact sheet)."""

    language: Language
    title: str
    thesis: str
    stories: tuple[DocumentStory, ...]
    causes: tuple[Point, ...] = ()
    outlook: str = ""
    takeaways: tuple[Point, ...] = ()
    sources: tuple[DocumentSource, ...] = ()
    signoff: str = ""
    # Stories told by title and link only, after the written ones: the LLM writes the top
    # stories, so its cost does not grow with the day's volume, and every story is still there.
    more: tuple[DocumentStory, ...] = ()

    def texts(self) -> tuple[str, ...]:
        """Every piece of prose a reader sees, for the checker."""
        parts = [self.title, self.thesis, self.outlook]
        parts += [story.text for story in self.stories]
        for point in (*self.causes, *self.takeaways):
            parts += [point.lead, point.text]
        return tuple(part for part in parts if part)


class Verdict(StrEnum):
    PASSED = "passed"  # the LLM's draft passed the checker (first or second try)
    REJECTED = "rejected"  # the LLM's drafts failed twice: the built-in writer's text is used
    LLM_FAILED = "llm_failed"  # the LLM did not answer usably: the built-in writer's text is used
    BUDGET = "budget"  # the daily token budget is spent: the built-in writer's text is used
    BUILTIN = "builtin"  # no LLM is configured


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None and other.cost_usd is None
            else (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        )
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            cost,
        )


@dataclass(frozen=True, slots=True)
class WrittenDigest:
    """What a writer returns for one fact sheet: both languages, and how they were made."""

    documents: dict[Language, DigestDocument]
    writer: str
    verdict: Verdict
    model: str = ""
    prompt_version: str = ""
    usage: Usage = field(default_factory=Usage)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LlmCall:
    """One request to the LLM as the ledger records it (a cache hit costs nothing)."""

    at: datetime
    model: str
    purpose: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None = None
    cached: bool = False
