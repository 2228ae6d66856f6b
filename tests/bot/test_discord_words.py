"""What Discord members read: /help as Discord's slash commands are typed (it listed Telegram's
/source_add and /channel_add, which Discord has not), /subscribe's schedule as a choice, and a
refusal seen by the member alone."""

# `front` is test_discord's fixture, imported rather than copied: the tests that take it as an
# argument read to ruff as redefining the import (F811).
# ruff: noqa: F811

from __future__ import annotations

import re

from aiprogress.bot.command_registry import COMMANDS, slash_commands, slash_description_key
from aiprogress.core.messages import message
from aiprogress.core.types import Language
from tests.bot.test_discord import (  # noqa: F401 (front: a fixture)
    MANAGE_GUILD,
    Front,
    answered,
    front,
    interaction,
    invoke,
)
from tests.servers.discord import GUILD_ID


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


async def test_help_lists_the_slash_commands_as_discord_has_them(front: Front) -> None:
    await invoke(front, "help", interaction(front, "help", number=1))
    manager = interaction(front, "lang", number=2, permissions=MANAGE_GUILD)
    await invoke(front, "lang", manager, language="ru")
    await invoke(front, "help", interaction(front, "help", number=3))
    help_en, _, help_ru = (unescaped(text) for text in answered(front))
    for language, text in ((Language.EN, help_en), (Language.RU, help_ru)):
        lines = text.splitlines()
        for command in COMMANDS:
            for slash in slash_commands(command):
                if not command.in_help:
                    continue
                words = message(slash_description_key(command, slash), language)
                (line,) = [line for line in lines if line.startswith(f"/{slash.qualified_name} ")]
                assert line.endswith(f" — {words}"), line
        # Telegram's commands are not Discord's.
        assert "/source_add" not in text and "/channel_add" not in text
        assert "/compare a b — " in text and "/sources add url — " in text
        assert "/subscribe [period] [time] [zone] — " in text
        assert message("bot.help.owners.discord", language) in lines
        assert message("bot.help.chat_admins.discord", language) in lines


async def test_subscribe_offers_daily_and_weekly_as_choices(front: Front) -> None:
    """The schedule was free text: "hourly" there was taken for a time zone."""
    (subscribe,) = [c for c in front.server.app_commands(GUILD_ID) if c["name"] == "subscribe"]
    period = subscribe["options"][0]
    assert [(c["value"], c["name"], c["name_localizations"]["ru"]) for c in period["choices"]] == [
        ("daily", "daily", "каждый день"),
        ("weekly", "weekly", "раз в неделю"),
    ]


async def test_a_refusal_is_seen_by_the_member_alone(front: Front) -> None:
    """A member without Manage Server who runs /lang in a server's channel was refused in a
    message the whole channel saw; the refusal is ephemeral now, and an answer is not."""
    await invoke(front, "lang", interaction(front, "lang", number=1), language="ru")
    await invoke(front, "help", interaction(front, "help", number=2))
    refused, answered_help = [
        call.body["data"] for call in front.server.requests if call.path.endswith("/callback")
    ]
    assert refused["content"] == message("bot.not_admin", Language.EN)
    assert refused["flags"] & 64
    assert not answered_help.get("flags", 0) & 64
