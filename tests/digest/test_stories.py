"""Clustering and ranking: one story told by several outlets is one entry listing them all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from aiprogress.core.types import (
    EventKind,
    Item,
    ModelEvent,
    ModelFact,
    ModelInfo,
    Source,
    TrustTier,
)
from aiprogress.digest.grouping import news_key
from aiprogress.digest.ranking import announces, story_kind, weigh
from aiprogress.digest.stories import SUMMARY_CHARS, SheetInputs, StoryBuilder, outlet_name
from aiprogress.sources.parse import parse_feed
from tests.conftest import TEST_DATA, snapshot_feed
from tests.digest.sheets import FACTS, MODELS, OLLAMA, OPENAI, PAPERS, rows


def _item(item_id: int, source: Source, title: str, url: str) -> tuple[Item, Source]:
    first, _ = rows()[0]
    return replace(first, id=item_id, source_id=source.id, title=title, url=url, guid=url), source


HN = Source(4, "https://news.ycombinator.com/rss", "Hacker News", OLLAMA.kind,
            TrustTier.COMMUNITY, True, OLLAMA.created_at)  # fmt: skip


def test_one_story_from_several_outlets_is_one_entry_with_all_of_them() -> None:
    reported = [
        *rows(),
        _item(
            10,
            HN,
            "OpenAI: two settings tripled GPT-5.6 scores on ARC-AGI-3",
            "https://news.ycombinator.com/item?id=1",
        ),
        _item(
            11,
            PAPERS,
            "Nemotron 3.5 Lightning on Ollama",
            "https://ollama.com/blog/nemotron-3-5-lightning",
        ),
    ]
    stories, _ = StoryBuilder(MODELS).stories(reported, SheetInputs(MODELS, FACTS), max_stories=10)
    assert len(stories) == 3
    arc = next(s for s in stories if "ARC-AGI-3" in s.title)
    assert [s.name for s in arc.sources] == ["OpenAI Research", "Hacker News"]  # lead first
    assert arc.item_ids == (2, 10)
    nemotron = next(s for s in stories if "Nemotron" in s.title)
    assert nemotron.item_ids == (1, 11) and len(nemotron.sources) == 1  # the same link


def test_ranking_weighs_coverage_tier_and_knowledge_base_events() -> None:
    plain = rows()
    stories, _ = StoryBuilder(MODELS).stories(plain, SheetInputs(MODELS, FACTS), max_stories=10)
    # OpenAI's own post first (a benchmark result, 4 + 1); Ollama's "now available" post of
    # NVIDIA's model is the release at second hand (4 + 0.5, the press's tier), ahead of the paper.
    assert [s.sources[0].name for s in stories] == ["OpenAI Research", "Ollama Blog", "Hugging Face Daily Papers"]  # fmt: skip
    assert [s.score for s in stories] == [5.0, 4.5, 3.5]
    event = ModelEvent(EventKind.NEW_MODEL, "openai/gpt-4o-mini", date(2026, 8, 20), "https://x")
    boosted, _ = StoryBuilder(MODELS).stories(
        plain, SheetInputs(MODELS, FACTS, events=(event, event)), max_stories=1
    )
    assert [s.title[:7] for s in boosted] == ["FlowEvo"]  # the paper names a model with news
    assert boosted[0].model_lines[0].other == "GPT-3.5 Turbo"
    assert OPENAI.trust_tier is TrustTier.OFFICIAL


# Titles and links as ../shared/fixtures/feeds/anthropic-news.rss and openai-research.rss carry
# them; every source untiered (community), no knowledge base.
UNTIERED = Source(5, "https://example.org/feed.xml", "A feed", OLLAMA.kind,
                  TrustTier.COMMUNITY, True, OLLAMA.created_at)  # fmt: skip
WEIGHED = (
    ("Mariano-Florentino (Tino) Cuéllar to join Anthropic as Chief Global Affairs Officer",
     "https://www.anthropic.com/news/tino-cuellar-chief-global-affairs-officer"),
    ("TCS and Anthropic partner to bring Claude to regulated industries",
     "https://www.anthropic.com/news/tcs-anthropic-partnership"),
    ("Introducing Claude for Teachers", "https://www.anthropic.com/news/claude-for-teachers"),
    ("Evaluating chain-of-thought monitorability",
     "https://openai.com/index/evaluating-chain-of-thought-monitorability"),
    ("Introducing Claude Opus 4.8", "https://www.anthropic.com/news/claude-opus-4-8"),
)  # fmt: skip


def test_a_model_launch_outranks_research_a_product_a_partnership_and_a_hire_untiered() -> None:
    reported = [
        _item(20 + index, UNTIERED, title, url) for index, (title, url) in enumerate(WEIGHED)
    ]
    stories, _ = StoryBuilder().stories(reported, SheetInputs(), max_stories=10)
    assert [s.title for s in stories] == [
        "Introducing Claude Opus 4.8",  # model release 4
        "Evaluating chain-of-thought monitorability",  # research 3
        "Introducing Claude for Teachers",  # product 2; equal weight and time: by link
        "TCS and Anthropic partner to bring Claude to regulated industries",  # partnership 2
        "Mariano-Florentino (Tino) Cuéllar to join Anthropic as Chief Global Affairs Officer",
    ]
    # Each is its lab's own post (linked to anthropic.com or openai.com): 1 over its kind.
    assert [s.score for s in stories] == [5.0, 4.0, 3.0, 3.0, 2.0]


# Titles of ../shared/fixtures/feeds/anthropic-news.rss and openai-research.rss that name a
# number or a "bench" but no model and no benchmark.
NOT_RELEASES = (
    ("Activating AI Safety Level 3 protections",
     "https://www.anthropic.com/news/activating-asl3-protections"),
    ("Anthropic’s Responsible Scaling Policy: Version 3.0",
     "https://www.anthropic.com/news/responsible-scaling-policy-v3"),
    ("Anthropic is endorsing SB 53", "https://www.anthropic.com/news/anthropic-is-endorsing-sb-53"),
    ("Claude now available in Microsoft Foundry and Microsoft 365 Copilot",
     "https://www.anthropic.com/news/claude-in-microsoft-foundry"),
    ("Claude Science, an AI workbench for scientists, is now available",
     "https://www.anthropic.com/news/claude-science-ai-workbench"),
    ("Covering electricity price increases from our data centers",
     "https://www.anthropic.com/news/covering-electricity-price-increases"),
)  # fmt: skip


def test_a_safety_level_a_policy_version_a_bill_or_a_workbench_is_no_release() -> None:
    # June 2026's digest led with "Claude Science, an AI workbench…" (read as a benchmark) above
    # "Introducing Claude Sonnet 5", and May 2025's with "Activating AI Safety Level 3
    # protections" (read as a model named "Level 3") above "Introducing Claude 4".
    launch = ("Introducing Claude Sonnet 5", "https://www.anthropic.com/news/claude-sonnet-5")
    reported = [
        _item(60 + index, UNTIERED, title, url)
        for index, (title, url) in enumerate((*NOT_RELEASES, launch))
    ]
    stories, _ = StoryBuilder().stories(reported, SheetInputs(), max_stories=10)
    scores = {s.title: s.score for s in stories}
    assert scores.pop(launch[0]) == 5.0  # a model release, Anthropic's own post (4 + 1)
    assert scores == dict.fromkeys(scores, 3.0)  # products and policy: 2 + 1
    assert stories[0].title == launch[0]


def test_an_official_source_and_wide_coverage_raise_a_story() -> None:
    official = replace(UNTIERED, id=6, trust_tier=TrustTier.OFFICIAL)
    # The titles on a site of no lab, so that only the sources' tiers count.
    hire, partnership = (
        (WEIGHED[0][0], "https://example.org/hire"),
        (WEIGHED[1][0], "https://example.org/tcs"),
    )
    one = [_item(30, official, *hire), _item(31, UNTIERED, *partnership)]
    stories, _ = StoryBuilder().stories(one, SheetInputs(), max_stories=10)
    assert [s.score for s in stories] == [2.0, 2.0]  # hire 1 + official 1 ties the partnership
    press = [replace(UNTIERED, id=10 + n, trust_tier=TrustTier.PRESS) for n in range(4)]
    covered = [
        # Four publishers, each on its own site (one site's items are one outlet).
        _item(40 + n, source, partnership[0], f"https://press{n}.example.org/tcs")
        for n, source in enumerate(press)
    ]
    launch = _item(50, UNTIERED, WEIGHED[4][0], "https://example.org/opus")
    stories, _ = StoryBuilder().stories([*covered, launch], SheetInputs(), max_stories=10)
    # A partnership told by four press outlets: 2 + 0.5 + 3 (three more outlets) > 4.
    assert [s.title[:3] for s in stories] == ["TCS", "Int"] and stories[0].score == 5.5


_NO_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def _parsed(
    name: str, url: str, source: Source, content_type: str = ""
) -> list[tuple[Item, Source]]:
    """A recorded feed (the bundled snapshot's, else tests/data's) as the collector stores it."""
    document = (
        (TEST_DATA / name).read_bytes() if (TEST_DATA / name).exists() else snapshot_feed(name)
    )
    feed = parse_feed(document, url=url, content_type=content_type or None)
    first, _ = rows()[0]
    items = [
        replace(first, id=index, source_id=source.id, guid=entry.guid, url=entry.url,
                title=entry.title, summary=entry.summary, published_at=entry.published_at)
        for index, entry in enumerate(feed.items, start=1)
    ]  # fmt: skip
    return [(item, source) for item in items]


def test_a_paper_line_shows_neither_the_listing_credit_nor_half_a_sentence() -> None:
    # Hugging Face Daily Papers puts "Generated by thinkingmachines/Inkling-Small" between its
    # machine summary and the abstract: every paper line ended "... reinforcement learning.
    # Generated…" or "... Generated by thinkingmachines/Inkling-Small…".
    papers = _parsed(
        "hf-papers.json",
        "https://huggingface.co/papers",
        PAPERS,
        content_type="application/feed+json",
    )
    assert sum("Generated by" in item.summary for item, _ in papers) == 25
    stories, _ = StoryBuilder(MODELS).stories(papers, SheetInputs(MODELS, FACTS), max_stories=100)
    assert len(stories) == 26
    assert not [s.summary for s in stories if "Generated" in s.summary or "Inkling" in s.summary]
    eximo = next(s for s in stories if s.title.startswith("EXIMO"))
    # One whole sentence where it fits, not a cut one.
    assert eximo.summary == (
        "EXIMO efficiently fine-tunes large vision-language-action robot policies by combining "
        "VLM-guided exploration, imitation on orchestrated data, and residual off-policy "
        "reinforcement learning."
    )
    for story in stories:
        assert len(story.summary) <= SUMMARY_CHARS * 1.2
        assert story.summary.endswith((".", "!", "?", "…")), story.summary


def test_a_link_label_is_no_summary_and_a_pre_release_or_win32_no_model() -> None:
    # Hacker News describes each item by a link reading "Comments": every HN line of the week
    # to 13 December 2025 showed it, and "Closures as Win32 Window Procedures" (a "Win 32"
    # model) and ty's "0.0.1-alpha.34" (an "alpha 34") led that digest as model releases.
    news = _parsed("hackernews.rss", "https://news.ycombinator.com/rss", HN)
    assert sum(item.summary == "Comments" for item, _ in news) == 30
    releases = _parsed(
        "github-releases-astral-ty.atom", "https://github.com/astral-sh/ty/releases.atom", UNTIERED
    )
    rows_ = [*news, *((replace(i, id=i.id + 100), s) for i, s in releases)]
    stories, _ = StoryBuilder().stories(rows_, SheetInputs(), max_stories=100)
    assert not [s.title for s in stories if s.summary == "Comments"]
    # Neither feed is about AI, and these items do not name it: they are not told at all
    # (`relevance`). Told, each would be a story of its own and rank as below.
    told = {s.title for s in stories}
    assert {"llamafile: Distribute and Run LLMs with a Single File"} <= told
    alone = [row for row in rows_ if row[0].title in _OFF_TOPIC]
    assert len(alone) == len(_OFF_TOPIC) and not set(_OFF_TOPIC) & told
    scores = {title: _score_alone(title) for title in _OFF_TOPIC}
    assert scores["Closures as Win32 Window Procedures"] < 4.0
    assert scores["0.0.1-alpha.34"] < 4.0
    # A job advertisement is people news (1), not a product (2): the month to 14 December 2025
    # put "EasyPost (YC S13) Is Hiring" second, after "Introducing Claude Opus 4.5".
    assert scores["EasyPost (YC S13) Is Hiring"] == 1.0


_OFF_TOPIC = (
    "Closures as Win32 Window Procedures",
    "0.0.1-alpha.34",
    "EasyPost (YC S13) Is Hiring",
)


def _score_alone(title: str) -> float:
    """A title's weight as a story of its own from a community feed, as `StoryBuilder` ranks it."""
    kind = story_kind(
        [title],
        names_versioned_model=bool(news_key(title, "", _NO_TIME, "").models),
        names_known_model=False,
        tiers=[TrustTier.COMMUNITY],
        announced=announces(title),
    )
    return weigh(kind, tiers=[TrustTier.COMMUNITY], outlets=1)


