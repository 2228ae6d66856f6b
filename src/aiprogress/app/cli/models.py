"""`aiprogress models ...` and `compare`: the model knowledge base."""

# No `from __future__ import annotations` here: see the package's docstring (Typer reads
# every command's signature on every run).

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiprogress.app.cli._common import (
    JsonOption,
    LangOption,
    _cells,
    _fail,
    _print_json,
    _settings,
    _with_app,
    err,
    fetch_limits,
    out,
)
from aiprogress.app.english import counted
from aiprogress.core.jsonable import to_jsonable
from aiprogress.core.types import ImportReport, ModelFact, ModelInfo, ModelMatch

if TYPE_CHECKING:
    from datetime import date

    from aiprogress.app.wiring import App
    from aiprogress.core.comparison import Comparison, SetAsideRelease

models_app = typer.Typer(
    help="The model knowledge base. Each command exits 0 when done and 1 on a mistake or a "
    "failure (a model no name matches, an unreachable database): one `error:` line on stderr.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


def _print_import_reports(
    reports: Sequence[ImportReport], dates: Sequence[str | None], *, dated: str
) -> None:
    for report, as_of in zip(reports, dates, strict=True):
        # Two snapshots of one publisher (OpenRouter's, LMArena's) are told apart by their date.
        name = report.source_name + (f" ({dated} {as_of})" if as_of else "")
        if report.error:
            err.print(f"  ✗ {name}: {report.error}", markup=False)
        else:
            dropped = "".join(f", {count} dropped ({reason})" for reason, count in report.dropped)
            out.print(
                f"  {name}: {counted(report.models_added, 'model')}, "
                f"{counted(report.facts_added, 'fact')}, "
                f"{counted(len(report.events), 'event')}{dropped}",
                markup=False,
            )


def _bundled_dates(reports: Sequence[ImportReport]) -> list[str | None]:
    """The date of the bundled snapshot each report is of, where it is one: the k-th report
    named after a publisher is of its k-th snapshot, as `import_bundled_models` imports them
    (the curated file, models.dev and LLM Stats are one file each, named alone)."""
    from aiprogress.sources.importers import BUNDLED_SNAPSHOTS

    dates: dict[str, list[str]] = {}
    for snapshot in BUNDLED_SNAPSHOTS:
        dates.setdefault(snapshot.source_name, []).append(snapshot.as_of.isoformat())
    seen: dict[str, int] = {}
    found: list[str | None] = []
    for report in reports:
        turn = seen.get(report.source_name, 0)
        seen[report.source_name] = turn + 1
        known = dates.get(report.source_name, [])
        found.append(known[turn] if turn < len(known) else None)
    return found


@models_app.command("import")
def models_import(
    kind: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Fetch live data instead of the bundled files: openrouter, litellm, aider or "
            "lmarena.",
        ),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Where to fetch it (default: the publisher's URL).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import model data: by default the bundled files (the curated file, then prices and
    leaderboards); with --from, the live data of one publisher, dated today. Each report names
    its snapshot's date; a file that fails is reported (✗ on stderr) and the rest go on. Exits
    1 when a live import could not be fetched or read (nothing of it is stored)."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import import_bundled_models, import_live
    from aiprogress.core.errors import FetchError
    from aiprogress.sources.http import HttpFetcher

    settings = _settings()

    async def work(ctx: "App") -> tuple[list[ImportReport], list[str | None]]:
        if kind is None:
            reports = await import_bundled_models(ctx.service.models)
            return reports, _bundled_dates(reports)
        async with HttpFetcher(
            limits=fetch_limits(settings),
            allow_private=settings.collector.allow_private_urls,
        ) as fetcher:
            today = ctx.clock.now().date()
            try:
                report = await import_live(ctx.service.models, fetcher, kind, url, today)
            except FetchError as exc:
                # The fetcher's words ("HTTP 404 Not Found") do not say what was fetched.
                where = _live_url(kind, url)
                raise FetchError(f"cannot fetch the {kind} data from {where}: {exc}") from exc
            return [report], [today.isoformat()]

    reports, dates = _with_app(work, settings)
    if as_json:
        _print_json([{**to_jsonable(r), "as_of": d} for r, d in zip(reports, dates, strict=True)])
    else:
        _print_import_reports(reports, dates, dated="as of" if kind else "snapshot of")


def _live_url(kind: str, url: str | None) -> str:
    from aiprogress.sources.importers.live import LIVE_SOURCES

    return url or LIVE_SOURCES[kind].default_url


@models_app.command("search")
def models_search(
    query: Annotated[str, typer.Argument(help="A model name, or part of one.")],
    as_json: JsonOption = False,
) -> None:
    """Find models by name; the closest first. Exits 1 when no model matches: with --json
    after printing `[]`, so that a script can test the exit status or read the list alike."""
    from rich.table import Table

    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import ensure_models
    from aiprogress.core.model_names import built_on
    from aiprogress.digest.compare import shown_release

    async def work(ctx: "App") -> tuple[list[ModelMatch], list[ModelInfo | None]]:
        registry = ctx.service.models
        await ensure_models(registry)
        found = await registry.search(query)
        index = await registry.index()
        return found, [built_on(index, m.model) for m in found]

    matches, bases = _with_app(work)
    if as_json:
        _print_json(matches)
        if not matches:
            raise typer.Exit(1)
        return
    if not matches:
        raise _fail(f"no model matches {query!r}")
    table = Table("model", "id", "vendor", "released", "match")
    for match, base in zip(matches, bases, strict=True):
        model = match.model
        # The release `compare` and `show` give (o3-mini's first dated id's, not its announcement).
        day = shown_release(model, base)[0]
        released = day.isoformat() if day else ""
        table.add_row(
            *_cells(
                model.display_name, model.canonical_id, model.vendor, released, f"{match.score:.0f}"
            )
        )
    out.print(table)


@models_app.command("show")
def models_show(
    name: Annotated[str, typer.Argument(help="A model name or alias.")],
    as_json: JsonOption = False,
) -> None:
    """One model: its names, its release as `compare` shows it, and every sourced fact, oldest
    first. The JSON's `model` is the stored record; its `release` is the date shown, with the
    stored one where that is set aside."""
    from rich.table import Table

    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import ensure_models
    from aiprogress.core.model_names import built_on
    from aiprogress.digest.compare import shown_release

    async def work(ctx: "App") -> tuple[ModelInfo, list[ModelFact], ModelInfo | None]:
        registry = ctx.service.models
        await ensure_models(registry)
        model, facts = await registry.show(name)
        return model, facts, built_on(await registry.index(), model)

    model, facts, base = _with_app(work)
    # The release `compare` shows, by the same rule: o3-mini's stored 20 December 2024
    # (models.dev's, its announcement) gives way to its first dated id's 31 January 2025.
    day, snapshot, doubt = shown_release(model, base)
    if as_json:
        release = {
            "date": day,
            "snapshot": snapshot,
            "source": model.release_source if day is not None and day == model.release_date else "",
            "set_aside": None
            if doubt is None
            else {k: v for k, v in to_jsonable(doubt).items() if k != "model_index"},
        }
        _print_json({"model": model, "release": release, "facts": facts})
        return
    out.print(f"{model.display_name} ({model.canonical_id}), {model.vendor}", markup=False)
    if day is not None or doubt is not None:
        out.print(_release_words(model, day, snapshot, doubt), markup=False)
    if model.predecessor:
        out.print(f"predecessor {model.predecessor}", markup=False)
    if model.aliases:
        out.print(f"also called: {', '.join(model.aliases)}", markup=False)
    table = Table("metric", "value", "unit", "as of", "source")
    for fact in facts:
        table.add_row(
            *_cells(
                fact.metric, _plain(fact.value), fact.unit, fact.as_of.isoformat(), fact.source_name
            )
        )
    out.print(table)


def _release_words(
    model: ModelInfo, day: "date | None", snapshot: str, doubt: "SetAsideRelease | None"
) -> str:
    """'released 2024-05-13', 'released 2025-09-29 (models.dev)', or 'released 2025-01-31
    (o3-mini-2025-01-31; 2024-12-20 in models.dev set aside: over a month before the first
    dated snapshot, likely an announcement or a preview)'."""
    notes = []
    if snapshot:
        notes.append(snapshot)
    elif day is not None and day == model.release_date and model.release_source:
        notes.append(model.release_source)
    if doubt is not None:
        why = (
            f"before {doubt.built_on} ({doubt.built_on_date.isoformat()})"
            if doubt.built_on_date is not None
            else "over a month before its first dated snapshot, likely an announcement or a preview"
        )
        notes.append(f"{doubt.release_date.isoformat()} in {doubt.source_name} set aside: {why}")
    shown = day.isoformat() if day is not None else "unknown"
    return f"released {shown}" + (f" ({'; '.join(notes)})" if notes else "")


def _plain(value: float | None) -> str:
    """A value as written, without an exponent: a context of 1048576 tokens, not 1.04858e+06
    (`:g` keeps six digits)."""
    return "—" if value is None else f"{value:.12g}"


@models_app.command("events")
def models_events(
    limit: Annotated[
        int,
        typer.Option(min=1, max=1000, help="How many events, newest first (by the day of each)."),
    ] = 30,
    as_json: JsonOption = False,
) -> None:
    """Recent knowledge-base events: new models, new best scores, price changes."""
    events = _with_app(lambda ctx: ctx.service.models.events(limit))
    if as_json:
        _print_json(events)
        return
    for event in events:
        words = [event.as_of.isoformat(), event.kind.value, event.model_id, event.metric]
        if event.old_value is not None:
            words.append(f"{_plain(event.old_value)} → {_plain(event.new_value)} {event.unit}")
        # A new model has no metric: no blank word (and no space at the line's end).
        out.print(" ".join(word for word in words if word), markup=False)


@models_app.command("audit")
def models_audit(
    pairs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Pairs to audit as 'name,name' (default: the seed post's pairs).",
            show_default=False,
        ),
    ] = None,
    whole: Annotated[
        bool, typer.Option("--all", help="Every model against its predecessor instead.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Count, per compared pair, the rows a reader could be misled by: cross-source rows not
    said to be, duplicated benchmarks, settings passed off as the plain model, disagreements
    beyond 2 points (10% for prices, context, speed) and whether they are shown, bad ×-wording."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from rich.table import Table

    from aiprogress.app.models_data import ensure_models
    from aiprogress.digest.audit import COUNTS, SEED_PAIRS, PairAudit, audit_comparison, total

    wanted: list[tuple[str, ...]] = [tuple(p.split(",")) for p in pairs or ()]
    for pair in pairs or ():
        if len([name for name in pair.split(",") if name.strip()]) < 2:
            # compare's own message would suggest `gpt-4.5 gpt-4o`, which audits two pairs.
            raise _fail(
                f"a pair is two names joined by a comma, e.g. `gpt-4.5,gpt-4o`, not {pair!r}"
            )

    async def work(ctx: "App") -> list[PairAudit]:
        registry = ctx.service.models
        await ensure_models(registry)
        chosen = wanted or (list(await registry.predecessor_pairs()) if whole else list(SEED_PAIRS))
        audits = []
        for names in chosen:
            comparison = await registry.compare([n.strip() for n in names])
            facts = await registry.facts([m.canonical_id for m in comparison.models])
            audits.append(audit_comparison(comparison, facts))
        return audits

    audits = _with_app(work)
    summary = total(audits)
    if as_json:
        _print_json(
            {
                "pairs": [{**_jsonable_audit(a), "models": list(a.models)} for a in audits],
                "total": _jsonable_audit(summary),
            }
        )
        return
    table = Table("pair", *(_AUDIT_HEADERS[name] for name in COUNTS))
    for audit in (*audits, summary):
        table.add_row(*_cells(" / ".join(audit.models), *(str(getattr(audit, c)) for c in COUNTS)))
    out.print(table)


# The text table's column headers, in README's words ("Comparable numbers"); the JSON keeps the
# field names.
_AUDIT_HEADERS = {
    "rows": "rows",
    "cross_source_unlabelled": "cross-source unlabelled",
    "duplicated": "duplicated",
    "variant_on_plain": "setting on plain model",
    "disagreeing": "disagreeing",
    "disagreeing_unshown": "disagreement not shown",
    "bad_wording": "×0/×1 wording",
}


def _jsonable_audit(audit: object) -> dict[str, int]:
    from aiprogress.digest.audit import COUNTS

    return {name: int(getattr(audit, name)) for name in COUNTS}


def compare(
    names: Annotated[list[str], typer.Argument(help="Two or more model names.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write a PNG chart to this file.")
    ] = None,
) -> None:
    """Compare models side by side from stored, sourced numbers. Exits 1 when a name matches
    no model or several (the closest are listed) or the chart cannot be written."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import ensure_models
    from aiprogress.digest.compare_render import comparison_to_json, render_comparison_text

    settings = _settings()
    language = lang or settings.digest.language

    async def work(ctx: "App") -> "Comparison":
        await ensure_models(ctx.service.models)
        return await ctx.service.models.compare(names)

    comparison = _with_app(work, settings)
    if chart is not None:
        # Imported here: Pillow is for this option only.
        from aiprogress.digest.chart import render_comparison_chart

        try:
            chart.write_bytes(render_comparison_chart(comparison, language))
        except OSError as exc:
            raise _fail(f"cannot write the chart to {chart}: {exc.strerror}") from None
    if as_json:
        _print_json(comparison_to_json(comparison))
    else:
        out.print(render_comparison_text(comparison, language), markup=False)
