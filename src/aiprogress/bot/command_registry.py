"""The one list of chat commands. Telegram's /help, its command menus (setMyCommands, per
language) and its routers, and Discord's application commands (names, descriptions in both
languages, options, admin gating) are generated from it; the command layer answers only what
it lists.

Adding a command touches three places:
1. an entry in `COMMANDS` below: its name, its feature (one Telegram router each), whether it
   takes arguments and whether it is for admins; on Discord it becomes `/<name>` with one
   optional free-text option `args`, unless `discord=` places it otherwise (in a group such as
   `/sources add`, with typed options, choices or model-name completion) or `discord=()` keeps
   it off Discord;
2. its handler, `CommandLayer._cmd_<name>` in bot/commands.py;
3. its words in core/messages/bot.py: `command.<name>` (a line of /help, a menu entry, the Discord
   description), `command.<name>.args` when it takes arguments,
   `command.<name>.<description>` for a Discord placement that names its own description, and
   `discord.option.<name>` for each Discord option (the option's `description` names another)
   and `discord.choice.<value>` for each of its choices.
`tests/bot/test_command_registry.py` fails while any of these is missing (`missing_words`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aiprogress.core.messages import CATALOGUE, message
from aiprogress.core.types import Language, Platform


@dataclass(frozen=True, slots=True)
class SlashOption:
    """An option of a Discord slash command; its value becomes a word of the command's
    arguments, in the order the options are listed."""

    name: str
    kind: Literal["text", "integer"] = "text"
    choices: tuple[str, ...] = ()
    # None: the option is required.
    default: str | None = None
    # Offer the knowledge base's model names as the user types.
    complete_models: bool = False
    # Its description's catalogue key is `discord.option.<description>` when set, else
    # `discord.option.<name>`: options of one name and meaning share their words.
    description: str = ""


@dataclass(frozen=True, slots=True)
class SlashCommand:
    """Where a command sits among Discord's application commands."""

    # The command's name, or its subcommand's within `group`.
    name: str
    # A group of subcommands (`/sources add`): its words are `discord.group.<group>`.
    group: str = ""
    options: tuple[SlashOption, ...] = ()
    # Arguments put before the options' values (`/filters clear` runs `filters clear`).
    fixed: str = ""
    # Quote each value (model names may hold spaces).
    quote: bool = False
    # The answer may take longer than the 3 s Discord gives an interaction: say "thinking…".
    defer: bool = False
    # Its description's catalogue key is `command.<command>.<description>` when set.
    description: str = ""

    @property
    def qualified_name(self) -> str:
        return f"{self.group} {self.name}" if self.group else self.name


@dataclass(frozen=True, slots=True)
class ChatCommand:
    name: str
    # The group it belongs to (one Telegram router each, as aiogram's examples structure bots).
    feature: str
    # Its arguments are shown in /help (`command.<name>.args` in the catalogue).
    args: bool = False
    # For the owners who curate the shared sources: listed apart in /help, left out of the
    # public menus (Telegram's owners' menu, in each owner's private chat, has them), and on
    # Discord shown only to members with Manage Server (the command layer checks again). A
    # chat's own settings (/lang, /subscribe, /filters) are not: anyone may run them in a
    # private chat, and a group's or channel's admins in theirs.
    admin: bool = False
    # Left out of /help's list (/start and /help themselves) but offered in the menu.
    in_help: bool = True
    # Its Discord application commands; None: `/<name>` (with a free-text `args` option when
    # it takes arguments); (): not on Discord.
    discord: tuple[SlashCommand, ...] | None = None


def _on_discord(*placements: SlashCommand) -> tuple[SlashCommand, ...]:
    return placements


_SOURCE_ID = (SlashOption("source_id", kind="integer"),)
# The one option of a command that takes arguments and has no Discord placement of its own.
FREE_TEXT = SlashOption("args", default="")

