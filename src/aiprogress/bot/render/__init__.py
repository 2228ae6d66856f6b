"""Platform renderers: a digest document (or a plain reply) as chat messages."""

from aiprogress.bot.render.split import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    TELEGRAM_TAGS,
    split_html,
    visible_length,
)
from aiprogress.bot.render.telegram import (
    render_telegram,
    render_telegram_text,
    telegram_blocks,
)

__all__ = [
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "TELEGRAM_TAGS",
    "render_telegram",
    "render_telegram_text",
    "split_html",
    "telegram_blocks",
    "visible_length",
]
