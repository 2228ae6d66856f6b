"""Platform renderers: a digest document (or a plain reply) as chat messages."""

from aiprogress.bot.render.split import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    TELEGRAM_TAGS,
    split_html,
    split_plain,
    visible_length,
)
from aiprogress.bot.render.telegram import (
    plain_fallback,
    plain_text,
    render_telegram,
    render_telegram_text,
    telegram_blocks,
)

__all__ = [
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "TELEGRAM_TAGS",
    "plain_fallback",
    "plain_text",
    "render_telegram",
    "render_telegram_text",
    "split_html",
    "split_plain",
    "telegram_blocks",
    "visible_length",
]
