"""The platform-neutral command layer: parse a command, check who may run it, call the facade,
return a neutral reply. Telegram and Discord are thin adapters over `CommandLayer.handle`.

Who is an admin: the owner ids from settings for the sources (they are shared by every chat);
for a chat's own settings (/lang, /subscribe, /filters in a group or channel) also that chat's
administrators, as the platform reports them. In a private chat the user owns its settings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from aiprogress.bot.arguments import echoed, model_names, shown, split_words
from aiprogress.bot.command_registry import COMMAND_NAMES, help_text, usage_of
from aiprogress.core.channels import ChannelDesk
from aiprogress.core.errors import AppError, InvalidInput, NotAllowed, UserError
from aiprogress.core.factsheet import DigestDocument
from aiprogress.core.messages import message, source_error
from aiprogress.core.service import AiProgress
from aiprogress.core.types import (
    Channel,
    ChatKind,
    ItemFilter,
    Language,
    Period,
    Platform,
    TrustTier,
)
from aiprogress.digest.render import document_from_json

logger = logging.getLogger(__name__)

# Whether the calling user administers the chat at this address (asked of the platform).
AdminCheck = Callable[[str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Caller:
    platform: Platform
    chat_address: str
    user_id: str
    chat_kind: ChatKind
    is_chat_admin: AdminCheck
    chat_title: str = ""
    # Set by platforms that decide themselves who curates the shared sources (Discord: the
    # Manage Server permission); None leaves it to the owner ids from settings.
    curator: bool | None = None
    # The catalogue's language the user's app reports (Telegram's language_code, Discord's
    # locale), None for another language. A new private chat starts in it.
    user_language: Language | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A button under a reply: pressing it runs `/command args` as the user who pressed it
    (so who may do it is checked again then). The platforms render it their way (Telegram's
    inline keyboard, Discord's buttons) and show the answer in place of the question."""

    label: str
    command: str
    args: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """What a command answers: text, or a digest document, with an optional image, and
    buttons to answer a question with."""

    language: Language
    text: str = ""
    document: DigestDocument | None = None
    image: bytes | None = None
    image_name: str = ""
    choices: tuple[Choice, ...] = ()
    # The caller may not do this (`bot.not_admin`): a button's press says so to the presser
    # alone and leaves the question, with its buttons, to someone who may answer it.
    refused: bool = False


def _period(word: str) -> Period:
    return {"day": Period.DAY, "daily": Period.DAY, "week": Period.WEEK, "weekly": Period.WEEK}[
        word.lower()
    ]


# How many /digest answers are written at once when no limit is passed in. One costs ~140 ms
# of CPU and its own memory: 200 sent 20 ms apart, all written at once, took `aiprogress run`
# to 326 MB; more at once would not finish sooner on the service's one event loop.
DIGESTS_AT_ONCE = 2


