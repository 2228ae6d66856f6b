"""Measure the tokens of a daily digest: our writer against summarising each item separately.

The day: N recorded items (default 50) from the bundled offline snapshot of real AI feeds
(`src/aiprogress/sources/snapshot/`, provenance in its ORIGIN.md; nothing copied): the newest
item of each feed in turn (`--pick turns`: Anthropic, OpenAI, the Ollama blog and model library,
arXiv cs.AI, Hugging Face Daily Papers, BAIR) or the newest items of all feeds together
(`--pick newest`), each feed with its trust tier from the snapshot's manifest. Each contender
reads what it would read: our items are `parse_feed`'s, as the collector stores them (the text
capped at 2,000 characters); RSS-GPT gets each entry's whole text, as its `main.py` takes it
(the first content, else the description, else the title; HTML stripped, not capped).

Both contenders talk through the real `openai.AsyncOpenAI` client to `tests/servers/openai.py`,
a loopback OpenAI-compatible server that counts prompt and completion tokens with tiktoken:

  ours      `Composer().sheet` clusters and ranks the day into stories (every item kept: no
            per-source cap, `max_stories` = N), then `LlmWriter.write` makes its one request for
            both languages. The server answers with a valid draft (the built-in writer's ru and
            en documents in the answer's JSON shape); the checker must pass it (verdict PASSED)
            and every story of the sheet must be told in both languages. For reference, the same
            run with the service's default limits (`DigestLimits`) is reported too.
  per-item  RSS-GPT (github.com/yinan-c/RSS-GPT, main.py `gpt_summary`): one request per item,
            its own messages (user: the article text; assistant: the instruction, with its
            defaults keyword_length=5 and summary_length=200), in ONE language as RSS-GPT is
            configured. The server answers a keywords line and the first sentences of the item
            (at most 400 characters), shorter than the 200 words RSS-GPT asks for: the baseline
            is a lower bound. The headline ratio is ours (both languages) against this
            one-language baseline; the two-language figure (the same per-item run in Russian as
            well, answered with the same English text, again a lower bound) is printed too.

Target (issue 5): ours <= 20% of the per-item tokens, with every story covered.

    python bench/digest_tokens.py [--items 50] [--pick turns|newest] [--encoding o200k_base|cl100k_base]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import openai
from tiktoken import Encoding

from aiprogress.core.clock import FixedClock
from aiprogress.core.factsheet import FactSheet, LlmCall, Verdict, WrittenDigest
from aiprogress.core.service import DigestLimits
from aiprogress.core.types import Item, Language, Period, Source, SourceKind
from aiprogress.digest.builtin import BuiltinWriter
from aiprogress.digest.checker import Checker
from aiprogress.digest.composer import Composer
from aiprogress.digest.figures import ModelVocabulary
from aiprogress.digest.llm import LlmOptions, LlmWriter
from aiprogress.digest.llm_prompt import (
    ANALYSED_STORIES,
    ANALYSIS_WORDS,
    facts_block,
    system_prompt,
)
from aiprogress.digest.render import document_to_json
from aiprogress.digest.stories import SUMMARY_CHARS
from aiprogress.sources.parse import parse_feed
from aiprogress.sources.snapshot import load_snapshot
from aiprogress.sources.text import html_to_text

# `tests.servers` lives in the repository, not in the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.servers.openai import (
    OFFLINE_ENCODINGS,
    FakeOpenAI,
    RecordedRequest,
    Reply,
    count_text_tokens,
    load_encoding,
)

MODEL = "gpt-4o-mini"
TARGET_PERCENT = 20.0
# RSS-GPT's config.ini defaults and its English instruction (main.py, `gpt_summary`).
KEYWORD_LENGTH = 5
SUMMARY_LENGTH = 200
RSS_GPT_PROMPT = (
    "Please summarize this article in {language} language, first extract {keyword_length} "
    "keywords, output in the same line, then line break, write a summary containing all the "
    "points in {summary_length} words in {language}, output in order by points, and output in "
    "the following format '<br><br>Summary:' , <br> is the line break of HTML, 2 must be "
    "retained when output, and must be before the word 'Summary:'"
)
LANGUAGE_NAMES = {Language.EN: "English", Language.RU: "Russian"}
SUMMARY_REPLY_CHARS = 400
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]{3,}")
_STOP_WORDS = (
    "this that with from have they their them these those which while where when what into "
    "over under more most than then also such only very just your about after before between "
    "both each other some same does been being were will would could should using used show "
    "shows across within without through make makes made here there"
)
_STOP = frozenset(_STOP_WORDS.split())


# --- the day -----------------------------------------------------------------------------------


def full_texts(document: bytes, *, json_feed: bool) -> dict[str, str]:
    """Each entry's whole text by link, as RSS-GPT takes it: the first content, else the
    description (the summary of a JSON Feed), else the title; HTML stripped, not capped."""
    texts: dict[str, str] = {}
    if json_feed:
        for entry in json.loads(document)["items"]:
            raw = entry.get("content_html") or entry.get("content_text") or entry.get("summary")
            texts[str(entry.get("url", ""))] = html_to_text(str(raw or entry.get("title", "")))
        return texts
    for entry in feedparser.parse(document).entries:
        contents = entry.get("content") or []
        raw = (contents[0].get("value") if contents else "") or entry.get("description")
        texts[str(entry.get("link", ""))] = html_to_text(str(raw or entry.get("title", "")))
    return texts


@dataclass(frozen=True)
class Day:
    rows: list[tuple[Item, Source]]  # as the collector stores them
    articles: dict[int, str]  # item id: the text RSS-GPT sends
    end: datetime  # the snapshot's as-of time: the end of the digest's day


def recorded_day(count: int, pick: str) -> Day:
    """`count` recorded items. `pick` "turns": the newest item of each snapshot feed in turn;
    "newest": the newest items of all feeds together."""
    snapshot = load_snapshot()
    per_feed: list[list[tuple[Item, Source]]] = []
    articles: dict[int, str] = {}
    next_id = 1
    for number, feed in enumerate(snapshot.feeds, start=1):
        source = Source(
            id=number,
            url=feed.url,
            name=feed.name,
            kind=SourceKind.FEED,
            trust_tier=feed.trust_tier,
            enabled=True,
            created_at=snapshot.as_of,
        )
        document = snapshot.read(feed)
        parsed = parse_feed(document, url=feed.url)
        whole = full_texts(document, json_feed=feed.file.endswith(".json"))
        newest = sorted(
            parsed.items,
            key=lambda p: p.published_at or datetime.min.replace(tzinfo=UTC),
            reverse=True,
        )
        rows = []
        for entry in newest:
            item = Item(
                id=next_id,
                source_id=source.id,
                guid=entry.guid,
                url=entry.url,
                title=entry.title,
                summary=entry.summary,
                published_at=entry.published_at,
                fetched_at=snapshot.as_of,
                content_hash=entry.content_hash,
                authors=entry.authors,
                tags=entry.tags,
            )
            # RSS-GPT falls back on the title when an entry has no text.
            articles[item.id] = whole.get(entry.url) or entry.summary or entry.title
            next_id += 1
            rows.append((item, source))
        per_feed.append(rows)
    day: list[tuple[Item, Source]] = []
    if pick == "newest":
        every = [row for rows in per_feed for row in rows]
        day = sorted(every, key=lambda row: (row[0].sort_time, -row[0].id), reverse=True)
    else:
        for turn in range(max(len(rows) for rows in per_feed)):
            day += [rows[turn] for rows in per_feed if turn < len(rows)]
    if count > len(day):
        raise SystemExit(f"the snapshot holds {len(day)} items; --items {count} is too many")
    return Day(day[:count], articles, snapshot.as_of)


def default_selection(rows: Sequence[tuple[Item, Source]]) -> list[tuple[Item, Source]]:
    """The items the service would choose with its default limits (`AiProgress._select`)."""
    limits = DigestLimits()
    taken: dict[int, int] = defaultdict(int)
    chosen: list[tuple[Item, Source]] = []
    for item, source in sorted(rows, key=lambda row: row[0].sort_time, reverse=True):
        if taken[source.id] < limits.per_source and len(chosen) < limits.candidates:
            taken[source.id] += 1
            chosen.append((item, source))
    return chosen


# --- ours --------------------------------------------------------------------------------------


class MemoryLedger:
    """The writer's `LlmLedger`: calls kept in memory, no answer cache."""

    def __init__(self) -> None:
        self.calls: list[LlmCall] = []

    async def record(self, call: LlmCall) -> None:
        self.calls.append(call)

    async def tokens_since(self, since: datetime) -> int:
        return sum(c.prompt_tokens + c.completion_tokens for c in self.calls if c.at >= since)

    async def cached(self, key: str) -> str | None:
        return None

    async def cache(
        self, key: str, model: str, prompt_version: str, content: str, now: datetime
    ) -> None:
        return None


