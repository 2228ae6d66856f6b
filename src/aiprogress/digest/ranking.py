"""A story's weight: what it means for AI progress, then who says it and how widely.

    weight = KIND_WEIGHT[kind] + TIER_BONUS[best tier] + COVERAGE_BONUS × (outlets − 1, at most 3)
             + the knowledge base's events about the story's models (EVENT_WEIGHT each)

The kind comes first: a model release, a benchmark result or a price change (4) before research
(3), before products and partnerships (2), before people (1: hires, appointments). An official
source adds 1 (a lab's own launch), a paper or the press 0.5; an item linked to a lab's own site
(`LAB_SITES`) is the lab's own post whichever feed carried it (a feed added by its URL is
"community" until an admin says otherwise, and a scraper's copy of a lab's newsroom is one), so it
counts as official (`item_tier`); each further outlet adds 1 (an outlet is a publisher, the site
its items are on: the Ollama blog's post and its model library's entry are one); a new
model, a new best score (2 each) or a price change (1) in the knowledge base adds its weight. So
without any tiers or events a model launch (4) still outranks a partnership (2) and a hire (1),
and wide coverage or a knowledge-base event can lift a story past its kind.

The kind is read from the story's titles, first match wins: people, then partnerships and
business (deals, funding, offices), then benchmarks and prices, then a versioned model name or a
model the registry knows in a title that announces it (a release; a story told only by papers
is none: "FlashPrefill V2: Block-Sparse Prefill Attention…" names a method), then research (a
paper source or research words), else a product.

A title announces a model when it says so ("Introducing", "launches", "release", "now
available", "Hello", a system card) or when it is the model's name and little else: the whole
title or the part before a colon or a dash, once the names, the vendors and words like "new"
are taken out ("Claude Opus 4.1", "Claude Fable 5 and Claude Mythos 5", "Grok 3 Beta — The Age
of Reasoning Agents", a registry's id "laguna-xs-2.1"). A later post about a model is no
release: "Redeploying Fable 5", "Improving Fable 5's biology safeguards", "Statement on the US
government directive to suspend access to Fable 5 and Mythos 5", "Claude 3.5 Sonnet on GitHub
Copilot" rank as what their other words make them.

Official means the maker speaking. A distributor (a model library, an inference host or a cloud's
model catalogue: `DISTRIBUTOR_SITES`) announcing that another maker's model "is now available" on
it tells a release at second hand: in a model story its post counts as the press's (`relayed_tier`),
so the maker's own launch of a model outranks it ("Introducing Claude Opus 5" from anthropic.com,
5, before Ollama's "NVIDIA Nemotron 3.5 Lightning … is now available on Ollama", 4.5, which
outranked it as official and newer) and leads the story where both tell one. It stays a release
story, above research and products. A distributor's post of its own model (a known model whose
vendor is the distributor) is the maker's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from aiprogress.core.types import EventKind, TrustTier
from aiprogress.digest.grouping import news_key


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
# Among stories of equal weight, which kind comes first: a release, then a result (a benchmark
# or a price), then research, then the rest; within a rank the newer story.
TIE_ORDER = {
    StoryKind.MODEL: 0,
    StoryKind.BENCHMARK: 1,
    StoryKind.PRICE: 1,
    StoryKind.RESEARCH: 2,
    StoryKind.PRODUCT: 3,
    StoryKind.PARTNERSHIP: 3,
    StoryKind.PEOPLE: 4,
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
    r"head\s+of|managing\s+director|general\s+manager|representative\s+director|"
    r"(?:is|are|we'?re|now)\s+hiring)\b",
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


# The sites where labs publish their own announcements (the host of an item's link, "www."
# aside): an item linked there is the lab's post. A site that also hosts others' work
# (huggingface.co's papers, blog.google's every product) is none.
LAB_SITES = frozenset(
    {
        "openai.com", "anthropic.com", "deepmind.google", "x.ai", "mistral.ai", "ai.meta.com",
        "qwenlm.github.io", "api-docs.deepseek.com",
    }
)  # fmt: skip


# Sites that carry other makers' models, by host ("www." aside), each with the vendor it is (a
# known model of that vendor, posted there, is the maker's own): model libraries and hubs,
# inference hosts, clouds' model catalogues. A paper's page on huggingface.co is a paper first.
DISTRIBUTOR_SITES = {
    "ollama.com": "ollama", "openrouter.ai": "openrouter", "huggingface.co": "huggingface",
    "replicate.com": "replicate", "together.ai": "together", "fireworks.ai": "fireworks",
    "groq.com": "groq", "deepinfra.com": "deepinfra", "lmstudio.ai": "lmstudio",
    "build.nvidia.com": "nvidia", "aws.amazon.com": "amazon", "azure.microsoft.com": "microsoft",
    "ai.azure.com": "microsoft", "cloud.google.com": "google",
}  # fmt: skip


# Where papers are published: a paper names its method with a version ("FlashPrefill V2: …") and
# is research, whatever its name looks like (`is_paper`).
PAPER_SITES = (
    "arxiv.org/abs/", "arxiv.org/pdf/", "huggingface.co/papers/", "openreview.net/forum",
)  # fmt: skip


def is_paper(tier: TrustTier, url: str) -> bool:
    """Whether an item is a paper: from a paper source, or linked to a paper's page."""
    link = url.split("://", 1)[-1].removeprefix("www.")
    return tier is TrustTier.PAPER or link.startswith(PAPER_SITES)


def item_tier(tier: TrustTier, url: str) -> TrustTier:
    """An item's trust tier: its source's, or official for a link to a lab's own site."""
    return TrustTier.OFFICIAL if _host(url) in LAB_SITES else tier


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def publisher(url: str, fallback: str) -> str:
    """Who published an item, for counting outlets: the site its link is on, else `fallback`
    (its source's name), so one publisher's two feeds are one outlet."""
    return _host(url) or fallback


