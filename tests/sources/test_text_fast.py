"""The pattern path of html_to_text against the sanitiser's, which it must equal exactly.

`simple_markup_text` reads a subset of HTML without nh3 and returns None for anything else; where
it answers, its text (whitespace collapsed, as html_to_text returns it) must be nh3's. Compared
here on every fragment of every recorded feed, on the collection bench's feeds, on generated
markup mixing the constructs where HTML parsing is subtle, on every numeric and named character
reference, and on a hand-written list of edge cases. Other tests check that the pattern path
does take the common markup, so that it cannot quietly hand everything to the sanitiser.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from html.entities import html5
from pathlib import Path
from typing import Any

import fastfeedparser
import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiprogress.sources import text
from aiprogress.sources.text import (
    MAX_FRAGMENT_CHARS,
    MAX_SUMMARY_CHARS,
    collapse_whitespace,
    html_to_text,
    sanitised_text,
    simple_markup_text,
    summary_text,
)
from tests.conftest import SNAPSHOT_FEEDS, TEST_DATA

ROOT = Path(__file__).parents[2]


def nh3_text(fragment: str) -> str:
    """html_to_text as it was: every fragment with markup or a reference through the
    sanitiser."""
    if len(fragment) > MAX_FRAGMENT_CHARS:
        fragment = fragment[:MAX_FRAGMENT_CHARS]
    if "<" not in fragment and "&" not in fragment:
        return collapse_whitespace(fragment)
    return collapse_whitespace(sanitised_text(fragment))


def assert_same(fragment: str) -> bool:
    """Both paths give the same text; True when the pattern path took the fragment."""
    fast = simple_markup_text(fragment)
    if fast is not None:
        assert collapse_whitespace(fast) == collapse_whitespace(sanitised_text(fragment)), fragment
    assert html_to_text(fragment) == nh3_text(fragment), fragment
    return fast is not None


# --- (a) every fragment of every recorded feed ------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@cache
def recorded_fragments() -> list[str]:
    """Every title, summary and content value both feed engines read from the recorded feeds
    (the shared fixtures, all copied into the repository), and every string of the JSON
    feeds."""
    fragments: set[str] = set()
    paths = sorted(p for folder in (SNAPSHOT_FEEDS, TEST_DATA) for p in folder.iterdir())
    for path in paths:
        document = path.read_bytes()
        if path.suffix == ".json":
            fragments.update(_strings(json.loads(document)))
            continue
        if path.suffix not in {".rss", ".atom", ".rdf", ".xml"}:
            continue
        reference = feedparser.parse(document, sanitize_html=False, resolve_relative_uris=False)
        fragments.add(reference.feed.get("title") or "")
        for entry in reference.entries:
            fragments.update((entry.get("title") or "", entry.get("summary") or ""))
            fragments.update(c.get("value") or "" for c in entry.get("content") or ())
        for include_content in (False, True):
            parsed = fastfeedparser.parse(
                document,
                include_content=include_content,
                include_media=False,
                include_enclosures=False,
            )
            fragments.update(_strings(parsed.get("feed", {}).get("title") or ""))
            for entry in parsed.get("entries") or ():
                for key in ("title", "description", "content"):
                    fragments.update(_strings(entry.get(key)))
    fragments.discard("")
    return sorted(fragments)


def test_the_recorded_feeds_give_many_fragments() -> None:
    assert len(recorded_fragments()) > 1300
    assert sum(1 for f in recorded_fragments() if "<" in f) > 100


def test_recorded_fragments_read_alike() -> None:
    taken = sum(
        assert_same(fragment)
        for fragment in recorded_fragments()
        if "<" in fragment or "&" in fragment
    )
    # Tables, inline SVG, <meta>/<style> in a description and XHTML wrappers go to the
    # sanitiser; paragraphs, links, lists, code, Reddit's comments and entities do not.
    assert taken >= 120


# --- (b) the collection bench's feeds ---------------------------------------------------------


def bench_make_feed() -> Callable[[int, int], tuple[bytes, object]]:
    """bench/collect.py's `make_feed`, loaded from its file (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_collect", ROOT / "bench" / "collect.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    make_feed: Callable[[int, int], tuple[bytes, object]] = module.make_feed
    return make_feed


_BENCH_FIELD = re.compile(r"<(title|description)>(.*?)</\1>", re.DOTALL)


