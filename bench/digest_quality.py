"""Digest quality (issue 20), one section per measure, each against a baseline of the same run.

  grouping   precision and recall of story grouping on the labelled set of real feed items
             (`tests/digest/data/grouping_pairs.json`, provenance in `tests/digest/grouping_set.py`):
             ours (`aiprogress.digest.grouping`) against the rule it replaced (rapidfuzz
             `token_set_ratio` >= 88 on titles longer than 20 characters or the same link, joined
             transitively), and ours with every date set equal (how much the two-day window does).
             Targets: precision >= 0.95, recall >= 0.9.

Further sections (weighing lines per model story, tokens per digest) are added beside
`grouping_section` and listed in SECTIONS.

    python bench/digest_quality.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

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


SECTIONS: list[Callable[[bool], bool]] = [grouping_section]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every wrong pair")
    args = parser.parse_args()
    results = [section(args.verbose) for section in SECTIONS]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
