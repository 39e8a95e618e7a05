"""V1 events: by sport and day (current, opening, closing lines), by event, by line."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api.context import ApiContext, tier_of
from oddswire.api.errors import NotFound, json_response
from oddswire.api.registry import (
    AFFILIATE_IDS,
    DATE_PATH,
    EVENT_ID,
    EVENT_STATUS,
    EXCLUDE_STATUS,
    INT,
    OFFSET,
    SPORT_ID,
    Endpoint,
    Param,
    path,
)
from oddswire.api.routes.v1_shared import (
    CONFERENCE_ID,
    DIVISION_ID,
    V1,
    V1_INCLUDE,
    all_periods,
    in_groups,
    line_ref,
    v1_query,
)
from oddswire.api.routes.v2_events import day_events, in_lookback
from oddswire.board import EventState
from oddswire.board.query import EventQuery, PriceSource, current_prices, select_events
from oddswire.hub.records import RecordedPrices, closing_prices, opening_prices
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.v1_events import V1EventWriter

LINE_ID = path("line_id", INT, "V1 line id (from a V1 event's `lines`)")


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    store = ctx.hub.store
    writer = V1EventWriter(catalog)

    def day(request: Request) -> tuple[list[EventState], EventQuery]:
        sport_id, states = day_events(ctx, request)
        query = v1_query(catalog, request.query_params, sport_id, tier_of(request.scope))
        return in_groups(catalog, states, request.query_params), query

    def respond(
        request: Request,
        states: list[EventState],
        query: EventQuery,
        prices: PriceSource = current_prices,
    ) -> Response:
        views = select_events(states, query, prices)
        periods = all_periods(request.query_params)
        uuid_cursor = ctx.uuid_cursor(ctx.view(request.scope))
        return json_response(writer.events(views, uuid_cursor, all_periods=periods))

    def single(request: Request, state: EventState, query: EventQuery) -> Response:
        # One event is always answered: no status or empty-market filter drops it.
        query = replace(query, event_status=None, exclude_status=frozenset(), hide_no_markets=False)
        views = select_events([state], query)
        periods = all_periods(request.query_params)
        return json_response(writer.event(views[0], all_periods=periods))

    async def sport_events(request: Request) -> Response:
        states, query = day(request)
        return respond(request, states, query)

    async def sport_recorded(request: Request, recorded: RecordedPrices) -> Response:
        """A day's events with their openers or closing lines (as the view stands)."""
        states, query = day(request)
        states = in_lookback(request, states)
        prices = await recorded(store, states, ctx.view(request.scope).upto)
        return respond(request, states, query, prices)

    async def sport_openers(request: Request) -> Response:
        return await sport_recorded(request, opening_prices)

    async def sport_closing(request: Request) -> Response:
        return await sport_recorded(request, closing_prices)

    async def event(request: Request) -> Response:
        state = ctx.view(request.scope).event_or_404(request.path_params["event_id"])
        tier = tier_of(request.scope)
        query = v1_query(catalog, request.query_params, state.event.sport_id, tier)
        return single(request, state, query)

    async def event_line(request: Request) -> Response:
        state = ctx.view(request.scope).event_or_404(request.path_params["event_id"])
        ref = line_ref(request)
        if ref.event_ref != state.ref:
            raise NotFound()
        q = request.query_params
        query = replace(
            v1_query(catalog, q, state.event.sport_id, tier_of(request.scope)),
            affiliate_ids=frozenset({ref.affiliate_id}),
            scores_only=False,
        )
        return single(request, state, query)

    filters = (AFFILIATE_IDS, EVENT_STATUS, EXCLUDE_STATUS, CONFERENCE_ID, DIVISION_ID, V1_INCLUDE)
    by_day: tuple[Param, ...] = (SPORT_ID, DATE_PATH, OFFSET, *filters)
    tag = "V1 Events"
    response = v1.V1EventsResponse
    return [
        Endpoint(
            "/sports/{sport_id}/events/{date}",
            sport_events,
            "Events of a sport on a day, with each book's lines",
            response,
            tag,
            by_day,
            prefixes=V1,
        ),
        Endpoint(
            "/sports/{sport_id}/openers/{date}",
            sport_openers,
            "Events of a day with each book's opening lines",
            response,
            tag,
            by_day,
            prefixes=V1,
        ),
        Endpoint(
            "/sports/{sport_id}/closing/{date}",
            sport_closing,
            "Events of a day with each book's lines at the scheduled start",
            response,
            tag,
            by_day,
            prefixes=V1,
        ),
        Endpoint(
            "/events/{event_id}",
            event,
            "One event (not wrapped)",
            v1.V1Event,
            tag,
            (EVENT_ID, AFFILIATE_IDS, V1_INCLUDE),
            prefixes=V1,
        ),
        Endpoint(
            "/events/{event_id}/lines/{line_id}",
            event_line,
            "One event with only the book of a line",
            v1.V1Event,
            tag,
            (EVENT_ID, LINE_ID, V1_INCLUDE),
            prefixes=V1,
        ),
    ]
