"""Hostile feeds, built here (they are attacks, not recordings): each names the refusal it must
get, or None when it is to be read. Shared by tests/sources/test_hostile.py and the collection
bench. Each was measured before the parser's limits (see sources/parse.py): the worst cost 3.5 s
of CPU, 280 MB, or over a minute."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_HEAD = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
_TAIL = b"</channel></rss>"
_BROKEN = b"<item><title>a & b</title></item>"  # a bare ampersand: not well-formed XML


def _item(number: int, extra: bytes = b"") -> bytes:
    return b"<item><title>x%d</title><link>https://e.org/%d</link>%s</item>" % (
        number,
        number,
        extra,
    )


def _rss(*parts: bytes) -> bytes:
    return _HEAD + b"".join(parts) + _TAIL


def _nested(depth: int, total_bytes: int) -> bytes:
    block = b"<a>" * depth + b"</a>" * depth
    return block * max(1, total_bytes // len(block))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://example.org/a</link></item>
</channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&xxe;</title><link>https://example.org/a</link></item>
</channel></rss>"""

_JSON_HEAD = b'{"version":"https://jsonfeed.org/version/1.1","items":'
_ARTICLE = (
    b"<description>"
    + (
        b"&lt;p&gt;Some words of an article, with a &lt;a href='https://e.org/x'&gt;link&lt;/a&gt;."
        b"&lt;/p&gt;" * 50
    )
    + b"</description>"
)


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[], bytes]
    refusal: str | None  # the start of the ParseError's message; None: read, within the costs


CORPUS = (
    Hostile(
        "billion laughs", lambda: BILLION_LAUGHS, "refused: the document declares XML entities"
    ),
    Hostile(
        "external entity", lambda: EXTERNAL_ENTITY, "refused: the document declares XML entities"
    ),
    Hostile(
        "quadratic blow-up",
        lambda: (
            b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a '"
            + b"x" * 100_000
            + b"'>]>"
            + _rss(_item(0, b"<description>" + b"&a;" * 20_000 + b"</description>"))[21:]
        ),
        "refused: the document declares XML entities",
    ),
    Hostile(
        "200,000 levels deep",
        lambda: _rss(_item(0, b"<description>" + _nested(200_000, 1) + b"</description>")),
        "refused: XML nested more than 256 levels deep",
    ),
    Hostile(
        "broken and 200,000 levels deep",
        lambda: _rss(_BROKEN, _item(0, b"<description>" + _nested(200_000, 1) + b"</description>")),
        "refused: malformed XML",
    ),
    Hostile(
        "broken and 250 levels deep, 250 KB",
        lambda: _rss(_BROKEN, _item(0, _nested(250, 250_000))),
        "refused: malformed XML",
    ),
    Hostile(
        "1,000,000 empty elements",
        lambda: _rss(_item(0, b"<description>" + b"<b/>" * 1_000_000 + b"</description>")),
        "refused: more than 50,000 XML elements",
    ),
    Hostile(
        "100,000 items",
        lambda: _rss(*(_item(i) for i in range(100_000))),
        "refused: more than 50,000 XML elements",
    ),
    Hostile(
        "700,000 XHTML elements",
        lambda: (
            b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
            b"<entry><title>x</title><id>1</id><content type='xhtml'>"
            b"<div xmlns='http://www.w3.org/1999/xhtml'>"
            + b"<b>y</b>" * 700_000
            + b"</div></content></entry></feed>"
        ),
        "refused: more than 50,000 XML elements",
    ),
    Hostile(
        "300,000 attributes on one element",
        lambda: _rss(_item(0, b"<x " + b" ".join(b"a%d='1'" % i for i in range(300_000)) + b"/>")),
        "refused: an XML tag longer than",
    ),
    Hostile(
        "1,000 attributes on one element",
        lambda: _rss(_item(0, b"<x " + b" ".join(b"a%d='1'" % i for i in range(1_000)) + b"/>")),
        "refused: an XML element with more than 64 attributes",
    ),
    Hostile(
        "broken, 9 MB",
        lambda: _rss(
            *(
                _item(i, b"<description>a & b " + b"w " * 400 + b"</description>")
                for i in range(10_000)
            )
        ),
        "refused: malformed XML",
    ),
    Hostile(
        "broken, 8,000 elements",
        lambda: _rss(_BROKEN, _item(0, b"<description>" + b"<b/>" * 7_990 + b"</description>")),
        None,
    ),
    Hostile(
        "broken, 9,000 elements",
        lambda: _rss(_BROKEN, _item(0, b"<description>" + b"<b/>" * 9_000 + b"</description>")),
        "refused: malformed XML",
    ),
    Hostile("broken, 2,660 items", lambda: _rss(_BROKEN, *(_item(i) for i in range(2_660))), None),
    Hostile(
        "an 8 MB description",
        lambda: _rss(_item(0, b"<description>" + b"&lt;p&gt;word " * 600_000 + b"</description>")),
        None,
    ),
    Hostile(
        "10 MB of articles",
        lambda: _rss(*(_item(i, _ARTICLE) for i in range(10_000_000 // (len(_ARTICLE) + 60)))),
        None,
    ),
    Hostile(
        "an HTML page",
        lambda: (
            b"<!doctype html><html><head><title>x</title></head><body>"
            + b"<p>text & more</p>" * 50_000
            + b"</body></html>"
        ),
        "not an RSS, Atom or JSON feed: an HTML page",
    ),
    Hostile(
        "JSON nested 5,000,000 deep",
        lambda: _JSON_HEAD + b"[" * 5_000_000 + b"]" * 5_000_000 + b"}",
        "refused: more than 50,000 JSON objects and arrays",
    ),
    Hostile(
        "JSON nested 20,000 deep",
        lambda: _JSON_HEAD + b"[" * 20_000 + b"]" * 20_000 + b"}",
        "refused: JSON nested too deeply",
    ),
    Hostile(
        "JSON of 3,000,000 objects",
        lambda: _JSON_HEAD + b"[" + b"{}," * 3_000_000 + b"{}]}",
        "refused: more than 50,000 JSON objects and arrays",
    ),
    Hostile(
        "JSON of 2,000,000 strings",
        lambda: _JSON_HEAD + b'[{"title":"x"}], "x":[' + b'"ab",' * 2_000_000 + b'"a"]}',
        "refused: more than 200,000 JSON values",
    ),
)
