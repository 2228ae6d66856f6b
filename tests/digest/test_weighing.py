"""Which models a story weighs against which, on the curated seed (`sources/data/seed_models.json`):
two models a story names are weighed against each other, the newer first, when they share a
benchmark; a sibling named beside the story's model is news too and is weighed against the one
before it; a predecessor or a rival named beside it is only the reference. And which model a
plain name in the news is (OpenRouter's bundled listing)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest

from aiprogress.core.benchmarks import canonical_benchmark, near_chance
from aiprogress.core.factsheet import WeighedAgainst, Weighing
from aiprogress.core.types import Metric, ModelFact, ModelInfo
from aiprogress.digest.compare import compare_models, headline, telling
from aiprogress.digest.conclusions import Market
from aiprogress.digest.figures import ModelVocabulary
from aiprogress.digest.lineage import Lineage, dated_order, is_preview, same_model, variant
from aiprogress.digest.weighing import input_prices, price_at, weigh, weigh_story
from aiprogress.sources.importers import BUNDLED_SNAPSHOTS, load_bundled, load_seed


@pytest.fixture(scope="module")
def seed() -> tuple[Lineage, dict[str, list[ModelFact]]]:
    batch = load_seed()
    facts: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in batch.facts:
        facts[fact.model_id].append(fact)
    return Lineage(batch.models), facts


def pairs(weighings: tuple[Weighing, ...]) -> list[tuple[str, str, WeighedAgainst]]:
    return [(w.model, w.other, w.against) for w in weighings]


def test_siblings_named_together_newer_first_then_the_older_against_its_predecessor(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    lineage, facts = seed
    # "Gemini 2.0 Flash is generally available; Gemini 2.0 Pro is released…": Flash is named
    # first, Pro is the newer release (5 February 2025 against 11 December 2024).
    weighed = weigh_story(["google/gemini-2.0-flash", "google/gemini-2.0-pro"], lineage, facts)
    assert pairs(weighed) == [
        ("Gemini 2.0 Pro", "Gemini 2.0 Flash", WeighedAgainst.NAMED),
        ("Gemini 2.0 Flash", "Gemini 1.5 Pro", WeighedAgainst.PREDECESSOR),
    ]
    # Without the sibling, Gemini 2.0 Pro is weighed against its curated predecessor.
    alone = weigh_story(["google/gemini-2.0-pro"], lineage, facts)
    assert pairs(alone) == [("Gemini 2.0 Pro", "Gemini 1.5 Pro", WeighedAgainst.PREDECESSOR)]


def test_a_named_predecessor_is_the_reference_and_is_not_weighed_itself(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    lineage, facts = seed
    for ids in (
        ["openai/gpt-4.5-preview", "openai/gpt-4o"],
        ["openai/gpt-4o", "openai/gpt-4.5-preview"],
    ):
        weighed = weigh_story(ids, lineage, facts)
        assert pairs(weighed) == [("GPT-4.5 (preview)", "GPT-4o", WeighedAgainst.PREDECESSOR)]


def test_a_rival_named_beside_a_launch_is_the_reference(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    lineage, facts = seed
    # Another vendor's model is weighed against, not weighed further (GPT-4o's predecessor
    # stays out of a DeepSeek story).
    weighed = weigh_story(["openai/gpt-4o", "deepseek/deepseek-r1"], lineage, facts)
    assert pairs(weighed) == [("DeepSeek-R1", "GPT-4o", WeighedAgainst.NAMED)]
    line = weighed[0].benchmark
    assert line is not None and (line.value, line.other_value) == (71.72, 49.21)


def test_one_model_or_an_unknown_first_falls_back_to_the_first_that_can_be_weighed(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    lineage, facts = seed
    assert pairs(weigh_story(["xai/grok-3"], lineage, facts)) == [
        ("Grok 3", "Grok 2", WeighedAgainst.PREDECESSOR)
    ]
    assert pairs(weigh_story(["example/unknown", "xai/grok-3"], lineage, facts)) == [
        ("Grok 3", "Grok 2", WeighedAgainst.PREDECESSOR)
    ]
    assert weigh_story(["openai/gpt-3.5-turbo"], lineage, facts) == ()  # none before it


def test_models_named_together_without_a_shared_benchmark_fall_back_to_a_predecessor() -> None:
    # Constructed: a price alone is no weighing of siblings; the story's model is weighed
    # against the one before it instead.
    mini = ModelInfo("lab/phi-9-mini", "Phi 9 Mini", "Lab", predecessor="lab/phi-8-mini")
    vision = ModelInfo("lab/phi-9-vision", "Phi 9 Vision", "Lab")
    before = ModelInfo("lab/phi-8-mini", "Phi 8 Mini", "Lab")
    day = date(2025, 5, 1)

    def fact(model: ModelInfo, metric: str, value: float, unit: str) -> ModelFact:
        return ModelFact(model.canonical_id, metric, value, unit, day, "Board", "https://b")

    facts = {
        mini.canonical_id: [
            fact(mini, Metric.PRICE_INPUT, 0.08, "USD/1M tokens"),
            fact(mini, "GPQA Diamond", 55.0, "%"),  # clear of the noise
        ],
        vision.canonical_id: [fact(vision, Metric.PRICE_INPUT, 0.05, "USD/1M tokens")],
        before.canonical_id: [fact(before, "GPQA Diamond", 35.0, "%")],  # clear of chance
    }
    lineage = Lineage([mini, vision, before])
    weighed = weigh_story([mini.canonical_id, vision.canonical_id], lineage, facts)
    assert pairs(weighed) == [("Phi 9 Mini", "Phi 8 Mini", WeighedAgainst.PREDECESSOR)]


def test_a_plain_name_in_the_news_is_the_instruct_model_as_compare_reads_it() -> None:
    # OpenRouter's listing (bundled, 2025-05-23) holds both Meta's instruct models and the
    # "(base)" pretrained 405B, whose id `meta-llama/llama-3.1-405b` is the plain name.
    listing = load_bundled(next(s for s in BUNDLED_SNAPSHOTS if s.name == "openrouter-2025-05-23"))
    vocabulary = ModelVocabulary(listing.models)
    text = "Meta releases Llama 3.1 405B, with upgraded Llama 3.1 70B and 8B models."
    assert [m.canonical_id for m in vocabulary.find(text)] == [
        "meta-llama/llama-3.1-405b-instruct",
        "meta-llama/llama-3.1-70b-instruct",
    ]
    # The base weights when a text says so, as a display name writes it.
    [base] = vocabulary.find("Llama 3.1 405B (base) against Llama 3.1 405B Instruct")[:1]
    assert (base.text, base.canonical_id) == ("Llama 3.1 405B (base)", "meta-llama/llama-3.1-405b")


# --- prices as known on the story's day ----------------------------------------------------------
#
# DeepSeek-R1 against DeepSeek-V3 on the curated seed, whose prices are the bundled snapshots':
# LiteLLM 1.63.14 (22 March 2025: $0.55 / $0.27), OpenRouter (23 May 2025: $0.5 / $0.38; 15 May
# 2026: $0.7 / $0.32), LLM Stats (16 October 2025), LiteLLM 1.110.2 (20 November 2026).


def r1_price(seed: tuple[Lineage, dict[str, list[ModelFact]]], day: date) -> tuple[object, ...]:
    lineage, facts = seed
    [weighing] = weigh_story(["deepseek/deepseek-r1"], lineage, facts, day=day)
    assert (weighing.model, weighing.other) == ("DeepSeek-R1", "DeepSeek-V3")
    price = weighing.price
    assert price is not None and not price.other_source_name  # one source for both
    return price.value, price.other_value, price.source_name, price.postdated


def test_a_day_before_every_price_snapshot_takes_the_earliest_and_says_its_date(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    # R1's launch, 20 January 2025: no snapshot is that old. The most trusted source's earliest
    # list is OpenRouter's of May 2025, not its newest ($0.7 in May 2026).
    assert r1_price(seed, date(2025, 1, 21)) == (
        0.5,
        0.38,
        "OpenRouter models API",
        date(2025, 5, 23),
    )


def test_a_day_after_a_price_change_takes_the_price_known_then(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    # Between OpenRouter's two lists ($0.5 in May 2025, $0.7 in May 2026) its price on the day
    # is not known: it changed somewhere in between. LiteLLM's table, known on the day and not
    # contradicted by a later one, speaks.
    assert r1_price(seed, date(2025, 12, 1)) == (0.55, 0.27, "LiteLLM 1.67.4 price table", None)
    # After R1 went from $0.5 to $0.7 on OpenRouter.
    assert r1_price(seed, date(2026, 6, 1)) == (0.7, 0.32, "OpenRouter models API", None)
    # Before OpenRouter's first list: LiteLLM's table known on the day speaks before OpenRouter's
    # later one.
    assert r1_price(seed, date(2025, 4, 1)) == (0.55, 0.27, "LiteLLM 1.63.14 price table", None)


def test_the_conclusions_read_prices_by_the_same_rule() -> None:
    # Constructed: one model's price from two sources, cut on 1 June.
    def price(day: date, value: float, source: str) -> ModelFact:
        return ModelFact("lab/m", Metric.PRICE_INPUT, value, "USD/1M tokens", day, source, "u")

    facts = [
        price(date(2025, 6, 1), 1.0, "LiteLLM 1.67.4 price table"),
        price(date(2025, 1, 1), 2.0, "OpenRouter models API"),
        price(date(2025, 6, 1), 1.5, "OpenRouter models API"),
        price(date(2025, 3, 1), 0.0, "OpenRouter models API"),  # a free endpoint: no price
    ]
    history = input_prices(facts)["lab/m"]
    market = Market([ModelInfo("lab/m", "M", "Lab")], facts)
    for day, value in ((date(2025, 1, 1), 2.0), (date(2025, 7, 1), 1.5)):
        known = price_at(history, day)
        assert known is not None and known.value == value  # the most trusted on a shared date
        assert market.price_at("lab/m", day) == known
    # Between the $2 listing and the cut's, the price is not known: the cut fell somewhere in
    # between. A weighing line takes the later listing and says its date.
    assert price_at(history, date(2025, 2, 1)) is None
    assert market.price_at("lab/m", date(2025, 2, 1)) is None
    between = price_at(history, date(2025, 2, 1), or_later=True)
    assert between is not None and between.as_of == date(2025, 6, 1)
    assert price_at(history, date(2024, 12, 1)) is None
    assert market.price_at("lab/m", date(2024, 12, 1)) is None
    later = price_at(history, date(2024, 12, 1), or_later=True)
    assert later is not None and later.value == 2.0


# --- the one before a model, on the whole bundled knowledge base -------------------------------


@pytest.fixture(scope="module")
def bundled_knowledge(
    bundled_models_and_facts: tuple[list[ModelInfo], list[ModelFact]],
) -> tuple[Lineage, dict[str, list[ModelFact]]]:
    """The lineage of every model the bundled data holds and their facts, imported as
    `aiprogress` does (a copy of the session's import)."""
    models, all_facts = bundled_models_and_facts
    facts: dict[str, list[ModelFact]] = defaultdict(list)
    for fact in all_facts:
        facts[fact.model_id].append(fact)
    return Lineage(models), facts


@pytest.fixture(scope="module")
def bundled_lineage(bundled_knowledge: tuple[Lineage, dict[str, list[ModelFact]]]) -> Lineage:
    return bundled_knowledge[0]


def test_the_one_before_a_model_is_older_and_of_its_variant(bundled_lineage: Lineage) -> None:
    # The bundled data's release dates are not all right (models.dev dates o3 Deep Research and
    # o4 Mini Deep Research 26 June 2024), so o1 and o3 Mini were weighed against those.
    wrong = []
    for model in bundled_lineage.models.values():
        before = bundled_lineage.before(model.canonical_id)
        if before is None or model.predecessor == before.canonical_id:
            continue  # curated
        dated = model.release_date is not None and before.release_date is not None
        older = not dated or (before.release_date or date.max) < (model.release_date or date.min)
        curated = not model.release_source and not before.release_source and dated
        same = variant(model) == variant(before) or curated
        if not older or not same or before.canonical_id.startswith("~"):
            wrong.append(f"{model.display_name} <- {before.display_name}")
        # Nor the model itself earlier (Gemini 3.1 Flash Lite <- its Preview), nor a preview
        # before a finished model (GPT-4.1 <- GPT-4.5 (preview)), nor a later one by any date.
        if same_model(model, before) or (is_preview(before) and not is_preview(model)):
            wrong.append(f"{model.display_name} <- {before.display_name}")
        if dated_order(model, before):
            wrong.append(f"{model.display_name} <- {before.display_name} (later)")
    assert wrong == []


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        # The line's own previous release, not a later Deep Research model dated wrongly.
        ("openai/o3-mini", "o1-mini"),
        # No mini, no Deep Research model before it.
        ("openai/o1", None),
        # Image models among themselves ("Nano Banana"), not a base model before or after one.
        ("google/gemini-3.1-flash-image-preview", "Nano Banana (Gemini 2.5 Flash Image)"),
        ("google/gemini-3.1-pro-preview", "Gemini 2.5 Pro"),
        ("google/gemini-2.5-flash-image", None),
        # A fast mode after a fast mode; a dated snapshot has none among the plain releases.
        ("anthropic/claude-opus-4.7-fast", "Claude Opus 4.6 (Fast)"),
        ("openai/gpt-4-1106-preview", None),
        # Chat models after chat models, not the Codex line.
        ("openai/gpt-5.2-chat", "GPT-5.1 Chat"),
        # A moving alias is no release: Gemini 3 Flash follows 2.5 Flash.
        ("google/gemini-3-flash-preview", "Gemini 2.5 Flash"),
        # The name whose scores the data hold (GPQA Diamond), not the bare "Claude v2"; and
        # "Claude v2.0" is that same model, not the one after it.
        ("anthropic/claude-2.1", "Claude v2.0"),
        ("anthropic/claude-2.0", None),
        ("anthropic/claude-2", None),  # Claude 1.x and Instant are in no source we hold
        # Where the version stands in the name is no part of the line: Anthropic's "Claude
        # Sonnet 4" follows "Claude 3.7 Sonnet" (not Claude 3 Sonnet, of the models.dev family
        # the curated 3.5 and 3.7 Sonnet are not in), "Claude Haiku 4.5" follows "Claude 3.5
        # Haiku"; AI21's "Jamba Large 1.7" follows "Jamba 1.6 Large".
        ("anthropic/claude-sonnet-4", "Claude 3.7 Sonnet"),
        ("anthropic/claude-haiku-4.5", "Claude 3.5 Haiku"),
        ("anthropic/claude-3.5-haiku", "Claude 3 Haiku"),
        ("anthropic/claude-opus-4", "Claude 3 Opus"),
        ("ai21/jamba-large-1.7", "Jamba 1.6 Large"),
        # The first of their tiers in the data: Claude Instant, before Claude 3 Haiku, is in no
        # source we hold; o1-mini opened the o-series minis (GPT-4o mini is a chat model).
        ("anthropic/claude-3-haiku", None),
        ("openai/o1-mini", None),
        # A curated family may cross variants: the seed weighs 2.0 Flash against 1.5 Pro.
        ("google/gemini-2.0-flash", "Gemini 1.5 Pro"),
        # Its own Preview is the same model earlier: the previous generation of its tier.
        ("google/gemini-3.1-flash-lite", "Gemini 2.5 Flash Lite"),
        ("google/gemini-3.1-flash-lite-preview", "Gemini 2.5 Flash Lite"),
        # Two dated snapshots of one name are one model.
        ("mistralai/mistral-large-2411", None),
        # A preview precedes no finished model: GPT-4o, not GPT-4.5 (preview), before GPT-4.1.
        ("openai/gpt-4.1", "GPT-4o"),
        ("openai/gpt-5", "GPT-4.1"),
        # By the dates (models.dev's Grok 4.3, 17 April 2026; Grok 4.20's id, 9 March 2026),
        # not by "4.20" read as greater than "4.3", nor the family's last dated Grok 3.
        ("x-ai/grok-4.3", "Grok 4.20"),
        ("x-ai/grok-4.20", "Grok 4"),
    ],
)
def test_the_one_before_on_the_bundled_data(
    bundled_lineage: Lineage, model_id: str, expected: str | None
) -> None:
    before = bundled_lineage.before(model_id)
    assert (before.display_name if before is not None else None) == expected


