"""The knowledge base: models, their snapshots, sourced facts, imports and the events a
digest may cite."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from aiprogress.core.types._value import value_type


@value_type
class Snapshot:
    """A dated snapshot of a model (`claude-3-5-sonnet-20241022`), an entry under its model:
    its own release date, and whether it is the one the model's bare name means in our data
    (the snapshot a source's value is assumed to be of when it names none)."""

    snapshot_id: str
    release_date: date | None = None
    is_default: bool = False

    def matches(self, source_model: str) -> bool:
        """Whether a source's model id (`openai/gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`)
        names this snapshot: its id, less punctuation and case, ends the source's id."""
        return bool(source_model) and _squeeze(source_model).endswith(_squeeze(self.snapshot_id))


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@value_type
class ModelInfo:
    canonical_id: str
    display_name: str
    vendor: str
    family: str = ""
    # The first public release of the model line; a snapshot has its own (`snapshots`).
    release_date: date | None = None
    open_weights: bool | None = None
    aliases: tuple[str, ...] = ()
    predecessor: str | None = None
    snapshots: tuple[Snapshot, ...] = ()
    # The data source a release date was filled from when the model's own entry lacked one
    # ("models.dev"); "" for the curated file's dates and for none.
    release_source: str = ""

    @property
    def default_snapshot(self) -> Snapshot | None:
        return next((s for s in self.snapshots if s.is_default), None)

    def snapshot_of(self, source_model: str) -> Snapshot | None:
        """The snapshot a source's model id names, or the default one when it names none."""
        found = next((s for s in self.snapshots if s.matches(source_model)), None)
        return found or self.default_snapshot


class Unit(StrEnum):
    """The units facts are stored in, and those of the figures derived from them: a difference of
    percentages is in percentage points, a ratio a multiple. A StrEnum, so a unit read back from
    storage as text equals its member; a unit no member names (a curated fact's own) stays text."""

    PERCENT = "%"
    POINTS = "points"  # an index's points (Artificial Analysis Coding Index)
    ELO = "Elo"
    USD_PER_MTOK = "USD/1M tokens"
    TOKENS = "tokens"
    TOKENS_PER_SECOND = "tokens/s"
    PERCENTAGE_POINTS = "pp"
    USD = "$"
    TIMES = "×"


class Metric:
    """Names of the non-benchmark metrics. Any other metric name is a benchmark's display name
    ("GPQA Diamond", "Arena Elo")."""

    PRICE_INPUT = "price_input"
    PRICE_OUTPUT = "price_output"
    CONTEXT_WINDOW = "context_window"
    MAX_OUTPUT = "max_output_tokens"
    OUTPUT_SPEED = "output_speed"

    PRICES = (PRICE_INPUT, PRICE_OUTPUT)
    NON_BENCHMARK = (PRICE_INPUT, PRICE_OUTPUT, CONTEXT_WINDOW, MAX_OUTPUT, OUTPUT_SPEED)

    @classmethod
    def is_benchmark(cls, metric: str) -> bool:
        return metric not in cls.NON_BENCHMARK


@value_type
class ModelFact:
    """One sourced value of one metric of one model, as a source stated it on a date.
    Facts form a time series: a new value is a new fact, never an overwrite."""

    model_id: str
    metric: str
    value: float
    unit: str
    as_of: date
    source_name: str
    source_url: str
    # What changes the score without changing the benchmark or the model ("32k thinking",
    # "high effort", "5-shot", "free endpoint"); empty for the default run or list price.
    setting: str = ""
    # The id the source used (a dated snapshot, a suffixed run: `o1-2024-12-17_high`).
    source_model: str = ""
    # Set when the source copied the value from another (models.dev quoting Aider): the
    # original's source name. A copy never outranks its original.
    copy_of: str = ""


@value_type
class ImportBatch:
    """What one importer read from one data source: models (with the names that source uses as
    aliases) and facts keyed by that source's own model id, resolved to ours when stored.
    `dropped` says, per reason, how many records the importer refused (an unverified
    placeholder row, say), so the import report can count them."""

    source_name: str
    models: tuple[ModelInfo, ...]
    facts: tuple[ModelFact, ...]
    dropped: tuple[tuple[str, int], ...] = ()


class EventKind(StrEnum):
    NEW_MODEL = "new_model"
    NEW_BEST = "new_best"
    PRICE_CHANGE = "price_change"


@value_type
class ModelEvent:
    """Something a digest may cite: a new model, a new best score, a price change."""

    kind: EventKind
    model_id: str
    as_of: date
    source_url: str
    metric: str = ""
    old_value: float | None = None
    new_value: float | None = None
    unit: str = ""
    previous_model_id: str | None = None


@value_type
class ImportReport:
    source_name: str
    models_added: int
    facts_added: int
    events: tuple[ModelEvent, ...] = ()
    error: str | None = None
    # Records the importer refused, per reason (see `ImportBatch.dropped`).
    dropped: tuple[tuple[str, int], ...] = ()

    @property
    def dropped_count(self) -> int:
        return sum(count for _, count in self.dropped)


@value_type
class ModelMatch:
    """A candidate for a name a user typed, with how close it is (0-100)."""

    model: ModelInfo
    score: float
    matched_alias: str
