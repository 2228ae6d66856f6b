"""The console as a delivery platform: the embedded default with no bot token prints the
digest. It goes through the same outbox as the bots, so `run --once` exercises the real path."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiprogress.core.types import Channel, Digest, Platform
from aiprogress.digest.render import document_from_json, render_text

# The console channel's address: there is one console.
CONSOLE_ADDRESS = "stdout"


class ConsoleSender:
    platform = Platform.CONSOLE

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    async def send_digest(
        self,
        channel: Channel,
        digest: Digest,
        *,
        start_part: int,
        part_sent: Callable[[int], Awaitable[None]],
    ) -> None:
        if start_part > 0:
            return
        if digest.document:
            document = document_from_json(json.loads(digest.document))
            self._write(f"{document.title}\n\n{render_text(document)}\n")
        else:
            self._write(f"{digest.title}\n\n{digest.body}\n")
        await part_sent(1)

    async def send_text(self, address: str, text: str) -> None:
        self._write(f"{text}\n")
