"""Source URL rules."""

from __future__ import annotations

import pytest

from aiprogress.core.errors import InvalidSourceUrl
from aiprogress.core.messages import message
from aiprogress.core.types import Language
from aiprogress.core.urls import is_public_address, normalise_source_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://openai.com/news/rss.xml", "https://openai.com/news/rss.xml"),
        ("  HTTPS://Example.ORG/Feed?x=1#top ", "https://example.org/Feed?x=1"),
        ("http://example.org:80/feed", "http://example.org/feed"),
        ("https://example.org:8443/feed", "https://example.org:8443/feed"),
        ("https://example.org", "https://example.org/"),
    ],
)
def test_normalised(raw: str, expected: str) -> None:
    assert normalise_source_url(raw, allow_private=False) == expected


@pytest.mark.parametrize(
    ("raw", "reason", "rule", "subject"),
    [
        ("", "empty", "empty", ""),
        ("not a url", "whitespace", "whitespace", "not a url"),
        ("example.org/feed", "only http and https", "scheme", "example.org/feed"),
        ("ftp://example.org/feed", "only http and https", "scheme", "ftp://example.org/feed"),
        ("file:///etc/passwd", "only http and https", "scheme", "file:///etc/passwd"),
        ("https:///feed", "no host", "no_host", "https:///feed"),
        ("https://user:pw@example.org/feed", "user name or password", "credentials", ""),
        ("http://127.0.0.1:8080/feed", "AIPROGRESS_ALLOW_PRIVATE_URLS", "local", "127.0.0.1"),
        ("http://localhost/feed", "local address", "local", "localhost"),
        ("http://[::1]/feed", "loopback", "local", "::1"),
        ("http://10.0.0.8/feed", "private", "local", "10.0.0.8"),
        ("http://169.254.169.254/latest/meta-data", "link-local", "local", "169.254.169.254"),
        (
            "http://example.org:99999/feed",
            "not a valid URL",
            "invalid",
            "http://example.org:99999/feed",
        ),
    ],
)
def test_refused_with_a_reason(raw: str, reason: str, rule: str, subject: str) -> None:
    with pytest.raises(InvalidSourceUrl, match=reason) as refused:
        normalise_source_url(raw, allow_private=False)
    # The rule and what it is about, for a chat to word in its own language.
    assert (refused.value.reason, refused.value.subject) == (rule, subject)
    for language in Language:
        assert message(f"bot.url.{rule}", language, subject=subject)


def test_private_allowed_by_setting() -> None:
    assert normalise_source_url("http://127.0.0.1:8080/feed", allow_private=True) == (
        "http://127.0.0.1:8080/feed"
    )


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("fe80::1%eth0", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public_address(address) is public
