"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1). feedparser reads none of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from aiprogress.core.errors import ParseError
from aiprogress.core.types import ParsedFeed, ParsedItem, content_hash
from aiprogress.sources.text import MAX_SUMMARY_CHARS, html_to_text

VERSION_PREFIX = "https://jsonfeed.org/version/"

# What one document may hold, counted on its bytes before it is decoded (brackets and commas
# inside strings count too, so the counts can only overstate). Without them a 9 MB list of empty
# objects cost 2.3 s and 212 MB; 2M short strings 144 MB. A real feed holds a few hundred
# containers; prose has a comma every 80 characters or so, 125,000 in 10 MB.
MAX_CONTAINERS = 50_000
MAX_VALUES = 200_000
MAX_ENTRIES = 2_000


def looks_like_json_feed(document: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return document.lstrip()[:1] == b"{" and b"jsonfeed.org/version" in document[:2048]


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    # Some generators (Hugging Face Daily Papers' feed among them) leave out the offset;
    # RFC 3339, which JSON Feed requires, would have UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_json_feed(document: bytes, *, url: str) -> ParsedFeed:
    if document.count(b"{") + document.count(b"[") > MAX_CONTAINERS:
        raise ParseError(f"refused: more than {MAX_CONTAINERS:,} JSON objects and arrays")
    if document.count(b",") > MAX_VALUES:
        raise ParseError(f"refused: more than {MAX_VALUES:,} JSON values")
    try:
        data = json.loads(document)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not a JSON Feed: invalid JSON ({exc})"[:300]) from None
    except RecursionError:
        raise ParseError("refused: JSON nested too deeply") from None
    if not isinstance(data, dict) or not _text(data.get("version")).startswith(VERSION_PREFIX):
        raise ParseError("not a JSON Feed: no https://jsonfeed.org/version/ marker")
    entries = data.get("items")
    if not isinstance(entries, list):
        raise ParseError("not a JSON Feed: 'items' is not a list")
    feed_authors = _authors(data)
    items: list[ParsedItem] = []
    for entry in entries[:MAX_ENTRIES]:
        if not isinstance(entry, dict):
            continue
        link = _text(entry.get("url")) or _text(entry.get("external_url"))
        identifier = entry.get("id")
        guid = str(identifier).strip() if isinstance(identifier, str | int) else ""
        if not link and guid.startswith(("http://", "https://")):
            link = guid
        link = urljoin(url, link) if link else ""
        summary_source = (
            _text(entry.get("summary"))
            or _text(entry.get("content_text"))
            or _text(entry.get("content_html"))
        )
        summary = html_to_text(summary_source)[:MAX_SUMMARY_CHARS]
        title = html_to_text(_text(entry.get("title"))) or summary[:120]
        if not title and not link:
            continue
        items.append(
            ParsedItem(
                guid=guid or link or content_hash(title, link, summary),
                url=link or url,
                title=title or link,
                summary=summary,
                published_at=_date(entry.get("date_published"))
                or _date(entry.get("date_modified")),
                authors=_authors(entry) or feed_authors,
                tags=tuple(
                    t.strip() for t in entry.get("tags") or () if isinstance(t, str) and t.strip()
                ),
            )
        )
    return ParsedFeed(title=html_to_text(_text(data.get("title"))), items=tuple(items))


def _authors(record: dict[str, Any]) -> tuple[str, ...]:
    people = record.get("authors")
    if not isinstance(people, list):
        single = record.get("author")
        people = [single] if isinstance(single, dict) else []
    return tuple(name for p in people if isinstance(p, dict) and (name := _text(p.get("name"))))
