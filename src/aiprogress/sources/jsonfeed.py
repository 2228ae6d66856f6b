"""JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1). feedparser reads none of it.

Why not fastfeedparser, which reads JSON Feed too (issue 22 asked; 0.6.5 studied on 6 December 2026,
through the thinnest adapter that maps its output to our items; tests/sources/test_jsonfeed.py pins
each point, so a release that changes one fails there and the question is worth asking again):
- It loses facts we store. jsonfeed-inessential.json: 20 of 20 items without their author, since it
  reads the feed-level 1.1 `authors` but not 1.0's `author`, the only one that feed has (ours gives
  each item the feed's). 1.1 `authors`, on an item or the feed: it keeps the first name only.
  hf-papers.json: every field we store agrees (26 items; its description is content_text cut to 512
  characters, so an adapter must read the content instead).
- It fails uncleanly. 9 of 16 documents with a wrong type where JSON Feed names one (items a number,
  a string or an object; an item, an author or attachments not an object; a number for a date)
  raise AttributeError or TypeError from inside it. Invalid JSON, a UTF-8 byte order mark, UTF-16,
  or nesting deeper than json.loads recurses fall through to its XML path and read "Failed to parse
  XML". Tags given as a string become one tag per character; any JSON object with an `items` list is
  taken for a feed.
- It is no cheaper once our byte-count limits stand in front, as they would have to (without them
  3,000,000 empty objects cost it 156 s and 1 GB; 100,000 items 13 s). On hf-papers.json, CPU a
  parse (timeit, best of 7x200, on a loaded machine): 0.96-1.18 ms ours, 0.92-1.38 ms the library
  with the adapter. Its own parse is 0.13-0.24 ms; ours is json.loads, 0.09 ms, plus 0.08 ms of
  byte counts; the rest (text, links) is the same work either way. Peak memory (tracemalloc):
  136 kB ours, 152 kB the library with the adapter.
Where it read more (lower-case "t"/"z" and RFC 822 dates) ours now reads the same, and the faults
the study found in ours are mended: a lone surrogate, a 4,300-digit number, tags as a string, a
byte order mark on a feed served as text/plain.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from aiprogress.core.errors import ParseError
from aiprogress.core.types import ParsedFeed, ParsedItem, content_hash
from aiprogress.sources.text import MAX_SUMMARY_CHARS, html_to_text, without_listing_label

VERSION_PREFIX = "https://jsonfeed.org/version/"

# What one document may hold, counted on its bytes before it is decoded (brackets and commas
# inside strings count too, so the counts can only overstate). Without them a 9 MB list of empty
# objects cost 2.3 s and 212 MB; 2M short strings 144 MB. A real feed holds a few hundred
# containers; prose has a comma every 80 characters or so, 125,000 in 10 MB.
MAX_CONTAINERS = 50_000
MAX_VALUES = 200_000
MAX_ENTRIES = 2_000


_UTF8_BOM = b"\xef\xbb\xbf"
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def looks_like_json_feed(document: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    # Served as text/plain (raw.githubusercontent.com, where the Hugging Face feed lives), a
    # feed is known by its content; json.loads reads past a UTF-8 byte order mark, so may we.
    head = document[:2048].removeprefix(_UTF8_BOM)
    return head.lstrip()[:1] == b"{" and b"jsonfeed.org/version" in head


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    # RFC 3339 allows a lower-case "t" and "z", which fromisoformat does not read.
    text = value.strip().upper().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # Not RFC 3339, as the spec asks: some generators write RSS's RFC 822 dates.
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    # Some generators (Hugging Face Daily Papers' feed among them) leave out the offset;
    # RFC 3339, which JSON Feed requires, would have UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    text = value.strip()
    try:
        text.encode("utf-8")  # ~0.3 µs a kilobyte: cheaper than any search for what it finds
    except UnicodeEncodeError:
        # A lone surrogate, from an escape ("\\ud800") or from raw bytes, both of which json.loads
        # lets through: neither the sanitiser nor the database can take it (it failed the feed).
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text


def parse_json_feed(document: bytes, *, url: str) -> ParsedFeed:
    if document.count(b"{") + document.count(b"[") > MAX_CONTAINERS:
        raise ParseError(f"refused: more than {MAX_CONTAINERS:,} JSON objects and arrays")
    if document.count(b",") > MAX_VALUES:
        raise ParseError(f"refused: more than {MAX_VALUES:,} JSON values")
    try:
        data = json.loads(document)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, and a 4,300-digit number
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
        # The spec asks readers to coerce a numeric id to a string (a bool is no id).
        if isinstance(identifier, int) and not isinstance(identifier, bool):
            identifier = str(identifier)
        guid = _text(identifier)
        if not link and guid.startswith(("http://", "https://")):
            link = guid
        link = urljoin(url, link) if link else ""
        summary_source = (
            _text(entry.get("summary"))
            or _text(entry.get("content_text"))
            or _text(entry.get("content_html"))
        )
        summary = without_listing_label(html_to_text(summary_source), link)[:MAX_SUMMARY_CHARS]
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
                tags=_tags(entry.get("tags")),
            )
        )
    return ParsedFeed(title=html_to_text(_text(data.get("title"))), items=tuple(items))


def _tags(value: Any) -> tuple[str, ...]:
    # A string is not a list of tags (it was read as one tag per character).
    if not isinstance(value, list):
        return ()
    return tuple(tag for t in value if (tag := _text(t)))


def _authors(record: dict[str, Any]) -> tuple[str, ...]:
    people = record.get("authors")
    if not isinstance(people, list):
        single = record.get("author")
        people = [single] if isinstance(single, dict) else []
    return tuple(name for p in people if isinstance(p, dict) and (name := _text(p.get("name"))))
