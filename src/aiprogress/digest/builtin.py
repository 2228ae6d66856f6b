"""The built-in writer: the post's structure in both languages from the fact sheet, by templates.

Used when no LLM is configured, when the LLM fails or its drafts fail the checker, and when the
day's token budget is spent. It states only what the sheet holds, so it passes the checker too;
it leaves out causes and the outlook, which need judgement a template does not have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from aiprogress.core.factsheet import (
    Conclusion,
    ConclusionKind,
    DigestDocument,
    DocumentSource,
    DocumentStory,
    FactSheet,
    ModelLine,
    Point,
    Quantity,
    Story,
    Verdict,
    Weighing,
    WrittenDigest,
)
from aiprogress.core.messages import (
    count_of,
    format_number,
    is_same_multiple,
    long_date,
    message,
    times,
    window_span,
)
from aiprogress.core.types import Language, Metric, ModelInfo, Unit
from aiprogress.digest.checker import unit_class
from aiprogress.digest.figures import model_key
from aiprogress.digest.ranking import BRANDS, announces, launched_name, publisher


def _value(value: float, unit: str, language: Language, *, signed: bool = False) -> str:
    sign = ("+" if value > 0 else "−" if value < 0 else "±") if signed else ""
    number = format_number(abs(value) if signed else value, language, 2)
    kind = unit_class(unit)
    if kind == Unit.USD:
        return f"{sign}${number}"
    if kind == Unit.PERCENT:
        if signed:
            return f"{sign}{number} {message('digest.weigh.points', language)}"
        return f"{number}%"
    return f"{sign}{number}"


def _quantity(quantity: Quantity, language: Language) -> str:
    """A conclusion's number as a reader expects it: 2,6 п.п., 68,7%, $0,15, 30 раз, 4."""
    number = format_number(quantity.value, language, 2)
    if quantity.unit == Unit.PERCENTAGE_POINTS:
        return f"{number} {message('digest.weigh.points', language)}"
    if quantity.unit == Unit.PERCENT:
        return f"{number}%"
    if quantity.unit == Unit.USD:
        return f"${number}"
    if quantity.unit == Unit.TIMES:
        return times(quantity.value, language)
    return number


def _price_phrase(ratio: float, kind: str, language: Language) -> str:
    if is_same_multiple(ratio):
        return message(f"digest.weigh.{kind}.same", language)
    if ratio > 1:
        return message(f"digest.weigh.{kind}.dearer", language, times=times(ratio, language))
    return message(f"digest.weigh.{kind}.cheaper", language, times=times(1 / ratio, language))


def _names(sources: Iterable[tuple[str, str]]) -> str:
    return ", ".join(dict.fromkeys(name for name, _ in sources))


def _month(day: date, language: Language) -> str:
    """'май 2025' / 'May 2025'."""
    return f"{message('digest.month', language).split('|')[day.month - 1]} {day.year}"


def weighing_text(weighing: Weighing, language: Language) -> str:
    """The seed's line: "GPT-4.5 against GPT-4o: +19.5 points on GPQA Diamond (68.7% versus
    49.2%) for 30× the input price ($75 versus $2.5 per 1M tokens). Data: …"."""
    gain = price = prices = ""
    sources = _names(source for line in weighing.lines for source in line.sources)
    if weighing.benchmark is not None:
        line = weighing.benchmark
        # A difference within the benchmark's margin of error is no gain or loss: on par.
        gain = message(
            "digest.weigh.gain" if line.margin is None else "digest.weigh.par",
            language,
            delta=_value(line.delta, line.unit, language, signed=True),
            metric=line.metric,
            value=_value(line.value, line.unit, language),
            other_value=_value(line.other_value, line.unit, language),
            margin=format_number(line.margin or 0.0, language, 1),
        )
    if weighing.price is not None and weighing.price.ratio:
        line = weighing.price
        # One price both pay is said once, not "$3 versus $3".
        key = "digest.weigh.prices.one" if line.value == line.other_value else "digest.weigh.prices"
        prices = message(
            f"{key}.dated" if line.postdated else key,
            language,
            price=_value(line.value, line.unit, language),
            other_price=_value(line.other_value, line.unit, language),
            month=_month(line.postdated, language) if line.postdated else "",
        )
        # The multiple from the values: the line's ratio is rounded to two decimals, and
        # $0.7 against $15 (0.0467) would read 1/0.05 = "20×" for 21.4×.
        multiple = line.value / line.other_value
        price = _price_phrase(multiple, "price", language)
        if not gain:
            return message(
                "digest.weighing.no_benchmark",
                language,
                model=weighing.model,
                other=weighing.other,
                change=_price_phrase(multiple, "change", language),
                prices=prices,
                sources=sources,
            )
    if not price:
        return message(
            "digest.weighing.no_price",
            language,
            model=weighing.model,
            other=weighing.other,
            gain=gain,
            sources=sources,
        )
    return message(
        "digest.weighing",
        language,
        model=weighing.model,
        other=weighing.other,
        gain=gain,
        price=price,
        prices=prices,
        sources=sources,
    )


