"""OPML subscription lists in and out.

A source's trust tier and polling interval travel as attributes of its outline, so an export read
back gives the same sources: `category="/official"` (OPML 2.0's own attribute, which other readers
show or ignore) and `aiprogress:tier` / `aiprogress:interval` in a namespace of our own (OPML 2.0
allows namespaced attributes; readers skip what they do not know); `aiprogress:named="feed"` says
the name is the feed's title, which the source keeps following. A file exported before these
attributes existed keeps its tiers too: its outlines sit in folders named after them.

Read with lxml, strictly: a file cut off mid-outline is refused with its line, where a lenient
reader (listparser, used before) would import the outlines before the break and say nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from lxml import etree

from aiprogress.core.errors import InvalidInput
from aiprogress.core.types import MIN_INTERVAL_SECONDS, NewSource, Source, TrustTier

NAMESPACE = "https://github.com/aiprogress/aiprogress#opml"
_TIER = f"{{{NAMESPACE}}}tier"
_INTERVAL = f"{{{NAMESPACE}}}interval"
# "feed" when the name is the feed's title, which the source follows, not a name a user chose.
_NAMED = f"{{{NAMESPACE}}}named"
_TIERS = {tier.value: tier for tier in TrustTier}
_DEFAULT = NewSource(url="")


def _parser() -> etree.XMLParser:
    # No entity is expanded and nothing is fetched: an OPML file is someone else's document.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )


def _attribute(outline: etree._Element, name: str) -> str:
    """An attribute by name, case aside (exporters write xmlUrl, xmlurl and XMLURL)."""
    value = outline.get(name)
    if value is None:
        wanted = name.lower()
        value = next(
            (v for k, v in outline.attrib.items() if isinstance(k, str) and k.lower() == wanted),
            None,
        )
    return (value or "").strip()


def _tier(outline: etree._Element) -> TrustTier:
    """The outline's own tier, else one its categories name, else its nearest folder's."""
    line = outline.sourceline
    own = (outline.get(_TIER) or "").strip().lower()
    if own:
        if own not in _TIERS:
            known = ", ".join(_TIERS)
            raise InvalidInput(f"OPML line {line}: unknown tier {own!r} (one of {known})")
        return _TIERS[own]
    for category in _attribute(outline, "category").split(","):
        for part in category.strip().lower().split("/"):
            if part in _TIERS:
                return _TIERS[part]
    for folder in outline.iterancestors("outline"):
        name = (_attribute(folder, "text") or _attribute(folder, "title")).lower()
        if name in _TIERS:
            return _TIERS[name]
    return _DEFAULT.trust_tier


def _interval(outline: etree._Element) -> int:
    text = (outline.get(_INTERVAL) or "").strip()
    if not text:
        return _DEFAULT.interval_seconds
    if not text.isdigit() or int(text) < MIN_INTERVAL_SECONDS:
        raise InvalidInput(
            f"OPML line {outline.sourceline}: interval {text!r} is not a number of seconds "
            f"of at least {MIN_INTERVAL_SECONDS}"
        )
    return int(text)


def read_opml(document: bytes) -> list[NewSource]:
    """The feeds an OPML file lists (nested folders included), with their tiers and intervals,
    or `InvalidInput` saying what is wrong and where."""
    try:
        root = etree.fromstring(document, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        reason = exc.msg.split(", line ")[0] if exc.msg else "malformed XML"
        raise InvalidInput(
            f"not a readable OPML file: line {line}, column {column}: {reason}"[:300]
        ) from None
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname != "opml":
        raise InvalidInput("not a readable OPML file: no <opml> document found")
    entries: list[NewSource] = []
    for outline in root.iter("outline"):
        url = _attribute(outline, "xmlUrl")
        if not url:
            continue  # a folder, or a link that is not a feed
        name = _attribute(outline, "title") or _attribute(outline, "text")
        entries.append(
            NewSource(
                url=url,
                name="" if name == url else name,
                trust_tier=_tier(outline),
                interval_seconds=_interval(outline),
                name_from_feed=outline.get(_NAMED) == "feed",
            )
        )
    if not entries:
        raise InvalidInput("the OPML file lists no feeds")
    return entries


def write_opml(sources: Sequence[Source], *, created: datetime) -> bytes:
    """Every source as an outline in a folder named after its tier, with its tier and interval
    as attributes."""
    root = etree.Element("opml", version="2.0", nsmap={"aiprogress": NAMESPACE})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "aiprogress sources"
    etree.SubElement(head, "dateCreated").text = created.strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = etree.SubElement(root, "body")
    by_tier: dict[str, etree._Element] = {}
    for source in sources:
        tier = source.trust_tier.value
        if tier not in by_tier:
            by_tier[tier] = etree.SubElement(body, "outline", text=tier, title=tier)
        outline = etree.SubElement(
            by_tier[tier],
            "outline",
            type="rss",
            text=source.label,
            title=source.label,
            xmlUrl=source.url,
            category=f"/{tier}",
        )
        outline.set(_TIER, tier)
        outline.set(_INTERVAL, str(source.interval_seconds))
        if not source.name_from_user:
            outline.set(_NAMED, "feed")
    etree.indent(root)
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
