"""Release dates and dated snapshots as `/compare` shows them.

A model's release date is the curated file's, else the first import's that gave one
(models.dev). One an import gave cannot be right when it is before the release of the model it
is built on: the vendor's model whose id its own extends (o3 for o3-deep-research, o4-mini for
o4-mini-deep-research), unless the extension names a smaller tier or a preview, which may come
first (o3-mini before o3, a preview before its release). Such a date gives way to the date in
the model's own dated id as a source lists it (OpenRouter's `o3-deep-research-2025-06-26`),
if that one is not before the base too, else to none; the release row names the date set aside.
Nor is one an import gave that is over a month before the model's first dated id: that is an
announcement (models.dev's 20 December 2024 for o3-mini, which shipped as `o3-mini-2025-01-31`),
and the dated id's date is shown, the other named.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from aiprogress.core.comparison import FactRef, MetricComparison, SetAsideRelease
from aiprogress.core.model_names import dated_id, short_stamp
from aiprogress.core.types import ModelInfo, Snapshot

_MAY_COME_FIRST = frozenset(
    {"mini", "nano", "lite", "flash", "small", "preview", "exp", "experimental", "beta", "alpha"}
)


def _tail(model_id: str) -> str:
    return model_id.rsplit("/", 1)[-1]


def built_on(model: ModelInfo, base: ModelInfo) -> bool:
    """Whether `model` is `base` put to another use, so cannot come before it: its id is the
    base's and more words, none a smaller tier or a preview nor a size, date or version."""
    own, under = _tail(model.canonical_id).lower(), _tail(base.canonical_id).lower()
    if own == under or not own.startswith(under + "-"):
        return False
    words = own[len(under) + 1 :].split("-")
    return all(word.isalpha() and word not in _MAY_COME_FIRST for word in words)


def dated_ids(model: ModelInfo) -> list[tuple[date, str]]:
    """(date, id) of each dated id of the model's own that a source lists (an alias such as
    OpenRouter's `openai/o3-deep-research-2025-06-26`, or a snapshot), earliest first."""
    own = _tail(model.canonical_id).lower()
    found: set[tuple[date, str]] = set()
    for name in (*model.aliases, *(s.snapshot_id for s in model.snapshots)):
        tail = _tail(name)
        dated = dated_id(tail)
        if dated is not None and dated[0].lower() == own:
            found.add((dated[1], tail))
    # On one date, the id as the vendor writes it (lower case) before another source's spelling.
    return sorted(found, key=lambda item: (item[0], item[1] != item[1].lower(), item[1]))


def checked_release(
    model: ModelInfo, base: ModelInfo
) -> tuple[date | None, str, SetAsideRelease] | None:
    """The date (and dated id) to show for a model whose own date an import gave and which
    cannot be right (before the release of the model it is built on), with the date set aside;
    None when its own date stands."""
    day, base_day = model.release_date, base.release_date
    if (
        day is None
        or base_day is None
        or not model.release_source  # the curated file's own, checked by hand
        or day >= base_day
        or not built_on(model, base)
    ):
        return None
    doubt = SetAsideRelease(0, day, model.release_source, base.display_name, base_day)
    possible = [(d, name) for d, name in dated_ids(model) if d >= base_day]
    shown, label = possible[0] if possible else (None, "")
    return shown, label, doubt


# How long after a release a vendor's first dated API snapshot may come and the date still be
# the release: o1 shipped in ChatGPT on 5 December 2024 and as `o1-2024-12-17` twelve days
# later. An import's date further before the first snapshot is an announcement: o3-mini was
# announced on 20 December 2024 (models.dev's date) and shipped as `o3-mini-2025-01-31`.
SNAPSHOT_LAG_DAYS = 31


