"""A loopback feed host: serves documents by path, with ETag/304, redirects and failures.

Used by the collector tests and the CLI tests (in a thread of its own for the latter, since the
CLI runs its own event loop).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web

from tests.servers.loopback import LoopbackServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    location: str | None = None
    etag: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    # Hostile behaviours: a body already gzip-compressed (sent with Content-Encoding: gzip),
    # and a body sent a few bytes at a time with this many seconds between writes.
    gzipped: bool = False
    trickle_seconds: float = 0.0
    # A server that sends its ETag but answers every request in full (ignores If-None-Match).
    conditional: bool = True


class FeedServer(LoopbackServer):
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.conditional_hits: Counter[str] = Counter()
        self.raw_paths: list[str] = []  # request targets as sent, in order
        self.user_agents: set[str] = set()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def feed(self, path: str, body: bytes, content_type: str = Route.content_type) -> str:
        self.routes[path] = Route(body=body, content_type=content_type)
        return self.url(path)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs
        self.hits[path] += 1
        self.raw_paths.append(request.raw_path)
        self.user_agents.add(request.headers.get("User-Agent", ""))
        route = self.routes.get(path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.location is not None:
            return web.Response(status=route.status, headers={"Location": route.location})
        if route.status != 200:
            return web.Response(status=route.status, text="failure", headers=route.headers)
        headers = dict(route.headers)
        if route.etag:
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            if route.conditional and request.headers.get("If-None-Match") == etag:
                self.conditional_hits[path] += 1
                return web.Response(status=304, headers=headers)
        headers["Content-Type"] = route.content_type
        if route.gzipped:
            headers["Content-Encoding"] = "gzip"
        if route.trickle_seconds:
            response = web.StreamResponse(headers=headers)
            await response.prepare(request)
            try:
                for offset in range(0, len(route.body), 16):
                    await response.write(route.body[offset : offset + 16])
                    await asyncio.sleep(route.trickle_seconds)
                await response.write_eof()
            except ConnectionResetError:
                pass  # the client gave up, as it should
            return response
        return web.Response(body=route.body, headers=headers)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        await self._serve(app)

    async def stop(self) -> None:
        await self._close()
