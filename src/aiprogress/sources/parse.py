"""Feed parsing, normalised to `core` types.

Two engines read RSS 2.0, RSS 1.0/RDF and Atom. feedparser is the reference: pure Python, too slow
to be the collector's only parser (bench/collect.py runs both). fastfeedparser (lxml plus a small
compiled core) takes the hot path; `tests/sources/test_parser_conformance.py` shows that on every
recorded feed both engines give the same titles, links, ids and dates, and lists each known
difference with why it is acceptable. Whatever the fast engine refuses or finds empty is read again
by feedparser, so a feed that only the lenient reference understands is still read, and its error
message (when it has one) is the one shown. Before either engine, a document passes limits
(nesting, element and attribute counts, no entity declarations, a size for broken XML; see "limits"
below) that bound what one hostile feed costs; a refusal is a ParseError that names the limit.
"""

from __future__ import annotations

import calendar
import re
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin
from xml.sax import SAXException

from aiprogress.core.errors import ParseError
from aiprogress.core.types import ParsedFeed, ParsedItem, content_hash
from aiprogress.sources.jsonfeed import looks_like_json_feed, parse_json_feed
from aiprogress.sources.text import html_to_text, summary_text, without_listing_label


class ParserEngine(StrEnum):
    FAST = "fast"  # fastfeedparser, falling back to feedparser
    REFERENCE = "feedparser"


def parse_feed(
    document: bytes,
    *,
    url: str,
    content_type: str | None = None,
    engine: ParserEngine = ParserEngine.FAST,
) -> ParsedFeed:
    """RSS 2.0, RSS 1.0/RDF, Atom or JSON Feed, told apart by content."""
    if looks_like_json_feed(document, content_type):
        return parse_json_feed(document, url=url)
    return parse_checked_xml(
        document, url=url, content_type=content_type, well_formed=check_xml(document), engine=engine
    )


def check_xml(document: bytes) -> bool:
    """The limits check `parse_feed` runs on a document that is not a JSON Feed: whether it is
    well-formed XML; raises ParseError (refused, naming the limit) when it breaks one. It is
    libxml2 reading the whole document with the GIL released, nearly all of it: a fetcher may
    run it on a thread beside its event loop, then hand the answer to `parse_checked_xml`."""
    return _well_formed(document)


def parse_checked_xml(
    document: bytes,
    *,
    url: str,
    content_type: str | None = None,
    well_formed: bool,
    engine: ParserEngine = ParserEngine.FAST,
) -> ParsedFeed:
    """`parse_feed` of a document that is not a JSON Feed, once `check_xml` passed it."""
    # Both engines read only what passed the limits; a refusal names the limit.
    if engine is ParserEngine.FAST and well_formed:
        feed = _parse_fast(document, url=url)
        if feed is not None:
            return feed
    if not well_formed:
        document = _first_entries(document)
    return _parse_reference(document, url=url, content_type=content_type)


# --- shared normalisation ---------------------------------------------------------------------


def _item(
    entry: Mapping[str, Any], *, url: str, summary_html: str, published_at: datetime | None
) -> ParsedItem | None:
    """An entry's item. Both engines name its id, link, title, authors and tags alike; its
    summary and date, which they give differently, come from the caller."""
    # fastfeedparser fills a missing id with the link, as the fallback below does.
    get = entry.get
    guid: str = get("id") or ""
    link: str = get("link") or ""
    title = html_to_text(get("title") or "")
    authors: Iterable[Mapping[str, Any]] = get("authors") or ()
    tags: Iterable[Mapping[str, Any]] = get("tags") or ()
    if link:
        link = link.strip()
        # Most feeds give absolute links; urljoin would return them as they are, only slower.
        if not link.startswith(("https://", "http://")) or "/." in link:
            link = urljoin(url, link)
    summary = without_listing_label(summary_text(summary_html), link) if summary_html else ""
    if not title and not link and not summary:
        return None
    # Positional, in the fields' order: a first pass builds one for each of its items.
    return ParsedItem(
        guid.strip() or link or content_hash(title, link, summary),
        link or url,
        title or summary[:120] or link,
        summary,
        published_at,
        tuple(name for a in authors if (name := (a.get("name") or "").strip())) if authors else (),
        tuple(term for t in tags if (term := (t.get("term") or "").strip())) if tags else (),
    )


