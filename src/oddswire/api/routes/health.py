"""``/healthz``: liveness and a detailed status of the hub, store and sources."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oddswire.api.context import ApiContext
from oddswire.api.errors import json_response


def routes(ctx: ApiContext) -> list[Route]:
    async def healthz(request: Request) -> Response:
        health = ctx.hub.health()
        health["streams"] = ctx.fanout.stats()
        return json_response(health, 200 if health["status"] == "ok" else 503)

    return [Route("/healthz", healthz)]
