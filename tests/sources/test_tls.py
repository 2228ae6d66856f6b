"""TLS contexts whose trust store loads at first use (sources/tls.py), against a loopback https
feed host whose certificate a test CA signed (tests/sources/tls/README.md)."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from aiprogress.core.types import FetchStatus
from aiprogress.sources.http import HttpFetcher
from aiprogress.sources.tls import DeferredTrustContext, client_context, default_contexts_deferred
from tests.builders import feed_source
from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer

CERTS = Path(__file__).parent / "tls"
TEST_CA = CERTS / "ca.pem"


class HttpsFeedHost:
    """One feed at /feed.rss over https on 127.0.0.1, certified for it by the test CA."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def feed_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/feed.rss"

    async def start(self) -> None:
        body = snapshot_feed("bair-blog.rss")

        async def feed(_request: web.Request) -> web.Response:
            return web.Response(body=body, content_type="application/rss+xml")

        app = web.Application()
        app.router.add_get("/feed.rss", feed)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERTS / "localhost.pem", CERTS / "localhost.key")
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def https_host() -> AsyncIterator[HttpsFeedHost]:
    host = HttpsFeedHost()
    await host.start()
    try:
        yield host
    finally:
        await host.stop()


@pytest.fixture
def trust_only_test_ca(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The system's default trust store is the test CA alone (OpenSSL reads these variables
    when a context loads its default trust store)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(TEST_CA))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))


@pytest.fixture
def trust_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))


def test_the_client_context_is_the_default_one_with_its_trust_store_loaded_on_first_use() -> None:
    default = ssl.create_default_context()
    context = client_context()
    assert isinstance(context, ssl.SSLContext) and isinstance(context, DeferredTrustContext)
    for setting in (
        "protocol",
        "verify_mode",
        "check_hostname",
        "options",
        "verify_flags",
        "minimum_version",
        "maximum_version",
    ):
        assert getattr(context, setting) == getattr(default, setting), setting
    assert context.trust_pending
    # Asking what it trusts loads it: the same store as the default context's.
    assert context.cert_store_stats() == default.cert_store_stats()
    assert not context.trust_pending
    assert context.get_ca_certs() == default.get_ca_certs()


def test_contexts_asked_for_within_the_block_defer_their_trust_store() -> None:
    original = ssl.create_default_context
    with default_contexts_deferred():
        deferred = ssl.create_default_context()
        with_ca = ssl.create_default_context(cafile=str(TEST_CA))
    assert ssl.create_default_context is original
    assert isinstance(deferred, DeferredTrustContext) and deferred.trust_pending
    # A context given its CAs is made as before, and holds just those.
    assert not isinstance(with_ca, DeferredTrustContext)
    assert with_ca.cert_store_stats()["x509_ca"] == 1


@pytest.mark.usefixtures("trust_only_test_ca")
async def test_https_is_verified_with_the_trust_store_loaded_before_the_first_request(
    https_host: HttpsFeedHost, feed_server: FeedServer
) -> None:
    plain = feed_server.feed("/plain.rss", snapshot_feed("bair-blog.rss"))
    async with HttpFetcher(allow_private=True) as fetcher:
        assert (await fetcher.fetch(feed_source(plain))).status is FetchStatus.OK
        # Plain http never reads it.
        assert not fetcher.tls_trust_loaded
        result = await fetcher.fetch(feed_source(https_host.feed_url))
        assert result.status is FetchStatus.OK, result.error
        assert result.feed is not None and len(result.feed.items) == 3
        assert fetcher.tls_trust_loaded


@pytest.mark.usefixtures("trust_nothing")
async def test_https_to_an_untrusted_certificate_fails(https_host: HttpsFeedHost) -> None:
    async with HttpFetcher(allow_private=True) as fetcher:
        result = await fetcher.fetch(feed_source(https_host.feed_url))
    assert result.status is FetchStatus.ERROR
    assert result.error is not None and "certificate verify failed" in result.error.lower()


# In a process of its own: this one imported aiohttp long ago. aiohttp's own default context,
# made while aiohttp is imported within `default_contexts_deferred()`, is what another library's
# session (the Discord bot's) would use: it must verify as before, loading its trust store at the
# first handshake. (The fetcher no longer imports aiohttp: sources/http11.py.)
_OTHER_LIBRARY = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from aiprogress.sources.tls import default_contexts_deferred
with default_contexts_deferred():
    import aiohttp, aiohttp.connector
from tests.sources.test_tls import HttpsFeedHost

async def main() -> None:
    assert aiohttp.connector._SSL_CONTEXT_VERIFIED.trust_pending
    host = HttpsFeedHost()
    await host.start()
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(host.feed_url) as response:
                print(response.status, await response.read() != b"")
    except aiohttp.ClientConnectorCertificateError:
        print("refused")
    finally:
        await host.stop()

asyncio.run(main())
"""


@pytest.mark.parametrize(("trusted", "expected"), [(True, "200 True"), (False, "refused")])
def test_aiohttps_own_default_context_still_verifies(
    tmp_path: Path, trusted: bool, expected: str
) -> None:
    environment = {
        **os.environ,
        "SSL_CERT_FILE": str(TEST_CA if trusted else tmp_path / "none.pem"),
        "SSL_CERT_DIR": str(tmp_path),
    }
    repository = str(Path(__file__).parents[2])
    completed = subprocess.run(
        [sys.executable, "-c", _OTHER_LIBRARY, repository],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == expected


def test_within_the_block_a_contexts_default_paths_load_nothing_and_the_variables_come_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # aiohttp's unverified context (ssl=False, CERT_NONE) calls set_default_verify_paths() at
    # import: within the block it reads no CA file. The variables a user set come back as they
    # were, and one that was not set stays unset.
    monkeypatch.setenv("SSL_CERT_FILE", str(TEST_CA))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with default_contexts_deferred():
        unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        unverified.set_default_verify_paths()
    assert unverified.cert_store_stats()["x509_ca"] == 0
    assert os.environ["SSL_CERT_FILE"] == str(TEST_CA)
    assert "SSL_CERT_DIR" not in os.environ
    after = ssl.create_default_context()
    assert after.cert_store_stats()["x509_ca"] == 1  # the user's CA file, read again
