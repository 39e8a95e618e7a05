"""V2 history: an event's price changes, the per-book series, by price id, openers."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext, require_lookback
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import (
    AFFILIATE_IDS,
    CSV_INTS,
    DATETIME,
    EVENT_ID,
    INT,
    MAIN_LINE,
    MARKET_IDS,
    Endpoint,
    optional_int,
    path,
    query,
)
from oddswire.board import EventState, LineState
from oddswire.board.history import PriceDelta
from oddswire.model.ids import split_price_id
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown import v2_rows

DEFAULT_MARKETS = frozenset({1, 2, 3})
MAX_MARKETS = 12
MAX_PRICE_IDS = 50
LIMIT = query("limit", optional_int(1, 5000), "rows (default 1000)")
FROM = query("from", DATETIME, "earliest change (inclusive)")
TO = query("to", DATETIME, "latest change (inclusive)")


@dataclass(frozen=True, slots=True)
class HistoryWindow:
    """The history filters, parsed (and so validated) before any work is done."""

    affiliate_ids: list[int] | None
    since: float | None
    until: float | None
    limit: int
    main_only: bool

    @classmethod
    def parse(cls, request: Request) -> HistoryWindow:
        q = request.query_params
        books = params.int_list(q, "affiliate_ids")
        return cls(
            affiliate_ids=None if books is None else sorted(books),
            since=params.timestamp(q, "from"),
            until=params.timestamp(q, "to"),
            limit=params.limit(q, 1000, 5000),
            main_only=params.boolean(q, "main_line"),
        )


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    store = ctx.hub.store

    def market_filter(request: Request) -> frozenset[int]:
        asked = params.int_list(request.query_params, "market_ids")
        wanted = asked or DEFAULT_MARKETS
        if len(wanted) > MAX_MARKETS:
            raise BadRequest(f"market_ids: at most {MAX_MARKETS} market ids are allowed")
        ctx.require_markets(request.scope, asked)
        return wanted

    async def deltas(
        window: HistoryWindow,
        state: EventState,
        lines: list[LineState],
        upto: int | None,
        books: list[int] | None = None,
    ) -> list[PriceDelta]:
        """The lines' stored changes in ``window`` (up to sequence ``upto``, the
        request's view's)."""
        by_ref = {line.ref: line for line in lines}
        if not by_ref:
            return []
        records = await store.history(
            state.ref,
            line_refs=list(by_ref),
            affiliate_ids=window.affiliate_ids if books is None else books,
            since=window.since,
            until=window.until,
            limit=window.limit,
            main_only=window.main_only,
            upto=upto,
        )
        return [v2_rows.from_history(by_ref[r.line_ref], r) for r in records]

    async def event_history(request: Request) -> Response:
        view = ctx.view(request.scope)
        state = view.event_or_404(request.path_params["event_id"])
        require_lookback(request.scope, state)
        wanted = market_filter(request)
        lines = [line for line in state.lines() if line.market_id in wanted]
        window = HistoryWindow.parse(request)
        rows = [v2_rows.history_row(d) for d in await deltas(window, state, lines, view.upto)]
        meta = v2.HistoryMeta(event_id=state.event.event_id, count=len(rows))
        return json_response(v2.HistoryResponse(meta=meta, history=rows))

    async def market_series(request: Request) -> Response:
        view = ctx.view(request.scope)
        state = view.event_or_404(request.path_params["event_id"])
        require_lookback(request.scope, state)
        market_id = params.path_int(request.path_params["market_id"], "market_id")
        ctx.require_markets(request.scope, [market_id])
        q = request.query_params
        participant = q.get("participant_id")
        participant_id = None if not participant else params.path_int(participant, "participant_id")
        value = q.get("line")
        lines = [
            line
            for line in state.lines()
            if line.market_id == market_id
            and (participant_id is None or line.participant_id == participant_id)
            and (value is None or line.line == value)
        ]
        found = await deltas(HistoryWindow.parse(request), state, lines, view.upto)
        return json_response(v2_rows.series(catalog, state.event.event_id, market_id, found))

    async def price_history(request: Request) -> Response:
        q = request.query_params
        window = HistoryWindow.parse(request)
        ids = params.int_list(q, "market_line_price_ids", max_items=MAX_PRICE_IDS)
        if not ids:
            raise BadRequest("market_line_price_ids is required")
        wanted = {split_price_id(i) for i in ids}
        view = ctx.view(request.scope)
        refs = await store.lines_by_hash(sorted({h for h, _ in wanted}))
        rows: list[v2.HistoryRow] = []
        # One query per requested price: a query per line across its books would let
        # other books' newer rows use up the limit.
        for line_hash, book in sorted(wanted):
            line = view.board.line_by_ref(refs.get(line_hash, -1))
            if line is None:
                continue
            if window.affiliate_ids is not None and book not in window.affiliate_ids:
                continue
            require_lookback(request.scope, line.event)
            ctx.require_markets(request.scope, [line.market_id])
            for delta in await deltas(window, line.event, [line], view.upto, [book]):
                rows.append(v2_rows.history_row(delta))
        rows.sort(key=lambda r: r.id)
        rows = rows[-window.limit :] if window.limit else rows
        return json_response(v2.HistoryResponse(meta=v2.HistoryMeta(count=len(rows)), history=rows))

    async def opening(request: Request) -> Response:
        view = ctx.view(request.scope)
        state = view.event_or_404(request.path_params["event_id"])
        require_lookback(request.scope, state)
        q = request.query_params
        wanted = market_filter(request)
        books = params.int_list(q, "affiliate_ids")
        records = await store.openers([state.ref], view.upto)
        prices = []
        for r in sorted(records, key=lambda r: (r.line_ref, r.affiliate_id)):
            line = view.board.line_by_ref(r.line_ref)
            if line is None or line.market_id not in wanted:
                continue
            if books is not None and r.affiliate_id not in books:
                continue
            prices.append((line, r.affiliate_id, r.price, r.source_ts))
        return json_response(v2_rows.opening(catalog, state.event.event_id, prices))

    tag = "V2 Markets"
    history = (MARKET_IDS, AFFILIATE_IDS, FROM, TO, LIMIT, MAIN_LINE)
    return [
        Endpoint(
            "/events/{event_id}/markets/history",
            event_history,
            "Price changes of an event (newest `limit` rows, oldest first)",
            v2.HistoryResponse,
            tag,
            (EVENT_ID, *history),
        ),
        Endpoint(
            "/events/{event_id}/markets/opening",
            opening,
            "First price per line and book",
            v2.OpeningResponse,
            tag,
            (EVENT_ID, MARKET_IDS, AFFILIATE_IDS),
        ),
        Endpoint(
            "/events/{event_id}/markets/{market_id}/history",
            market_series,
            "One market's history as a time series per book",
            v2.SeriesResponse,
            tag,
            (
                EVENT_ID,
                path("market_id", INT, "market id"),
                query("participant_id", INT, "participant id"),
                query("line", {"type": "string"}, "line value"),
                AFFILIATE_IDS,
                FROM,
                TO,
                LIMIT,
                MAIN_LINE,
            ),
        ),
        Endpoint(
            "/markets/history",
            price_history,
            "History of up to 50 prices by their market_line_price_id",
            v2.HistoryResponse,
            tag,
            (
                query("market_line_price_ids", CSV_INTS, "CSV of price ids", required=True),
                FROM,
                TO,
                LIMIT,
                MAIN_LINE,
            ),
        ),
    ]
