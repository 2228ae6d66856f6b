"""`aiprogress collect`, `publish`, `deliver` and `run`: the service's cycle, a step at a time
or all of it."""

# No `from __future__ import annotations` here: see the package's docstring (Typer reads
# every command's signature on every run).

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from aiprogress.app.cli._common import (
    JsonOption,
    _bot_settings,
    _fail,
    _print_json,
    _settings,
    _with_app,
    err,
    out,
)
from aiprogress.app.cli._logging import configure_logging
from aiprogress.app.collect_command import collect as collect_sources
from aiprogress.app.collect_command import print_report as _print_report
from aiprogress.app.english import counted
from aiprogress.core.jsonable import to_jsonable
from aiprogress.core.types import Period, Platform

if TYPE_CHECKING:
    from aiprogress.app.runtime import JobSummary
    from aiprogress.app.wiring import App

__all__ = ["_print_report", "collect", "deliver", "publish", "run"]


def collect(
    as_json: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any source failed, not only all.")
    ] = False,
) -> None:
    """Fetch every enabled source once and store the new items. Exits 1 when every source
    failed (with --strict, when any did); 0 otherwise, also with no source to fetch."""
    # The body is app/collect_command.py's, which `aiprogress collect [--json] [--strict]`
    # also runs without Typer (app/entry.py).
    collect_sources(as_json=as_json, strict=strict)


class SubscriptionPeriod(StrEnum):
    """The periods a chat subscribes to: `publish` has nothing to write for another."""

    DAY = "day"
    WEEK = "week"


def publish(
    period: Annotated[
        SubscriptionPeriod, typer.Option(help="The subscriptions to write for: day or week.")
    ] = SubscriptionPeriod.DAY,
    as_json: JsonOption = False,
) -> None:
    """Write the period's digest for every channel subscribed to it (once per language and
    filter set) and queue one delivery per channel. With no bot token set, the console is
    subscribed to the daily digest, as `run --once` has it: `publish` then `deliver` prints
    it. Exits 0 also when no chat is subscribed (stderr says so), 1 when it cannot run."""
    from aiprogress.app.bots import channel_desk, console_follows_tokens
    from aiprogress.core.channels import PublishReport

    async def work(ctx: "App") -> PublishReport:
        await console_follows_tokens(ctx)
        return await channel_desk(ctx).publish(Period(period.value))

    settings = _settings()
    report = _with_app(work, settings)
    if as_json:
        _print_json(report)
    else:
        queued = counted(report.queued, "delivery", "deliveries")
        out.print(f"{counted(report.digests, 'digest')}, {queued} queued", markup=False)
    if report.digests and not report.queued:
        # The stories are those of the digest written last: the stored one is reused, and every
        # chat has it queued or sent already.
        err.print(
            "nothing new since the last digest: every subscribed chat has it already",
            markup=False,
        )
    if not report.digests:
        # A digest is written per group of subscribed chats: none written, none subscribed.
        from aiprogress.app.bots import has_bot_token

        console = "" if has_bot_token(settings) else " (the console is subscribed to the daily one)"
        every = "daily" if period is SubscriptionPeriod.DAY else "weekly"
        err.print(f"no chat is subscribed to the {every} digest{console}", markup=False)


def deliver(as_json: JsonOption = False) -> None:
    """Send every queued delivery that is due, through the bots whose tokens are set, and the
    pending admin notices to the owners. With no bot token set, the console's digests are
    printed here instead, as `run --once` prints them (on stderr with --json); deliveries
    queued for chats of a platform whose token is not set stay queued (stderr says how many),
    to go out once it is. Exits 0 when it ran (failed sends are counted, and retried), 1 when
    it cannot (a bad setting or token, an unreachable database or platform)."""
    from aiprogress.app.bots import console_write, console_write_stderr, has_bot_token, open_bots

    settings = _bot_settings()
    console = console_write_stderr if as_json else console_write

    async def work(ctx: "App") -> object:
        async with open_bots(ctx, require=False, console=console) as bots:
            report = await bots.outbox.deliver_pending()
            for platform, owners in (
                (Platform.TELEGRAM, settings.telegram.owners),
                (Platform.DISCORD, settings.discord.owners),
            ):
                await bots.outbox.deliver_notices(platform, sorted(owners))
            return report

    report = _with_app(work, settings)
    counts = to_jsonable(report)
    if as_json:
        _print_json(report)
    else:
        out.print(
            "sent {sent}, retried {retried}, failed {failed}, channels deactivated "
            "{deactivated}".format(**counts),
            markup=False,
        )
    if counts["waiting"] and not has_bot_token(settings):
        err.print(
            "no bot token is set: deliveries to Telegram or Discord chats stay queued until "
            "TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN is set",
            markup=False,
        )
    elif counts["waiting"]:
        # One bot's token is set here, not the other's: its chats' rows wait for it.
        missing = "DISCORD_BOT_TOKEN" if settings.telegram.bot_token else "TELEGRAM_BOT_TOKEN"
        waiting = counted(counts["waiting"], "delivery", "deliveries")
        err.print(f"{missing} is not set: {waiting} to its chats left queued", markup=False)


def run(
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="One full cycle (collect, queue what is due, deliver) and exit. With no bot "
            "token the digest is printed here. With nothing due it says on stderr when the next "
            "collection and the next digest are. Sources that failed are counted on stderr, "
            "and the cycle still exits 0, as the service goes on (`collect` is the command "
            "whose exit status tells a script whether sources failed).",
        ),
    ] = False,
) -> None:
    """Run the bots whose tokens are set, the scheduler and /healthz and /metrics in one event
    loop, until SIGTERM or SIGINT; each job logs one line on stderr (a WARNING naming the
    sources that failed). Without --once it needs TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN.
    Exits 0 when stopped, 1 when it cannot start (a bad setting, no token, an unreachable
    database or platform, a port in use)."""
    from aiprogress.app.bots import WITHOUT_A_BOT, has_bot_token

    settings = _bot_settings()
    if not once and not has_bot_token(settings):
        # Refused before the database is opened: a mistake leaves no file behind.
        raise _fail(WITHOUT_A_BOT)
    configure_logging(settings)

    async def work(ctx: "App") -> "JobSummary | None":
        from aiprogress.app.bots import open_bots
        from aiprogress.app.runtime import serve

        async with open_bots(ctx, require=not once) as bots:
            return await serve(ctx, bots, once=once)

    collected = _with_app(work, settings)
    if collected is not None:
        _tell_failed_sources(collected, as_json_log=settings.run.log_json)


def _tell_failed_sources(collected: "JobSummary", *, as_json_log: bool) -> None:
    """`run --once`'s word on the sources that failed, after the digest: on stderr, with where
    to see why (a log entry when the log is JSON lines, which a plain line would break). The
    cycle exits 0 even when every source failed: it ran to its end (the digest and the
    deliveries), as the service would have, and README's quick start runs it as a new user's
    first cycle, offline too. `collect` is the step whose exit status says sources failed."""
    failed, fetched = collected.counts["failed"], collected.counts["sources"]
    if not failed:
        return
    why = "see the job collect line above, or `aiprogress sources list` for each one's last error"
    every = failed == fetched
    text = (
        f"every source failed ({failed} of {fetched}): {why}"
        if every
        else f"{failed} of {counted(fetched, 'source')} failed: {why}"
    )
    if as_json_log:
        import logging

        logging.getLogger(__name__).log(logging.ERROR if every else logging.WARNING, text)
    else:
        err.print(f"warning: {text}" if every else text, markup=False)
