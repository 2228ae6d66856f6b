"""What the fake Bot API records and describes: calls, chats, scripted failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

TOKEN = "123456789:AAFakeTokenForTheLoopbackBotApi_0123"
"""A token in the shape aiogram accepts; the bot's id is the number before the colon."""

# The sends whose 200 answers count as delivered messages (`FakeTelegram.sent`).
DELIVERY_METHODS = frozenset({"sendmessage", "sendphoto"})

ChatType = Literal["private", "group", "supergroup", "channel"]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]


@dataclass(frozen=True)
class ApiCall:
    """One Bot API call as the server saw it, and what it answered.

    `raw` holds the form fields as sent; `params` the same with JSON values decoded (chat_id as
    an int, reply_markup as a dict; text-like fields stay strings). `files` holds uploaded
    contents keyed by the parameter that attached them ("photo"), or by their form field.
    `at` is the server's clock (monotonic by default) when the call arrived.
    """

    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    token: str
    at: float
    status: int
    raw: dict[str, str] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)
    description: str | None = None  # the error's description for a non-200 answer
    retry_after: int | None = None
    result: Any = None  # the result of a 200 answer

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        """The chat the call named: the result's chat id when it answered a Message."""
        if isinstance(self.result, dict) and isinstance(self.result.get("chat"), dict):
            return self.result["chat"].get("id")
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """The text or the caption as sent (with its markup)."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ChatInfo:
    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    first_name: str | None = None

    def to_api(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private":
            chat["first_name"] = self.first_name or f"User {self.id}"
        else:
            chat["title"] = self.title or f"Chat {self.id}"
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class ScriptedFailure:
    """An error answered to the next `times` calls of `method` (to `chat_id` only, if set)."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: int | str | None = None
    times: int = 1
