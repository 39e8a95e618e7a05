"""V2 odds analytics: the best open price per selection with the ranked alternatives,
the steamers (prices whose implied probability moved most in a window) and one book's
outliers against the consensus of the others.

Every form comes twice, as TheRundown serves it: with the sport and day (or the event)
in the path, and with them in the query.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from oddswire.analytics.bestline import ranked_quotes
from oddswire.analytics.outliers import outliers
from oddswire.analytics.steamers import steamers
from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import BadRequest, json_response
from oddswire.api.registry import (
    AFFILIATE_IDS,
    BOOL,
    DATE,
    DATE_PATH,
    EVENT_ID,
    INT,
    OFFSET,
    SPORT_ID,
    Endpoint,
    Param,
    optional_int,
    query,
)
from oddswire.board import EventState, LineState
from oddswire.board.query import events_on
from oddswire.model.change import ParticipantType
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, parse_line
from oddswire.refdata import OVER, UNDER
from oddswire.store.base import HistoryRecord
from oddswire.wire.therundown import odds_rows
from oddswire.wire.therundown.common import rfc3339

#: Changes read per event for steamers; an event with more in the window is cut to its
#: newest this many (and ``meta.truncated`` says so).
STEAM_HISTORY_LIMIT = 20_000
#: More changed lines than this and the history read takes the whole event instead.
MAX_LINE_REFS = 2000
MAX_EVENT_SELECTIONS = 1000
#: The event forms list every other book's price.
ALL_ALTERNATIVES = 1 << 30
LINE_VALUE = re.compile(r"^\s*(?:(Over|Under)\s*)?([-+]?\d{1,9}(?:\.\d{1,6})?)\s*$")


# ------------------------------------------------------------------ best line


@dataclass(frozen=True, slots=True)
class Selections:
    """Which selections of a market a best-line request wants, and which prices count."""

    market_id: int
    period_id: int
    participant_ids: frozenset[int] | None
    participant_type: ParticipantType | None
    side: str | None
    line: tuple[str | None, float] | None
    include_alternates: bool
    books: frozenset[int] | None

    @classmethod
    def parse(cls, ctx: ApiContext, q: QueryParams) -> Selections:
        market_id = params.required_int(q, "market_id")
        if market_id not in ctx.catalog.markets:
            raise BadRequest(f"market_id: unknown market {market_id}")
        wanted: set[int] = set()
        for name in ("participant_id", "market_participant_id"):
            value = params.int_between(q, name, 0, 2**63 - 1)
            if value is not None:
                wanted.add(value)
        return cls(
            market_id=market_id,
            period_id=params.ranged_int(q, "period_id", 0, 0, 2**31 - 1),
            # both given and different: nothing can match
            participant_ids=frozenset(wanted) if wanted else None,
            participant_type=params.participant_type_code(q),
            side=params.choice(q, "side", ("over", "under")),
            line=_line(q),
            include_alternates=params.boolean(q, "include_alternates"),
            books=params.int_list(q, "affiliate_ids"),
        )

    def lines(self, state: EventState) -> Iterator[tuple[LineState, str | None]]:
        """The event's lines of the market and period that pass, with their side."""
        market = state.markets.get((self.market_id, self.period_id))
        if market is None:
            return
        wanted = self.participant_ids
        for participant_id, lines in market.participants.items():
            if wanted is not None and (len(wanted) > 1 or participant_id not in wanted):
                continue
            for line in lines:
                if (
                    self.participant_type is not None
                    and line.participant_type != self.participant_type
                ):
                    continue
                side, number = parse_line(line.line)
                where = _side(line, side)
                if self.side is not None and where != self.side:
                    continue
                if self.line is not None and (
                    number != self.line[1] or self.line[0] not in (None, side)
                ):
                    continue
                yield line, where


def _line(q: QueryParams) -> tuple[str | None, float] | None:
    raw = q.get("line")
    if raw is None or raw.strip() == "":
        return None
    found = LINE_VALUE.match(raw)
    if found is None:
        raise BadRequest(
            f"line: expected a number such as -4.5, 224.5 or Over 24.5, got {raw[:40]!r}"
        )
    return found.group(1), float(found.group(2))


def _side(line: LineState, side: str | None) -> str | None:
    if side == OVER_SIDE:
        return "over"
    if side == UNDER_SIDE:
        return "under"
    if line.participant_type == ParticipantType.RESULT:
        return {OVER: "over", UNDER: "under"}.get(line.participant_id)
    return None


