"""TLS client contexts that load the system's trust store at their first handshake.

`ssl.create_default_context()` reads and decodes every certificate of the system's CA file when
it is called. aiohttp makes two contexts when it is imported (aiohttp/connector.py keeps a
verified and an unverified one at module level), each reading that file, so every process that
imports aiohttp paid for it, whether or not it ever opened an https connection: 13% of the
instructions of an all-304 `aiprogress collect` of 2,000 plain-http feeds (callgrind, issue 21).

`DeferredTrustContext` is an `ssl.SSLContext` whose `load_default_certs()` is remembered and
done just before the context's first TLS connection, or first question about its trust store;
everything else about it is the standard library's default context (it is built by
`create_default_context`'s own code). A context whose trust store failed to load refuses every
certificate, as any context without one does: the deferral can make a handshake fail, never make
one succeed that would not.

`default_contexts_deferred()` makes `ssl.create_default_context()` return such contexts while
aiohttp is imported, which defers its verified context's loading (half of the cost above). Its
unverified context (`ssl=False`: no certificate is checked, so its trust store is never read)
loads the system's CA file through `SSLContext.set_default_verify_paths()`, which reads the
`SSL_CERT_FILE`/`SSL_CERT_DIR` variables: within the block they name no file, so it loads
nothing (the other half, ~8% of that pass). The variables are the process's: a context another
thread builds in that moment would trust nothing and refuse every certificate, never accept a
wrong one; no thread of ours builds a TLS context while the fetcher's module imports aiohttp.

The fetcher passes a context of its own to every request (`client_context()`) and loads its
trust store on a thread before its first https request, so the loop never waits on the disk and
plain-http feeds never read it. Since the fetcher has its own HTTP/1.1 client (sources/http11.py)
nothing on the collect path imports aiohttp, and no code of ours calls
`default_contexts_deferred()` now: it is kept, with its tests, for a command that imports
aiohttp on a path where start-up counts.
"""

from __future__ import annotations

import os
import ssl
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast


class DeferredTrustContext(ssl.SSLContext):
    """An `ssl.SSLContext` whose default trust store is loaded on first use, not when set."""

    _trust_lock: threading.Lock
    _pending_purpose: ssl.Purpose | None

    def __new__(
        cls, protocol: int | None = None, *args: Any, **kwargs: Any
    ) -> DeferredTrustContext:
        context = super().__new__(cls, protocol, *args, **kwargs)
        context._trust_lock = threading.Lock()
        context._pending_purpose = None
        return context

    def load_default_certs(self, purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH) -> None:
        if not isinstance(purpose, ssl._ASN1Object):  # as the standard library checks it
            raise TypeError(purpose)
        self._pending_purpose = purpose

    @property
    def trust_pending(self) -> bool:
        """Whether the default trust store is still to be loaded."""
        return self._pending_purpose is not None

    def load_pending_trust(self) -> None:
        """Load the default trust store now if it is still pending (blocking: disk and CPU)."""
        if self._pending_purpose is None:
            return
        with self._trust_lock:
            purpose = self._pending_purpose
            if purpose is not None:
                super().load_default_certs(purpose)
                self._pending_purpose = None

    # Every TLS connection of a context is made by one of these two (ssl.SSLSocket and
    # ssl.SSLObject, which asyncio's transports use), and what the trust store holds is only read
    # through the two after them.

    def _wrap_socket(self, *args: Any, **kwargs: Any) -> Any:
        self.load_pending_trust()
        return super()._wrap_socket(*args, **kwargs)  # type: ignore[misc]

    def _wrap_bio(self, *args: Any, **kwargs: Any) -> Any:
        self.load_pending_trust()
        return super()._wrap_bio(*args, **kwargs)  # type: ignore[misc]

    def get_ca_certs(self, binary_form: bool = False) -> Any:
        self.load_pending_trust()
        return super().get_ca_certs(binary_form)

    def cert_store_stats(self) -> dict[str, int]:
        self.load_pending_trust()
        return super().cert_store_stats()


# Where OpenSSL looks for the system's trust store when a context loads its default one
# (`set_default_verify_paths`), and a place that holds none.
_TRUST_STORE_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")
_NO_TRUST_STORE = os.path.join(os.sep, "nonexistent", "aiprogress-no-trust-store")

CreateContext = Callable[..., ssl.SSLContext]


def _deferring(create_default_context: CreateContext) -> CreateContext:
    """`create_default_context` with its own code and defaults, building a
    `DeferredTrustContext` where it builds an `ssl.SSLContext`: whatever a Python version sets on
    its default context, this one sets too."""
    function = cast(types.FunctionType, create_default_context)
    deferring = types.FunctionType(
        function.__code__,
        {**function.__globals__, "SSLContext": DeferredTrustContext},
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    deferring.__kwdefaults__ = function.__kwdefaults__
    return deferring


_create_deferred = _deferring(ssl.create_default_context)


def client_context() -> DeferredTrustContext:
    """What `ssl.create_default_context()` returns (verifying certificates and host names
    against the system's trust store), the trust store loaded on first use."""
    context = _create_deferred()
    if not isinstance(context, DeferredTrustContext):  # pragma: no cover (a future Python)
        raise TypeError("ssl.create_default_context no longer builds ssl.SSLContext")
    return context


@contextmanager
def default_contexts_deferred() -> Iterator[None]:
    """Within the block, `ssl.create_default_context()` (without CA arguments) returns contexts
    whose trust store loads on first use: for a library that builds contexts when imported.
    Contexts asked for with a cafile, capath or cadata are made as before."""
    original = ssl.create_default_context

    def create(
        purpose: ssl.Purpose = ssl.Purpose.SERVER_AUTH,
        *,
        cafile: Any = None,
        capath: Any = None,
        cadata: Any = None,
    ) -> ssl.SSLContext:
        if cafile or capath or cadata:
            return original(purpose, cafile=cafile, capath=capath, cadata=cadata)
        return _create_deferred(purpose)

    saved = {name: os.environ.get(name) for name in _TRUST_STORE_VARIABLES}
    os.environ.update(dict.fromkeys(_TRUST_STORE_VARIABLES, _NO_TRUST_STORE))
    ssl.create_default_context = create
    try:
        yield
    finally:
        ssl.create_default_context = original
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
