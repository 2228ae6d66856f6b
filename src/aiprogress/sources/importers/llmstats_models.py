"""LLM Stats model records (`data/organizations/<org>/models/<id>/model.json`): release dates.

A record has `model_id`, `name`, `organization_id`, `release_date` and `announcement_date`
(YYYY-MM-DD), a license, sizes, and links to the vendor's pages. Only the release date is read:
it fills a model of ours that has none, after the curated file and models.dev, whose dates
outrank it (`storage.models.RELEASE_DATE_TRUST`). The record's own id and name are its names, so the
registry's exact name matching decides which model of ours it is, or none.

- **An announcement is not a release.** `announcement_date` is never taken for the release: a
  record without `release_date` gives no date, and one whose announcement differs keeps only
  its release date (in the bundled copy the two are equal in every record).
- **A dated id is one snapshot.** `claude-3-opus-20240229` names a snapshot; whether its date is
  the model line's release is the registry's to judge (`core.registry`), as for any source.
- **A checkpoint id is left out.** An id ending in a short stamp (`deepseek-v3-0324`,
  `deepseek-r1-0528`, `gemini-2.5-pro-preview-06-05`, `gpt-4-0613`) names one checkpoint, and
  the registry's name matching strips such a stamp: its names would become the line's aliases
  (`compare deepseek-v3-0324` would answer with DeepSeek-V3) and its date the line's. Such a
  record is counted, not read. A full date (`claude-3-opus-20240229`) stays: the registry
  knows it for a dated snapshot.
- **A first of the month is a month, not a day.** Every such date in the bundled copy is a
  month put as its first day: Gemini 1.5 Pro and Flash "2024-05-01" (Google introduced them on
  14 May 2024), Gemini 2.0 Flash "2024-12-01" (11 December). They are refused and counted, as
  models.dev's month-only dates are not made days.
- **Dates the record's own sources or its siblings contradict** are refused and counted
  (`WRONG_DATES`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import PurePosixPath

from aiprogress.core.model_names import dated_id
from aiprogress.core.types import ImportBatch, ModelInfo
from aiprogress.sources.importers._common import fail, iso_date, load_json, text
from aiprogress.sources.importers._dates import released_with_siblings

KIND = "LLM Stats model records"

# Records whose release date cannot be right, by `<org>/<model_id>`, each with why:
# - `deepseek-v3.1` says 2025-01-10, before DeepSeek-V3-0324 (2025-03-25 in the same data),
#   the checkpoint V3.1 succeeds; DeepSeek released it on 2025-08-21 (its API news,
#   https://api-docs.deepseek.com/news/news250821), the day OpenRouter first listed it.
# - `grok-4-fast` says 2025-08-28, Grok Code Fast 1's date: its `source_paper` is Grok Code
#   Fast 1's model card, copied over; OpenRouter first listed Grok 4 Fast on 2025-09-19.
# - `gemini-1.5-flash-8b` says 2024-03-15, before Gemini 1.5 Flash itself (May 2024), whose
#   smaller version it is; OpenRouter first listed it on 2024-10-03, its general release.
WRONG_DATES = frozenset({"deepseek/deepseek-v3.1", "xai/grok-4-fast", "google/gemini-1.5-flash-8b"})
DROP_CHECKPOINT = "LLM Stats record of a checkpoint (an id ending in a short stamp)"
# A short checkpoint stamp (`-0324`, `-06-05`), not a full date (`-20240229`, `-2024-04-09`).
_CHECKPOINT = re.compile(r"-(\d{4}|\d{2}-\d{2})$")
DROP_MONTH_ONLY = "LLM Stats release date on the first of a month (a month, not a day)"
DROP_WRONG_DATE = "LLM Stats release date its own sources contradict"
DROP_ANNOUNCED_ONLY = "LLM Stats record with an announcement date but no release date"


def read_llm_stats_models(
    files: Mapping[str, bytes], *, as_of: date, source_name: str, source_url: str
) -> ImportBatch:
    """One model per `organizations/<org>/models/<id>/model.json` (other files are ignored),
    with its release date; no facts. `as_of` and `source_url` are unused: a release date is
    the model's, not a dated value (kept for the snapshot readers' signature)."""
    del as_of, source_url
    models: list[ModelInfo] = []
    dropped: dict[str, int] = {}
    for path in sorted(files):
        parts = PurePosixPath(path).parts
        if parts[-1:] != ("model.json",):
            continue
        if len(parts) != 5 or parts[0] != "organizations" or parts[2] != "models":
            raise fail(KIND, f"{path} is not organizations/<org>/models/<id>/model.json")
        record = load_json(files[path], KIND)
        if not isinstance(record, Mapping):
            raise fail(KIND, f"{path} is not a JSON object")
        model_id = text(record.get("model_id"))
        if model_id != parts[3]:
            raise fail(KIND, f"{path} has model_id {record.get('model_id')!r}, not {parts[3]!r}")
        if _CHECKPOINT.search(model_id) and dated_id(model_id) is None:
            dropped[DROP_CHECKPOINT] = dropped.get(DROP_CHECKPOINT, 0) + 1
            continue
        name = text(record.get("name")) or model_id
        released = iso_date(record.get("release_date"), KIND, path, "release_date")
        announced = iso_date(record.get("announcement_date"), KIND, path, "announcement_date")
        canonical_id = f"{parts[1]}/{model_id}"
        if released is None and announced is not None:
            dropped[DROP_ANNOUNCED_ONLY] = dropped.get(DROP_ANNOUNCED_ONLY, 0) + 1
        if released is not None and canonical_id in WRONG_DATES:
            dropped[DROP_WRONG_DATE] = dropped.get(DROP_WRONG_DATE, 0) + 1
            released = None
        elif released is not None and released.day == 1:
            dropped[DROP_MONTH_ONLY] = dropped.get(DROP_MONTH_ONLY, 0) + 1
            released = None
        models.append(
            ModelInfo(
                canonical_id=canonical_id,
                display_name=name,
                vendor="",  # the organization's id ("xai"), not a vendor's name
                release_date=released,
                aliases=(model_id,),
            )
        )
    return ImportBatch(
        source_name=source_name,
        models=tuple(released_with_siblings(models)),
        facts=(),
        dropped=tuple(dropped.items()),
    )