def distributor(url: str) -> str | None:
    """The vendor a distributor's site is (`DISTRIBUTOR_SITES`), for an item linked there that
    is no paper; None for any other item."""
    host = _host(url)
    if is_paper(TrustTier.COMMUNITY, url):
        return None
    return DISTRIBUTOR_SITES.get(host)


def relayed_tier(tier: TrustTier, url: str, makers: Iterable[str]) -> TrustTier:
    """An item's tier in a model story (see the module's rule): a distributor's post of a model
    none of `makers` (the vendors of the known models the story names) is the distributor, no
    higher than the press's; any other item's own."""
    seller = distributor(url)
    if seller is None or seller in set(makers) or TIER_BONUS[tier] <= TIER_BONUS[TrustTier.PRESS]:
        return tier
    return TrustTier.PRESS


# Words that announce a model (see the module's rule).
_LAUNCH = re.compile(
    r"\b(?:introduc(?:e|es|ed|ing)|announc(?:e|es|ed|ing)|launch(?:es|ed|ing)?|"
    r"releas(?:e|es|ed|ing)|unveil(?:s|ed|ing)?|debuts?|meet|hello|say\s+hello|"
    r"(?:now|generally)\s+available|available\s+(?:now|today)|is\s+here|system\s+card)\b",
    re.IGNORECASE,
)
# Where a title's name part ends: "Claude 3 Haiku: our fastest model yet", "Grok 3 Beta — …",
# "Claude 3.7 Sonnet and Claude Code".
_NAME_PART_END = re.compile(r"\s*(?::|\s[—–-]\s|\|)\s*|\s+(?:and|&)\s+")
_TITLE_PART_END = re.compile(r"\s*(?::|\s[—–-]\s|\|)\s*")
# Words a name part may carry besides the names: vendors, brands and an early release's label
# (the grouping's stop words, its generic launch words and vendors are out of a key's words).
BRANDS = frozenset(
    {
        "openai", "anthropic", "google", "deepmind", "meta", "nvidia", "microsoft", "mistral",
        "alibaba", "claude", "xai", "moonshot", "ibm", "cohere", "amazon", "apple", "beta", "alpha",
    }
)  # fmt: skip
_LAUNCH_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def _name_only(text: str) -> bool:
    """Whether `text` names a model and little else (see the module's rule)."""
    key = news_key(text, "", _LAUNCH_TIME, "")
    if not key.models:
        return False
    names = {word for model in key.models for word in model.split()}
    return not (key.words - names - BRANDS)


def announces(title: str, names: Iterable[tuple[int, int]] = ()) -> bool:
    """Whether a title that names a model announces it (see the module's rule); `names` are
    the spans of the models the registry knows in it, read as versioned names."""
    if _LAUNCH.search(title):
        return True
    stripped = title.strip()
    if stripped and not any(ch.isspace() for ch in stripped):
        return True  # a registry's id: "kimi-k2.7-code"
    # The registry's names stand as one versioned name each, so "gpt-oss-safeguard" or "Muse
    # Glimmer" read as a model too.
    text = title
    for start, end in sorted(names, reverse=True):
        text = f"{text[:start]} model1 {text[end:]}"
    head = _NAME_PART_END.split(text, maxsplit=1)[0]
    return _name_only(text) or _name_only(head)


# Words that open a launch title before the model's name: "Introducing Claude Opus 5", "Say
# hello to GPT-4o", "Meet Claude".
_BEFORE_VERB = re.compile(r"(?:\s+(?:is|are|now|has|have|been|officially|today))*\s*$", re.I)
_LAUNCH_OPENING = re.compile(
    r"^\s*(?:introducing|announcing|meet|say\s+hello\s+to|hello|unveiling|launching)\s+",
    re.IGNORECASE,
)


def launched_name(title: str) -> str | None:
    """The model a launch title names, as the title spells it, where its name part (its opening
    launch word aside) is a model's name and little else (`_name_only`): "Claude Opus 5" of
    "Introducing Claude Opus 5", "Grok 3 Beta" of "Grok 3 Beta — The Age of Reasoning Agents";
    "GPT-6" of "GPT-6 announced"; None for a title that says more ("Muse Glimmer from Meta
    Superintelligence Labs is now available")."""
    text = _LAUNCH_OPENING.sub("", title)
    # The name before a launch verb: "GPT-6 announced", "Sora 2 is here".
    verb = _LAUNCH.search(text)
    if verb is not None and verb.start() > 0:
        text = _BEFORE_VERB.sub("", text[: verb.start()])
    # Two models launched together are both named ("Claude Fable 5 and Claude Mythos 5").
    for head in (_TITLE_PART_END.split(text, maxsplit=1)[0], _NAME_PART_END.split(text, 1)[0]):
        if head.strip() and _name_only(head):
            return head.strip()
    return None


def story_kind(
    titles: Sequence[str],
    *,
    names_versioned_model: bool,
    names_known_model: bool,
    tiers: Iterable[TrustTier],
    events: Iterable[EventKind] = (),
    announced: bool = True,
    papers: bool = False,
) -> StoryKind:
    """What kind of news the story is, from its titles (see the module's rule); `announced`
    says whether a title that names a model announces it (`announces`), `papers` whether every
    item is a paper (`is_paper`): research, or a benchmark by its words, never a release."""
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
    named = names_versioned_model or names_known_model or EventKind.NEW_MODEL in event_kinds
    if named and announced and not papers:
        return StoryKind.MODEL
    if EventKind.NEW_BEST in event_kinds:
        return StoryKind.BENCHMARK
    if papers or TrustTier.PAPER in set(tiers) or _RESEARCH.search(text):
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
