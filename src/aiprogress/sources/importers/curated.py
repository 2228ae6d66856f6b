"""The hand-curated seed (`sources/data/seed_models.json`): our own canonical models, with their
aliases, predecessors and release dates, and facts each carrying its own source and date.

    {"version": 1,
     "models": [{canonical_id, display_name, vendor, family, release_date, open_weights,
                 aliases, predecessor, release_date_source,
                 snapshots?: [{id, release_date, default?, release_date_source, locator}]}],
     "facts": [{model_id, metric, value, unit, as_of, source_name, source_url, fixture, locator,
                setting?, setting_note?, source_model?, copy_of?, llm_stats?}]}

`snapshots` are the model's dated snapshots, each with its own release date; the one marked
`default` is what the bare name means (the snapshot a value is of when its source names none).

`setting` is what changes the score ("extended thinking"), with `setting_note` saying where that
is known from when the row itself does not say it; `copy_of` names the source a value was copied
from. A fact with `llm_stats` carries the LLM Stats row it was read from, and goes through the
same mapping and provenance gate as any LLM Stats row (`importers.llmstats`): its benchmark name,
setting and vendor page come from there, and an unverified placeholder row is dropped and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from aiprogress.core.benchmarks import join_settings
from aiprogress.core.types import ImportBatch, ModelFact, ModelInfo, Snapshot
from aiprogress.sources.importers._common import fail, iso_date, load_json, number
from aiprogress.sources.importers.llmstats import LlmStatsRow, map_row

KIND = "curated model file"
SOURCE_NAME = "curated"
VERSION = 1


def read_curated(document: bytes) -> ImportBatch:
    """Every model and fact of the file, after checking the whole file: ids are unique, facts and
    predecessors name models of the file, and no fact repeats (model, metric, date, source)."""
    root = load_json(document, KIND)
    if not isinstance(root, Mapping):
        raise fail(KIND, "expected an object with 'models' and 'facts'")
    if root.get("version") != VERSION:
        raise fail(KIND, f"version {root.get('version')!r} is not {VERSION}")
    raw_models, raw_facts = root.get("models"), root.get("facts", [])
    if not isinstance(raw_models, list) or not isinstance(raw_facts, list):
        raise fail(KIND, "'models' and 'facts' must be lists")
    models = [_model(index, entry) for index, entry in enumerate(raw_models)]
    ids = [m.canonical_id for m in models]
    for index, model in enumerate(models):
        if model.canonical_id in ids[:index]:
            raise fail(KIND, f"model {index} ({model.canonical_id!r}) repeats an id")
        if model.predecessor is not None and model.predecessor not in ids:
            raise fail(
                KIND,
                f"model {index} ({model.canonical_id!r}) has unknown predecessor "
                f"{model.predecessor!r}",
            )
    facts: list[ModelFact] = []
    dropped: Counter[str] = Counter()
    for index, entry in enumerate(raw_facts):
        kept = _fact(index, entry)
        if isinstance(kept, str):
            dropped[kept] += 1
        else:
            facts.append(kept)
    known = set(ids)
    keys: set[tuple[str, str, date, str, str]] = set()
    for index, fact in enumerate(facts):
        if fact.model_id not in known:
            raise fail(KIND, f"fact {index} is about unknown model {fact.model_id!r}")
        key = (fact.model_id, fact.metric, fact.as_of, fact.source_name, fact.setting)
        if key in keys:
            raise fail(
                KIND,
                f"fact {index} repeats {fact.model_id!r} {fact.metric!r} "
                f"of {fact.source_name!r} on {fact.as_of}",
            )
        keys.add(key)
    return ImportBatch(
        source_name=SOURCE_NAME,
        models=tuple(models),
        facts=tuple(facts),
        dropped=tuple(sorted(dropped.items())),
    )


def _model(index: int, entry: object) -> ModelInfo:
    if not isinstance(entry, Mapping):
        raise fail(KIND, f"model {index} is not an object")
    canonical_id = _string(entry, "canonical_id", f"model {index}")
    where = f"model {index} ({canonical_id!r})"
    open_weights = entry.get("open_weights")
    if open_weights is not None and not isinstance(open_weights, bool):
        raise fail(KIND, f"{where} has 'open_weights' {open_weights!r}, not true/false/null")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise fail(KIND, f"{where} has 'aliases' that is not a list of names")
    predecessor = entry.get("predecessor")
    if predecessor is not None and (not isinstance(predecessor, str) or not predecessor):
        raise fail(KIND, f"{where} has 'predecessor' {predecessor!r}, not an id or null")
    raw_snapshots = entry.get("snapshots", [])
    if not isinstance(raw_snapshots, list):
        raise fail(KIND, f"{where} has 'snapshots' that is not a list")
    snapshots = tuple(_snapshot(f"{where} snapshot {n}", s) for n, s in enumerate(raw_snapshots))
    if len([s for s in snapshots if s.is_default]) > 1:
        raise fail(KIND, f"{where} has more than one default snapshot")
    return ModelInfo(
        canonical_id=canonical_id,
        display_name=_string(entry, "display_name", where),
        vendor=_string(entry, "vendor", where),
        family=_string(entry, "family", where, required=False),
        release_date=iso_date(entry.get("release_date"), KIND, where, "'release_date'"),
        open_weights=open_weights,
        aliases=tuple(aliases),
        predecessor=predecessor,
        snapshots=snapshots,
    )


def _snapshot(where: str, entry: object) -> Snapshot:
    if not isinstance(entry, Mapping):
        raise fail(KIND, f"{where} is not an object")
    default = entry.get("default", False)
    if not isinstance(default, bool):
        raise fail(KIND, f"{where} has 'default' {default!r}, not true/false")
    return Snapshot(
        snapshot_id=_string(entry, "id", where),
        release_date=iso_date(entry.get("release_date"), KIND, where, "'release_date'"),
        is_default=default,
    )


def _fact(index: int, entry: object) -> ModelFact | str:
    """The fact, or the reason the provenance gate refused it."""
    if not isinstance(entry, Mapping):
        raise fail(KIND, f"fact {index} is not an object")
    where = f"fact {index}"
    model_id = _string(entry, "model_id", where)
    where = f"fact {index} ({model_id!r})"
    value = number(entry.get("value"), KIND, where, "'value'")
    if value is None or isinstance(entry.get("value"), str):
        raise fail(KIND, f"{where} has 'value' {entry.get('value')!r}, not a number")
    as_of = iso_date(entry.get("as_of"), KIND, where, "'as_of'")
    if as_of is None:
        raise fail(KIND, f"{where} has no 'as_of'")
    fact = ModelFact(
        model_id=model_id,
        metric=_string(entry, "metric", where),
        value=float(value),
        unit=_string(entry, "unit", where),
        as_of=as_of,
        source_name=_string(entry, "source_name", where),
        source_url=_string(entry, "source_url", where),
        setting=_string(entry, "setting", where, required=False),
        source_model=_string(entry, "source_model", where, required=False),
        copy_of=_string(entry, "copy_of", where, required=False),
    )
    raw = entry.get("llm_stats")
    if raw is None:
        return fact
    if not isinstance(raw, Mapping):
        raise fail(KIND, f"{where} has 'llm_stats' that is not an object")
    row = LlmStatsRow(
        model_id=_string(raw, "model_id", f"{where} llm_stats"),
        benchmark_id=_string(raw, "benchmark_id", f"{where} llm_stats"),
        benchmark_name=_string(raw, "benchmark_name", f"{where} llm_stats"),
        analysis_method=_string(raw, "analysis_method", f"{where} llm_stats", required=False),
        is_self_reported=raw.get("is_self_reported") is True,
        verified=raw.get("verified_by_llmstats") is True,
        source_link=_string(raw, "self_reported_source_link", where, required=False),
    )
    mapped = map_row(row, extra_setting=fact.setting)
    if isinstance(mapped, str):
        return mapped
    return replace(
        fact,
        metric=mapped.metric,
        setting=join_settings(mapped.setting),
        source_url=mapped.source_url,
        source_model=row.model_id,
    )


def _string(entry: Mapping[str, object], field: str, where: str, *, required: bool = True) -> str:
    value = entry.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise fail(KIND, f"{where} has no {field!r}")
    return value.strip()
