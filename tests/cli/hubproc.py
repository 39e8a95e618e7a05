"""Run ``oddswire serve`` as a real process on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

KEY = "e2e-test-key-42"


class HubProcess:
    """A running ``oddswire serve``; ``url`` once it printed its banner."""

    def __init__(self, db: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.db = db
        cmd = [
            sys.executable,
            "-m",
            "oddswire",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            "--api-key",
            KEY,
            "--log-level",
            "warning",
            *args,
        ]
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.url: str | None = None
        self.demo_key: str | None = None
        self._ready = threading.Event()
        threading.Thread(
            target=self._pump, args=(self.proc.stdout, self.stdout, True), daemon=True
        ).start()
        threading.Thread(
            target=self._pump, args=(self.proc.stderr, self.stderr, False), daemon=True
        ).start()

    def _pump(self, stream, sink: list[str], banner: bool) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            sink.append(line)
            if banner:
                if m := re.search(r"serving on (http://\S+)", line):
                    self.url = m.group(1)
                if m := re.search(r"demo API key: (\S+)", line):
                    self.demo_key = m.group(1)
                if self.url and "health:" in line:
                    self._ready.set()

    def wait_ready(self, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.1):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"hub did not start (rc={self.proc.poll()}):\n{self.output}")
        assert self.url
        return self.url

    @property
    def output(self) -> str:
        return "".join(self.stdout) + "".join(self.stderr)

    def get(self, path: str, **params: str) -> httpx.Response:
        assert self.url
        return httpx.get(
            self.url + path, params=params, headers={"X-TheRundown-Key": KEY}, timeout=10
        )

    def health(self) -> dict:  # type: ignore[type-arg]
        return self.get("/healthz").json()  # type: ignore[no-any-return]

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def wait(self, timeout: float = 60) -> int:
        return self.proc.wait(timeout)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.signal(signal.SIGTERM)
        return self.wait()


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oddswire", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