def test_without_dates_the_lower_version_and_with_them_the_older_release() -> None:
    # Constructed: by the names, "Lab 5.1" comes after "Lab 5"; released before it, it does not.
    five = ModelInfo("lab/lab-5", "Lab 5", "Lab", release_date=date(2025, 6, 1))
    five_one = ModelInfo("lab/lab-5.1", "Lab 5.1", "Lab", release_date=date(2025, 3, 1))
    four = ModelInfo("lab/lab-4", "Lab 4", "Lab", release_date=date(2024, 1, 1))
    lineage = Lineage([five, five_one, four])
    assert lineage.before(five_one.canonical_id) == four
    assert lineage.before(five.canonical_id) == four
    undated = Lineage([replace(five, release_date=None), five_one, four])
    assert undated.before(five_one.canonical_id) == replace(five, release_date=None)


def test_versions_the_names_cannot_order_are_left_to_the_dates() -> None:
    # Constructed: "4.20" is after "4.3" read as whole numbers, before it read as decimals.
    four = ModelInfo("lab/lab-4", "Lab 4", "Lab")
    twenty = ModelInfo("lab/lab-4.20", "Lab 4.20", "Lab")
    three = ModelInfo("lab/lab-4.3", "Lab 4.3", "Lab")
    undated = Lineage([four, twenty, three])
    # Neither is known to come first, so neither is weighed against the other nor against a
    # model that one of them may follow.
    assert undated.before(three.canonical_id) is None
    assert undated.before(twenty.canonical_id) is None
    dated = Lineage(
        [
            four,
            replace(twenty, aliases=("lab/lab-4.20-20260309",)),  # a dated id
            replace(three, release_date=date(2026, 4, 17)),
        ]
    )
    assert dated.before(three.canonical_id) == dated.models[twenty.canonical_id]
    assert dated.before(twenty.canonical_id) == four
    # Versions the two readings agree on still order without dates; "2.0" is "2" (OpenRouter's
    # "Claude v2" and "Claude v2.0"), the same model and not the one before it; "2.1" follows
    # "2.0" (the data keep Claude 2's scores under "Claude v2.0").
    plain = [ModelInfo(f"lab/lab-{v}", f"Lab {v}", "Lab") for v in ("2", "2.0", "2.1", "2.9")]
    lineage = Lineage(plain)
    assert [lineage.before(m.canonical_id) for m in plain] == [None, None, *plain[1:3]]