def test_an_outlet_is_named_without_the_query_its_feed_title_carries() -> None:
    # The arXiv API names its feed by its query: the week's sources listed "arXiv Query:
    # search_query=all:testing&id_list=&start=0&max_results=10".
    feed = parse_feed((TEST_DATA / "arxiv-api-query-testing.atom").read_bytes(), url="https://x")
    assert feed.title.startswith("arXiv Query: search_query=")
    source = replace(UNTIERED, name=feed.title)
    assert outlet_name(source) == "arXiv Query"
    assert outlet_name(replace(UNTIERED, name="Hacker News")) == "Hacker News"
    assert outlet_name(replace(UNTIERED, name="OpenAI: Research")) == "OpenAI: Research"
    assert outlet_name(replace(UNTIERED, name="")) == "example.org"


def test_a_story_weighs_only_models_its_reader_sees_named() -> None:
    # FlowEvo's line shows its machine summary; GPT-4o mini is named only in the abstract after
    # it, which the digest does not show, so "GPT-4o mini against GPT-3.5 Turbo" under it read
    # as the paper's result. (Minions on the Ollama blog: GPT-4o named past the cut, weighed
    # against GPT-4.)
    papers = _parsed(
        "hf-papers.json",
        "https://huggingface.co/papers",
        PAPERS,
        content_type="application/feed+json",
    )
    flowevo = next((i, s) for i, s in papers if i.title.startswith("FlowEvo"))
    assert "GPT-4o-mini" in flowevo[0].summary
    stories, _ = StoryBuilder(MODELS).stories([flowevo], SheetInputs(MODELS, FACTS), max_stories=1)
    assert "GPT-4o" not in stories[0].summary
    assert stories[0].weighings == ()


