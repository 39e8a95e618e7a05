"""Openers and closing from the tick store, as price sources for snapshot queries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from oddswire.board import EventState, LineState, PriceState
from oddswire.board.query import PriceSource
from oddswire.store.base import PriceRecord, TickStore

RecordedPrices = Callable[[TickStore, Sequence[EventState], int | None], Awaitable[PriceSource]]
"""Openers or closing: recorded prices of some events, up to a sequence (None: all)."""


def _source(records: list[PriceRecord]) -> PriceSource:
    by_line: dict[int, list[tuple[int, PriceState]]] = {}
    for r in sorted(records, key=lambda r: (r.line_ref, r.affiliate_id)):
        by_line.setdefault(r.line_ref, []).append(
            (
                r.affiliate_id,
                PriceState(
                    r.price, r.status, r.is_main_line, r.sequence, r.source_ts, r.received_ts
                ),
            )
        )

    def prices(line: LineState) -> list[tuple[int, PriceState]]:
        return by_line.get(line.ref, [])

    return prices


async def opening_prices(
    store: TickStore, events: Sequence[EventState], upto: int | None = None
) -> PriceSource:
    """The first open price of every line and book of these events (among the changes
    up to sequence ``upto``: a delayed view's)."""
    return _source(await store.openers([e.ref for e in events], upto))


async def closing_prices(
    store: TickStore, events: Sequence[EventState], upto: int | None = None
) -> PriceSource:
    """The last open price at or before each event's scheduled start (provisional before;
    among the changes up to sequence ``upto``)."""
    cutoffs = [(e.ref, e.event.event_date.timestamp()) for e in events]
    return _source(await store.closing(cutoffs, upto))
