"""How oddswire serves its ASGI app: uvicorn with httptools and the sans-I/O websockets
protocol, the settings chosen by measurement (docs/benchmarks.md)."""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import HeaderLineTooLong, RequestLineTooLong, TooManyHeaders

#: The largest client frame accepted by default (setting ``ws_max_frame_bytes``):
#: subscribe messages are small; a bigger frame is closed with 1009 (message too big).
WS_MAX_SIZE = 64 * 1024
#: WebSocket ping frames every 15 s (TheRundown's interval); no pong in 20 s closes.
WS_PING_INTERVAL = 15.0
WS_PING_TIMEOUT = 20.0


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol, answering the upgrades websockets' own
    parser refuses before the app sees them (a request line over 8 KiB, a header line
    over 8 KiB, more than 128 headers): uvicorn leaves those sockets hanging unanswered.
    The answer is the API's envelope: 414 or 431 ``{"error": ...}``, then a close."""

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        refused = self.conn.handshake_exc
        if refused is None or self.handshake_initiated or self.transport.is_closing():
            return
        if isinstance(refused, RequestLineTooLong):
            status = b"414 URI Too Long"
            body = b'{"error":"URI Too Long: the request line is over 8192 bytes"}'
        elif isinstance(refused, (HeaderLineTooLong, TooManyHeaders)):
            status = b"431 Request Header Fields Too Large"
            body = (
                b'{"error":"Request Header Fields Too Large: a WebSocket upgrade takes at '
                b'most 128 headers of at most 8192 bytes each"}'
            )
        else:
            status = b"400 Bad Request"
            body = b'{"error":"Bad Request: not a valid WebSocket upgrade request"}'
        self.transport.write(
            b"HTTP/1.1 %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
            b"connection: close\r\n\r\n%s" % (status, len(body), body)
        )
        self.close_sent = True
        self.transport.close()


def server_config(
    app: ASGIApp,
    *,
    log_level: str | int | None = "info",
    access_log: bool = False,
    ws_max_size: int = WS_MAX_SIZE,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
) -> uvicorn.Config:
    """``ssl_certfile`` and ``ssl_keyfile`` (PEM) serve HTTPS and WSS instead."""
    return uvicorn.Config(
        app,
        http="httptools",
        ws=WebSocketProtocol,
        ws_max_size=ws_max_size,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        ws_ping_interval=WS_PING_INTERVAL,
        ws_ping_timeout=WS_PING_TIMEOUT,
        lifespan="off",
        log_config=None,
        log_level=log_level,
        access_log=access_log,
    )
