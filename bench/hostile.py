"""Measure what each hostile feed costs the parser: CPU and peak memory over the process's size.

Runs `python -m tests.sources.hostile_cost --reference` RUNS times (default 5), each a process of
its own, and prints each feed's median CPU seconds and peak MB against issue 21's bound per feed
(0.5 s of CPU, 30 MB). The baseline, in the same runs, is an ordinary recorded feed (Anthropic's
news, 255 items). `tests/sources/test_hostile_cost.py` asserts each feed's refusal and memory;
CPU is measured here, not asserted, since a busy machine moves it by half.

    python bench/hostile.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

MAX_CPU_SECONDS = 0.5
MAX_MB = 30.0
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    load = os.getloadavg()
    print(f"$ python bench/hostile.py --runs {runs}")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load[0]:.2f} (1 min) at the start"
    )
    cpu: dict[str, list[float]] = defaultdict(list)
    mb: dict[str, list[float]] = defaultdict(list)
    outcome: dict[str, str] = {}
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-m", "tests.sources.hostile_cost", "--reference"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        for row in map(json.loads, completed.stdout.splitlines()):
            cpu[row["name"]].append(row["cpu"])
            mb[row["name"]].append(row["mb"])
            outcome[row["name"]] = row["outcome"]
    print(f"{'feed':42} {'CPU p50':>8} {'peak MB':>8}  within bound  outcome")
    over = 0
    for name in cpu:
        seconds, size = statistics.median(cpu[name]), statistics.median(mb[name])
        within = seconds <= MAX_CPU_SECONDS and size <= MAX_MB
        over += not within and not name.startswith("reference")
        mark = "" if name.startswith("reference") else ("yes" if within else "NO")
        print(f"{name[:42]:42} {seconds:7.3f}s {size:7.1f}  {mark:12}  {outcome[name][:60]}")
    print(
        f"{len(cpu) - 1} hostile feeds, {over} over the bound of {MAX_CPU_SECONDS} s and "
        f"{MAX_MB:.0f} MB; load average {os.getloadavg()[0]:.2f} (1 min) at the end"
    )


if __name__ == "__main__":
    main()
