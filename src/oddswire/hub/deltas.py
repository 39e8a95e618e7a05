"""What changed since a cursor: the read side of the delta feeds.

Exact (one row per change, from the change log) when the log covers the cursor,
conflated (the current state of each key changed since, from the board) otherwise.
Only committed changes are returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from oddswire.board import Board, EventState, LineState, PriceState
from oddswire.board.history import PriceDelta
from oddswire.hub.changelog import ChangeLog
from oddswire.model.change import Change, EventChange, PriceChange, PriceStatus


@dataclass(frozen=True, slots=True)
class DeltaFilter:
    """TheRundown's ``markets/delta`` filters, applied literally (no live expansion)."""

    sport_id: int | None = None
    affiliate_ids: frozenset[int] | None = None
    market_ids: frozenset[int] | None = None
    event_id: str | None = None

    def accepts(self, line: LineState, affiliate_id: int) -> bool:
        if self.affiliate_ids is not None and affiliate_id not in self.affiliate_ids:
            return False
        if self.market_ids is not None and line.market_id not in self.market_ids:
            return False
        event = line.event.event
        if self.event_id is not None and event.event_id != self.event_id:
            return False
        return self.sport_id is None or event.sport_id == self.sport_id


@dataclass(frozen=True, slots=True)
class DeltaPage:
    rows: list[PriceDelta]
    #: Where the next poll starts: the last row's sequence if there is more, else the
    #: last sequence scanned (so filtered-out changes are not scanned again).
    cursor: int
    has_more: bool


def price_deltas(
    board: Board,
    log: ChangeLog,
    after: int,
    upto: int,
    wanted: DeltaFilter,
    limit: int,
) -> DeltaPage:
    """Price changes with ``after < sequence <= upto``, oldest first, at most ``limit``."""
    rows: list[PriceDelta] = []
    if log.covers(after):
        for change, state in log.since(after):
            if change.sequence > upto:
                break
            if not isinstance(change, PriceChange) or not isinstance(state, LineState):
                continue
            if not wanted.accepts(state, change.affiliate_id):
                continue
            if len(rows) == limit:
                return DeltaPage(rows, rows[-1].sequence, True)
            rows.append(
                PriceDelta(
                    change.sequence,
                    state,
                    change.affiliate_id,
                    change.price,
                    change.status,
                    change.is_main_line,
                    change.previous_price,
                    change.previous_status,
                    change.source_ts,
                )
            )
        return DeltaPage(rows, max(after, min(upto, log.last_sequence)), False)
    changed = board.changed_since(after)
    for line, affiliate_id, price in changed.prices:  # sorted by sequence
        if price.sequence > upto:
            break
        if not wanted.accepts(line, affiliate_id):
            continue
        if len(rows) == limit:
            return DeltaPage(rows, rows[-1].sequence, True)
        rows.append(
            PriceDelta(
                price.sequence,
                line,
                affiliate_id,
                price.price,
                price.status,
                price.is_main_line,
                price.previous_price,
                None if price.previous_price is None else PriceStatus.OPEN,
                price.source_ts,
            )
        )
    return DeltaPage(rows, max(after, upto), False)


def changed_events(board: Board, log: ChangeLog, after: int, upto: int) -> list[EventState]:
    """Events whose header or any price changed after ``after`` (up to ``upto``)."""
    seen: dict[str, EventState] = {}
    if log.covers(after):
        for change, state in log.since(after):
            if change.sequence > upto:
                break
            event = state.event if isinstance(state, LineState) else state
            seen.setdefault(event.event.event_id, event)
        return [s for s in seen.values() if board.event(s.event.event_id) is s]
    for state in board.events():
        if after < state.sequence <= upto:
            seen[state.event.event_id] = state
    for line in board.iter_lines():
        if line.last_sequence > after:
            event = line.event
            seen.setdefault(event.event.event_id, event)
    return sorted(seen.values(), key=lambda s: (s.event.event_date, s.event.event_id))


@dataclass(frozen=True, slots=True)
class Replay:
    """Every change after a cursor, as (change, what it touched), in sequence order.

    ``changes`` is built as it is iterated, so a large catch-up can be written in
    chunks, yielding to the event loop between them.
    """

    #: True: one item per change (from the log); False: the current state of each key
    #: changed since (from the board), a conflated catch-up that ends in the same state.
    exact: bool
    changes: Iterator[tuple[Change, LineState | EventState]]


def replay(
    board: Board,
    log: ChangeLog,
    after: int,
    upto: int,
    wanted: Callable[[EventState], bool] | None = None,
) -> Replay:
    """Changes with ``after < sequence <= upto``, exact if the log covers ``after``.

    ``wanted`` narrows a conflated replay to some events before anything is built (an
    exact one is cheap enough to filter as it is read).
    """
    if log.covers(after):
        exact: list[tuple[Change, LineState | EventState]] = []
        for change, state in log.since(after):
            if change.sequence > upto:
                break
            exact.append((change, state))
        return Replay(True, iter(exact))
    changed = board.changed_since(after, wanted)
    # both lists come sorted by sequence: merged as they are read, nothing copied.
    # Event headers are few and taken now (an event's state moves on while a catch-up
    # is written); prices are immutable states, turned into changes as they are read.
    events = [
        (EventChange(event=state.event, sequence=state.sequence), state)
        for state in changed.events
        if state.sequence <= upto
    ]
    prices = changed.prices
    while prices and prices[-1][2].sequence > upto:
        prices.pop()
    return Replay(False, _merged(events, prices))


def _merged(
    events: list[tuple[EventChange, EventState]],
    prices: list[tuple[LineState, int, PriceState]],
) -> Iterator[tuple[Change, LineState | EventState]]:
    next_event = 0
    for line, affiliate_id, price in prices:
        while next_event < len(events) and events[next_event][0].sequence < price.sequence:
            yield events[next_event]
            next_event += 1
        yield price_change(line, affiliate_id, price), line
    yield from events[next_event:]


def price_change(line: LineState, affiliate_id: int, price: PriceState) -> PriceChange:
    """A book's current price on a line, as the change that set it."""
    return PriceChange(
        event_id=line.event.event.event_id,
        market_id=line.market_id,
        period_id=line.period_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type,
        line=line.line,
        affiliate_id=affiliate_id,
        price=price.price,
        status=price.status,
        is_main_line=price.is_main_line,
        source_ts=price.source_ts,
        received_ts=price.received_ts,
        sequence=price.sequence,
        previous_price=price.previous_price,
        previous_status=None if price.previous_price is None else PriceStatus.OPEN,
    )
