"""What `aiprogress collect` does, once, for both of its ways in: the Typer command
(`app/cli/collect.py`, which owns its options and help) and the entry point's own path for
`collect [--json] [--strict]` (`app/entry.py`), which never imports Typer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiprogress.app.command_frame import err, out, print_json, with_app
from aiprogress.app.english import counted
from aiprogress.core.types import CollectReport, FetchStatus

if TYPE_CHECKING:
    from aiprogress.app.wiring import App

__all__ = ["collect", "print_report"]


def print_report(report: CollectReport) -> None:
    for result in report.results:
        if result.status is FetchStatus.ERROR:
            err.print(f"  ✗ {result.source_label}: {result.error}", markup=False)
    out.print(
        f"{counted(len(report.results), 'source')}: {report.fetched} fetched, "
        f"{report.not_modified} not modified, "
        f"{counted(report.new_items, 'new item')}, {report.updated_items} updated, "
        f"{counted(len(report.errors), 'error')}",
        markup=False,
    )


def collect(*, as_json: bool, strict: bool) -> None:
    """Fetch every enabled source once, store the new items and print the report; raise
    SystemExit(1) when every source failed (with `strict`, when any did)."""

    async def work(ctx: App) -> CollectReport:
        if as_json or not out.is_terminal:
            return await ctx.service.collect()
        # A progress bar on a terminal; pipes and logs get the summary line only.
        from rich.progress import Progress

        with Progress(transient=True, console=out.console) as progress:
            task = progress.add_task("collecting", total=None)
            return await ctx.service.collect(
                on_start=lambda total: progress.update(task, total=total),
                on_result=lambda _: progress.advance(task),
            )

    # The collector's work alone: no SQLAlchemy on a SQLite database at head.
    report = with_app(work, collect_only=True)
    if as_json:
        print_json(report.results)
    else:
        print_report(report)
    failed = len(report.errors)
    if failed and (strict or failed == len(report.results)):
        raise SystemExit(1)
