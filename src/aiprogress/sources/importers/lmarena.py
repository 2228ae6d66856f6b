"""LMArena (Chatbot Arena) text leaderboard as CSV: one row per model, its arena score (an
Elo-like rating), the organization that made it and its license.

A run under a setting is the plain model's entry with the setting on the fact:
`Claude 3.7 Sonnet (thinking-32k)` is Claude 3.7 Sonnet with 32k thinking, and
`Meta-Llama-3.1-405B-Instruct-fp8` is that model served in fp8 (`-bf16`, the weights as
released, is its default entry). The row's own name is kept as the fact's `source_model`.

Columns: rank, rank_stylectrl, model, arena_score, 95_pct_ci, votes, organization, license,
knowledge_cutoff, url. Only `model` and `arena_score` are required.
"""

from __future__ import annotations

from datetime import date

from aiprogress.core.types import ImportBatch, ModelInfo, Unit
from aiprogress.sources.importers._common import FactList, cell, fail, number, read_csv
from aiprogress.sources.importers._settings import split_quantisation, split_run_label

KIND = "LMArena leaderboard CSV"
METRIC = "Arena Elo"
UNIT = Unit.ELO

_REQUIRED = ("model", "arena_score")


def read_lmarena(document: bytes, *, as_of: date, source_name: str, source_url: str) -> ImportBatch:
    """One model and one "Arena Elo" fact per row. A model listed twice (the August 2025 file
    repeats `Yi-34B-Chat`, same score) is read once, from its first row."""
    rows, column = read_csv(document, KIND, _REQUIRED)
    models: dict[str, ModelInfo] = {}
    facts = FactList(as_of=as_of, source_name=source_name, source_url=source_url)
    seen: set[str] = set()
    runs: set[tuple[str, str]] = set()
    for line, row in rows:
        model_id = cell(row, column, "model")
        if not model_id:
            raise fail(KIND, f"line {line} has no 'model'")
        where = f"line {line} ({model_id!r})"
        score = number(cell(row, column, "arena_score") or None, KIND, where, "'arena_score'")
        if score is None:
            raise fail(KIND, f"{where} has no 'arena_score'")
        if model_id in seen:
            continue
        seen.add(model_id)
        base, setting = split_run_label(model_id)
        base, quantised = split_quantisation(base)
        setting = setting or quantised
        if (base, setting) in runs:
            continue
        runs.add((base, setting))
        facts.add(base, METRIC, float(score), UNIT, setting=setting, source_model=model_id)
        models.setdefault(
            base,
            ModelInfo(
                canonical_id=base,
                display_name=base,
                vendor=cell(row, column, "organization"),
                open_weights=_open_weights(cell(row, column, "license")),
            ),
        )
    return ImportBatch(
        source_name=source_name, models=tuple(models.values()), facts=tuple(facts.facts)
    )


def _open_weights(license_name: str) -> bool | None:
    """The license column: "Proprietary" (also misspelt "Propretary") means closed weights; any
    named license means published weights; an empty cell says nothing."""
    if not license_name or license_name.lower() in {"unknown", "n/a", "-"}:
        return None
    return not license_name.lower().startswith(("propr", "propietary"))
