"""Turning a copy of the board back to an earlier sequence.

A delayed replica (:mod:`oddswire.hub.delayed`) starts as a copy of the live board,
which is newer than the moment it must show. :func:`rewind` takes the changes made
after that moment (sequence ``upto``) back off the copy: every price they touched is
put back to what it was at ``upto`` (or removed, if the book had not quoted the line
yet), every event header they touched likewise (or the event removed, if it did not
exist yet), and lines left without a price (created after ``upto``) are dropped.

What each key was at ``upto`` comes from the tick store (:class:`Prior`), which holds
every committed change; the changes themselves only say which keys moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from oddswire.board.board import Board
from oddswire.board.state import EventState, LineState, PriceState
from oddswire.model.change import Change, EventChange, PriceChange
from oddswire.model.event import Event

PriceKey = tuple[int, int]
"""(line ref, affiliate id)."""


@dataclass(slots=True)
class Touched:
    """The keys a run of changes touched: prices by event ref, and event refs."""

    prices: dict[int, set[PriceKey]] = field(default_factory=dict)
    events: set[int] = field(default_factory=set)

    def add(self, changes: Iterable[tuple[Change, LineState | EventState]]) -> None:
        for change, state in changes:
            if isinstance(change, PriceChange):
                assert isinstance(state, LineState)
                key = (state.ref, change.affiliate_id)
                self.prices.setdefault(state.event.ref, set()).add(key)
            elif isinstance(change, EventChange):
                self.events.add(state.ref)

    def missing_from(self, prior: Prior) -> Touched:
        """What this touches that ``prior`` was not asked about."""
        return self.without(prior.asked)

    def without(self, other: Touched) -> Touched:
        """What this touches that ``other`` does not."""
        out = Touched()
        for event_ref, keys in self.prices.items():
            new = keys - other.prices.get(event_ref, set())
            if new:
                out.prices[event_ref] = new
        out.events = self.events - other.events
        return out

    def update(self, other: Touched) -> None:
        for event_ref, keys in other.prices.items():
            self.prices.setdefault(event_ref, set()).update(keys)
        self.events |= other.events

    def head(self, keys: int) -> Touched:
        """The first events' keys, about ``keys`` of them (whole events; the event
        headers go with the last part)."""
        out = Touched()
        taken = 0
        for event_ref, found in self.prices.items():
            if taken >= keys:
                return out
            out.prices[event_ref] = found
            taken += len(found)
        out.events = set(self.events)
        return out

    @property
    def size(self) -> int:
        return sum(len(keys) for keys in self.prices.values()) + len(self.events)

    def __bool__(self) -> bool:
        return bool(self.prices) or bool(self.events)


@dataclass(slots=True)
class Prior:
    """What touched keys were at the sequence a replica turns back to."""

    #: The price of each key then (a key absent here had no price then).
    prices: dict[PriceKey, PriceState] = field(default_factory=dict)
    #: Each event's header then, with its sequence (absent: the event did not exist).
    events: dict[int, tuple[Event, int]] = field(default_factory=dict)
    #: The keys looked up, found or not.
    asked: Touched = field(default_factory=Touched)

    def merge(self, touched: Touched, prices: Mapping[PriceKey, PriceState]) -> None:
        self.prices.update(prices)
        self.asked.update(touched)


def rewind(board: Board, touched: Touched, prior: Prior) -> None:
    """Put the keys in ``touched`` back to what they were at the sequence ``prior``
    was read at; see the module docstring. ``prior`` must cover every key. Rewinding a
    key twice does no harm, so a copy can be turned back a part at a time."""
    lines: list[LineState] = []
    for keys in touched.prices.values():
        for line_ref, affiliate_id in keys:
            line = board.line_by_ref(line_ref)
            if line is None:
                continue
            board.put_price(line, affiliate_id, prior.prices.get((line_ref, affiliate_id)))
            lines.append(line)
    gone: list[str] = []
    for event_ref in touched.events:
        state = board.event_by_ref(event_ref)
        if state is None:
            continue
        then = prior.events.get(event_ref)
        if then is None:
            gone.append(state.event.event_id)
        else:
            board.set_event(state, *then)
    board.evict(gone)
    for line in lines:
        if board.line_by_ref(line.ref) is None:
            continue  # its event was removed
        if not line.price_count:
            board.drop_line(line)
        else:
            line.last_sequence = max(p.sequence for p in line.books if p is not None)
