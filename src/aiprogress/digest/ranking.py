"""A story's weight: what it means for AI progress, then who says it and how widely.

    weight = KIND_WEIGHT[kind] + TIER_BONUS[best tier] + COVERAGE_BONUS × (outlets − 1, at most 3)
             + the knowledge base's events about the story's models (EVENT_WEIGHT each)

The kind comes first: a model release, a benchmark result or a price change (4) before research
(3), before products and partnerships (2), before people (1: hires, appointments). An official
source adds 1 (a lab's own launch), a paper or the press 0.5; each further outlet adds 1; a new
model, a new best score (2 each) or a price change (1) in the knowledge base adds its weight. So
without any tiers or events a model launch (4) still outranks a partnership (2) and a hire (1),
and wide coverage or a knowledge-base event can lift a story past its kind.

The kind is read from the story's titles, first match wins: people, then partnerships and
business (deals, funding, offices), then benchmarks and prices, then a versioned model name or a
model the registry knows (a release), then research (a paper source or research words), else a
product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from aiprogress.core.types import EventKind, TrustTier


class StoryKind(StrEnum):
    MODEL = "model"
    BENCHMARK = "benchmark"
    PRICE = "price"
    RESEARCH = "research"
    PRODUCT = "product"
    PARTNERSHIP = "partnership"
    PEOPLE = "people"


KIND_WEIGHT = {
    StoryKind.MODEL: 4.0,
    StoryKind.BENCHMARK: 4.0,
    StoryKind.PRICE: 4.0,
    StoryKind.RESEARCH: 3.0,
    StoryKind.PRODUCT: 2.0,
    StoryKind.PARTNERSHIP: 2.0,
    StoryKind.PEOPLE: 1.0,
}
TIER_BONUS = {
    TrustTier.OFFICIAL: 1.0,
    TrustTier.PAPER: 0.5,
    TrustTier.PRESS: 0.5,
    TrustTier.COMMUNITY: 0.0,
}
COVERAGE_BONUS = 1.0
MAX_EXTRA_OUTLETS = 3
EVENT_WEIGHT = {EventKind.NEW_MODEL: 2.0, EventKind.NEW_BEST: 2.0, EventKind.PRICE_CHANGE: 1.0}

_PEOPLE = re.compile(
    r"\b(?:appoint(?:s|ed|ment)?|joins?|to\s+join|hires?|hired|names\s+\w+|steps\s+down|"
    r"resigns?|departs?|chief\s+\w+(?:\s+\w+)?\s+officer|ceo|cto|cfo|coo|board\s+of\s+directors|"
    r"head\s+of|managing\s+director|general\s+manager|representative\s+director)\b",
    re.IGNORECASE,
)
_PARTNERSHIP = re.compile(
    r"\b(?:partner(?:s|ship|ships|ing)?|collaborat\w*|alliance|teams?\s+up|acquires?|"
    r"acquisition|raises?|funding|invests?|investment|deal|mou|memorandum|agreement|"
    r"series\s+[a-k]|valuation|opens\s+\w*\s*office|office)\b",
    re.IGNORECASE,
)
_BENCHMARK = re.compile(
    r"\b(?:(?!workbench)\w*bench(?:mark)?s?|benchmarking|leaderboard|state[\s-]of[\s-]the[\s-]art|sota|"
    r"scores?|evals?)\b",
    re.IGNORECASE,
)
# A model's price, not electricity's or energy's ("Covering electricity price increases from our
# data centers" ranked with the month's model launches).
_PRICE = re.compile(
    r"\b(?<!electricity\s)(?<!energy\s)(?<!power\s)"
    r"(?:prices?|pricing|cheaper|price\s+cut|per\s+million\s+tokens|cost-efficient)\b",
    re.IGNORECASE,
)
_RESEARCH = re.compile(
    r"\b(?:research|study|paper|findings|we\s+find|evaluating|measuring|understanding|"
    r"towards?|interpretab\w*|alignment|scaling\s+laws?)\b",
    re.IGNORECASE,
)


def story_kind(
    titles: Sequence[str],
    *,
    names_versioned_model: bool,
    names_known_model: bool,
    tiers: Iterable[TrustTier],
    events: Iterable[EventKind] = (),
) -> StoryKind:
    """What kind of news the story is, from its titles (see the module's rule)."""
    text = "\n".join(titles)
    event_kinds = set(events)
    if _PEOPLE.search(text):
        return StoryKind.PEOPLE
    if _PARTNERSHIP.search(text):
        return StoryKind.PARTNERSHIP
    if _PRICE.search(text) or EventKind.PRICE_CHANGE in event_kinds:
        return StoryKind.PRICE
    if _BENCHMARK.search(text):
        return StoryKind.BENCHMARK
    if names_versioned_model or names_known_model or EventKind.NEW_MODEL in event_kinds:
        return StoryKind.MODEL
    if EventKind.NEW_BEST in event_kinds:
        return StoryKind.BENCHMARK
    if TrustTier.PAPER in set(tiers) or _RESEARCH.search(text):
        return StoryKind.RESEARCH
    return StoryKind.PRODUCT


def weigh(
    kind: StoryKind,
    *,
    tiers: Iterable[TrustTier],
    outlets: int,
    events: Iterable[EventKind] = (),
) -> float:
    """The story's weight (see the module's rule)."""
    tier_bonus = max((TIER_BONUS[tier] for tier in tiers), default=0.0)
    coverage = COVERAGE_BONUS * min(max(outlets - 1, 0), MAX_EXTRA_OUTLETS)
    return (
        KIND_WEIGHT[kind]
        + tier_bonus
        + coverage
        + sum(EVENT_WEIGHT.get(event, 0.0) for event in events)
    )
