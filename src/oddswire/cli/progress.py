"""Warm-up progress on the terminal: one updating line on a TTY, throttled lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressPrinter:
    def __init__(self, stream: TextIO | None = None, interval: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.interval = interval
        self._last = 0.0
        self._last_what = ""
        self._width = 0

    def __call__(self, what: str, fraction: float | None) -> None:
        now = time.monotonic()
        stage = what.split(":", maxsplit=1)[0]
        if not self.tty and stage == self._last_what and now - self._last < self.interval:
            return
        self._last = now
        self._last_what = stage
        text = what if fraction is None else f"{what} {fraction:6.1%}"
        if self.tty:
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
