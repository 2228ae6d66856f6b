"""The built-in writer: the post's structure in both languages from the fact sheet, by templates.

Used when no LLM is configured, when the LLM fails or its drafts fail the checker, and when the
day's token budget is spent. It states only what the sheet holds, so it passes the checker too;
it leaves out causes and the outlook, which need judgement a template does not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from aiprogress.core.factsheet import (
    DigestDocument,
    DocumentSource,
    DocumentStory,
    FactSheet,
    ModelLine,
    Point,
    Story,
    Verdict,
    WrittenDigest,
)
from aiprogress.core.messages import count_of, format_number, long_date, message, period_name
from aiprogress.core.types import Language, Metric, ModelInfo, TrustTier
from aiprogress.digest.checker import unit_class

_TIERS = (TrustTier.OFFICIAL, TrustTier.PAPER, TrustTier.PRESS, TrustTier.COMMUNITY)


def _value(value: float, unit: str, language: Language, *, signed: bool = False) -> str:
    sign = ("+" if value > 0 else "−" if value < 0 else "") if signed else ""
    number = format_number(abs(value) if signed else value, language, 2)
    kind = unit_class(unit)
    if kind == "$":
        return f"{sign}${number}"
    if kind == "%":
        return (
            f"{sign}{number} {'п.п.' if language is Language.RU else 'pp'}"
            if signed
            else f"{number}%"
        )
    return f"{sign}{number}"


def model_line_text(line: ModelLine, language: Language) -> str:
    metric = line.metric
    if not Metric.is_benchmark(metric):
        name = message(f"compare.metric.{metric}", language)
        metric = name[0].lower() + name[1:]
    return message(
        "digest.model_line",
        language,
        model=line.model,
        other=line.other,
        metric=metric,
        value=_value(line.value, line.unit, language),
        other_value=_value(line.other_value, line.unit, language),
        delta=_value(line.delta, line.unit, language, signed=True),
    )


def sources_of(sheet: FactSheet) -> tuple[DocumentSource, ...]:
    """One line per outlet and link, in story order: what every digest ends with."""
    seen: dict[str, DocumentSource] = {}
    for story in sheet.stories:
        for source in story.sources:
            seen.setdefault(source.url, DocumentSource(name=source.name, url=source.url))
    return tuple(seen.values())


def _story_text(story: Story, language: Language) -> str:
    parts = [story.title.rstrip(".")]
    if story.summary:
        parts.append(story.summary)
    parts += [model_line_text(line, language) for line in story.model_lines]
    return "\n".join(parts)


def _outlets(story: Story) -> int:
    return len({source.name for source in story.sources})


class BuiltinWriter:
    name = "builtin"

    async def write(self, sheet: FactSheet, models: Sequence[ModelInfo] = ()) -> WrittenDigest:
        return self.written(sheet, Verdict.BUILTIN)

    def written(
        self, sheet: FactSheet, verdict: Verdict, problems: tuple[str, ...] = ()
    ) -> WrittenDigest:
        return WrittenDigest(
            documents={language: self.document(sheet, language) for language in Language},
            writer=self.name,
            verdict=verdict,
            problems=problems,
        )

    def document(self, sheet: FactSheet, language: Language) -> DigestDocument:
        # The window is half-open; its last day is the one just before `window_end`.
        last_day = (sheet.window_end - timedelta(microseconds=1)).date()
        period = period_name(sheet.period, language)
        title = message(
            "digest.question", language, period=period, end=long_date(last_day, language)
        )
        signoff = message("digest.signoff", language)
        if not sheet.stories:
            return DigestDocument(
                language, title, message("digest.empty", language), (), signoff=signoff
            )
        lead = sheet.stories[0]
        if _outlets(lead) > 1:
            thesis = message(
                "digest.thesis.covered",
                language,
                title=lead.title,
                outlets=count_of(_outlets(lead), "noun.outlet", language),
            )
        else:
            thesis = message(
                "digest.thesis.single", language, title=lead.title, source=lead.sources[0].name
            )
        outlets = {source.name for story in sheet.stories for source in story.sources}
        thesis += " " + message(
            "digest.thesis.total",
            language,
            stories=count_of(len(sheet.stories), "noun.story", language),
            sources=count_of(len(outlets), "noun.source.genitive", language),
        )
        stories = tuple(
            DocumentStory(story=story.key, text=_story_text(story, language), links=story.links)
            for story in sheet.stories
        )
        return DigestDocument(
            language=language,
            title=title,
            thesis=thesis,
            stories=stories,
            takeaways=self._takeaways(sheet, language),
            sources=sources_of(sheet),
            signoff=signoff,
        )

    @staticmethod
    def _takeaways(sheet: FactSheet, language: Language) -> tuple[Point, ...]:
        points: list[Point] = []
        by_tier: dict[TrustTier, list[Story]] = {}
        for story in sheet.stories:
            tier = min((source.trust_tier for source in story.sources), key=_TIERS.index)
            by_tier.setdefault(tier, []).append(story)
        for tier in _TIERS:
            if tier not in by_tier:
                continue
            points.append(
                Point(
                    lead=message(f"digest.takeaway.tier.{tier.value}", language),
                    text=message(
                        "digest.takeaway.tier",
                        language,
                        stories=count_of(len(by_tier[tier]), "noun.story", language),
                        title=by_tier[tier][0].title,
                    ),
                )
            )
        widest = max(sheet.stories, key=_outlets)
        if _outlets(widest) > 1:
            points.append(
                Point(
                    lead=message("digest.takeaway.coverage", language),
                    text=message(
                        "digest.takeaway.coverage.text",
                        language,
                        title=widest.title,
                        outlets=count_of(_outlets(widest), "noun.outlet", language),
                    ),
                )
            )
        return tuple(points[:4])
