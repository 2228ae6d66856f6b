"""From the items of a period to the fact sheet: cluster, rank, extract figures and model lines.

Clustering joins items that tell one piece of news (`grouping`: the same link, or the same
versioned model named within days, or titles whose content words agree; complete-link, so no
chains). Ranking (`ranking`) weighs what kind of news it is (model releases, benchmarks and
prices before research, before products and partnerships, before people), the best source's trust
tier, how many outlets carry it, and knowledge-base events about its models.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from aiprogress.core.factsheet import Figure, Story, StorySource
from aiprogress.core.types import (
    EventKind,
    Item,
    ModelEvent,
    ModelFact,
    ModelInfo,
    Source,
)
from aiprogress.digest.figures import URL, ModelVocabulary, prose_figures
from aiprogress.digest.grouping import NewsKey, group, news_key
from aiprogress.digest.lineage import Lineage
from aiprogress.digest.ranking import TIER_BONUS, story_kind, weigh
from aiprogress.digest.weighing import FactsByModel, weigh_story

# Feed text a writer sees per story: enough for its facts, short enough to keep the prompt small.
SUMMARY_CHARS = 200

# Sentences in feed text that address a model rather than a reader. They are taken out of the
# sheet (their figures and links with them), and the checker rejects drafts that repeat them.
_INSTRUCTION = re.compile(
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)"
    r"|disregard\s+(?:all\s+|the\s+)?(?:previous|prior|above|instructions)"
    r"|(?:new|updated|override)\s+instructions|system\s+prompt|you\s+are\s+now\b"
    r"|as\s+an\s+ai\s+(?:language\s+)?model|\bassistant\s*:|\bsystem\s*:"
    r"|игнорируй|игнорируйте|забудь(?:те)?\s+(?:все\s+)?(?:предыдущие\s+)?инструкци"
    r"|новые\s+инструкции|системн\w+\s+промпт",
    re.IGNORECASE,
)
# A sentence ends at . ! ? followed by a space or a line end ("85.6%" and URLs stay whole).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def quarantine(text: str) -> tuple[str, list[str]]:
    """`text` without the sentences that read as instructions, and those sentences."""
    if not _INSTRUCTION.search(text):
        return text, []
    kept: list[str] = []
    removed: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        (removed if _INSTRUCTION.search(sentence) else kept).append(sentence.strip())
    return " ".join(part for part in kept if part), removed


def outlet_name(source: Source) -> str:
    """What a digest calls an outlet: its name, else its host ("huggingface.co"), never a
    whole URL."""
    if source.name.strip():
        return source.name.strip()
    try:
        host = urlsplit(source.url).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or source.url


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:—- ")
    return f"{cut}…"


@dataclass(slots=True)
class _Entry:
    item: Item
    source: Source
    title: str
    summary: str
    model_ids: frozenset[str]
    model_names: tuple[str, ...]
    title_model_ids: frozenset[str]
    key: NewsKey


@dataclass(frozen=True, slots=True)
class SheetInputs:
    """What the knowledge base adds: the registry's models, its facts about the models the items
    name and their predecessors, and its events of the period."""

    models: Sequence[ModelInfo] = ()
    facts: Sequence[ModelFact] = ()
    events: Sequence[ModelEvent] = ()


class StoryBuilder:
    def __init__(self, models: Iterable[ModelInfo] = ()) -> None:
        self.models = {model.canonical_id: model for model in models}
        self.vocabulary = ModelVocabulary(self.models.values())
        self.lineage = Lineage(self.models.values())

    def model_ids(self, rows: Sequence[tuple[Item, Source]]) -> set[str]:
        """Models the items name, with their predecessors: the facts the sheet will need."""
        found: set[str] = set()
        for item, _ in rows:
            for mention in self.vocabulary.find(f"{item.title}\n{item.summary}"):
                if mention.canonical_id:
                    found.add(mention.canonical_id)
        for model_id in list(found):
            before = self.lineage.before(model_id)
            if before is not None:
                found.add(before.canonical_id)
        return found

    def stories(
        self,
        rows: Sequence[tuple[Item, Source]],
        inputs: SheetInputs,
        *,
        max_stories: int,
    ) -> tuple[tuple[Story, ...], tuple[str, ...]]:
        """The `max_stories` best stories of these items, best first, and what was quarantined."""
        quarantined: list[str] = []
        entries: list[_Entry] = []
        for item, source in rows:
            title, removed_title = quarantine(item.title)
            summary, removed = quarantine(item.summary)
            quarantined += removed_title + removed
            mentions = self.vocabulary.find(f"{title}\n{summary}")
            entries.append(
                _Entry(
                    item=item,
                    source=source,
                    title=title or item.url,
                    summary=summary,
                    model_ids=frozenset(m.canonical_id for m in mentions if m.canonical_id),
                    model_names=tuple(dict.fromkeys(m.text for m in mentions)),
                    title_model_ids=frozenset(
                        m.canonical_id for m in self.vocabulary.find(title) if m.canonical_id
                    ),
                    key=news_key(title, item.url, item.sort_time, str(source.id)),
                )
            )
        clusters = {
            members[0]: [entries[index] for index in members]
            for members in group([entry.key for entry in entries])
        }

        events: dict[str, list[EventKind]] = defaultdict(list)
        for event in inputs.events:
            events[event.model_id].append(event.kind)
        facts: dict[str, list[ModelFact]] = defaultdict(list)
        for fact in inputs.facts:
            facts[fact.model_id].append(fact)

        ranked: list[tuple[float, datetime, list[_Entry]]] = []
        for members in clusters.values():
            outlets = {entry.source.id for entry in members}
            models = frozenset().union(*(entry.model_ids for entry in members))
            title_models = frozenset().union(*(entry.title_model_ids for entry in members))
            tiers = [entry.source.trust_tier for entry in members]
            kind = story_kind(
                [entry.title for entry in members],
                names_versioned_model=any(entry.key.models for entry in members),
                names_known_model=bool(title_models),
                tiers=tiers,
                events=[kind for model_id in title_models for kind in events[model_id]],
            )
            score = weigh(
                kind,
                tiers=tiers,
                outlets=len(outlets),
                events=[kind for model_id in models for kind in events[model_id]],
            )
            newest = max(entry.item.sort_time for entry in members)
            ranked.append((score, newest, members))
        # Equal weights: the newer story first, then by link, so the order is the items' own.
        ranked.sort(key=lambda row: (-row[0], -row[1].timestamp(), min(e.item.url for e in row[2])))

        stories = [
            self._story(f"S{rank}", score, members, facts)
            for rank, (score, _, members) in enumerate(ranked[:max_stories], start=1)
        ]
        return tuple(stories), tuple(dict.fromkeys(quarantined))

    def _story(
        self,
        key: str,
        score: float,
        members: list[_Entry],
        facts: FactsByModel,
    ) -> Story:
        # The lead item: the most trusted source, then the earliest report.
        members.sort(
            key=lambda e: (
                -TIER_BONUS[e.source.trust_tier],
                e.item.published_at or datetime.max.replace(tzinfo=UTC),
                e.item.id,
            )
        )
        lead = members[0]
        summary = _trim(URL.sub("", lead.summary).strip(), SUMMARY_CHARS)
        if summary == lead.title:
            summary = ""
        sources: dict[str, StorySource] = {}
        for entry in members:
            sources.setdefault(
                entry.item.url,
                StorySource(
                    name=outlet_name(entry.source),
                    url=entry.item.url,
                    trust_tier=entry.source.trust_tier,
                    published_at=entry.item.published_at,
                    outlet_url=entry.source.url,
                ),
            )
        text = f"{lead.title}\n{summary}"
        figures = [
            Figure(found.text, found.value, found.unit, lead.item.url, found.span)
            for found in prose_figures(text, self.vocabulary)
        ]
        for entry in members[1:]:
            # Other outlets' titles may carry figures the lead's does not.
            figures += [
                Figure(found.text, found.value, found.unit, entry.item.url, found.span)
                for found in prose_figures(entry.title, self.vocabulary)
            ]
        model_ids = sorted(
            frozenset().union(*(entry.model_ids for entry in members)),
            key=lambda model_id: (
                self.models[model_id].display_name if model_id in self.models else model_id
            ),
        )
        names = dict.fromkeys(name for entry in members for name in entry.model_names)
        names.update(
            dict.fromkeys(self.models[m].display_name for m in model_ids if m in self.models)
        )
        # The models in the order the story names them, the lead's title first: the first that
        # can be weighed is the story's model.
        named = [m.canonical_id for e in members for m in self.vocabulary.find(e.title)]
        named += [m.canonical_id for e in members for m in self.vocabulary.find(e.summary)]
        ordered = [m for m in dict.fromkeys(named) if m is not None]
        # The story's day is its first report's: its prices are those known then.
        day = min(entry.item.sort_time for entry in members).date()
        return Story(
            key=key,
            title=lead.title,
            summary=summary,
            sources=tuple(sources.values()),
            item_ids=tuple(sorted(entry.item.id for entry in members)),
            models=tuple(names),
            figures=tuple(figures),
            weighings=weigh_story(ordered, self.lineage, facts, day=day),
            score=round(score, 2),
        )
