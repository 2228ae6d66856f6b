"""The command line's and the logs' counts say one thing in the singular ("1 digest, 1 delivery
queued", not "1 digests, 1 deliveries queued")."""

from __future__ import annotations

from aiprogress.app.english import counted
from aiprogress.app.runtime import JobSummary


def test_counted() -> None:
    assert [counted(n, "digest") for n in (0, 1, 2)] == ["0 digests", "1 digest", "2 digests"]
    assert counted(1, "delivery", "deliveries") == "1 delivery"
    assert counted(3, "delivery", "deliveries") == "3 deliveries"


def test_a_job_line_says_one_in_the_singular() -> None:
    collect = JobSummary(
        {"sources": 1, "fetched": 1, "not_modified": 0, "failed": 0, "new_items": 1}
    )
    assert collect.text() == "1 source, 1 fetched, 0 not modified, 0 failed, 1 new item"
    publish = JobSummary({"digests": 1, "queued": 1})
    assert publish.text() == "1 digest, 1 delivery queued"
    assert JobSummary({"digests": 2, "queued": 0}).text() == "2 digests, 0 deliveries queued"
    assert JobSummary({"items_pruned": 1, "models_added": 1, "notices": 1}).text() == (
        "1 item pruned, 1 model added, 1 notice"
    )
