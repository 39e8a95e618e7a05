"""Finding the connection's transport, for the fan-out's fast path.

An outermost ASGI middleware sees the server's own ``send``; with uvicorn that is a
method of the connection's protocol, whose ``transport`` is the socket's. The
middleware records it in the scope; endpoints that find none use the ASGI path.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

SCOPE_KEY = "oddswire.transport"


class CaptureTransport:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            owner = getattr(send, "__self__", None)
            transport = getattr(owner, "transport", None)
            if isinstance(transport, asyncio.WriteTransport):
                scope[SCOPE_KEY] = transport
        await self.app(scope, receive, send)


def transport_of(scope: Scope) -> asyncio.WriteTransport | None:
    found = scope.get(SCOPE_KEY)
    return found if isinstance(found, asyncio.WriteTransport) else None