def test_a_preview_or_snapshot_of_a_model_is_not_the_one_before_it() -> None:
    # Constructed, with dates: the preview and the dated snapshot are the model earlier.
    old = ModelInfo("lab/lab-2", "Lab 2", "Lab", family="lab", release_date=date(2025, 1, 1))
    preview = ModelInfo(
        "lab/lab-3-preview", "Lab 3 Preview", "Lab", family="lab", release_date=date(2025, 3, 1)
    )
    snapshot = ModelInfo(
        "lab/lab-3-0401", "Lab 3 (0401)", "Lab", family="lab", release_date=date(2025, 4, 1)
    )
    final = ModelInfo("lab/lab-3", "Lab 3", "Lab", family="lab", release_date=date(2025, 5, 1))
    lineage = Lineage([old, preview, snapshot, final])
    assert lineage.before(final.canonical_id) == old
    assert lineage.before(preview.canonical_id) == old  # a preview may follow a finished model
    # Named in one story, a model and its preview are one model.
    assert same_model(final, preview) and same_model(final, snapshot)
    assert not same_model(final, old)
    # A preview of another line precedes only previews.
    research = ModelInfo(
        "lab/lab-4-preview", "Lab 4 (preview)", "Lab", family="lab", release_date=date(2025, 6, 1)
    )
    after = ModelInfo("lab/lab-3.5", "Lab 3.5", "Lab", family="lab", release_date=date(2025, 7, 1))
    next_preview = replace(after, canonical_id="lab/lab-5-preview", display_name="Lab 5 Preview")
    lineage = Lineage([old, final, research, after, next_preview])
    assert lineage.before(after.canonical_id) == final
    assert lineage.before(next_preview.canonical_id) == research


