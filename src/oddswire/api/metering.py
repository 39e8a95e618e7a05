"""Burst limits, data-point quotas and the usage headers (reference §5.2, §5.3).

:class:`MeteringMiddleware` runs right inside the auth middleware, so it sees the
request's :class:`~oddswire.access.identity.Identity`; public paths have none and pass
untouched (neither limited nor counted). For every authenticated request or WebSocket
upgrade it

1. refuses it with 429 ``{"error": "Daily data point limit reached"}`` (or
   ``Monthly``) when the account's quota for the period is spent, ``Retry-After`` the
   seconds until the period turns;
2. refuses it with 429 ``{"error": "Rate limit exceeded"}`` when the account's burst
   bucket is empty, ``Retry-After`` the whole seconds until a token (at least 1);
3. otherwise serves it, counts the data points of a 2xx response's body as it passes
   through ``send`` (at least 1; other statuses cost nothing) and adds the usage
   headers to the response (to a WebSocket's handshake response too). A handler that
   knows its count sets ``request.state.datapoints`` and the body is not scanned (a
   scan costs about 0.5 ms per MB).

A single-body response (every JSON response of the API) has its ``http.response.start``
held until its body is seen, so ``X-Datapoints`` is its own cost. A streamed one
(several body messages) gets its headers at once, with ``X-Datapoints: 0`` and the
usage before it; its cost is counted chunk by chunk and charged when it ends.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oddswire.access.identity import STATE_KEY, Identity
from oddswire.access.ratelimit import RateLimiter
from oddswire.access.tiers import Tier
from oddswire.access.usage import (
    EXHAUSTED,
    STATE_DATAPOINTS,
    DatapointCounter,
    UsageMeter,
    datapoints,
)
from oddswire.api.errors import refuse

Headers = list[tuple[bytes, bytes]]

RATE_LIMITED = "Rate limit exceeded"
UNLIMITED = b"unlimited"


def _retry(seconds: int) -> dict[str, str]:
    return {"Retry-After": str(seconds)}


def _number(value: float) -> bytes:
    return str(int(value) if float(value).is_integer() else value).encode()


def tier_headers(tier: Tier) -> Headers:
    """The headers that depend on the tier alone."""
    return [
        (b"x-tier", tier.name.encode()),
        (b"x-rate-limit", UNLIMITED if tier.burst is None else _number(tier.burst)),
        # the delay applied: a delayed key reads the board as it was then (api/views.py)
        (b"x-data-delay-seconds", _number(tier.delay_seconds)),
        (b"x-websocket-access", b"true" if tier.websocket else b"false"),
        (b"x-datapoints-limit", UNLIMITED if tier.datapoints is None else _number(tier.datapoints)),
        (b"x-datapoints-period", tier.datapoints_period.encode()),
    ]


class MeteringMiddleware:
    """Enforces burst limits and data-point quotas per account; adds usage headers."""

    def __init__(self, app: ASGIApp, usage: UsageMeter, limiter: RateLimiter | None = None) -> None:
        self.app = app
        self.usage = usage
        self.limiter = limiter or RateLimiter()
        self._tier_headers: dict[str, tuple[Tier, Headers]] = {}

    def _fixed(self, tier: Tier) -> Headers:
        cached = self._tier_headers.get(tier.name)
        if cached is None or cached[0] is not tier:  # tiers are swapped, not changed
            cached = (tier, tier_headers(tier))
            self._tier_headers[tier.name] = cached
        return cached[1]

    def headers(self, identity: Identity, cost: int, used: int, reset: float) -> Headers:
        """Every usage header for a response costing ``cost`` that left ``used``."""
        tier = identity.tier
        limit = tier.datapoints
        remaining = UNLIMITED if limit is None else str(max(0, limit - used)).encode()
        return [
            *self._fixed(tier),
            (b"x-datapoints", str(cost).encode()),
            (b"x-datapoints-used", str(used).encode()),
            (b"x-datapoints-remaining", remaining),
            (b"x-datapoints-reset", str(math.ceil(reset)).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state: dict[str, Any] | None = scope.get("state")
        identity: Identity | None = state.get(STATE_KEY) if state else None
        if state is None or identity is None or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        tier = identity.tier
        account = identity.account
        period = tier.datapoints_period
        if tier.datapoints is not None:
            now = self.usage.status(account, period)
            if now.used >= tier.datapoints:
                wait = max(1, math.ceil(now.reset))
                headers = self.headers(identity, 0, now.used, now.reset)
                await refuse(scope, receive, send, 429, EXHAUSTED[period], _retry(wait), headers)
                return
        if tier.burst is not None:
            wait_for_token = self.limiter.acquire(account, tier.burst)
            if wait_for_token > 0.0:
                now = self.usage.status(account, period)
                headers = self.headers(identity, 0, now.used, now.reset)
                wait = max(1, math.ceil(wait_for_token))
                await refuse(scope, receive, send, 429, RATE_LIMITED, _retry(wait), headers)
                return
        if scope["type"] == "websocket":
            await self.app(scope, receive, self._websocket_send(identity, send))
        else:
            await self.app(scope, receive, self._http_send(identity, state, send))

    def _websocket_send(self, identity: Identity, send: Send) -> Send:
        """Adds the usage headers to the handshake (accept, or a denial response)."""
        done = False

        async def metered(message: Message) -> None:
            nonlocal done
            if not done:
                kind = message["type"]
                if kind in ("websocket.accept", "websocket.http.response.start"):
                    done = True
                    now = self.usage.status(identity.account, identity.tier.datapoints_period)
                    extra = self.headers(identity, 0, now.used, now.reset)
                    message = {**message, "headers": [*message.get("headers", ()), *extra]}
                elif kind == "websocket.close":
                    done = True
            await send(message)

        return metered

    def _http_send(self, identity: Identity, state: dict[str, Any], send: Send) -> Send:
        usage = self.usage
        account = identity.account
        period = identity.tier.datapoints_period
        start: Message | None = None
        counter: DatapointCounter | None = None

        async def metered(message: Message) -> None:
            nonlocal start, counter
            kind = message["type"]
            if kind == "http.response.start":
                start = message
                return
            if kind == "http.response.body":
                more = message.get("more_body", False)
                if start is not None:
                    held, start = start, None
                    ok = 200 <= held["status"] < 300
                    declared = state.get(STATE_DATAPOINTS)
                    if more:  # streamed: headers now, the cost when it ends
                        counter = DatapointCounter() if ok and declared is None else None
                        if ok and declared is not None:
                            usage.charge(account, period, max(1, declared))
                        now = usage.status(account, period)
                        cost = 0
                    else:
                        if not ok:
                            cost = 0
                        elif declared is not None:
                            cost = max(1, declared)
                        else:
                            cost = max(1, datapoints(message.get("body", b"")))
                        now = usage.charge(account, period, cost)
                    extra = self.headers(identity, cost, now.used, now.reset)
                    await send({**held, "headers": [*held.get("headers", ()), *extra]})
                if counter is not None:
                    counter.feed(message.get("body", b""))
                    if not more:
                        usage.charge(account, period, max(1, counter.total))
                        counter = None
            await send(message)

        return metered


__all__ = ["RATE_LIMITED", "MeteringMiddleware", "tier_headers"]
