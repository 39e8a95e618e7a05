"""Seed 000 (TheRundown's Python guide): its two WebSocket clients, ``stream_odds`` and
``stream_with_reconnect``, run unchanged against ``oddswire serve`` but for the
WebSocket URL and the key, print real prices, and the reconnecting one rides out a
restart of the hub.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hubproc import KEY, HubProcess  # type: ignore[import-not-found]
from seed000 import snippets  # type: ignore[import-not-found]

pytestmark = pytest.mark.slow
HUB_ARGS = ("--sports", "4", "--rate", "400", "--days-back", "0", "--days-ahead", "1")
UPDATE = re.compile(r"^Update: event=([0-9a-f]{32}) market=([123])(?: aff=(\d+))? price=(\S+)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client_script(section: str, port: int) -> str:
    found = snippets()
    script = found["Configuration"] + "\n\n" + found[section]
    localised = script.replace(
        '"wss://therundown.io/api/v2/ws/markets"', repr(f"ws://127.0.0.1:{port}/api/v2/ws/markets")
    )
    changed = [
        a for a, b in zip(script.splitlines(), localised.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1, changed  # WS_URL, and nothing else
    return localised


class Client:
    """The guide's script in its own interpreter; stdout lines as they come."""

    def __init__(self, script: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-c", script],
            env={**os.environ, "THERUNDOWN_API_KEY": KEY},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_until(self, condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition(self.lines):
            if self.proc.poll() is not None:
                assert self.proc.stderr is not None
                raise AssertionError(f"client exited: {self.proc.stderr.read()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; client printed {self.lines[-20:]}")
            time.sleep(0.05)

    def updates(self) -> list[re.Match[str]]:
        return [m for line in self.lines if (m := UPDATE.match(line))]

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture
def client_factory() -> Iterator[list[Client]]:
    started: list[Client] = []
    yield started
    for client in started:
        client.stop()


def test_stream_odds_prints_real_updates(tmp_path: Path, client_factory: list[Client]) -> None:
    port = free_port()
    hub = HubProcess(tmp_path / "hub.db", "--port", str(port), *HUB_ARGS)
    try:
        hub.wait_ready()
        client = Client(client_script("WebSocket Streaming", port))
        client_factory.append(client)
        client.wait_until(lambda lines: len([ln for ln in lines if UPDATE.match(ln)]) >= 20)
        assert client.lines[0] == "Connected to WebSocket"
        # `oddswire serve` runs on uvloop: the session writes straight to its transport
        streams = hub.health()["streams"]
        assert streams["sessions"] == streams["sessions_on_transport"] == 1
        assert streams["delivered"] >= 20
        updates = client.updates()
        for update in updates:
            assert update.group(3) is not None  # this snippet prints the book too
            price = update.group(4)
            assert price == "0.0001" or re.fullmatch(r"-?\d+", price), price
        # the events are real NBA events on this hub
        event_id = updates[0].group(1)
        event = hub.get(f"/api/v2/events/{event_id}").json()
        assert event["events"][0]["sport_id"] == 4
    finally:
        hub.stop()


def test_stream_with_reconnect_rides_out_a_hub_restart(
    tmp_path: Path, client_factory: list[Client]
) -> None:
    port = free_port()
    db = tmp_path / "hub.db"
    hub = HubProcess(db, "--port", str(port), *HUB_ARGS)
    try:
        hub.wait_ready()
        client = Client(client_script("WebSocket with Reconnection", port))
        client_factory.append(client)
        client.wait_until(lambda lines: len([ln for ln in lines if UPDATE.match(ln)]) >= 5)
    finally:
        assert hub.stop() == 0
    client.wait_until(lambda lines: any(ln.startswith("Disconnected (") for ln in lines))
    before = len(client.lines)
    hub = HubProcess(db, "--port", str(port), *HUB_ARGS)
    try:
        hub.wait_ready()
        client.wait_until(
            lambda lines: (
                "WebSocket connected" in lines[before:]
                and len([ln for ln in lines[before:] if UPDATE.match(ln)]) >= 5
            ),
            timeout=60,
        )
    finally:
        hub.stop()
    assert client.lines.count("WebSocket connected") == 2
    disconnect = re.compile(r"Disconnected \(.*\)\. Reconnecting in \d+\.\ds\.\.\.$")
    assert any(disconnect.match(line) for line in client.lines)
