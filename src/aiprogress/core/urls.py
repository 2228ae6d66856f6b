"""Source URL rules shared by the facade (at add time) and the fetcher (at every request)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from aiprogress.core.errors import BlockedAddress, InvalidSourceUrl

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address; False for loopback, private, link-local,
    multicast, reserved or unspecified ones (including IPv4 mapped into IPv6)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def literal_ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def check_host_allowed(host: str, *, allow_private: bool) -> None:
    """Refuse hosts that are plainly local. Names are checked again after DNS by the fetcher."""
    if allow_private:
        return
    lowered = host.lower().rstrip(".")
    if lowered in _LOCAL_NAMES or lowered.endswith(".localhost"):
        raise BlockedAddress(
            f"{host} is a local address; set AIPROGRESS_ALLOW_PRIVATE_URLS=true to allow it"
        )
    ip = literal_ip(lowered)
    if ip is not None and not is_public_address(ip):
        raise BlockedAddress(
            f"{host} is a loopback, private, link-local or reserved address; "
            "set AIPROGRESS_ALLOW_PRIVATE_URLS=true to allow it"
        )


def normalise_source_url(raw: str, *, allow_private: bool) -> str:
    """Return the canonical form of a source URL, or raise `InvalidSourceUrl`."""
    text = raw.strip()
    if not text:
        raise InvalidSourceUrl("the URL is empty", reason="empty")
    if any(ch.isspace() for ch in text):
        raise InvalidSourceUrl(
            f"not a URL (contains whitespace): {text!r}", reason="whitespace", subject=text
        )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidSourceUrl(
            f"not a valid URL: {text!r} ({exc})", reason="invalid", subject=text
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidSourceUrl(
            f"only http and https URLs can be sources, not {text!r}", reason="scheme", subject=text
        )
    host = parts.hostname
    if not host:
        raise InvalidSourceUrl(f"the URL has no host: {text!r}", reason="no_host", subject=text)
    if parts.username or parts.password:
        raise InvalidSourceUrl(
            "URLs with a user name or password are not accepted as sources", reason="credentials"
        )
    try:
        check_host_allowed(host, allow_private=allow_private)
    except BlockedAddress as exc:
        raise InvalidSourceUrl(str(exc), reason="local", subject=host) from None
    netloc = host if ":" not in host else f"[{host}]"
    default_port = {"http": 80, "https": 443}[scheme]
    if port is not None and port != default_port:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
