"""What the V1 route modules share: the prefix, V1's event filters, V2 handler reuse."""

from __future__ import annotations

from dataclasses import replace

from starlette.datastructures import QueryParams
from starlette.requests import Request

from oddswire.access import entitlements
from oddswire.access.tiers import Tier
from oddswire.api import params
from oddswire.api.errors import NotFound
from oddswire.api.registry import CSV_WORDS, optional_int, query
from oddswire.api.routes.v2_events import event_query
from oddswire.board import EventState
from oddswire.board.query import EventQuery
from oddswire.refdata import Catalog
from oddswire.wire.therundown.v1_ids import LineIdError, LineRef, split_line_id
from oddswire.wire.therundown.v1_markets import line_markets

V1 = ("/api/v1",)
#: An integer query filter; empty means not given.
ANY_INT = optional_int(-(2**63) + 1, 2**63 - 1)
CONFERENCE_ID = query("conference_id", ANY_INT, "only events with a team in this conference")
DIVISION_ID = query("division_id", ANY_INT, "only events with a team in this division")
V1_INCLUDE = query(
    "include",
    CSV_WORDS,
    "CSV, may repeat: `all_periods` adds `line_periods`; `scores` is accepted (scores are "
    "always included)",
)


def line_ref(request: Request) -> LineRef:
    """The ``line_id`` path parameter, decoded: 400 if not an integer, 404 if never issued."""
    value = params.path_int(request.path_params["line_id"], "line_id")
    try:
        return split_line_id(value)
    except LineIdError:
        raise NotFound() from None


def all_periods(query: QueryParams) -> bool:
    return "all_periods" in params.includes(query)


def v1_query(
    catalog: Catalog, query: QueryParams, sport_id: int | None, tier: Tier | None = None
) -> EventQuery:
    """V2's event filters (books, statuses; 400 on bad input) over the V1 line markets.

    Without a sport (the delta feed) the markets of every sport apply.
    """
    base = event_query(catalog, query, sport_id, tier)
    periods = all_periods(query)
    sports = [sport_id] if sport_id is not None else list(catalog.sports)
    wanted: frozenset[int] = frozenset()
    for sport in sports:
        wanted |= line_markets(catalog, sport).ids(all_periods=periods)
    return replace(base, market_ids=wanted - entitlements.denied_markets(tier, catalog.markets))


def int_param(query: QueryParams, name: str) -> int | None:
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return None
    return params.path_int(raw.strip(), name)


def in_groups(catalog: Catalog, states: list[EventState], query: QueryParams) -> list[EventState]:
    """Events with a team in ``conference_id`` / ``division_id`` (when given)."""
    conference_id = int_param(query, "conference_id")
    division_id = int_param(query, "division_id")
    if conference_id is None and division_id is None:
        return states
    out = []
    for state in states:
        event = state.event
        teams = [catalog.teams.get(t) for t in (event.away_team_id, event.home_team_id)]
        if any(
            team is not None
            and (conference_id is None or team.conference_id == conference_id)
            and (division_id is None or team.division_id == division_id)
            for team in teams
        ):
            out.append(state)
    return out
