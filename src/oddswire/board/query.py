"""Snapshot selection with the filters of TheRundown's events endpoint (reference §1.3).

:func:`select_events` walks the board and returns a filtered view; it copies nothing,
so the caller must use the view before the board applies its next batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from oddswire.board.board import Board
from oddswire.board.days import local_date
from oddswire.board.state import EventState, LineState, MarketState, PriceState
from oddswire.model.change import ParticipantType, PriceStatus


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Filters of ``/sports/{id}/events/{date}`` and ``/events/{id}``.

    ``market_ids`` None means every market; the API layer fills in TheRundown's defaults.
    ``affiliate_ids`` None means every book; ``scores_only`` is the ``affiliate_ids=0`` case.
    """

    market_ids: frozenset[int] | None = None
    participant_ids: frozenset[int] | None = None
    participant_type: ParticipantType | None = None
    affiliate_ids: frozenset[int] | None = None
    scores_only: bool = False
    main_line: bool = False
    hide_closed: bool = False
    hide_no_markets: bool = False
    event_status: frozenset[str] | None = None
    exclude_status: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class LineView:
    line: LineState
    prices: list[tuple[int, PriceState]]


@dataclass(slots=True)
class ParticipantView:
    participant_id: int
    participant_type: ParticipantType
    lines: list[LineView]


@dataclass(slots=True)
class MarketView:
    market_id: int
    period_id: int
    participants: list[ParticipantView]


@dataclass(slots=True)
class EventView:
    state: EventState
    markets: list[MarketView]


def events_on(board: Board, sport_id: int, day: date, offset_minutes: int) -> list[EventState]:
    """Events of a sport whose start falls on ``day`` under TheRundown's ``offset``."""
    found = [
        state
        for state in board.events(sport_id)
        if local_date(state.event.event_date, offset_minutes) == day
    ]
    found.sort(key=lambda s: (s.event.event_date, s.event.event_id))
    return found


PriceSource = Callable[[LineState], list[tuple[int, PriceState]]]
"""Where a line's prices come from: the board's current ones by default, or, say, the
openers or closing prices from the store."""


def current_prices(line: LineState) -> list[tuple[int, PriceState]]:
    return line.items()


def select_events(
    states: Iterable[EventState], query: EventQuery, prices: PriceSource = current_prices
) -> list[EventView]:
    """Apply ``query`` to events: status filters, then markets, participants, lines, books."""
    views = (select_event(state, query, prices) for state in states)
    return [view for view in views if view is not None]


def select_event(
    state: EventState, query: EventQuery, prices: PriceSource = current_prices
) -> EventView | None:
    """One event through ``query``; None if the query leaves it out."""
    status = state.event.score.event_status.value
    if query.event_status is not None and status not in query.event_status:
        return None
    if status in query.exclude_status:
        return None
    markets = [] if query.scores_only else _select_markets(state, query, prices)
    if query.hide_no_markets and not markets:
        return None
    return EventView(state, markets)


def event_version(state: EventState) -> tuple[int, int]:
    """Changes whenever anything in the event does: its header or any of its lines."""
    latest = 0
    for market in state.markets.values():
        for lines in market.participants.values():
            for line in lines:
                latest = max(latest, line.last_sequence)
    return state.sequence, latest


def _select_markets(state: EventState, query: EventQuery, prices: PriceSource) -> list[MarketView]:
    wanted = query.market_ids
    result: list[MarketView] = []
    for (market_id, _period), market in sorted(state.markets.items()):
        if wanted is not None and market_id not in wanted:
            continue
        view = _select_market(market, query, prices)
        if view is not None:
            result.append(view)
    return result


def _select_market(
    market: MarketState, query: EventQuery, source: PriceSource
) -> MarketView | None:
    participants: list[ParticipantView] = []
    for participant_id, lines in market.participants.items():
        if query.participant_ids is not None and participant_id not in query.participant_ids:
            continue
        kept: list[LineView] = []
        for line in lines:
            wanted_type = query.participant_type
            if wanted_type is not None and line.participant_type != wanted_type:
                break
            prices = _select_prices(line, query, source(line))
            if prices:
                kept.append(LineView(line, prices))
        if kept:
            participant_type = kept[0].line.participant_type
            participants.append(ParticipantView(participant_id, participant_type, kept))
    if not participants:
        return None
    return MarketView(market.market_id, market.period_id, participants)


def _select_prices(
    line: LineState, query: EventQuery, available: list[tuple[int, PriceState]]
) -> list[tuple[int, PriceState]]:
    books = query.affiliate_ids
    drop_closed = query.hide_closed or query.main_line
    out: list[tuple[int, PriceState]] = []
    for affiliate_id, price in available:
        if books is not None and affiliate_id not in books:
            continue
        if drop_closed and price.status == PriceStatus.CLOSED:
            continue
        if query.main_line and not price.is_main_line:
            continue
        out.append((affiliate_id, price))
    return out
