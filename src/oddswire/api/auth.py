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

from oddswire.access.entitlements import Refusals, refusals_in_force
from oddswire.access.identity import STATE_KEY, Identity
from oddswire.access.tiers import ADMIN, Tiers
from oddswire.api.errors import error_response
from oddswire.store.base import TickStore
from oddswire.store.keys import StoredKey, digest

log = logging.getLogger("oddswire.api")

HEADER = b"x-therundown-key"


class KeyRing:
    """Accepted keys, as SHA-256 digests, each with its identity: static ones (the demo
    key, ``--api-key``: tier ``static_tier``, admin by default) and those managed with
    ``oddswire keys``, refreshed from the store while serving.

    Lookup is by digest, so the time a check takes reveals nothing about valid keys
    (finding a digest prefix would need SHA-256 preimages); the final comparison is
    constant-time anyway. ``refusals``: the 403 messages, naming these tiers' plans.
    """

    def __init__(
        self, keys: Iterable[str] = (), tiers: Tiers | None = None, static_tier: str = ADMIN
    ) -> None:
        self.tiers = tiers or Tiers()
        self.refusals = Refusals.for_tiers(self.tiers)
        self._static_tier = self.tiers[static_tier]
        self._static: dict[bytes, Identity] = {}
        self._stored: dict[bytes, Identity] = {}
        for key in keys:
            self.add(key)

    def add(self, key: str) -> None:
        hashed = digest(key)
        self._static[hashed] = Identity(f"static:{hashed[:6].hex()}", "static", self._static_tier)

    def set_stored(self, stored: dict[bytes, StoredKey]) -> None:
        identities: dict[bytes, Identity] = {}
        for hashed, key in stored.items():
            if key.tier not in self.tiers:
                log.warning("key %r has unknown tier %r: refused until fixed", key.name, key.tier)
                continue
            identities[hashed] = Identity(f"key:{key.id}", key.name, self.tiers[key.tier])
        self._stored = identities

    def identify(self, key: str) -> Identity | None:
        """The key's identity, or None if it is not accepted."""
        candidate = digest(key)
        found = self._static.get(candidate) or self._stored.get(candidate)
        known = candidate if found is not None else b""
        return found if hmac.compare_digest(candidate, known) else None

    def check(self, key: str) -> bool:
        return self.identify(key) is not None


async def refresh_stored_keys(keys: KeyRing, store: TickStore, interval: float = 2.0) -> None:
    """Keep ``keys`` in step with the store's managed keys (created or revoked elsewhere)."""
    while True:
        try:
            keys.set_stored(await store.api_keys())
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
    """Answers 401 on non-public paths unless the request carries an accepted key;
    puts the key ring's refusals in force for what runs inside it."""

    def __init__(self, app: ASGIApp, keys: KeyRing, public: Iterable[str]) -> None:
        self.app = app
        self.keys = keys
        self.public = frozenset(public)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"] not in self.public:
            key = request_key(scope)
            identity = None if key is None else self.keys.identify(key)
            if identity is None:
                message = "missing API key" if key is None else "invalid API key"
                response = error_response(
                    401,
                    f"Unauthorized: {message}; send it in the X-TheRundown-Key header "
                    "or the key query parameter",
                )
                await response(scope, receive, send)
                return
            scope.setdefault("state", {})[STATE_KEY] = identity
        with refusals_in_force(self.keys.refusals):
            await self.app(scope, receive, send)