def test_the_version_may_stand_anywhere_in_the_name_and_x_0_is_x() -> None:
    # Constructed, without dates: Anthropic moved the version ("Claude 3.5 Haiku", then
    # "Claude Haiku 4.5"); "Lab v2" and "Lab v2.0" are one model listed twice.
    haiku3 = ModelInfo("lab/lab-3-haiku", "Lab 3 Haiku", "Lab")
    haiku35 = ModelInfo("lab/lab-3.5-haiku", "Lab 3.5 Haiku", "Lab")
    haiku45 = ModelInfo("lab/lab-haiku-4.5", "Lab Haiku 4.5", "Lab")
    sonnet4 = ModelInfo("lab/lab-sonnet-4", "Lab Sonnet 4", "Lab")
    two = ModelInfo("lab/lab-2", "Lab v2", "Lab")
    two_zero = ModelInfo("lab/lab-2.0", "Lab v2.0", "Lab")
    two_one = ModelInfo("lab/lab-2.1", "Lab v2.1", "Lab")
    lineage = Lineage([haiku3, haiku35, haiku45, sonnet4, two, two_zero, two_one])
    assert lineage.before(haiku45.canonical_id) == haiku35
    assert lineage.before(haiku35.canonical_id) == haiku3
    assert lineage.before(sonnet4.canonical_id) is None  # another tier
    assert same_model(two, two_zero) and not same_model(two_zero, two_one)
    assert lineage.before(two_zero.canonical_id) is None
    assert lineage.before(two_one.canonical_id) == two_zero


