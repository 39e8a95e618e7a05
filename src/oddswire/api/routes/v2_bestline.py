"""V2 ``events/{id}/best-line``: the best price per side across books."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from oddswire.analytics.bestline import best_lines, period_id
from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import AFFILIATE_IDS, EVENT_ID, Endpoint, query
from oddswire.board import EventState
from oddswire.refdata import Catalog
from oddswire.wire.therundown import bestline
from oddswire.wire.therundown import v2_models as v2

PERIOD = query("period", {"type": "string"}, "V1 period name (default period_full_game)")


def best_for(
    catalog: Catalog, state: EventState, name: str, books: frozenset[int] | None
) -> v2.BestLineResponse:
    period = period_id(catalog, name)
    if period is None:
        raise BadRequest(f"period: unknown period {name[:40]!r}")
    main = best_lines(catalog, state, period, books)
    return bestline.response(catalog, state.event.event_id, main, {})


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    async def best_line(request: Request) -> Response:
        state = ctx.view(request.scope).event_or_404(request.path_params["event_id"])
        q = request.query_params
        name = q.get("period") or "period_full_game"
        return json_response(
            best_for(ctx.catalog, state, name, params.int_list(q, "affiliate_ids"))
        )

    return [
        Endpoint(
            "/events/{event_id}/best-line",
            best_line,
            "Best price per side across books for a period",
            v2.BestLineResponse,
            "V2 Events",
            (EVENT_ID, PERIOD, AFFILIATE_IDS),
        )
    ]
