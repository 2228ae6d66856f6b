"""The Telegram front end (aiogram 3): routers over the command layer, and the outbox's sender.

Dependencies reach handlers through the dispatcher (`dp["layer"]`), as aiogram's examples do.
The sender and its rate limiter are in `telegram_send`; the token check, the menus, polling and
the webhook in `telegram_start`. This module keeps the handlers and the public names.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

# Before any aiogram import: its ~400 types are then built when used, not all at import (issue 21).
from aiprogress.bot import aiogram_import  # noqa: F401

# isort: split
from aiogram import Bot, Dispatcher, F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, User

from aiprogress.bot.command_registry import features
from aiprogress.bot.commands import Caller, CommandLayer, Reply
from aiprogress.bot.render.split import CAPTION_LIMIT
from aiprogress.bot.render.telegram import render_telegram, render_telegram_text
from aiprogress.bot.telegram_send import RateLimiter, TelegramSender, _chat_id, _describe, make_bot
from aiprogress.bot.telegram_start import (
    UNAUTHORIZED,
    check_token,
    poll,
    register_menus,
    start_webhook,
)
from aiprogress.core.messages import language_of_locale
from aiprogress.core.types import ChatKind, Platform

logger = logging.getLogger(__name__)

# Commands by feature, from the one command registry; each feature is a router.
FEATURES: dict[str, tuple[str, ...]] = features()


def _kind(chat_type: str) -> ChatKind:
    if chat_type == ChatType.PRIVATE:
        return ChatKind.PRIVATE
    if chat_type == ChatType.CHANNEL:
        return ChatKind.CHANNEL
    return ChatKind.GROUP


_ADMINS = (ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR)


# Callback data of a choice's button: the prefix, then "command args" (Telegram allows 64 bytes).
_CHOICE = "run:"


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    buttons = [
        InlineKeyboardButton(
            text=choice.label, callback_data=f"{_CHOICE}{choice.command} {choice.args}"[:64]
        )
        for choice in reply.choices
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def _reply(sender: TelegramSender, message: Message, reply: Reply) -> None:
    address = str(message.chat.id)
    group = message.chat.type != ChatType.PRIVATE
    if reply.document is not None:
        parts = render_telegram(reply.document)
    else:
        parts = render_telegram_text(reply.text)
    for index, part in enumerate(parts):
        keyboard = _keyboard(reply) if index == len(parts) - 1 else None
        await sender.send_html(address, part, group=group, keyboard=keyboard)
    if reply.image is not None:
        await sender.send_photo(address, reply.image, reply.image_name or "image.png", group=group)


def _caller(message: Message, bot: Bot, user: User | None = None) -> Caller:
    """Who runs a command in the message's chat: its sender, or `user` (who pressed a button
    under the bot's own message). A post in a channel has no sender but the channel: only its
    admins can post there, so it is its admins' command (for this channel, not another)."""
    user = user or message.from_user
    user_id = str(user.id) if user is not None else ""
    channel_post = user is None and message.chat.type == ChatType.CHANNEL

    async def is_admin(address: str) -> bool:
        if channel_post:
            return address == str(message.chat.id)
        try:
            member = await bot.get_chat_member(_chat_id(address), int(user_id or 0))
        except TelegramAPIError:
            return False
        return member.status in _ADMINS

    return Caller(
        platform=Platform.TELEGRAM,
        chat_address=str(message.chat.id),
        user_id=user_id,
        chat_kind=_kind(message.chat.type),
        is_chat_admin=is_admin,
        chat_title=message.chat.title or "",
        user_language=language_of_locale(user.language_code if user is not None else None),
    )


def _router(name: str, commands: Sequence[str]) -> Router:
    router = Router(name=name)

    # A channel's admins post commands in the channel (a private channel has no @name for
    # /channel_add): channel posts are routed as messages are.
    @router.channel_post(Command(*commands))
    @router.message(Command(*commands))
    async def handle(
        message: Message,
        command: CommandObject,
        bot: Bot,
        layer: CommandLayer,
        sender: TelegramSender,
    ) -> None:
        reply = await layer.handle(_caller(message, bot), command.command, command.args or "")
        await _reply(sender, message, reply)

    return router