def bench_fragments(feeds: int) -> list[str]:
    """The titles and descriptions of the bench's first feeds, as a feed parser reads them (the
    bench writes them escaped, without CDATA)."""
    make_feed = bench_make_feed()
    fragments = []
    for index in range(feeds):
        document = make_feed(index, 20)[0].decode()
        fragments += [html.unescape(m.group(2)) for m in _BENCH_FIELD.finditer(document)]
    return fragments


def test_bench_fragments_read_alike_and_all_take_the_pattern_path() -> None:
    fragments = bench_fragments(60)
    summaries = [f for f in fragments if "<" in f]
    assert len(summaries) == 60 * 20
    assert len(fragments) == 60 * (20 * 2 + 2)  # and each channel's title and description
    for fragment in fragments:
        assert_same(fragment)
    assert all(simple_markup_text(summary) is not None for summary in summaries)


def test_long_markup_is_read_in_chunks_alike() -> None:
    # Markup longer than two chunks is read a chunk at a time, each cut before a "<": whatever
    # sits at a cut (a tag, a comment, a "<" inside an attribute, a table), both paths agree.
    summaries = [f for f in bench_fragments(3) if "<" in f]
    long = "\n".join(summaries)
    assert len(long) > 4 * text._CHUNK_CHARS
    assert simple_markup_text(long) is not None
    assert_same(long)
    inserts = [
        "<table><tr><td>x</td></tr></table>",
        '<a title="<b>">t</a>',
        "<!-- <p> -->",
        "<pre>\nx</pre>",
        "a < b",
        "<script>x</script>",
        "&amp",
    ]
    for offset in range(text._CHUNK_CHARS - 200, text._CHUNK_CHARS + 400, 9):
        for insert in inserts:
            assert_same(long[:offset] + insert + long[offset:])
    # A table far into the markup sends it to the sanitiser.
    assert simple_markup_text(long + "<table><td>x</td></table>") is None


# --- (c) generated markup ---------------------------------------------------------------------

_NAMES = [*text._PLAIN_ELEMENTS, "pre", "P", "Em", "table", "td", "tr", "script", "style"]
_NAMES += ["textarea", "title", "svg", "math", "select", "option", "listing", "xmp", "iframe"]
_NAMES += ["noscript", "template", "plaintext", "body", "html", "head", "frameset", "nobr"]
_NAMES += ["ruby", "rt", "button", "form", "image", "foo", "my-el", "a1", "h7", "br/"]

_ATTRIBUTES = st.sampled_from(
    [
        "",
        ' href="https://e.org/a?b=1&amp;c=2"',
        " class='x'",
        ' title="a>b"',
        " title='<p>'",
        ' alt=""',
        " href=/x/",
        " href=x?y=1&z",
        " data-x=1",
        " disabled",
        '  id = "x"',
        ' a="1"b="2"',
        " =x",
        ' x="\x00"',
        '\n\tclass="y"',
        " /",
        "\x0bx=1",
        ' a="unterminated',
    ]
)


@st.composite
def _tags(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_NAMES))
    kind = draw(st.sampled_from(["start", "end", "self", "end-space"]))
    if kind == "end":
        return f"</{name}>"
    if kind == "end-space":
        return f"</{name} >"
    attributes = "".join(draw(st.lists(_ATTRIBUTES, max_size=2)))
    return f"<{name}{attributes}{'/' if kind == 'self' else ''}>"


_TEXT = st.sampled_from(
    [
        "word",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\x0c",
        "\x0b",
        "\x1c",
        "\x00",
        "\xa0",
        "\u2003",
        "\u200b",
        "\ufeff",
        "é",
        "日本",
        "🙂",
        ">",
        "<",
        "< ",
        "<3",
        "a<b",
        "</>",
        "</ x>",
        "<!-- c -->",
        "<!---->",
        "<!-->",
        "<!--->",
        "<!-- a -- b -->",
        "<!-- <p> -->",
        "<!--x--!>",
        "<!doctype html>",
        "<![CDATA[x]]>",
        "<?php x ?>",
        "=",
        '"',
        "'",
        "/",
        ";",
        "#",
        "x",
    ]
)