# Posts of ../shared/fixtures/feeds/anthropic-news.rss about Fable 5 after its launch, and the
# launch itself: the month to 1 July 2026 ranked "Redeploying Fable 5" and the statement on its
# suspension as model releases, beside "Introducing Claude Sonnet 5".
FOLLOW_UPS = (
    ("Statement on the US government directive to suspend access to Fable 5 and Mythos 5",
     "https://www.anthropic.com/news/fable-mythos-access"),
    ("Redeploying Fable 5", "https://www.anthropic.com/news/redeploying-fable-5"),
    ("More details on Fable 5’s cyber safeguards and our jailbreak framework",
     "https://www.anthropic.com/news/fable-safeguards-jailbreak-framework"),
    ("Improving Fable 5's biology safeguards",
     "https://www.anthropic.com/news/improving-fable-5-s-biology-safeguards"),
    ("Claude 3.5 Sonnet on GitHub Copilot",
     "https://www.anthropic.com/news/github-copilot"),
)  # fmt: skip
LAUNCHES = (
    ("Claude Fable 5 and Claude Mythos 5", "https://www.anthropic.com/news/claude-fable-5-mythos-5"),
    ("Introducing Claude Sonnet 5", "https://www.anthropic.com/news/claude-sonnet-5"),
    ("Claude 3.7 Sonnet and Claude Code", "https://www.anthropic.com/news/claude-3-7-sonnet"),
    ("Claude 3 Haiku: our fastest model yet", "https://www.anthropic.com/news/claude-3-haiku"),
    ("Grok 3 Beta — The Age of Reasoning Agents", "https://x.ai/news/grok-3"),
    ("kimi-k2.7-code", "https://ollama.com/library/kimi-k2.7-code"),
    ("Claude Opus 4.1", "https://www.anthropic.com/news/claude-opus-4-1"),
)  # fmt: skip


