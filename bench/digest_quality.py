"""Digest quality (issue 20), one section per measure, each against a baseline of the same run.

  grouping   precision and recall of story grouping on the labelled set of real feed items
             (`tests/digest/data/grouping_pairs.json`, provenance in `tests/digest/grouping_set.py`):
             ours (`aiprogress.digest.grouping`) against the rule it replaced (rapidfuzz
             `token_set_ratio` >= 88 on titles longer than 20 characters or the same link, joined
             transitively), and ours with every date set equal (how much the two-day window does).
             Targets: precision >= 0.95, recall >= 0.9.

  tokens     tokens per digest against per-item summarisation of the same 50 recorded items
             (`bench/digest_tokens.py`'s day and contenders): ours is one call for both
             languages, answered at the prompt's limits (five analysed stories of 60 words, the
             rest listed by title); the baseline is RSS-GPT's one call per item in one language.
             Target: ours <= 20% of per-item.

  weighing   the share of model stories (stories naming a model the knowledge base knows) that
             carry a weighing line, over every item of the bundled snapshot's real feeds and
             the seed launches (`tests/data/seed-launches.rss`), with the bundled knowledge base:
             ours (two models a story names weighed against each other, each model against
             its curated predecessor, else the family's previous release) against the curated
             predecessor alone, one model a story (what the digest had before); and how many of
             the seed post's pairs (`SEED_PAIRS` in `aiprogress.digest.audit`) those stories
             weigh, in either order.

  language   the words of the built-in (no LLM) digest, in Russian and English, for the golden
             day (`tests/app/test_golden_day.py`'s feeds) and the 30 days to the snapshot's date
             of its real recorded feeds, each in a fresh SQLite database: all words and how many
             are Russian (the baseline: titles and summaries stay as published), and our own
             words (everything but items' titles and summaries, model, benchmark, outlet and data
             source names and links, cut out as the digest's fact sheet names them, and the model
             a launch title names, which the digest's title repeats ("О выходе Claude Opus 5?",
             `ranking.launched_name`); numbers are no words; `tests/digest/own_words.py`). The
             title counts: the reader sees it above the body. Target: our words all Russian in
             the RU digest, none Cyrillic in the EN one.

Further sections are added beside these and listed in SECTIONS.

    python bench/digest_quality.py [--verbose] [--only SECTION ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import openai
from rapidfuzz import fuzz

# `tests` lives in the repository, not in the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.digest.grouping_set import (
    PRECISION_TARGET,
    RECALL_TARGET,
    LabelledItem,
    Score,
    load_set,
    our_groups,
    score,
)
from tests.digest.own_words import WordCount, Written, golden_day, snapshot_month
from tests.servers.openai import FakeOpenAI, load_encoding

from aiprogress.app.models_data import import_bundled_models
from aiprogress.app.settings import SecretStr, Settings
from aiprogress.app.wiring import open_app
from aiprogress.core.clock import FixedClock
from aiprogress.core.factsheet import Story, Verdict, Weighing
from aiprogress.core.types import (
    Item,
    Language,
    ModelFact,
    ModelInfo,
    Source,
    SourceKind,
    TrustTier,
)
from aiprogress.digest.audit import SEED_PAIRS
from aiprogress.digest.figures import ModelVocabulary, model_key
from aiprogress.digest.lineage import Lineage
from aiprogress.digest.stories import SheetInputs, StoryBuilder, story_models
from aiprogress.digest.weighing import weigh_first
from aiprogress.sources.parse import parse_feed
from aiprogress.sources.snapshot import SnapshotFetcher, load_snapshot
from digest_tokens import TARGET_PERCENT as TOKENS_TARGET_PERCENT
from digest_tokens import (  # bench/digest_tokens.py, beside this script
    OurRun,
    recorded_day,
    run_ours,
    run_per_item,
    totals,
    where_tokens_go,
)


def _previous_rule(items: Sequence[LabelledItem]) -> list[list[int]]:
    """The grouping before issue 20, without a model registry: same link, or token_set_ratio
    >= 88 on lower-cased titles longer than 20 characters; union-find in input order."""
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    titles = [item.title.lower() for item in items]
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if find(i) == find(j):
                continue
            same = items[i].url == items[j].url or (
                fuzz.token_set_ratio(titles[i], titles[j]) >= 88 and len(titles[i]) > 20
            )
            if same:
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for index in range(len(items)):
        groups.setdefault(find(index), []).append(index)
    return list(groups.values())


def _dates_ignored(items: Sequence[LabelledItem]) -> list[list[int]]:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return our_groups([replace(item, published=moment) for item in items])


def _row(name: str, result: Score) -> str:
    return (
        f"  {name:<26} precision {result.precision:5.3f}  recall {result.recall:5.3f}  "
        f"(joined {result.true_positive + result.false_positive}: "
        f"{result.false_positive} wrongly; missed {result.false_negative})"
    )


def grouping_section(verbose: bool) -> bool:
    items, pairs = load_set()
    same = sum(pair.same for pair in pairs)
    print(f"grouping: {len(pairs)} labelled pairs ({same} same news, {len(pairs) - same} different) over {len(items)} items")  # fmt: skip
    contenders: list[tuple[str, Callable[[Sequence[LabelledItem]], list[list[int]]]]] = [
        ("ours", our_groups),
        ("previous rule (baseline)", _previous_rule),
        ("ours, dates ignored", _dates_ignored),
    ]
    ours: Score | None = None
    titles = {item.id: item.title for item in items}
    for name, grouper in contenders:
        result = score(items, pairs, grouper)
        ours = ours or result
        print(_row(name, result))
        if verbose:
            for pair in result.wrongly_joined:
                print(f"      joined: {titles[pair.a]!r} + {titles[pair.b]!r} ({pair.why})")
            for pair in result.missed:
                print(f"      missed: {titles[pair.a]!r} + {titles[pair.b]!r} ({pair.why})")
    assert ours is not None
    met = ours.precision >= PRECISION_TARGET and ours.recall >= RECALL_TARGET
    print(f"  targets precision >= {PRECISION_TARGET}, recall >= {RECALL_TARGET}: {'met' if met else 'NOT met'}")  # fmt: skip
    return met


async def _tokens_run(items: int) -> tuple[OurRun, tuple[int, int, int]]:
    """Our one call for both languages and RSS-GPT's per-item calls in one language, over the
    same recorded day, through the real `openai` client and the token-counting fake server."""
    day = recorded_day(items, "turns")
    async with FakeOpenAI(encoding="o200k_base") as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
        ours = await run_ours(server, client, day.rows, day.end, max_stories=len(day.rows))
        per_item = await run_per_item(server, client, day, Language.EN)
        await client.close()
    return ours, totals(list(per_item.values()))


def tokens_section(verbose: bool) -> bool:
    """Tokens per digest (ours: one call, ru and en, the LLM's answer at the prompt's limits)
    against per-item summarisation (RSS-GPT, one language) of the same 50 recorded items; the
    details are `bench/digest_tokens.py`'s."""
    ours, per_item = asyncio.run(_tokens_run(50))
    total = ours.prompt + ours.completion
    ratio = 100.0 * total / per_item[2]
    passed = ours.written.verdict is Verdict.PASSED and ours.covered
    print(f"tokens per digest vs per-item summarisation: 50 recorded items, {len(ours.sheet.stories)} stories, o200k_base")  # fmt: skip
    print(f"  ours (ru + en, one call)     prompt {ours.prompt:>6,}  completion {ours.completion:>6,}  total {total:>6,}  (verdict {ours.written.verdict.value}, every story covered: {'yes' if ours.covered else 'NO'})")  # fmt: skip
    print(f"  per-item RSS-GPT (baseline)  prompt {per_item[0]:>6,}  completion {per_item[1]:>6,}  total {per_item[2]:>6,}  (50 calls, one language)")  # fmt: skip
    met = ratio <= TOKENS_TARGET_PERCENT and passed
    print(f"  ours / per-item: {ratio:.1f}%   target <= {TOKENS_TARGET_PERCENT:.0f}%: {'met' if met else 'NOT met'}")  # fmt: skip
    if verbose:
        prompt, completion = where_tokens_go(ours, load_encoding("o200k_base"))
        print(f"      prompt: {prompt}")
        print(f"      completion: {completion}")
    return met


