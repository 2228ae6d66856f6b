"""The process's entry point runs `aiprogress collect [--json] [--strict]` without Typer (issue 21)
and prints what the Typer command prints, byte for byte, with the same exit status: for every
source fetched, some failed and all failed, as text and JSON, with and without --strict, and for
a closed pipe. Any other command line (`collect --help`, an unknown option, an option given
twice) is Typer's, as before. Each run is a process of its own, on its own copy of one database,
so that both ways in start from the same state."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiprogress.app.entry import collect_options
from tests.conftest import snapshot_feed
from tests.servers.feeds import FeedServer, Route

# The entry point (`entry`) or the Typer command line's `main` (`typer`), as the installed
# script calls either, under the same program name; the modules loaded are written at exit.
_PROBE = """
import atexit, gc, json, os, sys
atexit.register(
    lambda: open(os.environ["PROBE_MODULES"], "w").write(
        json.dumps({"modules": sorted(sys.modules), "frozen": gc.get_freeze_count()})
    )
)
way = sys.argv.pop(1)
sys.argv[0] = "aiprogress"
if way == "entry":
    from aiprogress.app.entry import main
else:
    from aiprogress.app.cli import main
sys.exit(main())
"""

Run = tuple[int, str, str]


def _run(
    way: str, args: list[str], database: Path, folder: Path, **variables: str
) -> tuple[Run, set[str]]:
    """Exit status, stdout and stderr of one process, and the modules it loaded."""
    modules = folder / f"modules-{way}.json"
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AIPROGRESS_", "DATABASE_", "FORCE_COLOR", "TTY_COMPATIBLE"))
            and not k.endswith("_COMPLETE")
        },
        "DATABASE_URL": f"sqlite:///{database}",
        "AIPROGRESS_ALLOW_PRIVATE_URLS": "true",
        "COLUMNS": "100",
        "PROBE_MODULES": str(modules),
        **variables,
    }
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, way, *args],
        env=environment,
        cwd=folder,  # no .env is read from the repository
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    ended = json.loads(modules.read_text())
    # What is alive at the end is frozen, either way (the entry point's `main` as the command
    # line's): the interpreter's exit does not walk it again.
    assert ended["frozen"] > 10_000
    return (completed.returncode, completed.stdout, completed.stderr), set(ended["modules"])


def _both(
    args: list[str], database: Path, folder: Path, **variables: str
) -> tuple[Run, Run, set[str], set[str]]:
    """`args` run both ways, each on a copy of `database` as it is now (or on a new one)."""
    runs = []
    for way in ("entry", "typer"):
        copy = folder / f"{way}.db"
        if database.exists():  # else each way makes its own, new
            shutil.copyfile(database, copy)
        runs.append(_run(way, args, copy, folder, **variables))
    (entry, entry_loaded), (typer, typer_loaded) = runs
    return entry, typer, entry_loaded, typer_loaded


def _typer_free(loaded: set[str]) -> bool:
    return not any(name.split(".")[0] in {"typer", "click"} for name in loaded)


@pytest.fixture(scope="module")
def feed_host() -> Iterator[FeedServer]:
    with FeedServer().in_thread() as host:
        host.feed("/ollama.rss", snapshot_feed("ollama-blog.rss"))
        host.routes["/down"] = Route(status=500)
        yield host


# Every source fetched; one fetched and one failed; every source failed (one HTTP 500, one
# refused connection on the discard port).
SCENARIOS = {
    "none failed": ["/ollama.rss"],
    "some failed": ["/ollama.rss", "/down"],
    "all failed": ["/down", "http://127.0.0.1:9/closed.rss"],
}


@pytest.fixture(params=list(SCENARIOS), scope="module")
def scenario(
    request: pytest.FixtureRequest, feed_host: FeedServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """The scenario's name and a database at the schema's head holding its sources, never
    collected."""
    name: str = request.param
    folder = tmp_path_factory.mktemp("scenario")
    database = folder / "sources.db"
    for path in SCENARIOS[name]:
        url = path if path.startswith("http") else feed_host.url(path)
        (code, _, err), _ = _run("typer", ["sources", "add", url, "--no-check"], database, folder)
        assert code == 0, err
    return name, database


@pytest.mark.parametrize("flags", [[], ["--json"], ["--strict"], ["--strict", "--json"]], ids=str)
def test_collect_prints_and_exits_as_the_typer_command(
    flags: list[str], scenario: tuple[str, Path], tmp_path: Path
) -> None:
    name, database = scenario
    entry, typer, entry_loaded, typer_loaded = _both(["collect", *flags], database, tmp_path)
    assert entry == typer
    assert _typer_free(entry_loaded) and not _typer_free(typer_loaded)
    code, out, err = entry
    # What was printed is the report of this scenario, and the status follows the rule.
    failed = {"none failed": 0, "some failed": 1, "all failed": 2}[name]
    if "--json" in flags:
        results = json.loads(out)
        assert sum(result["status"] == "error" for result in results) == failed
        assert err == ""
    else:
        assert out.endswith(f" {failed} error{'' if failed == 1 else 's'}\n")
        assert err.count("  ✗ ") == failed
    every = failed == len(SCENARIOS[name])
    assert code == (1 if failed and (every or "--strict" in flags) else 0)


def test_a_collect_with_nothing_to_fetch_is_no_failure(tmp_path: Path) -> None:
    entry, typer, entry_loaded, _ = _both(["collect", "--strict"], tmp_path / "empty.db", tmp_path)
    assert entry == typer
    assert entry == (
        0,
        "0 sources: 0 fetched, 0 not modified, 0 new items, 0 updated, 0 errors\n",
        "",
    )
    assert _typer_free(entry_loaded)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AIPROGRESS_FETCH_CONCURRENCY", "many"), ("DATABASE_URL", "sqlite:////no/such/dir/x.db")],
)
def test_a_bad_setting_ends_the_collect_in_one_line_as_before(
    variable: str, value: str, tmp_path: Path
) -> None:
    entry, typer, entry_loaded, _ = _both(
        ["collect", "--json"], tmp_path / "bad.db", tmp_path, **{variable: value}
    )
    assert entry == typer
    code, out, err = entry
    assert (code, out) == (1, "") and err.startswith("error: ") and err.count("\n") == 1
    assert _typer_free(entry_loaded)


@pytest.mark.parametrize(
    "args",
    [
        ["collect", "--help"],
        ["collect", "--bogus"],
        ["collect", "--json", "--json"],
        ["collect", "--strict", "extra"],
        ["--help"],
    ],
    ids=" ".join,
)
def test_any_other_command_line_is_typer_s(args: list[str], tmp_path: Path) -> None:
    entry, typer, entry_loaded, _ = _both(args, tmp_path / "empty.db", tmp_path)
    assert entry == typer
    assert not _typer_free(entry_loaded)


def test_help_and_usage_errors_are_today_s(tmp_path: Path) -> None:
    (code, out, err), _ = _run("entry", ["collect", "--help"], tmp_path / "help.db", tmp_path)
    assert (code, err) == (0, "")
    assert out.lstrip(" \n").startswith("Usage: aiprogress collect [OPTIONS]")
    assert "--json" in out and "--strict" in out
    (code, out, err), _ = _run("entry", ["collect", "--bogus"], tmp_path / "help.db", tmp_path)
    assert (code, out, err) == (1, "", "error: No such option: --bogus\n")
    # Given twice, an option is Typer's to read (the last one counts), as it always was.
    (code, out, _), _ = _run("entry", ["collect", "--json", "--json"], tmp_path / "j.db", tmp_path)
    assert (code, json.loads(out)) == (0, [])


def test_a_closed_pipe_ends_the_collect_as_typer_ends_it(tmp_path: Path) -> None:
    """`aiprogress collect | true`: the reader is gone before the summary line is written. Exit
    status 1 and nothing on stderr, both ways (Click's standalone mode, done by the entry)."""
    ended = []
    for way in ("entry", "typer"):
        environment = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("AIPROGRESS_", "DATABASE_"))
            },
            "DATABASE_URL": f"sqlite:///{tmp_path / f'{way}.db'}",
            "PROBE_MODULES": str(tmp_path / f"modules-{way}.json"),
        }
        read, write = os.pipe()
        os.close(read)
        with os.fdopen(write, "wb") as closed:
            completed = subprocess.run(
                [sys.executable, "-c", _PROBE, way, "collect"],
                env=environment,
                cwd=tmp_path,
                stdout=closed,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
                check=False,
            )
        ended.append((completed.returncode, completed.stderr))
    assert ended[0] == ended[1] == (1, "")


