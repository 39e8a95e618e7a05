"""API-key authentication as TheRundown does it.

The key comes in the ``X-TheRundown-Key`` header (any case) or the ``key`` query
parameter; the routes the registry marks public (``/sports``, ``/affiliates``,
``/sportsbooks``), ``/healthz`` and ``/openapi.json`` need none. Keys are compared in
constant time and never logged.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Iterable
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from oddswire.api.errors import error_response
from oddswire.store.base import TickStore
from oddswire.store.keys import digest

log = logging.getLogger("oddswire.api")

HEADER = b"x-therundown-key"


class KeyRing:
    """Accepted keys, as SHA-256 digests: static ones (the demo key, ``--api-key``) and
    those managed with ``oddswire keys``, refreshed from the store while serving.

    Lookup is by digest, so the time a check takes reveals nothing about valid keys
    (finding a digest prefix would need SHA-256 preimages); the final comparison is
    constant-time anyway.
    """

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._static = {digest(k) for k in keys}
        self._stored: set[bytes] = set()

    def add(self, key: str) -> None:
        self._static.add(digest(key))

    def set_stored(self, digests: set[bytes]) -> None:
        self._stored = digests

    def check(self, key: str) -> bool:
        candidate = digest(key)
        known = candidate if candidate in self._static or candidate in self._stored else b""
        return hmac.compare_digest(candidate, known)


async def refresh_stored_keys(keys: KeyRing, store: TickStore, interval: float = 2.0) -> None:
    """Keep ``keys`` in step with the store's managed keys (created or revoked elsewhere)."""
    while True:
        try:
            keys.set_stored(await store.api_key_digests())
        except Exception:  # a busy or failing store must not take auth down
            log.exception("could not refresh API keys from the store")
        await asyncio.sleep(interval)


def request_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == HEADER:
            return str(value.decode("latin-1"))
    query = scope.get("query_string", b"")
    if b"key=" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if name == "key":
                return str(value)
    return None


class KeyAuthMiddleware:
    """Answers 401 on non-public paths unless the request carries an accepted key."""

    def __init__(self, app: ASGIApp, keys: KeyRing, public: Iterable[str]) -> None:
        self.app = app
        self.keys = keys
        self.public = frozenset(public)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"] not in self.public:
            key = request_key(scope)
            if key is None or not self.keys.check(key):
                message = "missing API key" if key is None else "invalid API key"
                response = error_response(
                    401,
                    f"Unauthorized: {message}; send it in the X-TheRundown-Key header "
                    "or the key query parameter",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