def _dated(index: int, title: str, url: str) -> tuple[Item, Source]:
    """An untiered item a week after the one before it, so no two are one story by time."""
    item, source = _item(80 + index, UNTIERED, title, url)
    assert item.published_at is not None
    return replace(item, published_at=item.published_at - timedelta(days=7 * index)), source


def test_a_later_post_about_a_model_is_no_release() -> None:
    reported = [
        _dated(index, title, url) for index, (title, url) in enumerate((*FOLLOW_UPS, *LAUNCHES))
    ]
    stories, _ = StoryBuilder().stories(reported, SheetInputs(), max_stories=20)
    scores = {s.title: s.score for s in stories}
    # A release 4, a product 2, and 1 more for a lab's own post (all but Ollama's library).
    assert {title: scores[title] for title, _ in LAUNCHES} == {
        title: 4.0 if "ollama.com" in url else 5.0 for title, url in LAUNCHES
    }
    assert {title: scores[title] for title, _ in FOLLOW_UPS} == dict.fromkeys(
        (title for title, _ in FOLLOW_UPS), 3.0
    )
    # A known model the registry names without a version is announced the same way.
    known = StoryBuilder(MODELS).stories(
        [_dated(20, "GPT-4o mini on Vertex AI", "https://example.org/a"),
         _dated(21, "OpenAI GPT-4o mini", "https://example.org/b")],
        SheetInputs(MODELS, FACTS),
        max_stories=2,
    )[0]  # fmt: skip
    assert [(s.title, s.score) for s in known] == [("OpenAI GPT-4o mini", 4.0), ("GPT-4o mini on Vertex AI", 2.0)]  # fmt: skip


