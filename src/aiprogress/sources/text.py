"""Feed HTML to plain text, by a sanitiser library rather than by regular expressions."""

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


def collapse_whitespace(text: str) -> str:
    """`" ".join(text.split())`, without splitting text that has nothing to collapse: no
    whitespace but single spaces inside it. Every character str.split() splits at but the
    space is a control or separator character, which isprintable() refuses."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
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
    text = _TAG_STRIPPER.clean(fragment)
    # The sanitiser writes "&", "<" and ">" of the text as entities: most summaries have none.
    return collapse_whitespace(html.unescape(text) if "&" in text else text)


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
