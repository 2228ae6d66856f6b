"""What the bots' settings must satisfy before anything is opened.

Each failure is a `ConfigError` of one line that names the setting and what is wrong with it,
never its value (a token is a secret, and so is the webhook's). What only the platform can
judge (a well-formed token it does not know) is checked when the bot logs in.
"""

from __future__ import annotations

import os
import re
import socket
from urllib.parse import urlsplit

from aiprogress.app.settings import Settings
from aiprogress.core.errors import ConfigError

# aiogram's own rule (aiogram.utils.token): the bot's id, a colon, then the secret part.
_TELEGRAM_TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
# A Discord bot token: three base64 parts (the bot's id, a timestamp, an HMAC) joined by dots.
_DISCORD_TOKEN = re.compile(r"[A-Za-z0-9_+/=-]+\.[A-Za-z0-9_+/=-]+\.[A-Za-z0-9_+/=-]+")
# The Bot API's rule for setWebhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def check_bot_settings(settings: Settings) -> None:
    """The tokens' shapes and the webhook's settings taken together."""
    telegram, discord = settings.telegram, settings.discord
    if telegram.bot_token is not None:
        if not _TELEGRAM_TOKEN.fullmatch(telegram.bot_token.get_secret_value()):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:ABC-def…, "
                "as @BotFather gives it"
            )
        _check_webhook(settings)
    if discord.bot_token is not None and not _DISCORD_TOKEN.fullmatch(
        discord.bot_token.get_secret_value()
    ):
        raise ConfigError(
            "DISCORD_BOT_TOKEN is malformed: it should be three parts joined by dots, as the "
            "Developer Portal's Bot page gives it"
        )


def _check_webhook(settings: Settings) -> None:
    hook = settings.telegram
    either = "set both for webhook mode, or neither for long polling"
    if hook.webhook_url and hook.webhook_secret is None:
        raise ConfigError(
            f"TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: {either}"
        )
    if hook.webhook_secret is not None and not hook.webhook_url:
        raise ConfigError(
            f"TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_WEBHOOK_URL is not: {either}"
        )
    if not hook.webhook_url or hook.webhook_secret is None:
        return
    parts = urlsplit(hook.webhook_url)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(
            "TELEGRAM_WEBHOOK_URL must be an https:// URL: Telegram calls webhooks over HTTPS only"
        )
    if not _WEBHOOK_SECRET.fullmatch(hook.webhook_secret.get_secret_value()):
        raise ConfigError(
            "TELEGRAM_WEBHOOK_SECRET may hold only 1 to 256 of the characters A-Z, a-z, 0-9, _ "
            "and -"
        )
    run = settings.run
    if run.http_port and run.http_port == hook.webhook_port:
        raise ConfigError(
            f"TELEGRAM_WEBHOOK_PORT and AIPROGRESS_HTTP_PORT are both {run.http_port}: the "
            "webhook needs a port of its own"
        )


def listen_error(names: str, host: str, port: int, error: OSError) -> ConfigError:
    """A port that cannot be listened on, in one line that names its settings."""
    if isinstance(error, socket.gaierror) or not error.errno:
        reason = error.strerror or str(error)
    else:  # asyncio's text repeats the address; the errno's own wording is enough
        reason = os.strerror(error.errno)
    return ConfigError(f"cannot listen on {host}:{port} ({names}): {reason}")
