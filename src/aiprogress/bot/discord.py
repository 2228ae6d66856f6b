"""The Discord front end (discord.py 2): slash commands over the command layer, and the
outbox's sender.

Resources are passed into a `commands.Bot` subclass. The slash commands are generated from the
command registry (bot/command_registry.py: names, options, groups such as `/sources add`,
descriptions of commands and options in Russian and English through a `Translator` over the
message catalogue) rather than written as cogs, so a new command needs no code here; the
app-command tree is synced in `setup_hook`, to a test guild when one is set and globally
otherwise. Admin commands are gated by the Manage Server permission, checked on every call (not
only hidden from the menu). Delivery sends embeds within Discord's limits; discord.py waits out
429s itself, and Forbidden or Unknown Channel deactivate the channel through `ChatGone`. A
notice to a user (an owner, a chat's admin) goes to their DM channel: a user id is no channel.
"""

from __future__ import annotations

import inspect
import io
import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from aiprogress.bot.command_registry import (
    COMMANDS,
    ChatCommand,
    SlashCommand,
    choice_key,
    discord_groups,
    option_description_key,
    slash_arguments,
    slash_commands,
    slash_description_key,
)
from aiprogress.bot.commands import Caller, Choice, CommandLayer, Reply
from aiprogress.bot.render.discord import (
    DiscordMessage,
    EmbedData,
    render_discord,
    render_discord_text,
)
from aiprogress.core.errors import ChatGone, ConfigError, DeliveryError, PlatformUnreachable
from aiprogress.core.messages import language_of_locale
from aiprogress.core.messages import message as catalogue_message
from aiprogress.core.types import Channel, ChatKind, Digest, Language, Platform
from aiprogress.digest.render import document_from_json

logger = logging.getLogger(__name__)

WEBHOOK_PREFIXES = ("https://discord.com/api/webhooks/", "https://discordapp.com/api/webhooks/")


def _embed(data: EmbedData) -> discord.Embed:
    embed = discord.Embed(
        title=data.title or None,
        description=data.description or None,
        url=data.url or None,
        color=data.color,
    )
    if data.footer:
        embed.set_footer(text=data.footer)
    return embed


# Discord's code for a user who takes no DMs from the bot.
_CANNOT_MESSAGE_USER = 50007
# Discord's codes for a recipient that is no user: Unknown User, Invalid Recipient(s).
_NO_SUCH_USER = frozenset({10013, 50033})