def _choices() -> Router:
    """A button of a reply's choices pressed: its command runs as the user who pressed it, and
    the answer replaces the question (and its buttons)."""
    router = Router(name="choices")

    @router.callback_query(F.data.startswith(_CHOICE))
    async def handle(query: CallbackQuery, bot: Bot, layer: CommandLayer) -> None:
        message = query.message
        if not isinstance(message, Message):
            await query.answer()  # the message is too old to be read or edited
            return
        command, _, args = (query.data or "").removeprefix(_CHOICE).partition(" ")
        reply = await layer.handle(_caller(message, bot, query.from_user), command, args)
        if reply.refused:
            # Told to the presser alone; the question stays for someone who may answer it.
            await query.answer(reply.text, show_alert=True)
            return
        await query.answer()
        text = render_telegram_text(reply.text)[0] if reply.text else "…"
        try:
            await bot.edit_message_text(
                text=text,
                chat_id=message.chat.id,
                message_id=message.message_id,
                reply_markup=_keyboard(reply),
            )
        except TelegramAPIError as error:
            # Pressed twice, or the message is gone: the command ran; only its echo failed.
            logger.warning("telegram: the answer to a button was not shown: %s", _describe(error))

    return router


def _upgrades() -> Router:
    """A group upgraded to a supergroup gets a new chat id; Telegram says so in both chats
    (`migrate_to_chat_id` in the group, `migrate_from_chat_id` in the supergroup). Its
    channel moves to the new id in storage, at the first of them; the second finds it moved."""
    router = Router(name="upgrades")

    @router.message(F.migrate_to_chat_id)
    async def moved_to(message: Message, layer: CommandLayer) -> None:
        new = str(message.migrate_to_chat_id)
        await layer.chat_moved(Platform.TELEGRAM, str(message.chat.id), new)

    @router.message(F.migrate_from_chat_id)
    async def moved_from(message: Message, layer: CommandLayer) -> None:
        old = str(message.migrate_from_chat_id)
        await layer.chat_moved(Platform.TELEGRAM, old, str(message.chat.id))

    return router


def _unknown_commands() -> Router:
    """Included last: a /command no feature took. It is answered (from the catalogue, in the
    chat's language) in a private chat, and in a group only when addressed to this bot
    (/command@thisbot): a bare /command there may be another bot's. Text that is not a command
    is not answered."""
    router = Router(name="unknown")

    @router.channel_post(F.text.startswith("/"))
    @router.message(F.text.startswith("/"))
    async def handle(
        message: Message, bot: Bot, layer: CommandLayer, sender: TelegramSender
    ) -> None:
        word = (message.text or "").split(maxsplit=1)[0][1:]
        command, _, mention = word.partition("@")
        if not command:
            return
        if mention or message.chat.type != ChatType.PRIVATE:
            username = (await bot.me()).username or ""
            if mention.lower() != username.lower():
                return
        reply = await layer.handle(_caller(message, bot), command, "")
        await _reply(sender, message, reply)

    return router


def build_dispatcher(layer: CommandLayer, sender: TelegramSender) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher["layer"] = layer
    dispatcher["sender"] = sender
    for name, commands in FEATURES.items():
        dispatcher.include_router(_router(name, commands))
    dispatcher.include_router(_choices())
    dispatcher.include_router(_upgrades())
    dispatcher.include_router(_unknown_commands())
    return dispatcher


__all__ = [
    "CAPTION_LIMIT",
    "FEATURES",
    "UNAUTHORIZED",
    "RateLimiter",
    "TelegramSender",
    "build_dispatcher",
    "check_token",
    "make_bot",
    "poll",
    "register_menus",
    "start_webhook",
]
