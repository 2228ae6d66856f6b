"""A digest document as Telegram HTML (parse mode HTML), cut into messages Telegram accepts.

Everything taken from the document is escaped: story text comes from feeds and from the LLM, and
either may hold markup meant to break ours. Only `http`/`https` URLs become links; any other is
shown as escaped text. The only tags produced are `b`, `i` and `a`.

When Telegram still refuses a message's HTML, the sender (`aiprogress.bot.telegram`) sends that
same message once more as plain text: its tags stripped and entities decoded, which is the text
Telegram would have shown, so it is within the limit too.
"""

from __future__ import annotations

import html

from aiprogress.bot.render.links import is_web_url, label
from aiprogress.bot.render.split import MESSAGE_LIMIT, split_html, visible_length
from aiprogress.core.factsheet import DigestDocument
from aiprogress.core.messages import message

__all__ = [
    "render_telegram",
    "render_telegram_text",
    "telegram_blocks",
    "visible_length",
]


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _link(url: str, label: str) -> str:
    """`<a href>` for a web URL; anything else as escaped text (the label and the URL)."""
    if is_web_url(url):
        return f'<a href="{_escape(url)}">{_escape(label)}</a>'
    return _escape(f"{label}: {url}" if label and label != url else url)


def _point(marker: str, lead: str, text: str) -> str:
    if lead:
        return f"{marker} <b>{_escape(lead)}.</b> {_escape(text)}".rstrip()
    return f"{marker} {_escape(text)}"


def telegram_blocks(document: DigestDocument) -> list[str]:
    """The document as balanced HTML paragraphs, before they are packed into messages."""
    language = document.language
    blocks = [f"<b>{_escape(document.title)}</b>" if document.title else ""]
    blocks.append(_escape(document.thesis))
    for story in document.stories:
        links = " · ".join(_link(url, label(url, document.sources)) for url in story.links)
        blocks.append("\n".join(line for line in (f"🔘 {_escape(story.text)}", links) if line))
    if document.more:
        lines = [f"<b>{_escape(message('digest.more', language))}</b>"]
        for story in document.more:
            links = " · ".join(_link(url, label(url, document.sources)) for url in story.links)
            lines.append(f"• {_escape(story.text)} {links}".rstrip())
        blocks.append("\n".join(lines))
    blocks += [_point("▪️", cause.lead, cause.text) for cause in document.causes]
    blocks.append(_escape(document.outlook))
    if document.takeaways:
        lines = [f"<b>{_escape(message('digest.what_we_see', language))}</b>"]
        lines += [_point("●", point.lead, point.text) for point in document.takeaways]
        blocks.append("\n".join(lines))
    if document.sources:
        lines = [f"<b>{_escape(message('digest.sources', language))}</b>"]
        lines += [f"● {_link(source.url, source.name)}" for source in document.sources]
        blocks.append("\n".join(lines))
    if document.signoff:
        blocks.append(f"<i>{_escape(document.signoff)}</i>")
    return [block for block in blocks if block.strip()]


def render_telegram(document: DigestDocument, *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The digest as Telegram HTML messages, each within `limit` visible characters, cut only
    between paragraphs unless a paragraph alone is too long."""
    return split_html(telegram_blocks(document), limit)


def render_telegram_text(text: str, *, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Plain text (a comparison, a reply) as escaped HTML messages, cut between paragraphs."""
    paragraphs = (paragraph.strip() for paragraph in text.replace("\r\n", "\n").split("\n\n"))
    return split_html([_escape(paragraph) for paragraph in paragraphs if paragraph], limit)
