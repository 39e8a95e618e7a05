"""V1 line histories (``/lines/{line_id}/moneyline``...): a book's figures after each change.

Stored changes are replayed in time order, keeping each line's current price. After each
update (the changes a book stamped with one source time) the main quotes are written as
one row, unless the row's figures equal the previous row's (a move on an alternate line
leaves the main line as it was). Deltas are against the previous row, the sentinel
included, so here a line value's delta is real; a side's first quote has a delta of 0,
as on the board. Rows come newest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from oddswire.board import LineState, PriceState
from oddswire.model.event import Event
from oddswire.store.base import HistoryRecord
from oddswire.wire.therundown.v1_lines import Builder, R
from oddswire.wire.therundown.v1_quotes import figures, main_quotes, numbers, quoted


def replay(
    build: Builder[R],
    kind: str,
    event: Event,
    lines: Mapping[int, LineState],
    records: Sequence[HistoryRecord],
    line_id: int,
    affiliate_id: int,
) -> list[R]:
    """Rows of one book's ``kind`` object, newest first, from its records (oldest first)."""
    mine = [r for r in records if r.line_ref in lines]
    current: dict[int, PriceState] = {}
    rows: list[R] = []
    last: dict[str, float] = {}
    seen: frozenset[str] = frozenset()
    for i, r in enumerate(mine):
        current[r.line_ref] = PriceState(
            r.price,
            r.status,
            r.is_main_line,
            r.sequence,
            r.source_ts,
            r.received_ts,
            r.previous_price,
        )
        if i + 1 < len(mine) and mine[i + 1].source_ts == r.source_ts:
            continue  # the same update goes on
        quotes = main_quotes(kind, event, ((lines[ref], p) for ref, p in current.items()))
        now = numbers(kind, quotes)
        if now == last:
            continue
        before = {name: value for name, value in last.items() if name in seen}
        rows.append(build(line_id, event.event_id, affiliate_id, figures(now, before), r.source_ts))
        last, seen = now, seen | quoted(kind, quotes)
    rows.reverse()
    return rows