COMMANDS: tuple[ChatCommand, ...] = (
    # Discord has no /start convention: its members find commands in the slash menu.
    ChatCommand("start", "basics", in_help=False, discord=()),
    ChatCommand("help", "basics", in_help=False),
    ChatCommand(
        "digest",
        "digests",
        args=True,
        discord=_on_discord(
            SlashCommand(
                "digest",
                options=(SlashOption("period", choices=("day", "week"), default="day"),),
                defer=True,  # writing may take a while
            )
        ),
    ),
    ChatCommand(
        "compare",
        "models",
        args=True,
        discord=_on_discord(
            SlashCommand(
                "compare",
                options=(
                    SlashOption("a", complete_models=True, description="model_a"),
                    SlashOption("b", complete_models=True, description="model_b"),
                ),
                quote=True,
                # Two options, one name each: Telegram's "A vs B" hint does not apply.
                description="discord",
            )
        ),
    ),
    ChatCommand(
        "models",
        "models",
        args=True,
        discord=_on_discord(SlashCommand("models", options=(SlashOption("query"),))),
    ),
    ChatCommand(
        "lang",
        "basics",
        args=True,
        discord=_on_discord(
            SlashCommand("lang", options=(SlashOption("language", choices=("ru", "en")),))
        ),
    ),
    ChatCommand(
        "subscribe",
        "digests",
        args=True,
        discord=_on_discord(
            SlashCommand(
                "subscribe",
                # Each optional, and nothing sent when not given: a re-run with one option
                # changes that one (a default here would reset the others to it).
                options=(
                    SlashOption(
                        "period",
                        choices=("daily", "weekly"),
                        default="",
                        description="schedule",
                    ),
                    SlashOption("time", default=""),
                    SlashOption("zone", default=""),
                ),
            )
        ),
    ),
    ChatCommand("unsubscribe", "digests"),
    ChatCommand(
        "sources", "admin", admin=True, discord=_on_discord(SlashCommand("list", group="sources"))
    ),
    ChatCommand(
        "source_add",
        "admin",
        args=True,
        admin=True,
        # The URL is fetched before the answer.
        discord=_on_discord(
            SlashCommand("add", group="sources", options=(SlashOption("url"),), defer=True)
        ),
    ),
    ChatCommand(
        "source_remove",
        "admin",
        args=True,
        admin=True,
        discord=_on_discord(SlashCommand("remove", group="sources", options=_SOURCE_ID)),
    ),
    ChatCommand(
        "source_pause",
        "admin",
        args=True,
        admin=True,
        discord=_on_discord(SlashCommand("pause", group="sources", options=_SOURCE_ID)),
    ),
    ChatCommand(
        "source_resume",
        "admin",
        args=True,
        admin=True,
        discord=_on_discord(SlashCommand("resume", group="sources", options=_SOURCE_ID)),
    ),
    ChatCommand(
        "failing",
        "admin",
        admin=True,
        discord=_on_discord(SlashCommand("failing", group="sources")),
    ),
    # A chat's own filters, as /lang and /subscribe are its own settings: anyone's in a private
    # chat, its admins' in a group or channel (the command layer asks the platform).
    ChatCommand(
        "filters",
        "digests",
        args=True,
        discord=_on_discord(
            SlashCommand("show", group="filters", description="show"),
            SlashCommand(
                "add",
                group="filters",
                options=(
                    SlashOption("kind", choices=("include", "exclude", "include_re", "exclude_re")),
                    SlashOption("value"),
                ),
                description="add",
            ),
            SlashCommand("clear", group="filters", fixed="clear", description="clear"),
        ),
    ),
    # Adds a Telegram channel (@name) the bot administers, asked by one of the channel's admins
    # (whoever they are to the bot): nothing alike on Discord.
    ChatCommand("channel_add", "digests", args=True, discord=()),
)

COMMAND_NAMES = frozenset(command.name for command in COMMANDS)


def features(commands: tuple[ChatCommand, ...] = COMMANDS) -> dict[str, tuple[str, ...]]:
    """Command names by feature, in the table's order."""
    grouped: dict[str, tuple[str, ...]] = {}
    for command in commands:
        grouped[command.feature] = (*grouped.get(command.feature, ()), command.name)
    return grouped


def description(command: ChatCommand, language: Language) -> str:
    return message(f"command.{command.name}", language)


def usage(command: ChatCommand, language: Language) -> str:
    """'/digest [day|week]', '/sources'."""
    if not command.args:
        return f"/{command.name}"
    return f"/{command.name} {message(f'command.{command.name}.args', language)}"


def usage_of(name: str, language: Language) -> str:
    """The usage line of the command `name`, in `language` (a refusal's "Usage: …")."""
    return usage(next(command for command in COMMANDS if command.name == name), language)


