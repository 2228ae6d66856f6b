"""The Bot API's limits: message and upload sizes, command menus, and the flood windows."""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from tests.servers.telegram.answers import Reject

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the Bot API's limit for uploads of files


# The Bot API's limits on a command menu (core.telegram.org/bots/api#botcommand and
# #setmycommands): at most 100 commands, each 1-32 of a-z, 0-9 and _, with a description of
# 1-256 characters; language_code is a two-letter ISO 639-1 code or empty.
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def check_commands(commands: list[Any]) -> None:
    if len(commands) > 100:
        raise Reject(400, "Bad Request: too many commands specified")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_NAME.fullmatch(
            str(command.get("command", ""))
        ):
            raise Reject(400, "Bad Request: BOT_COMMAND_INVALID")
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise Reject(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")


def menu_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope")
    kind = scope.get("type", "default") if isinstance(scope, dict) else "default"
    language = str(params.get("language_code") or "")
    if language and not _LANGUAGE_CODE.fullmatch(language):
        raise Reject(400, "Bad Request: LANG_CODE_INVALID")
    return str(kind), language


class SlidingWindow:
    """The sends of the last `span` seconds, for a limit of so many sends in any such window."""

    def __init__(self, span: float) -> None:
        self.span = span
        self._times: deque[float] = deque()

    def wait(self, now: float, limit: int) -> float:
        """Seconds until one more send fits under `limit` (0 or less: it fits now)."""
        while self._times and self._times[0] <= now - self.span:
            self._times.popleft()
        if len(self._times) >= limit:
            return self._times[0] + self.span - now
        return 0.0

    def add(self, now: float) -> None:
        self._times.append(now)
