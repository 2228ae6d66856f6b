"""The model registry: imports of sourced facts, events for digests, name resolution, compare."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from aiprogress.core.errors import InvalidInput
from aiprogress.core.model_names import (
    built_on,
    dated_base,
    dated_id,
    resolve_plain,
    short_stamp,
)
from aiprogress.core.ports import Clock, ModelIndex, Store
from aiprogress.core.types import (
    EventKind,
    ImportBatch,
    ImportReport,
    Metric,
    ModelEvent,
    ModelFact,
    ModelInfo,
    ModelMatch,
    Snapshot,
)
from aiprogress.core.vendors import TRACKED_VENDORS

if TYPE_CHECKING:
    # Named in signatures only: `collect` builds the registry and compares nothing.
    from aiprogress.core.comparison import Comparison

IndexFactory = Callable[[Sequence[ModelInfo]], ModelIndex]
# Compares models from their facts, each model's release date checked against the model its id
# extends where we hold one (`built_on`: o3 for o3-deep-research), given per model or None.
Analyst = Callable[
    [Sequence[ModelInfo], Sequence[ModelFact], Sequence[ModelInfo | None]], "Comparison"
]
# Fills an empty registry (the bundled data); the composition root supplies it.
Bootstrap = Callable[["ModelRegistry"], Awaitable[object]]

_DATE_STAMP = re.compile(r"\d{4}|-\d{2}-\d{2}$")


def _dated_days(model: ModelInfo) -> list[date]:
    """The dates of the full-date ids a stored model is known by (aliases and snapshots)."""
    names = (*model.aliases, *(s.snapshot_id for s in model.snapshots))
    return [found[1] for name in names if (found := dated_id(name.rsplit("/", 1)[-1]))]


def _line_release(record: ModelInfo, stored: ModelInfo | None) -> date | None:
    """The release date a source's record gives the model line it is matched to. A dated
    snapshot's date is not the line's first release (Claude 3.5 Sonnet's `20241022` record is
    four months after the line's), so it gives none, unless its id carries a full date, other
    sources already know the model by that id, and by no id dated earlier: then it is the
    line's first snapshot as far as any source tells, and its release the line's (Claude 3
    Opus is only ever `claude-3-opus-20240229`). A date before the snapshot's own stamp is not
    its release either."""
    tail = record.canonical_id.rsplit("/", 1)[-1]
    if record.release_date is None or _DATE_STAMP.search(tail) is None:
        return record.release_date
    dated = dated_id(tail)
    if dated is None or stored is None or record.release_date < dated[1]:
        return None
    days = _dated_days(stored)
    return record.release_date if days and min(days) == dated[1] else None


def _names_version(record_id: str, target: str) -> bool:
    """Whether a source's id names one dated version of the model it is filed under: a full
    date stamp (`gpt-4o-2024-05-13`), or a short one the model's own id does not end with
    (`mistral-small-2501` under `mistralai/mistral-small`, not `mistral/mistral-large-2411`
    under `mistralai/mistral-large-2411`)."""
    if dated_base(record_id) is not None:
        return True
    stamp = short_stamp(record_id)
    return stamp is not None and short_stamp(target) != stamp


def _sourced(model: ModelInfo, source_name: str) -> ModelInfo:
    """A model a source creates, its release date (if any) named as that source's."""
    return replace(model, release_source=source_name if model.release_date else "")


def _fill(model: ModelInfo, target: str, source_name: str, stored: ModelInfo | None) -> ModelInfo:
    """What a source's record can give a stored model that lacks it (`_line_release` for the
    release date)."""
    return replace(
        model,
        canonical_id=target,
        release_date=_line_release(model, stored),
        release_source=source_name,
        aliases=(),
        snapshots=(),
        predecessor=None,
    )


def _fact_key(fact: ModelFact) -> tuple[str, str, object, str, str]:
    return (fact.model_id, fact.metric, fact.as_of, fact.source_name, fact.setting)


class ModelRegistry:
    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        index_factory: IndexFactory,
        analyst: Analyst,
        index_ttl_seconds: float = 300.0,
        bootstrap: Bootstrap | None = None,
    ) -> None:
        self._bootstrap = bootstrap
        self._store = store
        self._clock = clock
        self._index_factory = index_factory
        self._analyst = analyst
        self._index_ttl = index_ttl_seconds
        self._index: ModelIndex | None = None
        self._index_built = 0.0

    # --- lookup ------------------------------------------------------------------------------

    async def index(self) -> ModelIndex:
        """The name index, rebuilt after an import here or when older than the TTL (another
        process may have imported)."""
        if self._index is None or time.monotonic() - self._index_built > self._index_ttl:
            self._index = self._index_factory(await self._store.models.all())
            self._index_built = time.monotonic()
        return self._index

    async def ensure_loaded(self) -> None:
        """On first use, fill an empty registry with the bundled data (when a bootstrap is
        given), so comparisons and digests weigh models on a fresh database too."""
        if self._bootstrap is not None and len(await self.index()) == 0:
            await self._bootstrap(self)

    async def resolve(self, name: str) -> ModelInfo:
        return resolve_plain(await self.index(), name)

    async def search(self, query: str, limit: int = 10) -> list[ModelMatch]:
        if not query.strip():
            raise InvalidInput("say what to search for, e.g. `models search claude`")
        return (await self.index()).search(query, limit=limit)

    async def show(self, name: str) -> tuple[ModelInfo, list[ModelFact]]:
        model = await self.resolve(name)
        return model, await self._store.models.facts([model.canonical_id])

    async def compare(self, names: Sequence[str]) -> Comparison:
        if len(names) < 2:
            raise InvalidInput("name at least two models to compare, e.g. `gpt-4.5 gpt-4o`")
        index = await self.index()
        models: list[ModelInfo] = []
        for name in names:
            model = resolve_plain(index, name)
            if model in models:
                raise _same_model(names[models.index(model)], name, model)
            models.append(model)
        facts = await self._store.models.facts([m.canonical_id for m in models])
        return self._analyst(models, facts, [built_on(index, m) for m in models])

    async def facts(self, model_ids: Sequence[str]) -> list[ModelFact]:
        """Every stored fact about these models, of every source, setting and date."""
        return await self._store.models.facts(list(model_ids))

    async def predecessor_pairs(self) -> list[tuple[str, str]]:
        """(model, predecessor) ids of every model that names a predecessor we hold."""
        models = await self._store.models.all()
        known = {m.canonical_id for m in models}
        return [
            (m.canonical_id, m.predecessor)
            for m in models
            if m.predecessor is not None and m.predecessor in known
        ]

    async def events(self, limit: int = 100) -> list[ModelEvent]:
        await self.ensure_loaded()
        return await self._store.models.events(limit=limit)

    # --- imports -----------------------------------------------------------------------------

    async def import_batch(
        self, batch: ImportBatch, *, create_models: bool = False, authoritative: bool = False
    ) -> ImportReport:
        """Store what one data source says, attached to our models by exact name match.

        `authoritative` batches (the curated file) define models and may update them;
        `create_models` batches may add models no one has named yet; every other record that
        matches no model is left out rather than guessed at.
        """
        existing = await self._store.models.all()
        index = self._index_factory(existing)
        existing_ids = frozenset(m.canonical_id for m in existing)
        known_ids = set(existing_ids)
        new_models: list[ModelInfo] = []
        mapping: dict[str, str] = {}
        aliases: list[tuple[str, str]] = []

        # Where several records of one source name the same model (LiteLLM's `gpt-4o` and
        # `gpt-4o-2024-05-13`), the least dated id speaks for it: fewest digits, then shortest.
        ordered = sorted(
            batch.models,
            key=lambda m: (sum(ch.isdigit() for ch in m.canonical_id), len(m.canonical_id)),
        )
        speaker: dict[str, str] = {}
        # Models this batch adds, by their own id: a dated id later in the batch (OpenRouter's
        # `openai/gpt-4o-mini-2024-07-18` after `openai/gpt-4o-mini`) is their snapshot.
        created_here: set[str] = set()
        snapshots: list[tuple[str, Snapshot]] = []
        fills: list[ModelInfo] = []
        for model in ordered:
            target = self._match(index, model) if not authoritative else model.canonical_id
            if target is None and not authoritative:
                # A dated id of a model we hold is that model's snapshot, not a model of its
                # own: its facts are the base model's, each naming the snapshot it is of.
                target = self._base_of(index, model.canonical_id, created_here)
                if target is not None:
                    snapshot_id = model.canonical_id.rsplit("/", 1)[-1]
                    snapshots.append((target, Snapshot(snapshot_id)))
            if target is None and create_models:
                target = model.canonical_id
                if target not in known_ids:
                    new_models.append(_sourced(model, batch.source_name))
                    known_ids.add(target)
                    created_here.add(target)
            if target is None:
                continue
            mapping.setdefault(model.canonical_id, target)
            speaks = speaker.setdefault(target, model.canonical_id) == model.canonical_id
            if speaks and not authoritative and target in existing_ids:
                fills.append(_fill(model, target, batch.source_name, index.get(target)))
            if authoritative:
                new_models.append(model)
            for alias in {model.canonical_id, model.display_name, *model.aliases}:
                if alias:
                    aliases.append((alias, target))

        # Of the records that give a model the same metric under the same setting, the least
        # dated one speaks (LiteLLM's `gpt-4o` price, not `gpt-4o-2024-05-13`'s); a record
        # that alone gives a setting's value still gives it: LMArena's `Claude Sonnet 4
        # (20250514)` is the plain run beside `Claude Sonnet 4 (thinking-32k)`, whose base
        # name speaks for the model but not for its default run, which it lacks.
        order = {model.canonical_id: k for k, model in enumerate(ordered)}
        voice: dict[tuple[str, str, str], str] = {}
        for fact in sorted(
            (f for f in batch.facts if f.model_id in mapping),
            key=lambda f: order.get(f.model_id, len(order)),
        ):
            voice.setdefault((mapping[fact.model_id], fact.metric, fact.setting), fact.model_id)
        facts = [
            replace(
                fact,
                model_id=mapping[fact.model_id],
                # A value read under a dated id keeps that id, so a comparison can say which
                # snapshot it is of; so does one read under an id whose short stamp the model's
                # own id lacks (Epoch's `mistral-small-2501` filed under Mistral Small, whose
                # other sources list 2506 and 2603).
                source_model=fact.source_model
                or (fact.model_id if _names_version(fact.model_id, mapping[fact.model_id]) else ""),
            )
            for fact in batch.facts
            if fact.model_id in mapping
            and voice[(mapping[fact.model_id], fact.metric, fact.setting)] == fact.model_id
        ]
        history = await self._store.models.facts(metrics=sorted({f.metric for f in facts}))
        seen = {_fact_key(f) for f in history}
        fresh: list[ModelFact] = []
        for fact in facts:
            if _fact_key(fact) not in seen:
                seen.add(_fact_key(fact))
                fresh.append(fact)

        created = [m for m in new_models if m.canonical_id not in existing_ids]
        # A source's first import is its baseline: what it lists is not news yet (as with a
        # feed's first fetch). The curated file is our own and never news. "First" means no
        # earlier-dated facts of this source; the curated file may hold some of the same date.
        starts = min((f.as_of for f in batch.facts), default=None)
        baseline = authoritative or not any(
            f.source_name == batch.source_name and starts is not None and f.as_of < starts
            for f in history
        )
        events = [
            *([] if baseline else self._new_model_events(created, batch)),
            *self._fact_events(history, fresh),
        ]
        added_models, added_facts = await self._store.models.apply_import(
            models=new_models,
            aliases=aliases,
            facts=fresh,
            events=events,
            now=self._clock.now(),
            update_models=authoritative,
            snapshots=snapshots,
            fills=fills,
        )
        self._index = None
        return ImportReport(
            source_name=batch.source_name,
            models_added=len(created) if authoritative else added_models,
            facts_added=added_facts,
            events=tuple(events),
            dropped=batch.dropped,
        )

    @staticmethod
    def _match(index: ModelIndex, model: ModelInfo) -> str | None:
        for name in (model.canonical_id, *model.aliases, model.display_name):
            found = index.exact(name) if name else ()
            if len(found) == 1:
                return found[0].canonical_id
        return None

    @staticmethod
    def _base_of(index: ModelIndex, model_id: str, created_here: set[str]) -> str | None:
        """Our id of the base model a dated id is a snapshot of, when we hold that model (or
        this batch adds it), else None."""
        base = dated_base(model_id)
        if base is None:
            return None
        if base in created_here:
            return base
        found = index.exact(base)
        return found[0].canonical_id if len(found) == 1 else None

    @staticmethod
    def _new_model_events(created: Iterable[ModelInfo], batch: ImportBatch) -> list[ModelEvent]:
        """A new model is dated when the data say it happened: its release date, else the date
        of the snapshot that first lists it (the latest the model can have appeared), never the
        day of the import; a model the batch dates in no way is not news."""
        urls = {f.model_id: f.source_url for f in batch.facts}
        listed: dict[str, date] = {}
        for fact in batch.facts:
            listed[fact.model_id] = max(fact.as_of, listed.get(fact.model_id, fact.as_of))
        snapshot_day = max(listed.values(), default=None)
        events: list[ModelEvent] = []
        for m in created:
            if not (
                m.vendor.lower() in TRACKED_VENDORS
                or m.canonical_id.split("/", 1)[0] in TRACKED_VENDORS
            ):
                continue
            day = m.release_date or listed.get(m.canonical_id) or snapshot_day
            if day is None:
                continue
            events.append(
                ModelEvent(
                    kind=EventKind.NEW_MODEL,
                    model_id=m.canonical_id,
                    as_of=day,
                    source_url=urls.get(m.canonical_id, ""),
                )
            )
        return events

    @staticmethod
    def _fact_events(history: Sequence[ModelFact], fresh: Sequence[ModelFact]) -> list[ModelEvent]:
        """Price changes (same model, metric and source, an earlier date, another value) and
        new best scores (a benchmark value above every earlier one on that benchmark). Only
        default runs and list prices count: a thinking run or a free endpoint is not news about
        the model, and a copy is not news at all."""
        history = [f for f in history if not f.setting and not f.copy_of]
        fresh = [f for f in fresh if not f.setting and not f.copy_of]
        events: list[ModelEvent] = []
        latest: dict[tuple[str, str, str], ModelFact] = {}
        best: dict[str, ModelFact] = {}
        for fact in sorted(history, key=lambda f: f.as_of):
            latest[(fact.model_id, fact.metric, fact.source_name)] = fact
            if Metric.is_benchmark(fact.metric):
                top = best.get(fact.metric)
                if top is None or fact.value > top.value:
                    best[fact.metric] = fact
        by_metric: dict[str, list[ModelFact]] = defaultdict(list)
        for fact in sorted(fresh, key=lambda f: f.as_of):
            by_metric[fact.metric].append(fact)
            key = (fact.model_id, fact.metric, fact.source_name)
            before = latest.get(key)
            if (
                fact.metric in Metric.PRICES
                and before is not None
                and before.as_of < fact.as_of
                and before.value != fact.value
            ):
                events.append(
                    ModelEvent(
                        kind=EventKind.PRICE_CHANGE,
                        model_id=fact.model_id,
                        as_of=fact.as_of,
                        source_url=fact.source_url,
                        metric=fact.metric,
                        old_value=before.value,
                        new_value=fact.value,
                        unit=fact.unit,
                    )
                )
            if before is None or before.as_of <= fact.as_of:
                latest[key] = fact
        for metric, facts in by_metric.items():
            if not Metric.is_benchmark(metric):
                continue
            top = best.get(metric)
            if top is None:
                # The first values of a benchmark set its baseline; none of them is news.
                continue
            for fact in facts:
                if fact.value > top.value:
                    events.append(
                        ModelEvent(
                            kind=EventKind.NEW_BEST,
                            model_id=fact.model_id,
                            as_of=fact.as_of,
                            source_url=fact.source_url,
                            metric=metric,
                            old_value=top.value,
                            new_value=fact.value,
                            unit=fact.unit,
                            previous_model_id=top.model_id,
                        )
                    )
                    top = fact
        return events


def _same_model(earlier: str, name: str, model: ModelInfo) -> InvalidInput:
    """`compare gpt-4o gpt-4o` or `compare gpt-4o 4o`: said plainly, with both names."""
    if earlier.strip().casefold() == name.strip().casefold():
        return InvalidInput(
            f"{earlier!r} is named twice: name two different models",
            reason="same_name",
            values={"name": earlier},
        )
    return InvalidInput(
        f"{earlier!r} and {name!r} are the same model, {model.display_name}: "
        "name two different models",
        reason="same_model",
        values={"other": earlier, "name": name, "model": model.display_name},
    )
