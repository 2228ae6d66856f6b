"""Telegram's command menus through the fake Bot API: everyone's menu has everyone's commands;
each owner's private chat with the bot has the owners' menu (everyone's commands, then the
owners' from /help's owners' heading), in both languages and the default one, as the public
menu is set; no one else is offered the owners' commands."""

# `front` is test_telegram's fixture, imported rather than copied: the tests that take it as an
# argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

from aiogram.types import BotCommandScopeChat

from aiprogress.bot.command_registry import COMMANDS
from aiprogress.bot.telegram import register_menus
from aiprogress.core.messages import message
from aiprogress.core.types import Language
from tests.bot.test_telegram import OWNER, Front, front  # noqa: F401 (front: a fixture)

SECOND_OWNER = 1003
PUBLIC = [c.name for c in COMMANDS if not c.admin]
OWNERS = [c.name for c in COMMANDS if c.admin]


def listed(commands: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(c["command"], c["description"]) for c in commands]


def worded(names: list[str], language: Language) -> list[tuple[str, str]]:
    return [(name, message(f"command.{name}", language)) for name in names]


async def test_owners_get_their_commands_in_their_private_chat_only(front: Front) -> None:
    await register_menus(front.bot, Language.RU, frozenset({str(OWNER), str(SECOND_OWNER)}))

    menus: dict[tuple[str, int | None, str], list[tuple[str, str]]] = {}
    for call in front.server.calls_of("setMyCommands"):
        assert call.ok
        scope = call.params.get("scope") or {"type": "default"}
        key = (scope["type"], scope.get("chat_id"), call.params.get("language_code") or "")
        menus[key] = listed(call.params["commands"])

    assert sorted({(kind, chat) for kind, chat, _ in menus}) == [
        ("chat", OWNER),
        ("chat", SECOND_OWNER),
        ("default", None),
    ]
    for owner in (OWNER, SECOND_OWNER):
        for code, language in (("ru", Language.RU), ("en", Language.EN), ("", Language.RU)):
            assert menus[("chat", owner, code)] == worded(PUBLIC + OWNERS, language)
    for code, language in (("ru", Language.RU), ("en", Language.EN), ("", Language.RU)):
        assert menus[("default", None, code)] == worded(PUBLIC, language)
    assert "sources" in OWNERS and "failing" in OWNERS and "sources" not in PUBLIC

    # Read back as Telegram's app asks for an owner's chat.
    owner_menu = await front.bot.get_my_commands(
        scope=BotCommandScopeChat(chat_id=SECOND_OWNER), language_code="en"
    )
    assert [c.command for c in owner_menu] == PUBLIC + OWNERS


async def test_without_owners_only_the_public_menu_is_set(front: Front) -> None:
    await register_menus(front.bot, Language.EN)
    scopes = {
        (call.params.get("scope") or {"type": "default"})["type"]
        for call in front.server.calls_of("setMyCommands")
    }
    assert scopes == {"default"}
