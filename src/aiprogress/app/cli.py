"""The `aiprogress` command line. User mistakes print one line and exit 1; no tracebacks.

Unlike the rest of the package, this module's annotations are evaluated when it is imported
(no `from __future__ import annotations`): Typer reads every command's signature on every run,
and string annotations made it `eval` each of them each time: 9 ms a run, 4 ms without (an
all-304 `collect` of 2,000 feeds takes about 350 ms in all).

Imports on demand (issue 21): `aiprogress --help` and the command line's entry load no storage,
HTTP, bot, LLM, settings or plotting library; each command imports what it uses, inside it.
tests/app/test_lazy_imports.py holds the list of what `--help` and `compare` may load.
"""

import gc
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from aiprogress.core.clock import FixedClock
from aiprogress.core.comparison import Comparison
from aiprogress.core.errors import AppError
from aiprogress.core.jsonable import to_jsonable
from aiprogress.core.types import (
    CollectReport,
    Digest,
    DigestDraft,
    FetchStatus,
    ImportReport,
    ItemFilter,
    Language,
    ModelEvent,
    ModelFact,
    ModelInfo,
    ModelMatch,
    Period,
    Platform,
    Source,
    SourceAddResult,
    TrustTier,
)

if TYPE_CHECKING:
    import asyncio

    from rich.text import Text

    from aiprogress.app.settings import Settings
    from aiprogress.app.wiring import App
    from aiprogress.sources.http import FetchLimits
    from aiprogress.storage.store import SqlStore

T = TypeVar("T")


# The composition root, imported when a command first opens it (storage, HTTP, the service).


def open_app(settings: "Settings", **replacements: Any) -> AbstractAsyncContextManager["App"]:
    from aiprogress.app.wiring import open_app as opened

    return opened(settings, **replacements)


def open_store(
    settings: "Settings", *, migrate: bool | None = None
) -> AbstractAsyncContextManager["SqlStore"]:
    from aiprogress.app.wiring import open_store as opened

    return opened(settings, migrate=migrate)


def fetch_limits(settings: "Settings") -> "FetchLimits":
    from aiprogress.app.wiring import fetch_limits as limits

    return limits(settings)