_REFERENCES = st.sampled_from(
    [
        "&amp;",
        "&amp",
        "&AMP;",
        "&lt;",
        "&gt",
        "&nbsp;",
        "&nbsp",
        "&hellip;",
        "&hellip",
        "&notin;",
        "&notit;",
        "&ampamp;",
        "&copy2",
        "&eacute;",
        "&quot;",
        "&apos;",
        "&unknown;",
        "&",
        "& ",
        "&;",
        "&#",
        "&#;",
        "&#x;",
        "&#0;",
        "&#1;",
        "&#9;",
        "&#10;",
        "&#13;",
        "&#31;",
        "&#65",
        "&#65;",
        "&#x41;",
        "&#X41",
        "&#x7f;",
        "&#x80;",
        "&#x81;",
        "&#x9f;",
        "&#xa0;",
        "&#xD800;",
        "&#xDFFF;",
        "&#xFDD0;",
        "&#xFFFE;",
        "&#x1FFFF;",
        "&#x10FFFF;",
        "&#x110000;",
        "&#8217;",
        "&#128512;",
        "&#00000065;",
        "&#999999999999;",
        "&#x" + "0" * 20 + "41;",
    ]
)

_PIECE = st.one_of(_TEXT, _TEXT, _REFERENCES, _tags(), _tags(), st.text(max_size=3))
_MARKUP = st.lists(_PIECE, max_size=24).map("".join)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKUP)
def test_generated_markup_reads_alike(fragment: str) -> None:
    assert_same(fragment)


# Markup from the subset only, so that the comparison above is not mostly of fallbacks.
_PLAIN_TAGS = st.builds(
    lambda name, close, attrs: f"</{name}>" if close else f"<{name}{attrs}>",
    st.sampled_from([*text._PLAIN_ELEMENTS, "pre"]),
    st.booleans(),
    st.sampled_from(["", ' href="https://e.org/?a=1&amp;b=2"', " class='c'", " alt=x/"]),
)
_PLAIN_TEXT = st.sampled_from(
    ["word", " ", "\n", "\r\n", "\t", "&amp;", "&#8217;", "&nbsp;", "&amp", "é", ">", "<!-- x -->"]
)
_PLAIN_MARKUP = st.lists(st.one_of(_PLAIN_TAGS, _PLAIN_TEXT), max_size=30).map("".join)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PLAIN_MARKUP)
def test_generated_simple_markup_reads_alike(fragment: str) -> None:
    assert_same(fragment)


def test_generated_simple_markup_mostly_takes_the_pattern_path() -> None:
    examples: list[str] = []

    @settings(max_examples=500, deadline=None, database=None)
    @given(_PLAIN_MARKUP)
    def collect(fragment: str) -> None:
        examples.append(fragment)

    collect()
    taken = [f for f in examples if simple_markup_text(f) is not None]
    # Only a <pre> followed by a newline or a reference sends these to the sanitiser.
    assert len(taken) >= 0.8 * len(examples)


# --- every character reference ----------------------------------------------------------------


def test_numeric_references_differ_only_where_the_pattern_path_refuses_them() -> None:
    # html5ever decodes every numeric reference to one character: one sanitiser call reads
    # a block of them, the i-th character of its text is the i-th reference's.
    step = 0x10000
    for start in range(0, 0x110000 + step, step):
        codes = range(start, min(start + step, 0x110010))
        expected = sanitised_text("".join(f"&#x{code:x};" for code in codes))
        assert len(expected) == len(codes)
        for code, character in zip(codes, expected, strict=True):
            differs = html.unescape(f"&#x{code:x};") != character
            assert differs == text._unescape_differs(code), hex(code)


@pytest.mark.parametrize("follower", ["", "x", ";", "=", " ", "1", "<b>"])
def test_every_named_reference_reads_alike(follower: str) -> None:
    for name in html5:
        assert_same(f"a&{name}{follower}b")
        if name.endswith(";"):
            assert_same(f"a&{name[:-1]}{follower}b")


# --- (d) edge cases ---------------------------------------------------------------------------

