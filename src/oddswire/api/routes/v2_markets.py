"""V2 discovery: dates with events, events per day, markets offered, participants."""

from __future__ import annotations

from datetime import UTC

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import (
    BOOL,
    CSV_INTS,
    DATE_PATH,
    EVENT_ID,
    MARKET_IDS,
    OFFSET,
    PARTICIPANT_IDS,
    PARTICIPANT_TYPE,
    SPORT_ID,
    Endpoint,
    Handler,
    query,
)
from oddswire.board import EventState
from oddswire.board.query import events_on
from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.v2_reference import market_definitions

FORMAT = query("format", {"type": "string", "enum": ["iso8601", "epoch", "date"]}, "date format")
SPORT_IDS = query("sport_ids", CSV_INTS, "CSV of sport ids (default: every sport with events)")
HIDE_CLOSED_MARKETS = query("hide_closed_markets", BOOL, "drop markets with no open price")
DEFAULT_MARKETS = frozenset({1, 2, 3})


def _dates(states: list[EventState], fmt: str) -> list[str | int]:
    moments = sorted({s.event.event_date for s in states})
    if fmt == "epoch":
        return [int(m.timestamp()) for m in moments]
    return [m.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000") for m in moments]


def _format(request: Request) -> str:
    fmt = request.query_params.get("format", "iso8601") or "iso8601"
    if fmt not in ("iso8601", "epoch", "date"):
        raise BadRequest(f"format: expected iso8601 or epoch, got {fmt[:40]!r}")
    return fmt


def _market_ids_in(states: list[EventState], *, open_only: bool) -> set[int]:
    found: set[int] = set()
    for state in states:
        for (market_id, _period), market in state.markets.items():
            if not open_only:
                found.add(market_id)
                continue
            if any(
                p.status == PriceStatus.OPEN
                for lines in market.participants.values()
                for line in lines
                for _, p in line.items()
            ):
                found.add(market_id)
    return found


def _participant_type(request: Request) -> ParticipantType | None:
    raw = request.query_params.get("participant_type")
    if not raw:
        return None
    try:
        return ParticipantType.from_wire(raw.strip())
    except KeyError:
        raise BadRequest(f"participant_type: unknown type {raw[:40]!r}") from None


def sport_dates_handler(ctx: ApiContext) -> Handler:
    """``/sports/{sport_id}/dates`` (V2 and V1): start times of a sport's events."""

    async def sport_dates(request: Request) -> Response:
        sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(sport_id)
        params.offset(request.query_params)
        states = list(ctx.view(request.scope).board.events(sport_id))
        return json_response(v2.Dates(dates=_dates(states, _format(request))))

    return sport_dates


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog

    def sport_ids(request: Request) -> list[int]:
        wanted = params.int_list(request.query_params, "sport_ids")
        if wanted is None:
            return ctx.view(request.scope).board.sport_ids()
        unknown = sorted(s for s in wanted if s not in catalog.sports)
        if unknown:
            raise BadRequest(f"sport_ids: unknown sport {unknown[0]}")
        return sorted(wanted)

    async def dates(request: Request) -> Response:
        fmt = _format(request)
        params.offset(request.query_params)
        board = ctx.view(request.scope).board
        body = {
            str(s): v2.Dates(dates=_dates(list(board.events(s)), fmt)) for s in sport_ids(request)
        }
        return json_response(body)

    sport_dates = sport_dates_handler(ctx)

    async def day_event_ids(request: Request) -> Response:
        day = params.path_date(request.path_params["date"])
        offset = params.offset(request.query_params)
        board = ctx.view(request.scope).board
        body = {
            str(s): [state.event.event_id for state in events_on(board, s, day, offset)]
            for s in sport_ids(request)
        }
        return json_response(body)

    def day_markets(request: Request, sports: list[int]) -> dict[str, list[v2.MarketDefinition]]:
        day = params.path_date(request.path_params["date"])
        offset = params.offset(request.query_params)
        open_only = params.boolean(request.query_params, "hide_closed_markets")
        wanted = params.int_list(request.query_params, "market_ids")
        board = ctx.view(request.scope).board
        out: dict[str, list[v2.MarketDefinition]] = {}
        for sport_id in sports:
            ids = _market_ids_in(events_on(board, sport_id, day, offset), open_only=open_only)
            if wanted is not None:
                ids &= wanted
            out[str(sport_id)] = market_definitions(
                catalog.markets[i] for i in ids if i in catalog.markets
            )
        return out

    async def all_markets(request: Request) -> Response:
        return json_response(day_markets(request, sport_ids(request)))

    async def sport_markets(request: Request) -> Response:
        sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(sport_id)
        return json_response(day_markets(request, [sport_id]))

    async def event_markets(request: Request) -> Response:
        state = ctx.view(request.scope).event_or_404(request.path_params["event_id"])
        wanted = params.int_list(request.query_params, "participant_ids")
        kind = _participant_type(request)
        ids = {
            market_id
            for (market_id, _period), market in state.markets.items()
            for participant_id, lines in market.participants.items()
            if (wanted is None or participant_id in wanted)
            and (kind is None or lines[0].participant_type == kind)
        }
        known = (catalog.markets[i] for i in ids if i in catalog.markets)
        return json_response(market_definitions(known))

    async def participants(request: Request) -> Response:
        q = request.query_params
        event_id = q.get("event_id")
        if not event_id:
            raise BadRequest("event_id is required")
        state = ctx.view(request.scope).event_or_404(event_id)
        market_ids = params.int_list(q, "market_ids") or DEFAULT_MARKETS
        wanted = params.int_list(q, "participant_ids")
        kind = _participant_type(request)
        rows: list[v2.MarketParticipant] = []
        for (market_id, _period), market in sorted(state.markets.items()):
            if market_id not in market_ids:
                continue
            for participant_id, lines in market.participants.items():
                ptype = lines[0].participant_type
                if (wanted is not None and participant_id not in wanted) or (
                    kind is not None and ptype != kind
                ):
                    continue
                row = v2.MarketParticipant(
                    id=participant_id,
                    market_id=market_id,
                    type=ptype.wire_name,
                    name=catalog.participant_name(participant_id, ptype),
                )
                if ptype == ParticipantType.TEAM:
                    row.team_id = participant_id
                rows.append(row)
        return json_response(v2.ParticipantsResponse(participants=rows))

    day = (DATE_PATH, OFFSET)
    return [
        Endpoint(
            "/sports/dates",
            dates,
            "Dates with events, per sport",
            dict[str, v2.Dates],
            "V2 Sports",
            (SPORT_IDS, OFFSET, FORMAT),
        ),
        Endpoint(
            "/sports/{sport_id}/dates",
            sport_dates,
            "Dates with events of a sport",
            v2.Dates,
            "V2 Sports",
            (SPORT_ID, OFFSET, FORMAT),
        ),
        Endpoint(
            "/sports/events/{date}",
            day_event_ids,
            "Event ids of a day, per sport",
            dict[str, list[str]],
            "V2 Events",
            (*day, SPORT_IDS),
        ),
        Endpoint(
            "/sports/markets/{date}",
            all_markets,
            "Markets offered on a day, per sport",
            dict[str, list[v2.MarketDefinition]],
            "V2 Markets",
            (*day, SPORT_IDS, HIDE_CLOSED_MARKETS, MARKET_IDS),
        ),
        Endpoint(
            "/sports/{sport_id}/markets/{date}",
            sport_markets,
            "Markets offered on a day for a sport",
            dict[str, list[v2.MarketDefinition]],
            "V2 Markets",
            (SPORT_ID, *day, HIDE_CLOSED_MARKETS, MARKET_IDS),
        ),
        Endpoint(
            "/events/{event_id}/markets",
            event_markets,
            "Market definitions of an event (no prices)",
            list[v2.MarketDefinition],
            "V2 Markets",
            (EVENT_ID, PARTICIPANT_IDS, PARTICIPANT_TYPE),
        ),
        Endpoint(
            "/markets/participants",
            participants,
            "Participants of an event's markets",
            v2.ParticipantsResponse,
            "V2 Markets",
            (
                query("event_id", {"type": "string"}, "event id", required=True),
                MARKET_IDS,
                PARTICIPANT_IDS,
                PARTICIPANT_TYPE,
            ),
        ),
    ]
