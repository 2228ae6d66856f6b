"""The `aiprogress` command line, as a user runs it."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aiprogress.app.cli import app
from aiprogress.core.types import ChannelUpdate, ChatKind, Language, Period, Platform
from aiprogress.storage.engine import create_engine
from aiprogress.storage.migrate import head_revision
from aiprogress.storage.store import SqlStore
from tests.conftest import BundledImport, snapshot_feed
from tests.servers.discord import TOKEN as DISCORD_TOKEN
from tests.servers.discord import FakeDiscord
from tests.servers.feeds import FeedServer, Route
from tests.servers.openai import FakeOpenAI, Reply
from tests.servers.telegram import TOKEN as TELEGRAM_TOKEN
from tests.servers.telegram import FakeTelegram


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own (no stray .env) and a SQLite file in it."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(
            ("AIPROGRESS_", "DATABASE_", "TELEGRAM_", "DISCORD_", "OPENAI_", "LLM_")
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


@pytest.fixture
def env_with_models(env: Path, sqlite_bundled: BundledImport) -> Path:
    """`env` with the bundled model data in its database already, as after the first command
    that needed them (imported once a session; ~7 s a test under load on first use). The
    import on first use is tested where it is the point (compare from the first run, models)."""
    shutil.copyfile(sqlite_bundled.url.removeprefix("sqlite:///"), env / "cli.db")
    return env


@pytest.fixture
def feed_host() -> Iterator[FeedServer]:
    with FeedServer().in_thread() as server:
        yield server


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def add_todays_feed(feed_host: FeedServer, titles: tuple[str, ...]) -> None:
    """A source whose items are dated now, so they fall in any digest's window (the recorded
    feeds are months old), added with --backfill so its first fetch counts as news."""
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    items = "".join(
        f"<item><title>{title}</title><link>https://example.org/{n}</link>"
        f"<pubDate>{now}</pubDate></item>"
        for n, title in enumerate(titles, start=1)
    )
    feed = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()
    # Unchecked: its first fetch is the collection's, as the tests that use it count.
    assert run("sources", "add", feed_host.feed("/f.rss", feed), "--backfill", "--no-check")[0] == 0


def test_names_are_printed_as_written(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich reads "[...]" as markup and ":rocket:" as an emoji code unless told not to; a
    # source's name is someone's text, shown as it is.
    monkeypatch.setenv("COLUMNS", "200")
    name = "[ai] :rocket:"
    args = ("https://openai.com/news/rss.xml", "--name", name, "--no-check")
    assert run("sources", "add", *args)[0] == 0
    code, out, _ = run("sources", "list")
    assert code == 0 and f" {name} " in out and "\U0001f680" not in out


@pytest.mark.parametrize(
    ("group", "joined"),
    [
        ((), "Exits 1 when every source failed (with --strict, when any did)"),
        (("sources",), "named after its title; a web page is searched for the feeds it links"),
        (("models",), "the curated file, then prices and leaderboards); with --from"),
    ],
)
def test_help_lists_each_command_in_sentences_not_its_docstrings_lines(
    env: Path, monkeypatch: pytest.MonkeyPatch, group: tuple[str, ...], joined: str
) -> None:
    """A command's summary in its group's --help is wrapped to the terminal, not broken where
    its docstring's lines end ("Exits 1 when every source" / "failed (with --strict …")."""
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = run(*group, "--help")
    assert code == 0 and joined in out


