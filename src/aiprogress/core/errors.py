"""The one error tree. Each boundary (CLI, bots, scheduler) translates these into its own terms.

`UserError` subclasses are mistakes a user can fix (a bad URL, an unknown id); their message is
shown as is, so it must never contain a secret or a stack trace.
"""

from __future__ import annotations


class AppError(Exception):
    """Base of every error the application raises on purpose."""


class UserError(AppError):
    """The user asked for something that cannot be done; the message says why.

    The message is the English wording. Where `reason` is set, it names what went wrong and
    `values` what the wording mentions, so a chat can say it in its own language (the
    catalogue's `bot.<topic>.<reason>`)."""

    topic = "error"

    def __init__(
        self, message: str, *, reason: str = "", values: dict[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.values: dict[str, object] = dict(values or {})


class InvalidInput(UserError):
    """An argument is malformed (a URL, a language, a period)."""

    topic = "input"


class InvalidSourceUrl(InvalidInput):
    """A source URL is not an absolute http(s) URL, or points where we refuse to go.

    `reason` is one of empty, whitespace, invalid, scheme, no_host, credentials, local;
    `subject` is the text it is about (the URL, or the refused host)."""

    topic = "url"

    def __init__(self, message: str, *, reason: str = "invalid", subject: str = "") -> None:
        super().__init__(message, reason=reason, values={"subject": subject})
        self.subject = subject


class DuplicateSource(UserError):
    """A source with this URL already exists; `existing_id` is its id where it is known."""

    topic = "source"

    def __init__(self, url: str, existing_id: int | None = None) -> None:
        self.url = url
        self.existing_id = existing_id
        if existing_id is None:
            super().__init__(
                f"a source with the URL {url} already exists",
                reason="duplicate.unknown",
                values={"url": url},
            )
        else:
            super().__init__(
                f"source #{existing_id} already has the URL {url}",
                reason="duplicate",
                values={"url": url, "source_id": existing_id},
            )


class SourceRefused(UserError):
    """A URL was fetched to be added and is not a feed we can collect; nothing was added.

    `reason` is one of unreachable (no document: HTTP status, network, limits), not_feed (a
    document that is neither a feed nor a web page), no_feeds (a web page that links no feed),
    linked_feed (the one feed a page links failed); `values` hold url, detail and, for a page's
    feed, feed."""

    topic = "source"


class NotFound(UserError):
    """The thing asked for does not exist."""


class SourceNotFound(NotFound):
    """No source with this id."""

    topic = "source"

    def __init__(self, source_id: int) -> None:
        self.source_id = source_id
        super().__init__(
            f"no source with id {source_id}", reason="not_found", values={"source_id": source_id}
        )


class ChannelNotFound(NotFound):
    """No channel with this id."""


class FetchError(AppError):
    """A source could not be fetched (network, HTTP status, limits, refused address)."""


class BlockedAddress(FetchError):
    """The host resolves to a loopback, private, link-local or reserved address."""


class ParseError(AppError):
    """A fetched document is not a feed we can read."""


class StorageError(AppError):
    """The database refused an operation or is unreachable."""


class ConfigError(AppError):
    """Settings are missing or contradictory."""


class PlatformUnreachable(AppError):
    """A chat platform (Telegram, Discord) could not be reached to start a bot."""


class ImportFormatError(AppError):
    """A structured data file (prices, leaderboard) is not in the shape its importer expects."""


class ModelNotFound(NotFound):
    """No model matches a name; `candidates` holds the closest display names, best first."""

    topic = "model"

    def __init__(self, query: str, candidates: tuple[str, ...] = ()) -> None:
        self.query = query
        self.candidates = candidates
        closest = ", ".join(candidates)
        super().__init__(
            f"no model matches {query!r}" + (f"; closest: {closest}" if candidates else ""),
            reason="not_found.closest" if candidates else "not_found",
            values={"query": query, "candidates": closest},
        )


class AmbiguousModel(UserError):
    """A name matches several models about equally well; `candidates` lists them, best first."""

    topic = "model"

    def __init__(self, query: str, candidates: tuple[str, ...]) -> None:
        self.query = query
        self.candidates = candidates
        listed = ", ".join(candidates)
        super().__init__(
            f"{query!r} matches several models: {listed}; say which",
            reason="ambiguous",
            values={"query": query, "candidates": listed},
        )


class LlmUnavailable(AppError):
    """The LLM server gave no usable answer (timeout, connection, status after retries, an empty
    answer) from the main or the fallback model; the built-in writer is used instead."""


class DeliveryError(AppError):
    """A chat platform refused a delivery."""


class ChatGone(DeliveryError):
    """The chat cannot be written to any more (the bot was blocked or removed, the chat does
    not exist): the channel is deactivated and its admins are told."""


class ChatMoved(DeliveryError):
    """The chat lives at another address now (a Telegram group upgraded to a supergroup):
    the channel moves to `address` and the delivery is sent there."""

    def __init__(self, message: str, address: str) -> None:
        super().__init__(message)
        self.address = address


class RetryLater(DeliveryError):
    """The platform asks to wait (429) longer than a sender waits by itself."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class NotAllowed(UserError):
    """The user may not do this here (admin commands)."""
