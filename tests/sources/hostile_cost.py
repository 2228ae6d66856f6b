"""Measures what each hostile feed of the corpus costs parse_feed, in a process of its own: CPU
seconds and the peak resident memory it adds (Linux: the peak is reset before each feed through
/proc/self/clear_refs, so each figure is that feed's own). Prints one JSON object per feed;
with `--reference`, first one for a real recorded feed (Anthropic's news, 255 items), what an
ordinary feed costs on the same machine in the same run.

    python -m tests.sources.hostile_cost [--reference]
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import sys
import time
from pathlib import Path

from aiprogress.core.errors import ParseError
from aiprogress.sources.parse import parse_feed
from tests.sources.hostile_corpus import CORPUS

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_WARM_UP = Path(__file__).parents[2] / "src/aiprogress/sources/snapshot/feeds/anthropic-news.rss"


_LIBC = ctypes.CDLL("libc.so.6")


def _status_mb(key: str) -> float:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(key)


def main() -> None:
    # Both engines and the sanitiser loaded and used once, so no import counts against a feed.
    parse_feed(_WARM_UP.read_bytes(), url="https://example.org/feed")
    with contextlib.suppress(ParseError):
        parse_feed(b"<rss><channel><item><title>a & b</title></item></channel></rss>", url="x:")
    cases = [(hostile.name, hostile.build) for hostile in CORPUS]
    if "--reference" in sys.argv[1:]:
        cases.insert(0, ("reference: anthropic-news.rss", _WARM_UP.read_bytes))
    for name, build in cases:
        document = build()
        gc.collect()
        # Memory freed by the feed before is handed back, so the peak below is this feed's own.
        _LIBC.malloc_trim(0)
        _CLEAR_REFS.write_text("5")  # the peak (VmHWM) starts again from the current size
        resident = _status_mb("VmRSS")
        started = time.process_time()
        try:
            feed = parse_feed(document, url="https://example.org/feed")
            outcome = f"{len(feed.items)} items"
        except ParseError as exc:
            outcome = str(exc)
        cpu = time.process_time() - started
        peak = _status_mb("VmHWM") - resident
        del document
        print(json.dumps({"name": name, "outcome": outcome, "cpu": cpu, "mb": peak}))


if __name__ == "__main__":
    main()