app = typer.Typer(
    name="aiprogress",
    help="Follow AI progress: collect sources, write sourced digests, deliver them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
sources_app = typer.Typer(help="Curate the sources that are collected.", no_args_is_help=True)
models_app = typer.Typer(help="The model knowledge base.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
app.add_typer(models_app, name="models")

# No emoji codes: what is printed is often someone else's text (a source's name, a feed's
# title), and ":rocket:" in it is text. It also spares `collect` loading rich's emoji table.
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n")


def _fail(text: str) -> typer.Exit:
    # One line, whatever the message: a driver's error text may span several.
    line = " ".join(part.strip() for part in text.splitlines() if part.strip())
    err.print(f"error: {line}", markup=False)
    return typer.Exit(1)


def _first_app_error(error: BaseException) -> AppError | None:
    """The first AppError of an exception group whose every member is one (concurrent tasks
    that all failed the same way, say), else None: anything else is a bug, shown in full."""
    if isinstance(error, AppError):
        return error
    if isinstance(error, BaseExceptionGroup) and error.split(AppError)[1] is None:
        return _first_app_error(error.exceptions[0])
    return None


def _log_time(record: logging.LogRecord) -> str:
    """ISO 8601 in UTC to the millisecond: 2026-05-01T09:00:00.123Z."""
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _TextLines(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _log_time(record)


# Fields a log call may add with `extra=` (the scheduler's job lines) that JSON lines carry.
_EXTRA_FIELDS = ("job", "duration_ms", "counts", "failing")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _log_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _EXTRA_FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: "Settings") -> None:
    """Logs to stderr, as JSON lines by setting. Nothing logged carries a secret: settings
    keep tokens and keys in SecretStr, and errors are described without their requests."""
    handler = logging.StreamHandler(sys.stderr)
    if settings.run.log_json:
        handler.setFormatter(_JsonLines())
    else:
        handler.setFormatter(_TextLines("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # APScheduler logs two lines per job run ("Running job", "executed successfully"): the
    # leader's heartbeat alone made that two lines every few seconds. Our own job line says
    # more; the scheduler keeps its warnings (a missed run, a job still running).
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Alembic 1.16+ logs seven "setup plugin ..." lines before each upgrade; its "Running
    # upgrade" lines, which say what changed, stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _cells(*texts: str) -> list["Text"]:
    """Table cells shown as written: a plain string in a rich table is read as markup, and a
    source's name such as "[ai] news" would lose its brackets (or fail to print)."""
    from rich.text import Text

    return [Text(text) for text in texts]


def _settings() -> "Settings":
    from pydantic import ValidationError

    from aiprogress.app.settings import Settings

    try:
        return Settings.load()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        # The input value is left out on purpose: it may be a secret.
        raise _fail(f"invalid setting {name}: {first['msg']}") from None


def _bot_settings() -> "Settings":
    """Settings for a command that runs the bots, refused before anything is opened when the
    bots' part cannot work (a malformed token, half a webhook)."""
    from aiprogress.app.startup_checks import check_bot_settings

    settings = _settings()
    try:
        check_bot_settings(settings)
    except AppError as exc:
        raise _fail(str(exc)) from None
    return settings


def _event_loop_factory() -> Callable[[], "asyncio.AbstractEventLoop"] | None:
    """uvloop where it is installed (every platform but Windows): a request costs the fetcher
    about a fifth less CPU on it, which is most of what an all-304 collect run spends."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _run(work: Callable[[], Awaitable[T]]) -> T:
    import asyncio

    # What is alive now (modules, classes, settings) lives as long as the command: frozen, the
    # collector's garbage is collected without walking it again each time (about 60 ms a full
    # collection, measured with bench/collect.py). Thawed at the end, so that a process that
    # runs many commands (the tests, the bench) can still collect what an earlier one left.
    gc.freeze()
    results: list[T] = []

    async def main() -> None:
        # The result leaves through a list, not as the task's: on Python 3.11 the runner's
        # exit formats the repr of its main task, result and all (a collect report of 10,000
        # sources, every time), in an error message it then discards (signal.signal).
        results.append(await work())

    try:
        with asyncio.Runner(loop_factory=_event_loop_factory()) as runner:
            runner.run(main())
    except (AppError, BaseExceptionGroup) as exc:
        first = _first_app_error(exc)
        if first is None:
            raise
        raise _fail(str(first)) from None
    finally:
        gc.unfreeze()
    return results[0]


# --- db --------------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the latest revision."""
    from aiprogress.storage.migrate import current_revision, upgrade

    settings = _settings()

    async def work() -> str | None:
        async with open_store(settings, migrate=False) as store:
            await upgrade(store.engine)
            return await current_revision(store.engine)

    revision = _run(work)
    out.print(f"database is at revision {revision}", markup=False)


# --- sources ---------------------------------------------------------------------------------


@sources_app.command("list")
def sources_list(as_json: JsonOption = False) -> None:
    """List sources with their status."""
    from rich.table import Table

    settings = _settings()

    async def work() -> Any:
        async with open_app(settings) as ctx:
            return await ctx.service.list_sources()

    sources = _run(work)
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

    settings = _settings()

    async def work() -> list[SourceAddResult]:
        async with open_app(settings) as ctx:
            return await ctx.service.add_sources(DEFAULT_SOURCES)

    _print_add_results(_run(work), as_json)


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

    async def work() -> list[SourceAddResult]:
        entries = read_opml(document)
        async with open_app(settings) as ctx:
            return await ctx.service.add_sources(entries)

    _print_add_results(_run(work), as_json)


@sources_app.command("export")
def sources_export(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write the OPML (default: standard output).")
    ] = None,
) -> None:
    """Write every source as OPML, grouped by trust tier."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.sources.opml import write_opml

    settings = _settings()

    async def work() -> bytes:
        async with open_app(settings) as ctx:
            return write_opml(await ctx.service.list_sources(), created=ctx.clock.now())

    document = _run(work)
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
    settings = _settings()

    async def work() -> Source:
        async with open_app(settings) as ctx:
            return await ctx.service.set_source_enabled(source_id, enabled)

    source = _run(work)
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
        typer.Option(help="How often to fetch it: seconds, or 90m, 2h, 1d.", metavar="INTERVAL"),
    ] = "1h",
    backfill: Annotated[
        bool,
        typer.Option(
            "--backfill",
            help="Offer what the feed holds now to the next digest (by default the first "
            "fetch is a baseline and only later items are news).",
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
    page is searched for the feeds it links (one is added; several are listed to pick from);
    anything else is refused with the reason."""
    from aiprogress.core.types import Onboarding

    seconds = _interval(interval)
    settings = _settings()

    async def work() -> Onboarding:
        async with open_app(settings) as ctx:
            service = ctx.service
            if no_check:
                source = await service.add_source(
                    url, name=name, trust_tier=tier, backfill=backfill, interval_seconds=seconds
                )
                return Onboarding(url=source.url, source=source)
            return await service.onboard_source(
                url, name=name, trust_tier=tier, backfill=backfill, interval_seconds=seconds
            )

    onboarding = _run(work)
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


def _interval(text: str) -> int:
    """Seconds from '3600', '90m', '2h' or '1d'."""
    text = text.strip().lower()
    unit = _INTERVAL_UNITS.get(text[-1:], 0)
    number = text[:-1] if unit else text
    if not number.isdigit():
        raise typer.BadParameter(f"{text!r} is not an interval such as 3600, 90m, 2h or 1d")
    return int(number) * (unit or 1)


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
        typer.Option(help="How often to fetch it: seconds, or 90m, 2h, 1d.", metavar="INTERVAL"),
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
    settings = _settings()

    async def work() -> Source:
        async with open_app(settings) as ctx:
            return await ctx.service.edit_source(source_id, change)

    source = _run(work)
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
    settings = _settings()

    async def work() -> None:
        async with open_app(settings) as ctx:
            await ctx.service.remove_source(source_id)

    _run(work)
    out.print(f"removed source #{source_id}", markup=False)


# --- collect and digest ----------------------------------------------------------------------


def _print_report(report: CollectReport) -> None:
    for result in report.results:
        if result.status is FetchStatus.ERROR:
            err.print(f"  ✗ {result.source_label}: {result.error}", markup=False)
    out.print(
        f"{len(report.results)} sources: {report.fetched} fetched, "
        f"{report.not_modified} not modified, "
        f"{report.new_items} new items, {report.updated_items} updated, "
        f"{len(report.errors)} errors",
        markup=False,
    )


@app.command()
def collect(
    as_json: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any source failed, not only all.")
    ] = False,
) -> None:
    """Fetch every enabled source once and store the new items. Exits 1 when every source
    failed (with --strict, when any did); 0 otherwise, also with no source to fetch."""
    settings = _settings()

    async def work() -> CollectReport:
        async with open_app(settings) as ctx:
            if as_json or not out.is_terminal:
                return await ctx.service.collect()
            # A progress bar on a terminal; pipes and logs get the summary line only.
            from rich.progress import Progress

            with Progress(transient=True, console=out) as progress:
                task = progress.add_task("collecting", total=None)
                return await ctx.service.collect(
                    on_start=lambda total: progress.update(task, total=total),
                    on_result=lambda _: progress.advance(task),
                )

    report = _run(work)
    if as_json:
        _print_json(report.results)
    else:
        _print_report(report)
    failed = len(report.errors)
    if failed and (strict or failed == len(report.results)):
        raise typer.Exit(1)


def _print_digest(digest: Digest | DigestDraft) -> None:
    out.print(digest.title, markup=False, style="bold")
    out.print("", markup=False)
    out.print(digest.body, markup=False)


@app.command()
def digest(
    period: Annotated[Period, typer.Option(help="The period the digest covers.")] = Period.WEEK,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="ru or en (default: AIPROGRESS_LANGUAGE).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the digest without storing it.")
    ] = False,
    include: Annotated[
        list[str] | None, typer.Option(help="Keep only items with this word (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Drop items with this word (repeatable).")
    ] = None,
    include_re: Annotated[
        list[str] | None,
        typer.Option("--include-re", help="Keep only items matching this RE2 pattern."),
    ] = None,
    exclude_re: Annotated[
        list[str] | None,
        typer.Option("--exclude-re", help="Drop items matching this RE2 pattern."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write the digest of the period that ends now and print it."""
    settings = _settings()
    language = lang or settings.digest.language
    item_filter = ItemFilter(
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        include_patterns=tuple(include_re or ()),
        exclude_patterns=tuple(exclude_re or ()),
    )

    async def work() -> Digest | DigestDraft:
        async with open_app(settings) as ctx:
            return await ctx.service.write_digest(
                period, language, save=not dry_run, item_filter=item_filter
            )

    result = _run(work)
    if as_json:
        data = to_jsonable(result)
        # Stored as JSON text; shown as the objects they are.
        for key in ("document", "fact_sheet", "filter_spec"):
            data[key] = json.loads(data[key]) if data[key] else None
        _print_json(data)
        return
    _print_digest(result)
    tokens = result.prompt_tokens + result.completion_tokens
    err.print(
        f"writer: {result.writer} ({result.verdict}), {result.model or 'no LLM'}, "
        f"{tokens} tokens" + (f", ${result.cost_usd:.4f}" if result.cost_usd is not None else ""),
        markup=False,
    )


@app.command()
def publish(
    period: Annotated[Period, typer.Option(help="day or week.")] = Period.DAY,
    as_json: JsonOption = False,
) -> None:
    """Write the period's digest for every channel subscribed to it (once per language and
    filter set) and queue one delivery per channel."""
    from aiprogress.app.bots import channel_desk
    from aiprogress.core.channels import PublishReport

    settings = _settings()

    async def work() -> PublishReport:
        async with open_app(settings) as ctx:
            return await channel_desk(ctx).publish(period)

    report = _run(work)
    if as_json:
        _print_json(report)
    else:
        out.print(f"{report.digests} digests, {report.queued} deliveries queued", markup=False)


@app.command()
def deliver(as_json: JsonOption = False) -> None:
    """Send every queued delivery that is due, through the bots whose tokens are set."""
    from aiprogress.app.bots import open_bots

    settings = _bot_settings()

    async def work() -> object:
        async with open_app(settings) as ctx, open_bots(ctx) as bots:
            report = await bots.outbox.deliver_pending()
            await bots.outbox.deliver_notices(Platform.TELEGRAM, sorted(settings.telegram.owners))
            return report

    report = _run(work)
    if as_json:
        _print_json(report)
    else:
        out.print(
            "sent {sent}, retried {retried}, failed {failed}, channels deactivated "
            "{deactivated}".format(**to_jsonable(report)),
            markup=False,
        )


@app.command()
def run(
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="One full cycle (collect, queue what is due, deliver) and exit. With no bot "
            "token the digest is printed here. With nothing due it says on stderr when the next "
            "collection and the next digest are.",
        ),
    ] = False,
) -> None:
    """Run the bots whose tokens are set, the scheduler and /healthz and /metrics in one event
    loop, until SIGTERM or SIGINT."""
    from aiprogress.app.bots import open_bots
    from aiprogress.app.runtime import serve

    settings = _bot_settings()
    configure_logging(settings)

    async def work() -> None:
        async with open_app(settings) as ctx, open_bots(ctx, require=not once) as bots:
            await serve(ctx, bots, once=once)

    _run(work)


# The seed post's headline comparison.
DEMO_COMPARISON = ("gpt-4.5", "gpt-4o")


@app.command()
def demo(
    period: Annotated[Period, typer.Option(help="The period the digest covers.")] = Period.MONTH,
) -> None:
    """Run collect and digest on the bundled offline snapshot of real AI feeds, in a temporary
    SQLite file, and print the digest in Russian and English, with the seed post's comparison
    (GPT-4.5 against GPT-4o) from the bundled model data. Needs no network."""
    import tempfile

    from pydantic import SecretStr

    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import import_bundled_models
    from aiprogress.app.settings import Settings
    from aiprogress.digest.compare_render import render_comparison_text
    from aiprogress.sources.snapshot import SnapshotFetcher, load_snapshot

    snapshot = load_snapshot()

    async def work() -> tuple[list[Digest | DigestDraft], Comparison]:
        with tempfile.TemporaryDirectory(prefix="aiprogress-demo-") as folder:
            # Hermetic on purpose: no .env, a throwaway database, the snapshot's clock.
            settings = Settings.load(env_file=None)
            settings.database.url = SecretStr(f"sqlite:///{Path(folder) / 'demo.db'}")
            settings.database.auto_migrate = True
            async with open_app(
                settings, fetcher=SnapshotFetcher(snapshot), clock=FixedClock(snapshot.as_of)
            ) as ctx:
                for feed in snapshot.feeds:
                    # Backfill: the snapshot's recent items are the demo's news.
                    await ctx.service.add_source(
                        feed.url, name=feed.name, trust_tier=feed.trust_tier, backfill=True
                    )
                report = await ctx.service.collect()
                _print_report(report)
                # The model data before the digest, so its stories are weighed.
                await import_bundled_models(ctx.service.models)
                digests = [
                    await ctx.service.write_digest(period, language) for language in Language
                ]
                comparison = await ctx.service.models.compare(list(DEMO_COMPARISON))
                return digests, comparison

    digests, comparison = _run(work)
    for language in (Language.RU, Language.EN):
        written = next(d for d in digests if d.language is language)
        out.rule(language.value.upper())
        _print_digest(written)
        out.print("", markup=False)
        out.print(render_comparison_text(comparison, language), markup=False)


# --- models and compare ----------------------------------------------------------------------

LangOption = Annotated[
    Language | None, typer.Option("--lang", help="ru or en (default: AIPROGRESS_LANGUAGE).")
]


def _print_import_reports(reports: Sequence[ImportReport]) -> None:
    for report in reports:
        if report.error:
            err.print(f"  ✗ {report.source_name}: {report.error}", markup=False)
        else:
            dropped = "".join(f", {count} dropped ({reason})" for reason, count in report.dropped)
            out.print(
                f"  {report.source_name}: {report.models_added} models, "
                f"{report.facts_added} facts, {len(report.events)} events{dropped}",
                markup=False,
            )


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
    leaderboards); with --from, the live data of one publisher, dated today."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import import_bundled_models, import_live
    from aiprogress.sources.http import HttpFetcher

    settings = _settings()

    async def work() -> list[ImportReport]:
        async with open_app(settings) as ctx:
            if kind is None:
                return await import_bundled_models(ctx.service.models)
            async with HttpFetcher(
                limits=fetch_limits(settings),
                allow_private=settings.collector.allow_private_urls,
            ) as fetcher:
                today = ctx.clock.now().date()
                return [await import_live(ctx.service.models, fetcher, kind, url, today)]

    reports = _run(work)
    if as_json:
        _print_json(reports)
    else:
        _print_import_reports(reports)


@models_app.command("search")
def models_search(
    query: Annotated[str, typer.Argument(help="A model name, or part of one.")],
    as_json: JsonOption = False,
) -> None:
    """Find models by name; the closest first."""
    from rich.table import Table

    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import ensure_models

    settings = _settings()

    async def work() -> list[ModelMatch]:
        async with open_app(settings) as ctx:
            await ensure_models(ctx.service.models)
            return await ctx.service.models.search(query)

    matches = _run(work)
    if as_json:
        _print_json(matches)
        return
    if not matches:
        raise _fail(f"no model matches {query!r}")
    table = Table("model", "id", "vendor", "released", "match")
    for match in matches:
        model = match.model
        released = model.release_date.isoformat() if model.release_date else ""
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
    """One model: its names and every sourced fact, oldest first."""
    from rich.table import Table

    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import ensure_models

    settings = _settings()

    async def work() -> tuple[ModelInfo, list[ModelFact]]:
        async with open_app(settings) as ctx:
            await ensure_models(ctx.service.models)
            return await ctx.service.models.show(name)

    model, facts = _run(work)
    if as_json:
        _print_json({"model": model, "facts": facts})
        return
    out.print(f"{model.display_name} ({model.canonical_id}), {model.vendor}", markup=False)
    if model.release_date:
        out.print(f"released {model.release_date.isoformat()}", markup=False)
    if model.predecessor:
        out.print(f"predecessor {model.predecessor}", markup=False)
    if model.aliases:
        out.print(f"also called: {', '.join(model.aliases)}", markup=False)
    table = Table("metric", "value", "unit", "as of", "source")
    for fact in facts:
        table.add_row(
            *_cells(
                fact.metric, f"{fact.value:g}", fact.unit, fact.as_of.isoformat(), fact.source_name
            )
        )
    out.print(table)


@models_app.command("events")
def models_events(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 30, as_json: JsonOption = False
) -> None:
    """Recent knowledge-base events: new models, new best scores, price changes."""
    settings = _settings()

    async def work() -> list[ModelEvent]:
        async with open_app(settings) as ctx:
            return await ctx.service.models.events(limit)

    events = _run(work)
    if as_json:
        _print_json(events)
        return
    for event in events:
        change = ""
        if event.old_value is not None:
            change = f" {event.old_value:g} → {event.new_value:g} {event.unit}"
        out.print(
            f"{event.as_of.isoformat()} {event.kind.value} {event.model_id} {event.metric}{change}",
            markup=False,
        )


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

    settings = _settings()
    wanted: list[tuple[str, ...]] = [tuple(p.split(",")) for p in pairs or ()]

    async def work() -> list[PairAudit]:
        async with open_app(settings) as ctx:
            registry = ctx.service.models
            await ensure_models(registry)
            chosen = wanted or (
                list(await registry.predecessor_pairs()) if whole else list(SEED_PAIRS)
            )
            audits = []
            for names in chosen:
                comparison = await registry.compare([n.strip() for n in names])
                facts = await registry.facts([m.canonical_id for m in comparison.models])
                audits.append(audit_comparison(comparison, facts))
            return audits

    audits = _run(work)
    summary = total(audits)
    if as_json:
        _print_json(
            {
                "pairs": [{**_jsonable_audit(a), "models": list(a.models)} for a in audits],
                "total": _jsonable_audit(summary),
            }
        )
        return
    table = Table("pair", *COUNTS)
    for audit in (*audits, summary):
        table.add_row(*_cells(" / ".join(audit.models), *(str(getattr(audit, c)) for c in COUNTS)))
    out.print(table)


def _jsonable_audit(audit: object) -> dict[str, int]:
    from aiprogress.digest.audit import COUNTS

    return {name: int(getattr(audit, name)) for name in COUNTS}


@app.command()
def compare(
    names: Annotated[list[str], typer.Argument(help="Two or more model names.")],
    lang: LangOption = None,
    as_json: JsonOption = False,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write a PNG chart to this file.")
    ] = None,
) -> None:
    """Compare models side by side from stored, sourced numbers."""
    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import ensure_models
    from aiprogress.digest.compare_render import comparison_to_json, render_comparison_text

    settings = _settings()
    language = lang or settings.digest.language

    async def work() -> Comparison:
        async with open_app(settings) as ctx:
            await ensure_models(ctx.service.models)
            return await ctx.service.models.compare(names)

    comparison = _run(work)
    if chart is not None:
        # Imported here: matplotlib costs a third of a second that other commands need not pay.
        from aiprogress.digest.chart import render_comparison_chart

        try:
            chart.write_bytes(render_comparison_chart(comparison, language))
        except OSError as exc:
            raise _fail(f"cannot write the chart to {chart}: {exc.strerror}") from None
    if as_json:
        _print_json(comparison_to_json(comparison))
    else:
        out.print(render_comparison_text(comparison, language), markup=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
