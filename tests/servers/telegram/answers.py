"""The Bot API's answers: `{"ok": true, "result": ...}` or an error with its code."""

from __future__ import annotations

from typing import Any

Answer = tuple[int, dict[str, Any]]


class Reject(Exception):
    """An error answer to send back."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        *,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id


def error(
    status: int,
    description: str,
    retry_after: int | None = None,
    *,
    migrate_to_chat_id: int | None = None,
) -> Answer:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        payload["parameters"] = {"retry_after": retry_after}
    if migrate_to_chat_id is not None:
        payload["parameters"] = {"migrate_to_chat_id": migrate_to_chat_id}
    return status, payload


def ok(result: Any) -> Answer:
    return 200, {"ok": True, "result": result}
