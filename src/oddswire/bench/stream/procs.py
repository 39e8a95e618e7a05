"""Child processes driven by lines on stdin/stdout, for the streaming benchmarks.

A :class:`Child` reads its child's stdout on a thread, so waiting for a line can time
out; its stderr goes to a file next to the benchmark's data (quoted when it fails).
``close`` asks the child to stop (its ``stop_line``), then terminates, then kills: use
it as a context manager so no child outlives an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from types import TracebackType
from typing import Any


class ChildFailed(RuntimeError):
    pass


class Child:
    def __init__(self, name: str, module: str, args: list[str], directory: str, stop_line: str):
        self.name = name
        self.stop_line = stop_line
        self.stderr_path = os.path.join(directory, f"{name}.stderr")
        self._stderr = open(self.stderr_path, "w")  # noqa: SIM115 (closed in close)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name=f"{name}-stdout", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def __enter__(self) -> Child:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(grace=5.0 if exc is not None else 20.0)

    # ------------------------------------------------------------ talking

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise self._failed(f"cannot send {line[:60]!r}: {exc}") from None

    def expect(self, word: str, timeout: float) -> str:
        """The rest of the next line starting with ``word`` (other lines are skipped)."""
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                raise self._failed(f"no {word} within {timeout:.0f} s") from None
            if line is None:
                raise self._failed(f"exited (code {self.proc.poll()}) before {word}")
            if line.startswith("ERROR"):
                raise self._failed(line)
            if line == word or line.startswith(word + " "):
                return line[len(word) + 1 :]

    def command(self, body: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send a JSON command and return the JSON of its ``OK`` answer."""
        self.send(json.dumps(body))
        answer: dict[str, Any] = json.loads(self.expect("OK", timeout))
        return answer

    def _failed(self, what: str) -> ChildFailed:
        self._stderr.flush()
        try:
            with open(self.stderr_path) as f:
                tail = f.read()[-2000:]
        except OSError:
            tail = ""
        return ChildFailed(f"{self.name}: {what}" + (f"\n{tail}" if tail.strip() else ""))

    # ------------------------------------------------------------ ending

    def close(self, grace: float = 20.0) -> int | None:
        """Stop the child (politely, then firmly); returns its exit code."""
        proc = self.proc
        if proc.poll() is None:
            with contextlib.suppress(ChildFailed):
                self.send(self.stop_line)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        self._reader.join(5)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()
        return proc.returncode
