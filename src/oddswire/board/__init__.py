"""The board: the hub's I/O-free, single-writer, sequenced state."""

from oddswire.board.board import AppliedBatch, Board, ChangedSince
from oddswire.board.days import day_bounds, local_date
from oddswire.board.query import (
    EventQuery,
    EventView,
    LineView,
    MarketView,
    ParticipantView,
    events_on,
    select_events,
)
from oddswire.board.state import EventState, LineState, MarketState, PriceState

__all__ = [
    "AppliedBatch",
    "Board",
    "ChangedSince",
    "EventQuery",
    "EventState",
    "EventView",
    "LineState",
    "LineView",
    "MarketState",
    "MarketView",
    "ParticipantView",
    "PriceState",
    "day_bounds",
    "events_on",
    "local_date",
    "select_events",
]