def test_a_model_the_summary_names_as_a_reference_is_not_the_story_s(
    bundled_models_and_facts: tuple[list[ModelInfo], list[ModelFact]],
) -> None:
    # The month to 1 July 2026 weighed "kimi-k2.7-code" (Kimi K2.7 Code, "built upon Kimi
    # K2.6") as "Kimi K2.6 against Kimi K2.5", and "minicpm-v4.5" ("A GPT-4o Level MLLM") as
    # "GPT-4o against GPT-4": lines about the model the story compares itself to.
    models, facts = bundled_models_and_facts
    source = replace(
        UNTIERED, url="https://simonw.github.io/ollama-models-atom-feed/atom-recent-20.xml"
    )
    library = _parsed("ollama-models-recent-20.atom", source.url, source)
    launches = _parsed("seed-launches.rss", "https://example.org/seed-launches.rss", source)
    builder = StoryBuilder(models)
    stories, _ = builder.stories([*library, *launches], SheetInputs(models, facts), max_stories=100)
    by_title = {story.title: story for story in stories}
    assert "Kimi K2.6" in by_title["kimi-k2.7-code"].summary
    assert "GPT-4o" in by_title["minicpm-v4.5"].summary
    assert by_title["kimi-k2.7-code"].weighings == ()
    assert by_title["minicpm-v4.5"].weighings == ()
    # A name the summary gives in full is the title's model: Gemini 2.0 Pro and Flash.
    gemini = by_title["Gemini 2.0 is now available to everyone"]
    assert [(w.model, w.other) for w in gemini.weighings][:1] == [("Gemini 2.0 Pro", "Gemini 2.0 Flash")]  # fmt: skip


