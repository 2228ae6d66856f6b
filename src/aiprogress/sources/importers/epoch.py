"""Epoch AI Benchmarking Hub runs (`benchmarks_runs.csv`): one row per run of one model on one
task, with the model's versioned id (`gpt-4o-2024-08-06`, `claude-3-7-sonnet-20250219_64K`), the
task (`GPQA diamond`, `MATH level 5`, ...) and `Best score (across scorers)` on a 0-1 scale.

Each (model, task) becomes one fact: the best score x 100, unit "%", rounded to 2 decimals as
the curated seed rounds it (0.6868... -> 68.69). Where a model has several runs of one task, the
highest score is kept. Task names become ours ("GPQA diamond" -> "GPQA Diamond",
"FrontierMath-2025-02-28-Public" -> "FrontierMath (2025-02-28, public set)"); a task not named
below keeps Epoch's own name.

A settings suffix is taken off the model id and kept on the fact (`o1-2024-12-17_high` is
`o1-2024-12-17` at high effort; `claude-3-7-sonnet-20250219_64K` is that model with a 64k
thinking budget; OpenAI's `_medium` is the API's default effort), with the id as Epoch wrote it
as the fact's `source_model`. The id without suffix is the model's id and display name; the
registry decides which ids are aliases of which model. The file does not name
vendors. Columns: id, task, model, Best score (across scorers), Scores, log viewer, Log
download; only `task`, `model` and the best score are required.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from aiprogress.core.benchmarks import canonical_name
from aiprogress.core.types import ImportBatch, ModelInfo, Unit
from aiprogress.sources.importers._common import FactList, cell, fail, number, read_csv
from aiprogress.sources.importers._settings import split_epoch_id

KIND = "Epoch AI benchmark runs CSV"
UNIT = Unit.PERCENT

MODEL = "model"
TASK = "task"
SCORE = "Best score (across scorers)"
_REQUIRED = (MODEL, TASK, SCORE)

# Epoch's task names that the benchmark registry does not spell alike.
METRIC_BY_TASK = {
    "FrontierMath-2025-02-28-Public": "FrontierMath (2025-02-28, public set)",
    "FrontierMath-2025-02-28-Private": "FrontierMath (2025-02-28, private set)",
}

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def read_epoch(document: bytes, *, as_of: date, source_name: str, source_url: str) -> ImportBatch:
    """One model per distinct `model` and one fact per (model, task): the highest best score of
    that model's runs of that task, as a percentage. Every row is checked before anything is
    returned: a missing column, an empty model or task, or a score that is not a number from 0
    to 1 is an `ImportFormatError`."""
    rows, column = read_csv(document, KIND, _REQUIRED)

    # (model, metric, setting) -> the highest score, and the id Epoch gave that run
    best: dict[tuple[str, str, str], tuple[Decimal, str]] = {}
    models: dict[str, ModelInfo] = {}
    for line, row in rows:
        model_id = cell(row, column, MODEL)
        task = cell(row, column, TASK)
        if not model_id:
            raise fail(KIND, f"line {line} has no {MODEL!r}")
        if not task:
            raise fail(KIND, f"line {line} ({model_id!r}) has no {TASK!r}")
        where = f"line {line} ({model_id!r}, {task!r})"
        score = number(cell(row, column, SCORE) or None, KIND, where, repr(SCORE))
        if score is None:
            raise fail(KIND, f"{where} has no {SCORE!r}")
        if not 0 <= score <= 1:
            raise fail(KIND, f"{where} has {SCORE!r} {score}, not a score from 0 to 1")
        base, setting = split_epoch_id(model_id)
        key = (base, canonical_name(METRIC_BY_TASK.get(task, task)), setting)
        if key not in best or score > best[key][0]:
            best[key] = (score, model_id)
        models.setdefault(base, ModelInfo(canonical_id=base, display_name=base, vendor=""))

    facts = FactList(as_of=as_of, source_name=source_name, source_url=source_url)
    for (model_id, metric, setting), (score, run_id) in best.items():
        percent = (score * _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
        facts.add(model_id, metric, float(percent), UNIT, setting=setting, source_model=run_id)
    return ImportBatch(
        source_name=source_name, models=tuple(models.values()), facts=tuple(facts.facts)
    )