def llm_answer(sheet: FactSheet) -> tuple[dict[str, Any], list[str]]:
    """A draft in the answer's JSON shape that passes the checker and covers every story the
    writer sends (its top `max_stories`), as the prompt asks and at its limits: the top five
    analysed in `ANALYSIS_WORDS` words each (the built-in writer's text of the story, filled up
    with the causes' words in that language; citing its sources by key), the rest listed under
    "more" by title, for ru and en, with two causes and an outlook. Built-in
    takeaways the checker would reject are left out; they are returned (en) so the run can say
    so."""
    sheet = replace(sheet, stories=sheet.stories[: LlmOptions(model=MODEL).max_stories])
    answer: dict[str, Any] = {}
    documents = {language: BuiltinWriter().document(sheet, language) for language in Language}
    checker = Checker(ModelVocabulary(()))
    rejected: list[str] = []
    for language, document in documents.items():
        kept = []
        for point in document.takeaways:
            alone = replace(document, takeaways=(point,))
            if checker.check(sheet, [alone]):
                if language is Language.EN:
                    rejected.append(point.text)
            else:
                kept.append(point)
        data = document_to_json(replace(document, takeaways=tuple(kept)))
        answer[language.value] = {
            key: data[key]
            for key in ("title", "thesis", "stories", "causes", "outlook", "takeaways")
        }
        stories = answer[language.value]["stories"]
        analysed, listed = stories[: ANALYSED_STORIES[1]], stories[ANALYSED_STORIES[1] :]
        filler = " ".join(cause["text"] for cause in CAUSES[language]).split()
        for story in analysed:
            count = len(story.pop("links"))
            story["sources"] = [f"{story['story']}.{i}" for i in range(1, count + 1)]
            # As long as the prompt lets an analysis be, in words of the digest's language.
            words = story["text"].split()
            while len(words) < ANALYSIS_WORDS:
                words += filler[: ANALYSIS_WORDS - len(words)]
            story["text"] = " ".join(words[:ANALYSIS_WORDS])
        answer[language.value]["stories"] = analysed
        titles = {story.key: story.title for story in sheet.stories}
        answer[language.value]["more"] = [
            {"story": story["story"], "title": titles[story["story"]]} for story in listed
        ]
        answer[language.value]["causes"] = CAUSES[language]
        answer[language.value]["outlook"] = OUTLOOK[language]
    return answer, rejected


