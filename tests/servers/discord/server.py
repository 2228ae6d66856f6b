"""The fake Discord's server: pointing discord.py at it, the handling of every request
(recorded as a `DiscordCall`, with rate-limit headers), attachments, and its life cycle."""

from __future__ import annotations

import mimetypes
import re
import time
from collections.abc import Callable

import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.servers.discord.answers import Answer, Reject, bucket, error_body, json_response
from tests.servers.discord.limits import MAX_UPLOAD_BYTES
from tests.servers.discord.parsing import Incoming, read_body
from tests.servers.discord.records import DiscordCall
from tests.servers.discord.routes import DiscordRoutes
from tests.servers.openai import RecordedHeaders


class BasePatch:
    """Sets `discord.http.Route.BASE` (and, given `gateway`, `DiscordWebSocket.DEFAULT_GATEWAY`,
    where discord.py's `Client` connects) on entry and restores the previous values on exit."""

    def __init__(self, api_base: Callable[[int], str], gateway: str | None = None) -> None:
        self._api_base = api_base
        self._gateway = gateway
        self._previous: list[tuple[str, yarl.URL]] = []

    def __enter__(self) -> str:
        previous = Route.BASE
        match = re.search(r"/api/v(\d+)$", previous)
        self._previous.append((previous, DiscordWebSocket.DEFAULT_GATEWAY))
        Route.BASE = self._api_base(int(match.group(1)) if match else 10)
        if self._gateway is not None:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self._gateway)
        return Route.BASE

    def __exit__(self, *exc_info: object) -> None:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._previous.pop()

    async def __aenter__(self) -> str:
        return self.__enter__()

    async def __aexit__(self, *exc_info: object) -> None:
        self.__exit__()


class FakeDiscord(DiscordRoutes):
    """The Discord REST API on 127.0.0.1, a random port; `async with FakeDiscord() as server:`.

    `token`, when given, is the only bot token accepted (others answer 401); by default any
    `Authorization: Bot ...` header is. `ratelimit_limit` is the `X-RateLimit-Limit` of normal
    answers (their remaining count is always one less). `default_channel_id` is the channel of
    interaction responses and follow-ups (they name no channel).
    """

    # Addresses

    def api_base(self, version: int = 10) -> str:
        return f"{self.base_url}/api/v{version}"

    def patch_base(self) -> BasePatch:
        """Point discord.py's `Route.BASE` here (same API version), and its `Client`'s gateway
        at `gateway_url`, until the block exits.

        Works as `with` and as `async with` (`async with FakeDiscord() as s, s.patch_base():`).
        """
        return BasePatch(self.api_base, self.gateway_url)

    # Handling

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        at = time.monotonic()
        method = request.method.upper()
        path = "/" + request.match_info["tail"]
        headers = RecordedHeaders(request.headers)
        query = dict(request.query)
        route, params, handler, known = self._resolve(method, path)
        incoming = Incoming(method, path, route, params, query, None, [], headers)
        try:
            incoming.body, incoming.uploads = await read_body(request)
            with self._lock:
                incoming.channel_id = self._call_channel(incoming)
                failure = self._take_failure(incoming)
                if failure is not None:
                    raise self._failure_reject(failure, incoming)
                if handler is None:
                    if known:
                        raise Reject(405, error_body("405: Method Not Allowed"))
                    raise Reject(404, error_body("404: Not Found"))
                self._check_auth(incoming)
                answer = handler(incoming)
            extra: dict[str, str] = {}
        except Reject as reject:
            answer = Answer(reject.status, reject.body)
            extra = reject.headers
        self._record(
            DiscordCall(
                method=method,
                path=path,
                route=route,
                status=answer.status,
                body=incoming.body,
                files={upload.filename: upload.data for upload in incoming.uploads},
                headers=headers,
                query=query,
                channel_id=incoming.channel_id,
                response=answer.body,
                at=at,
            )
        )
        response_headers = {"Via": "1.1 google"}
        if route and answer.status != 429:
            response_headers.update(self._ratelimit_headers(route))
        response_headers.update(extra)
        if answer.body is None:
            return web.Response(status=answer.status, headers=response_headers)
        return json_response(answer.body, answer.status, response_headers)

    def _call_channel(self, incoming: Incoming) -> int | None:
        """The channel the call is about: from the path, or the webhook's."""
        raw = incoming.params.get("channel_id")
        if raw is not None:
            return int(raw) if raw.isdigit() else None
        raw = incoming.params.get("webhook_id")
        if raw is not None and raw.isdigit():
            webhook = self._webhooks.get(int(raw))
            if webhook is not None:
                return webhook.channel_id
            if int(raw) == self.application_id:
                return self._interaction_channel(incoming.params.get("webhook_token", ""))
        raw = incoming.params.get("interaction_id")
        if raw is not None and raw.isdigit():
            token = self._interaction_tokens.get(int(raw))
            return self._interaction_channel(token) if token is not None else None
        return None

    def _ratelimit_headers(self, route: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.ratelimit_limit),
            "X-RateLimit-Remaining": str(self.ratelimit_limit - 1),
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": bucket(route),
        }

    def _record(self, call: DiscordCall) -> None:
        with self._lock:
            self.requests.append(call)

    async def _serve_attachment(self, request: web.Request) -> web.Response:
        with self._lock:
            data = self._attachments.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404, text="Not Found")
        content_type = mimetypes.guess_type(request.match_info["filename"])[0]
        return web.Response(body=data, content_type=content_type or "application/octet-stream")

    async def _not_found(self, request: web.Request) -> web.Response:
        return json_response(error_body("404: Not Found"), 404, {"Via": "1.1 google"})

    # Life cycle

    async def start(self) -> None:
        app = web.Application(client_max_size=4 * MAX_UPLOAD_BYTES)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._handle)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get(
            r"/attachments/{channel_id:\d+}/{attachment_id:\d+}/{filename}", self._serve_attachment
        )
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        await self._serve(app, shutdown_timeout=5.0)
        await self._start_gateway()

    async def stop(self) -> None:
        await self._stop_gateway()
        await self._close()
