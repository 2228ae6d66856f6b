"""Links in chat messages, shared by the platform renderers: which URLs may become links, and
what a link is labelled with."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiprogress.core.factsheet import DocumentSource


def is_web_url(url: str) -> bool:
    """An http(s) URL with a host and no whitespace or control characters: only these become
    links; anything else from a feed or an LLM is shown as text."""
    if not url or any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def host(url: str) -> str:
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        name = ""
    return name.removeprefix("www.") or url


def _same_url(first: str, second: str) -> bool:
    return first.strip().rstrip("/") == second.strip().rstrip("/")


def label(url: str, sources: tuple[DocumentSource, ...]) -> str:
    """The outlet's name when the URL is one of the document's sources, else the host."""
    source = next(
        (
            source
            for source in sources
            if _same_url(source.url, url) or any(_same_url(link, url) for link in source.links)
        ),
        None,
    )
    return source.name if source is not None and source.name.strip() else host(url)
