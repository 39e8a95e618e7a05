"""V1 ``/sports/{id}/schedule``: a sport's events as schedule rows, keyset-paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import BOOL, DATE, EMPTY, SPORT_ID, Endpoint, optional_int, query
from oddswire.api.routes.v1_shared import (
    ANY_INT,
    CONFERENCE_ID,
    DIVISION_ID,
    V1,
    in_groups,
    int_param,
)
from oddswire.board import Board, EventState, day_bounds
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.v1_schedule import ScheduleWriter

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
SortKey = tuple[datetime, str]
SORT = {"type": "string", "pattern": r"^\s*([Aa][Ss][Cc]|[Dd][Ee][Ss][Cc])?\s*$"}
FROM = {"anyOf": [*DATE["anyOf"], EMPTY], "description": DATE["description"]}


def _key(state: EventState) -> SortKey:
    return state.event.event_date, state.event.event_id


def _descending(q: QueryParams) -> bool:
    sort = (q.get("sort") or "").strip().lower() or "asc"
    if sort not in ("asc", "desc"):
        raise BadRequest(f"sort: expected asc or desc, got {sort[:40]!r}")
    return sort == "desc"


@dataclass(frozen=True, slots=True)
class _Filters:
    """``team_id``, ``season_year`` and ``season_type_id``, parsed (400 on bad values)."""

    team_id: int | None
    year: int | None
    season_type: int | None

    @classmethod
    def parse(cls, q: QueryParams) -> _Filters:
        return cls(
            int_param(q, "team_id"),
            int_param(q, "season_year"),
            int_param(q, "season_type_id"),
        )

    def accepts(self, state: EventState) -> bool:
        event = state.event
        return (
            (self.team_id is None or self.team_id in (event.away_team_id, event.home_team_id))
            and (self.year is None or event.season_year == self.year)
            and (self.season_type is None or event.season_type == self.season_type)
        )


def _from(q: QueryParams, states: list[EventState], descending: bool) -> list[EventState]:
    """``from``: that day (UTC) and later; with ``sort=desc``, that day and earlier."""
    raw = q.get("from")
    if raw is None or raw.strip() == "":
        return states
    start, end = day_bounds(params.path_date(raw.strip()), 0)
    if descending:
        return [s for s in states if s.event.event_date < end]
    return [s for s in states if s.event.event_date >= start]


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    writer = ScheduleWriter(catalog)

    def after(board: Board, q: QueryParams, sport_id: int) -> SortKey | None:
        raw = q.get("last_event_uuid")
        if raw is None or raw.strip() == "":
            return None
        wanted = raw.strip()
        for state in board.events(sport_id):
            if state.event.event_uuid == wanted:
                return _key(state)
        raise BadRequest(f"last_event_uuid: no event {wanted[:40]!r} in this sport")

    async def schedule(request: Request) -> Response:
        sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(sport_id)
        q = request.query_params
        limit = params.limit(q, DEFAULT_LIMIT, MAX_LIMIT)
        descending = _descending(q)
        include_teams = params.boolean(q, "include_teams")
        board = ctx.view(request.scope).board
        cursor = after(board, q, sport_id)
        wanted = _Filters.parse(q)
        states = [s for s in board.events(sport_id) if wanted.accepts(s)]
        states = in_groups(catalog, _from(q, states, descending), q)
        states.sort(key=_key, reverse=descending)
        if cursor is not None:
            states = [s for s in states if (_key(s) < cursor if descending else _key(s) > cursor)]
        return json_response(writer.rows(states[:limit], include_teams=include_teams))

    return [
        Endpoint(
            "/sports/{sport_id}/schedule",
            schedule,
            "A sport's schedule, keyset-paged",
            v1.V1ScheduleResponse,
            "V1 Sports",
            (
                SPORT_ID,
                query("limit", optional_int(1, MAX_LIMIT), f"rows (default {DEFAULT_LIMIT})"),
                query("from", FROM, "first day (last day with sort=desc), UTC"),
                query("team_id", ANY_INT, "only this team's events"),
                query(
                    "last_event_uuid",
                    {"type": "string"},
                    "cursor: the event_uuid of the previous page's last row",
                ),
                query("sort", SORT, "`asc` (default) or `desc`, by start time"),
                query("season_year", ANY_INT, "only this season"),
                query("season_type_id", ANY_INT, "1 preseason, 2 regular season, 3 postseason"),
                CONFERENCE_ID,
                DIVISION_ID,
                query("include_teams", BOOL, "adds each row's `teams` (away first)"),
            ),
            prefixes=V1,
            description=(
                "Rows are ordered by start time (then event id). Page by passing the last "
                "row's `event_uuid` as `last_event_uuid`; a page shorter than `limit` is "
                "the last."
            ),
        )
    ]
