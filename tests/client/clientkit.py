"""Real servers for the SDK's tests, each on a real socket on a free port:

- :class:`ServedMarket`: the docs' reference market (the simulator, seed 7, NBA) served
  by uvicorn from a thread of its own, with real ids to ask about;
- :class:`ScriptedServer`: a tiny HTTP server that answers what a test scripts
  (statuses, headers, bodies) and records what it was asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.server import server_config
from oddswire.docs.api_reference import ids
from oddswire.docs.market import DAY, KEY, SPORT, START, Market
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.sim import SimSettings
from oddswire.sources.simulator import SimulatorSource
from oddswire.store.sqlite import SqliteTickStore

__all__ = ["DAY", "KEY", "SPORT", "Reply", "ScriptedServer", "ServedMarket", "free_port"]


class ServedMarket:
    """The reference market on ``http://127.0.0.1:<port>``, served from a background
    thread (so blocking and asynchronous clients alike can use it from any test).

    ``values`` are the real ids :func:`oddswire.docs.api_reference.ids` collects: an
    event with markets, its home team, a player, a book, a price id, a V1 line id, the
    id of a published hedge, and both delta cursors.
    """

    def __init__(self, seconds: float = 1.0) -> None:
        self.seconds = seconds
        self.url = ""
        self.values: dict[str, str] = {}
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="served-market", daemon=True)

    def __enter__(self) -> ServedMarket:
        self._thread.start()
        if not self._ready.wait(60):
            raise TimeoutError("the reference market did not start")
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        catalog = load_catalog()
        settings = SimSettings(seed=7, rate=3000, sport_ids=[SPORT], days_back=0, days_ahead=1)
        source = SimulatorSource(catalog, settings, START)
        with tempfile.TemporaryDirectory() as directory:
            store = SqliteTickStore(f"{directory}/market.db", quick_check=False)
            quiet = HubSettings(
                checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False
            )
            hub = Hub(catalog, store, [source], quiet)
            await hub.open()
            await hub.warm_up()
            hub.start()
            await asyncio.sleep(self.seconds)
            await hub.store.flush()
            app = create_app(hub, KeyRing([KEY]))
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sock.listen(128)
            sock.setblocking(False)
            server = uvicorn.Server(server_config(app, log_level="warning"))
            task = asyncio.create_task(server.serve(sockets=[sock]))
            try:
                while not server.started:
                    await asyncio.sleep(0.005)
                self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
                async with httpx.AsyncClient(base_url=self.url) as client:
                    self.values = await ids(Market(hub, client))
                self._ready.set()
                await self._stop.wait()
            finally:
                server.should_exit = True
                await task
                await app.state.ctx.fanout.stop()
                await hub.stop()
                sock.close()


# ------------------------------------------------------------ scripted server


@dataclass(frozen=True)
class Reply:
    """One scripted response."""

    status: int = 200
    body: Any = field(default_factory=dict)  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    query: str
    headers: dict[str, str]
    at: float


class ScriptedServer:
    """Answers each path with its scripted replies in turn (the last one repeats), 404
    for any other path; ``seen`` lists every request, in order."""

    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with outer._lock:
                    outer.seen.append(
                        Seen(parts.path, parts.query, dict(self.headers.items()), time.monotonic())
                    )
                    replies = outer.script.get(parts.path)
                    if replies:
                        reply = replies.pop(0) if len(replies) > 1 else replies[0]
                    else:
                        reply = Reply(404, {"error": "Not Found"})
                body = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the tests read ``seen``

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def on(self, path: str, *replies: Reply) -> ScriptedServer:
        with self._lock:
            self.script[path] = list(replies)
        return self

    def requests_to(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
