"""Feed discovery in web pages: `<link rel="alternate">` with a feed's media type."""

from __future__ import annotations

from aiprogress.core.types import FeedLink
from aiprogress.sources.discover import feed_links, looks_like_html

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>A lab</title>
<link rel="stylesheet" href="/site.css">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" title="  News
   (RSS) " href="news/rss.xml">
<LINK REL="Alternate feed" TYPE="Application/Atom+XML; charset=utf-8" HREF="/atom.xml">
<link rel="alternate" type="application/feed+json" href="//cdn.example.net/feed.json">
<link rel="alternate" type="application/rss+xml" href="news/rss.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="">
<link rel="alternate" type="application/rss+xml" href="/comments.rss"
</head><body><p>Hello</body></html>"""


def test_feed_links_are_resolved_deduplicated_and_in_page_order() -> None:
    assert feed_links(PAGE, url="https://lab.example/blog/") == (
        FeedLink("https://lab.example/blog/news/rss.xml", "News (RSS)", "application/rss+xml"),
        FeedLink("https://lab.example/atom.xml", "", "application/atom+xml"),
        FeedLink("https://cdn.example.net/feed.json", "", "application/feed+json"),
        # Broken markup is read as browsers read it: the unclosed tag still counts.
        FeedLink("https://lab.example/comments.rss", "", "application/rss+xml"),
    )


def test_a_base_element_sets_where_relative_links_point() -> None:
    page = (
        b'<html><head><base href="https://static.example/site/">'
        b'<link rel="alternate" type="application/atom+xml" href="feed.atom"></head></html>'
    )
    assert [link.url for link in feed_links(page, url="https://www.example/")] == [
        "https://static.example/site/feed.atom"
    ]


def test_a_page_without_feed_links() -> None:
    assert feed_links(b"<html><head><title>x</title></head></html>", url="https://a.example/") == ()


def test_what_looks_like_a_web_page() -> None:
    assert looks_like_html(b"{}", "text/html; charset=utf-8")
    assert looks_like_html(b"\n  <!doctype HTML><title>x</title>", None)
    assert looks_like_html(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", "")
    assert not looks_like_html(b"\x89PNG\r\n\x1a\n", "image/png")
    assert not looks_like_html(b"<rss version='2.0'><channel/></rss>", "application/xml")
