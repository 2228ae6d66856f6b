"""The Bot API's methods as the fake answers them: sends (validated, blocked and rate limited),
chats and members, files, command menus and webhooks; getUpdates is the server's (server.py)."""

from __future__ import annotations

import time
from typing import Any

from tests.servers.telegram.answers import Answer, Reject, ok
from tests.servers.telegram.limits import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    check_commands,
    menu_key,
)
from tests.servers.telegram.markup import format_text
from tests.servers.telegram.parsing import as_int, png_size, words
from tests.servers.telegram.records import ChatInfo, MemberStatus
from tests.servers.telegram.state import TelegramState

# Methods that put a message into a chat: they are blocked, rate limited and answer a Message.
_MESSAGE_METHODS = frozenset(
    words(
        "sendmessage sendphoto senddocument sendvideo sendanimation sendaudio sendvoice "
        "sendvideonote sendsticker sendlocation sendvenue sendcontact sendpoll senddice "
        "forwardmessage"
    )
)

# The rights in a ChatMemberAdministrator and a ChatMemberRestricted (all required by aiogram).
_ADMIN_CAN = words(
    "can_manage_chat can_delete_messages can_manage_video_chats can_change_info "
    "can_invite_users can_pin_messages"
)
_ADMIN_CANNOT = words(
    "can_be_edited is_anonymous can_restrict_members can_promote_members can_post_stories "
    "can_edit_stories can_delete_stories can_send_welcome_messages"
)
_RESTRICTED_CANNOT = words(
    "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
    "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
    "can_add_web_page_previews can_react_to_messages can_edit_tag can_change_info "
    "can_invite_users can_pin_messages can_manage_topics"
)