def _summary_html(summary: str | None, contents: Iterable[Mapping[str, Any]] | None) -> str:
    """An entry's summary, else the first of its contents that has a value."""
    if summary:
        return summary
    for content in contents or ():
        text: str = content.get("value") or ""
        if text:
            return text
    return ""


# --- the fast engine --------------------------------------------------------------------------


def _iso_utc(value: Any) -> datetime | None:
    # fastfeedparser normalises every date it understands to ISO 8601 in UTC.
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- limits: what one hostile document may cost ----------------------------------------------
# Measured before these limits, on one 1.4 MB feed nested 200,000 deep: 3.5 s of CPU and 87 MB in
# feedparser; 1M empty elements: 121 MB; 100,000 items: 168 MB; 300,000 attributes on one
# element: over a minute in fastfeedparser (its cost grows with their square). Each limit below is
# far above what real feeds use (the recorded ones: at most 1,800 elements, 7 levels, 255 items).

# libxml2's own limit when its "huge" mode is off, as it is for the check below.
MAX_DEPTH = 256
MAX_ELEMENTS = 50_000
MAX_ATTRIBUTES = 64  # on one element
# Entries read from one feed, in document order (feeds list the newest first).
MAX_ENTRIES = 2_000
# feedparser reads broken XML at about 0.5 MB/s (more slowly when deeply nested): larger broken
# documents would cost more than the half second of CPU a feed may.
LENIENT_MAX_BYTES = 256 * 1024
# feedparser is slower still on deep nesting (250 KB nested 250 deep: 0.8 s); real feeds nest at
# most 7 levels, XHTML content a few more.
LENIENT_MAX_DEPTH = 32
# and it spends 20-40 µs on each element (the recorded feeds have at most 1,800).
LENIENT_MAX_ELEMENTS = 8_000
# Smaller documents are checked in one call (at most ~16,000 elements fit, "<a/>" each, fewer
# than MAX_ELEMENTS); larger ones as a stream of events, so that the check never holds a big tree.
_STREAM_CHECK_BYTES = 64 * 1024

# A start tag this long holds thousands of attributes, which libxml2 stores at ~300 bytes each
# before any count of ours can see them (300,000 attributes: 100 MB). Comments, CDATA and
# processing instructions ("<!", "<?") are not tags.
MAX_TAG_BYTES = 64 * 1024
_LONG_TAG = re.compile(rb"<[^<>!?][^<>]{%d}" % (MAX_TAG_BYTES - 1))
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[")
_HTML_PAGE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


def _refuse(reason: str) -> ParseError:
    return ParseError(f"refused: {reason}"[:300])


def _declares_entities(document: bytes) -> bool:
    """An internal DTD subset with entity declarations: what entity-expansion attacks need and
    no feed does. Refused before any parser sees it, whatever the parser would do with it."""
    if b"<!DOCTYPE" not in document:
        return False  # most feeds: a byte search is several times faster than the pattern's
    subset = _DOCTYPE_SUBSET.search(document)
    if subset is None:
        return False
    end = document.find(b"]>", subset.end())
    return b"<!ENTITY" in document[subset.end() : end if end >= 0 else None]


_xml_parsers = threading.local()  # an lxml parser may not be shared between threads


def _strict_parser() -> Any:
    from lxml import etree

    parser = getattr(_xml_parsers, "strict", None)
    if parser is None:
        # No entity is expanded, nothing is fetched, no "huge" mode: a check, not a reading.
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )
        _xml_parsers.strict = parser
    return parser


