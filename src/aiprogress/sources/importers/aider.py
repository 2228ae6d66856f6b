"""Aider's polyglot coding benchmark (`polyglot_leaderboard.yml`): a YAML list of runs, each with
the model as Aider names it, `pass_rate_2` (% of the 225 exercises solved within two tries) and
the `date` of the run.

The model name is the run's label and may carry its settings ("o3-mini (high)",
"claude-3-7-sonnet-20250219 (32k thinking tokens)"): the setting is taken off the name and kept
on the fact ("(no thinking)" is the default run), the label as Aider wrote it is the fact's
`source_model`, and the registry decides which names are aliases of which model. A parenthesis
that is not a setting ("DeepSeek V3 (0324)") stays part of the name. The file does not name
vendors.
"""

from __future__ import annotations

from datetime import date

import yaml

from aiprogress.core.types import ImportBatch, ModelInfo, Unit
from aiprogress.sources.importers._common import FactList, fail, iso_date, keyed_entry, number
from aiprogress.sources.importers._settings import split_run_label

KIND = "Aider polyglot leaderboard"
# libyaml's safe loader where PyYAML was built with it (the wheels are): the same documents and
# values as `yaml.safe_load`, about ten times faster. The bundled file (69 runs) took 0.2 s of
# CPU with the pure-Python loader, read twice by the first import (models.dev's copies are
# traced to its runs): a fifth of that import.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
METRIC = "Aider Polyglot"
UNIT = Unit.PERCENT


def read_aider_polyglot(
    document: bytes, *, as_of: date, source_name: str, source_url: str
) -> ImportBatch:
    """One "Aider Polyglot" fact per run, dated by the run's own `date` (`as_of` only when a run
    has none). Two runs of one model with one setting on one day keep the first."""
    try:
        root = yaml.load(document, Loader=_LOADER)  # noqa: S506 - CSafeLoader or SafeLoader
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise fail(KIND, f"not valid YAML ({problem})") from exc
    if not isinstance(root, list):
        raise fail(KIND, f"expected a list of runs, got {type(root).__name__}")
    models: dict[str, ModelInfo] = {}
    facts = FactList(as_of=as_of, source_name=source_name, source_url=source_url)
    seen: set[tuple[str, str, date]] = set()
    for index, entry in enumerate(root):
        run, model_id = keyed_entry(entry, KIND, f"run {index}", "model", shape="a mapping")
        where = f"run {index} ({model_id!r})"
        score = number(run.get("pass_rate_2"), KIND, where, "'pass_rate_2'")
        if score is None:
            raise fail(KIND, f"{where} has no 'pass_rate_2'")
        run_date = iso_date(run.get("date"), KIND, where, "'date'") or as_of
        base, setting = split_run_label(model_id)
        if (base, setting, run_date) in seen:
            continue
        seen.add((base, setting, run_date))
        facts.add(
            base,
            METRIC,
            float(score),
            UNIT,
            as_of=run_date,
            setting=setting,
            source_model=model_id,
            # A parenthesis that is no setting names a checkpoint ("DeepSeek V3 (0324)"), which
            # the registry may file under the model's line (DeepSeek-V3): the label stays.
            keep_label=base.endswith(")"),
        )
        models.setdefault(base, ModelInfo(canonical_id=base, display_name=base, vendor=""))
    return ImportBatch(
        source_name=source_name, models=tuple(models.values()), facts=tuple(facts.facts)
    )
