"""The `DigestComposer` port: items to a fact sheet, documents to text and JSON."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aiprogress.core.types import Item, ModelEvent, ModelFact, ModelInfo, Period, Source

if TYPE_CHECKING:
    from aiprogress.core.factsheet import DigestDocument, FactSheet
    from aiprogress.digest.stories import StoryBuilder

# The story builder (rapidfuzz), the fact sheet and the renderer are imported when a digest is
# written, not when the facade is built: `collect` and `compare` build the facade too, and the
# fact sheet's classes alone cost them ~8 ms of CPU (issue 21).


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class Composer:
    def __init__(self) -> None:
        # The story builder of the last models list: a digest ranks its period, lists the
        # models its chosen items name and builds its sheet from one list, and the builder's
        # vocabulary and lineage of every model (about 0.1 s) were worked out three times.
        self._builder: tuple[Sequence[ModelInfo], StoryBuilder] | None = None

    def _story_builder(self, models: Sequence[ModelInfo]) -> StoryBuilder:
        from aiprogress.digest.stories import StoryBuilder

        if self._builder is None or self._builder[0] is not models:
            # The list itself is held, so its identity stands for its contents while cached.
            self._builder = (models, StoryBuilder(models))
        return self._builder[1]

    def market_metrics(self) -> tuple[str, ...]:
        from aiprogress.digest.conclusions import MARKET_METRICS

        return MARKET_METRICS

    def model_ids(
        self, rows: Sequence[tuple[Item, Source]], models: Sequence[ModelInfo]
    ) -> set[str]:
        return self._story_builder(models).model_ids(rows)

    def sheet(
        self,
        rows: Sequence[tuple[Item, Source]],
        *,
        period: Period,
        window_start: datetime,
        window_end: datetime,
        models: Sequence[ModelInfo],
        facts: Sequence[ModelFact],
        events: Sequence[ModelEvent],
        max_stories: int,
    ) -> FactSheet:
        from aiprogress.core.factsheet import FactSheet
        from aiprogress.digest.conclusions import conclude
        from aiprogress.digest.stories import SheetInputs

        stories, quarantined = self._story_builder(models).stories(
            rows, SheetInputs(models=models, facts=facts, events=events), max_stories=max_stories
        )
        conclusions = conclude(
            period=period,
            window_start=window_start,
            window_end=window_end,
            stories=stories,
            models=models,
            facts=facts,
        )
        return FactSheet(
            period=period,
            window_start=window_start,
            window_end=window_end,
            stories=stories,
            quarantined=quarantined,
            conclusions=conclusions,
        )

    def render(self, document: DigestDocument) -> str:
        from aiprogress.digest.render import render_text

        return render_text(document)

    def sheet_json(self, sheet: FactSheet) -> str:
        return json.dumps(_plain(asdict(sheet)), ensure_ascii=False, sort_keys=True)

    def document_json(self, document: DigestDocument) -> str:
        from aiprogress.digest.render import document_to_json

        return json.dumps(document_to_json(document), ensure_ascii=False)

    def fingerprint(self, sheet: FactSheet) -> str:
        """What makes two sheets the same digest: the period, its last day and the stories.
        The exact window moves with the clock; a rerun on the same day with the same stories
        finds the digest already written instead of paying for it again."""
        data = _plain(asdict(sheet))
        data["window_start"] = data["window_end"] = sheet.window_end.date().isoformat()
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()
