"""The digest's lead and title on real recorded items: the bundled snapshot's feeds (byte copies
of ../shared/fixtures/feeds, `sources/snapshot/ORIGIN.md`) as the real parser reads them.

A maker's own launch leads over a distributor's "now available" post of another maker's model;
the title names the lead as the seed post's does ("Куда движется прогресс ИИ? О провале
GPT-4.5?"), with its tension where the facts hold one; a launch whose model the knowledge base
knows is weighed against the one before it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from aiprogress.core.factsheet import FactSheet, ModelLine, Story, Weighing
from aiprogress.core.types import (
    Item,
    Language,
    Metric,
    ModelFact,
    ModelInfo,
    Period,
    Source,
    SourceKind,
    TrustTier,
)
from aiprogress.digest.builtin import BuiltinWriter, headline
from aiprogress.digest.ranking import (
    distributor,
    launched_name,
    publisher,
    relayed_tier,
)
from aiprogress.digest.stories import SheetInputs, StoryBuilder
from aiprogress.sources.parse import parse_feed
from aiprogress.sources.snapshot import load_snapshot

SNAPSHOT = load_snapshot()
WINDOW_END = SNAPSHOT.as_of  # 23 August 2026: the demo's month is 24 July to 22 August


def recorded(
    start: datetime, end: datetime, names: tuple[str, ...] = ()
) -> list[tuple[Item, Source]]:
    """The snapshot's items published in [start, end), of the feeds `names` (all by default),
    as collection stores them."""
    rows: list[tuple[Item, Source]] = []
    for number, feed in enumerate(SNAPSHOT.feeds, start=1):
        if names and feed.name not in names:
            continue
        source = Source(number, feed.url, feed.name, SourceKind.FEED, feed.trust_tier, True,
                        WINDOW_END)  # fmt: skip
        parsed = parse_feed(SNAPSHOT.read(feed), url=feed.url)
        for index, entry in enumerate(parsed.items):
            when = entry.published_at
            if when is None or not start <= when < end:
                continue
            item = Item(id=number * 10_000 + index, source_id=source.id, guid=entry.guid,
                        url=entry.url, title=entry.title, summary=entry.summary,
                        published_at=when, fetched_at=when,
                        content_hash=entry.content_hash)  # fmt: skip
            rows.append((item, source))
    return rows


def ranked(
    rows: list[tuple[Item, Source]],
    models: tuple[ModelInfo, ...] = (),
    facts: tuple[ModelFact, ...] = (),
) -> tuple[Story, ...]:
    stories, _ = StoryBuilder(models).stories(
        rows, SheetInputs(models=models, facts=facts), max_stories=50
    )
    return stories


def position(stories: tuple[Story, ...], title: str) -> int:
    return next(index for index, story in enumerate(stories) if story.title == title)


MONTH = (WINDOW_END - timedelta(days=30), WINDOW_END)


def test_the_makers_launch_leads_over_a_distributors_now_available_post() -> None:
    stories = ranked(recorded(*MONTH))
    # Ollama's post that NVIDIA's model "is now available on Ollama" outranked Anthropic's own
    # launch: both were official model stories (5), and Ollama's was the newer.
    assert stories[0].title == "Introducing Claude Opus 5"
    nemotron = stories[position(stories, "NVIDIA Nemotron 3.5 Lightning")]
    # The release at second hand: the press's tier, still a release (4 + 0.5), so it comes
    # before research of the same weight (a paper on a benchmark, 4 + 0.5).
    assert nemotron.score == 4.5 < stories[0].score
    assert [source.trust_tier for source in nemotron.sources] == [TrustTier.PRESS]
    # Muse Glimmer, a name the registry does not know and without a version, reads as a
    # product (an unknown model is known by a versioned name); it is below the launch too.
    assert position(stories, "Muse Glimmer from Meta Superintelligence Labs is now available") > 0
    paper = stories[position(stories, "QuoteBench: How Matched Scores Can Hide Command-Path Failures")]  # fmt: skip
    assert paper.score == nemotron.score
    assert position(stories, nemotron.title) < position(stories, paper.title)


def test_one_publishers_two_feeds_are_one_outlet() -> None:
    # June 2026: the Ollama blog's "NVIDIA Nemotron 3 Ultra" and its model library's entry are
    # one story of one publisher (ollama.com), not two outlets' coverage (+1) that put it (6)
    # over Anthropic's "Claude Fable 5 and Claude Mythos 5" (5).
    rows = recorded(datetime(2026, 5, 25, tzinfo=UTC), datetime(2026, 6, 24, tzinfo=UTC))
    stories = ranked(rows)
    ultra = stories[position(stories, "NVIDIA Nemotron 3 Ultra")]
    assert {source.name for source in ultra.sources} >= {"Ollama Blog"}
    assert ultra.score == 4.5
    assert stories[0].title == "Claude Fable 5 and Claude Mythos 5"
    assert publisher("https://ollama.com/blog/x", "Ollama Blog") == publisher(
        "https://ollama.com/library/y", "Ollama models"
    )


def test_a_distributors_post_of_its_own_model_is_the_makers() -> None:
    # Hugging Face's post of its own model speaks for the maker; its post of another's does not,
    # nor does it lower a tier already below the press's.
    page = "https://huggingface.co/blog/smollm3"
    assert distributor(page) == "huggingface"
    assert relayed_tier(TrustTier.OFFICIAL, page, {"huggingface"}) is TrustTier.OFFICIAL
    assert relayed_tier(TrustTier.OFFICIAL, page, {"meta"}) is TrustTier.PRESS
    assert relayed_tier(TrustTier.COMMUNITY, page, ()) is TrustTier.COMMUNITY
    # A paper's page on the hub is a paper, and a lab's site is no distributor.
    assert distributor("https://huggingface.co/papers/2608.13547") is None
    assert distributor("https://www.anthropic.com/news/claude-opus-5") is None


# Claude Opus 5 and its predecessor as the knowledge base holds them once LiteLLM 1.110.2 is
# imported (its price table: $5 and $25 per 1M tokens for claude-opus-5, a 1M context; Claude
# Opus 4.7 at $5 and $25), dated as LiteLLM's release is.
LITELLM = ("LiteLLM 1.110.2 price table", "https://pypi.org/project/litellm/1.110.2/")
OPUS = (
    ModelInfo(
        "anthropic/claude-opus-4.7",
        "Claude Opus 4.7",
        "anthropic",
        aliases=("claude-opus-4-7",),
        release_date=date(2026, 4, 16),
    ),
    ModelInfo("anthropic/claude-opus-5", "Claude Opus 5", "anthropic", aliases=("claude-opus-5",)),
)


def _price(model_id: str, metric: str, value: float, day: date) -> ModelFact:
    return ModelFact(model_id, metric, value, "USD/1M tokens", day, *LITELLM)


def test_a_launch_whose_model_the_knowledge_base_knows_is_weighed_and_titled() -> None:
    day = date(2026, 11, 20)  # LiteLLM 1.110.2's table, after the launch
    facts = (
        _price("anthropic/claude-opus-5", Metric.PRICE_INPUT, 5.0, day),
        _price("anthropic/claude-opus-5", Metric.PRICE_OUTPUT, 25.0, day),
        _price("anthropic/claude-opus-4.7", Metric.PRICE_INPUT, 5.0, day),
    )
    stories = ranked(recorded(*MONTH), OPUS, facts)
    lead = stories[0]
    assert lead.title == "Introducing Claude Opus 5"
    assert [(w.model, w.other) for w in lead.weighings] == [("Claude Opus 5", "Claude Opus 4.7")]
    sheet = FactSheet(Period.MONTH, MONTH[0], MONTH[1], stories)
    ru = BuiltinWriter().document(sheet, Language.RU)
    en = BuiltinWriter().document(sheet, Language.EN)
    # The story carries the seed's line against its predecessor, and the title names the launch
    # with it (prices of a later list than the launch, so with their month, as the line says).
    assert ru.stories[0].text.splitlines()[1] == (
        "Claude Opus 5 против Claude Opus 4.7: общих бенчмарков нет, цена входа та же ($5 за "
        "1 млн токенов, цены на ноябрь 2026). Данные: LiteLLM 1.110.2 price table."
    )
    assert ru.title == (
        "Куда движется ИИ? Claude Opus 5 по цене входа Claude Opus 4.7 (цены на ноябрь 2026)?"
    )
    assert en.title == (
        "Where is AI heading? Claude Opus 5 at the input price of Claude Opus 4.7 (prices of "
        "November 2026)?"
    )
    # Unknown to the knowledge base, the launch is named by its title.
    unknown = FactSheet(Period.MONTH, MONTH[0], MONTH[1], ranked(recorded(*MONTH)))
    assert headline(unknown, Language.RU, "—") == "Куда движется ИИ? О выходе Claude Opus 5?"
    assert headline(unknown, Language.EN, "—") == (
        "Where is AI heading? On the release of Claude Opus 5?"
    )


def _line(metric: str, value: float, other: float, unit: str, **extra: object) -> ModelLine:
    return ModelLine("GPT-4.5", "GPT-4o", metric, value, other, unit, round(value - other, 2),
                     round(value / other, 2), "Epoch AI Benchmarking Hub", "https://epoch.ai",
                     **extra)  # type: ignore[arg-type]  # fmt: skip


def _lead(title: str, *weighings: Weighing) -> FactSheet:
    story = Story(key="S1", title=title, summary="", sources=(), item_ids=(1,),
                  weighings=weighings)  # fmt: skip
    return FactSheet(Period.WEEK, MONTH[1] - timedelta(days=7), MONTH[1], (story,))


GPQA = _line("GPQA Diamond", 68.7, 49.2, "%")
PRICE = _line(Metric.PRICE_INPUT, 75.0, 2.5, "USD/1M tokens")


@pytest.mark.parametrize(
    ("weighing", "ru", "en"),
    [
        (
            Weighing("GPT-4.5", "GPT-4o", GPQA, PRICE),
            "Куда движется ИИ? GPT-4.5: +19,5 п.п. на GPQA Diamond против GPT-4o при цене "
            "входа в 30 раз выше?",
            "Where is AI heading? GPT-4.5: +19.5 points on GPQA Diamond against GPT-4o for 30× "
            "the input price?",
        ),
        (
            Weighing("GPT-4.5", "GPT-4o", replace(GPQA, value=51.0, delta=1.8, margin=3.5)),
            "Куда движется ИИ? GPT-4.5 вровень с GPT-4o на GPQA Diamond?",
            "Where is AI heading? GPT-4.5 on par with GPT-4o on GPQA Diamond?",
        ),
        (
            Weighing("GPT-4.5", "GPT-4o", None, PRICE),
            "Куда движется ИИ? GPT-4.5: цена входа в 30 раз выше, чем у GPT-4o?",
            "Where is AI heading? GPT-4.5 at 30× the input price of GPT-4o?",
        ),
        (
            # Prices of a later list than the launch say their month.
            Weighing("GPT-4.5", "GPT-4o", None, replace(PRICE, postdated=date(2025, 5, 23))),
            "Куда движется ИИ? GPT-4.5: цена входа в 30 раз выше, чем у GPT-4o (цены на май 2025)?",
            "Where is AI heading? GPT-4.5 at 30× the input price of GPT-4o (prices of May 2025)?",
        ),
        (
            Weighing("GPT-4.5", "GPT-4o", None, replace(PRICE, value=1.25, ratio=0.5)),
            "Куда движется ИИ? GPT-4.5: цена входа в 2 раза ниже, чем у GPT-4o?",
            "Where is AI heading? GPT-4.5 at a 2× lower input price than GPT-4o?",
        ),
        (
            # A weighing with neither a benchmark nor a price multiple: the launch by its name.
            Weighing("GPT-4.5", "GPT-4o", None, replace(PRICE, ratio=None)),
            "Куда движется ИИ? О выходе GPT-4.5?",
            "Where is AI heading? On the release of GPT-4.5?",
        ),
    ],
)
def test_the_title_names_the_lead_and_its_tension(weighing: Weighing, ru: str, en: str) -> None:
    sheet = _lead("Introducing GPT-4.5", weighing)
    assert headline(sheet, Language.RU, "—") == ru
    assert headline(sheet, Language.EN, "—") == en


def test_the_title_without_a_launch_or_stories() -> None:
    paper = _lead("How enabling two settings tripled our scores on the ARC-AGI-3 benchmark")
    assert headline(paper, Language.RU, "—") == (
        "Куда движется ИИ? О «How enabling two settings tripled our scores on the ARC-AGI-3 "
        "benchmark»?"
    )
    empty = FactSheet(Period.WEEK, MONTH[1] - timedelta(days=7), MONTH[1], ())
    assert headline(empty, Language.EN, "16–22 August 2026") == (
        "Where is AI heading: 16–22 August 2026?"
    )
    assert launched_name("Claude Fable 5 and Claude Mythos 5") == (
        "Claude Fable 5 and Claude Mythos 5"
    )
    assert launched_name("Muse Glimmer from Meta Superintelligence Labs is now available") is None


def test_the_title_states_a_weighing_only_of_the_launched_model() -> None:
    # A launch whose story weighs a model its summary names beside it (a backbone, a rival it
    # was tested with) names the launch alone: the tension is not the launched model's.
    other = Weighing("GPT-4o mini", "GPT-3.5 Turbo", None, replace(PRICE, value=0.15, ratio=0.3))
    sheet = _lead("Introducing Claude Opus 5", other)
    assert (
        headline(sheet, Language.EN, "—") == "Where is AI heading? On the release of Claude Opus 5?"
    )
    # The launched model as the knowledge base names it: a preview, the vendor aside.
    own = Weighing("GPT-4.5 (preview)", "GPT-4o", GPQA)
    assert headline(_lead("OpenAI GPT-4.5 is now available", own), Language.EN, "—") == (
        "Where is AI heading? GPT-4.5 (preview): +19.5 points on GPQA Diamond against GPT-4o?"
    )
