"""Feed HTML to plain text: common, simple markup read by a pattern whose result the sanitiser
library's is shown to equal, anything else by the sanitiser itself."""

from __future__ import annotations

import html
import re

import nh3

# Summaries are for a digest line, not for archiving articles.
MAX_SUMMARY_CHARS = 2000
# Only this much of a fragment's HTML is read: a summary keeps 2,000 characters of text, and a
# hostile feed's 8 MB description cost the sanitiser 260 MB and 0.4 s for nothing.
MAX_FRAGMENT_CHARS = 64 * 1024
# A summary's markup is first read only this far: feed summaries hold their 2,000 characters of
# text within it (markup is rarely more than four times its text), and a full-content feed's
# 20 KB articles then cost a quarter as much to sanitise. Markup whose text falls short is read
# again, up to MAX_FRAGMENT_CHARS, so no summary is shorter than before.
SUMMARY_PREFIX_CHARS = 8 * 1024
# The end of a cut may be part of a tag or an entity ("&am" reads as text): the text a cut gives
# is trusted only this far short of its end.
_CUT_MARGIN = 64

# nh3 (ammonia) drops every tag and the content of script/style. One Cleaner is built once and
# shared (it is immutable and safe across threads): building the rule set costs as much as
# cleaning a typical summary.
_TAG_STRIPPER = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})

# --- simple markup, read without the sanitiser ------------------------------------------------
# Ammonia parses a fragment as html5ever does (the HTML standard's tokenizer and tree builder, a
# <div> as context), keeps the text nodes in document order and drops every element and comment.
# For the subset below, that text is the fragment with its tags cut out and its character
# references decoded: the tokenizer ends each tag where the pattern does, and none of these
# elements moves, drops or adds text in the tree builder. Left to the sanitiser: raw-text and
# RCDATA elements (script, style, textarea, title, xmp, iframe, noembed, noframes, noscript,
# plaintext), template, svg and math (foreign content), tables (text is moved before the table),
# select, ruby, listing, every element not named here, and uppercase names; doctypes, CDATA,
# "<?", "</" without a name and comments other than "<!--" text without "--" "-->"; any "<"
# outside a tag; NUL; a leading byte order mark; a newline right after <pre>; unquoted attribute
# values beyond URL characters and attribute syntax the pattern does not spell out.
# tests/sources/test_text_fast.py holds the two paths equal on every recorded feed, on the
# bench's feeds, on generated markup and on every character reference. A bench summary costs
# about a third of the sanitiser's instructions.
# The most frequent first: the alternation below tries first letters in this order.
_PLAIN_ELEMENTS = (
    "p", "a", "li", "ul", "ol", "em", "strong", "b", "i", "u", "s", "code", "span", "div", "br",
    "img", "hr", "blockquote", "figure", "figcaption", "cite", "sup", "sub", "small", "abbr", "q",
    "del", "ins", "mark", "kbd", "samp", "var", "dfn", "time", "data", "bdi", "bdo", "tt", "big",
    "strike", "font", "center", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "header", "footer", "aside", "nav", "main", "address", "hgroup", "details",
    "summary", "picture", "source", "wbr",
)  # fmt: skip


def _name_pattern(names: tuple[str, ...]) -> str:
    """An alternation of the names, grouped by first letter: the regex engine then rejects a
    name by its first letter once, not once per name. (An empty branch, not "?": an optional
    group costs the engine a repeat of its own.)"""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    branches = []
    for first, rests in groups.items():
        if len(rests) == 1:
            branches.append(first + rests[0])
        else:
            branches.append(f"{first}(?:{'|'.join(sorted(rests, key=len, reverse=True))})")
    return "(?:" + "|".join(branches) + ")"