class CommandLayer:
    def __init__(
        self,
        *,
        service: AiProgress,
        desk: ChannelDesk,
        owner_ids: frozenset[str],
        chart: Callable[..., bytes] | None = None,
        digest_slots: asyncio.Semaphore | None = None,
    ) -> None:
        """`digest_slots` bounds the /digest answers written at once; the others wait their
        turn (none is dropped). Pass one semaphore to every platform's layer to bound them
        together; by default this layer has its own, of `DIGESTS_AT_ONCE`."""
        self._service = service
        self._desk = desk
        self._owners = owner_ids
        self._chart = chart
        self._digest_slots = digest_slots or asyncio.Semaphore(DIGESTS_AT_ONCE)

    async def chat_moved(self, platform: Platform, old_address: str, new_address: str) -> None:
        """The platform says a chat lives at a new address (a Telegram group upgraded to a
        supergroup): its settings and subscription follow it, in storage. Told more than
        once (the old chat's service message and the new one's), it moves once."""
        try:
            moved = await self._desk.move(platform, old_address, new_address)
        except AppError:
            # A refused send to the old address moves it later: nothing is lost meanwhile.
            logger.exception("the chat %s could not be moved to %s", old_address, new_address)
            return
        if moved is not None:
            logger.info("%s chat %s is now %s", platform.value, old_address, new_address)

    async def handle(self, caller: Caller, command: str, args: str) -> Reply:
        # A private chat is its user's: it starts in the user's language. A group or channel
        # is shared: it starts in the default language, and its admins choose with /lang.
        first_language = caller.user_language if caller.chat_kind is ChatKind.PRIVATE else None
        try:
            channel = await self._desk.chat(
                caller.platform,
                caller.chat_address,
                kind=caller.chat_kind,
                title=caller.chat_title,
                language=first_language,
            )
        except AppError:
            # The chat's settings cannot be read (the database is down): say so in the
            # language it would start in rather than leave the user without an answer.
            logger.exception("/%s: the chat %s could not be read", command, caller.chat_address)
            language = first_language or self._desk.default_language
            return Reply(language, message("bot.failed", language))
        language = channel.language
        if command.lower() not in COMMAND_NAMES:
            return Reply(language, message("bot.unknown", language))
        handler = getattr(self, f"_cmd_{command.lower()}")
        try:
            reply: Reply = await handler(caller, channel, args.strip())
            return reply
        except NotAllowed:
            return Reply(language, message("bot.not_admin", language), refused=True)
        except UserError as error:
            return Reply(language, _describe(error, language))
        except AppError:
            # Our failure, not the user's (a database error, say): logged with its cause; the
            # user is told it failed on our side, without internals.
            logger.exception("/%s failed", command)
            return Reply(language, message("bot.failed", language))

    # --- who may ------------------------------------------------------------------------------

    def _owner(self, caller: Caller) -> bool:
        if caller.curator is not None:
            return caller.curator or caller.user_id in self._owners
        return caller.user_id in self._owners

    async def _require_owner(self, caller: Caller) -> None:
        if not self._owner(caller):
            raise NotAllowed("owners only")

    async def _require_chat_admin(self, caller: Caller) -> None:
        if caller.chat_kind is ChatKind.PRIVATE or self._owner(caller):
            return
        if not await caller.is_chat_admin(caller.chat_address):
            raise NotAllowed("chat admins only")

    # --- everyone -----------------------------------------------------------------------------

    async def _cmd_start(self, caller: Caller, channel: Channel, args: str) -> Reply:
        return Reply(channel.language, message("bot.start", channel.language))

    async def _cmd_help(self, caller: Caller, channel: Channel, args: str) -> Reply:
        return Reply(channel.language, help_text(channel.language, caller.platform))

    async def _cmd_digest(self, caller: Caller, channel: Channel, args: str) -> Reply:
        language = channel.language
        try:
            period = _period(args or "day")
        except KeyError:
            return Reply(language, message("bot.usage", language, usage="/digest [day|week]"))
        async with self._digest_slots:
            digest = await self._service.write_digest(
                period, language, item_filter=channel.item_filter
            )
        if not digest.document:
            return Reply(language, f"{digest.title}\n\n{digest.body}")
        return Reply(language, document=document_from_json(_loads(digest.document)))

    async def _cmd_compare(self, caller: Caller, channel: Channel, args: str) -> Reply:
        from aiprogress.digest.compare_render import render_comparison_text

        language = channel.language
        names = model_names(args)
        if len(names) < 2:
            usage = "/compare gpt-4.5 gpt-4o, /compare claude 3.5 sonnet vs gpt-4o"
            return Reply(language, message("bot.usage", language, usage=usage))
        comparison = await self._service.models.compare(names)
        text = render_comparison_text(comparison, language, in_chat=True)
        image = None
        if self._chart is not None:
            # Drawing is CPU work (Pillow): off the loop, so the bots stay responsive.
            image = await asyncio.to_thread(self._chart, comparison, language)
        return Reply(language, text, image=image, image_name="compare.png")

    async def _cmd_models(self, caller: Caller, channel: Channel, args: str) -> Reply:
        language = channel.language
        if not args:
            return Reply(language, message("bot.usage", language, usage="/models claude"))
        matches = await self._service.models.search(args, limit=8)
        if not matches:
            return Reply(language, message("bot.models.none", language, query=shown(args)))
        lines = [
            f"• {m.model.display_name} ({m.model.vendor}) — {m.model.canonical_id}" for m in matches
        ]
        return Reply(language, "\n".join(lines))

    async def _cmd_lang(self, caller: Caller, channel: Channel, args: str) -> Reply:
        try:
            language = Language(args.lower())
        except ValueError:
            return Reply(
                channel.language, message("bot.usage", channel.language, usage="/lang ru|en")
            )
        await self._require_chat_admin(caller)
        await self._desk.set_language(channel, language)
        return Reply(language, message("bot.lang.set", language))

    async def _cmd_subscribe(self, caller: Caller, channel: Channel, args: str) -> Reply:
        language = channel.language
        words = split_words(args)
        # What is not given stays as the chat has it: a re-run with one option changes that one.
        period: Period | None = None
        send_at: str | None = None
        zone: str | None = None
        for word in words:
            if word.lower() in ("day", "daily", "week", "weekly"):
                period = _period(word)
            elif ":" in word:
                send_at = word
            else:
                zone = word
        await self._require_chat_admin(caller)
        try:
            updated = await self._desk.subscribe(
                channel,
                period=period,
                send_at=send_at,
                timezone=zone,
                admin_id=caller.user_id or None,  # a channel's post has no user
            )
        except InvalidInput as error:
            if error.reason == "timezone" and zone is not None and "/" not in zone:
                # A word that is no period, no time and no Area/City zone ("hourly", "9"):
                # say what the command takes rather than call it a bad time zone.
                return Reply(language, message("bot.subscribe.word", language, value=shown(zone)))
            raise
        return Reply(
            language,
            message(
                "bot.subscribed",
                language,
                period=message(f"bot.period.{(updated.period or Period.DAY).value}", language),
                time=str(updated.send_at),
                zone=updated.timezone,
            ),
        )

    async def _cmd_unsubscribe(self, caller: Caller, channel: Channel, args: str) -> Reply:
        await self._require_chat_admin(caller)
        await self._desk.unsubscribe(channel)
        return Reply(channel.language, message("bot.unsubscribed", channel.language))

    # --- admins -------------------------------------------------------------------------------

    async def _cmd_sources(self, caller: Caller, channel: Channel, args: str) -> Reply:
        await self._require_owner(caller)
        sources = await self._service.list_sources()
        if not sources:
            return Reply(channel.language, message("bot.sources.none", channel.language))
        lines = []
        for source in sources:
            state = "⏸" if not source.enabled else ("⚠️" if source.last_error else "✅")
            line = f"{state} #{source.id} {source.label}"
            if source.last_error:
                line += f" — {source_error(source.last_error, channel.language)}"
            lines.append(line)
        return Reply(channel.language, "\n".join(lines))

    async def _cmd_failing(self, caller: Caller, channel: Channel, args: str) -> Reply:
        await self._require_owner(caller)
        failing = [s for s in await self._service.list_sources() if s.failures or not s.enabled]
        if not failing:
            return Reply(channel.language, message("bot.sources.failing.none", channel.language))
        lines = []
        for source in failing:
            error = source.disabled_reason or source.last_error
            worded = source_error(error, channel.language) if error else "—"
            lines.append(f"#{source.id} {source.label}: {source.failures} × {worded}")
        return Reply(channel.language, "\n".join(lines))

    async def _cmd_source_add(self, caller: Caller, channel: Channel, args: str) -> Reply:
        await self._require_owner(caller)
        words = split_words(args)
        if len(words) != 1:
            usage = "/source_add https://example.com/feed.xml"
            return Reply(channel.language, message("bot.usage", channel.language, usage=usage))
        language = channel.language
        onboarding = await self._service.onboard_source(words[0], trust_tier=TrustTier.COMMUNITY)
        source = onboarding.source
        if source is None:
            feeds = "\n".join(
                f"• {link.url}" + (f" — {link.title}" if link.title else "")
                for link in onboarding.candidates
            )
            return Reply(
                language, message("bot.source.choose", language, url=onboarding.url, feeds=feeds)
            )
        added = message(
            "bot.source.added", language, id=source.id, name=source.label, url=source.url
        )
        if onboarding.found_on is not None:
            found = message("bot.source.found", language, feed=source.url, url=onboarding.found_on)
            added = f"{found}\n{added}"
        return Reply(language, added)

    async def _source_id(self, caller: Caller, channel: Channel, args: str, usage: str) -> int:
        await self._require_owner(caller)
        if not args.lstrip("#").isdigit():
            raise _Usage(usage)
        return int(args.lstrip("#"))

    async def _cmd_source_remove(self, caller: Caller, channel: Channel, args: str) -> Reply:
        """/source_remove ID asks first, with buttons that send `/source_remove ID confirm`
        or `ID cancel`: a removal takes the source's items with it."""
        language = channel.language
        words = args.split()
        answer = words[1].lower() if len(words) == 2 else ""
        if answer not in ("", "confirm", "cancel") or len(words) > 2:
            return Reply(language, message("bot.usage", language, usage="/source_remove ID"))
        if answer == "confirm":
            return await self._source_change(caller, channel, words[0], "remove")
        try:
            source_id = await self._source_id(caller, channel, words[0] if words else "", "")
        except _Usage:
            return Reply(language, message("bot.usage", language, usage="/source_remove ID"))
        if answer == "cancel":
            return Reply(language, message("bot.source.remove.cancelled", language, id=source_id))
        source = await self._service.get_source(source_id)
        question = message(
            "bot.source.remove.confirm", language, id=source.id, name=source.label, url=source.url
        )
        return Reply(
            language,
            question,
            choices=(
                Choice(
                    message("bot.button.remove", language), "source_remove", f"{source_id} confirm"
                ),
                Choice(
                    message("bot.button.cancel", language), "source_remove", f"{source_id} cancel"
                ),
            ),
        )

    async def _cmd_source_pause(self, caller: Caller, channel: Channel, args: str) -> Reply:
        return await self._source_change(caller, channel, args, "pause")

    async def _cmd_source_resume(self, caller: Caller, channel: Channel, args: str) -> Reply:
        return await self._source_change(caller, channel, args, "resume")

    async def _source_change(
        self, caller: Caller, channel: Channel, args: str, action: str
    ) -> Reply:
        language = channel.language
        try:
            source_id = await self._source_id(caller, channel, args, f"/source_{action} ID")
        except _Usage as usage:
            return Reply(language, message("bot.usage", language, usage=str(usage)))
        if action == "remove":
            await self._service.remove_source(source_id)
            key = "bot.source.removed"
        else:
            await self._service.set_source_enabled(source_id, action == "resume")
            key = "bot.source.paused" if action == "pause" else "bot.source.resumed"
        return Reply(language, message(key, language, id=source_id))

    async def _cmd_filters(self, caller: Caller, channel: Channel, args: str) -> Reply:
        """/filters — show; /filters include WORD | exclude WORD | include_re P | exclude_re P |
        clear — change this chat's filters (chat admins)."""
        language = channel.language
        words = args.split(maxsplit=1)
        current = channel.item_filter
        if words:
            await self._require_chat_admin(caller)
            action, value = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
            fields = {
                "include": "include",
                "exclude": "exclude",
                "include_re": "include_patterns",
                "exclude_re": "exclude_patterns",
            }
            if action == "clear":
                current = ItemFilter()
            elif action in fields and value:
                name = fields[action]
                current = replace(current, **{name: (*getattr(current, name), value)})
            else:
                usage = usage_of("filters", language)
                return Reply(language, message("bot.usage", language, usage=usage))
            channel = await self._desk.set_filters(channel, current)

        def shown(values: tuple[str, ...]) -> str:
            return ", ".join(values) if values else message("bot.filters.none", language)

        return Reply(
            language,
            message(
                "bot.filters.show",
                language,
                include=shown(current.include),
                exclude=shown(current.exclude),
                include_re=shown(current.include_patterns),
                exclude_re=shown(current.exclude_patterns),
            ),
        )

    async def _cmd_channel_add(self, caller: Caller, channel: Channel, args: str) -> Reply:
        language = channel.language
        words = split_words(args)
        if len(words) != 1 or not words[0].startswith("@"):
            usage = usage_of("channel_add", language)
            return Reply(language, message("bot.usage", language, usage=usage))
        address = words[0]
        if not self._owner(caller) and not await caller.is_chat_admin(address):
            return Reply(language, message("bot.channel.not_admin", language, channel=address))
        target = await self._desk.chat(caller.platform, address, kind=ChatKind.CHANNEL)
        target = await self._desk.set_language(target, language)
        target = await self._desk.subscribe(target, admin_id=caller.user_id or None)
        period = message(f"bot.period.{(target.period or Period.DAY).value}", language)
        return Reply(
            language,
            message(
                "bot.channel.added",
                language,
                channel=address,
                period=period,
                language=message(f"bot.lang.name.{target.language.value}", language),
            ),
        )


def _describe(error: UserError, language: Language) -> str:
    """A user's mistake in the chat's language, where the error names what went wrong (a
    model name, a source id or URL, malformed input); the rest are told as the error says
    them, in English."""
    if error.reason:
        values = echoed(error.values)
        if error.topic == "source" and "detail" in values:
            # A refused source's fetch error (HTTP status, timeout …) as /sources words it.
            values["detail"] = source_error(str(values["detail"]), language)
        return message(f"bot.{error.topic}.{error.reason}", language, **values)
    return message("bot.error", language, detail=str(error))


class _Usage(Exception):
    pass


def _loads(text: str) -> dict[str, object]:
    import json

    data: dict[str, object] = json.loads(text)
    return data