def model_line_text(line: ModelLine, language: Language) -> str:
    """One metric of a model against another (kept for writers that state a single line)."""
    return weighing_text(
        Weighing(
            line.model,
            line.other,
            benchmark=line if Metric.is_benchmark(line.metric) else None,
            price=line if line.metric == Metric.PRICE_INPUT else None,
        ),
        language,
    )


def sources_of(sheet: FactSheet) -> tuple[DocumentSource, ...]:
    """What every digest ends with: each outlet once, by name, with the links of its items
    (each item is linked once, under its story), then the knowledge base's sources of the
    weighings and conclusions."""
    outlets: dict[str, tuple[str, list[str]]] = {}
    for story in sheet.stories:
        for source in story.sources:
            _, links = outlets.setdefault(source.name, (source.outlet_url, []))
            if source.url not in links:
                links.append(source.url)
    documents = [
        DocumentSource(name=name, url=url, links=tuple(links))
        for name, (url, links) in outlets.items()
    ]
    data: dict[tuple[str, str], None] = {}
    for story in sheet.stories:
        for line in story.model_lines:
            data.update(dict.fromkeys(line.sources))
    for conclusion in sheet.conclusions:
        data.update(dict.fromkeys((source.name, source.url) for source in conclusion.sources))
    known = {(d.name, d.url) for d in documents}
    documents += [DocumentSource(name, url) for name, url in data if (name, url) not in known]
    return tuple(documents)


def _story_text(story: Story, language: Language) -> str:
    parts = [story.title.rstrip(".")]
    if story.summary:
        parts.append(story.summary)
    parts += [weighing_text(weighing, language) for weighing in story.weighings]
    return "\n".join(parts)


def conclusion_point(conclusions: Sequence[Conclusion], language: Language) -> Point:
    """Conclusions of one kind as one "What we see" point, worded from the catalogue."""
    first = conclusions[0]

    def values(conclusion: Conclusion) -> dict[str, str]:
        named = {q.name: _quantity(q, language) for q in conclusion.quantities}
        # A role that is both a model and its score: "leader_now" and "leader_now_value".
        named.update(
            {f"{role}_value": named[role] for role, _ in conclusion.models if role in named}
        )
        named.update(dict(conclusion.models))
        named.update({key: long_date(day, language) for key, day in conclusion.dates})
        named["metric"] = conclusion.metric
        named["sources"] = _names((s.name, s.url) for s in conclusion.sources)
        return named

    if first.kind is ConclusionKind.COMPETITION:
        now, before = first.value("spread_now"), first.value("spread_before")
        # A gap that moved less than a point of a percentage (or a tenth of an Elo gap) is within
        # a rerun's noise: "the leader pulls away" from 0.3 to 0.5 points overstated it.
        unit = next(q.unit for q in first.quantities if q.name == "spread_now")
        noise = 1.0 if unit == Unit.PERCENTAGE_POINTS else max(1.0, abs(before) / 10)
        trend = (
            "steady" if abs(now - before) < noise else "levelling" if now < before else "widening"
        )
        return Point(
            message(f"digest.conclusion.competition.{trend}", language),
            message("digest.conclusion.competition", language, **values(first)),
        )
    if first.kind is ConclusionKind.CADENCE:
        now, before = first.value("now"), first.value("before")
        trend = "faster" if now > before else "slower" if now < before else "steady"
        models = ", ".join(model for _, model in first.models)
        named = (
            message("digest.conclusion.cadence.named", language, models=models) if models else ""
        )
        return Point(
            message(f"digest.conclusion.cadence.{trend}", language),
            message("digest.conclusion.cadence", language, named=named, **values(first)),
        )
    if first.kind is ConclusionKind.PRICE_OF_CAPABILITY:
        return Point(
            message("digest.conclusion.price_of_capability.lead", language),
            message("digest.conclusion.price_of_capability", language, **values(first)),
        )
    parts: list[str] = []
    sources: dict[tuple[str, str], None] = {}
    for conclusion in conclusions:
        delta = next(q for q in conclusion.quantities if q.name == "delta")
        text = message(
            "digest.conclusion.returns_on_price",
            language,
            model=conclusion.model("model"),
            other=conclusion.model("other"),
            delta=_value(
                delta.value,
                Unit.PERCENT if delta.unit == Unit.PERCENTAGE_POINTS else "",
                language,
                signed=True,
            ),
            metric=conclusion.metric,
            price=_price_phrase(conclusion.value("ratio"), "price", language),
        )
        prices_of = dict(conclusion.dates).get("prices_of")
        if prices_of is not None:
            text += message(
                "digest.conclusion.returns_on_price.dated",
                language,
                month=_month(prices_of, language),
            )
        if any(q.name == "per_doubling" for q in conclusion.quantities):
            per = next(q for q in conclusion.quantities if q.name == "per_doubling")
            text += message(
                "digest.conclusion.returns_on_price.per_doubling",
                language,
                per_doubling=_value(
                    per.value,
                    Unit.PERCENT if per.unit == Unit.PERCENTAGE_POINTS else "",
                    language,
                    signed=True,
                ),
            )
        parts.append(text)
        sources.update(dict.fromkeys((s.name, s.url) for s in conclusion.sources))
    text = (
        "; ".join(parts)
        + ". "
        + message("digest.conclusion.returns_on_price.sources", language, sources=_names(sources))
    )
    return Point(message("digest.conclusion.returns_on_price.lead", language), text)


