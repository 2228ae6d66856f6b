"""The `Unit` enum: stored units are text, and each reads back as its member unchanged."""

from __future__ import annotations

import json

from aiprogress.core.benchmarks import BENCHMARKS
from aiprogress.core.types import Unit


def test_a_unit_stored_as_text_is_its_member() -> None:
    # Facts keep their unit as text in the database: what comes back must equal the member the
    # code compares with, and write out exactly as the text did before the enum.
    for unit in Unit:
        stored = str(unit.value)
        assert stored == unit
        assert Unit(stored) is unit
        assert f"{unit}" == stored
        assert json.dumps(unit) == json.dumps(stored)
    assert [u.value for u in Unit] == [
        "%",
        "points",
        "Elo",
        "USD/1M tokens",
        "tokens",
        "tokens/s",
        "pp",
        "$",
        "×",
    ]


def test_every_canonical_benchmark_is_in_a_known_unit() -> None:
    assert {benchmark.unit for benchmark in BENCHMARKS} <= set(Unit)
