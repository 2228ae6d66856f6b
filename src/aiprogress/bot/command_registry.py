"""The one list of chat commands. The help text, Telegram's command menus (setMyCommands, per
language) and its routers are generated from it; the command layer answers only what it lists.

Each command's words are in the message catalogue: `command.<name>` describes it (a line of
/help, an entry of the menu), and `command.<name>.args` shows its arguments when it takes some.
Adding a command: one entry here, its `_cmd_<name>` handler, its catalogue entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiprogress.core.messages import message
from aiprogress.core.types import Language


@dataclass(frozen=True, slots=True)
class ChatCommand:
    name: str
    # The group it belongs to (one Telegram router each, as aiogram's examples structure bots).
    feature: str
    # Its arguments are shown in /help (`command.<name>.args` in the catalogue).
    args: bool = False
    # For the owners who curate the sources: listed apart in /help, left out of the menus.
    admin: bool = False
    # Left out of /help's list (/start and /help themselves) but offered in the menu.
    in_help: bool = True


COMMANDS: tuple[ChatCommand, ...] = (
    ChatCommand("start", "basics", in_help=False),
    ChatCommand("help", "basics", in_help=False),
    ChatCommand("digest", "digests", args=True),
    ChatCommand("compare", "models", args=True),
    ChatCommand("models", "models", args=True),
    ChatCommand("lang", "basics", args=True),
    ChatCommand("subscribe", "digests", args=True),
    ChatCommand("unsubscribe", "digests"),
    ChatCommand("sources", "admin", admin=True),
    ChatCommand("source_add", "admin", args=True, admin=True),
    ChatCommand("source_remove", "admin", args=True, admin=True),
    ChatCommand("source_pause", "admin", args=True, admin=True),
    ChatCommand("source_resume", "admin", args=True, admin=True),
    ChatCommand("failing", "admin", admin=True),
    ChatCommand("filters", "admin", admin=True),
    ChatCommand("channel_add", "admin", args=True, admin=True),
)

COMMAND_NAMES = frozenset(command.name for command in COMMANDS)


def features() -> dict[str, tuple[str, ...]]:
    """Command names by feature, in the table's order."""
    grouped: dict[str, tuple[str, ...]] = {}
    for command in COMMANDS:
        grouped[command.feature] = (*grouped.get(command.feature, ()), command.name)
    return grouped


def description(command: ChatCommand, language: Language) -> str:
    return message(f"command.{command.name}", language)


def usage(command: ChatCommand, language: Language) -> str:
    """'/digest [day|week]', '/sources'."""
    if not command.args:
        return f"/{command.name}"
    return f"/{command.name} {message(f'command.{command.name}.args', language)}"


def menu(language: Language) -> list[tuple[str, str]]:
    """(command, description) for a platform's command menu: everyone's commands."""
    return [(c.name, description(c, language)) for c in COMMANDS if not c.admin]


def help_text(language: Language) -> str:
    lines = [
        f"{usage(c, language)} — {description(c, language)}"
        for c in COMMANDS
        if c.in_help and not c.admin
    ]
    admin = ", ".join(usage(c, language) for c in COMMANDS if c.admin)
    return "\n".join(lines) + "\n\n" + message("bot.help.admins", language, commands=admin)
