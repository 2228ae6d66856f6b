"""Each distinct comparison drawn once: the chart's PNG kept under a digest of what it shows.

A chart costs ~20 ms of CPU (Pillow's text and the PNG's compression; 100-140 ms when
matplotlib drew it) and the same pairs are asked for again and again. The key is the
comparison's content, every value, source and date in it, and the language: when the knowledge
base changes what a comparison holds, the key changes with it, so nothing needs to be
invalidated and nothing stale is served.
Pillow is imported on the first miss, not when a bot starts.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from aiprogress.core.comparison import Comparison
from aiprogress.core.types import Language

Render = Callable[[Comparison, Language], bytes]

# ~30-60 KB a chart: 32 of them stay under 2 MB.
DEFAULT_CAPACITY = 32


def _render(comparison: Comparison, language: Language) -> bytes:
    from aiprogress.digest.chart import render_comparison_chart

    return render_comparison_chart(comparison, language)


def content_key(comparison: Comparison, language: Language) -> bytes:
    """A digest of everything the chart is drawn from. The comparison is frozen dataclasses,
    tuples, numbers, strings and dates, whose repr is complete and deterministic."""
    text = f"{language.value}\n{comparison!r}"
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class ChartCache:
    """The least recently used `capacity` charts, by content, drawn one at a time. Called from
    worker threads."""

    def __init__(self, render: Render = _render, *, capacity: int = DEFAULT_CAPACITY) -> None:
        self._render = render
        self._capacity = max(1, capacity)
        self._pngs: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()
        # One chart is drawn at a time: a drawing holds a full-size image (~8 MB with its
        # palette copy), and the bot's updates, each drawing in a worker thread, added that up
        # (`aiprogress run` after 200 /compare: peak 263 MB drawing at once, 238 one at a time).
        # A drawing costs ~20 ms of CPU, so waiting for one costs little; a request for the
        # chart being drawn gets it when it is done instead of drawing it again.
        self._drawing = threading.Lock()
        self.renders = 0  # charts drawn, for the bench and the tests

    def _cached(self, key: bytes) -> bytes | None:
        with self._lock:
            png = self._pngs.get(key)
            if png is not None:
                self._pngs.move_to_end(key)
            return png

    def __call__(self, comparison: Comparison, language: Language) -> bytes:
        key = content_key(comparison, language)
        png = self._cached(key)
        if png is not None:
            return png
        with self._drawing:
            png = self._cached(key)  # drawn while this request waited
            if png is not None:
                return png
            png = self._render(comparison, language)
            with self._lock:
                self.renders += 1
                self._pngs[key] = png
                while len(self._pngs) > self._capacity:
                    self._pngs.popitem(last=False)
        return png
