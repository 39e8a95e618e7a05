"""The staleness guards, and the quotes that pass them.

A quote is a leg when its book is taking bets (status OPEN: off-board and closed prices
never get here, so neither does TheRundown's 0.0001 sentinel), it has held for at least
``settle_seconds`` and it is no older than the maximum age. Every scan also notes when
the answer would next change on its own (a settling quote becoming eligible, an eligible
one ageing out), so the engine can look again then.
"""

from __future__ import annotations

import math

from oddswire.board import LineState, PriceState
from oddswire.board.state import SLOT_BOOKS
from oddswire.model.change import PriceStatus

OPEN = PriceStatus.OPEN

_DECIMALS: dict[float, float] = {}


def to_decimal(american: float) -> float:
    """American odds as decimal odds (cached: board prices are a few thousand values)."""
    decimal = _DECIMALS.get(american)
    if decimal is None:
        decimal = 1.0 + american / 100.0 if american > 0 else 1.0 - 100.0 / american
        if len(_DECIMALS) < 100_000:
            _DECIMALS[american] = decimal
    return decimal


def to_american(decimal: float) -> float:
    return 100.0 * (decimal - 1.0) if decimal >= 2.0 else -100.0 / (decimal - 1.0)


def quote_time(price: PriceState) -> float:
    """When the price last changed (the source's stamp, else when we received it)."""
    return price.source_ts or price.received_ts


class Window:
    """The freshness window at one moment: quotes stamped in [oldest, newest] are legs."""

    __slots__ = ("due", "max_age", "newest", "now", "oldest", "settle")

    def __init__(self, now: float, max_age: float, settle: float) -> None:
        self.now = now
        self.max_age = max_age
        self.settle = settle
        self.oldest = now - max_age
        self.newest = now - settle
        #: The earliest moment a scan's answer changes by the clock alone.
        self.due = math.inf


class Quote:
    """A chosen leg: the book, its price state and decimal odds."""

    __slots__ = ("affiliate_id", "decimal", "price", "slot", "state")

    def __init__(self, slot: int, state: PriceState) -> None:
        self.slot = slot
        self.state = state
        self.affiliate_id = SLOT_BOOKS[slot]
        self.price = state.price
        self.decimal = to_decimal(state.price)

    def age(self, now: float) -> float:
        return max(0.0, now - quote_time(self.state))


def quotes(line: LineState, window: Window) -> dict[int, PriceState]:
    """The legs on a line, by book slot."""
    out: dict[int, PriceState] = {}
    oldest, newest = window.oldest, window.newest
    due = window.due
    for slot, state in enumerate(line.books):
        if state is None or state.status != OPEN:
            continue
        stamp = state.source_ts or state.received_ts
        if stamp > newest:
            due = min(due, stamp + window.settle)
        elif stamp >= oldest:
            due = min(due, stamp + window.max_age)
            out[slot] = state
    window.due = due
    return out


def best_main(line: LineState, window: Window) -> Quote | None:
    """The best eligible main-line quote on a line (what :func:`best` of the main-line
    quotes would give, without building them)."""
    oldest, newest = window.oldest, window.newest
    due = window.due
    top_slot = -1
    top_price = -math.inf
    top: PriceState | None = None
    for slot, state in enumerate(line.books):
        if state is None or not state.is_main_line or state.status != OPEN:
            continue
        stamp = state.source_ts or state.received_ts
        if stamp > newest:
            due = min(due, stamp + window.settle)
        elif stamp >= oldest:
            due = min(due, stamp + window.max_age)
            if state.price > top_price:
                top_slot, top_price, top = slot, state.price, state
    window.due = due
    return None if top is None else Quote(top_slot, top)


def best(legs: dict[int, PriceState], prefer: int | None = None) -> Quote | None:
    """The best price (ties: the book in slot ``prefer``, so an open opportunity keeps
    its legs, else the lowest slot)."""
    top_slot = -1
    top_price = -math.inf
    for slot, state in legs.items():
        price = state.price
        if price > top_price or (price == top_price and slot == prefer):
            top_slot, top_price = slot, price
    return None if top_slot < 0 else Quote(top_slot, legs[top_slot])
