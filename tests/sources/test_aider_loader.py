"""The Aider leaderboard is read with libyaml's safe loader where PyYAML has it: the same runs
as the pure-Python loader, at a tenth of the CPU time (the first import reads it twice)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from aiprogress.sources.importers import aider
from aiprogress.sources.importers.aider import read_aider_polyglot

FILE = Path(__file__).parents[2] / "src/aiprogress/sources/data/snapshots/polyglot_leaderboard.yml"


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_the_leaderboard_is_read_with_libyaml_and_reads_the_same() -> None:
    assert aider._LOADER is yaml.CSafeLoader
    document = FILE.read_bytes()
    assert yaml.load(document, Loader=aider._LOADER) == yaml.safe_load(document)  # noqa: S506
    batch = read_aider_polyglot(
        document, as_of=date(2025, 10, 4), source_name="Aider", source_url="https://aider.chat"
    )
    assert len(batch.facts) == 69


def test_a_tag_that_would_build_an_object_is_refused() -> None:
    with pytest.raises(Exception, match="not valid YAML"):
        read_aider_polyglot(
            b"- !!python/object/apply:os.system ['true']\n",
            as_of=date(2025, 1, 1),
            source_name="Aider",
            source_url="https://aider.chat",
        )
