"""Cheap refusals of oversized requests, before auth reads anything.

:class:`GuardMiddleware` answers in the API's ``{"error": "..."}`` envelope:

- a request target (path and query) longer than ``max_query_bytes``: 414;
- more than ``max_query_params`` query parameters: 400;
- request headers totalling more than ``max_header_bytes``: 431;
- a request body over ``max_body_bytes``: 413 (declared by ``Content-Length``, refused
  unread; a chunked body is read up to the limit and no further).

Every refusal closes the connection (``Connection: close``). The same checks apply to
WebSocket upgrades, refused with an HTTP response before the handshake. What the server
refuses before the app sees a request (uvicorn's parser answers a URL over 64 KiB with a
plain 400) never gets this far; docs/deployment.md tells how a reverse proxy bounds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oddswire.api.errors import error_response

KIB = 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The request limits; ``serve`` takes them from its settings (docs/configuration.md)."""

    max_body_bytes: int = 64 * KIB
    max_query_bytes: int = 8 * KIB
    max_query_params: int = 100
    max_header_bytes: int = 16 * KIB
    ws_max_frame_bytes: int = 64 * KIB
    max_subscriptions: int = 1000
    cors_origins: tuple[str, ...] = ()


#: The headers a browser may send and read when ``cors_origins`` allows it.
CORS_ALLOW_HEADERS = ("X-TheRundown-Key", "Accept", "Accept-Encoding", "Content-Type")
CORS_EXPOSE_HEADERS = (
    "Retry-After",
    "X-Tier",
    "X-Rate-Limit",
    "X-Data-Delay-Seconds",
    "X-Websocket-Access",
    "X-Datapoints",
    "X-Datapoints-Used",
    "X-Datapoints-Remaining",
    "X-Datapoints-Limit",
    "X-Datapoints-Reset",
    "X-Datapoints-Period",
)


class GuardMiddleware:
    """Refuses requests over :class:`Limits` before the rest of the stack runs."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is None and scope["type"] == "http":
            body = _body_size(scope)
            if body is not None and body > self.limits.max_body_bytes:
                refusal = (413, self._too_large())
            elif body is None and _chunked(scope):
                buffered = await _read_body(receive, self.limits.max_body_bytes)
                if buffered is None:
                    refusal = (413, self._too_large())
                else:
                    receive = _replay(buffered, receive)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, message = refusal
        response = error_response(status, message, {"Connection": "close"})
        await response(scope, receive, send)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """The status and message refusing ``scope``'s target or headers, if any."""
        limits = self.limits
        query: bytes = scope.get("query_string", b"")
        path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
        target = len(path) + (len(query) + 1 if query else 0)
        if target > limits.max_query_bytes:
            return (
                414,
                f"URI Too Long: the request target is {target} bytes; "
                f"at most {limits.max_query_bytes} are accepted",
            )
        params = sum(1 for part in query.split(b"&") if part) if query else 0
        if params > limits.max_query_params:
            return (
                400,
                f"Bad Request: {params} query parameters; "
                f"at most {limits.max_query_params} are accepted",
            )
        headers = sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))
        if headers > limits.max_header_bytes:
            return (
                431,
                f"Request Header Fields Too Large: {headers} bytes of headers; "
                f"at most {limits.max_header_bytes} are accepted",
            )
        return None

    def _too_large(self) -> str:
        return (
            f"Payload Too Large: request bodies are limited to {self.limits.max_body_bytes} "
            "bytes (the API takes none)"
        )


def _body_size(scope: Scope) -> int | None:
    """The declared ``Content-Length`` (a malformed one counts as too large)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 1 << 62
    return None


def _chunked(scope: Scope) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers", ()))


async def _read_body(receive: Receive, limit: int) -> list[Message] | None:
    """The body's messages, or None as soon as they exceed ``limit`` bytes."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay
