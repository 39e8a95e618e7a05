"""A real hub served by uvicorn on a free port, for WebSocket tests (real sockets)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from asgiserve import serve_app  # type: ignore[import-not-found]
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.context import ApiContext
from oddswire.api.guards import Limits
from oddswire.hub import Hub, HubSettings
from oddswire.model import Change
from oddswire.refdata import load_catalog
from oddswire.store.sqlite import SqliteTickStore

KEY = "ws-test-key-0123456789"


@dataclass
class LiveServer:
    hub: Hub
    ctx: ApiContext
    port: int

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, key: str | None = KEY, **query: str) -> str:
        pairs = ([("key", key)] if key is not None else []) + list(query.items())
        qs = "&".join(f"{k}={v}" for k, v in pairs)
        return f"ws://127.0.0.1:{self.port}{path}" + (f"?{qs}" if qs else "")

    async def submit(self, changes: Sequence[Change]) -> int:
        """Apply changes and wait until they are committed (and so published)."""
        applied = await self.hub.submit(changes)
        await self.hub.store.flush()
        await wait_for(lambda: self.ctx.fanout.published >= self.hub.board.sequence)
        return applied

    def connect(self, path: str, key: str | None = KEY, **query: str) -> Any:
        return connect(self.url(path, key, **query), max_size=None, open_timeout=10)


@contextlib.asynccontextmanager
async def serve_hub(
    db: Path, settings: HubSettings | None = None, limits: Limits | None = None
) -> AsyncIterator[LiveServer]:
    store = SqliteTickStore(str(db))
    hub = Hub(
        load_catalog(),
        store,
        settings=settings or HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await hub.open()
    app = create_app(hub, KeyRing([KEY]), limits)
    ctx: ApiContext = app.state.ctx
    try:
        async with serve_app(app) as port:
            yield LiveServer(hub, ctx, port)
    finally:
        await ctx.fanout.stop()
        await hub.stop()


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.005)


async def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    """The next message, decoded."""
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))  # type: ignore[no-any-return]


async def receive_until(
    ws: ClientConnection, done: Callable[[dict[str, Any]], bool], timeout: float = 5.0
) -> list[dict[str, Any]]:
    """Messages up to and including the first for which ``done`` is true."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        message = await receive(ws, max(0.01, deadline - time.monotonic()))
        seen.append(message)
        if done(message):
            return seen


async def drain(ws: ClientConnection, quiet: float = 0.2) -> list[dict[str, Any]]:
    """Every message until none arrives for ``quiet`` seconds."""
    seen: list[dict[str, Any]] = []
    while True:
        try:
            seen.append(await receive(ws, quiet))
        except TimeoutError:
            return seen


def is_type(kind: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m.get("type") == kind or m.get("meta", {}).get("type") == kind


async def send(ws: ClientConnection, **message: Any) -> None:
    await ws.send(json.dumps(message))


async def subscribe(
    ws: ClientConnection, sub_id: str, channel: str = "markets", **params: Any
) -> dict[str, Any]:
    """Subscribe and return the ack (failing on an error)."""
    await send(ws, action="subscribe", id=sub_id, channel=channel, params=params)
    (*_, ack) = await receive_until(ws, lambda m: m.get("type") in ("subscribed", "error"))
    assert ack["type"] == "subscribed", ack
    return ack


async def read_until_closed(
    ws: ClientConnection, into: list[dict[str, Any]] | None = None
) -> ConnectionClosed:
    """Read (collecting JSON messages into ``into``) until the server closes with an
    error code; the exception carries the close frame (``rcvd``)."""
    try:
        async for text in ws:
            if into is not None:
                into.append(json.loads(text))
    except ConnectionClosed as closed:
        return closed
    raise AssertionError(f"closed normally: {ws.close_code} {ws.close_reason!r}")


def stalled_socket(port: int) -> socket.socket:
    """A connected socket with a tiny receive buffer: a client that reads nothing."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock
