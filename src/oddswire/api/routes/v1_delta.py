"""V1 delta feeds: ``/delta`` (changed events as V1 events) and ``/deltaV2`` (the V2 feed).

Both take the UUID-style cursor of V1 events' ``meta.delta_last_id``. A missing, malformed
or foreign cursor answers 404 ``last_id parameter is missing or invalid``, as TheRundown's
2021 V1 API did; a cursor from the future or older than the resume window is a 400, as on
the V2 feeds.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api.context import ApiContext
from oddswire.api.errors import NotFound, json_response
from oddswire.api.registry import AFFILIATE_IDS, Endpoint, query
from oddswire.api.routes import v2_delta
from oddswire.api.routes.v1_shared import (
    ANY_INT,
    V1,
    V1_INCLUDE,
    all_periods,
    int_param,
    v1_query,
)
from oddswire.board.query import select_events
from oddswire.hub.deltas import changed_events
from oddswire.wire.therundown import cursor
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.v1_events import V1EventWriter

INVALID = "last_id parameter is missing or invalid"


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    hub = ctx.hub
    catalog = ctx.catalog
    writer = V1EventWriter(catalog)
    delta_v2 = v2_delta.event_delta_handler(ctx)

    def after(request: Request) -> int:
        raw = request.query_params.get("last_id")
        if raw is None or raw.strip() == "":
            raise NotFound(INVALID)
        try:
            value = cursor.decode(ctx.epoch, raw)
        except cursor.CursorError:
            raise NotFound(INVALID) from None
        return 0 if value == 0 else v2_delta.checked(ctx, value)

    async def event_delta(request: Request) -> Response:
        ctx.require_realtime(request.scope, "delta")
        since = after(request)
        q = request.query_params
        sport_id = int_param(q, "sport_id")
        upto = ctx.committed
        states = changed_events(hub.board, hub.changelog, since, upto)
        if sport_id is not None:
            states = [s for s in states if s.event.sport_id == sport_id]
        views = select_events(states, v1_query(catalog, q, sport_id))
        body = writer.events(views, cursor.encode(ctx.epoch, upto), all_periods=all_periods(q))
        return json_response(body)

    last_id = query("last_id", v2_delta.UUID_CURSOR, "cursor", required=True)
    sport_id = query("sport_id", ANY_INT, "only this sport")
    return [
        Endpoint(
            "/delta",
            event_delta,
            "Events changed after a UUID-style cursor, as V1 events",
            v1.V1EventsResponse,
            "V1 Delta",
            (last_id, sport_id, AFFILIATE_IDS, V1_INCLUDE),
            prefixes=V1,
            description=(
                "Start from a V1 events response's `meta.delta_last_id` (or all zeros). "
                "A missing or invalid cursor is a 404; one from the future or older than "
                "the resume window is a 400: take a fresh events snapshot."
            ),
        ),
        Endpoint(
            "/deltaV2",
            delta_v2,
            "Events changed after a UUID-style cursor (as /api/v2/delta)",
            v1.V1DeltaV2Response,
            "V1 Delta",
            (last_id, sport_id, AFFILIATE_IDS),
            prefixes=V1,
        ),
    ]
