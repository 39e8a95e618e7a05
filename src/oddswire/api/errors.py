"""Errors and JSON responses in TheRundown's envelope: ``{"error": "..."}``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

_encode = msgspec.json.Encoder().encode


class ApiError(Exception):
    """Raised by a handler to answer ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class BadRequest(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(400, message)


class NotFound(ApiError):
    def __init__(self, message: str = "Not Found") -> None:
        super().__init__(404, message)


def json_response(
    content: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(_encode(content), status, headers, media_type="application/json")


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return json_response({"error": message}, status, headers)


async def refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
    raw_headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    """Answer a request, or refuse a WebSocket upgrade, with ``{"error": message}``
    (from middleware, before any handler). An upgrade gets a real HTTP response where
    the server supports denial responses, else a policy close (1008) with the message."""
    response = error_response(status, message, headers)
    response.raw_headers.extend(raw_headers)
    if scope["type"] == "websocket" and "websocket.http.response" not in scope.get(
        "extensions", {}
    ):
        await receive()
        await send({"type": "websocket.close", "code": 1008, "reason": message})
        return
    await response(scope, receive, send)