_WS = r"[ \t\n\r\f]"  # whitespace inside a tag, as the tokenizer reads it
# An attribute, its value quoted or made only of characters a URL holds. Possessive throughout:
# a tag the pattern cannot read is not read some other way.
_ATTRIBUTE = r"""[a-zA-Z][-a-zA-Z0-9_:.]*+(?:="[^"]*+"|='[^']*+'|=[-a-zA-Z0-9_.:/#?&;%+,@!~]++)?+"""
# After a start tag's name: most tags end right there.
_START_REST = f"(?:>|(?:{_WS}++{_ATTRIBUTE})++{_WS}*+/?>|{_WS}*+/?>)"
_NAMES = _name_pattern(_PLAIN_ELEMENTS)
# A newline (or a reference that may be one) right after <pre> is dropped by the tree builder.
_PRE = f"pre{_START_REST}" + r"(?![\r\n&])"
# A comment that ends at the first "-->": no "--" inside, not "<!-->" or "<!--->".
_COMMENT = "!--(?!-?>)[^-]*+(?:-[^-]++)*+-->"
_TAG = f"(?:/(?:{_NAMES}|pre){_WS}*+>|{_NAMES}{_START_REST}|{_PRE}|{_COMMENT})"
# Runs of adjacent tags are one match: each match costs the regex engine more than its length.
_TAGS = re.compile(f"<{_TAG}(?:<{_TAG})*+")
# html.unescape calls back into Python for each reference (~2 µs, several times the
# sanitiser's cost): markup with more than this many goes to the sanitiser, so that a hostile
# feed full of references costs no more than before.
_MAX_REFERENCES = 32
# Numeric references as html.unescape finds them.
_NUMERIC_REFERENCE = re.compile("&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")


def _unescape_differs(code: int) -> bool:
    """Whether html.unescape decodes the numeric reference to `code` differently from html5ever:
    for these code points the standard keeps the character (a parse error), and Python drops
    it."""
    return (
        0x01 <= code <= 0x08
        or code == 0x0B
        or 0x0E <= code <= 0x1F
        or code == 0x7F
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE == 0xFFFE and code <= 0x10FFFF)
    )


def _decoded(text: str) -> str | None:
    """One run of text between tags with its character references decoded as html5ever
    decodes them in text, or None when Python's decoding of one of them may differ."""
    if "&#" in text:
        for reference in _NUMERIC_REFERENCE.finditer(text):
            hexadecimal, decimal = reference.groups()
            digits = hexadecimal or decimal
            if len(digits) > 8:
                return None  # leading zeros or a huge value; int() refuses 4,300 digits
            if _unescape_differs(int(digits, 16) if hexadecimal else int(digits)):
                return None
    # Named references, with or without ";", are decoded by the same table and the same
    # longest-prefix rule as the standard's (html.entities.html5 is that table).
    return html.unescape(text)


# Longer markup is read this much at a time, so that markup the sanitiser must read after all
# (a table, an inline SVG) costs the pattern only the part before it, not all of it (a failed
# reading cost a fifth of the sanitiser's, on the recorded feeds' long fragments).
_CHUNK_CHARS = 2048
_ONE_CHUNK_CHARS = 2 * _CHUNK_CHARS


def _chunked_runs(fragment: str) -> list[str] | None:
    """_TAGS.split(fragment), read a chunk at a time and given up at the first chunk with a "<"
    outside a tag. Chunks end before a "<": where that "<" starts a tag, the runs are those of
    one split; where it does not (it is inside a comment or an attribute value, or is text),
    the chunk before or after it keeps a "<" and the fragment goes to the sanitiser."""
    runs: list[str] = []
    start = 0
    while start < len(fragment):
        end = fragment.find("<", start + _CHUNK_CHARS)
        if end < 0 or len(fragment) - end < _CHUNK_CHARS:
            end = len(fragment)
        chunk_runs = _TAGS.split(fragment[start:end])
        if "<" in "".join(chunk_runs):
            return None
        runs += chunk_runs
        start = end
    return runs


def simple_markup_text(fragment: str) -> str | None:
    """The text nh3 would give for a fragment of simple markup (see above), whitespace not yet
    collapsed; None for any other fragment."""
    runs: list[str] | None
    if len(fragment) <= _ONE_CHUNK_CHARS:
        runs = _TAGS.split(fragment)  # the runs of text between tags
        text = "".join(runs)
        if "<" in text:
            return None
    else:
        runs = _chunked_runs(fragment)
        if runs is None:
            return None
        text = "".join(runs)
    if "\x00" in text:
        return None
    if not fragment.isascii():
        if fragment[0] == "\ufeff":
            return None  # html5ever drops a byte order mark that starts its input
        try:
            fragment.encode()
        except UnicodeEncodeError:
            return None  # a lone surrogate: the sanitiser refuses it, and so must we
    if "&" not in text:
        return text
    if text.count("&") > _MAX_REFERENCES:
        return None
    # References never span a tag: each run of text is decoded on its own.
    decoded = []
    for run in runs:
        if "&" in run:
            decoded_run = _decoded(run)
            if decoded_run is None:
                return None
            run = decoded_run
        decoded.append(run)
    return "".join(decoded)


