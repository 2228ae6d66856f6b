"""Release dates that only read a snapshot id's stamp back, and the day the same source gives
for that snapshot's release.

A vendor's dated id (`claude-3-opus-20240229`) carries the day the snapshot was frozen, which
is not always the day it was released: Anthropic launched Claude 3 Opus and Sonnet, both
`-20240229`, on 4 March 2024 (https://www.anthropic.com/news/claude-3-family, dated that day
in the Anthropic newsroom feed). A source whose release date for such an id is the stamp
itself may only have read the id: models.dev gives `claude-3-opus-20240229` "2024-02-29" but
`claude-3-sonnet-20240229` "2024-03-04". Snapshots one vendor froze on one day are one release
(Claude 3 Opus and Sonnet; Claude Opus 4 and Sonnet 4, `-20250514`, both 22 May 2025; GPT-4.1
and its mini and nano, `-2025-04-14`), so where a source states a later day for one of them,
the siblings it dates only by the stamp take that day too. Where the source states different
later days for siblings, nothing is changed: that is not one release.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from aiprogress.core.model_names import dated_id
from aiprogress.core.types import ModelInfo


def _stamp(model: ModelInfo) -> tuple[str, date] | None:
    """(vendor part of the id, the stamp's day) of a dated id, else None."""
    dated = dated_id(model.canonical_id)
    if dated is None:
        return None
    vendor = model.canonical_id.rsplit("/", 1)[0] if "/" in model.canonical_id else ""
    return vendor, dated[1]


def released_with_siblings(models: Sequence[ModelInfo]) -> list[ModelInfo]:
    """The models, each dated only by its id's stamp taking the one later day the same source
    states for a snapshot of the same vendor and stamp."""
    stated: dict[tuple[str, date], set[date]] = {}
    for model in models:
        key = _stamp(model)
        if key is not None and model.release_date is not None and model.release_date > key[1]:
            stated.setdefault(key, set()).add(model.release_date)
    found: list[ModelInfo] = []
    for model in models:
        key = _stamp(model)
        days = stated.get(key, set()) if key is not None else set()
        if key is not None and model.release_date == key[1] and len(days) == 1:
            model = replace(model, release_date=next(iter(days)))
        found.append(model)
    return found
