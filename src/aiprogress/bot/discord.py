"""The Discord front end (discord.py 2): slash commands over the command layer, and the
outbox's sender.

Resources are passed into a `commands.Bot` subclass; each feature is a cog; the app-command tree
is synced in `setup_hook`, to a test guild when one is set and globally otherwise. Admin
commands are gated by the Manage Server permission, checked on every call (not only hidden from
the menu). Delivery sends embeds within Discord's limits; discord.py waits out 429s itself, and
Forbidden or Unknown Channel deactivate the channel through `ChatGone`.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Awaitable, Callable, Sequence

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from aiprogress.bot.commands import Caller, Choice, CommandLayer, Reply
from aiprogress.bot.render.discord import (
    DiscordMessage,
    EmbedData,
    render_discord,
    render_discord_text,
)
from aiprogress.core.errors import ChatGone, ConfigError, DeliveryError, PlatformUnreachable
from aiprogress.core.types import Channel, ChatKind, Digest, Platform
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
    for field in data.fields:
        embed.add_field(name=field.name, value=field.value, inline=field.inline)
    if data.footer:
        embed.set_footer(text=data.footer)
    return embed


class DiscordSender:
    """Sends to a channel id, or to a channel webhook URL for servers that prefer one."""

    platform = Platform.DISCORD

    def __init__(self, client: discord.Client) -> None:
        self._client = client

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
        for part in render_discord_text(text):
            await self._send(address, DiscordMessage(content=part))

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
            raise ChatGone(_describe(error)) from None
        except discord.HTTPException as error:
            raise DeliveryError(_describe(error)) from None
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
            )
        else:
            await interaction.followup.send(
                content=message.content or discord.utils.MISSING,
                embeds=embeds,
                files=attach,
                allowed_mentions=mentions,
                view=view or discord.utils.MISSING,
            )


class Feature(commands.Cog):
    def __init__(self, layer: CommandLayer) -> None:
        self.layer = layer

    async def run(self, interaction: discord.Interaction, command: str, args: str = "") -> None:
        reply = await self.layer.handle(_caller(interaction), command, args)
        await answer(interaction, reply, self.layer)


class Basics(Feature):
    @app_commands.command(name="help", description="What the bot can do")
    async def help(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "help")

    @app_commands.command(name="lang", description="The language of this channel: ru or en")
    @app_commands.choices(language=[app_commands.Choice(name=n, value=n) for n in ("ru", "en")])
    async def lang(self, interaction: discord.Interaction, language: str) -> None:
        await self.run(interaction, "lang", language)


class Digests(Feature):
    @app_commands.command(name="digest", description="The digest of the day or the week")
    @app_commands.choices(period=[app_commands.Choice(name=n, value=n) for n in ("day", "week")])
    async def digest(self, interaction: discord.Interaction, period: str = "day") -> None:
        await interaction.response.defer(thinking=True)  # writing may take a while
        await self.run(interaction, "digest", period)

    @app_commands.command(name="subscribe", description="Deliver the digest to this channel")
    async def subscribe(
        self,
        interaction: discord.Interaction,
        period: str = "daily",
        time: str = "09:00",
        zone: str = "UTC",
    ) -> None:
        await self.run(interaction, "subscribe", f"{period} {time} {zone}")

    @app_commands.command(name="unsubscribe", description="Stop delivering the digest here")
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "unsubscribe")


class Models(Feature):
    def __init__(self, layer: CommandLayer, names: Callable[[str], Awaitable[list[str]]]) -> None:
        super().__init__(layer)
        self._names = names

    async def _complete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=n[:100], value=n[:100]) for n in await self._names(current)
        ]

    @app_commands.command(name="compare", description="Compare two models from sourced figures")
    async def compare(self, interaction: discord.Interaction, a: str, b: str) -> None:
        await self.run(interaction, "compare", f'"{a}" "{b}"')

    @compare.autocomplete("a")
    async def _a(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._complete(interaction, current)

    @compare.autocomplete("b")
    async def _b(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._complete(interaction, current)

    @app_commands.command(name="models", description="Find models by name")
    async def models(self, interaction: discord.Interaction, query: str) -> None:
        await self.run(interaction, "models", query)


class Admin(Feature):
    """The admin groups: hidden from members by default permissions, and refused by the
    command layer unless the caller has Manage Server (checked on every call)."""

    sources = app_commands.Group(
        name="sources",
        description="Curate the sources",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )
    filters = app_commands.Group(
        name="filters",
        description="This channel's filters",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    @sources.command(name="list", description="Sources with their status")
    async def sources_list(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "sources")

    @sources.command(name="add", description="Add a feed, or a site whose page links its feed")
    async def sources_add(self, interaction: discord.Interaction, url: str) -> None:
        # The URL is fetched before the answer, which may take longer than the 3 s Discord
        # gives an interaction.
        await interaction.response.defer(thinking=True)
        await self.run(interaction, "source_add", url)

    @sources.command(name="remove", description="Remove a source")
    async def sources_remove(self, interaction: discord.Interaction, source_id: int) -> None:
        await self.run(interaction, "source_remove", str(source_id))

    @sources.command(name="pause", description="Stop collecting a source")
    async def sources_pause(self, interaction: discord.Interaction, source_id: int) -> None:
        await self.run(interaction, "source_pause", str(source_id))

    @sources.command(name="resume", description="Collect a source again")
    async def sources_resume(self, interaction: discord.Interaction, source_id: int) -> None:
        await self.run(interaction, "source_resume", str(source_id))

    @sources.command(name="failing", description="Sources that fail")
    async def sources_failing(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "failing")

    @filters.command(name="show", description="Show this channel's filters")
    async def filters_show(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "filters")

    @filters.command(name="add", description="Add a filter to this channel")
    @app_commands.choices(
        kind=[
            app_commands.Choice(name=n, value=n)
            for n in ("include", "exclude", "include_re", "exclude_re")
        ]
    )
    async def filters_add(self, interaction: discord.Interaction, kind: str, value: str) -> None:
        await self.run(interaction, "filters", f"{kind} {value}")

    @filters.command(name="clear", description="Remove this channel's filters")
    async def filters_clear(self, interaction: discord.Interaction) -> None:
        await self.run(interaction, "filters", "clear")


class AiProgressDiscordBot(commands.Bot):
    def __init__(
        self,
        *,
        layer: CommandLayer,
        model_names: Callable[[str], Awaitable[list[str]]],
        test_guild_id: int | None = None,
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
        self.sender = DiscordSender(self)

    def features(self) -> Sequence[Feature]:
        return (
            Basics(self.layer),
            Digests(self.layer),
            Models(self.layer, self.model_names),
            Admin(self.layer),
        )

    async def setup_hook(self) -> None:
        for cog in self.features():
            await self.add_cog(cog)
        if self.test_guild_id is not None:
            guild = discord.Object(id=self.test_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
