"""Keeping the bots running: which are down and why (for /healthz), and their restarts.

A bot's loop that ends (an error, a token revoked while running) is logged with its cause and
started again after a pause that doubles each time, up to a minute, and starts over at a second
once the bot has run for a minute. While it waits, and whenever the bot itself reports trouble
(a failed poll, a lost gateway), the bot counts as down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiprogress.core.errors import AppError

logger = logging.getLogger(__name__)


class BotHealth:
    """The configured bots that are down, each with its cause in one line."""

    def __init__(self) -> None:
        self._down: dict[str, str] = {}

    def report(self, bot: str, cause: str | None, *, logged: bool = False) -> None:
        """`cause` None: the bot works; otherwise why it does not. A change is logged once
        (unless the caller has `logged` it in its own words)."""
        before = self._down.get(bot)
        if cause is None:
            if self._down.pop(bot, None) is not None:
                logger.info("%s bot is up again", bot)
            return
        self._down[bot] = cause
        if before != cause and not logged:
            logger.warning("%s bot is down: %s", bot, cause)

    def down(self) -> dict[str, str]:
        return dict(sorted(self._down.items()))


def describe(error: BaseException) -> str:
    """One line about an error. Ours are worded for people; others get their type's name. The
    platforms' errors carry their answer's text, not the request (nor its token)."""
    text = str(error) if isinstance(error, AppError) else f"{type(error).__name__}: {error}"
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


async def supervise(
    bot: str,
    work: Callable[[], Awaitable[None]],
    health: BotHealth,
    *,
    first_pause: float = 1.0,
    longest_pause: float = 60.0,
) -> None:
    """Run `work` again and again until cancelled, pausing between runs as the module says."""
    loop = asyncio.get_running_loop()
    pause = first_pause
    while True:
        started = loop.time()
        try:
            await work()
            cause = "its loop ended"
            unexpected = False
        except Exception as error:  # every failure is logged and retried; none ends the process
            cause = describe(error)
            unexpected = not isinstance(error, AppError)
        if loop.time() - started >= longest_pause:
            pause = first_pause
        health.report(bot, f"{cause}; restarting in {pause:g} s", logged=True)
        # A bug's traceback helps whoever reads the log; a known failure's would only repeat it.
        logger.error(
            "%s bot stopped: %s; restarting in %g s", bot, cause, pause, exc_info=unexpected
        )
        await asyncio.sleep(pause)
        pause = min(pause * 2, longest_pause)