EDGE_CASES: list[tuple[str, str, bool]] = [
    # fragment, nh3's text, whether the pattern path takes it
    ("<p>a</p><p>b</p>", "ab", True),  # no space between blocks
    ("a<br>b", "ab", True),
    ("a<br/>b<br />c</br>d", "abcd", True),
    ("a&nbsp;b", "a b", True),
    ("&amp x", "& x", True),
    ("AT&T", "AT&T", True),
    ("&#0;", "\ufffd", True),
    ("&#x80;", "€", True),
    ("&#xD800;", "\ufffd", True),
    ("&#x110000;", "\ufffd", True),
    ("&#1;x", "\x01x", False),  # html.unescape drops it; html5ever keeps it
    ("&#x7f;", "\x7f", False),
    ("a < b", "a < b", False),
    ("a<3", "a<3", False),
    ("x<", "x<", False),
    ("<p>a", "a", True),
    ("<a title='x>y'>t</a>", "t", True),
    ('<a title="x<y">t</a>', "t", True),
    ("<P>A</P>", "A", False),
    ("</p >x", "x", True),
    ("<p>a\x00b</p>", "ab", False),
    ("a\r\nb", "a b", True),
    ("<pre>\nx</pre>", "x", False),
    ("a<pre>\nb</pre>", "ab", False),
    ("a<pre>&#10;b</pre>", "ab", False),
    ("a<pre> b</pre>", "a b", True),
    ("a<pre><b>\nc</b></pre>", "a c", True),
    ("a<textarea>\nb</textarea>", "ab", False),
    ("</>x", "x", False),
    ("<!--c-->x", "x", True),
    ("a<!-- SC_OFF -->b", "ab", True),
    ("a<!-->b", "ab", False),
    ("a<!--->b", "ab", False),
    ("a<!-- x -- y -->b", "ab", False),
    ("<b>1<div>2</b>3</div>", "123", True),
    ("<a>1<p>2</a>3</p>", "123", True),
    ("<table>x<tr>y</tr></table>", "xy", False),
    ("a<table><td>b</td></table>c", "abc", False),
    ("<a/b>x", "x", False),
    ("<p\x0bq>x", "x", False),
    ("<?x>y", "y", False),
    ("<script>alert(1)</script>x", "x", False),
    ("<style>p{}</style>x", "x", False),
    ("<svg><title>t</title></svg>x", "x", False),
    ("<select><option>o</select>x", "ox", False),
    ("&notin x &notit; &ampamp;", "¬in x ¬it; &amp;", True),
    ("<p>caf&eacute; &amp; cr&egrave;me &#8212; &lt;tag&gt;</p>", "café & crème — <tag>", True),
    ("<img src='x.png' alt='no text'/>\n\t  spaced   out\n", "spaced out", True),
    ('<a href="https://e.org/?a=1&b=2">l</a>', "l", True),
    ("<a href=https://e.org/x/>l</a>", "l", True),
    ("<ul><li>a</li><li>b</li></ul>", "ab", True),
    ("<h1>T</h1><p>x <em>y</em> <strong>z</strong>.</p>", "Tx y z.", True),
    ("<unknown>x</unknown>", "x", False),
    ("\ufeff<p>x</p>", "x", False),  # a byte order mark at the start is dropped
    ("<p>\ufeffx", "\ufeffx", True),
]


@pytest.mark.parametrize(("fragment", "expected", "taken"), EDGE_CASES)
def test_edge_cases(fragment: str, expected: str, taken: bool) -> None:
    assert nh3_text(fragment) == expected
    assert html_to_text(fragment) == expected
    assert (simple_markup_text(fragment) is not None) == taken
    assert_same(fragment)


def test_markup_full_of_references_goes_to_the_sanitiser() -> None:
    few = "<p>" + "caf&eacute; &#8217; " * 10 + "</p>"
    many = "<p>" + "caf&eacute; &#8217; " * 20 + "</p>"
    assert simple_markup_text(few) is not None
    assert simple_markup_text(many) is None
    assert_same(few)
    assert_same(many)


def test_a_lone_surrogate_still_raises_as_the_sanitiser_does() -> None:
    for fragment in ("<p>\ud800</p>", '<a title="\udfff">x</a>'):
        assert simple_markup_text(fragment) is None
        with pytest.raises(UnicodeEncodeError):
            html_to_text(fragment)


# --- the summary's limits ---------------------------------------------------------------------


def test_long_simple_markup_is_cut_as_before() -> None:
    paragraph = "<p>Some <a href='https://e.org/?a=1&amp;b=2'>words</a>, more words.</p>\n"
    for repeat in (10, 100, 1000):
        fragment = paragraph * repeat
        assert simple_markup_text(fragment) is not None
        assert html_to_text(fragment) == nh3_text(fragment)
        expected = nh3_text(fragment)[:MAX_SUMMARY_CHARS]
        assert summary_text(fragment) == expected
    assert len(fragment) > MAX_FRAGMENT_CHARS
    assert len(summary_text(fragment)) == MAX_SUMMARY_CHARS