# What the prompt allows without figures: hedged general causes and an outlook, of the length
# the seed's voice has (two short causes, one sentence of outlook).
CAUSES = {
    Language.EN: [
        {
            "lead": "Diminishing returns",
            "text": "Each further point of capability likely costs more compute and data than "
            "the last, so gains per release shrink while prices do not.",
        },
        {
            "lead": "Competition",
            "text": "Labs answer each other within weeks, which probably keeps any lead short "
            "and pushes cheaper variants out sooner.",
        },
    ],
    Language.RU: [
        {
            "lead": "Закон убывающей отдачи",
            "text": "Каждый следующий пункт качества, вероятно, стоит больше вычислений и "
            "данных, чем предыдущий, поэтому прирост от релиза к релизу меньше.",
        },
        {
            "lead": "Конкуренция",
            "text": "Лаборатории отвечают друг другу за недели, что, вероятно, делает любое "
            "лидерство коротким и ускоряет выпуск более дешёвых версий.",
        },
    ],
}
OUTLOOK = {
    Language.EN: "This does not mean progress stops, but it likely gets more expensive.",
    Language.RU: "Это не значит, что прогресс остановится, но, вероятно, он станет дороже.",
}


@dataclass(frozen=True)
class OurRun:
    sheet: FactSheet
    written: WrittenDigest
    requests: list[RecordedRequest]
    covered: bool  # every story of the sheet told in both languages
    answer: dict[str, Any]  # the draft the server answered
    dropped: list[str]  # built-in takeaways (en) left out of the draft: the checker rejects them

    @property
    def prompt(self) -> int:
        return sum(r.prompt_tokens for r in self.requests)

    @property
    def completion(self) -> int:
        return sum(r.completion_tokens for r in self.requests)


