"""A summary read from a bounded prefix of its markup is the summary the whole markup gives,
wherever the prefix ends: in a word, a tag, an attribute, an entity or a comment."""

from __future__ import annotations

import pytest

from aiprogress.sources.text import (
    MAX_SUMMARY_CHARS,
    SUMMARY_PREFIX_CHARS,
    collapse_whitespace,
    html_to_text,
    summary_text,
)

_PIECES = (
    "<p>Some words of an article, with a <a href='https://e.org/x?a=1&amp;b=2'>link</a>.</p>",
    "caf&eacute; &amp; cr&egrave;me &#8212; &lt;not a tag&gt; ",
    "<script>alert('never text')</script><style>p { color: red }</style>",
    "<!-- a comment that is not text --> <b>bold <i>and italic</i></b> ",
    "<img src='x.png' alt='no text'/>\n\t  spaced   out\n",
)


@pytest.mark.parametrize("shift", range(0, 380, 5))
@pytest.mark.parametrize("piece", range(len(_PIECES)))
def test_summary_of_a_prefix_is_the_summary_of_the_whole(piece: int, shift: int) -> None:
    # Padding moves the prefix's end through every position of the repeated pieces.
    body = "".join(_PIECES[piece:] + _PIECES[:piece]) * 200
    fragment = "x" * shift + " " + body
    assert len(fragment) > SUMMARY_PREFIX_CHARS
    expected = html_to_text(fragment)[:MAX_SUMMARY_CHARS]
    assert len(expected) == MAX_SUMMARY_CHARS
    assert summary_text(fragment) == expected


def test_markup_with_little_text_is_read_to_the_end() -> None:
    # 20 KB of markup around 600 characters of text: the prefix holds too little of it.
    fragment = ("<div class='wrapper'><span></span></div>" * 50 + "word " * 10) * 12
    assert len(fragment) > SUMMARY_PREFIX_CHARS
    assert summary_text(fragment) == html_to_text(fragment)[:MAX_SUMMARY_CHARS]
    assert summary_text(fragment).endswith("word")


def test_short_markup_is_read_whole() -> None:
    assert summary_text("<p>a &amp; b</p>") == "a & b"
    assert summary_text("") == ""


# Every character str.split() splits at, and the characters around them that a shortcut could
# take for whitespace or miss: zero-width space and joiner (format characters, not whitespace).
_SPACING = [chr(i) for i in range(0x3001) if chr(i).isspace()] + [
    "\u202f",
    "\u205f",
    "\u3000",
    "\u200b",
    "\u200d",
    "\ufeff",
]


@pytest.mark.parametrize("spacing", [*_SPACING, "  ", "\r\n"])
@pytest.mark.parametrize("where", ["lead", "inside", "trail"])
def test_collapsed_whitespace_is_what_split_and_join_give(spacing: str, where: str) -> None:
    text = {"lead": spacing + "a b", "inside": "a" + spacing + "b c", "trail": "a b" + spacing}[
        where
    ]
    assert collapse_whitespace(text) == " ".join(text.split())
    assert html_to_text(text) == " ".join(text.split())
    assert html_to_text(f"<p>{text}</p>") == " ".join(text.split())


def test_text_with_nothing_to_collapse_is_kept_as_it_is() -> None:
    text = "GPT-4.5 costs $75 per 1M tokens: cheaper than before, it says."
    assert collapse_whitespace(text) is text