@pytest.mark.parametrize(
    ("model_ids", "expected"),
    [
        (["google/gemini-3.1-flash-lite"], ("Gemini 3.1 Flash Lite", "Gemini 2.5 Flash Lite")),
        # The story names the model and its Preview: one model, weighed against its predecessor.
        (
            ["google/gemini-3.1-flash-lite", "google/gemini-3.1-flash-lite-preview"],
            ("Gemini 3.1 Flash Lite", "Gemini 2.5 Flash Lite"),
        ),
        (["openai/gpt-4.1"], ("GPT-4.1", "GPT-4o")),
        (["x-ai/grok-4.3"], ("Grok 4.3", "Grok 4.20")),
        # Named in either order, the later release first (Grok 4.20's date is its id's).
        (["x-ai/grok-4.20", "x-ai/grok-4.3"], ("Grok 4.3", "Grok 4.20")),
    ],
)
def test_a_story_announcing_a_model_weighs_it_against_its_predecessor(
    bundled_knowledge: tuple[Lineage, dict[str, list[ModelFact]]],
    model_ids: list[str],
    expected: tuple[str, str],
) -> None:
    lineage, facts = bundled_knowledge
    assert pairs(weigh_story(model_ids, lineage, facts)) == [
        (*expected, WeighedAgainst.PREDECESSOR)
    ]


