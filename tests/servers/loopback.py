"""What every loopback fake server shares: serving an aiohttp app on a free port of 127.0.0.1 and
closing it, `async with`, waiting for what it has seen, running on a thread of its own, and
counting down scripted failures."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import Field, replace
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self, TypeVar

from aiohttp import web

Recorded = TypeVar("Recorded")


class LoopbackServer:
    port: int = 0  # once started
    _runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """Where the server answers, once started (a fake whose API sits below a path adds it)."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    async def _serve(self, app: web.Application, **runner_options: Any) -> None:
        """Serve `app` on 127.0.0.1 at a port the system picks (then `self.port`); for `start`.
        `runner_options` go to `web.AppRunner` (handler_cancellation, shutdown_timeout)."""
        self._runner = web.AppRunner(app, access_log=None, **runner_options)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def _close(self) -> None:
        """Stop serving (for `stop`); nothing if the server never started or is closed."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _summary(self) -> str:
        """What the server saw, for a failed wait's message."""
        return ""

    def _polls(self, predicate: Callable[[], bool], timeout: float, what: str) -> Iterator[None]:
        """Yields, for the caller to sleep, until `predicate()` holds; TimeoutError after
        `timeout` seconds, naming `what` and what the server saw."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{what} within {timeout} s: {self._summary()}")
            yield

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109  (a deadline for a condition, not for I/O)
        what: str = "not met",
    ) -> None:
        """Wait (on the caller's loop) until `predicate()` holds; TimeoutError after `timeout`."""
        for _ in self._polls(predicate, timeout, what):
            await asyncio.sleep(0.005)

    def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,
        what: str = "not met",
    ) -> None:
        """`wait_for` for synchronous code (with the server `in_thread`): blocks the caller."""
        for _ in self._polls(predicate, timeout, what):
            time.sleep(0.005)

    async def _wait_for_sent(
        self,
        n: int,
        sent: Callable[[], list[Recorded]],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Recorded]:
        """Wait until `sent()` lists at least `n` delivered messages; returns them."""
        await self.wait_for(lambda: len(sent()) >= n, timeout, f"{n} messages not sent")
        return sent()

    def _wait_until_sent(
        self, n: int, sent: Callable[[], list[Recorded]], timeout: float = 5.0
    ) -> list[Recorded]:
        """`_wait_for_sent` for synchronous code (with the server `in_thread`)."""
        self.wait_until(lambda: len(sent()) >= n, timeout, f"{n} messages not sent")
        return sent()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @contextmanager
    def in_thread(self) -> Iterator[Self]:
        """Run the server on its own event loop in a thread (for code that owns its loop)."""
        loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self.start())
            started.set()
            loop.run_forever()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        started.wait(10)
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self.stop(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()


class _Scripted(Protocol):
    """A scripted failure: a frozen dataclass that answers the next `times` calls it matches."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def times(self) -> int: ...


Scripted = TypeVar("Scripted", bound=_Scripted)


def take_scripted(script: list[Scripted], matches: Callable[[Scripted], bool]) -> Scripted | None:
    """The first entry of `script` that `matches` accepts, counted down (gone after its last time)."""
    for index, entry in enumerate(script):
        if not matches(entry):
            continue
        if entry.times <= 1:
            del script[index]
        else:
            script[index] = replace(entry, times=entry.times - 1)
        return entry
    return None
