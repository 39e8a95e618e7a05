"""The application factory: routes from the endpoint registry, auth, error envelopes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from oddswire.access.usage import UsageMeter
from oddswire.api.auth import KeyAuthMiddleware, KeyRing
from oddswire.api.context import ApiContext
from oddswire.api.errors import ApiError, error_response, json_response
from oddswire.api.guards import CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, GuardMiddleware, Limits
from oddswire.api.metering import MeteringMiddleware
from oddswire.api.openapi import build as build_openapi
from oddswire.api.registry import Endpoint
from oddswire.api.routes import (
    admin,
    boltodds,
    health,
    retired,
    v1_delta,
    v1_events,
    v1_lines,
    v1_reference,
    v1_schedule,
    v2_bestline,
    v2_delta,
    v2_events,
    v2_hedge,
    v2_history,
    v2_markets,
    v2_odds,
    v2_reference,
)
from oddswire.api.views import DelayedViewMiddleware
from oddswire.api.ws.routes import websocket_routes
from oddswire.api.ws.transport import CaptureTransport
from oddswire.hub import Hub

log = logging.getLogger("oddswire.api")


def all_endpoints(ctx: ApiContext) -> list[Endpoint]:
    return [
        *v2_reference.endpoints(ctx),
        *v2_events.endpoints(ctx),
        *v2_markets.endpoints(ctx),
        *v2_history.endpoints(ctx),
        *v2_delta.endpoints(ctx),
        *v2_bestline.endpoints(ctx),
        *v2_odds.endpoints(ctx),
        *v2_hedge.endpoints(ctx),
        *v1_reference.endpoints(ctx),
        *v1_schedule.endpoints(ctx),
        *v1_events.endpoints(ctx),
        *v1_lines.endpoints(ctx),
        *v1_delta.endpoints(ctx),
        *retired.endpoints(),
        *boltodds.endpoints(ctx),
    ]


def routes_for(endpoints: Sequence[Endpoint]) -> list[BaseRoute]:
    return [
        Route(prefix + e.path, e.handler, methods=["GET"])
        for e in endpoints
        for prefix in e.prefixes
    ]


def public_paths(endpoints: Sequence[Endpoint]) -> set[str]:
    return {prefix + e.path for e in endpoints if e.public for prefix in e.prefixes}


def create_app(
    hub: Hub, keys: KeyRing, limits: Limits | None = None, usage: UsageMeter | None = None
) -> Starlette:
    """The ASGI app serving ``hub``; ``keys`` are the accepted API keys, ``limits`` the
    request limits and CORS origins (defaults: :class:`Limits`), ``usage`` the data-point
    counters (a fresh :class:`UsageMeter` unless given)."""
    limits = limits or Limits()
    ctx = ApiContext.for_hub(hub)
    endpoints = all_endpoints(ctx)
    openapi_body = build_openapi(endpoints)

    async def openapi(request: Request) -> Response:
        return json_response(openapi_body)

    routes: list[BaseRoute] = [
        *health.routes(ctx),
        *admin.routes(ctx),
        Route("/openapi.json", openapi, methods=["GET"]),
        *routes_for(endpoints),
        *websocket_routes(),
    ]

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.message, exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = "Not Found" if exc.status_code == 404 else str(exc.detail)
        return error_response(exc.status_code, message, exc.headers)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(500, "Internal Server Error")

    app = Starlette(
        routes=routes,
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
    app.state.ctx = ctx
    app.state.limits = limits
    # innermost: a delayed key's view (made on first use), once it is let through
    app.add_middleware(DelayedViewMiddleware, views=ctx.views)
    # inside auth, so it sees the identity: burst limits, quotas, usage headers
    app.state.usage = usage = usage or UsageMeter()
    app.add_middleware(MeteringMiddleware, usage=usage)
    app.add_middleware(
        KeyAuthMiddleware,
        keys=keys,
        public={"/", "/healthz", "/openapi.json", *public_paths(endpoints)},
    )
    # size and length guards run before auth, so junk is refused cheaply; CORS outside
    # them, so a browser can read their refusals (and preflights need no key)
    app.add_middleware(GuardMiddleware, limits=limits)
    if limits.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(limits.cors_origins),
            allow_methods=["GET"],
            allow_headers=list(CORS_ALLOW_HEADERS),
            expose_headers=list(CORS_EXPOSE_HEADERS),
            max_age=600,
        )
    app.add_middleware(CaptureTransport)  # outermost: it must see the server's own send
    return app
