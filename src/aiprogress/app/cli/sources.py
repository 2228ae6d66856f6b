"""`aiprogress sources ...`: curate the sources that are collected."""

# No `from __future__ import annotations` here: see the package's docstring (Typer reads
# every command's signature on every run).

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiprogress.app.cli._common import (
    JsonOption,
    _cells,
    _fail,
    _print_json,
    _settings,
    _with_app,
    out,
)
from aiprogress.core.errors import AppError, SourceRefused
from aiprogress.core.types import SourceAddResult, TrustTier

if TYPE_CHECKING:
    from aiprogress.app.wiring import App

sources_app = typer.Typer(
    help="Curate the sources that are collected. Each command exits 0 when done and 1 on a "
    "mistake (an unknown id, a bad or duplicate URL, a bad interval, a file it cannot read or "
    "write): one `error:` line on stderr, and nothing is changed.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@sources_app.command("list")
def sources_list(as_json: JsonOption = False) -> None:
    """List sources with their status."""
    from rich.table import Table

    sources = _with_app(lambda ctx: ctx.service.list_sources())
    if as_json:
        _print_json(list(sources))
        return
    if not sources:
        out.print("no sources yet: add one with `aiprogress sources add URL`", markup=False)
        return
    # A name, URL or error cut short is no use to an admin: on a narrow terminal they fold.
    folded = ("name", "url", "last error")
    table = Table()
    for header in (
        "id",
        "name",
        "url",
        "tier",
        "enabled",
        "last fetch",
        "status",
        "next check",
        "last error",
    ):
        table.add_column(header, overflow="fold" if header in folded else "ellipsis")
    for s in sources:
        status = s.last_status.value if s.last_status else ""
        if s.failures:
            status = f"{status} ×{s.failures}"
        table.add_row(
            *_cells(
                str(s.id),
                s.name,
                s.url,
                s.trust_tier.value,
                "yes" if s.enabled else "no",
                s.last_fetched_at.strftime("%Y-%m-%d %H:%M") if s.last_fetched_at else "never",
                status,
                s.next_check_at.strftime("%Y-%m-%d %H:%M") if s.next_check_at else "now",
                s.disabled_reason or s.last_error or "",
            )
        )
    out.print(table)


def _print_add_results(results: Sequence[SourceAddResult], as_json: bool) -> None:
    if as_json:
        _print_json(results)
        return
    for result in results:
        if result.source is not None:
            out.print(f"  added #{result.source.id}: {result.source.label}", markup=False)
        else:
            out.print(f"  skipped {result.url}: {result.error}", markup=False)
    added = sum(1 for r in results if r.source is not None)
    out.print(f"{added} added, {len(results) - added} skipped", markup=False)


@sources_app.command("add-defaults")
def sources_add_defaults(as_json: JsonOption = False) -> None:
    """Add the catalogue of default AI sources that ships with aiprogress (labs' news, model
    runtimes' releases, arXiv, writers); the ones already present are skipped."""
    from aiprogress.sources.catalogue import DEFAULT_SOURCES

    _print_add_results(_with_app(lambda ctx: ctx.service.add_sources(DEFAULT_SOURCES)), as_json)


@sources_app.command("import")
def sources_import(
    path: Annotated[Path, typer.Argument(help="An OPML file, as feed readers export them.")],
    as_json: JsonOption = False,
) -> None:
    """Add the feeds an OPML file lists."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.sources.opml import read_opml

    settings = _settings()
    try:
        document = path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror}") from None

    # Read before the app opens, as the file is: a file that is no OPML touches no database.
    try:
        entries = read_opml(document)
    except AppError as exc:
        raise _fail(str(exc)) from None
    _print_add_results(_with_app(lambda ctx: ctx.service.add_sources(entries), settings), as_json)


@sources_app.command("export")
def sources_export(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write the OPML (default: standard output).")
    ] = None,
) -> None:
    """Write every source as OPML, grouped by trust tier."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.sources.opml import write_opml

    async def work(ctx: "App") -> bytes:
        return write_opml(await ctx.service.list_sources(), created=ctx.clock.now())

    document = _with_app(work)
    if path is None:
        sys.stdout.write(document.decode("utf-8"))
        return
    try:
        path.write_bytes(document)
    except OSError as exc:
        raise _fail(f"cannot write {path}: {exc.strerror}") from None
    out.print(f"wrote {path}", markup=False)


@sources_app.command("pause")
def sources_pause(source_id: Annotated[int, typer.Argument(help="The source's id.")]) -> None:
    """Stop collecting a source (its items stay)."""
    _set_enabled(source_id, enabled=False)


@sources_app.command("resume")
def sources_resume(source_id: Annotated[int, typer.Argument(help="The source's id.")]) -> None:
    """Collect a paused or disabled source again, from a clean slate."""
    _set_enabled(source_id, enabled=True)


def _set_enabled(source_id: int, *, enabled: bool) -> None:
    source = _with_app(lambda ctx: ctx.service.set_source_enabled(source_id, enabled))
    state = "resumed" if enabled else "paused"
    out.print(f"{state} source #{source.id}: {source.url}", markup=False)


_MEDIA_TYPE_NAMES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
}


