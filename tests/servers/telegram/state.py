"""What the fake Bot API knows (chats, users, members, files, menus, pending updates, scripted
failures, the flood windows), how a test sets it up, and what it recorded."""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from tests.servers.loopback import LoopbackServer, take_scripted
from tests.servers.telegram.answers import Reject
from tests.servers.telegram.limits import SlidingWindow
from tests.servers.telegram.parsing import as_int
from tests.servers.telegram.records import (
    DELIVERY_METHODS,
    ApiCall,
    ChatInfo,
    ChatType,
    MemberStatus,
    ScriptedFailure,
)


class TelegramState(LoopbackServer):
    """The state behind `FakeTelegram` (whose docstring says what the options do)."""

    def __init__(
        self,
        *,
        bot_username: str = "aiprogress_test_bot",
        bot_first_name: str = "AI Progress (test)",
        token: str | None = None,
        enforce_limits: bool = False,
        global_per_second: int = 30,
        group_per_minute: int = 20,
        max_poll_seconds: float = 1.0,
        latency_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.token = token
        self.enforce_limits = enforce_limits
        self.global_per_second = global_per_second
        self.group_per_minute = group_per_minute
        self.max_poll_seconds = max_poll_seconds
        self.latency_seconds = latency_seconds
        self.clock = clock

        self.calls: list[ApiCall] = []
        self.rejected_429 = 0
        self.polls_started = 0  # getUpdates requests received, answered or still waiting
        self.commands: list[Any] = []  # the default menu (no scope, no language_code)
        # Every menu set, by (scope type, language_code); "" is no language.
        self.menus: dict[tuple[str, str], list[dict[str, Any]]] = {}

        self._lock = threading.RLock()
        self._failures: list[ScriptedFailure] = []
        self._blocked: dict[int, str] = {}
        self._missing: set[int] = set()
        # Groups upgraded to supergroups: the old id answers 400 with the new one.
        self._upgraded: dict[int, int] = {}
        self._chats: dict[int, ChatInfo] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._members: dict[tuple[int, int], MemberStatus] = {}
        self._message_ids: dict[int, Iterator[int]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, contents)
        self._file_ids = itertools.count(1)
        self._sends = SlidingWindow(1.0)
        self._group_sends: dict[int, SlidingWindow] = {}

        # The long poll's (see server.py): the loop it waits on, and the event that wakes it.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._update_event = asyncio.Event()
        self._stopping = False

    # Set-up

    def fail(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error.

        The description defaults to Telegram's usual one for the status; a 429 always carries
        `parameters.retry_after` (1 s unless given).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = {
                400: "Bad Request: chat not found",
                401: "Unauthorized",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
                429: f"Too Many Requests: retry after {retry_after}",
                502: "Bad Gateway",
            }.get(status, "Internal Server Error" if status >= 500 else f"Error {status}")
        failure = ScriptedFailure(method.lower(), status, description, retry_after, chat_id, times)
        with self._lock:
            self._failures.append(failure)

    def block(self, chat_id: int, description: str | None = None) -> None:
        """Every send to `chat_id` answers 403 (the user blocked the bot, or it was removed)."""
        if description is None:
            description = (
                "Forbidden: bot was blocked by the user"
                if chat_id > 0
                else "Forbidden: bot was kicked from the group chat"
            )
        with self._lock:
            self._blocked[chat_id] = description

    def unblock(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.pop(chat_id, None)

    def missing(self, chat_id: int) -> None:
        """Every call naming `chat_id` answers 400 "Bad Request: chat not found"."""
        with self._lock:
            self._missing.add(chat_id)

    def upgrade(self, chat_id: int, supergroup_id: int) -> None:
        """The group `chat_id` becomes the supergroup `supergroup_id`, as Telegram upgrades a
        group (for its size, or a setting only supergroups have): every send to the old id
        answers 400 with `parameters.migrate_to_chat_id`; the supergroup takes the sends."""
        with self._lock:
            old = self._chats.get(chat_id)
            title = old.title if old is not None else None
            self._upgraded[chat_id] = supergroup_id
        self.add_chat(supergroup_id, "supergroup", title=title)

    def add_chat(
        self,
        chat_id: int,
        type: ChatType | None = None,
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
    ) -> ChatInfo:
        """Describe a chat (its type defaults from the id; a username makes "@name" resolve)."""
        chat = ChatInfo(
            id=chat_id,
            type=type or self._default_chat_type(chat_id),
            title=title,
            username=username.lstrip("@") if username else None,
            first_name=first_name,
        )
        with self._lock:
            self._chats[chat_id] = chat
        return chat

    def set_member(self, chat_id: int, user_id: int, status: MemberStatus) -> None:
        """What getChatMember answers for this user in this chat ("member" by default)."""
        with self._lock:
            self._members[(chat_id, user_id)] = status

    def add_file(self, contents: bytes, file_path: str = "documents/file.bin") -> str:
        """Store a file for getFile and the file URL; returns its file_id."""
        with self._lock:
            return self._store_file(contents, file_path)

    def reset(self) -> None:
        """Forget the calls, the scripted failures and the pending updates."""
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self._updates.clear()
            self.rejected_429 = 0

    # Results

    def calls_of(self, method: str) -> list[ApiCall]:
        name = method.lower()
        with self._lock:
            return [call for call in self.calls if call.method.lower() == name]

    def sent(self, chat_id: int | str | None = None) -> list[ApiCall]:
        """sendMessage and sendPhoto calls answered 200 (to `chat_id`, if given)."""
        with self._lock:
            calls = list(self.calls)
        return [
            call
            for call in calls
            if call.ok
            and call.method.lower() in DELIVERY_METHODS
            and (chat_id is None or chat_id in (call.chat_id, call.params.get("chat_id")))
        ]

    async def wait_for_sent(
        self,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109
        chat_id: int | str | None = None,
    ) -> list[ApiCall]:
        """Wait until at least `n` messages were delivered; returns them."""
        return await self._wait_for_sent(n, lambda: self.sent(chat_id), timeout)

    def wait_until_sent(
        self, n: int, timeout: float = 5.0, chat_id: int | str | None = None
    ) -> list[ApiCall]:
        """`wait_for_sent` for synchronous code (with the server `in_thread`)."""
        return self._wait_until_sent(n, lambda: self.sent(chat_id), timeout)

    def _summary(self) -> str:
        with self._lock:
            return ", ".join(f"{call.method}:{call.status}" for call in self.calls) or "none"

    # State helpers (called with the lock held)

    @staticmethod
    def _default_chat_type(chat_id: int) -> ChatType:
        if chat_id > 0:
            return "private"
        return "supergroup" if chat_id <= -1_000_000_000_000 else "group"

    def _chat(self, chat_id: int) -> ChatInfo:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = ChatInfo(id=chat_id, type=self._default_chat_type(chat_id))
            self._chats[chat_id] = chat
        return chat

    def _user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        user = self._users.get(user_id)
        if user is None or first_name or username or language_code:
            user = {"id": user_id, "is_bot": False, "first_name": first_name or f"User {user_id}"}
            if username:
                user["username"] = username
            user["language_code"] = language_code or "en"
            self._users[user_id] = user
        return dict(user)

    def _bot_user(self, token: str) -> dict[str, Any]:
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _store_file(self, contents: bytes, file_path: str) -> str:
        number = next(self._file_ids)
        file_id = f"AgACAgFake{number:08d}"
        self._files[file_id] = (file_path, contents)
        return file_id

    def _take_failure(self, method: str, chat_id: Any) -> ScriptedFailure | None:
        return take_scripted(
            self._failures,
            lambda failure: (
                failure.method == method
                and (failure.chat_id is None or str(failure.chat_id) == str(chat_id))
            ),
        )

    def _resolve_chat(self, params: dict[str, Any]) -> ChatInfo:
        value = params.get("chat_id")
        if value is None or value == "":
            raise Reject(400, "Bad Request: chat_id is empty")
        chat_id = as_int(value)
        if chat_id is None:
            name = str(value).lstrip("@").lower()
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == name:
                    chat_id = chat.id
                    break
            else:
                raise Reject(400, "Bad Request: chat not found")
        if chat_id in self._missing:
            raise Reject(400, "Bad Request: chat not found")
        return self._chat(chat_id)

    # Rate limits

    def _check_rate(self, chat_id: int, now: float) -> None:
        if not self.enforce_limits:
            return
        wait = self._sends.wait(now, self.global_per_second)
        if chat_id < 0:
            window = self._group_sends.setdefault(chat_id, SlidingWindow(60.0))
            wait = max(wait, window.wait(now, self.group_per_minute))
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise Reject(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def _count_send(self, chat_id: int, now: float) -> None:
        self._sends.add(now)
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, SlidingWindow(60.0)).add(now)
