"""Measure start-up: what a user waits for when a command does little or nothing.

Each case is run as a process of its own, RUNS times (default 10), interleaved with the others
so that a change in the machine's load touches every case alike; the median wall time counts,
with the median CPU time (user + system) and the peak RSS of the child (wait4). The baseline is
`python -c pass` in the same run: the interpreter's own start-up on this machine now.

  --help     `aiprogress --help`
  compare    `aiprogress compare gpt-4.5 gpt-4o` (text) on a database that holds the bundled
             models (imported once before, untimed)
  collect    `aiprogress collect` with no source to fetch (an empty, migrated database), which
             the entry point runs without Typer (app/entry.py)

The package's bytecode is written first, as `pip install` writes it for an installed copy:
with PYTHONDONTWRITEBYTECODE set (this machine's shells, the Dockerfile) an editable install
compiles every module of ours from source on every run, ~15% of `compare`'s CPU that no
installed copy pays.

Targets (issue 21): --help <= 0.25 s, compare <= 0.4 s, collect <= 0.35 s and <= 60 MB.

With --instructions each case also runs once under valgrind's callgrind, which counts the
instructions it executed (the child's, interpreter start-up and all): a count that the machine's
load barely moves, where a busy machine moves the CPU times by a third. That is the figure to
judge a start-up change by on a shared machine; each case takes ~50x its CPU time there.

    python bench/startup.py [--runs 10] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from _stats import load, run_child, write_bytecode

TARGETS_S = {"--help": 0.25, "compare": 0.40, "collect": 0.35}
TARGET_COLLECT_MB = 60.0


@dataclass
class Case:
    name: str
    command: list[str]
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    instructions: int | None = None


def aiprogress() -> list[str]:
    script = Path(sys.executable).parent / "aiprogress"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aiprogress"]


def timed(case: Case, environment: dict[str, str], folder: str) -> None:
    run = run_child(case.command, environment, folder)
    case.wall_s.append(run.wall_s)
    case.cpu_s.append(run.cpu_s)
    case.peak_mb.append(run.peak_mb)


def counted(case: Case, environment: dict[str, str], folder: str, valgrind: str) -> None:
    """The instructions the case's process executed, as callgrind counts them."""
    completed = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *case.command],
        env=environment,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", completed.stderr)
    if completed.returncode != 0 or found is None:
        raise SystemExit(f"{' '.join(case.command)} under callgrind failed:\n{completed.stderr}")
    case.instructions = int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each case's instructions once under valgrind's callgrind",
    )
    args = parser.parse_args()
    valgrind = shutil.which("valgrind") if args.instructions else None
    if args.instructions and valgrind is None:
        parser.error("--instructions needs valgrind (apt-get install valgrind)")
    write_bytecode()

    print(f"$ python bench/startup.py --runs {args.runs}{' --instructions' * args.instructions}")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {load()} at the start"
    )
    with tempfile.TemporaryDirectory(prefix="aiprogress-startup-") as folder:
        environment = {
            **{
                k: v for k, v in os.environ.items() if not k.startswith(("AIPROGRESS_", "DATABASE"))
            },
            "DATABASE_URL": f"sqlite:///{folder}/startup.db",
        }
        command = aiprogress()
        # Untimed: the schema, and the bundled models that `compare` imports on first use.
        subprocess.run(
            [*command, "db", "upgrade"],
            env=environment,
            cwd=folder,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*command, "compare", "gpt-4.5", "gpt-4o"],
            env=environment,
            cwd=folder,
            check=True,
            capture_output=True,
        )
        cases = [
            Case("python -c pass", [sys.executable, "-c", "pass"]),
            Case("--help", [*command, "--help"]),
            Case("compare", [*command, "compare", "gpt-4.5", "gpt-4o"]),
            Case("collect", [*command, "collect"]),
        ]
        for _ in range(args.runs):
            for case in cases:
                timed(case, environment, folder)
        if valgrind is not None:
            for case in cases:
                counted(case, environment, folder, valgrind)

    baseline = statistics.median(cases[0].wall_s)
    counts = f" {'instructions':>14}" if args.instructions else ""
    print(
        f"{'case':<16} {'wall p50':>9} {'over python':>12} {'CPU p50':>8} {'peak RSS':>9}"
        f"{counts}   target"
    )
    for case in cases:
        wall = statistics.median(case.wall_s)
        cpu = statistics.median(case.cpu_s)
        peak = max(case.peak_mb)
        target = TARGETS_S.get(case.name)
        verdict = ""
        if target is not None:
            met = wall <= target and (case.name != "collect" or peak <= TARGET_COLLECT_MB)
            limit = f"<= {target:.2f} s" + (
                f", <= {TARGET_COLLECT_MB:.0f} MB" if case.name == "collect" else ""
            )
            verdict = f"{limit}: {'met' if met else 'missed'}"
        count = f" {case.instructions:14,}" if case.instructions is not None else ""
        print(
            f"{case.name:<16} {wall:8.3f}s {wall - baseline:+11.3f}s {cpu:7.3f}s {peak:7.1f}MB"
            f"{count}   {verdict}"
        )
    print(f"{load()} at the end (wall times on a loaded machine are inflated; CPU less so)")


if __name__ == "__main__":
    main()
