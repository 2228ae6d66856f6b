"""The one command registry: every command has its handler and its words in both languages, the
catalogue holds no command words for a command that is not listed, and the menu fits the Bot
API's limits."""

from __future__ import annotations

import re

import pytest

from aiprogress.bot.command_registry import (
    COMMANDS,
    ChatCommand,
    catalogue_keys,
    features,
    help_text,
    menu,
    missing_words,
)
from aiprogress.bot.commands import CommandLayer
from aiprogress.core.messages import CATALOGUE
from aiprogress.core.types import Language


def test_every_command_has_a_handler_and_its_words() -> None:
    for command in COMMANDS:
        assert callable(getattr(CommandLayer, f"_cmd_{command.name}", None)), command.name
        assert (f"command.{command.name}.args" in CATALOGUE) is command.args, command.name
    assert missing_words() == []
    # And no words are left behind for a command (or a Discord group or option) no longer listed.
    kept = {key for key in CATALOGUE if key.startswith(("command.", "discord."))}
    assert kept == catalogue_keys()


def test_a_new_entry_needs_its_words_and_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    table = (*COMMANDS, ChatCommand("ping", "basics", args=True))
    assert missing_words(table) == ["command.ping", "command.ping.args"]
    # The catalogue step of adding a command.
    monkeypatch.setitem(
        CATALOGUE, "command.ping", {Language.RU: "проверка", Language.EN: "a check"}
    )
    monkeypatch.setitem(CATALOGUE, "command.ping.args", {Language.RU: "ТЕКСТ", Language.EN: "TEXT"})
    assert missing_words(table) == []
    assert menu(Language.RU, table)[-1] == ("ping", "проверка")
    assert features(table)["basics"][-1] == "ping"  # routed by the basics router


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
        assert "/source_add" in help_text(language)  # owners' commands: in /help, not the menu
        assert "source_add" not in dict(entries)
        assert "channel_add" in dict(entries)  # for a channel's admins, whoever they are
