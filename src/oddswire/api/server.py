"""How oddswire serves its ASGI app: uvicorn with httptools and the sans-I/O websockets
protocol, the settings chosen by measurement (docs/benchmarks.md)."""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp

#: The largest client frame accepted: subscribe messages are small; a bigger frame is
#: closed with 1009 (message too big).
WS_MAX_SIZE = 64 * 1024
#: WebSocket ping frames every 15 s (TheRundown's interval); no pong in 20 s closes.
WS_PING_INTERVAL = 15.0
WS_PING_TIMEOUT = 20.0


def server_config(
    app: ASGIApp, *, log_level: str | int | None = "info", access_log: bool = False
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http="httptools",
        ws="websockets-sansio",
        ws_max_size=WS_MAX_SIZE,
        ws_ping_interval=WS_PING_INTERVAL,
        ws_ping_timeout=WS_PING_TIMEOUT,
        lifespan="off",
        log_config=None,
        log_level=log_level,
        access_log=access_log,
    )
