"""BoltOdds' discovery endpoints (seed 002): ``/api/get_info``, ``/api/get_games`` and
``/api/get_markets``, with the names the ``/api`` stream's filters take."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import CSV, Endpoint, query
from oddswire.wire.boltodds import discovery
from oddswire.wire.boltodds.naming import Names

PREFIXES = ("/api",)
TAG = "BoltOdds"
SPORTS = query("sports", CSV, "comma-separated sport names as get_info lists them, e.g. NBA,MLB")
SPORTSBOOKS = query(
    "sportsbooks", CSV, "comma-separated sportsbook keys as get_info lists them, e.g. draftkings"
)


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    names = Names(ctx.catalog)

    def fed_books() -> set[int]:
        return {a for source in ctx.hub.sources for a in source.health.affiliate_ids}

    async def get_info(request: Request) -> Response:
        return json_response(discovery.info(names, fed_books()))

    async def get_games(request: Request) -> Response:
        return json_response(discovery.games(names, ctx.view(request.scope).board.events()))

    async def get_markets(request: Request) -> Response:
        query_params = request.query_params
        sport_ids = _lookup(query_params, "sports", names.sport_ids, "/api/get_info")
        affiliate_ids = _lookup(query_params, "sportsbooks", names.book_ids, "/api/get_info")
        board = ctx.view(request.scope).board
        events = (
            board.events()
            if sport_ids is None
            else [s for sport_id in sport_ids for s in board.events(sport_id)]
        )
        return json_response(discovery.markets(names, events, sport_ids, affiliate_ids))

    return [
        Endpoint(
            "/get_info",
            get_info,
            "BoltOdds: the sports and sportsbooks a subscription may name",
            discovery.InfoResponse,
            TAG,
            errors=(),
            prefixes=PREFIXES,
        ),
        Endpoint(
            "/get_games",
            get_games,
            "BoltOdds: the games not over, keyed by game string",
            discovery.GamesResponse,
            TAG,
            errors=(),
            prefixes=PREFIXES,
            description="Game strings are `<Home> vs <Away>, YYYY-MM-DD, HH`: the date and "
            "the hour (12-hour clock) of the start in US Eastern time, as `when` has it.",
        ),
        Endpoint(
            "/get_markets",
            get_markets,
            "BoltOdds: market names quoted now, by sport and sportsbook",
            discovery.MarketsResponse,
            TAG,
            (SPORTS, SPORTSBOOKS),
            errors=(400,),
            prefixes=PREFIXES,
        ),
    ]


def _lookup(
    query_params: QueryParams, name: str, known: dict[str, int], discovery_path: str
) -> frozenset[int] | None:
    """Names from a comma-separated parameter to ids; an unknown name is a 400."""
    values = params.str_list(query_params, name)
    if values is None:
        return None
    unknown = sorted(v for v in values if v not in known)
    if unknown:
        shown = ", ".join(repr(v[:40]) for v in unknown[:10])
        raise BadRequest(f"{name}: unknown {shown}; see {discovery_path}")
    return frozenset(known[v] for v in values)
