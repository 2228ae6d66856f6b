"""Counts in the English of the command line and the logs ("1 digest", "2 deliveries"). Chat
text has its own, in both languages, through the message catalogue (`count_of`)."""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 digest', '2 digests'; `plural` where adding an s would be wrong ('deliveries')."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