def menu(
    language: Language, commands: tuple[ChatCommand, ...] = COMMANDS, *, owners: bool = False
) -> list[tuple[str, str]]:
    """(command, description) for a platform's command menu: everyone's commands, then, in
    the owners' own menu (`owners`), theirs, as /help lists them."""
    listed = [c for c in commands if not c.admin]
    if owners:
        listed += [c for c in commands if c.admin]
    return [(c.name, description(c, language)) for c in listed]


def help_text(
    language: Language,
    platform: Platform = Platform.TELEGRAM,
    commands: tuple[ChatCommand, ...] = COMMANDS,
) -> str:
    """Every command of the platform, one line each as it is typed there and what it does:
    everyone's first, then who may change a group's settings, then the owners' commands."""
    lines = _help_lines(language, platform, [c for c in commands if c.in_help and not c.admin])
    admin = _help_lines(language, platform, [c for c in commands if c.admin])
    where = ".discord" if platform is Platform.DISCORD else ""
    parts = ["\n".join(lines), message(f"bot.help.chat_admins{where}", language)]
    if admin:
        parts.append(message(f"bot.help.owners{where}", language) + "\n" + "\n".join(admin))
    return "\n\n".join(parts)


def _help_lines(language: Language, platform: Platform, commands: list[ChatCommand]) -> list[str]:
    if platform is not Platform.DISCORD:
        return [f"{usage(c, language)} — {description(c, language)}" for c in commands]
    lines = []
    for command in commands:
        for slash in slash_commands(command):
            typed = " ".join(
                [f"/{slash.qualified_name}"]
                + [o.name if o.default is None else f"[{o.name}]" for o in slash.options]
            )
            lines.append(f"{typed} — {message(slash_description_key(command, slash), language)}")
    return lines


# --- Discord ----------------------------------------------------------------------------------


def slash_commands(command: ChatCommand) -> tuple[SlashCommand, ...]:
    """Where the command sits on Discord (its default: `/<name>`, free-text `args`)."""
    if command.discord is not None:
        return command.discord
    options = (FREE_TEXT,) if command.args else ()
    return (SlashCommand(command.name, options=options),)


def slash_description_key(command: ChatCommand, slash: SlashCommand) -> str:
    if slash.description:
        return f"command.{command.name}.{slash.description}"
    return f"command.{command.name}"


def option_description_key(option: SlashOption) -> str:
    return f"discord.option.{option.description or option.name}"


def choice_key(value: str) -> str:
    """The catalogue key of a choice's name as Discord lists it (its value is sent as is)."""
    return f"discord.choice.{value}"


def slash_arguments(slash: SlashCommand, values: dict[str, object]) -> str:
    """The command layer's arguments from a slash command's option values."""
    words = [slash.fixed] if slash.fixed else []
    for option in slash.options:
        value = values.get(option.name, option.default)
        if value is None or value == "":
            continue
        text = str(value)
        words.append('"' + text.replace('"', "") + '"' if slash.quote else text)
    return " ".join(words)


def discord_groups(commands: tuple[ChatCommand, ...] = COMMANDS) -> dict[str, bool]:
    """Each Discord group and whether it is for admins (all its subcommands are)."""
    groups: dict[str, bool] = {}
    for command in commands:
        for slash in slash_commands(command):
            if slash.group:
                groups[slash.group] = groups.get(slash.group, True) and command.admin
    return groups


def catalogue_keys(commands: tuple[ChatCommand, ...] = COMMANDS) -> set[str]:
    """Every catalogue key the commands' words come from."""
    keys: set[str] = set()
    for command in commands:
        keys.add(f"command.{command.name}")
        if command.args:
            keys.add(f"command.{command.name}.args")
        for slash in slash_commands(command):
            keys.add(slash_description_key(command, slash))
            for option in slash.options:
                keys.add(option_description_key(option))
                keys.update(choice_key(choice) for choice in option.choices)
    keys.update(f"discord.group.{group}" for group in discord_groups(commands))
    # The default option's words, ready for the next command that takes free text.
    keys.add(option_description_key(FREE_TEXT))
    return keys


def missing_words(commands: tuple[ChatCommand, ...] = COMMANDS) -> list[str]:
    """The catalogue keys the commands need that it lacks in some language."""
    return sorted(
        key
        for key in catalogue_keys(commands)
        if key not in CATALOGUE or any(not CATALOGUE[key].get(lang) for lang in Language)
    )
