"""Finding the connection's transport, for the fan-out's fast path.

An outermost ASGI middleware sees the server's own ``send``; with uvicorn that is a
method of the connection's protocol, whose ``transport`` is the socket's. The
middleware records it in the scope; endpoints that find none use the ASGI path.

Transports are recognised by what they do, not by class: uvloop's ``TCPTransport``
(what ``oddswire serve`` runs on) does not derive from ``asyncio.WriteTransport``.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from oddswire.stream.outbound import Transport

SCOPE_KEY = "oddswire.transport"
_NEEDS = ("write", "writelines", "get_write_buffer_size", "is_closing", "abort")


class CaptureTransport:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            owner = getattr(send, "__self__", None)
            transport = getattr(owner, "transport", None)
            if is_transport(transport):
                scope[SCOPE_KEY] = transport
        await self.app(scope, receive, send)


def is_transport(candidate: object) -> bool:
    return candidate is not None and all(callable(getattr(candidate, n, None)) for n in _NEEDS)


def transport_of(scope: Scope) -> Transport | None:
    found: Transport | None = scope.get(SCOPE_KEY)
    return found