@sources_app.command("add")
def sources_add(
    url: Annotated[
        str, typer.Argument(help="A feed's http(s) URL, or a web page that links its feed.")
    ],
    name: Annotated[str, typer.Option(help="A display name (default: the feed's title).")] = "",
    tier: Annotated[TrustTier, typer.Option(help="How far the source is trusted.")] = (
        TrustTier.COMMUNITY
    ),
    interval: Annotated[
        str,
        typer.Option(
            help="How often to fetch it: seconds, or 90m, 2h, 1d (a minute to a year).",
            metavar="INTERVAL",
        ),
    ] = "1h",
    backfill: Annotated[
        bool,
        typer.Option(
            "--backfill",
            help="Count what the feed holds now as news (by default the first fetch is a "
            "baseline: only items of the last 30 days and later ones are news). A digest still "
            "takes only the items published in its period.",
        ),
    ] = False,
    no_check: Annotated[
        bool,
        typer.Option(
            "--no-check",
            help="Add the URL as given without fetching it (a feed that is down for now).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a source. The URL is fetched once: a feed is added, named after its title; a web
    page is searched for the feeds it links (one is added; several are listed to pick from,
    and it exits 1 with nothing added); anything else is refused with the reason."""
    from aiprogress.core.types import Onboarding

    seconds = _interval(interval)

    async def work(ctx: "App") -> Onboarding:
        service = ctx.service
        if no_check:
            source = await service.add_source(
                url, name=name, trust_tier=tier, backfill=backfill, interval_seconds=seconds
            )
            return Onboarding(url=source.url, source=source)
        try:
            return await service.onboard_source(
                url, name=name, trust_tier=tier, backfill=backfill, interval_seconds=seconds
            )
        except SourceRefused as exc:
            if exc.reason != "unreachable":
                raise
            # Down for now, or this machine is offline: the option that adds it all the same.
            raise SourceRefused(
                f"{exc}; --no-check adds it without fetching it now",
                reason=exc.reason,
                values=exc.values,
            ) from exc

    onboarding = _with_app(work)
    source = onboarding.source
    if as_json:
        _print_json(onboarding)
    elif source is None:
        out.print(
            f"{onboarding.url} links {len(onboarding.candidates)} feeds; nothing was added. "
            "Add the one you want by its URL:",
            markup=False,
        )
        for link in onboarding.candidates:
            kind = _MEDIA_TYPE_NAMES.get(link.media_type, link.media_type)
            title = f"{link.title} ({kind})" if link.title else f"({kind})"
            out.print(f"  {link.url}  {title}", markup=False)
    else:
        if onboarding.found_on is not None:
            out.print(f"found the feed {source.url} on {onboarding.found_on}", markup=False)
        named = f' "{source.name}"' if source.name else ""
        fetched = "not fetched yet" if no_check else count_items(onboarding.items)
        out.print(f"added source #{source.id}{named}: {source.url} ({fetched})", markup=False)
    if source is None:
        raise typer.Exit(1)


def count_items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


_INTERVAL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


# The longest polling interval taken: a year. Longer is a typo (a number of seconds that
# overflows the database's integer was a traceback).
_MAX_INTERVAL_SECONDS = 365 * 86400


def _interval(text: str) -> int:
    """Seconds from '3600', '90m', '2h' or '1d', from a minute to a year, for `add` (whose
    --no-check path stores it as given) and `edit` alike."""
    from aiprogress.core.types import MIN_INTERVAL_SECONDS

    text = text.strip().lower()
    unit = _INTERVAL_UNITS.get(text[-1:], 0)
    number = text[:-1] if unit else text
    if not number.isdigit():
        raise typer.BadParameter(f"{text!r} is not an interval such as 3600, 90m, 2h or 1d")
    seconds = int(number) * (unit or 1)
    if seconds < MIN_INTERVAL_SECONDS:
        raise typer.BadParameter(f"an interval is at least {MIN_INTERVAL_SECONDS} seconds")
    if seconds > _MAX_INTERVAL_SECONDS:
        raise typer.BadParameter("an interval is at most a year (365d)")
    return seconds


def _every(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@sources_app.command("edit")
def sources_edit(
    source_id: Annotated[int, typer.Argument(help="The source's id.")],
    name: Annotated[
        str | None,
        typer.Option(
            help="A display name; kept as given. An empty name (--name '') makes the name "
            "follow the feed's title again."
        ),
    ] = None,
    tier: Annotated[TrustTier | None, typer.Option(help="How far the source is trusted.")] = None,
    interval: Annotated[
        str | None,
        typer.Option(
            help="How often to fetch it: seconds, or 90m, 2h, 1d (a minute to a year).",
            metavar="INTERVAL",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Rename a source, or change its trust tier or polling interval."""
    from aiprogress.core.types import SourceChange

    change = SourceChange(
        name=name,
        trust_tier=tier,
        interval_seconds=None if interval is None else _interval(interval),
    )
    source = _with_app(lambda ctx: ctx.service.edit_source(source_id, change))
    if as_json:
        _print_json(source)
        return
    follows = "" if source.name_from_user else " (follows the feed's title)"
    out.print(
        f"source #{source.id}: {source.label}{follows}, {source.trust_tier.value}, "
        f"every {_every(source.interval_seconds)}",
        markup=False,
    )


@sources_app.command("remove")
def sources_remove(source_id: Annotated[int, typer.Argument(help="The source's id.")]) -> None:
    """Remove a source and the items collected from it."""
    _with_app(lambda ctx: ctx.service.remove_source(source_id))
    out.print(f"removed source #{source_id}", markup=False)