def test_a_lab_s_own_post_counts_as_official_whichever_feed_carries_it() -> None:
    # A reader's month to 22 August 2026, every feed added by its URL (community): Hugging Face
    # Papers' "QuoteBench" led above "Introducing Claude Opus 5", carried by a scraper's copy of
    # Anthropic's newsroom but linked to anthropic.com.
    papers = replace(UNTIERED, id=7, name="Hugging Face Papers")
    anthropic = replace(UNTIERED, id=8, name="Anthropic News")
    rows_ = [
        *_parsed("hf-papers.json", "https://x/hf", papers, "application/feed+json"),
        *(
            (replace(item, id=1000 + item.id), source)
            for item, source in _parsed("anthropic-news.rss", "https://x/a", anthropic)
        ),
    ]
    since = datetime(2026, 7, 24, tzinfo=UTC)
    month = [(i, s) for i, s in rows_ if i.published_at and i.published_at >= since]
    stories, _ = StoryBuilder().stories(month, SheetInputs(), max_stories=5)
    assert stories[0].title == "Introducing Claude Opus 5"
    assert stories[0].sources[0].trust_tier is TrustTier.OFFICIAL
    quotebench = next(s for s in stories if s.title.startswith("QuoteBench"))
    assert quotebench.sources[0].trust_tier is TrustTier.COMMUNITY


def test_at_equal_weight_a_release_leads_and_a_paper_is_no_release() -> None:
    # The same month with OpenAI's research feed too: "How enabling two settings tripled our
    # scores on the ARC-AGI-3 benchmark" (a result, 4 + 1, five days newer) led above "Introducing
    # Claude Opus 5" (a release, 4 + 1), and Hugging Face's "FlashPrefill V2: Block-Sparse
    # Prefill Attention…" and "Repo0: …" ranked as model releases, a method's name read as a
    # model's.
    feeds = (
        ("hf-papers.json", "application/feed+json"),
        ("anthropic-news.rss", ""),
        ("openai-research.rss", ""),
    )
    month: list[tuple[Item, Source]] = []
    for number, (name, content_type) in enumerate(feeds):
        source = replace(UNTIERED, id=20 + number, name=name)
        for item, _ in _parsed(name, f"https://x/{name}", source, content_type):
            if item.published_at and item.published_at >= datetime(2026, 7, 24, tzinfo=UTC):
                month.append((replace(item, id=1000 * number + item.id), source))
    stories, _ = StoryBuilder().stories(month, SheetInputs(), max_stories=50)
    assert [s.title[:25] for s in stories[:2]] == [
        "Introducing Claude Opus 5",
        "How enabling two settings",
    ]
    scores = {s.title.split(":")[0]: s.score for s in stories}
    assert (scores["FlashPrefill V2"], scores["Repo0"]) == (3.0, 3.0)  # research
