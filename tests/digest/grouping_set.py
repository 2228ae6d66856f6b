"""The labelled grouping set (`data/grouping_pairs.json`) and its precision/recall.

Each pair says whether two feed items report one piece of news, and why. Items come from the
recorded feeds in ../shared/fixtures/feeds (ORIGIN.md there) as aiprogress's parser reads them,
except the few whose `origin` names another public source (press and platform reports of a launch,
which the recorded feeds lack) or says they were constructed for issue 20's cases.

Precision and recall are counted over the pairs after grouping ALL items of the set together, so
a chain through a third item counts against the rule, as it would in a digest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aiprogress.digest.grouping import NewsKey, group, news_key

PAIRS_FILE = Path(__file__).parent / "data" / "grouping_pairs.json"
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.9


@dataclass(frozen=True, slots=True)
class LabelledItem:
    id: str
    title: str
    url: str
    source: str
    tier: str
    published: datetime
    origin: str


@dataclass(frozen=True, slots=True)
class LabelledPair:
    a: str
    b: str
    same: bool
    why: str


@dataclass(frozen=True, slots=True)
class Score:
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    missed: tuple[LabelledPair, ...]
    wrongly_joined: tuple[LabelledPair, ...]

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0


def load_set() -> tuple[list[LabelledItem], list[LabelledPair]]:
    document = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    items = [
        LabelledItem(
            id=raw["id"],
            title=raw["title"],
            url=raw["url"],
            source=raw["source"],
            tier=raw["tier"],
            published=datetime.fromisoformat(raw["published"]),
            origin=raw["origin"],
        )
        for raw in document["items"]
    ]
    pairs = [LabelledPair(raw["a"], raw["b"], raw["same"], raw["why"]) for raw in document["pairs"]]
    return items, pairs


def keys_of(items: Sequence[LabelledItem]) -> list[NewsKey]:
    return [news_key(item.title, item.url, item.published, item.source) for item in items]


def our_groups(items: Sequence[LabelledItem]) -> list[list[int]]:
    return group(keys_of(items))


def score(
    items: Sequence[LabelledItem],
    pairs: Sequence[LabelledPair],
    grouper: Callable[[Sequence[LabelledItem]], list[list[int]]] = our_groups,
) -> Score:
    group_of = {
        items[index].id: number
        for number, members in enumerate(grouper(items))
        for index in members
    }
    tp = fp = fn = tn = 0
    missed: list[LabelledPair] = []
    joined: list[LabelledPair] = []
    for pair in pairs:
        together = group_of[pair.a] == group_of[pair.b]
        if together and pair.same:
            tp += 1
        elif together:
            fp += 1
            joined.append(pair)
        elif pair.same:
            fn += 1
            missed.append(pair)
        else:
            tn += 1
    return Score(tp, fp, fn, tn, tuple(missed), tuple(joined))
