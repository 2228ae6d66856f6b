"""The fake Bot API's server: its addresses, pushed updates and the getUpdates long poll, the
handling of every request (recorded as an `ApiCall`), files, and its life cycle."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from contextlib import suppress
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from tests.servers.telegram.answers import Answer, Reject, error, ok
from tests.servers.telegram.limits import MAX_UPLOAD_BYTES
from tests.servers.telegram.markup import utf16_len
from tests.servers.telegram.parsing import as_int, bind_attachments, decode_param, read_form
from tests.servers.telegram.records import TOKEN, ApiCall, ChatType
from tests.servers.telegram.routes import TelegramRoutes


class FakeTelegram(TelegramRoutes):
    """The Bot API on 127.0.0.1, a random port; `async with FakeTelegram() as server:`.

    `token`, when given, is the only one accepted (others answer 401 Unauthorized).
    `enforce_limits` answers 429 past `global_per_second` successful sends in any 1 s window,
    or past `group_per_minute` to one group or channel (a negative chat id) in any 60 s window.
    `clock` times those windows and `ApiCall.at` (monotonic time by default).
    `max_poll_seconds` caps a getUpdates long poll; `latency_seconds` delays every other answer.
    """

    # Addresses

    @property
    def api(self) -> TelegramAPIServer:
        """The aiogram server description: `AiohttpSession(api=server.api)`."""
        return TelegramAPIServer.from_base(self.base_url)

    def make_bot(self, token: str = TOKEN, **kwargs: Any) -> Bot:
        """A real aiogram Bot on a real AiohttpSession pointed here (close its session)."""
        return Bot(token, session=AiohttpSession(api=self.api), **kwargs)

    # Updates

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw Update (an update_id is assigned when it has none)."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
        self._wake_pollers()
        return update

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        chat_type: ChatType = "private",
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """Queue an Update with a Message from `user_id` in `chat_id`; returns the Update.
        A user's `language_code` ("en" unless given once) stays theirs, as their app's."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None or chat.type != chat_type:
                chat = self.add_chat(chat_id, chat_type, first_name=first_name)
            user = self._user(
                user_id, first_name=first_name, username=username, language_code=language_code
            )
            message: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": user,
                "chat": chat.to_api(),
                "date": int(time.time()),
                "text": text,
            }
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
        return self.push_update({"message": message})

    def push_channel_post(
        self, chat_id: int, text: str, *, title: str | None = None
    ) -> dict[str, Any]:
        """Queue an Update with a post in the channel `chat_id`, as an admin of it posts: no
        `from`, the channel itself as `sender_chat` (only admins can post in a channel)."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None or chat.type != "channel":
                chat = self.add_chat(chat_id, "channel", title=title)
            post: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "sender_chat": chat.to_api(),
                "chat": chat.to_api(),
                "date": int(time.time()),
                "text": text,
            }
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                post["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
        return self.push_update({"channel_post": post})

    def push_callback_query(
        self, chat_id: int, user_id: int, data: str, message_id: int | None = None
    ) -> dict[str, Any]:
        """Queue an Update with a CallbackQuery on a message the bot sent to `chat_id`."""
        with self._lock:
            chat = self._chat(chat_id)
            query: dict[str, Any] = {
                "id": str(next(self._query_ids)),
                "from": self._user(user_id),
                "chat_instance": str(abs(chat_id) * 31 + 1),
                "data": data,
                "message": {
                    "message_id": message_id or 1,
                    "from": self._bot_user(TOKEN),
                    "chat": chat.to_api(),
                    "date": int(time.time()),
                    "text": "…",
                },
            }
        return self.push_update({"callback_query": query})

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._updates)

    # getUpdates

    async def _get_updates(self, params: dict[str, Any]) -> Answer:
        offset = as_int(params.get("offset"))
        limit = min(max(as_int(params.get("limit")) or 100, 1), 100)
        timeout_value = params.get("timeout")
        timeout = float(timeout_value) if isinstance(timeout_value, int | float) else 0.0
        allowed = params.get("allowed_updates")
        with self._lock:
            if offset is not None and offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
            elif offset:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
        deadline = time.monotonic() + max(0.0, min(timeout, self.max_poll_seconds))
        while True:
            event = self._update_event
            with self._lock:
                if isinstance(allowed, list) and allowed:
                    # Updates of the other kinds are not kept for this bot.
                    kept = [u for u in self._updates if any(kind in u for kind in allowed)]
                    self._updates = deque(kept)
                batch = list(itertools.islice(self._updates, limit))
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._stopping:
                return ok(batch)
            with suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _wake_pollers(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._set_update_event()
        else:
            loop.call_soon_threadsafe(self._set_update_event)

    def _set_update_event(self) -> None:
        event, self._update_event = self._update_event, asyncio.Event()
        event.set()

    # Handling

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        at = self.clock()
        try:
            raw, files, filenames = await read_form(request)
        except web.HTTPRequestEntityTooLarge:
            status, payload = error(413, "Request Entity Too Large")
            self._record(
                ApiCall(method, {}, {}, token, at, status, description="Request Entity Too Large")
            )
            return web.json_response(payload, status=status)
        params = {key: decode_param(key, value) for key, value in raw.items()}
        bind_attachments(params, files, filenames)
        name = method.lower()
        if name == "getupdates":
            with self._lock:
                self.polls_started += 1
        elif self.latency_seconds > 0:
            await asyncio.sleep(self.latency_seconds)
        try:
            status, payload = await self._answer(name, token, params, files)
        except Reject as reject:
            status, payload = error(
                reject.status,
                reject.description,
                reject.retry_after,
                migrate_to_chat_id=reject.migrate_to_chat_id,
            )
        retry_after = payload.get("parameters", {}).get("retry_after")
        self._record(
            ApiCall(
                method=method,
                params=params,
                files=files,
                token=token,
                at=at,
                status=status,
                raw=raw,
                filenames=filenames,
                description=payload.get("description"),
                retry_after=retry_after,
                result=payload.get("result"),
            )
        )
        return web.json_response(payload, status=status)

    async def _answer(
        self, method: str, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        if self.token is not None and token != self.token:
            return error(401, "Unauthorized")
        with self._lock:
            failure = self._take_failure(method, params.get("chat_id"))
        if failure is not None:
            return error(failure.status, failure.description, failure.retry_after)
        if method == "getupdates":
            return await self._get_updates(params)
        with self._lock:
            return self._handle_method(method, token, params, files)

    def _record(self, call: ApiCall) -> None:
        with self._lock:
            self.calls.append(call)
            if call.status == 429:
                self.rejected_429 += 1

    async def _serve_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        with self._lock:
            for file_path, contents in self._files.values():
                if file_path == path:
                    return web.Response(body=contents, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # Life cycle

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._update_event = asyncio.Event()
        self._stopping = False
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        # A long poll whose client hung up (polling stopped) is cancelled, not left waiting.
        await self._serve(app, handler_cancellation=True, shutdown_timeout=5.0)

    async def stop(self) -> None:
        self._stopping = True
        self._set_update_event()
        await self._close()