class DiscordSender:
    """Sends digests to a channel id, or to a channel webhook URL for servers that prefer one;
    notices to a user id, in the user's DM channel."""

    platform = Platform.DISCORD

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        # Each user's DM channel, opened once a process: Discord answers a message posted to a
        # user's id 404 Unknown Channel (a user is no channel).
        self._direct: dict[int, str] = {}

    async def send_digest(
        self,
        channel: Channel,
        digest: Digest,
        *,
        start_part: int,
        part_sent: Callable[[int], Awaitable[None]],
    ) -> None:
        if digest.document:
            messages = render_discord(document_from_json(json.loads(digest.document)))
        else:
            messages = [
                DiscordMessage(content=part)
                for part in render_discord_text(f"{digest.title}\n\n{digest.body}")
            ]
        for index in range(start_part, len(messages)):
            await self._send(channel.address, messages[index])
            await part_sent(index + 1)

    async def send_text(self, address: str, text: str) -> None:
        """A notice to the user `address` (an owner, a chat's admin), in a direct message. A
        user who cannot be written to (no such user, DMs closed to the bot) is `ChatGone`."""
        channel = await self._direct_channel(address)
        try:
            for part in render_discord_text(text):
                await self._send(channel, DiscordMessage(content=part))
        except ChatGone:
            # Opened again next time: the channel may be what is gone.
            self._direct.pop(int(address), None)
            raise

    async def _direct_channel(self, address: str) -> str:
        try:
            user_id = int(address)
        except ValueError:
            raise ChatGone(f"not a Discord user id: {address!r}") from None
        channel = self._direct.get(user_id)
        if channel is None:
            try:
                # discord.py's `User.create_dm` without fetching the user first.
                opened = await self._client.http.start_private_message(user_id)
            except (discord.Forbidden, discord.NotFound) as error:
                raise ChatGone(_describe(error)) from None
            except discord.HTTPException as error:
                if error.code in _NO_SUCH_USER:
                    raise ChatGone(_describe(error)) from None
                raise DeliveryError(_describe(error)) from None
            except (aiohttp.ClientError, OSError) as error:
                raise DeliveryError(f"cannot reach Discord: {error}") from None
            channel = self._direct[user_id] = str(opened["id"])
        return channel

    async def _send(self, address: str, message: DiscordMessage) -> None:
        embeds = [_embed(embed) for embed in message.embeds]
        mentions = discord.AllowedMentions.none()
        try:
            if address.startswith(WEBHOOK_PREFIXES):
                webhook = discord.Webhook.from_url(address, client=self._client)
                await webhook.send(
                    content=message.content or discord.utils.MISSING,
                    embeds=embeds or discord.utils.MISSING,
                    allowed_mentions=mentions,
                    wait=True,
                )
                return
            target = self._client.get_partial_messageable(int(address))
            await target.send(
                content=message.content or None, embeds=embeds, allowed_mentions=mentions
            )
        except (discord.Forbidden, discord.NotFound) as error:
            if error.code == _CANNOT_MESSAGE_USER:
                raise ChatGone(
                    f"{_describe(error)}: the user takes no direct messages from the bot (their "
                    "privacy settings, or no server shared with it)"
                ) from None
            raise ChatGone(_describe(error)) from None
        except discord.HTTPException as error:
            raise DeliveryError(_describe(error)) from None
        except (aiohttp.ClientError, OSError) as error:  # a notice's failure is logged, too
            raise DeliveryError(f"cannot reach Discord: {error}") from None
        except ValueError as error:  # an address that is neither an id nor a webhook URL
            raise ChatGone(f"not a Discord channel: {error}") from None


def _describe(error: discord.HTTPException) -> str:
    # Discord's own text and code; the request (with the token) stays out.
    return f"{error.status} {error.text or type(error).__name__} (code {error.code})"


UNAUTHORIZED = (
    "Discord rejected DISCORD_BOT_TOKEN (401 Unauthorized): check it on the Developer Portal's "
    "Bot page"
)


async def log_in(client: discord.Client, token: str) -> None:
    """REST login (and the bot's setup hook): `ConfigError` when Discord does not know the
    token, `PlatformUnreachable` when it cannot be reached or refuses otherwise."""
    try:
        await client.login(token)
    except discord.LoginFailure:
        raise ConfigError(UNAUTHORIZED) from None
    except discord.HTTPException as error:
        raise PlatformUnreachable(f"Discord refused the bot's login: {_describe(error)}") from None
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise PlatformUnreachable(f"cannot reach Discord: {error}") from None


def _caller(interaction: discord.Interaction) -> Caller:
    channel_id = str(interaction.channel_id or interaction.user.id)
    permissions = interaction.permissions
    manage = bool(permissions.manage_guild)

    async def is_admin(address: str) -> bool:
        # Only this channel's server can be checked from an interaction.
        return manage and address == channel_id

    return Caller(
        platform=Platform.DISCORD,
        chat_address=channel_id,
        user_id=str(interaction.user.id),
        chat_kind=ChatKind.PRIVATE if interaction.guild_id is None else ChatKind.GROUP,
        is_chat_admin=is_admin,
        chat_title=getattr(interaction.channel, "name", "") or "",
        curator=manage,
        # The member's Discord language: a direct-message chat starts in it.
        user_language=language_of_locale(interaction.locale.value),
    )


