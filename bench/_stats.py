"""Figures the bench scripts share."""

from __future__ import annotations

import compileall
import importlib.util
import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], q: float) -> float:
    """The sample at quantile `q` (0..1) by nearest rank: one of the samples, never between."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    cpu_s: float  # user + system, the child's own (wait4)
    peak_mb: float  # the child's peak RSS (wait4)


def run_child(command: Sequence[str], environment: dict[str, str], folder: str) -> ChildRun:
    """Run `command` in `folder` (so no .env of the repository's is read) to its end and time
    it: wall from spawn to exit, and the child's own CPU and peak RSS. Exits with its stderr
    when it fails."""
    started = time.perf_counter()
    child = subprocess.Popen(
        list(command),
        env=environment,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    errors = child.stderr.read().decode(errors="replace")  # before wait4: a full pipe blocks it
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    return ChildRun(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def load() -> str:
    """The machine's load average, as the scripts print it beside their figures."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def write_bytecode(sources: Sequence[str] = ()) -> None:
    """Compile the installed package (and `sources`, other trees run in the same rounds) as
    `pip install` does for an installed copy: with PYTHONDONTWRITEBYTECODE set (this machine's
    shells, the Dockerfile) an editable install compiles every module of ours from source on
    every run, ~15% of `compare`'s CPU that no installed copy pays."""
    spec = importlib.util.find_spec("aiprogress")
    assert spec is not None and spec.submodule_search_locations is not None
    for folder in [*spec.submodule_search_locations, *sources]:
        compileall.compile_dir(folder, quiet=1)
