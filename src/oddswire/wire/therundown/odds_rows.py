"""Shapes of the analytics endpoints: ``/api/v2/hedge...`` and ``/api/v2/odds/...``.

TheRundown does not publish these payloads, so they follow the rest of our V2 API:
a ``meta`` object plus one named list; ids, names and ``TYPE_*`` participant types as in
event payloads; prices as American numbers (integers when whole, never the 0.0001
sentinel: only open prices are ever considered); times in RFC 3339 UTC; implied
probabilities as fractions (0.5238), moves and deviations in percentage points.

A hedge record is exactly what the hedge WebSocket sends for the opportunity
(:class:`oddswire.wire.therundown.hedge.HedgeMessages` with ``flat=True``), so stream
and REST agree; :class:`HedgeRecord` types it for ``/openapi.json``.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from msgspec import UNSET, UnsetType

from oddswire.analytics.odds import american_to_probability, probability_to_american
from oddswire.analytics.outliers import LineOutlier
from oddswire.analytics.steamers import Steamer
from oddswire.board import LineState, PriceState
from oddswire.model.ids import price_id
from oddswire.refdata import Catalog
from oddswire.wire.therundown.common import american, rfc3339

Price = int | float


class _Shape(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Optional fields are left out of the JSON when not set."""


# ---------------------------------------------------------------------- hedge


class HedgeBet(_Shape, kw_only=True):
    """One leg: the price at a book and the stake the split gives it."""

    affiliate_id: int
    affiliate_name: str
    participant_id: int
    participant_name: str
    line: str
    price: Price
    wager: float
    #: What the wager returns (stake included) if this leg wins.
    payout: float
    #: Seconds since the leg's price last changed, when the opportunity was computed.
    age_seconds: float


class HedgeRecord(_Shape, kw_only=True):
    """One opportunity, as the hedge stream sends it (seed 004's fields plus ours)."""

    id: str
    #: The kind: 2ways, 3ways, middles, posev, steam or outliers.
    type: str
    #: open, updated or closed (a closed record has no bets).
    state: str
    #: Its place in the opportunity stream.
    sequence: int
    event_id: str
    sport_id: int
    market_id: int
    market_name: str
    period_id: int
    is_live: bool
    is_main_line: bool
    bets: list[HedgeBet]
    #: Guaranteed profit of the stake split (arbitrage) or edge (+EV), in percent.
    profit_pct: float
    detected_at: str
    updated_at: str


class HedgeMeta(_Shape, kw_only=True):
    #: The types asked for (aliases resolved: ``openev`` shows as ``posev``).
    type: list[str]
    #: Records in this page, and matching in all.
    count: int
    total: int
    limit: int
    offset: int
    #: The opportunity stream's sequence when the list was taken.
    sequence: int


class HedgesResponse(_Shape, kw_only=True):
    meta: HedgeMeta
    hedges: list[HedgeRecord]


class HedgeResponse(_Shape, kw_only=True):
    hedge: HedgeRecord


# ----------------------------------------------------------------- best line


class OddsQuote(_Shape, kw_only=True):
    """One book's open price on a selection."""

    affiliate_id: int
    affiliate_name: str
    price: Price
    #: Implied probability of the price (with the book's margin in it).
    probability: float
    is_main_line: bool
    updated_at: str
    #: The price's id, as in event payloads (usable with ``/markets/history``).
    market_line_price_id: str


class BestLineSelection(_Shape, kw_only=True):
    """A selection (participant and line value) with its best open price."""

    event_id: str
    sport_id: int
    market_id: int
    market_name: str
    period_id: int
    participant_id: int
    participant_type: str
    participant_name: str
    #: The 32-hex line id, as in event payloads.
    line_id: str
    line: str
    #: ``over`` or ``under`` for totals, team totals and player props.
    side: str | UnsetType = UNSET
    #: Books with an open price on the selection (after the filters).
    books: int
    best: OddsQuote
    #: The other books' open prices, best first (left out when not asked for).
    alternatives: list[OddsQuote] | UnsetType = UNSET


class BestLinesMeta(_Shape, kw_only=True):
    event_id: str | UnsetType = UNSET
    sport_id: int | UnsetType = UNSET
    date: str | UnsetType = UNSET
    market_id: int
    period_id: int
    include_alternates: bool
    count: int
    total: int
    limit: int
    #: Prices on the lines examined (whole lines: the day form stops at the first line
    #: once ``sample_limit`` is reached).
    sampled: int
    #: True when ``sample_limit`` stopped the scan before every line was examined.
    truncated: bool


class BestLinesResponse(_Shape, kw_only=True):
    meta: BestLinesMeta
    best_lines: list[BestLineSelection]


# ------------------------------------------------------------------ steamers


class BookQuoteRow(_Shape, kw_only=True):
    """One book's price on one line: what steamer and outlier rows start with."""

    event_id: str
    sport_id: int
    market_id: int
    market_name: str
    period_id: int
    participant_id: int
    participant_type: str
    participant_name: str
    line_id: str
    line: str
    affiliate_id: int
    affiliate_name: str
    is_main_line: bool


class SteamerRow(BookQuoteRow, kw_only=True):
    #: The price at the window's start, and now.
    price_from: Price
    price_to: Price
    probability_from: float
    probability_to: float
    #: probability_to - probability_from, in percentage points.
    move_pp: float
    #: Changes of the price within the window.
    moves: int
    first_moved_at: str
    last_moved_at: str
    #: Books (this one included) that moved this line the same way within the window.
    books_same_direction: int


