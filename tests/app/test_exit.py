"""The command line's process skips the interpreter's last garbage collection (issue 21): its
entry point freezes what is alive when the command ends, and the command's output and exit
status are as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# An atexit handler runs after the entry point returns and before the interpreter's last
# collection: it reports what is frozen then.
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count(), file=sys.stderr))
from aiprogress.app.cli import main
main()
"""


def test_the_entry_point_freezes_what_is_alive_at_the_end(tmp_path: Path) -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AIPROGRESS_", "DATABASE_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'exit.db'}",
    }
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, "collect"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("0 sources: 0 fetched")
    frozen = int(completed.stderr.split("frozen ")[-1].split()[0])
    assert frozen > 10_000