class TelegramRoutes(TelegramState):
    """The Bot API's methods other than getUpdates, answered from the state (lock held)."""

    def _message_base(self, token: str, chat: ChatInfo) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "date": int(time.time()),
            "chat": chat.to_api(),
        }
        if chat.type == "channel":
            message["sender_chat"] = chat.to_api()
        else:
            message["from"] = self._bot_user(token)
        return message

    def _text_content(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise Reject(400, "Bad Request: message text is empty")
        plain, entities = format_text(text, params.get("parse_mode"), params.get("entities"))
        if not plain:
            raise Reject(400, "Bad Request: message text is empty")
        if len(plain) > MAX_TEXT_LENGTH:
            raise Reject(400, "Bad Request: message is too long")
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        return content

    def _caption_content(self, params: dict[str, Any]) -> dict[str, Any]:
        caption = params.get("caption")
        if not isinstance(caption, str) or not caption:
            return {}
        plain, entities = format_text(
            caption, params.get("parse_mode"), params.get("caption_entities")
        )
        if len(plain) > MAX_CAPTION_LENGTH:
            raise Reject(400, "Bad Request: message caption is too long")
        content: dict[str, Any] = {"caption": plain} if plain else {}
        if entities:
            content["caption_entities"] = entities
        return content

    def _media_content(
        self, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> dict[str, Any]:
        kind = method.removeprefix("send")
        if kind not in ("photo", "document", "video", "animation", "audio", "voice", "sticker"):
            return {}
        value = params.get(kind)
        contents = files.get(kind)
        if contents is None and (not isinstance(value, str) or value.startswith("attach://")):
            raise Reject(400, f"Bad Request: there is no {kind} in the request")
        if contents is None:
            contents = b""  # a file_id or an URL: nothing to look at here
        extension = {"photo": "jpg", "sticker": "webp", "voice": "oga"}.get(kind, "bin")
        file_id = self._store_file(contents, f"{kind}s/file_{len(self._files)}.{extension}")
        described: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"AQAD{file_id[-8:]}",
            "file_size": len(contents),
        }
        if kind == "photo":
            width, height = png_size(contents) or (800, 600)
            thumb = {**described, "width": min(width, 90), "height": min(height, 90)}
            return {"photo": [thumb, {**described, "width": width, "height": height}]}
        if kind == "sticker":
            described.update(width=512, height=512, type="regular", is_animated=False)
            described["is_video"] = False
        return {kind: described}

    def _send(
        self, method: str, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        if method == "sendchataction":
            chat = self._resolve_chat(params)
            if chat.id in self._blocked:
                raise Reject(403, self._blocked[chat.id])
            return ok(True)
        if method == "sendmessage":
            content = self._text_content(params)
        else:
            content = self._caption_content(params)
            content.update(self._media_content(method, params, files))
        chat = self._resolve_chat(params)
        if chat.id in self._blocked:
            raise Reject(403, self._blocked[chat.id])
        if chat.id in self._upgraded:
            raise Reject(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self._upgraded[chat.id],
            )
        now = self.clock()
        self._check_rate(chat.id, now)
        self._count_send(chat.id, now)
        message = self._message_base(token, chat)
        message.update(content)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return ok(message)

    def _handle_method(
        self, method: str, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        if "chat_id" in params and method != "getupdates":
            chat_id = as_int(params["chat_id"])
            if chat_id is not None and chat_id in self._missing:
                raise Reject(400, "Bad Request: chat not found")
        if method in _MESSAGE_METHODS or method == "sendchataction":
            return self._send(method, token, params, files)
        if method == "getme":
            return ok(
                {
                    **self._bot_user(token),
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                    "can_connect_to_business": False,
                    "has_main_web_app": False,
                }
            )
        if method == "getchat":
            chat = self._resolve_chat(params)
            return ok(
                {
                    **chat.to_api(),
                    "accent_color_id": 0,
                    "max_reaction_count": 11,
                    "accepted_gift_types": {
                        "unlimited_gifts": False,
                        "limited_gifts": False,
                        "unique_gifts": False,
                        "premium_subscription": False,
                        "gifts_from_channels": False,
                    },
                }
            )
        if method == "getchatmember":
            chat = self._resolve_chat(params)
            user_id = as_int(params.get("user_id"))
            if user_id is None:
                raise Reject(400, "Bad Request: user not found")
            status = self._members.get((chat.id, user_id), "member")
            return ok(self._member(user_id, status))
        if method == "getchatadministrators":
            chat = self._resolve_chat(params)
            admins = [
                self._member(user_id, status)
                for (chat_id, user_id), status in self._members.items()
                if chat_id == chat.id and status in ("creator", "administrator")
            ]
            return ok(admins)
        if method == "sendmediagroup":
            return self._send_media_group(token, params, files)
        if method == "copymessage":
            chat = self._resolve_chat(params)
            if chat.id in self._blocked:
                raise Reject(403, self._blocked[chat.id])
            return ok({"message_id": self._next_message_id(chat.id)})
        if method == "editmessagetext":
            content = self._text_content(params)
            if "chat_id" not in params:
                return ok(True)  # an inline message
            chat = self._resolve_chat(params)
            message = self._message_base(token, chat)
            message["message_id"] = as_int(params.get("message_id")) or message["message_id"]
            message["edit_date"] = int(time.time())
            message.update(content)
            return ok(message)
        if method == "getfile":
            file_id = params.get("file_id")
            stored = self._files.get(str(file_id))
            if stored is None:
                raise Reject(400, "Bad Request: invalid file_id")
            return ok(
                {
                    "file_id": file_id,
                    "file_unique_id": f"AQAD{str(file_id)[-8:]}",
                    "file_size": len(stored[1]),
                    "file_path": stored[0],
                }
            )
        if method == "setmycommands":
            commands = params.get("commands")
            if not isinstance(commands, list):
                raise Reject(400, "Bad Request: can't parse commands JSON object")
            check_commands(commands)
            key = menu_key(params)
            self.menus[key] = [dict(command) for command in commands]
            if key == ("default", ""):
                self.commands = commands
            return ok(True)
        if method == "getmycommands":
            # An exact (scope, language) lookup, as the Bot API answers it: no fallback.
            return ok(self.menus.get(menu_key(params), []))
        if method == "deletemycommands":
            self.menus.pop(menu_key(params), None)
            return ok(True)
        if method == "deletewebhook":
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
            return ok(True)
        if method == "getwebhookinfo":
            return ok(
                {
                    "url": "",
                    "has_custom_certificate": False,
                    "pending_update_count": len(self._updates),
                }
            )
        return ok(True)  # close, logOut, answerCallbackQuery, anything else

    def _send_media_group(
        self, token: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> Answer:
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise Reject(400, "Bad Request: wrong number of media specified")
        chat = self._resolve_chat(params)
        if chat.id in self._blocked:
            raise Reject(403, self._blocked[chat.id])
        if chat.id in self._upgraded:
            raise Reject(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self._upgraded[chat.id],
            )
        now = self.clock()
        self._check_rate(chat.id, now)
        messages = []
        for item in media:
            item = item if isinstance(item, dict) else {}
            content = self._caption_content({**item, "parse_mode": item.get("parse_mode")})
            self._count_send(chat.id, now)
            message = self._message_base(token, chat)
            message["media_group_id"] = "1300000000000000001"
            message.update(content)
            messages.append(message)
        return ok(messages)

    def _member(self, user_id: int, status: MemberStatus) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": self._user(user_id)}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_CANNOT, False))
            member.update(dict.fromkeys(_ADMIN_CAN, True))
        elif status == "restricted":
            member.update(dict.fromkeys(_RESTRICTED_CANNOT, False))
            member.update(is_member=True, until_date=0)
        elif status == "kicked":
            member["until_date"] = 0
        return member