class _ChoiceButton(discord.ui.Button["Choices"]):
    def __init__(self, layer: CommandLayer, choice: Choice, *, first: bool) -> None:
        # The first choice is the one that acts (remove); the others step back.
        style = discord.ButtonStyle.danger if first else discord.ButtonStyle.secondary
        super().__init__(label=choice.label[:80], style=style)
        self._layer = layer
        self._choice = choice

    async def callback(self, interaction: discord.Interaction) -> None:
        choice = self._choice
        reply = await self._layer.handle(_caller(interaction), choice.command, choice.args)
        parts = render_discord_text(reply.text) or ["…"]
        if reply.refused:
            # Told to the presser alone; the question stays for someone who may answer it.
            await interaction.response.send_message(
                parts[0], ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        await interaction.response.edit_message(
            content=parts[0],
            embeds=[],
            view=Choices(self._layer, reply.choices) if reply.choices else None,
            allowed_mentions=discord.AllowedMentions.none(),
        )


class Choices(discord.ui.View):
    """A reply's choices as buttons: a press runs the choice's command as the member who
    pressed it (who may do it is checked again), and the answer replaces the question and its
    buttons."""

    def __init__(self, layer: CommandLayer, choices: Sequence[Choice]) -> None:
        super().__init__(timeout=600)
        for index, choice in enumerate(choices):
            self.add_item(_ChoiceButton(layer, choice, first=index == 0))


async def answer(
    interaction: discord.Interaction, reply: Reply, layer: CommandLayer | None = None
) -> None:
    """Send a reply: the first message answers the interaction, the rest follow up. Its
    choices, if any, are buttons under the last message (`layer` runs them)."""
    if reply.document is not None:
        messages = render_discord(reply.document)
    else:
        messages = [DiscordMessage(content=part) for part in render_discord_text(reply.text)]
    files = []
    if reply.image is not None:
        files = [discord.File(io.BytesIO(reply.image), filename=reply.image_name or "chart.png")]
    mentions = discord.AllowedMentions.none()
    messages = messages or [DiscordMessage(content="…")]
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        attach = files if last else []
        embeds = [_embed(embed) for embed in message.embeds]
        view = Choices(layer, reply.choices) if last and reply.choices and layer else None
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(
                content=message.content or None,
                embeds=embeds,
                files=attach,
                allowed_mentions=mentions,
                view=view or discord.utils.MISSING,
                # A refusal is the member's business, not the channel's.
                ephemeral=reply.refused,
            )
        else:
            await interaction.followup.send(
                content=message.content or discord.utils.MISSING,
                embeds=embeds,
                files=attach,
                allowed_mentions=mentions,
                view=view or discord.utils.MISSING,
            )


# Discord's locales for each catalogue language; English is also the descriptions' base text.
_LOCALES: dict[Language, tuple[discord.Locale, ...]] = {
    Language.RU: (discord.Locale.russian,),
    Language.EN: (discord.Locale.american_english, discord.Locale.british_english),
}


class CatalogueTranslator(app_commands.Translator):
    """The commands' descriptions in each member's language, from the message catalogue: a
    description is a `locale_str` whose `key` names its catalogue entry."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        for language, locales in _LOCALES.items():
            if key is not None and locale in locales:
                return catalogue_message(key, language)
        return None


def _described(key: str) -> app_commands.locale_str:
    return app_commands.locale_str(catalogue_message(key, Language.EN), key=key)


ModelNames = Callable[[str], Awaitable[list[str]]]
AppCommand = app_commands.Command[Any, ..., None] | app_commands.Group


def application_commands(
    layer: CommandLayer, model_names: ModelNames, table: tuple[ChatCommand, ...] = COMMANDS
) -> list[AppCommand]:
    """The slash commands and groups of the command registry, in its order. A group or an
    admin command is hidden from members without Manage Server by its default permissions
    and is for servers only; the command layer checks who may on every call."""
    groups: dict[str, app_commands.Group] = {}
    built: list[AppCommand] = []
    admin_groups = discord_groups(table)
    for command in table:
        for slash in slash_commands(command):
            app: app_commands.Command[Any, ..., None] = app_commands.Command(
                name=slash.name,
                description=_described(slash_description_key(command, slash)),
                callback=_callback(layer, model_names, command, slash),
            )
            if not slash.group:
                if command.admin:
                    app.default_permissions = discord.Permissions(manage_guild=True)
                    app.guild_only = True
                built.append(app)
                continue
            group = groups.get(slash.group)
            if group is None:
                admin = admin_groups[slash.group]
                group = groups[slash.group] = app_commands.Group(
                    name=slash.group,
                    description=_described(f"discord.group.{slash.group}"),
                    default_permissions=discord.Permissions(manage_guild=True) if admin else None,
                    guild_only=admin,
                )
                built.append(group)
            group.add_command(app)
    return built


def _callback(
    layer: CommandLayer, model_names: ModelNames, command: ChatCommand, slash: SlashCommand
) -> Callable[..., Coroutine[Any, Any, None]]:
    """A slash command's callback: its options' values become the command's arguments."""

    async def callback(interaction: discord.Interaction, **values: object) -> None:
        if slash.defer:
            await interaction.response.defer(thinking=True)
        reply = await layer.handle(
            _caller(interaction), command.name, slash_arguments(slash, values)
        )
        await answer(interaction, reply, layer)

    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        names = await model_names(current)
        return [app_commands.Choice(name=n[:100], value=n[:100]) for n in names]

    # discord.py reads the options from the callback's signature.
    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for option in slash.options:
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=int if option.kind == "integer" else str,
                default=inspect.Parameter.empty if option.default is None else option.default,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = slash.qualified_name.replace(" ", "_")
    if slash.options:
        # Without a description discord.py sends "…"; the translator localizes these too.
        callback = app_commands.describe(
            **{option.name: _described(option_description_key(option)) for option in slash.options}
        )(callback)
    choices = {
        option.name: [
            app_commands.Choice(name=_described(choice_key(c)), value=c) for c in option.choices
        ]
        for option in slash.options
        if option.choices
    }
    if choices:
        callback = app_commands.choices(**choices)(callback)
    completed = {option.name: complete for option in slash.options if option.complete_models}
    if completed:
        callback = app_commands.autocomplete(**completed)(callback)
    return callback


def rest_base(api_base: str) -> str:
    """discord.py's REST base for an API host: `https://host` -> `https://host/api/v10` (the
    version discord.py speaks); a base that names its version is kept as it is."""
    if re.search(r"/api/v\d+$", api_base):
        return api_base
    return f"{api_base}/api/v{discord.http.INTERNAL_API_VERSION}"


class AiProgressDiscordBot(commands.Bot):
    """The bot. `api_base` (DISCORD_API_BASE) points it at another Discord API host: discord.py
    takes its REST base from a class attribute (`Route.BASE`, read by every request and
    webhook) and connects a `Client` to a fixed gateway (`DiscordWebSocket.DEFAULT_GATEWAY`;
    only its sharded client asks `GET /gateway/bot`), so both are set for the process while the
    bot lives (from its login to its close): one Discord bot per process."""

    def __init__(
        self,
        *,
        layer: CommandLayer,
        model_names: Callable[[str], Awaitable[list[str]]],
        test_guild_id: int | None = None,
        command_table: tuple[ChatCommand, ...] = COMMANDS,
        api_base: str = "",
        **options: object,
    ) -> None:
        # The bot never joins voice: discord.py's warnings that voice would need PyNaCl and
        # davey are noise in every start's log.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.none() | discord.Intents(guilds=True),
            **options,  # type: ignore[arg-type]
        )
        self.layer = layer
        self.model_names = model_names
        self.test_guild_id = test_guild_id
        self.command_table = command_table
        self.api_base = api_base
        self.sender = DiscordSender(self)
        self._endpoints: tuple[str, yarl.URL] | None = None  # discord.py's, while pointed away

    async def login(self, token: str) -> None:
        if self.api_base and self._endpoints is None:
            self._endpoints = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
            Route.BASE = rest_base(self.api_base)
        await super().login(token)

    async def connect(self, *, reconnect: bool = True) -> None:
        if self.api_base:
            # The host names its gateway, as Discord's does; asked on each (re)start, since a
            # host may move it. discord.py's own reconnects and resumes stay inside `connect`.
            _, url, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await super().connect(reconnect=reconnect)

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            if self._endpoints is not None:
                Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._endpoints
                self._endpoints = None

    async def setup_hook(self) -> None:
        for command in application_commands(self.layer, self.model_names, self.command_table):
            self.tree.add_command(command)
        await self.tree.set_translator(CatalogueTranslator())
        if self.test_guild_id is not None:
            guild = discord.Object(id=self.test_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