def _over_limits(error: Exception) -> str | None:
    """The refusal for an lxml error that is one of its size limits, else None."""
    text = str(error)
    if "Excessive depth" in text:
        return f"XML nested more than {MAX_DEPTH} levels deep"
    if "XML_PARSE_HUGE" in text or "huge" in text.lower() or "amplification" in text:
        return f"over the XML parser's size limits ({text})"
    return None


def _count(elements: Iterable[Any], limit: int = MAX_ELEMENTS, what: str = "") -> None:
    for count, element in enumerate(elements, start=1):
        if count > limit:
            raise _refuse(f"{what}more than {limit:,} XML elements")
        if len(element.attrib) > MAX_ATTRIBUTES:
            raise _refuse(f"an XML element with more than {MAX_ATTRIBUTES} attributes")


def _well_formed(document: bytes) -> bool:
    """Whether the document is well-formed XML within the limits; raises ParseError (refused,
    with the reason) when it breaks a limit, broken or not."""
    from lxml import etree

    if _declares_entities(document):
        raise _refuse("the document declares XML entities (<!ENTITY …>), which feeds never need")
    try:
        if len(document) <= _STREAM_CHECK_BYTES:
            root = etree.fromstring(document, parser=_strict_parser())
            # A document this small holds fewer than MAX_ELEMENTS elements, and one with no
            # more "=" than MAX_ATTRIBUTES has no element over that many attributes (each
            # attribute has one): then nothing is left to count (a fifth of the check).
            if document.count(b"=") > MAX_ATTRIBUTES:
                _count(root.iter())
        else:
            if _LONG_TAG.search(document):
                raise _refuse(f"an XML tag longer than {MAX_TAG_BYTES:,} bytes")
            _check_stream(document)
        return True
    except etree.XMLSyntaxError as exc:
        broken = exc
    reason = _over_limits(broken)
    if reason is not None:
        raise _refuse(reason)
    if _HTML_PAGE.match(document):
        raise ParseError("not an RSS, Atom or JSON feed: an HTML page")
    if len(document) > LENIENT_MAX_BYTES:
        raise _refuse(
            f"malformed XML ({broken}) in a document of {len(document):,} bytes; broken "
            f"documents are read only up to {LENIENT_MAX_BYTES:,} bytes"
        )
    # feedparser will read it: first the limits over what a recovering parser sees, since the
    # strict one stopped at the first error.
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(document, parser=parser)
    except etree.XMLSyntaxError:
        root = None  # nothing at all to recover: feedparser's error message says what it is
    for entry in parser.error_log:
        reason = _over_limits(Exception(entry.message))
        if reason is not None:
            raise _refuse(reason)
    if root is not None:
        _count(root.iter(), LENIENT_MAX_ELEMENTS, f"malformed XML ({broken}) with ")
        if root.xpath("boolean(/*" + "/*" * LENIENT_MAX_DEPTH + ")"):
            raise _refuse(f"malformed XML ({broken}) nested more than {LENIENT_MAX_DEPTH} deep")
    return False


def _check_stream(document: bytes) -> None:
    from lxml import etree

    events = etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )

    def started() -> Iterable[Any]:
        for offset in range(0, len(document), _STREAM_CHECK_BYTES):
            events.feed(document[offset : offset + _STREAM_CHECK_BYTES])
            for event, element in events.read_events():
                if event == "start":
                    yield element
                else:
                    element.clear()  # the check keeps no tree
        events.close()

    _count(started())


