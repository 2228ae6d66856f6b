"""Which words of a written digest are ours and which are published, read from the structure.

A built-in digest is our wording (catalogue lines, period words, dates, units) around what
others wrote: items' titles and summaries, outlets' and the knowledge base's source names,
model and benchmark names, links. The published spans are taken from the digest's own fact sheet
(the `fact_sheet` JSON stored beside every draft: each story's title, summary, sources and
weighing, each conclusion's models, metric and sources) and the model names of the store, and
cut out of the text; what is left is ours. A word is a run of letters and digits joined by
hyphens, apostrophes or decimal marks that holds a letter (numbers are no words), and it is
Russian when it holds a Cyrillic letter.

Used by tests/digest/test_own_words.py and `bench/digest_quality.py`'s language section.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from aiprogress.app.settings import SecretStr, Settings
from aiprogress.app.wiring import App, open_app
from aiprogress.core.clock import FixedClock
from aiprogress.core.types import DigestDraft, Language, Period
from aiprogress.digest.ranking import launched_name
from aiprogress.sources.snapshot import SnapshotFetcher, load_snapshot

_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Links the sheet names are cut as spans; this also catches a link wrapped in our punctuation.
_URL = re.compile(r"https?://\S+")
_CUT = " \u2016 "  # stands in for a cut span, so words on either side never join


def words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text) if _LETTER.search(word)]


def is_russian(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


def published_spans(fact_sheet: str, model_names: Iterable[str] = ()) -> set[str]:
    """Everything of the sheet others wrote or named: titles (also without the final full
    stop, as a story's first line shows them), summaries, outlet and data-source names and
    links, names of models and benchmarks; and the store's model names."""
    sheet = json.loads(fact_sheet)
    spans: set[str] = set(model_names)
    for story in sheet["stories"]:
        spans.update({story["title"], story["title"].rstrip("."), story["summary"]})
        # The model a launch title names, as the digest's title names it ("О выходе Claude
        # Opus 5?"): a part of the published title.
        spans.add(launched_name(story["title"]) or "")
        spans.update(story["models"])
        for source in story["sources"]:
            spans.update({source["name"], source["url"], source["outlet_url"]})
        weighing = story.get("weighing")
        if weighing:
            spans.update({weighing["model"], weighing["other"]})
            for line in (weighing.get("benchmark"), weighing.get("price")):
                if line:
                    spans.update(
                        line[key]
                        for key in ("model", "other", "metric", "source_name", "source_url",
                                    "other_source_name", "other_source_url")
                    )  # fmt: skip
    for conclusion in sheet["conclusions"]:
        spans.add(conclusion["metric"])
        spans.update(name for _, name in conclusion["models"])
        for source in conclusion["sources"]:
            spans.update({source["name"], source["url"]})
    return {span.strip() for span in spans if span.strip()}


def our_text(text: str, spans: Iterable[str]) -> str:
    """`text` with every published span cut out, longest first (a title before a model name
    inside it); names are cut only where they stand as whole words."""
    for span in sorted(set(spans), key=len, reverse=True):
        pattern = re.escape(span)
        if span[:1].isalnum():
            pattern = r"(?<![\w-])" + pattern
        if span[-1:].isalnum():
            pattern += r"(?![\w-])"
        text = re.sub(pattern, _CUT, text)
    return _URL.sub(_CUT, text)


@dataclass(frozen=True, slots=True)
class WordCount:
    """A digest's words: all of them and ours, with how many of each are Russian."""

    total: int
    total_russian: int
    ours: int
    ours_russian: int
    # Our words in the other language's script, each once, in order of appearance.
    strays: tuple[str, ...]
    # Our words in order, for a reader checking the cut.
    words: tuple[str, ...] = ()

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0


def count_words(
    text: str, fact_sheet: str, model_names: Iterable[str], *, russian: bool
) -> WordCount:
    """Count `text`'s words against its sheet; `russian` says which script ours must be in
    (strays are our words without a Cyrillic letter in Russian, with one in English)."""
    everything = words(text)
    ours = words(our_text(text, published_spans(fact_sheet, model_names)))

    def stray(word: str) -> bool:
        return is_russian(word) is not russian

    return WordCount(
        total=len(everything),
        total_russian=sum(map(is_russian, everything)),
        ours=len(ours),
        ours_russian=sum(map(is_russian, ours)),
        strays=tuple(dict.fromkeys(word for word in ours if stray(word))),
        words=tuple(ours),
    )


@dataclass(frozen=True, slots=True)
class Written:
    """A period's built-in digests in both languages and the model names of the store."""

    what: str
    drafts: dict[Language, DigestDraft]
    model_names: tuple[str, ...]

    def count(self, language: Language) -> WordCount:
        draft = self.drafts[language]
        # The title is ours and the reader sees it above the body.
        return count_words(
            f"{draft.title}\n\n{draft.body}",
            draft.fact_sheet,
            self.model_names,
            russian=language is Language.RU,
        )


def _fresh(folder: Path) -> Settings:
    settings = Settings.load(env_file=None)
    settings.database.url = SecretStr(f"sqlite:///{folder / 'fresh.db'}")
    return settings


async def _write(app: App, what: str, period: Period) -> Written:
    drafts: dict[Language, DigestDraft] = {}
    for language in Language:
        draft = await app.service.draft_digest(period, language)
        drafts[language] = draft
    names = tuple(model.display_name for model in await app.store.models.all())
    return Written(what, drafts, names)


async def golden_day(folder: Path) -> Written:
    """tests/app/test_golden_day.py's day: its feeds served by the loopback feed server,
    collected into a fresh SQLite database, its day's digest written by the built-in writer."""
    from tests.app.test_golden_day import DAY_END, FEEDS
    from tests.servers.feeds import FeedServer

    settings = _fresh(folder)
    settings.collector.allow_private_urls = True
    with FeedServer().in_thread() as feeds:
        async with open_app(settings, clock=FixedClock(DAY_END)) as app:
            for path, body, name, tier in FEEDS:
                await app.service.add_source(
                    feeds.feed(path, body), name=name, trust_tier=tier, backfill=True
                )
            await app.service.collect()
            return await _write(app, "golden day (the day to 28 February 2025)", Period.DAY)


async def snapshot_month(folder: Path) -> Written:
    """The month (30 days) to the bundled snapshot's date of its real recorded feeds (the
    files of ../shared/fixtures/feeds, sources/snapshot/manifest.json), as `aiprogress demo`
    collects them, into a fresh SQLite database."""
    snapshot = load_snapshot()
    async with open_app(
        _fresh(folder), fetcher=SnapshotFetcher(snapshot), clock=FixedClock(snapshot.as_of)
    ) as app:
        for feed in snapshot.feeds:
            await app.service.add_source(
                feed.url, name=feed.name, trust_tier=feed.trust_tier, backfill=True
            )
        await app.service.collect()
        last_day = (snapshot.as_of - timedelta(days=1)).date()
        return await _write(app, f"30 days to {last_day:%d %B %Y} (snapshot)", Period.MONTH)
