"""LLM Stats' model records: release dates only, never an announcement's, never a checkpoint's
names, never a date the record's siblings or sources contradict."""

from __future__ import annotations

import json
from datetime import date

import pytest

from aiprogress.core.errors import ImportFormatError
from aiprogress.core.types import ImportBatch
from aiprogress.sources.importers import load_llm_stats_models
from aiprogress.sources.importers.llmstats_models import (
    DROP_ANNOUNCED_ONLY,
    DROP_CHECKPOINT,
    DROP_MONTH_ONLY,
    DROP_WRONG_DATE,
    read_llm_stats_models,
)


def record(model_id: str, name: str, released: str | None, announced: str | None) -> bytes:
    fields = {
        "model_id": model_id,
        "name": name,
        "organization_id": "openai",
        "release_date": released,
        "announcement_date": announced,
    }
    return json.dumps(fields).encode()


def read(files: dict[str, bytes]) -> ImportBatch:
    return read_llm_stats_models(
        files, as_of=date(2025, 10, 16), source_name="LLM Stats", source_url="https://llm-stats.com"
    )


def test_the_release_date_is_read_and_an_announcement_never_stands_in_for_it() -> None:
    batch = read(
        {
            "organizations/openai/models/o1-mini/model.json": record(
                "o1-mini", "o1-mini", "2024-09-12", "2024-09-10"
            ),
            "organizations/openai/models/o9/model.json": record("o9", "o9", None, "2026-01-05"),
            "organizations/openai/organization.json": b"{}",
        }
    )
    by_id = {m.canonical_id: m for m in batch.models}
    assert by_id["openai/o1-mini"].release_date == date(2024, 9, 12)
    assert by_id["openai/o1-mini"].aliases == ("o1-mini",)
    assert by_id["openai/o9"].release_date is None
    assert batch.facts == ()
    assert dict(batch.dropped) == {DROP_ANNOUNCED_ONLY: 1}


def test_checkpoints_first_of_month_dates_and_contradicted_dates_are_counted_not_read() -> None:
    batch = read(
        {
            "organizations/deepseek/models/deepseek-v3-0324/model.json": record(
                "deepseek-v3-0324", "DeepSeek-V3 0324", "2025-03-25", "2025-03-25"
            ),
            "organizations/google/models/gemini-2.0-flash/model.json": record(
                "gemini-2.0-flash", "Gemini 2.0 Flash", "2024-12-01", "2024-12-01"
            ),
            "organizations/deepseek/models/deepseek-v3.1/model.json": record(
                "deepseek-v3.1", "DeepSeek-V3.1", "2025-01-10", "2025-01-10"
            ),
            "organizations/anthropic/models/claude-3-opus-20240229/model.json": record(
                "claude-3-opus-20240229", "Claude 3 Opus", "2024-02-29", "2024-02-29"
            ),
        }
    )
    by_id = {m.canonical_id: m for m in batch.models}
    assert "deepseek/deepseek-v3-0324" not in by_id  # its names would become V3's
    assert by_id["google/gemini-2.0-flash"].release_date is None
    assert by_id["deepseek/deepseek-v3.1"].release_date is None
    # A full date stays: the registry judges whether the snapshot is the line's first.
    assert by_id["anthropic/claude-3-opus-20240229"].release_date == date(2024, 2, 29)
    assert dict(batch.dropped) == {DROP_CHECKPOINT: 1, DROP_MONTH_ONLY: 1, DROP_WRONG_DATE: 1}


@pytest.mark.parametrize(
    ("path", "document", "says"),
    [
        ("organizations/openai/models/o1/model.json", b"[1]", "not a JSON object"),
        ("organizations/openai/models/o1/model.json", b"{", "not valid JSON"),
        ("organizations/openai/o1/model.json", b"{}", "organizations/<org>/models/<id>"),
        (
            "organizations/openai/models/o1/model.json",
            record("o1-pro", "o1-pro", "2024-12-17", None),
            "not 'o1'",
        ),
        (
            "organizations/openai/models/o1/model.json",
            record("o1", "o1", "December 2024", None),
            "not a YYYY-MM-DD date",
        ),
    ],
)
def test_a_malformed_record_is_an_import_error(path: str, document: bytes, says: str) -> None:
    with pytest.raises(ImportFormatError, match=says):
        read({path: document})


def test_the_bundled_copy_reads_every_record() -> None:
    batch = load_llm_stats_models()
    dropped = dict(batch.dropped)
    # 113 records: 18 checkpoints left out; 3 first-of-month and 3 contradicted dates refused.
    assert len(batch.models) + dropped[DROP_CHECKPOINT] == 113
    assert dropped == {DROP_CHECKPOINT: 18, DROP_MONTH_ONLY: 3, DROP_WRONG_DATE: 3}