@dataclass(slots=True)
class BestLineScan:
    rows: list[odds_rows.BestLineSelection]
    total: int = 0
    sampled: int = 0
    truncated: bool = False


def scan_best_lines(
    ctx: ApiContext,
    states: Iterable[EventState],
    wanted: Selections,
    *,
    limit: int,
    alternatives: int | None,
    sample_limit: int | None = None,
) -> BestLineScan:
    """Selections with an open price, in event order and then as the board has them;
    ``limit`` rows kept, all counted."""
    scan = BestLineScan([])
    for state in states:
        for line, side in wanted.lines(state):
            if sample_limit is not None and scan.sampled >= sample_limit:
                scan.truncated = True
                return scan
            scan.sampled += line.price_count
            quotes = ranked_quotes(line, wanted.books, wanted.include_alternates)
            if not quotes:
                continue
            scan.total += 1
            if len(scan.rows) < limit:
                scan.rows.append(odds_rows.selection(ctx.catalog, line, side, quotes, alternatives))
    return scan


def changed_lines(state: EventState, since: float, books: frozenset[int] | None) -> list[int]:
    """Refs of the event's lines where a book's current price is stamped ``since`` or
    later (a line no book touched in the window has no move in it)."""
    return [
        line.ref
        for line in state.lines()
        if any(
            price.source_ts >= since and (books is None or book in books)
            for book, price in line.items()
        )
    ]


# ---------------------------------------------------------------- parameters