def headline(sheet: FactSheet, language: Language, window: str) -> str:
    """The title, as the seed post's: a question naming the main story (the lead) and, where the
    facts hold one, its tension. A launched model weighed against the one before it is named
    with its benchmark change and its input price against that one's (a later list's prices
    with their month, as the story's line says them); a launch without a weighing by the
    model's name; any other lead by its title; no stories, by the period."""
    if not sheet.stories:
        return message("digest.question", language, window=window)
    lead = sheet.stories[0]
    name = launched_name(lead.title) if announces(lead.title) else None
    # The weighing speaks for the launch only where it weighs the model the title launches, not
    # one its summary names beside it ("Introducing GeneBench-Pro" tests GPT-5.6).
    if name and lead.weighings and _launches(name, lead.weighings[0].model):
        weighed = _weighed_headline(lead.weighings[0], language)
        if weighed:
            return weighed
    if name:
        return message("digest.headline.launch", language, model=name)
    return message("digest.headline.story", language, title=lead.title.rstrip("."))


def _tokens(name: str) -> list[str]:
    return [word for word in model_key(name).split("-") if word and word not in BRANDS]


def _launches(name: str, model: str) -> bool:
    """Whether a launch title's name part (`launched_name`) names `model`, a display name: one
    of its names ("Claude Fable 5 and Claude Mythos 5") is the model's, word for word, the
    vendors aside, or the start of it ("GPT-4.5" of "GPT-4.5 (preview)"), or the same letters
    ("granite4.1", "Granite 4.1")."""
    theirs = _tokens(model)
    for part in re.split(r"\s+(?:and|&)\s+", name):
        mine = _tokens(part)
        if not mine or not theirs:
            continue
        shorter = min(len(mine), len(theirs))
        if mine[:shorter] == theirs[:shorter] or "".join(mine) == "".join(theirs):
            return True
    return False


def _weighed_headline(weighing: Weighing, language: Language) -> str:
    """The title of a lead weighed against another model, from its weighing's facts; "" when it
    holds neither a benchmark nor a price multiple."""
    price = weighing.price
    multiple = price.value / price.other_value if price is not None and price.ratio else None
    # Prices of a later list than the story's day say their month, as the body's line does.
    dated = (
        message("digest.conclusion.returns_on_price.dated", language,
                month=_month(price.postdated, language))
        if price is not None and price.postdated
        else ""
    )  # fmt: skip
    line = weighing.benchmark
    if line is not None:
        phrase = (
            "" if multiple is None else " " + _price_phrase(multiple, "price", language) + dated
        )
        return message(
            "digest.headline.gain" if line.margin is None else "digest.headline.par",
            language,
            model=weighing.model,
            other=weighing.other,
            delta=_value(line.delta, line.unit, language, signed=True),
            metric=line.metric,
            price=phrase,
        )
    if multiple is None:
        return ""
    dearer = multiple > 1
    key = (
        "digest.headline.price.same"
        if is_same_multiple(multiple)
        else "digest.headline.price.dearer"
        if dearer
        else "digest.headline.price.cheaper"
    )
    return message(
        key,
        language,
        model=weighing.model,
        other=weighing.other,
        times=times(multiple if dearer else 1 / multiple, language),
        dated=dated,
    )


def _outlets(story: Story) -> int:
    """How many publishers reported the story: the sites its items are on, so that one site's
    two feeds are one outlet (the Ollama blog's post and its model library's entry on
    ollama.com read "2 outlets reported it" and "Wide coverage" for one publisher)."""
    return len({publisher(source.url, source.name) for source in story.sources})


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
        # The window is half-open, [start, end): named by the days or moments it covers.
        window = window_span(sheet.window_start, sheet.window_end, language)
        title = headline(sheet, language, window)
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
                names=_names((source.name, source.url) for source in lead.sources),
            )
        else:
            thesis = message(
                "digest.thesis.single", language, title=lead.title, source=lead.sources[0].name
            )
        outlets = {source.name for story in sheet.stories for source in story.sources}
        thesis += " " + message(
            "digest.thesis.total",
            language,
            window=window,
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
        """The sheet's computed conclusions, one point per kind, in the sheet's order; where
        the knowledge base supports none, the widest-covered story if several outlets had it."""
        by_kind: dict[ConclusionKind, list[Conclusion]] = {}
        for conclusion in sheet.conclusions:
            by_kind.setdefault(conclusion.kind, []).append(conclusion)
        points = []
        for group in by_kind.values():
            try:
                points.append(conclusion_point(group, language))
            except (KeyError, StopIteration):
                # A conclusion without the numbers its wording needs is left to the LLM.
                continue
        widest = max(sheet.stories, key=_outlets)
        if not points and _outlets(widest) > 1:
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
