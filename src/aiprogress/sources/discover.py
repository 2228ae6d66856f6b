"""Feed discovery: the feeds a web page names in `<link rel="alternate" type="…">`.

A site's home page is what people copy from the address bar; feed readers look in its head for
links to its feeds (the RSS Autodiscovery convention, also used for Atom and JSON Feed). Read
with the standard library's HTML parser, which takes broken markup as browsers do.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from aiprogress.core.types import FeedLink

FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json"}
)
_HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
# A page's feed links are in its head; the first bytes are enough to tell a page by its look.
_SNIFF_BYTES = 1024


def looks_like_html(document: bytes, content_type: str | None) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in _HTML_MEDIA_TYPES:
        return True
    start = document[:_SNIFF_BYTES].lower()
    return b"<!doctype html" in start or b"<html" in start


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.links: list[tuple[str, str, str]] = []  # href, title, media type

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: (value or "").strip() for name, value in attrs}
        if tag == "base" and not self.base:
            self.base = attributes.get("href", "")
        elif tag == "link":
            rel = attributes.get("rel", "").lower().split()
            media_type = attributes.get("type", "").split(";")[0].strip().lower()
            href = attributes.get("href", "")
            if "alternate" in rel and media_type in FEED_MEDIA_TYPES and href:
                self.links.append((href, attributes.get("title", ""), media_type))


def feed_links(document: bytes, *, url: str) -> tuple[FeedLink, ...]:
    """The feeds the page at `url` links, in the page's order, each once, relative addresses
    resolved against the page's `<base>` or its own URL; only http(s) ones."""
    collector = _LinkCollector()
    # Links are ASCII in practice; a page in another encoding still yields them.
    collector.feed(document.decode("utf-8", errors="replace"))
    collector.close()
    base = urljoin(url, collector.base) if collector.base else url
    found: dict[str, FeedLink] = {}
    for href, title, media_type in collector.links:
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found[absolute] = FeedLink(
                url=absolute, title=" ".join(title.split()), media_type=media_type
            )
    return tuple(found.values())