class SteamersMeta(_Shape, kw_only=True):
    sport_id: int
    date: str
    offset: int
    window_minutes: int
    #: The window's start.
    since: str
    count: int
    total: int
    limit: int
    #: True when an event had more changes in the window than are read at once, so its
    #: earliest ones were not seen.
    truncated: bool


class SteamersResponse(_Shape, kw_only=True):
    meta: SteamersMeta
    steamers: list[SteamerRow]


# ------------------------------------------------------------------ outliers


class OutlierRow(BookQuoteRow, kw_only=True):
    updated_at: str
    price: Price
    probability: float
    #: The median implied probability of the peers, and its price.
    consensus_probability: float
    consensus_price: Price
    #: probability - consensus_probability, in percentage points.
    deviation_pp: float
    #: The book against the consensus, for the bettor: better (it pays more), worse, same.
    for_bettor: Literal["better", "worse", "same"]
    peers: int
    peer_affiliate_ids: list[int]


class OutliersMeta(_Shape, kw_only=True):
    sport_id: int
    date: str
    offset: int
    affiliate_id: int
    affiliate_name: str
    min_peers: int
    sample_limit: int
    #: The book's open prices examined, and whether the sample limit cut the scan short.
    examined: int
    truncated: bool
    count: int
    total: int
    limit: int


class OutliersResponse(_Shape, kw_only=True):
    meta: OutliersMeta
    outliers: list[OutlierRow]


# ------------------------------------------------------------------ builders


def affiliate_name(catalog: Catalog, affiliate_id: int) -> str:
    found = catalog.affiliates.get(affiliate_id)
    return found.affiliate_name if found else str(affiliate_id)


def market_name(catalog: Catalog, market_id: int) -> str:
    market = catalog.markets.get(market_id)
    return market.name if market else str(market_id)


def probability(value: float) -> float:
    return round(value, 6)


def points(value: float) -> float:
    return round(value, 4)


def quote(catalog: Catalog, line: LineState, affiliate_id: int, state: PriceState) -> OddsQuote:
    return OddsQuote(
        affiliate_id=affiliate_id,
        affiliate_name=affiliate_name(catalog, affiliate_id),
        price=american(state.price),
        probability=probability(american_to_probability(state.price)),
        is_main_line=state.is_main_line,
        updated_at=rfc3339(state.source_ts),
        market_line_price_id=str(price_id(line.id, affiliate_id)),
    )


def selection(
    catalog: Catalog,
    line: LineState,
    side: str | None,
    quotes: list[tuple[int, PriceState]],
    alternatives: int | None,
) -> BestLineSelection:
    """``quotes`` ranked best first (not empty); ``alternatives``: how many of the rest
    to list (None: leave the list out)."""
    event = line.event.event
    (best_book, best), rest = quotes[0], quotes[1:]
    row = BestLineSelection(
        event_id=event.event_id,
        sport_id=event.sport_id,
        market_id=line.market_id,
        market_name=market_name(catalog, line.market_id),
        period_id=line.period_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type.wire_name,
        participant_name=catalog.participant_name(line.participant_id, line.participant_type),
        line_id=line.id,
        line=line.line,
        books=len(quotes),
        best=quote(catalog, line, best_book, best),
    )
    if side is not None:
        row.side = side
    if alternatives is not None:
        row.alternatives = [quote(catalog, line, b, p) for b, p in rest[:alternatives]]
    return row


def steamer_row(catalog: Catalog, steamer: Steamer) -> SteamerRow:
    line = steamer.line
    event = line.event.event
    return SteamerRow(
        event_id=event.event_id,
        sport_id=event.sport_id,
        market_id=line.market_id,
        market_name=market_name(catalog, line.market_id),
        period_id=line.period_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type.wire_name,
        participant_name=catalog.participant_name(line.participant_id, line.participant_type),
        line_id=line.id,
        line=line.line,
        affiliate_id=steamer.affiliate_id,
        affiliate_name=affiliate_name(catalog, steamer.affiliate_id),
        is_main_line=steamer.current.is_main_line,
        price_from=american(steamer.price_from),
        price_to=american(steamer.price_to),
        probability_from=probability(steamer.probability_from),
        probability_to=probability(steamer.probability_to),
        move_pp=points(steamer.move_pp),
        moves=steamer.moves,
        first_moved_at=rfc3339(steamer.first_moved_at),
        last_moved_at=rfc3339(steamer.last_moved_at),
        books_same_direction=steamer.books_same_direction,
    )


def outlier_row(catalog: Catalog, outlier: LineOutlier) -> OutlierRow:
    line = outlier.line
    event = line.event.event
    deviation = points(outlier.deviation_pp)
    verdict: Literal["better", "worse", "same"] = (
        "better" if deviation < 0 else "worse" if deviation > 0 else "same"
    )
    return OutlierRow(
        event_id=event.event_id,
        sport_id=event.sport_id,
        market_id=line.market_id,
        market_name=market_name(catalog, line.market_id),
        period_id=line.period_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type.wire_name,
        participant_name=catalog.participant_name(line.participant_id, line.participant_type),
        line_id=line.id,
        line=line.line,
        affiliate_id=outlier.affiliate_id,
        affiliate_name=affiliate_name(catalog, outlier.affiliate_id),
        is_main_line=outlier.price.is_main_line,
        updated_at=rfc3339(outlier.price.source_ts),
        price=american(outlier.price.price),
        probability=probability(outlier.probability),
        consensus_probability=probability(outlier.consensus),
        consensus_price=american(round(probability_to_american(outlier.consensus), 2)),
        deviation_pp=deviation,
        for_bettor=verdict,
        peers=len(outlier.peer_affiliate_ids),
        peer_affiliate_ids=list(outlier.peer_affiliate_ids),
    )
