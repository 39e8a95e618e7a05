"""V1 lines: a book's moneyline/spread/total/team-total history by line id; best lines."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from oddswire.analytics.bestline import period_id
from oddswire.api import params
from oddswire.api.context import ApiContext, require_lookback
from oddswire.api.errors import BadRequest, NotFound, json_response
from oddswire.api.registry import AFFILIATE_IDS, CSV, Endpoint, query
from oddswire.api.routes.v1_events import LINE_ID
from oddswire.api.routes.v1_shared import V1, V1_INCLUDE, all_periods, line_ref
from oddswire.api.routes.v2_bestline import PERIOD, best_for
from oddswire.board import LineState
from oddswire.store.base import HistoryRecord
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.v1_history import replay
from oddswire.wire.therundown.v1_ids import line_id
from oddswire.wire.therundown.v1_lines import (
    Builder,
    R,
    moneyline_row,
    spread_row,
    team_total_row,
    total_row,
)
from oddswire.wire.therundown.v1_markets import MONEYLINE, SPREAD, TEAM_TOTAL, TOTAL, line_markets

#: Stored changes replayed per request (the newest ones, if a line has more).
HISTORY_LIMIT = 5000
MAX_EVENT_IDS = 50
EVENT_IDS = query("event_ids", CSV, "CSV of event ids (at most 50)", required=True)


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    store = ctx.hub.store

    async def history(request: Request, kind: str, build: Builder[R]) -> dict[str, list[R]]:
        """Rows by V1 period name: the line's period, or every period with include=all_periods."""
        ref = line_ref(request)
        view = ctx.view(request.scope)
        state = view.board.event_by_ref(ref.event_ref)
        if state is None or ref.period_id not in catalog.periods:
            raise NotFound()
        require_lookback(request.scope, state)
        event = state.event
        every = all_periods(request.query_params)
        periods = line_markets(catalog, event.sport_id).of_kind(kind)
        lines: dict[int, LineState] = {
            line.ref: line
            for line in state.lines()
            if periods.get(line.market_id) == line.period_id
            and (every or line.period_id == ref.period_id)
        }
        records: list[HistoryRecord] = []
        if lines:
            records = await store.history(
                state.ref,
                line_refs=list(lines),
                affiliate_ids=[ref.affiliate_id],
                limit=HISTORY_LIMIT,
                upto=view.upto,
            )
        by_period: dict[int, list[HistoryRecord]] = {} if every else {ref.period_id: []}
        for record in records:
            by_period.setdefault(lines[record.line_ref].period_id, []).append(record)
        return {
            catalog.periods[period].v1_key: replay(
                build,
                kind,
                event,
                lines,
                found,
                line_id(ref.event_ref, period, ref.affiliate_id),
                ref.affiliate_id,
            )
            for period, found in sorted(by_period.items())
        }

    def only(rows: dict[str, list[R]]) -> list[R]:
        return next(iter(rows.values()))

    async def moneylines(request: Request) -> Response:
        rows = await history(request, MONEYLINE, moneyline_row)
        if all_periods(request.query_params):
            return json_response(v1.V1MoneylineHistory(moneyline_periods=rows))
        return json_response(v1.V1MoneylineHistory(moneylines=only(rows)))

    async def spreads(request: Request) -> Response:
        rows = await history(request, SPREAD, spread_row)
        if all_periods(request.query_params):
            return json_response(v1.V1SpreadHistory(spread_periods=rows))
        return json_response(v1.V1SpreadHistory(spreads=only(rows)))

    async def totals(request: Request) -> Response:
        rows = await history(request, TOTAL, total_row)
        if all_periods(request.query_params):
            return json_response(v1.V1TotalHistory(total_periods=rows))
        return json_response(v1.V1TotalHistory(totals=only(rows)))

    async def team_totals(request: Request) -> Response:
        rows = await history(request, TEAM_TOTAL, team_total_row)
        if all_periods(request.query_params):
            return json_response(v1.V1TeamTotalHistory(team_total_periods=rows))
        return json_response(v1.V1TeamTotalHistory(team_totals=only(rows)))

    async def best(request: Request) -> Response:
        q = request.query_params
        ids = params.str_list(q, "event_ids")
        if not ids:
            raise BadRequest("event_ids is required")
        if len(ids) > MAX_EVENT_IDS:
            raise BadRequest(f"event_ids: at most {MAX_EVENT_IDS} events are allowed")
        name = q.get("period") or "period_full_game"
        if period_id(catalog, name) is None:
            raise BadRequest(f"period: unknown period {name[:40]!r}")
        books = params.int_list(q, "affiliate_ids")
        body: v1.V1BestLinesResponse = {}
        board = ctx.view(request.scope).board
        for event_id in sorted(ids):
            state = board.event(event_id)
            if state is not None:
                body[event_id] = best_for(catalog, state, name, books)
        return json_response(body)

    tag = "V1 Lines"
    one = (LINE_ID, V1_INCLUDE)
    described = (
        "Newest first; one row per change of the book's main line. "
        "`include=all_periods` answers every period of the event, keyed by period name."
    )
    return [
        Endpoint(
            "/lines/{line_id}/moneyline",
            moneylines,
            "Moneyline history of a line",
            v1.V1MoneylineHistory,
            tag,
            one,
            prefixes=V1,
            description=described,
        ),
        Endpoint(
            "/lines/{line_id}/spread",
            spreads,
            "Spread history of a line",
            v1.V1SpreadHistory,
            tag,
            one,
            prefixes=V1,
            description=described,
        ),
        Endpoint(
            "/lines/{line_id}/total",
            totals,
            "Total history of a line",
            v1.V1TotalHistory,
            tag,
            one,
            prefixes=V1,
            description=described,
        ),
        Endpoint(
            "/lines/{line_id}/team_total",
            team_totals,
            "Team-total history of a line",
            v1.V1TeamTotalHistory,
            tag,
            one,
            prefixes=V1,
            description=described,
        ),
        Endpoint(
            "/lines/best",
            best,
            "Best price per side across books, per event",
            v1.V1BestLinesResponse,
            tag,
            (EVENT_IDS, PERIOD, AFFILIATE_IDS),
            errors=(400,),
            prefixes=V1,
            description="Unknown event ids are left out of the answer.",
        ),
    ]
