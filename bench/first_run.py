"""Measure the first run: what a new user waits for after `pip install .` (issue 21).

Each case is a process of its own in a fresh folder with a fresh SQLite database, RUNS times
(default 3), interleaved so that the machine's load touches every case alike; the median wall
time counts, with the median CPU time (user + system) and the peak RSS of the child (wait4).
The baseline is `python -c pass` in the same run.

  demo      `aiprogress demo`: the README's quick start (collect the bundled feeds, import the
            bundled model data, write both digests, compare GPT-4.5 with GPT-4o)
  compare   `aiprogress compare gpt-4.5 gpt-4o` on a database that does not exist yet: the
            schema is made and the bundled model data imported before the answer

With --baseline-src PATH every aiprogress case also runs from another source tree (PATH is put
first on PYTHONPATH, e.g. a `git worktree` of the commit to compare with, `.../src`), in the
same rounds: a paired A/B on one machine at one load.

With --statements the bundled model data's import also runs once in this process on a fresh
SQLite database (and on PostgreSQL with --postgres URL), counting the SQL statements the
schema's creation and the import send (an SQLAlchemy event listener) and their CPU time: the
figures that a busy machine does not move. The figures are this source tree's only.

Target (issue 21): `demo` under ~4 s on a quiet machine.

    python bench/first_run.py [--runs 3 (0: none)] [--baseline-src PATH] [--statements] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from _stats import load, run_child, write_bytecode

TARGET_DEMO_S = 4.0


@dataclass
class Case:
    name: str
    command: list[str]
    source: str | None = None  # a source tree put first on PYTHONPATH
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)


def aiprogress(*, baseline: bool) -> list[str]:
    """The installed console script, or `python -m aiprogress` when a baseline tree is compared:
    the script names the installed tree's entry module (`aiprogress.app.entry` since issue 21's
    typer-free `collect`), which an older tree put first on PYTHONPATH may not have, while every
    tree has `aiprogress/__main__.py`. Both contenders then start the same way."""
    script = Path(sys.executable).parent / "aiprogress"
    if baseline or not script.exists():
        return [sys.executable, "-m", "aiprogress"]
    return [str(script)]


def environment(folder: str, source: str | None) -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if not k.startswith(("AIPROGRESS_", "DATABASE"))}
    found["DATABASE_URL"] = f"sqlite:///{folder}/first.db"
    if source is not None:
        found["PYTHONPATH"] = os.pathsep.join(filter(None, [source, found.get("PYTHONPATH")]))
    return found


def timed(case: Case) -> None:
    """One run of the case in a folder of its own (no database, no .env), timed."""
    with tempfile.TemporaryDirectory(prefix="aiprogress-first-") as folder:
        run = run_child(case.command, environment(folder, case.source), folder)
    case.wall_s.append(run.wall_s)
    case.cpu_s.append(run.cpu_s)
    case.peak_mb.append(run.peak_mb)


async def count_statements(url: str) -> tuple[int, float, int, float]:
    """(statements, CPU s) of the schema's creation, then of the bundled data's import."""
    from sqlalchemy import event

    from aiprogress.app.models_data import import_bundled_models
    from aiprogress.core.clock import FixedClock
    from aiprogress.core.registry import ModelRegistry
    from aiprogress.digest.compare import compare_models
    from aiprogress.sources.names import ModelIndex
    from aiprogress.storage.engine import create_engine
    from aiprogress.storage.migrate import upgrade
    from aiprogress.storage.store import SqlStore

    store = SqlStore(create_engine(url))
    sent = [0]

    def count(*_: object) -> None:
        sent[0] += 1

    event.listen(store.engine.sync_engine, "before_cursor_execute", count)
    try:
        started = time.process_time()
        await upgrade(store.engine)
        schema = (sent[0], time.process_time() - started)
        sent[0] = 0
        registry = ModelRegistry(
            store=store,
            clock=FixedClock(datetime(2026, 8, 15, tzinfo=UTC)),
            index_factory=ModelIndex,
            analyst=compare_models,
        )
        started = time.process_time()
        await import_bundled_models(registry)
        imported = (sent[0], time.process_time() - started)
    finally:
        await store.close()
    return (*schema, *imported)


async def reset_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def statements(postgres: str | None) -> None:
    print("statements sent (an event listener), CPU of this process (threads included):")
    print(f"{'database':<12} {'schema':>8} {'CPU':>7} {'import':>8} {'CPU':>7}")
    with tempfile.TemporaryDirectory(prefix="aiprogress-first-") as folder:
        urls = [("sqlite", f"sqlite:///{folder}/count.db")]
        if postgres:
            urls.append(("postgresql", postgres))
        for name, url in urls:
            if name == "postgresql":
                asyncio.run(reset_postgres(url))
            made, made_cpu, imported, imported_cpu = asyncio.run(count_statements(url))
            print(f"{name:<12} {made:8} {made_cpu:6.2f}s {imported:8} {imported_cpu:6.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-src", help="another source tree to run the cases from too")
    parser.add_argument("--statements", action="store_true", help="count the import's SQL")
    parser.add_argument(
        "--postgres", help="with --statements: a PostgreSQL database whose schema is DROPPED"
    )
    args = parser.parse_args()
    sources = [str(Path(args.baseline_src).resolve())] if args.baseline_src else []
    write_bytecode(sources)

    print(f"$ python bench/first_run.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {load()} at the start"
    )
    command = aiprogress(baseline=bool(sources))
    cases = [Case("python -c pass", [sys.executable, "-c", "pass"])]
    for source in [None, *sources]:
        label = "" if source is None else " (baseline)"
        cases += [
            Case(f"demo{label}", [*command, "demo"], source),
            Case(f"compare{label}", [*command, "compare", "gpt-4.5", "gpt-4o"], source),
        ]
    for _ in range(args.runs):
        for case in cases:
            timed(case)
    if args.runs > 0:
        report(cases)
    if args.statements:
        statements(args.postgres)


def report(cases: list[Case]) -> None:
    baseline = statistics.median(cases[0].wall_s)
    print(f"{'case':<20} {'wall p50':>9} {'over python':>12} {'CPU p50':>8} {'peak RSS':>9}")
    for case in cases:
        wall = statistics.median(case.wall_s)
        cpu = statistics.median(case.cpu_s)
        verdict = ""
        if case.name == "demo":
            met = wall <= TARGET_DEMO_S
            verdict = f"   <= {TARGET_DEMO_S:.0f} s: {'met' if met else 'missed'}"
        print(
            f"{case.name:<20} {wall:8.3f}s {wall - baseline:+11.3f}s {cpu:7.3f}s "
            f"{max(case.peak_mb):7.1f}MB{verdict}"
        )
    print(f"{load()} at the end (wall times on a loaded machine are inflated; CPU less so)")


if __name__ == "__main__":
    main()
