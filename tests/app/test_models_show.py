"""`models show` and `models search` give a model's release by the rule `compare` gives it by
(digest.compare.shown_release), on the bundled data through the real command line."""

# `env_with_models` is test_cli's fixture, imported rather than copied: the tests that take it
# as an argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

import json
from pathlib import Path

from tests.app.test_cli import env, env_with_models, run  # noqa: F401 (fixtures)


def test_o3_mini_is_released_on_the_day_compare_gives(env_with_models: Path) -> None:
    """models.dev dates o3-mini 20 December 2024, the day it was announced; it shipped as
    `o3-mini-2025-01-31`. `compare` set the date aside and showed 31 January 2025 while `models
    show` printed 'released 2024-12-20': both now give 31 January, the other date named."""
    code, out, err = run("models", "show", "o3-mini")
    assert code == 0, err
    assert out.splitlines()[1] == (
        "released 2025-01-31 (o3-mini-2025-01-31; 2024-12-20 in models.dev set aside: over a "
        "month before its first dated snapshot, likely an announcement or a preview)"
    )
    compared = json.loads(run("compare", "o3-mini", "o1", "--json")[1])
    assert (compared["release_dates"][0], compared["release_snapshots"][0]) == (
        "2025-01-31",
        "o3-mini-2025-01-31",
    )

    shown = json.loads(run("models", "show", "o3-mini", "--json")[1])
    # The stored record stays what the sources gave; the release shown is beside it.
    assert shown["model"]["release_date"] == "2024-12-20"
    assert shown["release"] == {
        "date": "2025-01-31",
        "snapshot": "o3-mini-2025-01-31",
        "source": "",
        "set_aside": {
            "release_date": "2024-12-20",
            "source_name": "models.dev",
            "built_on": "",
            "built_on_date": None,
            "first_snapshot": "o3-mini-2025-01-31",
            "first_snapshot_date": "2025-01-31",
        },
    }
    code, out, _ = run("models", "search", "o3 mini")
    assert code == 0
    row = next(line for line in out.splitlines() if "openai/o3-mini " in line)
    assert "2025-01-31" in row and "2024-12-20" not in row


def test_a_date_that_stands_is_shown_with_its_source(env_with_models: Path) -> None:
    """A date the curated file gives (GPT-4o's first version, 13 May 2024) is shown alone; one
    an import gave names that import, as `compare`'s release row does; one before the model
    it is built on is set aside with that model named (o3 Deep Research, dated by models.dev
    ten months before o3)."""
    assert run("models", "show", "gpt-4o")[1].splitlines()[1] == "released 2024-05-13"
    sonnet = run("models", "show", "claude sonnet 4.5")[1].splitlines()[1]
    assert sonnet == "released 2025-09-29 (models.dev)"
    research = run("models", "show", "o3-deep-research")[1].splitlines()[1]
    assert research == (
        "released 2025-06-26 (o3-deep-research-2025-06-26; 2024-06-26 in models.dev set aside: "
        "before o3 (2025-04-16))"
    )
    shown = json.loads(run("models", "show", "claude sonnet 4.5", "--json")[1])["release"]
    assert shown == {
        "date": "2025-09-29",
        "snapshot": "",
        "source": "models.dev",
        "set_aside": None,
    }
