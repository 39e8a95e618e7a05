"""V1 numbers: each side's main quote, written with the sentinel, and its delta.

A V1 object (moneyline, spread, total, team total) has fixed sides, each filled from the
book's main line for that participant. Every figure is a number: 0.0001 when the side is
off the board, closed or missing (a draw in a sport without draws). A ``*_delta`` is the
figure minus the one before it, with the sentinel taking part in the arithmetic as
TheRundown's does (a pull after -310 gives 310.0001).

What "before" is depends on the caller: on the board it is the price the current one
replaced (``PriceState.previous_price``) and the same line value, because the board keeps
no previous main line; a line value's delta is therefore 0 unless the side was pulled.
History replays pass the previous row instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from oddswire.board import LineState, PriceState
from oddswire.model.change import PriceStatus
from oddswire.model.event import Event
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, parse_line
from oddswire.refdata import DRAW, OVER, UNDER
from oddswire.wire.therundown.common import OFF_BOARD_SENTINEL, american
from oddswire.wire.therundown.v1_markets import MONEYLINE, SPREAD, TEAM_TOTAL, TOTAL

AWAY = "away"
HOME = "home"
Entry = tuple[LineState, PriceState]
Figures = dict[str, Any]
"""Wire field name -> number (figures and their ``_delta``), ready for a V1 struct."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a V1 object: its field name and where its quote comes from."""

    name: str
    #: ``"away"``/``"home"`` for the event's teams, else a result participant id.
    participant: str | int
    #: ``"Over"``/``"Under"`` for team totals, whose lines carry their side.
    line_side: str | None = None
    #: Spreads and totals write the line value and a ``_money`` price; moneylines a price.
    has_value: bool = True


SIDES: dict[str, tuple[Side, ...]] = {
    MONEYLINE: (
        Side("moneyline_away", AWAY, has_value=False),
        Side("moneyline_home", HOME, has_value=False),
        Side("moneyline_draw", DRAW, has_value=False),
    ),
    SPREAD: (Side("point_spread_away", AWAY), Side("point_spread_home", HOME)),
    TOTAL: (Side("total_over", OVER), Side("total_under", UNDER)),
    TEAM_TOTAL: (
        Side("team_total_away_over", AWAY, OVER_SIDE),
        Side("team_total_away_under", AWAY, UNDER_SIDE),
        Side("team_total_home_over", HOME, OVER_SIDE),
        Side("team_total_home_under", HOME, UNDER_SIDE),
    ),
}


@dataclass(frozen=True, slots=True)
class Quote:
    """A side's quote: the line's number (None for moneylines) and the book's price."""

    number: float | None
    price: PriceState


Quotes = dict[str, Quote | None]


def participant_id(side: Side, event: Event) -> int:
    if side.participant == AWAY:
        return event.away_team_id
    if side.participant == HOME:
        return event.home_team_id
    assert isinstance(side.participant, int)
    return side.participant


def on_side(side: Side, event: Event, line: LineState) -> tuple[bool, float | None]:
    """Whether the line belongs to ``side``, and its number."""
    if line.participant_id != participant_id(side, event):
        return False, None
    text_side, number = parse_line(line.line)
    return side.line_side is None or text_side == side.line_side, number


def _rank(price: PriceState) -> tuple[bool, int]:
    return price.status != PriceStatus.CLOSED, price.sequence


def main_quotes(kind: str, event: Event, entries: Iterable[Entry]) -> Quotes:
    """Each side's main quote: a main-line price, open or pulled before closed, newest."""
    found: Quotes = {side.name: None for side in SIDES[kind]}
    for line, price in entries:
        if not price.is_main_line:
            continue
        for side in SIDES[kind]:
            belongs, number = on_side(side, event, line)
            current = found[side.name]
            if belongs and (current is None or _rank(price) > _rank(current.price)):
                found[side.name] = Quote(number, price)
    return found


def _money(quote: Quote | None) -> float:
    if quote is None or quote.price.status != PriceStatus.OPEN:
        return OFF_BOARD_SENTINEL
    return quote.price.price


def _value(quote: Quote | None) -> float:
    if quote is None or quote.price.status != PriceStatus.OPEN or quote.number is None:
        return OFF_BOARD_SENTINEL
    return quote.number


def numbers(kind: str, quotes: Quotes) -> dict[str, float]:
    """The current figures of each side (field name -> number, sentinel included)."""
    out: dict[str, float] = {}
    for side in SIDES[kind]:
        quote = quotes.get(side.name)
        if side.has_value:
            out[side.name] = _value(quote)
            out[side.name + "_money"] = _money(quote)
        else:
            out[side.name] = _money(quote)
    return out


def quoted(kind: str, quotes: Quotes) -> frozenset[str]:
    """The figure names of the sides that have a quote."""
    names: set[str] = set()
    for side in SIDES[kind]:
        if quotes.get(side.name) is not None:
            names.add(side.name)
            if side.has_value:
                names.add(side.name + "_money")
    return frozenset(names)


def previous_numbers(kind: str, quotes: Quotes) -> dict[str, float]:
    """The figures before each quote's last change, for sides that have a previous price."""
    out: dict[str, float] = {}
    for side in SIDES[kind]:
        quote = quotes.get(side.name)
        if quote is None or quote.price.previous_price is None:
            continue
        previous = quote.price.previous_price
        money = OFF_BOARD_SENTINEL if previous == 0 else previous
        if side.has_value:
            out[side.name] = OFF_BOARD_SENTINEL if quote.number is None else quote.number
            out[side.name + "_money"] = money
        else:
            out[side.name] = money
    return out


def figures(now: Mapping[str, float], before: Mapping[str, float]) -> Figures:
    """Each figure and its ``_delta`` (0 where nothing came before)."""
    out: Figures = {}
    for name, value in now.items():
        out[name] = american(value)
        out[name + "_delta"] = american(round(value - before.get(name, value), 4))
    return out


def updated_at(quotes: Quotes) -> float | None:
    """When the newest of the quotes changed, or None if there are none."""
    stamps = [q.price.source_ts for q in quotes.values() if q is not None]
    return max(stamps, default=None)
