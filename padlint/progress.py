"""A progress line on stderr for long runs: ``padlint: 1,200/3,000 files (40%)``, rewritten in place.

Shown only where someone watches: stderr is a terminal (not a pipe, a file or a
CI log: none is shown when ``CI`` is set, as CI systems set it, nor with
``TERM=dumb``), and only once the run has taken a second (a short run prints
nothing). It is redrawn at most ten times a second and erased at the end, so
the report that follows starts on a clean line. The text is padlint's own
(numbers), never a file's name: nothing in it needs escaping.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

#: Seconds before the line first appears, and between redraws.
DELAY = 1.0
INTERVAL = 0.1


def wanted(stream: TextIO) -> bool:
    """Whether a progress line may be drawn on ``stream``."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb" or os.environ.get("PADLINT_NO_PROGRESS"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """Counts finished files out of ``total`` (``done`` of them already, from the cache)."""

    def __init__(self, total: int, done: int = 0, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.done = done
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.started = time.monotonic()
        self._drawn = 0.0
        self._shown = False

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < DELAY or now - self._drawn < INTERVAL:
            return
        self._drawn = now
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        self._write(f"\r\x1b[Kpadlint: {self.done:,}/{self.total:,} files{share}")
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._write("\r\x1b[K")
            self._shown = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()