def sanitised_text(fragment: str) -> str:
    """The text nh3 gives for a fragment, whitespace not yet collapsed."""
    text = _TAG_STRIPPER.clean(fragment)
    # The sanitiser writes "&", "<" and ">" of the text as entities: most summaries have none.
    return html.unescape(text) if "&" in text else text


def collapse_whitespace(text: str) -> str:
    """`" ".join(text.split())`, without splitting text that has nothing to collapse: no
    whitespace but single spaces inside it. In ASCII text, the characters str.split() splits
    at are the space and the nine below, each looked for at memchr speed (isprintable() costs
    twice as much per summary); elsewhere every one of them but the space is a control or
    separator character, which isprintable() refuses."""
    if not text:
        return text
    if text.isascii():
        if (
            "\n" in text
            or "  " in text
            or text[0] == " "
            or text[-1] == " "
            or "\t" in text
            or "\r" in text
            or "\x0b" in text
            or "\x0c" in text
            or "\x1c" in text
            or "\x1d" in text
            or "\x1e" in text
            or "\x1f" in text
        ):
            return " ".join(text.split())
        return text
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return " ".join(text.split())


def html_to_text(fragment: str) -> str:
    """Plain text from feed HTML, whitespace collapsed."""
    if not fragment:
        return ""
    if len(fragment) > MAX_FRAGMENT_CHARS:
        fragment = fragment[:MAX_FRAGMENT_CHARS]
    if "<" not in fragment and "&" not in fragment:
        # Nothing to strip or decode (most titles): the sanitiser would return it unchanged.
        return collapse_whitespace(fragment)
    text = simple_markup_text(fragment)
    return collapse_whitespace(sanitised_text(fragment) if text is None else text)


def summary_text(fragment: str) -> str:
    """html_to_text(fragment) cut to MAX_SUMMARY_CHARS, reading no more of the markup than
    that needs when a bounded prefix of it already holds enough text."""
    if len(fragment) > SUMMARY_PREFIX_CHARS:
        text = html_to_text(fragment[:SUMMARY_PREFIX_CHARS])
        if len(text) >= MAX_SUMMARY_CHARS + _CUT_MARGIN:
            return text[:MAX_SUMMARY_CHARS]
    text = html_to_text(fragment)
    return text if len(text) <= MAX_SUMMARY_CHARS else text[:MAX_SUMMARY_CHARS]


# Paper listings put a label before the abstract, which a digest line would show first:
# arXiv's RSS "arXiv:2604.21935v1 Announce Type: new Abstract: Although …", and Hugging Face's
# Daily Papers "Abstract EnvHarness and …" (no colon, so only on its own paper pages: "Abstract
# art …" elsewhere is a sentence). An "Abstract:" label with its colon is one anywhere.
_ARXIV_ANNOUNCEMENT = re.compile(
    r"arXiv:\S+\s+Announce Type:\s*[\w-]+\s+Abstract:\s*", re.IGNORECASE | re.ASCII
)
_ABSTRACT_LABEL = re.compile(r"Abstract\s*:\s*", re.IGNORECASE)
_PAPER_PAGES = ("https://huggingface.co/papers/", "http://huggingface.co/papers/")


def without_listing_label(summary: str, link: str) -> str:
    """An item's summary text without the label a paper listing puts before the abstract."""
    if summary[:1] not in ("a", "A"):
        return summary
    label = _ARXIV_ANNOUNCEMENT.match(summary) or _ABSTRACT_LABEL.match(summary)
    if label is not None:
        return summary[label.end() :]
    if link.startswith(_PAPER_PAGES) and summary.startswith("Abstract "):
        return summary[len("Abstract ") :].lstrip()
    return summary
