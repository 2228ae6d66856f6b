"""A comparison's release row: each model's release date (its first version's), the later
snapshot its values are of where they are, and the dates set aside as impossible
(digest/releases.py), in the post's words."""

from __future__ import annotations

from datetime import date

from aiprogress.core.comparison import Comparison
from aiprogress.core.messages import long_date, message
from aiprogress.core.types import Language


def release_dates(comparison: Comparison) -> tuple[date | None, ...]:
    """Per model, the release date a comparison shows (`digest.compare.shown_release`)."""
    if len(comparison.release_dates) == len(comparison.models):
        return comparison.release_dates
    return tuple(m.release_date for m in comparison.models)


def release_snapshots(comparison: Comparison) -> tuple[str, ...]:
    if len(comparison.release_snapshots) == len(comparison.models):
        return comparison.release_snapshots
    return tuple("" for _ in comparison.models)


def release_text(day: date | None, snapshot: str, language: Language, source: str = "") -> str:
    """'22 October 2024 (snapshot claude-3-5-sonnet-20241022)', '5 December 2024 (models.dev)'
    for a date an import filled in, or the date alone."""
    if day is None:
        return "—"
    if not snapshot:
        shown = long_date(day, language)
        return f"{shown} ({source})" if source else shown
    return message("compare.snapshot", language, date=long_date(day, language), snapshot=snapshot)


def release_line(comparison: Comparison, language: Language) -> str | None:
    dates = release_dates(comparison)
    if not any(dates):
        return None
    # A model's own date that an import filled in names that import, as a fact names its source.
    sources = [
        m.release_source if m.release_source and day == m.release_date else ""
        for m, day in zip(comparison.models, dates, strict=True)
    ]
    data = comparison.data_snapshots
    if len(data) != len(comparison.models):
        data = tuple("" for _ in comparison.models)
    shown = " / ".join(
        _with_data(release_text(day, snapshot, language, source), of, language)
        for day, snapshot, source, of in zip(
            dates, release_snapshots(comparison), sources, data, strict=True
        )
    )
    notes = []
    for gap in comparison.release_gaps_days[1:]:
        if gap is None:
            continue
        # Gaps are from the first model to the others; the line reads from the first model.
        if gap < 0:
            notes.append(message("compare.later", language, days=-gap))
        elif gap > 0:
            notes.append(message("compare.earlier", language, days=gap))
        else:
            notes.append(message("compare.same_day", language))
    suffix = f" ({', '.join(notes)})" if notes else ""
    doubts = _set_aside_note(comparison, dates, language)
    if doubts:
        suffix = f" ({', '.join(notes)}; {doubts})" if notes else f" ({doubts})"
    return f"▪️ {message('compare.released', language)}: {shown}{suffix}"


def _with_data(text: str, snapshot: str, language: Language) -> str:
    """A release with the later snapshot the model's figures are of, where they are: '13 May
    2024, figures of snapshot gpt-4o-2024-08-06'."""
    if not snapshot:
        return text
    return message("compare.figures_of", language, release=text, snapshot=snapshot)


def _set_aside_note(
    comparison: Comparison, dates: tuple[date | None, ...], language: Language
) -> str:
    """The release dates set aside as impossible, as a row names other sources' values: under
    "sources disagree" where another date is shown instead, else on their own."""
    if not comparison.release_set_aside:
        return ""
    items = [
        message(
            "compare.release_set_aside_item",
            language,
            date=long_date(d.release_date, language),
            model=comparison.models[d.model_index].display_name,
            source=d.source_name,
            base=d.built_on,
            base_date=long_date(d.built_on_date, language),
        )
        if d.built_on_date is not None
        else message(
            "compare.release_announced_item",
            language,
            date=long_date(d.release_date, language),
            model=comparison.models[d.model_index].display_name,
            source=d.source_name,
        )
        for d in comparison.release_set_aside
    ]
    replaced = all(dates[d.model_index] is not None for d in comparison.release_set_aside)
    key = "compare.disagree" if replaced else "compare.release_set_aside"
    return message(key, language, items="; ".join(items))
