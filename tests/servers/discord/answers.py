"""Discord's answers: JSON error bodies with their nested form `errors`, the bucket of a route,
and JSON sent as Discord sends it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web


def error_body(message: str, code: int = 0, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return body


def add_error(errors: dict[str, Any], path: tuple[str | int, ...], code: str, message: str) -> None:
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def too_long(errors: dict[str, Any], path: tuple[str | int, ...], limit: int) -> None:
    add_error(errors, path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def bucket(route: str) -> str:
    """An opaque bucket hash per route, like Discord's."""
    return hashlib.sha256(route.encode()).hexdigest()[:32]


class Reject(Exception):
    """An error answer to send back."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def invalid_form(errors: dict[str, Any]) -> Reject:
    return Reject(400, error_body("Invalid Form Body", 50035, errors))


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any = None


def json_response(body: Any, status: int, headers: Mapping[str, str]) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py's `json_or_text` compares the
    # whole header, so aiohttp's "application/json; charset=utf-8" would be read as text.
    return web.Response(
        body=json.dumps(body, ensure_ascii=False).encode(),
        status=status,
        headers={**headers, "Content-Type": "application/json"},
    )
