"""Steamers: the prices whose implied probability moved most within a window.

For each line and book that changed within the window, the price at the window's start
is the ``previous_price`` of its first change in the window (for a line first quoted
inside the window: that first quote), and the price now is the board's. The move is the
change in implied probability, in percentage points (positive: the book now rates the
outcome likelier, its price shortened). A price that was not open at either end (pulled
or closed at the window's start, or now) has no move and is left out, as are moves that
came back to where they started.

Pure and I/O free: the caller reads the store's history and hands it over with the
board's lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from oddswire.analytics.odds import american_to_probability
from oddswire.analytics.outliers import MIN_AMERICAN, is_priced
from oddswire.board import LineState, PriceState
from oddswire.model.change import PriceStatus
from oddswire.store.base import HistoryRecord


@dataclass(frozen=True, slots=True)
class Steamer:
    """One book's move on one line within the window."""

    line: LineState
    affiliate_id: int
    #: The price at the window's start, and now (American).
    price_from: float
    price_to: float
    probability_from: float
    probability_to: float
    #: ``probability_to - probability_from`` in percentage points.
    move_pp: float
    #: Changes of this price within the window.
    moves: int
    first_moved_at: float
    last_moved_at: float
    #: The price now (for its main-line flag and time).
    current: PriceState
    #: Books (this one included) whose move on the same line has the same sign.
    books_same_direction: int = 1


def steamers(
    records: Iterable[HistoryRecord],
    line_of: Callable[[int], LineState | None],
    *,
    since: float,
) -> list[Steamer]:
    """The moves within the window starting at ``since`` (source time), largest first
    (by absolute move; ties: the latest last move first).

    ``records`` are stored changes of any number of events (those before ``since`` are
    ignored); ``line_of`` finds a line on the board by its ref (None: no longer there).
    """
    window: dict[tuple[int, int], list[HistoryRecord]] = {}
    for record in sorted(records, key=lambda r: r.sequence):
        if record.source_ts < since:
            continue
        window.setdefault((record.line_ref, record.affiliate_id), []).append(record)
    found: list[Steamer] = []
    for (line_ref, affiliate_id), changes in window.items():
        line = line_of(line_ref)
        if line is None:
            continue
        baseline = _baseline(changes)
        if baseline is None:
            continue
        start, moved = baseline
        current = line.price(affiliate_id)
        if current is None or not is_priced(current):
            continue
        probability_from = american_to_probability(start)
        probability_to = american_to_probability(current.price)
        move = (probability_to - probability_from) * 100.0
        if move == 0:
            continue
        found.append(
            Steamer(
                line=line,
                affiliate_id=affiliate_id,
                price_from=start,
                price_to=current.price,
                probability_from=probability_from,
                probability_to=probability_to,
                move_pp=move,
                moves=len(moved),
                first_moved_at=moved[0].source_ts,
                last_moved_at=moved[-1].source_ts,
                current=current,
            )
        )
    return _with_agreement(found)


def _is_price(price: float | None) -> bool:
    return price is not None and math.isfinite(price) and abs(price) >= MIN_AMERICAN


def _baseline(changes: list[HistoryRecord]) -> tuple[float, list[HistoryRecord]] | None:
    """The price a book's line is measured from, and the changes that moved it: the
    price it replaced at its first change in the window (which must have been open),
    or, for a line first quoted inside the window, that first quote (open)."""
    first = changes[0]
    if first.previous_price is None and first.previous_status is None:
        if first.status != PriceStatus.OPEN or not _is_price(first.price):
            return None
        moved = changes[1:]
        return (first.price, moved) if moved else None
    start = first.previous_price
    if start is None or first.previous_status != PriceStatus.OPEN or not _is_price(start):
        return None
    return start, changes


def _with_agreement(found: list[Steamer]) -> list[Steamer]:
    agreeing: dict[tuple[int, bool], int] = {}
    for s in found:
        key = (s.line.ref, s.move_pp > 0)
        agreeing[key] = agreeing.get(key, 0) + 1
    out = [replace(s, books_same_direction=agreeing[(s.line.ref, s.move_pp > 0)]) for s in found]
    out.sort(key=lambda s: (-abs(s.move_pp), -s.last_moved_at, s.line.ref, s.affiliate_id))
    return out