@pytest.mark.parametrize("command", ["digest", "compare", "collect", "publish"])
def test_json_option_is_not_described_as_replacing_a_table(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """A digest or a comparison is prose, not a table: --json replaces text."""
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = run(command, "--help")
    assert code == 0 and "Print JSON instead of text." in out and "a table" not in out


def test_models_audit_says_how_a_pair_is_written(env: Path) -> None:
    code, out, err = run("models", "audit", "gpt-4.5")
    assert code == 1 and not out
    assert (
        err
        == "error: a pair is two names joined by a comma, e.g. `gpt-4.5,gpt-4o`, not 'gpt-4.5'\n"
    )


def test_sources_list_folds_long_urls_on_a_narrow_terminal(env: Path) -> None:
    url = "https://example.org/a/rather/long/path/to/the/feed/of/a/lab.xml"
    assert run("sources", "add", url, "--no-check")[0] == 0
    code, out, _ = run("sources", "list")
    assert code == 0
    # The url column of each table row, read top to bottom, is the whole URL.
    folded = "".join(line.split("│")[3].strip() for line in out.splitlines() if "│" in line)
    assert url in folded


def test_a_command_leaves_nothing_frozen_from_the_garbage_collector(env: Path) -> None:
    # Commands freeze what is alive when they start; a process running many of them (these
    # tests, the bench) must still be able to collect what one left behind.
    assert run("sources", "list")[0] == 0
    assert run("sources", "add", "not a url")[0] == 1
    assert gc.get_freeze_count() == 0


def test_sources_add_list_remove(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    url = feed_host.feed("/openai.rss", snapshot_feed("openai-research.rss"))
    code, out, _ = run("sources", "add", url, "--name", "OpenAI")
    assert code == 0 and out.strip() == f'added source #1 "OpenAI": {url} (194 items)'
    code, out, _ = run("sources", "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [(s["id"], s["name"], s["url"], s["enabled"]) for s in listed] == [
        (1, "OpenAI", url, True)
    ]
    code, out, _ = run("sources", "list")
    assert code == 0 and "OpenAI" in out
    code, out, _ = run("sources", "remove", "1")
    assert code == 0 and "removed source #1" in out
    assert json.loads(run("sources", "list", "--json")[1]) == []


def page(*links: str) -> Route:
    """A site's home page with these `<link>` tags in its head."""
    head = "".join(links)
    body = f"<!DOCTYPE html><html><head><title>Ollama</title>{head}</head><body>Hi</body></html>"
    return Route(body=body.encode(), content_type="text/html; charset=utf-8")


def test_sources_add_a_feed_takes_its_title_as_the_name(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    url = feed_host.feed("/blog.rss", snapshot_feed("ollama-blog.rss"))
    code, out, _ = run("sources", "add", url)
    assert (code, out) == (0, f'added source #1 "Ollama Blog": {url} (56 items)\n')
    (source,) = json.loads(run("sources", "list", "--json")[1])
    assert (source["name"], source["name_from_user"], source["last_status"]) == (
        "Ollama Blog",
        False,
        "ok",
    )
    # That fetch was the first: the collection asks conditionally and stores nothing twice.
    assert feed_host.hits["/blog.rss"] == 1
    code, out, _ = run("collect")
    assert out == "1 source: 0 fetched, 1 not modified, 0 new items, 0 updated, 0 errors\n"


def test_sources_add_a_page_linking_one_feed_adds_that_feed(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    feed_host.feed("/models/recent.atom", snapshot_feed("ollama-models-recent-20.atom"))
    feed_host.routes["/models/"] = page(
        '<link rel="stylesheet" href="/style.css">',
        '<link rel="alternate" type="application/atom+xml" title="Models" href="recent.atom">',
    )
    code, out, _ = run("sources", "add", feed_host.url("/models/"), "--tier", "official")
    feed = feed_host.url("/models/recent.atom")  # the relative href, resolved
    assert (code, out.splitlines()) == (
        0,
        [
            f"found the feed {feed} on {feed_host.url('/models/')}",
            f'added source #1 "Ollama models": {feed} (20 items)',
        ],
    )
    (source,) = json.loads(run("sources", "list", "--json")[1])
    assert (source["url"], source["trust_tier"]) == (feed, "official")


def test_sources_add_a_page_linking_several_feeds_lists_them_and_adds_nothing(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    feed_host.routes["/"] = page(
        '<link rel="alternate" type="application/rss+xml" title="Ollama Blog" href="/blog.rss">',
        '<link rel="alternate" type="application/feed+json" href="https://hf.co/papers.json">',
    )
    code, out, err = run("sources", "add", feed_host.url("/"))
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{feed_host.url('/')} links 2 feeds; nothing was added. Add the one you want by its URL:",
        f"  {feed_host.url('/blog.rss')}  Ollama Blog (RSS)",
        "  https://hf.co/papers.json  (JSON Feed)",
    ]
    assert json.loads(run("sources", "list", "--json")[1]) == []
    assert feed_host.hits["/blog.rss"] == 0  # listed, not fetched


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        ("/down", Route(status=500), "cannot fetch {url}: HTTP 500 Internal Server Error"),
        (
            "/about",
            page('<link rel="icon" href="/favicon.ico">'),
            "{url} is a web page that links no feed; give the feed's own URL",
        ),
        (
            "/logo.png",
            Route(body=b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"),
            "{url} is not a feed (RSS, Atom or JSON Feed) nor a web page: got image/png: "
            "not an RSS, Atom or JSON feed",
        ),
        (
            "/broken-link",
            page('<link rel="alternate" type="application/rss+xml" href="/gone.rss">'),
            "{url} links the feed {host}/gone.rss, but it cannot be added: HTTP 404 Not Found",
        ),
    ],
)
def test_sources_add_refuses_what_is_not_a_feed_with_the_reason(
    env: Path,
    feed_host: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    route: Route,
    reason: str,
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    feed_host.routes[path] = route
    url = feed_host.url(path)
    code, out, err = run("sources", "add", url)
    assert (code, out) == (1, "")
    assert err.startswith("error: " + reason.format(url=url, host=feed_host.url("")))
    assert len(err.splitlines()) == 1
    assert json.loads(run("sources", "list", "--json")[1]) == []


def test_sources_add_refuses_a_closed_port(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    code, out, err = run("sources", "add", "http://127.0.0.1:9/feed.xml")  # the discard port
    assert (code, out) == (1, "")
    assert err.startswith(
        "error: cannot fetch http://127.0.0.1:9/feed.xml: cannot connect to 127.0.0.1:9"
    )
    assert json.loads(run("sources", "list", "--json")[1]) == []
    # --no-check adds it as given: the collection will tell.
    code, out, _ = run("sources", "add", "http://127.0.0.1:9/feed.xml", "--no-check")
    assert (code, out) == (0, "added source #1: http://127.0.0.1:9/feed.xml (not fetched yet)\n")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "error: not a URL (contains whitespace): 'not a url'"),
        (
            "ftp://example.org/feed",
            "error: only http and https URLs can be sources, not 'ftp://example.org/feed'",
        ),
        (
            "http://127.0.0.1/feed",
            "error: 127.0.0.1 is a loopback, private, link-local or reserved address; set AIPROGRESS_ALLOW_PRIVATE_URLS=true to allow it",
        ),
    ],
)
def test_sources_add_bad_url(env: Path, url: str, message: str) -> None:
    code, out, err = run("sources", "add", url)
    assert code == 1
    assert err.strip() == message
    assert "Traceback" not in out + err
    assert json.loads(run("sources", "list", "--json")[1]) == []


def test_sources_add_duplicate(env: Path) -> None:
    assert run("sources", "add", "https://openai.com/news/rss.xml", "--no-check")[0] == 0
    code, _, err = run("sources", "add", "https://OpenAI.com/news/rss.xml")
    assert code == 1
    assert err.strip() == "error: source #1 already has the URL https://openai.com/news/rss.xml"


def test_sources_edit(env: Path) -> None:
    assert run("sources", "add", "https://openai.com/news/rss.xml", "--no-check")[0] == 0
    code, out, _ = run("sources", "edit", "1", "--name", "OpenAI", "--tier", "official")
    assert code == 0 and out.strip() == "source #1: OpenAI, official, every 1h"
    code, out, _ = run("sources", "edit", "1", "--interval", "90m")
    assert code == 0 and out.strip() == "source #1: OpenAI, official, every 90m"
    code, out, _ = run("sources", "edit", "1", "--name", "", "--json")
    edited = json.loads(out)
    assert code == 0 and (edited["name"], edited["name_from_user"]) == ("", False)
    assert (edited["trust_tier"], edited["interval_seconds"]) == ("official", 5400)
    code, out, _ = run("sources", "edit", "1", "--interval", "2d")
    assert out.strip() == (
        "source #1: https://openai.com/news/rss.xml (follows the feed's title), official, every 2d"
    )

    for args, error in (
        (("1",), "error: nothing to change: give a name, a tier or an interval"),
        (("1", "--interval", "30"), "error: an interval is at least 60 seconds"),
        (("7", "--name", "x"), "error: no source with id 7"),
    ):
        code, _, err = run("sources", "edit", *args)
        assert (code, err.strip()) == (1, error)
    code, _, err = run("sources", "edit", "1", "--interval", "soon")
    assert (code, err) == (1, "error: 'soon' is not an interval such as 3600, 90m, 2h or 1d\n")


def test_sources_remove_unknown_id(env: Path) -> None:
    code, _, err = run("sources", "remove", "42")
    assert code == 1
    assert err.strip() == "error: no source with id 42"


def test_invalid_setting_is_one_line_without_its_value(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_FETCH_CONCURRENCY", "many-secret")
    code, _, err = run("sources", "list")
    assert code == 1
    assert err.startswith("error: invalid setting AIPROGRESS_FETCH_CONCURRENCY:")
    assert "many-secret" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///{tmp}/missing-dir/x.db",
        "postgresql://aiprogress:hunter2-secret@127.0.0.1:1/nothing",
        "mysql://127.0.0.1/x",
        "not a database url",
    ],
)
def test_unusable_database_is_one_line_without_secrets(
    env: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url.format(tmp=env))
    code, out, err = run("sources", "list")
    assert code == 1
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert "hunter2" not in out + err


def test_db_upgrade(env: Path) -> None:
    code, out, _ = run("db", "upgrade")
    assert code == 0 and out.strip() == f"database is at revision {head_revision()}"


def test_collect_twice_stores_once_then_digest(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    ok = feed_host.feed("/ollama.rss", snapshot_feed("ollama-blog.rss"))
    feed_host.routes["/down"] = Route(status=503)
    # Unchecked, so that the first collection is their first fetch.
    assert run("sources", "add", ok, "--name", "Ollama Blog", "--no-check")[0] == 0
    assert run("sources", "add", feed_host.url("/down"), "--name", "Down", "--no-check")[0] == 0

    code, out, err = run("collect", "--strict")
    assert code == 1  # one source failed
    assert out.strip() == "2 sources: 1 fetched, 0 not modified, 56 new items, 0 updated, 1 error"
    assert "Down: HTTP 503 Service Unavailable" in err

    code, out, _ = run("collect", "--json")
    assert code == 0  # not every source failed
    results = json.loads(out)
    assert [(r["status"], r["new_items"]) for r in results] == [("not_modified", 0), ("error", 0)]

    listed = json.loads(run("sources", "list", "--json")[1])
    assert listed[1]["last_error"] == "HTTP 503 Service Unavailable"
    assert listed[1]["failures"] == 2 and listed[0]["failures"] == 0
    assert listed[1]["next_check_at"] is not None

    code, out, _ = run("sources", "pause", "2")
    assert code == 0 and out.startswith("paused source #2")
    assert [r["source_id"] for r in json.loads(run("collect", "--json")[1])] == [1]
    code, out, _ = run("sources", "resume", "2")
    assert code == 0 and out.startswith("resumed source #2")
    assert json.loads(run("sources", "list", "--json")[1])[1]["failures"] == 0
    assert run("sources", "pause", "99")[2].strip() == "error: no source with id 99"

    # The snapshot's newest Ollama post is from August 2026: a year's window is not on offer,
    # so a dry-run digest of the week to now is empty and says so, in the chosen language.
    code, out, err = run("digest", "--lang", "en", "--dry-run")
    assert code == 0 and "Nothing new was published in this period." in out
    # The built-in writer's verdict is its name: said once.
    assert err == "writer: builtin, no LLM, 0 tokens\n"
    code, out, _ = run("digest", "--lang", "ru", "--dry-run", "--json")
    assert json.loads(out)["language"] == "ru"


def test_digest_until_a_past_day_is_that_periods_digest(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recorded feeds end in August 2026, months before today: the period ending now has
    nothing, and --until ends it where the news is. Their sources are added as a user adds
    them, so their items are a baseline (not news to post) and still what the period published."""
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    for path, name in (("/anthropic.rss", "anthropic-news.rss"), ("/ollama.rss", "ollama-blog.rss")):  # fmt: skip
        assert run("sources", "add", feed_host.feed(path, snapshot_feed(name)))[0] == 0
    code, out, _ = run("digest", "--period", "month", "--lang", "en", "--dry-run")
    assert code == 0 and "Nothing new was published in this period." in out

    # A date is through that day: the 30 days to 31 August, whole days.
    until = ("--period", "month", "--until", "2026-08-31")
    code, out, err = run("digest", *until, "--lang", "en", "--dry-run")
    assert code == 0, err
    assert out.startswith("Where is AI heading? On the release of NVIDIA Nemotron 3.5 Lightning?\n")
    assert "In this digest (2–31 August 2026)" in out
    assert "🔘 NVIDIA Nemotron 3.5 Lightning" in out and "from 2 sources" in out
    code, out, _ = run("digest", *until, "--lang", "ru", "--dry-run", "--json")
    drafted = json.loads(out)
    assert drafted["title"] == "Куда движется ИИ? О выходе NVIDIA Nemotron 3.5 Lightning?"
    assert "В этом выпуске (2–31 августа 2026)" in drafted["body"]
    assert drafted["window_start"] == "2026-08-02T00:00:00+00:00"
    assert drafted["window_end"] == "2026-09-01T00:00:00+00:00"
    assert len(drafted["item_ids"]) > 0
    # Written and stored (not a dry run): the same digest, with its id.
    code, out, _ = run("digest", *until, "--lang", "ru", "--json")
    stored = json.loads(out)
    assert stored["id"] and stored["item_ids"] == drafted["item_ids"]
    # Written today, though its period ended months ago.
    assert datetime.fromisoformat(stored["created_at"]) > datetime.now(UTC) - timedelta(hours=1)

    # A time is that moment (UTC without a zone); a window of mid-day bounds names them.
    for moment in ("2026-08-21T09:00Z", "2026-08-21T09:00", "2026-08-21T12:00+03:00"):
        code, out, err = run("digest", "--period", "day", "--until", moment, "--dry-run", "--lang", "en")  # fmt: skip
        assert code == 0, err
        assert out.startswith(
            "Where is AI heading: 20 August, 09:00 – 21 August 2026, 09:00 UTC?\n"
        )


@pytest.mark.parametrize(
    ("until", "says"),
    [
        ("31.08.2026", "error: --until '31.08.2026' is neither a date (2026-08-31) nor a time"),
        ("2026-02-30", "error: --until '2026-02-30' is neither a date"),
        ("9999-12-31", "error: --until 9999-12-31 is in the future"),
        # Today's date is through today: its end is to come.
        ("today", "error: a digest can only cover time that has passed: "),
        ("2999-01-01T00:00Z", "error: a digest can only cover time that has passed: "),
    ],
)
def test_digest_until_refuses_bad_and_future_moments_in_one_line(
    env: Path, until: str, says: str
) -> None:
    if until == "today":
        until = datetime.now(UTC).date().isoformat()
    code, out, err = run("digest", "--until", until, "--dry-run")
    assert code == 1 and out == ""
    assert err.startswith(says) and err.count("\n") == 1, err


def test_demo_prints_both_languages_with_links(tmp_path: Path) -> None:
    """The README's first command, through the installed entry point, with no network."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "AIPROGRESS_"))
    }
    completed = subprocess.run(
        [sys.executable, "-m", "aiprogress", "demo"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "7 sources: 7 fetched, 0 not modified, 557 new items, 0 updated, 0 errors" in out
    # The snapshot's clock reads 23 August 2026, 00:00 UTC: the 30 days are whole days.
    # The lead, Claude Opus 5's launch, weighed against Claude Opus 4.8 (LiteLLM 1.110.2).
    assert (
        "Куда движется ИИ? Claude Opus 5 по цене входа Claude Opus 4.8 (цены на ноябрь 2026)?"
    ) in out
    assert (
        "Where is AI heading? Claude Opus 5 at the input price of Claude Opus 4.8 (prices of "
        "November 2026)?"
    ) in out
    assert (
        "🔘 Introducing Claude Opus 5\n"
        "Claude Opus 5 against Claude Opus 4.8: no benchmark both have; the input price is the "
        "same ($5 per 1M tokens, prices of November 2026). Data: LiteLLM 1.110.2 price table.\n"
        "https://www.anthropic.com/news/claude-opus-5\n"
    ) in out
    assert (
        "Claude Opus 5 против Claude Opus 4.8: общих бенчмарков нет, цена входа та же ($5 за 1 млн "
        "токенов, цены на ноябрь 2026). Данные: LiteLLM 1.110.2 price table.\n"
    ) in out
    assert "В этом выпуске (24 июля – 22 августа 2026)" in out
    assert "In this digest (24 July – 22 August 2026)" in out
    assert "13 историй из 4 источников" in out and "13 stories from 4 sources" in out
    # Each link once, under its story, in each language; each outlet once in the sources.
    assert out.count("https://www.anthropic.com/news/claude-text-watermark") == 2
    assert out.count("https://huggingface.co/papers/2608.13547") == 2
    assert out.count("● Hugging Face Daily Papers\n") == 2
    # The seed post's comparison, from the bundled model data, in both languages.
    assert "GPT-4.5 (preview) против GPT-4o" in out and "GPT-4.5 (preview) vs GPT-4o" in out
    assert "▪️ Input price: $75 / $2.5 per 1M tokens (30× dearer)" in out
    assert "▪️ Цена входа: $75 / $2,5 за 1 млн токенов (в 30 раз дороже)" in out
    assert list(tmp_path.iterdir()) == []  # the demo's database was temporary


# --- models and compare ----------------------------------------------------------------------


def test_compare_works_offline_from_the_first_run(env: Path) -> None:
    code, out, err = run("compare", "gpt-4.5", "gpt-4o", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "GPT-4.5 (preview) vs GPT-4o"
    # One source per row (Epoch for GPQA Diamond, for both models), and LLM Stats' vendor-
    # reported 70.1% for GPT-4o said on the row, not silently dropped or picked.
    assert (
        "🔘 GPQA Diamond: 68.69% / 49.21% (+19.48; beyond the ±9.5 margin of error; sources "
        "disagree: 70.1% for GPT-4o in LLM Stats)" in lines
    )
    assert "▪️ Output price: $150 / $10 per 1M tokens (15× dearer)" in lines
    # OpenRouter's 2025 answer covers both models: 16,384 each, not LLM Stats' 4,096 against
    # another source's 16,384.
    assert any(line.startswith("▪️ Max output: 16,384 tokens / 16,384 tokens (±0") for line in lines)
    assert "● GPT-4.5 (preview): +19.48 points on GPQA Diamond for 30× the input price." in lines
    assert any(
        line.startswith("● LLM Stats (2025-10-16, GPQA Diamond, ")
        and line.endswith("https://openai.com/index/gpt-5/")
        for line in lines
    )


def test_compare_json(env_with_models: Path) -> None:
    code, out, _ = run("compare", "claude 3.7", "sonnet 3.5", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["schema"] == "aiprogress.comparison/1"
    assert [m["canonical_id"] for m in document["models"]] == [
        "anthropic/claude-3.7-sonnet",
        "anthropic/claude-3.5-sonnet",
    ]
    prices = next(m for m in document["metrics"] if m["metric"] == "price_input")
    assert [v["value"] for v in prices["values"]] == [3.0, 3.0]
    assert all(v["source_url"].startswith("https://") for v in prices["values"])


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["claude", "gpt-4o"], "error: 'claude' matches several models:"),
        (["llama 9 colossal", "gpt-4o"], "error: no model matches 'llama 9 colossal'"),
        (["gpt-4o"], "error: name at least two models to compare"),
    ],
)
def test_compare_refuses_to_guess(env_with_models: Path, names: list[str], message: str) -> None:
    code, _, err = run("compare", *names)
    assert code == 1
    assert err.startswith(message) and len(err.strip().splitlines()) == 1


def test_models_search_show_import_events(env: Path) -> None:
    code, out, _ = run("models", "search", "grok", "--json")
    assert code == 0
    found = [m["model"]["canonical_id"] for m in json.loads(out)]
    assert "xai/grok-2" in found
    # Over twenty Grok models match "grok" alike; the named version comes first.
    code, out, _ = run("models", "search", "grok 3", "--json")
    assert code == 0
    assert json.loads(out)[0]["model"]["canonical_id"] == "xai/grok-3"

    code, out, _ = run("models", "show", "4o", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["model"]["display_name"] == "GPT-4o"
    prices = [
        (f["value"], f["as_of"], f["source_name"])
        for f in shown["facts"]
        if f["metric"] == "price_input"
    ]
    assert (2.5, "2025-05-23", "OpenRouter models API") in prices
    # The table writes a value as it is, not as 1.04858e+06.
    code, out, _ = run("models", "show", "gemini-2.5-pro")
    assert code == 0 and "1048576" in out and "e+06" not in out

    # The registry was filled on first use; importing again adds nothing.
    code, out, _ = run("models", "import", "--json")
    assert code == 0
    assert all(r["facts_added"] == 0 and r["error"] is None for r in json.loads(out))

    code, out, _ = run("models", "events", "--json", "--limit", "500")
    events = json.loads(out)
    kinds = {e["kind"] for e in events}
    assert {"price_change", "new_model", "new_best"} <= kinds
    # Each event is dated when the data say it happened: the bundled snapshots are months old,
    # so a fresh install has no news of today.
    today = datetime.now(UTC).date().isoformat()
    assert [e for e in events if e["as_of"] >= today] == []


def test_models_events_text_is_one_line_of_words_per_event(
    env_with_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    assert "How many events, newest first" in run("models", "events", "--help")[1]
    # A new model has no metric: its line ended in a blank word, a space.
    code, out, err = run("models", "events", "--limit", "500")
    assert code == 0, err
    lines = out.splitlines()
    assert any(" new_model " in line for line in lines)
    assert [line for line in lines if line != line.strip() or "  " in line] == []


SNAPSHOTS = Path(__file__).parents[2] / "src" / "aiprogress" / "sources" / "data" / "snapshots"


def test_models_import_live_data(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    body = (SNAPSHOTS / "openrouter-models.json").read_bytes()
    url = feed_host.feed("/api/v1/models", body, "application/json")
    feed_host.feed("/truncated", body[:5000], "application/json")
    assert run("models", "import")[0] == 0
    before = json.loads(run("models", "show", "gpt-4o", "--json")[1])["facts"]

    # A broken file: one clear line, and nothing of it is stored.
    code, _, err = run(
        "models", "import", "--from", "openrouter", "--url", feed_host.url("/truncated")
    )
    assert code == 1 and err.startswith("error: OpenRouter models list: ") and "JSON" in err
    assert json.loads(run("models", "show", "gpt-4o", "--json")[1])["facts"] == before

    code, out, err = run("models", "import", "--from", "openrouter", "--url", url, "--json")
    assert code == 0, err
    (report,) = json.loads(out)
    assert report["source_name"] == "OpenRouter models API" and report["facts_added"] > 0
    after = json.loads(run("models", "show", "gpt-4o", "--json")[1])["facts"]
    today = [f for f in after if f["source_url"] == url]
    assert {f["metric"] for f in today} >= {"price_input", "price_output", "context_window"}
    assert len(after) == len(before) + len(today)  # added beside the history, nothing replaced

    code, _, err = run("models", "import", "--from", "lmarena")
    assert code == 1 and err.strip() == "error: lmarena publishes no fixed URL: give one with --url"
    code, _, err = run("models", "import", "--from", "nonsense")
    assert code == 1 and err.startswith("error: unknown data kind 'nonsense'")
    missing = feed_host.url("/missing")
    code, _, err = run("models", "import", "--from", "aider", "--url", missing)
    assert (code, err) == (
        1,
        f"error: cannot fetch the aider data from {missing}: HTTP 404 Not Found\n",
    )


def test_sources_defaults_import_and_export(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("sources", "add-defaults")
    assert code == 0 and out.strip().endswith("18 added, 0 skipped")
    code, out, _ = run("sources", "add-defaults", "--json")
    results = json.loads(out)
    assert len(results) == 18 and all(r["source"] is None for r in results)
    assert results[0]["error"].startswith("source #1 already has the URL")

    exported = env / "sources.opml"
    code, out, _ = run("sources", "export", str(exported))
    assert code == 0 and exported.read_bytes().startswith(b"<?xml")

    opml = env / "mine.opml"
    opml.write_bytes(
        b"<opml version='2.0'><body><outline text='Mine'>"
        b"<outline type='rss' text='OpenAI' xmlUrl='https://openai.com/news/rss.xml'/>"
        b"<outline type='rss' text='Local' xmlUrl='http://127.0.0.1:8080/feed'/>"
        b"<outline type='rss' text='New' xmlUrl='https://example.org/new.xml'/>"
        b"</outline></body></opml>"
    )
    code, out, _ = run("sources", "import", str(opml))
    assert code == 0
    assert "skipped https://openai.com/news/rss.xml: source #1 already has the URL" in out
    assert "skipped http://127.0.0.1:8080/feed: 127.0.0.1 is a loopback" in out
    assert "added #19: New" in out and out.strip().endswith("1 added, 2 skipped")

    code, _, err = run("sources", "import", str(env / "missing.opml"))
    assert (
        code == 1
        and err.strip() == f"error: cannot read {env / 'missing.opml'}: No such file or directory"
    )
    (env / "bad.opml").write_bytes(b"nonsense")
    code, _, err = run("sources", "import", str(env / "bad.opml"))
    assert code == 1 and err.startswith("error: not a readable OPML file")

    # A file cut off mid-outline is refused with its line; nothing is added.
    whole = exported.read_bytes()
    cut = whole[: whole.index(b"xmlUrl", len(whole) // 2)]
    (env / "cut.opml").write_bytes(cut)
    code, out, err = run("sources", "import", str(env / "cut.opml"))
    line = cut.count(b"\n") + 1
    assert code == 1 and out == ""
    assert err.startswith(f"error: not a readable OPML file: line {line}, column ")

    # An export read back into a fresh database gives the same sources, tiers and intervals.
    def kept(listed: str) -> list[tuple[str, str, str, int]]:
        # In URL order: the export groups sources by tier, so they come back in another order.
        return sorted(
            (s["url"], s["name"], s["trust_tier"], s["interval_seconds"])
            for s in json.loads(listed)
        )

    before = kept(run("sources", "list", "--json")[1])
    assert {tier for _, _, tier, _ in before} == {"official", "paper", "press", "community"}
    code, out, _ = run("sources", "export")
    fresh = env / "fresh.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{fresh}")
    (env / "all.opml").write_text(out)
    code, out, _ = run("sources", "import", str(env / "all.opml"), "--json")
    assert code == 0 and sum(1 for r in json.loads(out) if r["source"]) == 19
    assert kept(run("sources", "list", "--json")[1]) == before


def test_digest_filters(env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    # The Ollama blog's newest posts are from August 2026; the digest's window is the last 30
    # days before now, so a post dated now is made for this test by the feed itself.
    add_todays_feed(feed_host, ("GPT-6 announced", "Sponsored: buy GPUs"))
    assert run("collect")[0] == 0
    code, out, _ = run(
        "digest", "--lang", "en", "--dry-run", "--period", "day", "--exclude", "sponsored"
    )
    assert code == 0 and "GPT-6 announced" in out and "buy GPUs" not in out
    code, out, _ = run(
        "digest", "--lang", "en", "--dry-run", "--period", "day", "--include-re", r"gpt-?\d"
    )
    assert code == 0 and "GPT-6 announced" in out and "buy GPUs" not in out
    code, _, err = run("digest", "--dry-run", "--include-re", r"(a)\1")
    assert code == 1 and err.startswith("error: filter pattern '(a)\\1' is not usable")
    assert len(err.strip().splitlines()) == 1


def _answer_from_facts(body: dict[str, Any]) -> Reply:
    """What a well-behaved LLM answers: every story told by its title, citing its source."""
    facts = body["messages"][1]["content"]
    stories = [
        {"story": key, "text": title, "sources": [f"{key}.1"]}
        for key, title in re.findall(r"^(S\d+): (.*)$", facts, re.MULTILINE)
    ]
    digest = {
        "title": "What moved this day?",
        "thesis": "One release, weighed against what came before.",
        "stories": stories,
        "causes": [],
        "outlook": "",
        "takeaways": [{"lead": "Pace", "text": "Releases keep coming."}],
    }
    return Reply.from_json({"ru": digest, "en": digest})


def test_digest_with_an_llm_server_stores_provenance(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`aiprogress digest` with OPENAI_BASE_URL and LLM_MODEL set: one call for both languages,
    the checked draft printed, tokens and the fact sheet kept with the digest."""
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    add_todays_feed(feed_host, ("GPT-6 announced",))
    assert run("collect")[0] == 0
    with FakeOpenAI().in_thread() as llm:
        llm.default = _answer_from_facts
        monkeypatch.setenv("OPENAI_BASE_URL", llm.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-cli-test")
        monkeypatch.setenv("LLM_MODEL", "gpt-test")
        code, out, err = run("digest", "--period", "day", "--lang", "en")
        assert code == 0, err
        assert "What moved this day?" in out and "🔘 GPT-6 announced" in out
        assert "https://example.org/1" in out and "writer: llm (passed), gpt-test" in err
        code, out, _ = run("digest", "--period", "day", "--lang", "ru", "--json")
        assert code == 0
        assert len(llm.requests) == 1  # Russian was written with English, in the same call
    stored = json.loads(out)
    assert stored["language"] == "ru" and stored["verdict"] == "passed"
    assert stored["prompt_tokens"] == llm.requests[0].prompt_tokens
    assert stored["document"]["stories"][0]["links"] == ["https://example.org/1"]
    assert stored["fact_sheet"]["stories"][0]["title"] == "GPT-6 announced"
    assert "sk-cli-test" not in out + err


def test_publish_then_deliver_to_a_subscribed_telegram_chat(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`publish` writes the digest once for the subscribed chats and queues it; `deliver` sends
    it through the Telegram bot (to a fake Bot API server) and marks it sent."""
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    add_todays_feed(feed_host, ("GPT-6 announced",))
    assert run("collect")[0] == 0

    async def subscribe() -> None:
        store = SqlStore(create_engine(os.environ["DATABASE_URL"]))
        try:
            for chat in ("-1001", "42"):
                channel = await store.channels.ensure(
                    Platform.TELEGRAM, chat, language=Language.EN, kind=ChatKind.GROUP
                )
                await store.channels.update(
                    channel.id, ChannelUpdate(active=True, period=Period.DAY)
                )
        finally:
            await store.close()

    asyncio.run(subscribe())
    # The bot's settings, as the service has them: with no token the console would be a chat.
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    code, out, _ = run("publish", "--period", "day")
    assert code == 0 and out.strip() == "1 digest, 2 deliveries queued"
    with FakeTelegram().in_thread() as telegram:
        monkeypatch.setenv("TELEGRAM_API_BASE", telegram.base_url)
        code, out, err = run("deliver")
        assert code == 0, err
        assert out.strip() == "sent 2, retried 0, failed 0, channels deactivated 0"
        assert {call.chat_id for call in telegram.sent()} == {-1001, 42}
        assert all("GPT-6 announced" in (call.text or "") for call in telegram.sent())
        assert run("deliver")[1].strip().startswith("sent 0")  # nothing is sent twice
    assert TELEGRAM_TOKEN not in out + err


def test_deliver_tells_discord_owners_their_notices_as_run_does(
    env_with_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`deliver` tells the owners of both bots what `run`'s deliver job tells them (it told
    Telegram's only); a notice told is not told again."""
    from aiprogress.core.types import AdminNotice, NoticeKind

    async def notices(add: AdminNotice | None = None) -> list[AdminNotice]:
        """The pending notices, after adding `add`."""
        store = SqlStore(create_engine(os.environ["DATABASE_URL"]))
        try:
            if add is not None:
                await store.notices.add(add)
            return await store.notices.pending()
        finally:
            await store.close()

    notice = AdminNotice(
        kind=NoticeKind.CHANNEL_DEACTIVATED,
        text="channel Gone: 403 Missing Access",
        created_at=datetime.now(UTC),
        subject="Gone",
        detail="403 Missing Access",
    )
    assert len(asyncio.run(notices(notice))) == 1
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as a fresh process has it
    monkeypatch.setenv("DISCORD_BOT_TOKEN", DISCORD_TOKEN)
    monkeypatch.setenv("DISCORD_OWNER_IDS", "4242")
    with FakeDiscord(token=DISCORD_TOKEN).in_thread() as server, server.patch_base():
        code, out, err = run("deliver")
        assert code == 0, err
        (told,) = server.messages()
        assert "Gone" in told.body["content"] and "403 Missing Access" in told.body["content"]
        assert run("deliver")[0] == 0
        assert len(server.messages()) == 1
    assert asyncio.run(notices()) == []
    assert DISCORD_TOKEN not in out + err


def test_run_without_a_bot_token_says_so(env: Path) -> None:
    code, _, err = run("run")
    # What to do instead, in the one line: the console's cycle needs no token.
    assert (code, err.splitlines()[-1]) == (
        1,
        "error: no bot token is set: set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN, or run "
        "`aiprogress run --once` to print the digest here",
    )


def test_run_once_collects_writes_and_prints_the_digest_without_a_bot(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded default: no token, SQLite, the built-in writer; the digest goes to the
    console through the same outbox the bots use, once per scheduled moment."""
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("AIPROGRESS_LANGUAGE", "en")
    add_todays_feed(feed_host, ("GPT-6 announced",))
    code, out, err = run("run", "--once")
    assert code == 0, err
    # The console's first digest is of the day ending now: named with its times.
    day = r"\d+ \w+(?: \d{4})?, \d\d:\d\d"
    assert re.search(rf"In this digest \({day} – {day} UTC\)", out), out
    assert "🔘 GPT-6 announced" in out
    code, out, _ = run("run", "--once")
    assert code == 0 and "GPT-6 announced" not in out  # delivered once, not every run


def test_run_once_on_a_new_database_logs_the_upgrade_without_alembics_plugin_lines(
    env: Path,
) -> None:
    # A new SQLite file is made at head in one step (issue 21), and says so.
    code, _, err = run("run", "--once")
    assert code == 0, err
    from aiprogress.storage.migrate import HEAD_REVISION

    assert f"new SQLite database: schema created at revision {HEAD_REVISION}" in err
    assert "setup plugin" not in err, err


def test_run_once_says_on_stderr_what_failed_in_one_timed_line_per_job(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    add_todays_feed(feed_host, ("GPT-6 announced",))
    feed_host.routes["/broken"] = Route(status=500)
    assert run("sources", "add", feed_host.url("/broken"), "--name", "Broken", "--no-check")[0] == 0
    code, _, err = run("run", "--once")
    assert code == 0, err
    jobs = (re.search(r" job (\w+): ", line) for line in err.splitlines())
    lines = {found[1]: found.string for found in jobs if found}
    # A millisecond UTC timestamp, the level, the logger; the job's counts and its duration.
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.fullmatch(
        stamp + r" WARNING aiprogress\.app\.runtime: job collect: 2 sources, 1 fetched, "
        r"0 not modified, 1 failed, 1 new item, 0 updated items, "
        r"failing: #2 HTTP 500 Internal Server Error in \d+\.\d{3} s",
        lines["collect"],
    ), err
    assert re.fullmatch(
        stamp
        + r" INFO aiprogress\.app\.runtime: job publish: 1 digest, 1 delivery queued in [\d.]+ s",
        lines["publish"],
    ), err
    assert "job deliver: 1 sent, 0 retried, 0 failed, 0 deactivated, 0 taken over, 0 notices" in err
    assert "apscheduler" not in err


def test_json_log_lines_carry_milliseconds_and_the_jobs_counts(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv("AIPROGRESS_LOG_JSON", "true")
    feed_host.routes["/broken"] = Route(status=500)
    assert run("sources", "add", feed_host.url("/broken"), "--no-check")[0] == 0
    code, _, err = run("run", "--once")
    assert code == 0, err  # its one source failed: said in a JSON line, the cycle ran
    entries = {e.get("job"): e for e in map(json.loads, err.splitlines())}
    last = json.loads(err.splitlines()[-1])
    assert last["level"] == "ERROR"
    assert last["message"].startswith("every source failed (1 of 1): ")
    collect = entries["collect"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", collect["time"])
    # Its one source failed: nothing could be fetched, an error (some failing is a warning).
    assert collect["level"] == "ERROR" and isinstance(collect["duration_ms"], int)
    assert collect["counts"] == {
        "sources": 1,
        "fetched": 0,
        "not_modified": 0,
        "failed": 1,
        "new_items": 0,
        "updated_items": 0,
    }
    assert collect["failing"] == ["#1 HTTP 500 Internal Server Error"]
    assert entries["deliver"]["counts"]["sent"] == 1  # the console's digest, empty as it is


def test_collect_exits_1_when_every_source_failed(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    code, out, _ = run("collect")
    assert (code, out) == (
        0,
        "0 sources: 0 fetched, 0 not modified, 0 new items, 0 updated, 0 errors\n",
    )
    assert run("collect", "--strict")[0] == 0  # nothing to do is not a failure
    feed_host.routes["/down"] = Route(status=500)
    assert run("sources", "add", feed_host.url("/down"), "--no-check")[0] == 0
    # The discard port, where nothing listens.
    assert run("sources", "add", "http://127.0.0.1:9/closed.rss", "--no-check")[0] == 0
    code, out, err = run("collect")
    assert code == 1 and out.endswith(
        "0 fetched, 0 not modified, 0 new items, 0 updated, 2 errors\n"
    )
    assert "HTTP 500 Internal Server Error" in err and "cannot connect to 127.0.0.1:9" in err
    assert run("collect", "--json")[0] == 1


def test_models_audit_counts_nothing_misleading_on_the_seed_pairs(env_with_models: Path) -> None:
    code, out, err = run("models", "audit", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert len(document["pairs"]) == 8
    total = document["total"]
    assert total["rows"] > 100
    problems = ("cross_source_unlabelled", "duplicated", "variant_on_plain", "disagreeing_unshown")
    assert {name: total[name] for name in (*problems, "bad_wording")} == dict.fromkeys(
        (*problems, "bad_wording"), 0
    )
    assert total["disagreeing"] > 0  # there are disagreements, and every one is shown


def test_models_audit_table_heads_its_columns_in_words(
    env_with_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text table's headers are README's words, not the JSON's field names
    ("variant_on_plain", cut to "variant…" in 80 columns)."""
    monkeypatch.setenv("COLUMNS", "250")
    code, out, err = run("models", "audit", "gpt-4.5,gpt-4o")
    assert code == 0, err
    header = next(line for line in out.splitlines() if "pair" in line)
    cells = [cell.strip() for cell in header.strip("┃ ").split("┃")]
    assert cells == [
        "pair",
        "rows",
        "cross-source unlabelled",
        "duplicated",
        "setting on plain model",
        "disagreeing",
        "disagreement not shown",
        "×0/×1 wording",
    ]


def test_run_once_with_nothing_due_says_when_the_next_collection_and_digest_are(
    env: Path, feed_host: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIPROGRESS_ALLOW_PRIVATE_URLS", "true")
    add_todays_feed(feed_host, ("GPT-6 announced",))
    assert run("run", "--once")[0] == 0  # collects and posts the day's digest
    code, _, err = run("run", "--once")
    assert code == 0, err
    # The source was just checked (hourly), the console's digest was just written (daily).
    found = re.search(
        r"nothing due: next collection at (\d\d:\d\d) UTC \(source #1\), "
        r"next digest at (\d\d:\d\d) UTC \(console chat [^)]+\)",
        err,
    )
    assert found, err
    hour = (datetime.now(UTC) + timedelta(hours=1)).strftime("%H:")
    assert found[1].startswith(hour) or found[1].startswith(datetime.now(UTC).strftime("%H:"))
