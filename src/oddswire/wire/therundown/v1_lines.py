"""V1 lines: one book's moneyline, spread, total and team total in a period (§2.6).

The figures come from the book's main line of each market (see :mod:`v1_quotes`); the
book's alternate lines become ``extended_spreads`` / ``extended_totals``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from oddswire.model.change import PriceStatus
from oddswire.model.event import Event
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.common import rfc3339
from oddswire.wire.therundown.v1_ids import line_id
from oddswire.wire.therundown.v1_markets import FULL_GAME, MONEYLINE, SPREAD, TEAM_TOTAL, TOTAL
from oddswire.wire.therundown.v1_quotes import (
    AWAY,
    SIDES,
    Entry,
    Figures,
    Quote,
    Quotes,
    figures,
    main_quotes,
    numbers,
    on_side,
    previous_numbers,
    updated_at,
)
from oddswire.wire.therundown.v1_reference import affiliate, unknown_affiliate

AMERICAN = "American"
R = TypeVar("R", v1.V1Moneyline, v1.V1Spread, v1.V1Total, v1.V1TeamTotal)
Builder = Callable[[int, str, int, Figures, float | None], R]
"""Writes a row: (line id, event id, affiliate id, figures, last update) -> V1 object."""


def _stamp(seconds: float | None) -> str | None:
    return None if seconds is None else rfc3339(seconds)


def moneyline_row(
    line: int, event_id: str, affiliate_id: int, figs: Figures, at: float | None
) -> v1.V1Moneyline:
    return v1.V1Moneyline(line_id=line, date_updated=_stamp(at), format=AMERICAN, **figs)


def spread_row(
    line: int, event_id: str, affiliate_id: int, figs: Figures, at: float | None
) -> v1.V1Spread:
    return v1.V1Spread(
        line_id=line,
        event_id=event_id,
        affiliate_id=affiliate_id,
        date_updated=_stamp(at),
        format=AMERICAN,
        **figs,
    )


def total_row(
    line: int, event_id: str, affiliate_id: int, figs: Figures, at: float | None
) -> v1.V1Total:
    return v1.V1Total(
        line_id=line,
        event_id=event_id,
        affiliate_id=affiliate_id,
        date_updated=_stamp(at),
        format=AMERICAN,
        **figs,
    )


def team_total_row(
    line: int, event_id: str, affiliate_id: int, figs: Figures, at: float | None
) -> v1.V1TeamTotal:
    return v1.V1TeamTotal(
        line_id=line,
        event_id=event_id,
        affiliate_id=affiliate_id,
        date_updated=_stamp(at),
        format=AMERICAN,
        **figs,
    )


def board_figures(kind: str, quotes: Quotes) -> Figures:
    """Figures of quotes as the board holds them: deltas against the replaced prices."""
    return figures(numbers(kind, quotes), previous_numbers(kind, quotes))


def alternates(kind: str, event: Event, entries: Iterable[Entry]) -> list[Quotes]:
    """The book's open or pulled alternate lines, paired by line (home's spread number)."""
    groups: dict[float, Quotes] = {}
    for line, price in entries:
        if price.is_main_line or price.status == PriceStatus.CLOSED:
            continue
        for side in SIDES[kind]:
            belongs, number = on_side(side, event, line)
            if not belongs or number is None:
                continue
            key = -number if side.participant == AWAY else number
            quotes = groups.setdefault(key + 0.0, {s.name: None for s in SIDES[kind]})
            current = quotes[side.name]
            if current is None or price.sequence > current.price.sequence:
                quotes[side.name] = Quote(number, price)
    return [groups[key] for key in sorted(groups)]


class LineWriter:
    """Writes a book's entries of one period as a :class:`V1Line`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._books: dict[int, v1.V1Affiliate] = {}

    def affiliate(self, affiliate_id: int) -> v1.V1Affiliate:
        found = self._books.get(affiliate_id)
        if found is None:
            book = self.catalog.affiliates.get(affiliate_id)
            found = affiliate(book) if book else unknown_affiliate(affiliate_id)
            self._books[affiliate_id] = found
        return found

    def description(self, period: int) -> str:
        found = self.catalog.periods.get(period)
        return found.v1_description if found else f"PERIOD_{period}"

    def line(
        self,
        event: Event,
        event_ref: int,
        period: int,
        affiliate_id: int,
        entries: Mapping[str, Sequence[Entry]],
    ) -> v1.V1Line:
        lid = line_id(event_ref, period, affiliate_id)

        def write(build: Builder[R], kind: str, quotes: Quotes) -> R:
            figs = board_figures(kind, quotes)
            return build(lid, event.event_id, affiliate_id, figs, updated_at(quotes))

        def main(kind: str) -> Quotes:
            return main_quotes(kind, event, entries.get(kind, ()))

        def others(kind: str) -> list[Quotes]:
            return alternates(kind, event, entries.get(kind, ()))

        spread = write(spread_row, SPREAD, main(SPREAD))
        spreads = [write(spread_row, SPREAD, q) for q in others(SPREAD)]
        if spreads:
            spread.extended_spreads = spreads
        total = write(total_row, TOTAL, main(TOTAL))
        totals = [write(total_row, TOTAL, q) for q in others(TOTAL)]
        if totals:
            total.extended_totals = totals
        out = v1.V1Line(
            line_id=lid,
            moneyline=write(moneyline_row, MONEYLINE, main(MONEYLINE)),
            spread=spread,
            total=total,
            affiliate=self.affiliate(affiliate_id),
            period_description=self.description(period),
        )
        if entries.get(TEAM_TOTAL):
            out.team_total = write(team_total_row, TEAM_TOTAL, main(TEAM_TOTAL))
        if period != FULL_GAME:
            out.period_id = period
        return out
