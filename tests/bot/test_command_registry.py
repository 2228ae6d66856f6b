"""The one command registry: every command has its handler and its words in both languages, the
catalogue holds no command words for a command that is not listed, and the menu fits the Bot
API's limits."""

from __future__ import annotations

import re

from aiprogress.bot.command_registry import COMMANDS, help_text, menu
from aiprogress.bot.commands import CommandLayer
from aiprogress.core.messages import CATALOGUE
from aiprogress.core.types import Language


def test_every_command_has_a_handler_and_its_words() -> None:
    for command in COMMANDS:
        assert callable(getattr(CommandLayer, f"_cmd_{command.name}", None)), command.name
        assert f"command.{command.name}" in CATALOGUE
        assert (f"command.{command.name}.args" in CATALOGUE) is command.args, command.name
    listed = {f"command.{c.name}" for c in COMMANDS} | {
        f"command.{c.name}.args" for c in COMMANDS if c.args
    }
    assert {key for key in CATALOGUE if key.startswith("command.")} == listed


def test_every_handler_is_listed() -> None:
    handlers = {
        name.removeprefix("_cmd_") for name in vars(CommandLayer) if name.startswith("_cmd_")
    }
    assert handlers == {command.name for command in COMMANDS}


def test_the_menus_fit_telegrams_limits() -> None:
    for language in Language:
        entries = menu(language)
        assert 0 < len(entries) <= 100
        for name, description in entries:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
            assert 1 <= len(description) <= 256
        assert "/channel_add" in help_text(language)  # admins' commands: in /help, not the menu
        assert "channel_add" not in dict(entries)