def announced_release(model: ModelInfo) -> tuple[date, str, SetAsideRelease] | None:
    """The date (and dated id) to show for a model whose own date an import gave and which is
    over `SNAPSHOT_LAG_DAYS` before the model's first dated id a source lists, with the date
    set aside; None when its own date stands (the curated file's is checked by hand)."""
    day = model.release_date
    if day is None or not model.release_source:
        return None
    found = dated_ids(model)
    if not found or (found[0][0] - day).days <= SNAPSHOT_LAG_DAYS:
        return None
    first_day, first_id = found[0]
    doubt = SetAsideRelease(
        0, day, model.release_source, first_snapshot=first_id, first_snapshot_date=first_day
    )
    return first_day, first_id, doubt


def name_other_snapshots(
    row: MetricComparison, models: Sequence[ModelInfo], snapshots: Sequence[Snapshot | None]
) -> MetricComparison:
    """The row with each value (and each other source's disagreeing value) that is of another
    dated snapshot than its model's data snapshot naming that snapshot, so the reader sees it
    (as a setting is shown)."""
    values = tuple(
        _with_snapshot(ref, model, shown)
        for ref, model, shown in zip(row.values, models, snapshots, strict=True)
    )
    disagreements = tuple(
        replace(d, value=labelled)
        if (labelled := _with_snapshot(d.value, models[d.model_index], snapshots[d.model_index]))
        is not None
        else d
        for d in row.disagreements
    )
    if values == row.values and disagreements == row.disagreements:
        return row
    return replace(row, values=values, disagreements=disagreements)


# A run label's closing parenthesis that names a checkpoint, not a setting: "DeepSeek V3
# (0324)", "DeepSeek R1 (0528)" (a settings parenthesis is taken off the label on import).
_CHECKPOINT_LABEL = re.compile(r"\((\d{4}|\d{2}-\d{2}|\d{4}-\d{2}-\d{2})\)$")


def _other_version(label: str, model: ModelInfo) -> bool:
    """Whether an id's short stamp names another version than the model's release: LMArena's
    `Grok-4-0709` is Grok 4 as released on 9 July 2025, and names nothing new."""
    stamp = short_stamp(label)
    if stamp is None:
        return False
    released = model.release_date
    return released is None or stamp.replace("-", "") not in (
        released.strftime("%m%d"),
        released.strftime("%y%m"),
    )


def _with_snapshot(ref: FactRef | None, model: ModelInfo, shown: Snapshot | None) -> FactRef | None:
    if ref is None or not ref.source_model:
        return ref
    own = next((s for s in model.snapshots if s.matches(ref.source_model)), None)
    if own is None:
        # A checkpoint the knowledge base files under the model's line without listing it as
        # a snapshot: DeepSeek-V3's 55.1% on Aider is "DeepSeek V3 (0324)", three months after
        # the release the row shows.
        # So is a version a short stamp names (Epoch's `mistral-small-2501` under Mistral
        # Small, whose LMArena row is 2506's).
        label = ref.source_model.strip()
        if _CHECKPOINT_LABEL.search(label) or _other_version(label, model):
            return replace(ref, snapshot=label)
        return ref
    if shown is not None and own.snapshot_id == shown.snapshot_id:
        return ref
    return replace(ref, snapshot=own.snapshot_id)


def data_snapshot(model: ModelInfo, shown: Iterable[FactRef | None]) -> Snapshot | None:
    """The dated snapshot most of a model's shown values are of (a value whose source names no
    snapshot is of the default one); on a tie, the default, then the newest. None when the
    model lists no snapshots."""
    if not model.snapshots:
        return None
    counts = Counter(
        found.snapshot_id
        for ref in shown
        if ref is not None and (found := model.snapshot_of(ref.source_model)) is not None
    )
    if not counts:
        return model.default_snapshot or max(
            model.snapshots, key=lambda s: s.release_date or date.min
        )
    return max(
        model.snapshots,
        key=lambda s: (counts[s.snapshot_id], s.is_default, s.release_date or date.min),
    )
