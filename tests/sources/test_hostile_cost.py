"""Each hostile feed gets its refusal, named, or is read, and either way costs at most 30 MB of
memory over what the process had (issue 21's bound per feed). Its CPU (the bound is 0.5 s) is
measured, not asserted: `python bench/hostile.py` prints it against the bound and an ordinary
feed's; a timed assertion failed whenever the machine was busy (0.47 s quiet, 0.75 s at load 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sources.hostile_corpus import CORPUS

MAX_MB = 30.0


def test_each_hostile_feed_is_refused_by_name_within_its_memory() -> None:
    # Fails rather than skips where the measurement cannot run: a skipped bound is one nobody
    # sees go unchecked.
    if not os.access("/proc/self/clear_refs", os.W_OK):
        pytest.fail(
            "needs Linux's /proc/self/clear_refs (writable) to reset the peak resident memory "
            "before each hostile feed; without it no feed's own memory can be measured"
        )
    completed = subprocess.run(
        [sys.executable, "-m", "tests.sources.hostile_cost"],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = {row["name"]: row for row in map(json.loads, completed.stdout.splitlines())}
    assert set(figures) == {hostile.name for hostile in CORPUS}
    for hostile in CORPUS:
        row = figures[hostile.name]
        if hostile.refusal is None:
            assert row["outcome"].endswith(" items"), row
        else:
            assert row["outcome"].startswith(hostile.refusal), row
        assert row["mb"] <= MAX_MB, row