async def run_ours(
    server: FakeOpenAI,
    client: openai.AsyncOpenAI,
    rows: Sequence[tuple[Item, Source]],
    as_of: datetime,
    max_stories: int,
) -> OurRun:
    sheet = Composer().sheet(
        rows,
        period=Period.DAY,
        window_start=as_of - Period.DAY.length,
        window_end=as_of,
        models=[],
        facts=[],
        events=[],
        max_stories=max_stories,
    )
    answer, dropped = llm_answer(sheet)
    server.script(Reply.from_json(answer))
    clock = FixedClock(as_of)
    writer = LlmWriter(
        client=client, options=LlmOptions(model=MODEL), ledger=MemoryLedger(), clock=clock
    )
    first = len(server.requests)
    written = await writer.write(sheet, [])
    keys = {story.key for story in sheet.stories}
    covered = all(
        {
            part.story
            for part in (*written.documents[language].stories, *written.documents[language].more)
        }
        == keys
        for language in Language
    )
    return OurRun(sheet, written, server.requests[first:], covered, answer, dropped)


def where_tokens_go(run: OurRun, encoding: Encoding) -> tuple[str, str]:
    """Our prompt and completion by part (tokens of each part counted alone, so the JSON
    framing is the remainder)."""

    def count(text: str) -> int:
        return count_text_tokens(text, encoding)

    # The writer sends its top `max_stories`; the rest are listed by title and link.
    sent = replace(run.sheet, stories=run.sheet.stories[: LlmOptions(model=MODEL).max_stories])
    stories = sent.stories
    system = count(system_prompt(sent.period))
    facts = count(facts_block(sent))
    titles = sum(count(story.title) for story in stories)
    summaries = sum(count(story.summary) for story in stories)
    names = sum(count(source.name) for story in stories for source in story.sources)
    prompt = (
        f"system prompt {system:,}; facts block ({len(stories)} stories) {facts:,} = titles "
        f"{titles:,}, summaries {summaries:,}, source names {names:,}, keys and framing "
        f"{facts - titles - summaries - names:,}"
    )
    parts = [part for language in Language for part in run.answer[language.value]["stories"]]
    texts = sum(count(part["text"]) for part in parts)
    links = sum(count(json.dumps(part["sources"])) for part in parts)
    listed = sum(
        count(part["title"])
        for language in Language
        for part in run.answer[language.value].get("more", [])
    )
    completion = (
        f"analysed story texts {texts:,}, their source keys {links:,}, listed titles {listed:,}, "
        f"the rest (title, thesis, causes, outlook, takeaways, JSON) "
        f"{run.completion - texts - links - listed:,}"
    )
    return prompt, completion


