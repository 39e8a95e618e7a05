"""The WebSocket routes."""

from __future__ import annotations

from starlette.routing import BaseRoute, WebSocketRoute

from oddswire.api.ws.boltodds import boltodds_stream
from oddswire.api.ws.hedge import hedge_stream
from oddswire.api.ws.markets import markets_stream
from oddswire.api.ws.multiplex import multiplexed_stream
from oddswire.api.ws.v1 import v1_stream


def websocket_routes() -> list[BaseRoute]:
    return [
        WebSocketRoute("/api/v2/ws/markets", markets_stream),
        WebSocketRoute("/api/v2/ws/hedge", hedge_stream),
        WebSocketRoute("/api/v2/ws", multiplexed_stream),
        WebSocketRoute("/api/v1/ws", v1_stream),
        WebSocketRoute("/api", boltodds_stream),
    ]
