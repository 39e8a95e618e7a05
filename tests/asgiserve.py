"""An ASGI app served by uvicorn on a free port of 127.0.0.1, for tests on real sockets."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import uvicorn
from starlette.types import ASGIApp

from oddswire.api.server import server_config


@contextlib.asynccontextmanager
async def serve_app(
    app: ASGIApp, *, backlog: int = 512, ping: tuple[float, float] | None = None
) -> AsyncIterator[int]:
    """Serve ``app`` (with the hub's own server settings) until the block ends; yields
    the port. ``ping``: WebSocket ping interval and timeout, shortened for a test."""
    # proto IPPROTO_TCP, or asyncio sets no TCP_NODELAY on accepted sockets (40 ms stalls)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(backlog)
    sock.setblocking(False)
    config = server_config(app, log_level="warning")
    if ping is not None:
        config.ws_ping_interval, config.ws_ping_timeout = ping
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # the server failed to start: raise its error
            await asyncio.sleep(0.01)
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        await task
        sock.close()