# --- per item, the RSS-GPT way -----------------------------------------------------------------


def rss_gpt_reply(body: dict[str, Any]) -> Reply:
    """A plausible RSS-GPT answer: five keywords on a line, then the first sentences."""
    text = str(body["messages"][0]["content"])
    words = Counter(w for w in _WORD.findall(text) if w.lower() not in _STOP)
    keywords = ", ".join(word for word, _ in words.most_common(KEYWORD_LENGTH))
    summary = " ".join(_SENTENCE.split(text)[:3])
    if len(summary) > SUMMARY_REPLY_CHARS:
        summary = summary[:SUMMARY_REPLY_CHARS].rsplit(" ", 1)[0] + "…"
    return Reply(content=f"{keywords}\n<br><br>Summary: {summary}")


async def run_per_item(
    server: FakeOpenAI,
    client: openai.AsyncOpenAI,
    day: Day,
    language: Language,
) -> dict[int, RecordedRequest]:
    """One request per item in `language`; the recorded request of each item id."""
    instruction = RSS_GPT_PROMPT.format(
        language=LANGUAGE_NAMES[language],
        keyword_length=KEYWORD_LENGTH,
        summary_length=SUMMARY_LENGTH,
    )
    server.default = rss_gpt_reply
    recorded: dict[int, RecordedRequest] = {}
    for item, _ in day.rows:
        first = len(server.requests)
        await client.chat.completions.create(
            model=MODEL,
            messages=[
                {"role": "user", "content": day.articles[item.id]},
                {"role": "assistant", "content": instruction},
            ],
        )
        (recorded[item.id],) = server.requests[first:]
    return recorded


def totals(requests: Sequence[RecordedRequest]) -> tuple[int, int, int]:
    prompt = sum(r.prompt_tokens for r in requests)
    completion = sum(r.completion_tokens for r in requests)
    return prompt, completion, prompt + completion


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else float("nan")


# --- main --------------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> int:
    day = recorded_day(args.items, args.pick)
    rows, as_of = day.rows, day.end
    async with FakeOpenAI(encoding=args.encoding) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
        ours = await run_ours(server, client, rows, as_of, max_stories=len(rows))
        limits = DigestLimits()
        default = await run_ours(server, client, default_selection(rows), as_of, limits.max_items)
        per_item = {
            language: await run_per_item(server, client, day, language)
            for language in (Language.EN, Language.RU)
        }
        await client.close()

    encoding = load_encoding(args.encoding)
    sheet = ours.sheet
    told_items = set(sheet.item_ids)
    every_item = told_items == {item.id for item, _ in rows}
    one = totals(list(per_item[Language.EN].values()))
    both = totals([*per_item[Language.EN].values(), *per_item[Language.RU].values()])
    ours_total = ours.prompt + ours.completion
    ratio = percent(ours_total, one[2])
    max_tokens = LlmOptions(model=MODEL).max_tokens
    feeds = Counter(source.name for _, source in rows)
    texts = [count_text_tokens(day.articles[item.id], encoding) for item, _ in rows]
    instruction = count_text_tokens(
        RSS_GPT_PROMPT.format(
            language="English", keyword_length=KEYWORD_LENGTH, summary_length=SUMMARY_LENGTH
        ),
        encoding,
    )
    stories = len(sheet.stories)

    options = f"--items {args.items} --pick {args.pick} --encoding {args.encoding}"
    print(f"$ python bench/digest_tokens.py {options}")
    print(f"tiktoken encoding: {args.encoding} (counted by the fake server; model name {MODEL})")
    print(
        f"day: {len(rows)} recorded items, picked '{args.pick}' from the bundled snapshot: "
        + ", ".join(f"{name} {n}" for name, n in feeds.items())
    )
    print(
        f"     item text (what RSS-GPT sends): mean {sum(texts) / len(texts):,.0f} tokens, "
        f"median {sorted(texts)[len(texts) // 2]:,}, max {max(texts):,}"
    )
    print(
        f"sheet: {stories} stories from {len(told_items)} of {len(rows)} items "
        f"(max_stories={len(rows)}, no per-source cap, SUMMARY_CHARS={SUMMARY_CHARS})"
    )
    print()
    print(f"{'':<34}{'requests':>9}{'prompt':>10}{'completion':>12}{'total':>10}")
    rows_out = [
        ("ours (ru + en, one call)", len(ours.requests), ours.prompt, ours.completion, ours_total),
        ("per-item RSS-GPT, 1 language", len(per_item[Language.EN]), *one),
        ("per-item RSS-GPT, 2 languages", 2 * len(rows), *both),
    ]
    for name, calls, prompt, completion, total in rows_out:
        print(f"{name:<34}{calls:>9}{prompt:>10,}{completion:>12,}{total:>10,}")
    print()
    met = ratio <= TARGET_PERCENT
    print(
        f"ours / per-item, 1 language (headline): {ratio:.1f}%   "
        f"target <= {TARGET_PERCENT:.0f}%: {'met' if met else 'NOT met'}"
    )
    print(f"ours / per-item, 2 languages:            {percent(ours_total, both[2]):.1f}%")
    print(
        f"every story covered: {'yes' if ours.covered else 'NO'} ({stories} of {stories} "
        f"stories told in ru and en; every item in a story: {'yes' if every_item else 'NO'}); "
        f"writer verdict: {ours.written.verdict.value}"
    )
    print()
    prompt_parts, completion_parts = where_tokens_go(ours, encoding)
    print(
        f"ours, per story: prompt {ours.prompt / stories:.0f} tokens, completion "
        f"{ours.completion / stories:.0f} (both languages)"
    )
    print(f"  prompt {ours.prompt:,}: {prompt_parts}")
    print(f"  completion {ours.completion:,}: {completion_parts}")
    print(
        f"per-item, per item: prompt {one[0] / len(rows):.0f} tokens (instruction {instruction}), "
        f"completion {one[1] / len(rows):.0f}"
    )
    if ours.completion > max_tokens:
        print(
            f"warning: our answer ({ours.completion:,} tokens) exceeds the writer's max_tokens "
            f"({max_tokens:,}): a real server would cut it there, and the JSON would not parse"
        )
    if ours.dropped:
        print(
            f"note: {len(ours.dropped)} built-in takeaway(s) left out of the draft, the checker "
            f"rejects their counts: " + "; ".join(f"'{text}'" for text in ours.dropped)
        )
    default_items = set(default.sheet.item_ids)
    default_total = default.prompt + default.completion
    default_base = totals([per_item[Language.EN][i] for i in default_items])[2]
    print(
        f"for reference, the service's default limits (max_items={limits.max_items}, "
        f"per_source={limits.per_source}): {len(default.sheet.stories)} stories from "
        f"{len(default_items)} of {len(rows)} items, prompt {default.prompt:,} + completion "
        f"{default.completion:,} = {default_total:,} tokens: {percent(default_total, one[2]):.1f}% "
        f"of per-item for all {len(rows)} items, {percent(default_total, default_base):.1f}% of "
        f"per-item for the same {len(default_items)}; verdict {default.written.verdict.value}"
    )

    failed = [
        f"{name}: verdict {run.written.verdict.value} ({'; '.join(run.written.problems[:5])})"
        for name, run in (("ours", ours), ("default limits", default))
        if run.written.verdict is not Verdict.PASSED
    ]
    if not ours.covered:
        failed.append("ours: not every story of the sheet is told")
    for problem in failed:
        print(f"FAILED {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--pick", choices=("turns", "newest"), default="turns")
    parser.add_argument("--encoding", choices=sorted(OFFLINE_ENCODINGS), default="o200k_base")
    parsed = parser.parse_args()
    if parsed.items < 1:
        parser.error("--items must be at least 1")
    sys.exit(asyncio.run(main(parsed)))
