"""The service's allocator setting: large blocks freed in worker threads go back to the system."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# Four worker threads, as the bots' chart drawings: each takes an 8 MB block (a chart's image),
# keeps a few small objects and frees the block, five times; prints the MB still resident.
FREE_IN_THREADS = """
import sys, threading
from aiprogress.app.runtime import return_freed_memory
if sys.argv[1] == "fixed":
    assert return_freed_memory()
def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmRSS")) // 1024
barrier = threading.Barrier(4)
def work():
    for _ in range(5):
        barrier.wait()
        block = bytearray(8 << 20)
        block[::4096] = b"x" * len(range(0, 8 << 20, 4096))
        kept = [bytes(100) for _ in range(1000)]
        del block
        barrier.wait()
before = rss()
threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(rss() - before)
"""


def kept_mb(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", FREE_IN_THREADS, mode],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(done.stdout)


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the threshold is glibc's mallopt, RSS is read from Linux's /proc",
)
def test_freed_large_blocks_are_returned_with_the_threshold_fixed() -> None:
    # glibc's moving threshold keeps the freed blocks in the threads' heaps; fixed, they go.
    assert kept_mb("moving") >= 16
    assert kept_mb("fixed") <= 8
