"""V2 delta feeds: ``markets/delta`` (integer cursor) and ``/delta`` (UUID-style cursor)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext, tier_of
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import (
    AFFILIATE_IDS,
    MARKET_IDS,
    Endpoint,
    Handler,
    optional_int,
    query,
)
from oddswire.api.routes.v2_events import event_query
from oddswire.hub.deltas import DeltaFilter, changed_events, price_deltas
from oddswire.wire.therundown import cursor, v2_rows
from oddswire.wire.therundown import v2_models as v2

NOT_FOUND = "last_id not found, re-bootstrap from events endpoint"
UUID_CURSOR = {"type": "string", "minLength": 36, "maxLength": 36}


def stale_message(hours: float) -> str:
    return f"last_id is stale (>{hours:g} h), re-bootstrap from events endpoint"


def checked(ctx: ApiContext, value: int) -> int:
    """A cursor's sequence, refused (400) if from the future or older than the window."""
    if value > ctx.committed:
        raise BadRequest(NOT_FOUND)
    hub = ctx.hub
    if hub.changelog.is_stale(value):
        raise BadRequest(stale_message(hub.settings.resume_window_hours))
    return value


def sport_filter(ctx: ApiContext, request: Request) -> int | None:
    raw = request.query_params.get("sport_id")
    if raw is None or raw.strip() == "":
        return None
    sport_id = params.path_int(raw, "sport_id")
    if sport_id not in ctx.catalog.sports:
        raise BadRequest(f"sport_id: unknown sport {sport_id}")
    return sport_id


def event_delta_handler(ctx: ApiContext) -> Handler:
    """``/api/v2/delta`` (also ``/api/v1/deltaV2``): changed events as JSON strings."""
    hub = ctx.hub

    def uuid_cursor(request: Request) -> int:
        raw = request.query_params.get("last_id")
        if raw is None or raw.strip() == "":
            raise BadRequest(f"last_id is required (start with {cursor.ZERO_CURSOR})")
        try:
            value = cursor.decode(ctx.epoch, raw)
        except cursor.CursorError as exc:
            raise BadRequest(str(exc)) from None
        return 0 if value == 0 else checked(ctx, value)

    async def event_delta(request: Request) -> Response:
        ctx.require_realtime(request.scope, "delta")
        after = uuid_cursor(request)
        sport_id = sport_filter(ctx, request)
        upto = ctx.committed
        states = changed_events(hub.board, hub.changelog, after, upto)
        if sport_id is not None:
            states = [s for s in states if s.event.sport_id == sport_id]
        query = event_query(ctx.catalog, request.query_params, sport_id, tier_of(request.scope))
        deltas = [v2.EventDelta(data=data.decode()) for data in ctx.encoded.events(states, query)]
        meta = v2.Meta(delta_last_id=cursor.encode(ctx.epoch, upto))
        return json_response(v2.EventDeltaResponse(meta=meta, deltas=deltas))

    return event_delta


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    hub = ctx.hub
    catalog = ctx.catalog

    def integer_cursor(request: Request) -> int:
        raw = request.query_params.get("last_id")
        if raw is None or raw.strip() == "":
            raise BadRequest("last_id is required (take it from an events response's meta)")
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest(f"last_id: {raw[:40]!r} is not an integer cursor") from None
        if value <= 0:
            raise BadRequest(
                "last_id must be a positive integer; bootstrap from an events response"
            )
        return checked(ctx, value)

    async def markets_delta(request: Request) -> Response:
        ctx.require_realtime(request.scope, "markets/delta")
        q = request.query_params
        after = integer_cursor(request)
        market_ids = params.int_list(q, "market_ids")
        ctx.require_markets(request.scope, market_ids)
        denied = ctx.denied_markets(request.scope)
        if denied:  # left out of the default answer, silently
            market_ids = (market_ids or frozenset(catalog.markets)) - denied
        wanted = DeltaFilter(
            sport_id=sport_filter(ctx, request),
            affiliate_ids=params.int_list(q, "affiliate_ids"),
            market_ids=market_ids,
            event_id=q.get("event_id") or None,
        )
        page = price_deltas(
            hub.board, hub.changelog, after, ctx.committed, wanted, params.limit(q, 1000, 5000)
        )
        rows = [v2_rows.delta_row(catalog, d) for d in page.rows]
        meta = v2.DeltaMeta(delta_last_id=str(page.cursor), count=len(rows), has_more=page.has_more)
        return json_response(v2.MarketsDeltaResponse(meta=meta, deltas=rows))

    event_delta = event_delta_handler(ctx)
    sport_id = query("sport_id", optional_int(1, 1000), "only this sport")
    return [
        Endpoint(
            "/markets/delta",
            markets_delta,
            "Price changes after an integer cursor",
            v2.MarketsDeltaResponse,
            "V2 Markets",
            (
                query("last_id", {"type": "integer", "minimum": 1}, "cursor", required=True),
                sport_id,
                AFFILIATE_IDS,
                MARKET_IDS,
                query("event_id", {"type": "string"}, "only this event"),
                query("limit", optional_int(1, 5000), "rows (default 1000)"),
            ),
            description=(
                "Rows are the changes after `last_id`, oldest first, filtered literally. "
                "Poll again at once while `has_more`. A cursor from the future or older than "
                "the resume window is a 400: take a fresh events snapshot."
            ),
        ),
        Endpoint(
            "/delta",
            event_delta,
            "Events changed after a UUID-style cursor (each as a JSON string)",
            v2.EventDeltaResponse,
            "V2 Events",
            (
                query("last_id", UUID_CURSOR, "cursor", required=True),
                sport_id,
                AFFILIATE_IDS,
            ),
        ),
    ]