SEED_LAUNCHES = Path(__file__).resolve().parents[1] / "tests" / "data" / "seed-launches.rss"


class _CuratedOnly(Lineage):
    """The previous rule: a model is weighed only against a predecessor the curated data names."""

    def before(self, model_id: str) -> ModelInfo | None:
        model = self.models.get(model_id)
        if model is None or not model.predecessor:
            return None
        return self.models.get(model.predecessor)


async def _weighing_inputs() -> tuple[list[tuple[Item, Source]], list[ModelInfo], list[ModelFact]]:
    """Every item of the snapshot's feeds and the seed launches, and the bundled knowledge base,
    through the real collector and importers into a throwaway SQLite file."""
    snapshot = load_snapshot()
    launches = SEED_LAUNCHES
    with tempfile.TemporaryDirectory(prefix="aiprogress-bench-") as folder:
        settings = Settings.load(env_file=None)
        settings.database.url = SecretStr(f"sqlite:///{Path(folder) / 'bench.db'}")
        fetcher = SnapshotFetcher(snapshot)
        async with open_app(settings, fetcher=fetcher, clock=FixedClock(snapshot.as_of)) as app:
            for feed in snapshot.feeds:
                await app.service.add_source(feed.url, name=feed.name, backfill=True)
            await app.service.collect()
            await import_bundled_models(app.service.models)
            rows = list(
                await app.store.items.in_window(datetime(2000, 1, 1, tzinfo=UTC), snapshot.as_of)
            )
            models = await app.store.models.all()
            facts = await app.store.models.facts()
    parsed = parse_feed(launches.read_bytes(), url="https://example.org/seed-launches.rss")
    source = Source(10_000, "https://example.org/seed-launches.rss", "Launches", SourceKind.FEED,
                    TrustTier.OFFICIAL, True, snapshot.as_of)  # fmt: skip
    for index, entry in enumerate(parsed.items, start=1):
        item = Item(id=100_000 + index, source_id=source.id, guid=entry.guid, url=entry.url,
                    title=entry.title, summary=entry.summary, published_at=entry.published_at,
                    fetched_at=snapshot.as_of, content_hash=entry.content_hash)  # fmt: skip
        rows.append((item, source))
    return rows, models, facts


