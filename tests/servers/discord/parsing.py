"""Reading a Discord REST request: the route it names, its snowflakes, and its body (JSON, or
a multipart's payload_json and files)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from tests.servers.discord.answers import Answer, Reject, add_error, error_body, invalid_form
from tests.servers.openai import RecordedHeaders

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
TRUE = frozenset({"1", "true", "True"})


def compile_route(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(pattern)


@dataclass(frozen=True)
class Upload:
    field: str
    filename: str
    data: bytes


@dataclass
class Incoming:
    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    uploads: list[Upload]
    headers: RecordedHeaders
    channel_id: int | None = None

    @property
    def form(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}

    def snowflake(self, name: str) -> int:
        value = self.params[name]
        if not value.isdigit():
            errors: dict[str, Any] = {}
            add_error(errors, (name,), "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
            raise invalid_form(errors)
        return int(value)


Handler = Callable[[Incoming], Answer]


def matches(spec: str, method: str, path: str, route: str) -> bool:
    if spec.upper() in METHODS:
        return method == spec.upper()
    return spec in f"{method} {path}" or (bool(route) and spec in route)


async def read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """The JSON body (or a multipart's payload_json) and the uploaded files."""
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        body: Any = None
        uploads: list[Upload] = []
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            name = part.name or ""
            if part.filename is not None:
                uploads.append(Upload(name, part.filename, bytes(await part.read(decode=True))))
            elif name == "payload_json":
                body = loads(await part.text())
        return body, uploads
    raw = await request.read()
    return (loads(raw.decode()) if raw.strip() else None), []


def loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise Reject(400, error_body("The request body contains invalid JSON.", 50109)) from None
