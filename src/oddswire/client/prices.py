"""Rendering wire prices: the off-board sentinel becomes None, everything else a number
in the format you want.

TheRundown writes prices as numbers in event payloads and as text in stream, delta and
history rows, with ``0.0001`` meaning "off the board" (pulled). Comparing against that
literal is the bug in most hand-written clients (seed 000 does it); these helpers do
it once::

    >>> american("-110"), decimal(150), probability("0.0001")
    (-110, 2.5, None)
"""

from __future__ import annotations

from oddswire.analytics.odds import american_to_decimal, american_to_probability
from oddswire.model.change import PriceStatus
from oddswire.wire.therundown import read

WirePrice = int | float | str | None


def american(price: WirePrice) -> int | float | None:
    """An American price (an int when whole), or None when off the board or missing."""
    value, status = read.american(price)
    if status != PriceStatus.OPEN or value == 0.0:
        return None
    whole = int(value)
    return whole if whole == value else value


def decimal(price: WirePrice, digits: int = 4) -> float | None:
    """Decimal odds (``+150`` -> ``2.5``), or None when off the board."""
    value = american(price)
    return None if value is None else round(american_to_decimal(value), digits)


def probability(price: WirePrice, digits: int = 6) -> float | None:
    """Implied probability including the book's margin, or None when off the board."""
    value = american(price)
    return None if value is None else round(american_to_probability(value), digits)


def display(price: WirePrice) -> str:
    """``"+150"``, ``"-110"``, or ``"N/A"`` when off the board (seed 000's display)."""
    value = american(price)
    if value is None:
        return "N/A"
    return f"+{value:g}" if value > 0 else f"{value:g}"


def is_off_board(price: WirePrice) -> bool:
    return american(price) is None


__all__ = ["american", "decimal", "display", "is_off_board", "probability"]
