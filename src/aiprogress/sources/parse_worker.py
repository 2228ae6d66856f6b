"""Feed parsing in a process of its own, so that a collection uses a second core.

Parsing (lxml, the fast parser's core, the sanitiser and our normalisation) is a large share of
what a first collection's event loop does; the rest is HTTP and the database. On a thread
(AIPROGRESS_PARSE_IN=thread), lxml, the fast parser's core and the sanitiser release the GIL and
run beside the loop, but the Python half of the work takes turns with it. In a worker process
(=process) the loop pays only for handing over the body and taking back the parsed feed, pickled;
the worker costs a process's start-up and memory, and more CPU in all. Whether either pays depends
on a second core being free: `bench/collect.py --whole-process` runs `aiprogress collect` each way
in the same run.

The worker is `python -m aiprogress.sources.parse_worker`, spoken to over its stdin and stdout:
each message is a 4-byte big-endian length and a pickle. It imports only the parser (no storage,
HTTP or settings), so it starts in a fraction of the parent's time and memory. Asked (body, url,
content type), it answers ("feed", ParsedFeed) or ("error", the exception parse_feed raised), one
answer per request, in order. Pickles come only from our own parent or child over a private pipe.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import sys
from collections import deque
from typing import Any, BinaryIO

from aiprogress.core.types import ParsedFeed
from aiprogress.sources.parse import parse_feed

logger = logging.getLogger(__name__)

_HEADER = 4  # bytes of length before each message


class WorkerGone(Exception):
    """The worker process could not be started, or ended before it answered."""


def _frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(payload).to_bytes(_HEADER, "big") + payload


class ParserProcess:
    """One worker process that parses feeds for this one: started on the first `parse`, ended
    by `close`. Should it fail to start or die, `parse` raises `WorkerGone` (the caller parses
    inline instead) and it is not started again."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._waiting: deque[asyncio.Future[tuple[str, Any]]] = deque()
        self._starting = asyncio.Lock()
        self._gone = False

    @property
    def pid(self) -> int | None:
        """The worker's process id, once it was started."""
        return None if self._process is None else self._process.pid

    async def _started(self) -> asyncio.subprocess.Process:
        async with self._starting:
            if self._gone:
                raise WorkerGone("the parser process is gone")
            if self._process is None:
                try:
                    self._process = await asyncio.create_subprocess_exec(
                        sys.executable,
                        # -P: the working directory is not put on the import path, so a folder
                        # named like one of our packages there cannot stand in for it.
                        "-P",
                        "-m",
                        __name__,
                        stdin=asyncio.subprocess.PIPE,
                        stdout=asyncio.subprocess.PIPE,
                        # Its errors (a traceback, should it crash) go where ours go.
                        stderr=None,
                        # Bodies of up to the fetch limit come back as one message.
                        limit=2**20,
                    )
                except OSError as exc:
                    self._gone = True
                    raise WorkerGone(f"cannot start the parser process: {exc}") from exc
                self._reader = asyncio.create_task(self._read_answers(self._process))
            return self._process

    async def parse(self, document: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
        """What `parse_feed` returns or raises for the document, computed in the worker."""
        process = self._process or await self._started()
        if self._gone or process.stdin is None:
            raise WorkerGone("the parser process is gone")
        answer: asyncio.Future[tuple[str, Any]] = asyncio.get_running_loop().create_future()
        # Written and queued with no await between: answers come back in the order asked.
        process.stdin.write(_frame((document, url, content_type)))
        self._waiting.append(answer)
        try:
            await process.stdin.drain()
        except (ConnectionError, RuntimeError) as exc:
            self._end(f"the parser process stopped reading: {exc}")
        kind, value = await answer
        if kind == "error":
            raise value
        feed: ParsedFeed = value
        return feed

    async def _read_answers(self, process: asyncio.subprocess.Process) -> None:
        stdout = process.stdout
        if stdout is None:  # never: it was opened as a pipe
            raise WorkerGone("the parser process has no output")
        try:
            while True:
                size = int.from_bytes(await stdout.readexactly(_HEADER), "big")
                message = pickle.loads(await stdout.readexactly(size))  # noqa: S301 (our child)
                waiting = self._waiting.popleft()
                if not waiting.done():
                    waiting.set_result(message)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            self._end(f"the parser process ended ({type(exc).__name__})")

    def _end(self, why: str) -> None:
        if not self._gone:
            self._gone = True
            if self._waiting:
                logger.warning("%s; feeds are parsed in the collector from now on", why)
        while self._waiting:
            waiting = self._waiting.popleft()
            if not waiting.done():
                waiting.set_exception(WorkerGone(why))

    async def close(self) -> None:
        process, self._process = self._process, None
        self._gone = True
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()  # end of input: the worker exits
        try:
            async with asyncio.timeout(5):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._reader is not None:
            await self._reader


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: parse each request, answer it, until the input ends."""
    while (header := _read_exactly(requests, _HEADER)) is not None:
        payload = _read_exactly(requests, int.from_bytes(header, "big"))
        if payload is None:
            break
        document, url, content_type = pickle.loads(payload)  # noqa: S301 (our parent)
        try:
            feed = parse_feed(document, url=url, content_type=content_type)
            answer: tuple[str, Any] = ("feed", feed)
        except Exception as exc:  # the parent raises it where it would have been raised inline
            answer = ("error", exc)
        try:
            message = _frame(answer)
        except Exception as exc:  # an exception that does not pickle
            message = _frame(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        answers.write(message)
        answers.flush()


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the parent decides, and the worker ends when its
    # input does, with no traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Unbuffered binary stdio, and no stray print can corrupt the answers: stdout is ours alone.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, answers)
