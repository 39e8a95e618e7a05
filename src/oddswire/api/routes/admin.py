"""``/admin/quarantine``: what the upstream sources named that could not be resolved."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oddswire.access.tiers import Entitlement
from oddswire.api.context import ApiContext, require
from oddswire.api.errors import BadRequest, json_response
from oddswire.sources.resolve.quarantine import Quarantine
from oddswire.sources.upstream.source import UpstreamSource

#: What an entry is about: sport, book, team, game, market, period, outcome, player,
#: or a vendor's own (event, price, message, request, upstream_error...).
KIND = re.compile(r"[a-z_]{1,40}")


def quarantine_of(ctx: ApiContext) -> Quarantine | None:
    """The resolver's quarantine (all upstream sources share one resolver)."""
    for source in ctx.hub.sources:
        if isinstance(source, UpstreamSource):
            return source.resolver.quarantine
    return None


def routes(ctx: ApiContext) -> list[Route]:
    async def quarantine(request: Request) -> Response:
        require(request.scope, Entitlement.ADMIN)  # 403 unless the operator's tier
        source = request.query_params.get("source") or None
        kind = request.query_params.get("kind") or None
        if kind is not None and not KIND.fullmatch(kind):
            raise BadRequest("kind must be a lower-case word such as team, market or book")
        found = quarantine_of(ctx)
        entries = [] if found is None else found.entries(source, kind)
        return json_response(
            {
                "quarantine": [
                    {
                        "source": e.source,
                        "kind": e.kind,
                        "text": e.text,
                        "reason": e.reason,
                        "count": e.count,
                        "first_seen": e.first_seen,
                        "last_seen": e.last_seen,
                        "example": e.example,
                    }
                    for e in entries
                ],
                "total": 0 if found is None else len(found),
                "dropped": 0 if found is None else found.dropped,
            }
        )

    return [Route("/admin/quarantine", quarantine, methods=["GET"])]
