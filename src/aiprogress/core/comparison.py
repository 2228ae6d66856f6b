"""The neutral result of comparing models: rendered as text (RU/EN), JSON and a chart."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from aiprogress.core.types import ModelInfo, value_type


class MetricKind(StrEnum):
    BENCHMARK = "benchmark"
    PRICE = "price"
    CONTEXT = "context"
    SPEED = "speed"


@value_type
class FactRef:
    """A value together with where it came from, and the setting it was obtained under ("" for
    the default run or the list price; "32k thinking", "free experimental endpoint")."""

    value: float
    unit: str
    as_of: date
    source_name: str
    source_url: str
    setting: str = ""
    source_model: str = ""
    # The model's dated snapshot the value is of, where it is not the one the comparison's
    # release row names for that model (GPT-4o's HumanEval from `gpt-4o-2024-05-13` beside
    # values of `gpt-4o-2024-08-06`); empty otherwise.
    snapshot: str = ""


@value_type
class Disagreement:
    """Another source's value for one of the compared models, beyond the threshold (2 points on
    a score, 10% on a price, a token count, a speed or a rating) from the value shown."""

    model_index: int
    value: FactRef


@value_type
class MetricComparison:
    """One metric across the compared models, in the order of `Comparison.models`.

    The values come from one source (`source_name`) and snapshot where one covers every model;
    otherwise `cross_source` is set and each value names its own source. A row is `comparable`
    when its values share a source, a unit and a setting: only then are `deltas[i]`
    (`values[i] - values[0]`), `ratios[i]` (`values[i] / values[0]`) and `leader` (the index of
    the best value: lowest for prices, highest otherwise; None on a tie) given, and only such
    rows carry verdicts. `disagreements` are other sources' values for the same model, setting
    and metric that differ beyond the thresholds. `chance` is the benchmark's chance level where
    a value on the row is near it (`core.benchmarks.near_chance`: GPT-3.5 Turbo's 27.18% on
    GPQA Diamond, a four-choice test): such a row is shown with it, names no leader and carries
    no verdict, however far apart its values are. `noise` is the margin of error (95%, in the
    row's unit: `core.benchmarks.noise_margin`) within which the best value stands to the next:
    such a row names no leader and carries no verdict either (o3's 81.8% against o4-mini's
    79.6% on GPQA Diamond's 198 questions, ±7.7 points); None where the lead is clear of it or
    the margin is not known. `margin` is that margin wherever it is known, so a clear lead says
    what it is clear of (o1's 73.33% against DeepSeek-R1's 53.33% on OTIS Mock AIME's 45
    problems is beyond ±19.2, by little). `margin_unknown` marks a comparable benchmark row whose
    margin is not known (a benchmark of unknown size, as Terminal-Bench Hard, or an index's
    points): its difference cannot be judged, so it names no leader and carries no verdict, and
    says so as a row within the margin does.
    """

    metric: str
    kind: MetricKind
    higher_is_better: bool
    values: tuple[FactRef | None, ...]
    deltas: tuple[float | None, ...]
    ratios: tuple[float | None, ...]
    leader: int | None
    source_name: str | None = None
    cross_source: bool = False
    disagreements: tuple[Disagreement, ...] = ()
    chance: float | None = None
    noise: float | None = None
    margin: float | None = None
    margin_unknown: bool = False

    @property
    def shared(self) -> bool:
        return all(v is not None for v in self.values)

    @property
    def settings(self) -> tuple[str, ...]:
        return tuple(v.setting if v is not None else "" for v in self.values)

    @property
    def comparable(self) -> bool:
        """Every model has a value, from one source, in one unit, under one setting. A limit
        (context window, maximum output) is a specification, the same whoever states it: its
        row compares each model's most trusted figure, each naming its source."""
        present = [v for v in self.values if v is not None]
        return (
            self.shared
            and (not self.cross_source or self.kind is MetricKind.CONTEXT)
            and len({v.unit for v in present}) == 1
            and len({v.setting for v in present}) == 1
        )


@value_type
class SetAsideRelease:
    """A release date the knowledge base holds for a compared model that cannot be right, and
    so is not the one shown: it is before the release of the model it is built on
    (`built_on`, released `built_on_date`), as models.dev dates o3 Deep Research 26 June 2024,
    ten months before o3 itself (16 April 2025); or it is over a month before the model's first
    dated snapshot (`first_snapshot`, of `first_snapshot_date`), so an announcement rather than
    a release, as models.dev dates o3-mini 20 December 2024, when it was announced, while it
    shipped as `o3-mini-2025-01-31`."""

    model_index: int
    release_date: date
    source_name: str
    built_on: str = ""
    built_on_date: date | None = None
    first_snapshot: str = ""
    first_snapshot_date: date | None = None


@value_type
class Comparison:
    models: tuple[ModelInfo, ...]
    metrics: tuple[MetricComparison, ...]
    # Days from the first model's release to each model's (negative: released earlier), by
    # the release dates below.
    release_gaps_days: tuple[int | None, ...]
    # Per model, the release date shown: the model's own, its first version's (GPT-4o's 13 May
    # 2024, `gpt-4o-2024-05-13`), as `models show` gives it (`digest.compare.shown_release`);
    # where that date is set aside as impossible, the dated id's the row names instead
    # (`release_snapshots`: o3-mini's `o3-mini-2025-01-31`), else "".
    release_dates: tuple[date | None, ...] = ()
    release_snapshots: tuple[str, ...] = ()
    # The stored release dates not shown because they cannot be right, each named on the row.
    release_set_aside: tuple[SetAsideRelease, ...] = ()
    # Per model, the dated snapshot most of its values come from where it is a later one than
    # the release shown, else "": GPT-4o's are of `gpt-4o-2024-08-06`, Claude 3.5 Sonnet's of
    # `claude-3-5-sonnet-20241022`. The release row names it; a value of yet another snapshot
    # names its own on its row.
    data_snapshots: tuple[str, ...] = ()

    def metric(self, name: str) -> MetricComparison | None:
        return next((m for m in self.metrics if m.metric == name), None)

    def of_kind(self, kind: MetricKind) -> tuple[MetricComparison, ...]:
        return tuple(m for m in self.metrics if m.kind is kind)


@value_type
class Headline:
    """What a comparison of two models comes to, in one line: the first model's lead on the
    best-known benchmark both have from one source under one setting, and how its input price
    stands to the second's (`price_factor` = first / second; None without comparable prices).
    "+19.5 points on GPQA Diamond for 30× the input price" is delta 19.5, price_factor 30. On
    that benchmark the two may be within the margin of error (`margin`): then they are on par
    there, rather than weighed on a benchmark further down where they differ."""

    metric: str
    delta: float
    source_name: str
    price_factor: float | None
    price_source: str | None
    # The margin of error the difference is within, where it is (the two are on par on the
    # best-known benchmark: DeepSeek-R1's 71.72% against o1's 75.76% on GPQA Diamond, ±8.6);
    # None for a lead clear of it.
    margin: float | None = None