def _parse_fast(document: bytes, *, url: str) -> ParsedFeed | None:
    """None when feedparser should have the last word: an error, or no entries found."""
    # Imported here so that a process which never parses a feed does not load lxml.
    import fastfeedparser

    def parse(*, include_content: bool) -> Any:
        # Always bytes: given a str that looks like a URL, fastfeedparser would fetch it.
        return fastfeedparser.parse(
            bytes(document),
            include_content=include_content,
            include_media=False,
            include_enclosures=False,
        )

    # Broken XML never comes here: it is feedparser's to judge, which reads what it can and,
    # when that is nothing, we report the document as malformed. fastfeedparser would recover
    # silently and may turn a truncated entry into an item.
    try:
        # Without content, "description" is the entry's own summary (RSS description, Atom
        # summary) as feedparser's "summary" is; with content, fastfeedparser would fill a
        # missing one with a cut of the content converted to text.
        parsed = parse(include_content=False)
        entries = (parsed.get("entries") or [])[:MAX_ENTRIES]
        if not entries:
            return None
        contents: list[Any] = [None] * len(entries)
        if any(not entry.get("description") for entry in entries):
            # Some entries have only content (GitHub releases, Atom with xhtml content):
            # read it the way feedparser does, as HTML.
            with_content = parse(include_content=True).entries[:MAX_ENTRIES]
            contents = [entry.get("content") for entry in with_content]
            if len(contents) != len(entries):
                return None
    except Exception:  # any refusal means "ask the reference parser"
        return None
    items = []
    for entry, content in zip(entries, contents, strict=True):
        get = entry.get
        moment = get("published") or get("updated")
        item = _item(
            entry,
            url=url,
            summary_html=get("description") or _summary_html(None, content),
            published_at=_iso_utc(moment) if moment else None,
        )
        if item is not None:
            items.append(item)
    title = (parsed.get("feed") or {}).get("title") or ""
    return ParsedFeed(title=html_to_text(title), items=tuple(items))


# --- the reference engine ---------------------------------------------------------------------

# The start tag of an RSS item or an Atom entry, unprefixed, as broken feeds write them.
_ENTRY_TAG = re.compile(rb"<(?:item|entry)[\s>/]")


def _first_entries(document: bytes) -> bytes:
    """A broken document cut just before its entry after the first MAX_ENTRIES: feedparser's
    lenient parser spends ~60 µs on each element, and entries past the cap would be dropped
    after being read (2,660 items: a quarter of the CPU). The lenient parser reads a document
    cut short as it reads one left unclosed."""
    if document.count(b"<item") + document.count(b"<entry") <= MAX_ENTRIES:
        return document  # most documents: two byte counts and nothing to cut
    for count, tag in enumerate(_ENTRY_TAG.finditer(document), start=1):
        if count > MAX_ENTRIES:
            return document[: tag.start()]
    return document


def _struct_utc(parsed: time.struct_time | None) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError):
        return None


def _looks_like_feed(parsed: Any) -> bool:
    version = parsed.get("version") or ""
    return bool(version) or bool(parsed.entries)


def _parse_reference(document: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # html_to_text keeps only the text of an entry's markup, so neither feedparser's sanitising
    # nor its resolving of the URIs inside that markup (a second parse of all of it: half the CPU
    # of a broken document with 8,000 elements in one description) changes what is stored.
    # Links, ids and xml:base are still resolved against the document's location.
    parsed = feedparser.parse(
        document, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not _looks_like_feed(parsed):
        reason = parsed.get("bozo_exception")
        detail = f": {type(reason).__name__}: {reason}" if reason else ""
        raise ParseError(f"not an RSS, Atom or JSON feed{detail}"[:300])
    items = [
        item
        for entry in parsed.entries[:MAX_ENTRIES]
        if (
            item := _item(
                entry,
                url=url,
                summary_html=_summary_html(entry.get("summary"), entry.get("content")),
                published_at=_struct_utc(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
            )
        )
        is not None
    ]
    reason = parsed.get("bozo_exception")
    if not items and isinstance(reason, SAXException):
        # Broken XML that yielded nothing usable is an error to show, not an empty feed.
        # Broken XML that still yielded entries is read, as feed readers do.
        raise ParseError(f"malformed feed: {reason}"[:300])
    return ParsedFeed(title=html_to_text(parsed.feed.get("title") or ""), items=tuple(items))