@pytest.mark.parametrize(
    ("args", "options"),
    [
        (["collect"], (False, False)),
        (["collect", "--json"], (True, False)),
        (["collect", "--strict"], (False, True)),
        (["collect", "--strict", "--json"], (True, True)),
        (["collect", "--json", "--strict"], (True, True)),
        ([], None),
        (["--help"], None),
        (["--json", "collect"], None),
        (["collect", "--help"], None),
        (["collect", "-h"], None),
        (["collect", "--json", "--json"], None),
        (["collect", "--strict", "--strict"], None),
        (["collect", "--json=true"], None),
        (["collect", "--"], None),
        (["collect", "--lang", "en"], None),
        (["sources", "list"], None),
        (["collect", "sources"], None),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_only_collect_with_its_two_flags_skips_typer(
    args: list[str], options: tuple[bool, bool] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.endswith("_COMPLETE")]:
        monkeypatch.delenv(name)
    assert collect_options(args) == options


def test_shell_completion_is_typer_s(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_AIPROGRESS_COMPLETE", "bash_complete")
    assert collect_options(["collect"]) is None
    monkeypatch.setenv("_AIPROGRESS_COMPLETE", "")
    assert collect_options(["collect"]) == (False, False)


def test_ctrl_c_ends_the_collect_as_typer_ends_it(feed_host: FeedServer, tmp_path: Path) -> None:
    """Ctrl-C while a feed is being fetched: exit status 130 and no traceback, both ways."""
    feed_host.routes["/slow.rss"] = Route(body=b"<rss>" + b" " * 4096, trickle_seconds=0.5)
    database = tmp_path / "slow.db"
    (code, _, err), _ = _run(
        "typer", ["sources", "add", feed_host.url("/slow.rss"), "--no-check"], database, tmp_path
    )
    assert code == 0, err
    ended = []
    for way in ("entry", "typer"):
        copy = tmp_path / f"{way}.db"
        shutil.copyfile(database, copy)
        hits = feed_host.hits["/slow.rss"]
        child = subprocess.Popen(
            [sys.executable, "-c", _PROBE, way, "collect"],
            env={
                **{
                    k: v
                    for k, v in os.environ.items()
                    if not k.startswith(("AIPROGRESS_", "DATABASE_"))
                },
                "DATABASE_URL": f"sqlite:///{copy}",
                "AIPROGRESS_ALLOW_PRIVATE_URLS": "true",
                "PROBE_MODULES": str(tmp_path / f"modules-{way}.json"),
            },
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while feed_host.hits["/slow.rss"] == hits and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        ended.append((child.returncode, out, err))
    assert ended[0] == ended[1] == (130, "", "")
