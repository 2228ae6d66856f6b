"""Story grouping on the labelled set of real feed items: precision, recall, no chains, no
dependence on input order, and issue 20's cases one by one."""

from __future__ import annotations

import random
from itertools import combinations

from aiprogress.digest.grouping import group, match_strength
from tests.digest.grouping_set import (
    PRECISION_TARGET,
    RECALL_TARGET,
    LabelledItem,
    keys_of,
    load_set,
    score,
)


def _groups_by_id(items: list[LabelledItem]) -> set[frozenset[str]]:
    return {frozenset(items[index].id for index in members) for members in group(keys_of(items))}


def _together(items: list[LabelledItem], *titles: str) -> bool:
    wanted = {item.id for item in items if item.title in titles}
    assert len(wanted) == len(titles), titles
    return any(wanted <= members for members in _groups_by_id(items))


def test_the_labelled_set_is_large_enough_and_every_pair_names_known_items() -> None:
    items, pairs = load_set()
    ids = {item.id for item in items}
    assert len(pairs) >= 60
    assert sum(pair.same for pair in pairs) >= 10 and sum(not pair.same for pair in pairs) >= 40
    assert all(pair.a in ids and pair.b in ids and pair.why for pair in pairs)
    assert all(item.origin for item in items)


def test_precision_and_recall_meet_the_targets() -> None:
    items, pairs = load_set()
    result = score(items, pairs)
    assert result.precision >= PRECISION_TARGET, result.wrongly_joined
    assert result.recall >= RECALL_TARGET, result.missed


def test_every_pair_inside_a_group_matches_so_there_are_no_chains() -> None:
    items, _ = load_set()
    keys = keys_of(items)
    for members in group(keys):
        for i, j in combinations(members, 2):
            assert match_strength(keys[i], keys[j]) > 0.0, (items[i].title, items[j].title)


def test_the_groups_do_not_depend_on_the_order_of_the_items() -> None:
    items, _ = load_set()
    expected = _groups_by_id(items)
    for seed in range(20):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        assert _groups_by_id(shuffled) == expected
    assert _groups_by_id(list(reversed(items))) == expected


def test_issue_20_cases() -> None:
    items, _ = load_set()
    assert not _together(items, "Introducing Claude Haiku 4.5", "Introducing Claude Sonnet 4.5")
    assert not _together(items, "Introducing Claude Sonnet 4.6", "Introducing Claude Opus 4.6")
    assert not _together(items, "Frontier Model Security", "Security")
    chain = ("Introducing Claude Sonnet 5", "Introducing Claude Tag", "Introducing Claude Corps")
    for a, b in combinations(chain, 2):
        assert not _together(items, a, b)
    for a, b in combinations(("Orion-1.2.0 released", "Orion-2.2.1 released", "Orion-3.2.0 released"), 2):  # fmt: skip
        assert not _together(items, a, b)
    assert _together(items, "NVIDIA Nemotron 3 Ultra", "nemotron-3-ultra")
    assert _together(
        items,
        "GPT-4o mini: advancing cost-efficient intelligence",
        "OpenAI unveils GPT-4o mini, a smaller and cheaper AI model",
    )
    assert _together(
        items,
        "Introducing Claude Opus 4.6",
        "Anthropic releases Opus 4.6 with new agent teams",
        "Claude Opus 4.6 is now generally available for GitHub Copilot",
    )
