"""Which models a story weighs against which, on the curated seed (`sources/data/seed_models.json`):
two models a story names are weighed against each other, the newer first; a sibling named
beside the story's model is news too and is weighed against the one before it; a predecessor or
a rival named beside it is only the reference."""

from __future__ import annotations

from collections import defaultdict

import pytest

from aiprogress.core.factsheet import WeighedAgainst, Weighing
from aiprogress.core.types import ModelFact
from aiprogress.digest.weighing import Lineage, weigh_story
from aiprogress.sources.importers import load_seed


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