def _named_in_order(story: Story, items: dict[int, Item], vocabulary: ModelVocabulary) -> list[str]:
    """The known models a story is about, as the story builder reads them (`story_models`): its
    titles' and the summary it shows (a model named only past the summary's cut, in an
    abstract's methods, is no model of the story; nor one the summary names as a reference
    point for a model the registry does not know: "built upon Kimi K2.6")."""
    titles = [story.title, *(items[item_id].title for item_id in story.item_ids)]
    return story_models(titles, story.summary, vocabulary)


def _token_prefix(name: str, display: str) -> bool:
    """Whether a seed pair's name ("gpt-4.5") is the start of a display name ("GPT-4.5
    (preview)") token by token, so "gpt-4" is not GPT-4o."""
    wanted, shown = model_key(name).split("-"), model_key(display).split("-")
    return shown[: len(wanted)] == wanted


def _seed_pairs_weighed(weighings: Sequence[Weighing]) -> list[tuple[str, str]]:
    """The seed pairs (either order) some story weighs."""
    return [
        (a, b)
        for a, b in SEED_PAIRS
        if any(
            (_token_prefix(a, w.model) and _token_prefix(b, w.other))
            or (_token_prefix(b, w.model) and _token_prefix(a, w.other))
            for w in weighings
        )
    ]


