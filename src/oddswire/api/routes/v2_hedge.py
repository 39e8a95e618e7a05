"""V2 hedge: the open (and recently closed) opportunities, listed, best per event, by
id and by event.

Each opportunity is the record the hedge WebSocket sends for it, so REST and the stream
agree; ``type`` selects as the stream's does (``mainlines``: two-way arbitrages on main
lines that are not props; ``props``: two-way props; ``openev`` is taken as ``posev``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from oddswire.access.tiers import Entitlement
from oddswire.api import params
from oddswire.api.context import ApiContext, require
from oddswire.api.errors import NotFound, json_response
from oddswire.api.registry import (
    AFFILIATE_IDS,
    BOOL,
    EVENT_ID,
    Endpoint,
    Param,
    optional_int,
    path,
    query,
)
from oddswire.model.opportunity import Opportunity
from oddswire.stream.filters import StreamFilter
from oddswire.wire.therundown import odds_rows
from oddswire.wire.therundown.hedge import HedgeMessages

DEFAULT_TYPES = frozenset({"2ways"})
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
_TYPES = "|".join(sorted(params.HEDGE_TYPES))
TYPE = query(
    "type",
    {"type": "string", "pattern": rf"^\s*(({_TYPES})(\s*,\s*({_TYPES}))*)?\s*$"},
    "CSV of types (default 2ways): 2ways, mainlines (2-way, main lines, not props), props "
    "(2-way props), 3ways, middles, posev, openev (same as posev), steam, outliers",
)
HEDGE_PARAMS: tuple[Param, ...] = (
    TYPE,
    query(
        "min_percent",
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "string", "maxLength": 0},
            ]
        },
        "smallest profit_pct (0-100)",
    ),
    query("limit", optional_int(1, MAX_LIMIT), f"records (default {DEFAULT_LIMIT})"),
    query("offset", optional_int(0, MAX_OFFSET), "records to skip (paging)"),
    query(
        "sort",
        {"type": "string", "pattern": r"^\s*(asc|desc)?\s*$"},
        "by profit_pct (default desc)",
    ),
    query("event_id", {"type": "string"}, "only this event's"),
    query(
        "market_id",
        optional_int(-(2**63) + 1, 2**63 - 1),
        "only this market (and its live variant)",
    ),
    AFFILIATE_IDS,
    query("include_closed", BOOL, "also the recently closed ones (about 15 minutes)"),
    query("include_live", BOOL, "also in-play ones (default false)"),
)


@dataclass(frozen=True, slots=True)
class HedgeQuery:
    """The list filters, parsed (and so validated) before any work is done."""

    types: frozenset[str]
    wanted: StreamFilter
    limit: int
    offset: int
    descending: bool
    include_closed: bool

    @classmethod
    def parse(cls, ctx: ApiContext, request: Request, event_id: str | None = None) -> HedgeQuery:
        q = request.query_params
        types = params.hedge_types(q, DEFAULT_TYPES)
        market_id = params.int_between(q, "market_id", -(2**63) + 1, 2**63 - 1)
        if event_id is None:
            event_id = q.get("event_id") or None
        return cls(
            types=types,
            wanted=StreamFilter(
                event_ids=None if event_id is None else frozenset({event_id}),
                market_ids=(
                    None
                    if market_id is None
                    else ctx.catalog.with_live_variants(frozenset({market_id}))
                ),
                affiliate_ids=params.int_list(q, "affiliate_ids"),
                min_percent=params.percent(q, "min_percent"),
                include_live=params.boolean(q, "include_live"),
                types=types,
            ),
            limit=params.limit(q, DEFAULT_LIMIT, MAX_LIMIT),
            offset=params.ranged_int(q, "offset", 0, 0, MAX_OFFSET),
            descending=params.descending(q),
            include_closed=params.boolean(q, "include_closed"),
        )


def candidates(
    opportunities: Iterable[Opportunity], closed: Iterable[Opportunity]
) -> list[Opportunity]:
    """The open ones, then the closed ones whose id is not open again (the latest close
    of each id), in sequence order."""
    found = {o.id: o for o in opportunities}
    latest_closed: dict[str, Opportunity] = {}
    for o in closed:
        if o.id not in found:
            latest_closed[o.id] = o
    return sorted([*found.values(), *latest_closed.values()], key=lambda o: o.sequence)


def ranked(found: list[Opportunity], descending: bool) -> list[Opportunity]:
    """By profit_pct, ties by sequence (oldest first) whichever the direction."""
    ordered = sorted(found, key=lambda o: o.sequence)
    ordered.sort(key=lambda o: o.profit_pct, reverse=descending)
    return ordered


def best_per_event(ordered: list[Opportunity]) -> list[Opportunity]:
    seen: set[str] = set()
    out = []
    for o in ordered:
        if o.event_id not in seen:
            seen.add(o.event_id)
            out.append(o)
    return out


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    book = ctx.hub.opportunities
    messages = HedgeMessages(ctx.catalog, flat=True)

    def select(hedge: HedgeQuery) -> list[Opportunity]:
        closed = book.closed() if hedge.include_closed else []
        pool = candidates(book.open, closed)
        return ranked([o for o in pool if hedge.wanted.opportunity(o)], hedge.descending)

    def page(hedge: HedgeQuery, sequence: int, found: list[Opportunity]) -> Response:
        shown = found[hedge.offset : hedge.offset + hedge.limit]
        body: dict[str, Any] = {
            "meta": odds_rows.HedgeMeta(
                type=sorted(hedge.types),
                count=len(shown),
                total=len(found),
                limit=hedge.limit,
                offset=hedge.offset,
                sequence=sequence,
            ),
            "hedges": [messages.record(o) for o in shown],
        }
        return json_response(body)

    async def hedges(request: Request) -> Response:
        require(request.scope, Entitlement.HEDGE)
        ctx.require_realtime(request.scope, "Hedge")
        hedge = HedgeQuery.parse(ctx, request)
        sequence = book.sequence
        return page(hedge, sequence, select(hedge))

    async def top(request: Request) -> Response:
        require(request.scope, Entitlement.HEDGE)
        ctx.require_realtime(request.scope, "Hedge")
        hedge = HedgeQuery.parse(ctx, request)
        sequence = book.sequence
        return page(hedge, sequence, best_per_event(select(hedge)))

    async def for_event(request: Request) -> Response:
        require(request.scope, Entitlement.HEDGE)
        ctx.require_realtime(request.scope, "Hedge")
        event_id = request.path_params["event_id"]
        ctx.view(request.scope).event_or_404(event_id)
        hedge = HedgeQuery.parse(ctx, request, event_id)
        sequence = book.sequence
        return page(hedge, sequence, select(hedge))

    async def one(request: Request) -> Response:
        require(request.scope, Entitlement.HEDGE)
        ctx.require_realtime(request.scope, "Hedge")
        params.hedge_types(request.query_params, frozenset({"mainlines"}))
        found = book.get(request.path_params["hedge_id"])
        if found is None:
            raise NotFound("hedge not found (unknown, or closed more than 15 minutes ago)")
        return json_response({"hedge": messages.record(found)})

    tag = "V2 Hedge"
    only_v2 = ("/api/v2",)
    listing = (
        "Each record is the one the hedge WebSocket sends. Open opportunities only, unless "
        "`include_closed=true`; in-play ones only with `include_live=true`. Sorted by "
        "`profit_pct` (`sort`, default desc), ties oldest first."
    )
    return [
        Endpoint(
            "/hedge",
            hedges,
            "Arbitrage and other opportunities across books",
            odds_rows.HedgesResponse,
            tag,
            HEDGE_PARAMS,
            errors=(400,),
            prefixes=only_v2,
            description=listing,
        ),
        Endpoint(
            "/hedge/top",
            top,
            "The best opportunity of each event",
            odds_rows.HedgesResponse,
            tag,
            HEDGE_PARAMS,
            errors=(400,),
            prefixes=only_v2,
            description="The first of each event in the sort order, then paged. " + listing,
        ),
        Endpoint(
            "/hedge/event/{event_id}",
            for_event,
            "The opportunities of one event",
            odds_rows.HedgesResponse,
            tag,
            (EVENT_ID, *(p for p in HEDGE_PARAMS if p.name != "event_id")),
            prefixes=only_v2,
            description="404 when the event is not on the board. " + listing,
        ),
        Endpoint(
            "/hedge/{hedge_id}",
            one,
            "One opportunity by id (open or recently closed)",
            odds_rows.HedgeResponse,
            tag,
            (path("hedge_id", {"type": "string"}, "the opportunity's `id`"), TYPE),
            prefixes=only_v2,
            description=(
                "Ids are unique across types here, so `type` (default mainlines) is "
                "checked but does not narrow the lookup. 404 when unknown."
            ),
        ),
    ]