# --- no headline near a benchmark's chance level ------------------------------------------------


def test_a_benchmark_near_its_chance_level_is_not_the_headline(
    seed: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    lineage, facts = seed
    gpt_4, gpt_35 = lineage.models["openai/gpt-4"], lineage.models["openai/gpt-3.5-turbo"]
    # Epoch's GPQA Diamond: 30.65% against 27.18%, the latter near a four-choice test's 25%.
    comparison = compare_models(
        [gpt_4, gpt_35], [*facts["openai/gpt-4"], *facts[gpt_35.canonical_id]]
    )
    gpqa = comparison.metric("GPQA Diamond")
    assert gpqa is not None and gpqa.comparable and not telling(gpqa)
    found = headline(comparison)
    assert found is not None and (found.metric, round(found.delta, 2)) == ("MATH Level 5", 11.34)
    weighed = weigh(gpt_4, gpt_35, facts)
    assert weighed is not None and weighed.benchmark is not None
    assert (weighed.benchmark.metric, weighed.benchmark.value, weighed.benchmark.other_value) == (
        "MATH Level 5",
        22.97,
        11.63,
    )
    # Well above chance, GPQA Diamond stays the headline (GPT-4.5 against GPT-4o).
    gpt_45, gpt_4o = lineage.models["openai/gpt-4.5-preview"], lineage.models["openai/gpt-4o"]
    pair = weigh(gpt_45, gpt_4o, facts)
    assert pair is not None and pair.benchmark is not None
    assert pair.benchmark.metric == "GPQA Diamond"


def test_chance_levels_belong_to_the_benchmarks() -> None:
    assert [canonical_benchmark(n).chance for n in ("GPQA diamond", "MMLU", "MMLU Pro")] == [  # type: ignore[union-attr]
        25.0,
        25.0,
        10.0,
    ]
    assert near_chance("GPQA Diamond", 27.18) and near_chance("GPQA Diamond", 20.0)
    assert not near_chance("GPQA Diamond", 30.65) and not near_chance("MATH Level 5", 11.63)
    assert not near_chance("Unregistered bench", 1.0)


def test_a_model_listed_only_later_is_priced_against_the_same_later_list(
    bundled_knowledge: tuple[Lineage, dict[str, list[ModelFact]]],
) -> None:
    # Claude Haiku 4.5's launch (15 October 2025) carried no line: OpenRouter lists it first on
    # 15 May 2026, and Claude 3.5 Haiku's price known on the day is OpenRouter's of 23 May 2025,
    # another snapshot. Its price then ($0.8) is the one the May 2026 list gives, so both come
    # from that list, dated.
    lineage, facts = bundled_knowledge
    [weighing] = weigh_story(["anthropic/claude-haiku-4.5"], lineage, facts, day=date(2025, 10, 15))
    assert (weighing.model, weighing.other) == ("Claude Haiku 4.5", "Claude 3.5 Haiku")
    price = weighing.price
    assert price is not None and not price.other_source_name
    assert (price.value, price.other_value, price.source_name, price.postdated) == (
        1.0,
        0.8,
        "OpenRouter models API",
        date(2026, 5, 15),
    )
