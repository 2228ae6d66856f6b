"""`aiprogress digest` and `demo`: write a digest and print it."""

# No `from __future__ import annotations` here: see the package's docstring (Typer reads
# every command's signature on every run).

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiprogress.app.cli._common import (
    JsonOption,
    _fail,
    _print_json,
    _run,
    _settings,
    _with_app,
    err,
    open_app,
    out,
)
from aiprogress.app.cli.collect import _print_report
from aiprogress.app.english import counted
from aiprogress.core.clock import FixedClock
from aiprogress.core.jsonable import to_jsonable
from aiprogress.core.types import Digest, DigestDraft, ItemFilter, Language, Period

if TYPE_CHECKING:
    from aiprogress.core.comparison import Comparison


def _print_digest(digest: DigestDraft) -> None:
    out.print(digest.title, markup=False, style="bold")
    out.print("", markup=False)
    out.print(digest.body, markup=False)


def _parse_until(text: str) -> datetime:
    """`--until`'s moment: a date is through that day (the window ends at 00:00 UTC of the next,
    as windows are half-open), a time is that moment, in UTC when it names no zone."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        try:
            return datetime.combine(day + timedelta(days=1), time(), UTC)
        except OverflowError:
            raise _fail(f"--until {text} is in the future") from None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(
            f"--until {text!r} is neither a date (2026-08-31) nor a time (2026-08-31T09:00Z)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def digest(
    period: Annotated[Period, typer.Option(help="The period the digest covers.")] = Period.WEEK,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE|TIME",
            help="End the period here instead of now: a date (2026-08-31) is through that day, "
            "to 00:00 UTC of the next; a time (2026-08-31T09:00Z, 2026-08-31T12:00+03:00) is "
            "that moment, in UTC when it names no zone. It must have passed.",
        ),
    ] = None,
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
    """Write the digest of the period that ends now (or at --until) and print it. Exits 1 on
    a mistake (a bad --until, a period not yet over, a pattern that does not compile) or an
    unreachable database, in one `error:` line; a period with no news is a digest, exit 0."""
    end = _parse_until(until) if until is not None else None
    settings = _settings()
    language = lang or settings.digest.language
    item_filter = ItemFilter(
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        include_patterns=tuple(include_re or ()),
        exclude_patterns=tuple(exclude_re or ()),
    )

    result = _with_app(
        lambda ctx: (
            ctx.service.draft_digest(period, language, item_filter=item_filter, end=end)
            if dry_run
            else ctx.service.write_digest(period, language, item_filter=item_filter, end=end)
        ),
        settings,
    )
    if as_json:
        data = to_jsonable(result)
        # Stored as JSON text; shown as the objects they are.
        for key in ("document", "fact_sheet", "filter_spec"):
            data[key] = json.loads(data[key]) if data[key] else None
        _print_json(data)
        return
    _print_digest(result)
    tokens = result.prompt_tokens + result.completion_tokens
    # The built-in writer's verdict is its own name ("builtin"): said once, not "builtin (builtin)".
    verdict = "" if result.verdict == result.writer else f" ({result.verdict})"
    err.print(
        f"writer: {result.writer}{verdict}, {result.model or 'no LLM'}, "
        f"{counted(tokens, 'token')}"
        + (f", ${result.cost_usd:.4f}" if result.cost_usd is not None else ""),
        markup=False,
    )


# The seed post's headline comparison.
DEMO_COMPARISON = ("gpt-4.5", "gpt-4o")


def demo(
    period: Annotated[Period, typer.Option(help="The period the digest covers.")] = Period.MONTH,
) -> None:
    """Run collect and digest on the bundled offline snapshot of real AI feeds, in a temporary
    SQLite file, and print the digest in Russian and English, with the seed post's comparison
    (GPT-4.5 against GPT-4o) from the bundled model data. Needs no network."""
    import tempfile

    # Imported here: `collect` and the scheduler never load what only this command needs.
    from aiprogress.app.models_data import import_bundled_models
    from aiprogress.app.settings import SecretStr, Settings
    from aiprogress.digest.compare_render import render_comparison_text
    from aiprogress.sources.snapshot import SnapshotFetcher, load_snapshot

    snapshot = load_snapshot()

    async def work() -> tuple[list[Digest], "Comparison"]:
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
