"""V2 events: by sport and day, by event, and their openers and closing prices."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from oddswire.access import entitlements
from oddswire.access.tiers import Tier
from oddswire.access.usage import STATE_DATAPOINTS
from oddswire.api import params
from oddswire.api.context import ApiContext, require_lookback, tier_of
from oddswire.api.encoded import events_body
from oddswire.api.errors import ApiError, BadRequest, json_response
from oddswire.api.registry import (
    DATE_PATH,
    EVENT_FILTERS,
    EVENT_ID,
    OFFSET,
    SPORT_ID,
    Endpoint,
    Param,
)
from oddswire.board import EventState
from oddswire.board.query import EventQuery, PriceSource, current_prices, events_on, select_events
from oddswire.hub.records import RecordedPrices, closing_prices, opening_prices
from oddswire.model.event import EventStatus
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v2_models as v2

MAX_MARKET_IDS = 12
_STATUSES = frozenset(s.value for s in EventStatus)


def event_query(
    catalog: Catalog, query: QueryParams, sport_id: int | None, tier: Tier | None = None
) -> EventQuery:
    """TheRundown's event filters as an :class:`EventQuery` (400 on bad input).

    Without ``market_ids`` the sport's defaults apply (1,2,3, plus 563 for soccer and the
    NHL); ``include=all_periods`` adds the half/quarter markets; snapshots always add each
    market's live variant (1,2,3 -> 41,42,43). ``tier``: asking for a market it lacks
    is refused (403); the ones it lacks are left out of what is added.
    """
    market_ids = params.int_list(query, "market_ids")
    if market_ids is not None and len(market_ids) > MAX_MARKET_IDS:
        raise BadRequest(
            f"market_ids: at most {MAX_MARKET_IDS} market ids are allowed, got {len(market_ids)}"
        )
    refused = entitlements.markets_refusal(tier, catalog.markets, market_ids)
    if refused is not None:
        raise ApiError(403, refused)
    if market_ids is None:
        market_ids = catalog.default_market_ids(sport_id or 0)
    if "all_periods" in params.includes(query):
        market_ids = catalog.with_period_variants(market_ids)
    market_ids = catalog.with_live_variants(market_ids)
    market_ids -= entitlements.denied_markets(tier, catalog.markets)

    affiliate_ids = params.int_list(query, "affiliate_ids")
    scores_only = affiliate_ids is not None and affiliate_ids <= {0}
    return EventQuery(
        market_ids=market_ids,
        participant_ids=params.int_list(query, "participant_ids"),
        participant_type=params.participant_type(query),
        affiliate_ids=None if affiliate_ids is None else affiliate_ids - {0},
        scores_only=scores_only,
        main_line=params.boolean(query, "main_line"),
        hide_closed=params.boolean(query, "hide_closed"),
        hide_no_markets=params.boolean(query, "hide_no_markets"),
        event_status=statuses(query, "event_status"),
        exclude_status=statuses(query, "exclude_status") or frozenset(),
    )


def statuses(query: QueryParams, name: str) -> frozenset[str] | None:
    values = params.str_list(query, name)
    if values is None:
        return None
    unknown = sorted(v for v in values if v not in _STATUSES)
    if unknown:
        raise BadRequest(f"{name}: unknown status {unknown[0][:40]!r}")
    return values


def in_lookback(request: Request, states: list[EventState]) -> list[EventState]:
    """The day's events, 403 if any started before the key's history window."""
    for state in states:
        require_lookback(request.scope, state)
    return states


def day_events(ctx: ApiContext, request: Request) -> tuple[int, list[EventState]]:
    sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
    ctx.sport_or_404(sport_id)
    day: date = params.path_date(request.path_params["date"])
    offset = params.offset(request.query_params)
    return sport_id, events_on(ctx.view(request.scope).board, sport_id, day, offset)


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    store = ctx.hub.store

    def respond(
        request: Request,
        states: list[EventState],
        query: EventQuery,
        prices: PriceSource = current_prices,
        *,
        meta: bool = True,
    ) -> Response:
        view = ctx.view(request.scope)
        cursor = str(ctx.sequence_of(view)) if meta else None
        if prices is current_prices:
            encoded, count = view.encoded.priced(states, query)
            # the data points this costs, counted once per encoding (no body scan)
            setattr(request.state, STATE_DATAPOINTS, count)
            return Response(events_body(cursor, encoded), media_type="application/json")
        views = select_events(states, query, prices)
        return json_response(ctx.v2.events(views, cursor))

    async def sport_events(request: Request) -> Response:
        sport_id, states = day_events(ctx, request)
        tier = tier_of(request.scope)
        return respond(request, states, event_query(catalog, request.query_params, sport_id, tier))

    async def sport_recorded(request: Request, recorded: RecordedPrices) -> Response:
        """A day's events with their openers or closing prices (as the view stands)."""
        sport_id, states = day_events(ctx, request)
        query = event_query(catalog, request.query_params, sport_id, tier_of(request.scope))
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
        query = event_query(catalog, request.query_params, state.event.sport_id, tier)
        return respond(request, [state], query)

    async def event_recorded(request: Request, recorded: RecordedPrices) -> Response:
        """One event with its openers or closing prices (as the view stands)."""
        view = ctx.view(request.scope)
        state = view.event_or_404(request.path_params["event_id"])
        require_lookback(request.scope, state)
        tier = tier_of(request.scope)
        query = event_query(catalog, request.query_params, state.event.sport_id, tier)
        prices = await recorded(store, [state], view.upto)
        return respond(request, [state], query, prices, meta=False)

    async def event_openers(request: Request) -> Response:
        return await event_recorded(request, opening_prices)

    async def event_closing(request: Request) -> Response:
        return await event_recorded(request, closing_prices)

    day: tuple[Param, ...] = (SPORT_ID, DATE_PATH, OFFSET, *EVENT_FILTERS)
    one: tuple[Param, ...] = (EVENT_ID, *EVENT_FILTERS)
    tag = "V2 Events"
    response = v2.EventsResponse
    return [
        Endpoint(
            "/sports/{sport_id}/events/{date}",
            sport_events,
            "Events of a sport on a day, with markets and prices",
            response,
            tag,
            day,
        ),
        Endpoint(
            "/sports/{sport_id}/openers/{date}",
            sport_openers,
            "Events of a day with the first recorded price per line and book",
            response,
            tag,
            day,
        ),
        Endpoint(
            "/sports/{sport_id}/closing/{date}",
            sport_closing,
            "Events of a day with the last price at or before the scheduled start",
            response,
            tag,
            day,
        ),
        Endpoint("/events/{event_id}", event, "One event", response, tag, one),
        Endpoint(
            "/events/{event_id}/openers", event_openers, "One event's openers", response, tag, one
        ),
        Endpoint(
            "/events/{event_id}/closing",
            event_closing,
            "One event's closing prices",
            response,
            tag,
            one,
        ),
    ]