def weighing_section(verbose: bool) -> bool:
    rows, models, facts = asyncio.run(_weighing_inputs())
    inputs = SheetInputs(models=models, facts=facts)
    items = {item.id: item for item, _ in rows}
    by_model: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in facts:
        by_model[fact.model_id].append(fact)
    builder = StoryBuilder(models)
    stories, _ = builder.stories(rows, inputs, max_stories=100_000)
    known = [(s, _named_in_order(s, items, builder.vocabulary)) for s in stories]
    known = [(s, ids) for s, ids in known if ids]
    # The rule before: the first named model a curated predecessor can be weighed against.
    curated = _CuratedOnly(models)
    before = {s.key: weigh_first(ids, curated, by_model) for s, ids in known}
    results = [
        ("ours", [w for s, _ in known for w in s.weighings], sum(bool(s.weighings) for s, _ in known)),
        ("curated predecessor only (before)", [w for w in before.values() if w], sum(w is not None for w in before.values())),
    ]  # fmt: skip
    if verbose:
        for story, _ in known:
            lines = "; ".join(
                f"{w.model} vs {w.other} ({w.against.value})" for w in story.weighings
            )
            print(
                f"      {'weighed' if story.weighings else 'NOT weighed'}: {story.title!r} {lines}"
            )
    print(f"weighing: model stories that carry a weighing line, {len(rows)} items of the snapshot's feeds and the seed launches, bundled knowledge base")  # fmt: skip
    for name, _, count in results:
        share = count / len(known) if known else 0.0
        print(f"  {name:<34} {count:>3} of {len(known):>3} model stories  {share:6.1%}")
    print("seed pairs weighed (digest/audit.py SEED_PAIRS, either order) in those stories")
    for name, weighings, _ in results:
        found = _seed_pairs_weighed(weighings)
        print(f"  {name:<34} {len(found):>3} of {len(SEED_PAIRS):>3} seed pairs        {len(found) / len(SEED_PAIRS):6.1%}")  # fmt: skip
        if verbose:
            missing = [f"{a} vs {b}" for a, b in SEED_PAIRS if (a, b) not in found]
            print(f"      not weighed: {', '.join(missing) or 'none'}")
    return True


async def _written() -> list[Written]:
    with tempfile.TemporaryDirectory(prefix="aiprogress-bench-") as folder:
        day, month = Path(folder) / "day", Path(folder) / "month"
        day.mkdir()
        month.mkdir()
        return [await golden_day(day), await snapshot_month(month)]


def _words_row(language: Language, count: WordCount) -> str:
    whole = count.share(count.total_russian, count.total)
    ours = count.share(count.ours_russian, count.ours)
    if language is Language.RU:
        return (
            f"    ru  whole text {count.total_russian:>4} of {count.total:>4} words Russian {whole:6.1%} (baseline)   "
            f"our words {count.ours_russian:>4} of {count.ours:>4} Russian {ours:6.1%}"
        )  # fmt: skip
    return (
        f"    en  whole text {count.total_russian:>4} of {count.total:>4} words Russian {whole:6.1%}"
        f"              our words {count.ours - count.ours_russian:>4} of {count.ours:>4} without Cyrillic"
    )  # fmt: skip


def language_section(verbose: bool) -> bool:
    """Whose words a built-in digest is made of, and in which language ours are."""
    print("language: built-in digests (no LLM), fresh SQLite; our words = all but items' titles and summaries, model, benchmark and source names, links")  # fmt: skip
    met = True
    for written in asyncio.run(_written()):
        stories = written.drafts[Language.RU].body.count("🔘 ")
        print(f"  {written.what}: {stories} stories")
        for language in (Language.RU, Language.EN):
            count = written.count(language)
            print(_words_row(language, count))
            if count.strays:
                met = False
                print(f"        not in {language.value}: {', '.join(count.strays)}")
            if verbose:
                print(f"        our words: {' '.join(count.words)}")
    print(f"  target: our words all Russian in ru, none Cyrillic in en: {'met' if met else 'NOT met'}")  # fmt: skip
    return met


SECTIONS: list[Callable[[bool], bool]] = [
    grouping_section,
    tokens_section,
    weighing_section,
    language_section,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every wrong pair")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[section.__name__.removesuffix("_section") for section in SECTIONS],
        help="run only these sections",
    )
    args = parser.parse_args()
    chosen = [
        section
        for section in SECTIONS
        if not args.only or section.__name__.removesuffix("_section") in args.only
    ]
    results = [section(args.verbose) for section in chosen]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