MARKET_ID = query("market_id", INT, "the market (required)", required=True)
SELECTION_PARAMS: tuple[Param, ...] = (
    MARKET_ID,
    query("period_id", optional_int(0, 2**31 - 1), "the period (default 0, full game)"),
    query("participant_id", optional_int(0, 2**63 - 1), "only this participant"),
    query(
        "participant_type",
        {"type": "string", "pattern": params.PARTICIPANT_TYPE_PATTERN},
        "1 team, 2 player, 3 result (or the TYPE_* name)",
    ),
    query(
        "market_participant_id",
        optional_int(0, 2**63 - 1),
        "the `id` from /markets/participants (here the participant id)",
    ),
    query("side", {"type": "string", "pattern": r"^\s*(over|under)?\s*$"}, "over or under"),
    query(
        "line",
        {"type": "string", "pattern": r"^\s*((Over|Under)\s*)?([-+]?\d{1,9}(\.\d{1,6})?)?\s*$"},
        "line value (-4.5, 224.5; Over 24.5 for props)",
    ),
    query("include_alternates", BOOL, "also the books' alternate lines (default: main lines only)"),
    AFFILIATE_IDS,
)
QUERY_EVENT_ID = query("event_id", {"type": "string"}, "32-hex event id (required)", required=True)
QUERY_SPORT_ID = query("sport_id", INT, "TheRundown sport id (required)", required=True)
QUERY_DATE = query(
    "date", DATE, "the day (required), under the `offset` day boundary", required=True
)
STEAM_PARAMS: tuple[Param, ...] = (
    OFFSET,
    query("window_minutes", optional_int(1, 120), "the window, in minutes (default 5)"),
    AFFILIATE_IDS,
    query("limit", optional_int(1, 100), "rows (default 25)"),
)
OUTLIER_PARAMS: tuple[Param, ...] = (
    query("affiliate_id", INT, "the book examined (required)", required=True),
    OFFSET,
    query("min_peers", optional_int(1, 50), "peer prices a line needs (default 2)"),
    query("sample_limit", optional_int(1, 5000), "how many of the book's prices to examine (1000)"),
    query("affiliate_ids", AFFILIATE_IDS.schema, "CSV of the peer books (default: every other)"),
    query("limit", optional_int(1, 100), "rows (default 25)"),
)


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    store = ctx.hub.store

    def sport_day(request: Request, in_path: bool) -> tuple[int, date]:
        if in_path:
            sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
            day = params.path_date(request.path_params["date"])
        else:
            sport_id = params.required_int(request.query_params, "sport_id")
            day = params.query_date(request.query_params)
        ctx.sport_or_404(sport_id)
        return sport_id, day

    # ---------------------------------------------------------- best line

    def best_lines_response(
        scan: BestLineScan, wanted: Selections, limit: int, **where: Any
    ) -> Response:
        """The best lines found, with a meta block that says where they were looked for
        (``event_id``, or ``sport_id`` and ``date``)."""
        meta = odds_rows.BestLinesMeta(
            **where,
            market_id=wanted.market_id,
            period_id=wanted.period_id,
            include_alternates=wanted.include_alternates,
            count=len(scan.rows),
            total=scan.total,
            limit=limit,
            sampled=scan.sampled,
            truncated=scan.truncated,
        )
        return json_response(odds_rows.BestLinesResponse(meta=meta, best_lines=scan.rows))

    def event_best_line(request: Request, event_id: str) -> Response:
        q = request.query_params
        wanted = Selections.parse(ctx, q)
        limit = params.limit(q, 25, MAX_EVENT_SELECTIONS)
        state = ctx.view(request.scope).event_or_404(event_id)
        scan = scan_best_lines(ctx, [state], wanted, limit=limit, alternatives=ALL_ALTERNATIVES)
        return best_lines_response(scan, wanted, limit, event_id=state.event.event_id)

    async def best_line_in_path(request: Request) -> Response:
        return event_best_line(request, request.path_params["event_id"])

    async def best_line_in_query(request: Request) -> Response:
        return event_best_line(request, params.required_str(request.query_params, "event_id"))

    async def best_lines_of_day(request: Request) -> Response:
        q = request.query_params
        sport_id, day = sport_day(request, True)
        offset = params.offset(q)
        wanted = Selections.parse(ctx, q)
        include_all = params.boolean(q, "include_all")
        all_limit = params.ranged_int(q, "all_limit", 5, 1, 25)
        sample_limit = params.ranged_int(q, "sample_limit", 10_000, 1, 20_000)
        limit = params.limit(q, 250, 1000)
        scan = scan_best_lines(
            ctx,
            events_on(ctx.view(request.scope).board, sport_id, day, offset),
            wanted,
            limit=limit,
            alternatives=all_limit if include_all else None,
            sample_limit=sample_limit,
        )
        return best_lines_response(scan, wanted, limit, sport_id=sport_id, date=day.isoformat())

    # ----------------------------------------------------------- steamers

    async def steam(request: Request, in_path: bool) -> Response:
        q = request.query_params
        sport_id, day = sport_day(request, in_path)
        offset = params.offset(q)
        window = params.ranged_int(q, "window_minutes", 5, 1, 120)
        books = params.int_list(q, "affiliate_ids")
        limit = params.limit(q, 25, 100)
        view = ctx.view(request.scope)
        states = events_on(view.board, sport_id, day, offset)
        # a delayed key's window ends where its view stands
        since = time.time() - view.delay - window * 60
        records: list[HistoryRecord] = []
        truncated = False
        for state in states:
            # only lines some book changed within the window can have moved
            refs = changed_lines(state, since, books)
            if not refs:
                continue
            found = await store.history(
                state.ref,
                line_refs=refs if len(refs) <= MAX_LINE_REFS else None,
                affiliate_ids=None if books is None else sorted(books),
                since=since,
                limit=STEAM_HISTORY_LIMIT,
                upto=view.upto,
            )
            truncated = truncated or len(found) >= STEAM_HISTORY_LIMIT
            records.extend(found)
        moves = steamers(records, view.board.line_by_ref, since=since)
        rows = [odds_rows.steamer_row(catalog, s) for s in moves[:limit]]
        meta = odds_rows.SteamersMeta(
            sport_id=sport_id,
            date=day.isoformat(),
            offset=offset,
            window_minutes=window,
            since=rfc3339(since),
            count=len(rows),
            total=len(moves),
            limit=limit,
            truncated=truncated,
        )
        return json_response(odds_rows.SteamersResponse(meta=meta, steamers=rows))

    async def steam_in_path(request: Request) -> Response:
        return await steam(request, True)

    async def steam_in_query(request: Request) -> Response:
        return await steam(request, False)

    # ----------------------------------------------------------- outliers

    def outlying(request: Request, in_path: bool) -> Response:
        q = request.query_params
        affiliate_id = params.required_int(q, "affiliate_id")
        sport_id, day = sport_day(request, in_path)
        if affiliate_id not in catalog.affiliates:
            raise BadRequest(f"affiliate_id: unknown book {affiliate_id}")
        offset = params.offset(q)
        min_peers = params.ranged_int(q, "min_peers", 2, 1, 50)
        sample_limit = params.ranged_int(q, "sample_limit", 1000, 1, 5000)
        peers = params.int_list(q, "affiliate_ids")
        limit = params.limit(q, 25, 100)
        board = ctx.view(request.scope).board
        lines = (
            line for state in events_on(board, sport_id, day, offset) for line in state.lines()
        )
        scan = outliers(
            lines,
            affiliate_id,
            peers=None if peers is None else peers - {affiliate_id},
            min_peers=min_peers,
            sample_limit=sample_limit,
        )
        rows = [odds_rows.outlier_row(catalog, o) for o in scan.outliers[:limit]]
        meta = odds_rows.OutliersMeta(
            sport_id=sport_id,
            date=day.isoformat(),
            offset=offset,
            affiliate_id=affiliate_id,
            affiliate_name=odds_rows.affiliate_name(catalog, affiliate_id),
            min_peers=min_peers,
            sample_limit=sample_limit,
            examined=scan.examined,
            truncated=scan.truncated,
            count=len(rows),
            total=len(scan.outliers),
            limit=limit,
        )
        return json_response(odds_rows.OutliersResponse(meta=meta, outliers=rows))

    async def outliers_in_path(request: Request) -> Response:
        return outlying(request, True)

    async def outliers_in_query(request: Request) -> Response:
        return outlying(request, False)

    tag = "V2 Odds"
    best_line_text = (
        "For each selection (participant and line value) of the market, the best open "
        "price across books and the other books' open prices, best first. Only open "
        "prices count; without `include_alternates` only each book's main line."
    )
    day_best = (
        SPORT_ID,
        DATE_PATH,
        OFFSET,
        *SELECTION_PARAMS,
        query("include_all", BOOL, "list the alternatives (other books) of each selection"),
        query("all_limit", optional_int(1, 25), "alternatives listed per selection (default 5)"),
        query("sample_limit", optional_int(1, 20000), "prices examined at most (10000)"),
        query("limit", optional_int(1, 1000), "selections (default 250)"),
    )
    event_limit = query("limit", optional_int(1, MAX_EVENT_SELECTIONS), "selections (default 25)")
    steam_text = (
        "The prices whose implied probability moved most within the last `window_minutes`: "
        "from the price at the window's start to the price now, in percentage points, "
        "largest move first. Prices not open at either end are left out."
    )
    outlier_text = (
        "The book's open prices furthest from the consensus (median implied probability) "
        "of the other books' open prices on the same line, furthest first; a line needs "
        "`min_peers` peer prices."
    )
    return [
        Endpoint(
            "/events/{event_id}/odds/best-line",
            best_line_in_path,
            "Best open price per selection of an event's market, with the alternatives",
            odds_rows.BestLinesResponse,
            tag,
            (EVENT_ID, *SELECTION_PARAMS, event_limit),
            description=best_line_text,
        ),
        Endpoint(
            "/odds/best-line",
            best_line_in_query,
            "Best open price per selection, the event in the query",
            odds_rows.BestLinesResponse,
            tag,
            (QUERY_EVENT_ID, *SELECTION_PARAMS, event_limit),
            description=best_line_text,
        ),
        Endpoint(
            "/sports/{sport_id}/odds/best-lines/{date}",
            best_lines_of_day,
            "Best open price per selection of a market, every event of a day",
            odds_rows.BestLinesResponse,
            tag,
            day_best,
            description=best_line_text + " Alternatives only with `include_all=true`.",
        ),
        Endpoint(
            "/sports/{sport_id}/odds/steamers/{date}",
            steam_in_path,
            "Prices that moved most within a window",
            odds_rows.SteamersResponse,
            tag,
            (SPORT_ID, DATE_PATH, *STEAM_PARAMS),
            description=steam_text,
        ),
        Endpoint(
            "/odds/steamers",
            steam_in_query,
            "Prices that moved most within a window, sport and day in the query",
            odds_rows.SteamersResponse,
            tag,
            (QUERY_SPORT_ID, QUERY_DATE, *STEAM_PARAMS),
            description=steam_text,
        ),
        Endpoint(
            "/sports/{sport_id}/odds/outliers/{date}",
            outliers_in_path,
            "One book's prices furthest from the other books' consensus",
            odds_rows.OutliersResponse,
            tag,
            (SPORT_ID, DATE_PATH, *OUTLIER_PARAMS),
            description=outlier_text,
        ),
        Endpoint(
            "/odds/outliers",
            outliers_in_query,
            "One book's outliers, sport and day in the query",
            odds_rows.OutliersResponse,
            tag,
            (QUERY_SPORT_ID, QUERY_DATE, *OUTLIER_PARAMS),
            description=outlier_text,
        ),
    ]
