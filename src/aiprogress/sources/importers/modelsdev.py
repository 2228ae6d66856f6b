"""models.dev's data folder: TOML files, read as a whole (`{relative path: bytes}`).

- `providers/<provider>/provider.toml`: the provider; its `name` is the vendor of its models.
- `providers/<provider>/models/<id>.toml`: one model as that provider serves it, with `[cost]`
  (already USD per 1M tokens) and `[limit]`. Its id is `<provider>/<id>` (`openai/gpt-4o`).
- `models/<lab>/<id>.toml`: provider-agnostic facts about a model (no prices), including
  `[[benchmarks]]`. Its id is `<lab>/<id>`.

Inheritance (models.dev's README): a provider model with `base_model = "<lab>/<id>"` takes
every field of `models/<lab>/<id>.toml` it does not set itself. Tables (`[limit]`,
`[modalities]`, `[cost]`) merge key by key, as the models.dev generator does (the snapshot's
`google/gemini-3-pro-image-preview` sets only `[limit] context` and inherits `output`); arrays
and plain values replace the base's; `base_model_omit` (dot paths such as `"limit.input"`) then
drops inherited keys. A base not in the folder is skipped: the provider file stands alone. A
provider model with no `base_model` whose id is also a `models/` file's id (a lab serving its
own model: `openai/gpt-4o`) is one model with it and inherits from it the same way. Every
other `models/` file is a model of its own (`deepseek/deepseek-r1`, which no provider serves).

Facts: `price_input`/`price_output` from `[cost] input`/`output` (an explicit 0 is kept);
`context_window`/`max_output_tokens` from `[limit] context`/`output` (0, which image and
embedding models use for "not applicable", is skipped); and the benchmarks in `_BENCHMARKS`,
whose names and units are the curated seed's. Other benchmarks are left out: they have no
counterpart there, and several (SWE-Bench Pro, Terminal-Bench, SWE-Atlas) appear more than once
per model under different harnesses and settings. For the same reason a listed benchmark that a
model gives twice is left out for that model. Every fact carries the snapshot's `as_of`, not
the date a benchmark entry cites. A benchmark entry whose `source` is another publisher's page
is a copy: the fact names that publisher in `copy_of` (aider.chat -> "Aider polyglot
leaderboard"), so a comparison never lets the copy outrank or stand in for the original; and
where the original's runs are given (`originals`), a copy that matches exactly one run's score
on the date the entry cites takes that run's setting and label: models.dev's 83.1% for Gemini
2.5 Pro is Aider's `gemini-2.5-pro-preview-06-05 (32k think)`, a thinking-budget run that must
not pass for the plain model's where Aider itself lists no run under that model's name. A
`release_date` given only as a month (`2025-02`, which the schema allows) is not turned into a
day: the model gets none. A date that is only a dated id's stamp read back yields to the day
the folder states for a sibling snapshot of the same stamp (`_dates.released_with_siblings`:
`claude-3-opus-20240229` takes `claude-3-sonnet-20240229`'s 2024-03-04).
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath
from typing import Any

from aiprogress.core.types import ImportBatch, Metric, ModelFact, ModelInfo, Unit
from aiprogress.sources.importers._common import (
    TOKENS,
    USD_PER_MTOK,
    FactList,
    fail,
    iso_date,
    number,
    whole_number,
)
from aiprogress.sources.importers._dates import released_with_siblings

KIND = "models.dev data"

# (models.dev benchmark `name`, its `metric`) -> (our metric name, unit), as the seed names them.
_BENCHMARKS: dict[tuple[str, str], tuple[str, str]] = {
    ("Aider Polyglot", "percent correct"): ("Aider Polyglot", Unit.PERCENT),
    ("Artificial Analysis Coding Index", "index"): (
        "Artificial Analysis Coding Index",
        Unit.POINTS,
    ),
    ("SciCode", "percent correct"): ("SciCode", Unit.PERCENT),
    ("Terminal-Bench Hard", "success rate"): ("Terminal-Bench Hard", Unit.PERCENT),
    ("SWE-Bench Verified", "resolved"): ("SWE-bench Verified", Unit.PERCENT),
}

# DeepSeek serves its current models under the ids `deepseek-chat` and `deepseek-reasoner`
# (models.dev 2026: released 2025-12, 1M context, 0.14/0.28 USD); 2025 sources and the curated
# seed use those ids as aliases of DeepSeek-V3 and R1, so their facts would land on the wrong
# models. The seed leaves these files out (see `sources/data/ORIGIN.md`); so can a loader.
REUSED_ID_FILES = frozenset(
    {
        "providers/deepseek/models/deepseek-chat.toml",
        "providers/deepseek/models/deepseek-reasoner.toml",
        "models/deepseek/deepseek-chat.toml",
        "models/deepseek/deepseek-reasoner.toml",
    }
)

# Release dates other held sources and models.dev's own files contradict, by model id, each
# with why. The model is kept, undated by this source; the next source may date it.
# - `google/gemini-2.0-flash-lite` says 2024-12-11, the date of Gemini 2.0 Flash
#   (`gemini-2.0-flash.toml` beside it): Flash-Lite was previewed on 2025-02-05 (LLM Stats,
#   whose record links Google's post `gemini-2-family-expands`; Epoch's
#   `gemini-2.0-flash-lite-preview-02-05`) and released generally on 2025-02-25 (Epoch's
#   `gemini-2.0-flash-lite-001`).
# - `openai/gpt-4` says 2023-11-06, the day GPT-4 Turbo was announced; GPT-4 was released on
#   2023-03-14 (the curated seed, from Epoch's `gpt-4-0314`).
# (o3-mini's "2024-12-20", its preview, is kept: a comparison sets it aside against the model's
# first dated snapshot, `o3-mini-2025-01-31`, and says why; `core.comparison`.)
WRONG_DATES = frozenset({"google/gemini-2.0-flash-lite", "openai/gpt-4"})
DROP_WRONG_DATE = "models.dev release date other sources or its own files contradict"

_LATEST = " (latest)"
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_PRICES = ((Metric.PRICE_INPUT, "input"), (Metric.PRICE_OUTPUT, "output"))
_LIMITS = ((Metric.CONTEXT_WINDOW, "context"), (Metric.MAX_OUTPUT, "output"))

Table = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Record:
    """One model after inheritance: where it was read from, and its merged fields."""

    model_id: str
    path: str
    fields: Table
    vendor: str
    base_model: str
    base_missing: bool


def read_models_dev(
    files: Mapping[str, bytes],
    *,
    as_of: date,
    source_name: str,
    source_url: str,
    originals: Sequence[ModelFact] = (),
) -> ImportBatch:
    """Every provider model (with what it inherits) and every `models/` file no provider model
    shares an id with: their models, prices, limits and listed benchmarks. Files other than
    TOML (logos, the README) are ignored; a TOML file anywhere else is an error, as is a
    provider model whose provider has no `provider.toml`. Everything is checked before anything
    is returned. `originals` are facts of the sources models.dev quotes (Aider's runs, each
    dated by its run, under its setting), against which copies are traced."""
    vendors: dict[str, str] = {}
    served: dict[str, tuple[str, str, Table]] = {}  # id -> (provider, path, fields)
    labs: dict[str, tuple[str, Table]] = {}  # id -> (path, fields)
    for path in sorted(files):
        parts = PurePosixPath(path).parts
        if not path.endswith(".toml"):
            continue
        if len(parts) == 3 and parts[0] == "providers" and parts[2] == "provider.toml":
            vendors[parts[1]] = _provider_name(_load(files[path], path), path)
        elif len(parts) >= 4 and parts[0] == "providers" and parts[2] == "models":
            model_id = "/".join((parts[1], *parts[3:]))[: -len(".toml")]
            served[model_id] = (parts[1], path, _load(files[path], path))
        elif len(parts) >= 3 and parts[0] == "models":
            labs["/".join(parts[1:])[: -len(".toml")]] = (path, _load(files[path], path))
        else:
            raise fail(
                KIND,
                f"{path} is not a providers/<id>/provider.toml, providers/<id>/models/… or "
                "models/<lab>/… file",
            )
    if not served and not labs:
        raise fail(KIND, "the folder holds no model files")

    records: list[_Record] = []
    for model_id, (provider, path, own) in served.items():
        if provider not in vendors:
            raise fail(KIND, f"{path} has no providers/{provider}/provider.toml beside it")
        base_model = own.get("base_model")
        if base_model is not None and (not isinstance(base_model, str) or "/" not in base_model):
            raise fail(KIND, f"{path} has base_model {base_model!r}, not '<lab>/<id>'")
        base_id = base_model if isinstance(base_model, str) else model_id
        base = labs[base_id][1] if base_id in labs else {}
        records.append(
            _Record(
                model_id=model_id,
                path=path,
                fields=_inherit(base, own, path),
                vendor=vendors[provider],
                base_model=base_model or "",
                base_missing=base_model is not None and base_id not in labs,
            )
        )
    for model_id, (path, fields) in labs.items():
        if model_id not in served:
            lab = model_id.split("/", 1)[0]
            records.append(_Record(model_id, path, fields, vendors.get(lab, lab), "", False))

    models: list[ModelInfo] = []
    facts = FactList(as_of=as_of, source_name=source_name, source_url=source_url)
    wrong = 0
    for record in records:
        model = _model(record)
        if model.release_date is not None and model.canonical_id in WRONG_DATES:
            model = replace(model, release_date=None)
            wrong += 1
        models.append(model)
        _add_facts(record, facts, originals)
    return ImportBatch(
        source_name=source_name,
        models=tuple(released_with_siblings(models)),
        facts=tuple(facts.facts),
        dropped=((DROP_WRONG_DATE, wrong),) if wrong else (),
    )


def folder_files(root: Traversable, *, leave_out: Collection[str] = ()) -> dict[str, bytes]:
    """The TOML files under a folder (a bundled resource or a `pathlib.Path`), keyed by their
    path relative to it, as `read_models_dev` takes them, less the paths in `leave_out`."""
    found: dict[str, bytes] = {}
    pending: list[tuple[Traversable, str]] = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        for entry in folder.iterdir():
            relative = f"{prefix}{entry.name}"
            if entry.is_dir():
                pending.append((entry, f"{relative}/"))
            elif entry.name.endswith(".toml") and relative not in leave_out:
                found[relative] = entry.read_bytes()
    return dict(sorted(found.items()))


# --- reading one file ------------------------------------------------------------------------


def _load(document: bytes, path: str) -> Table:
    try:
        return tomllib.loads(document.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise fail(KIND, f"{path} is not UTF-8 text ({_first_line(exc)})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise fail(KIND, f"{path} is not valid TOML ({_first_line(exc)})") from exc


def _provider_name(fields: Table, path: str) -> str:
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(KIND, f"{path} has no 'name'")
    return name.strip()


def _inherit(base: Table, own: Table, path: str) -> Table:
    """The provider's fields over the base's; tables merge key by key; then the omissions."""
    local = {k: v for k, v in own.items() if k not in ("base_model", "base_model_omit")}
    merged = _merge(copy.deepcopy(base), local)
    omit = own.get("base_model_omit", [])
    if not isinstance(omit, list) or not all(isinstance(p, str) and p for p in omit):
        raise fail(KIND, f"{path} has base_model_omit {omit!r}, not a list of dot paths")
    for dotted in omit:
        *tables, last = dotted.split(".")
        table: object = merged
        for key in tables:
            table = table.get(key) if isinstance(table, dict) else None
        if isinstance(table, dict):
            table.pop(last, None)
    return merged


def _merge(base: Table, own: Mapping[str, Any]) -> Table:
    for key, value in own.items():
        below = base.get(key)
        if isinstance(below, dict) and isinstance(value, dict):
            base[key] = _merge(below, value)
        else:
            base[key] = copy.deepcopy(value)
    return base


# --- one model ---------------------------------------------------------------------------------


def _model(record: _Record) -> ModelInfo:
    fields, where = record.fields, record.path
    name = _string(fields, "name", where)
    if not name:
        if not record.base_missing:
            raise fail(KIND, f"{where} has no 'name'")
        name = record.model_id  # its base, which would name it, is not in the folder
    open_weights = fields.get("open_weights")
    if open_weights is not None and not isinstance(open_weights, bool):
        raise fail(KIND, f"{where} has open_weights {open_weights!r}, not true or false")
    aliases = () if record.base_model in ("", record.model_id) else (record.base_model,)
    # Anthropic's `claude-sonnet-4-0` is "Claude Sonnet 4 (latest)": the pinned alias of one
    # model, which other sources call "Claude Sonnet 4". A `-latest` id (Mistral's
    # `mistral-large-latest`) moves from model to model and is no name of any one of them.
    if name.endswith(_LATEST) and not record.model_id.endswith("-latest"):
        aliases = (*aliases, name.removesuffix(_LATEST))
    return ModelInfo(
        canonical_id=record.model_id,
        display_name=name,
        vendor=record.vendor,
        family=_string(fields, "family", where),
        release_date=_release_date(fields.get("release_date"), where),
        open_weights=open_weights,
        aliases=aliases,
    )


def _add_facts(record: _Record, facts: FactList, originals: Sequence[ModelFact]) -> None:
    fields, where, model_id = record.fields, record.path, record.model_id
    cost = _table(fields, "cost", where)
    for metric, key in _PRICES:
        price = number(cost.get(key), KIND, where, f"[cost] {key!r}")
        if price is not None:
            if price < 0:
                raise fail(KIND, f"{where} has [cost] {key!r} {cost[key]!r}, below zero")
            facts.add(model_id, metric, float(price), USD_PER_MTOK)
    limit = _table(fields, "limit", where)
    for metric, key in _LIMITS:
        tokens = whole_number(limit.get(key), KIND, where, f"[limit] {key!r}")
        if tokens:
            facts.add(model_id, metric, float(tokens), TOKENS)
    for metric, unit, score, origin, cited in _benchmarks(fields.get("benchmarks"), where):
        setting, label = _traced(originals, origin, metric, score, cited)
        facts.add(
            model_id, metric, score, unit, copy_of=origin, setting=setting, source_model=label
        )


def _traced(
    originals: Sequence[ModelFact], origin: str, metric: str, score: float, cited: date | None
) -> tuple[str, str]:
    """The setting and run label of the one original run a copy quotes: the same metric and
    score (to the copy's 0.1) on the date the entry cites. ('', '') when no run, or runs under
    different settings, match: the copy is kept as it stands."""
    if not origin or cited is None:
        return "", ""
    runs = {
        (f.setting, f.source_model or f.model_id)
        for f in originals
        if f.source_name == origin
        and f.metric == metric
        and f.as_of == cited
        and abs(f.value - score) < 0.05
    }
    return runs.pop() if len(runs) == 1 else ("", "")


# Publishers whose results models.dev quotes, by the host of the entry's `source`, and the
# source name their own importer gives them.
ORIGINAL_SOURCES = {
    "aider.chat": "Aider polyglot leaderboard",
    "www.swebench.com": "SWE-bench leaderboard",
    "swebench.com": "SWE-bench leaderboard",
    "artificialanalysis.ai": "Artificial Analysis",
}


def _origin(entry: Mapping[str, Any]) -> str:
    """The source a benchmark entry copies: its publisher's name, '' when it cites none."""
    source = entry.get("source")
    if not isinstance(source, str) or "://" not in source:
        return ""
    host = source.split("://", 1)[1].split("/", 1)[0].lower()
    if host.endswith("models.dev"):
        return ""
    return ORIGINAL_SOURCES.get(host, host)


def _benchmarks(entries: object, where: str) -> list[tuple[str, str, float, str, date | None]]:
    """(metric, unit, score, the source it copies, the date it cites) for each listed benchmark
    the model gives once. Every entry is checked, listed or not."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise fail(KIND, f"{where} has 'benchmarks' that is not a list of [[benchmarks]] tables")
    found: list[tuple[str, str, float, str, date | None]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise fail(KIND, f"{where} has [[benchmarks]] {index} that is not a table")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(KIND, f"{where} has [[benchmarks]] {index} with no 'name'")
        at = f"{where} [[benchmarks]] {index} ({name!r})"
        score = number(entry.get("score"), KIND, at, "'score'")
        if score is None:
            raise fail(KIND, f"{at} has no 'score'")
        if score < 0:
            raise fail(KIND, f"{at} has 'score' {entry['score']!r}, below zero")
        kind = entry.get("metric", "")
        if not isinstance(kind, str):
            raise fail(KIND, f"{at} has 'metric' {kind!r}, not a string")
        ours = _BENCHMARKS.get((name.strip(), kind.strip()))
        if ours is not None:
            found.append((*ours, float(score), _origin(entry), _cited_date(entry.get("date"))))
    counts = Counter(item[0] for item in found)
    return [item for item in found if counts[item[0]] == 1]


def _cited_date(value: object) -> date | None:
    """The day a benchmark entry cites (a YYYY-MM-DD string or a TOML date), else None: it
    only serves to trace the entry to the run it quotes."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _table(fields: Table, key: str, where: str) -> Table:
    value = fields.get(key, {})
    if not isinstance(value, dict):
        raise fail(KIND, f"{where} has {key!r} that is not a [{key}] table")
    return value


def _string(fields: Table, key: str, where: str) -> str:
    value = fields.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(KIND, f"{where} has {key!r} {value!r}, not a string")
    return value.strip()


def _release_date(value: object, where: str) -> date | None:
    """A YYYY-MM-DD date (quoted, as models.dev writes it, or a TOML date); None for a month
    alone (YYYY-MM) or no date."""
    if isinstance(value, str):
        text = value.strip()
        if _MONTH.fullmatch(text):
            return None
        if not _DAY.fullmatch(text):
            # `iso_date` would take other ISO forms (20250227, 2025-W09-4) the schema does not.
            raise fail(KIND, f"{where} has release_date {value!r}, not a YYYY-MM-DD date")
    return iso_date(value, KIND, where, "release_date")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
