"""The board: one canonical, sequenced picture of every price at every book.

Single writer, no I/O. :meth:`Board.apply` takes a batch of changes; each change that
alters state gets the next global sequence number and is stamped with it (and, for a
price, with what it replaced); a change that alters nothing gets none and is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from oddswire.board.state import (
    BOOK_SLOTS,
    EventState,
    LineState,
    MarketState,
    PriceState,
    book_slot,
)
from oddswire.model.change import Change, EventChange, ParticipantType, PriceChange, PriceStatus
from oddswire.model.event import Event

OPEN = PriceStatus.OPEN
_PRICE_CACHE_LIMIT = 200_000

LineKey = tuple[str, int, int, int, str]


@dataclass(slots=True)
class AppliedBatch:
    """What one :meth:`Board.apply` did, in sequence order.

    ``changes[i]`` carries sequence ``first_sequence + i``; ``states[i]`` is what it
    touched: the line for a price change, the event for an event change. ``new_lines``
    lists lines created by this batch, ``rejected`` the changes refused, with the reason.
    """

    first_sequence: int
    changes: list[Change] = field(default_factory=list)
    states: list[LineState | EventState] = field(default_factory=list)
    new_lines: list[LineState] = field(default_factory=list)
    rejected: list[tuple[Change, str]] = field(default_factory=list)

    @property
    def last_sequence(self) -> int:
        """The last sequence assigned, or ``first_sequence - 1`` if nothing applied."""
        return self.first_sequence + len(self.changes) - 1

    def __len__(self) -> int:
        return len(self.changes)


@dataclass(slots=True)
class ChangedSince:
    """Everything whose current state was set after a given sequence."""

    events: list[EventState]
    prices: list[tuple[LineState, int, PriceState]]


class Board:
    """The canonical board. See the module docstring."""

    def __init__(self) -> None:
        self.sequence = 0
        self._events: dict[str, EventState] = {}
        self._by_ref: dict[int, EventState] = {}
        self._by_sport: dict[int, dict[str, EventState]] = {}
        self._lines: dict[LineKey, LineState] = {}
        self._lines_by_ref: dict[int, LineState] = {}
        self._next_event_ref = 1
        self._next_line_ref = 1
        self._price_cache: dict[float, float] = {}
        self.price_count = 0

    # ------------------------------------------------------------------ reads

    def __len__(self) -> int:
        return len(self._events)

    def event(self, event_id: str) -> EventState | None:
        return self._events.get(event_id)

    def event_by_ref(self, ref: int) -> EventState | None:
        return self._by_ref.get(ref)

    def events(self, sport_id: int | None = None) -> Iterable[EventState]:
        if sport_id is None:
            return self._events.values()
        return self._by_sport.get(sport_id, {}).values()

    def sport_ids(self) -> list[int]:
        return sorted(s for s, events in self._by_sport.items() if events)

    def line(self, key: LineKey) -> LineState | None:
        return self._lines.get(key)

    def line_by_ref(self, ref: int) -> LineState | None:
        return self._lines_by_ref.get(ref)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def iter_lines(self) -> Iterator[LineState]:
        return iter(self._lines.values())

    def iter_prices(self) -> Iterator[tuple[LineState, int, PriceState]]:
        for line in self._lines.values():
            for affiliate_id, price in line.items():
                yield line, affiliate_id, price

    def changed_since(
        self, sequence: int, wanted: Callable[[EventState], bool] | None = None
    ) -> ChangedSince:
        """The current state of every event header and price set after ``sequence``
        (of the events ``wanted`` accepts, if given).

        Each line carries the sequence of its last change, so lines that have not moved
        are skipped without looking at their prices (a scan of every line is ~50 ns a
        line; keeping an event-level mark instead would cost every applied change).
        """
        events = [
            state
            for state in self._events.values()
            if state.sequence > sequence and (wanted is None or wanted(state))
        ]
        prices: list[tuple[LineState, int, PriceState]] = []
        for line in self._lines.values():
            if line.last_sequence <= sequence:
                continue
            if wanted is not None and not wanted(line.event):
                continue
            for affiliate_id, price in line.items():
                if price.sequence > sequence:
                    prices.append((line, affiliate_id, price))
        events.sort(key=lambda e: e.sequence)
        prices.sort(key=lambda p: p[2].sequence)
        return ChangedSince(events, prices)

    # ----------------------------------------------------------------- writes

    def apply(self, changes: Sequence[Change]) -> AppliedBatch:
        """Apply a batch in order; see the module docstring."""
        batch = AppliedBatch(first_sequence=self.sequence + 1)
        applied = batch.changes
        touched = batch.states
        lines_index = self._lines
        events = self._events
        cache = self._price_cache
        slots = BOOK_SLOTS
        seq = self.sequence
        for change in changes:
            if change.__class__ is not PriceChange:
                if not isinstance(change, EventChange):
                    batch.rejected.append((change, "not a change"))
                    continue
                event_state = self._apply_event(change, seq + 1)
                if event_state is not None:
                    seq += 1
                    applied.append(change)
                    touched.append(event_state)
                continue
            c: PriceChange = change
            key = (c.event_id, c.market_id, c.period_id, c.participant_id, c.line)
            line = lines_index.get(key)
            if line is None:
                event_state = events.get(c.event_id)
                if event_state is None:
                    batch.rejected.append((c, f"unknown event {c.event_id}"))
                    continue
                line = self._new_line(event_state, c)
                batch.new_lines.append(line)
            slot = slots.get(c.affiliate_id)
            if slot is None:
                slot = book_slot(c.affiliate_id)
            books = line.books
            try:
                current = books[slot]
            except IndexError:
                books = line.grow(slot)
                current = None
            status = c.status
            price = c.price
            previous: float | None = None
            if current is None:
                self.price_count += 1
            else:
                if (
                    status == current.status
                    and c.is_main_line == current.is_main_line
                    and (status != OPEN or price == current.price)
                ):
                    continue  # a no-op: nothing the board holds would change
                previous = c.previous_price = current.price
                c.previous_status = current.status
                if status != OPEN and price == 0.0:
                    # Pulled without a quote: keep (and record) the last one.
                    price = c.price = current.price
            interned = cache.get(price)
            if interned is None:
                interned = self._intern(price)
            seq += 1
            # Replacing the (gc-free, immutable-by-convention) state is cheaper than
            # setting six attributes on it.
            books[slot] = PriceState(
                interned, status, c.is_main_line, seq, c.source_ts, c.received_ts, previous
            )
            c.sequence = seq
            line.last_sequence = seq
            applied.append(c)
            touched.append(line)
        self.sequence = seq
        return batch

    def _apply_event(self, change: EventChange, seq: int) -> EventState | None:
        event = change.event
        state = self._events.get(event.event_id)
        if state is None:
            state = EventState(self._next_event_ref, event, seq)
            self._next_event_ref += 1
            self._events[event.event_id] = state
            self._by_ref[state.ref] = state
            self._by_sport.setdefault(event.sport_id, {})[event.event_id] = state
        else:
            if state.event == event:
                return None
            if state.event.sport_id != event.sport_id:
                self._by_sport[state.event.sport_id].pop(event.event_id, None)
                self._by_sport.setdefault(event.sport_id, {})[event.event_id] = state
            change.previous = state.event
            state.event = event
            state.sequence = seq
        change.sequence = seq
        return state

    def _new_line(self, event_state: EventState, c: PriceChange) -> LineState:
        line = LineState(
            self._next_line_ref,
            event_state,
            c.market_id,
            c.period_id,
            c.participant_id,
            c.participant_type,
            c.line,
        )
        self._next_line_ref += 1
        self._register_line(line)
        return line

    def _register_line(self, line: LineState) -> None:
        self._lines[line.key] = line
        self._lines_by_ref[line.ref] = line
        line.event.market(line.market_id, line.period_id).add(line)

    def _intern(self, price: float) -> float:
        if len(self._price_cache) >= _PRICE_CACHE_LIMIT:
            self._price_cache.clear()
        self._price_cache[price] = price
        return price

    # --------------------------------------------------------------- restore

    def restore_event(self, ref: int, event: Event, sequence: int) -> EventState:
        """Put back an event as the store recorded it (rebuild; no new sequence)."""
        state = self._events.get(event.event_id)
        if state is None:
            state = EventState(ref, event, sequence)
            self._events[event.event_id] = state
            self._by_ref[ref] = state
            self._by_sport.setdefault(event.sport_id, {})[event.event_id] = state
        elif sequence > state.sequence:
            if state.event.sport_id != event.sport_id:
                self._by_sport[state.event.sport_id].pop(event.event_id, None)
                self._by_sport.setdefault(event.sport_id, {})[event.event_id] = state
            state.event = event
            state.sequence = sequence
        self._next_event_ref = max(self._next_event_ref, ref + 1)
        self.sequence = max(self.sequence, sequence)
        return state

    def restore_line(
        self,
        ref: int,
        event_id: str,
        market_id: int,
        period_id: int,
        participant_id: int,
        participant_type: ParticipantType,
        line: str,
    ) -> LineState | None:
        """Put back a line under its recorded ref; None if its event is unknown."""
        existing = self._lines_by_ref.get(ref)
        if existing is not None:
            return existing
        event_state = self._events.get(event_id)
        if event_state is None:
            return None
        state = LineState(
            ref, event_state, market_id, period_id, participant_id, participant_type, line
        )
        self._register_line(state)
        self._next_line_ref = max(self._next_line_ref, ref + 1)
        return state

    def restore_price(
        self,
        line_ref: int,
        affiliate_id: int,
        price: float,
        status: PriceStatus,
        is_main_line: bool,
        sequence: int,
        source_ts: float,
        received_ts: float,
    ) -> bool:
        """Put back a recorded price unless the board already holds a newer one."""
        line = self._lines_by_ref.get(line_ref)
        if line is None:
            return False
        slot = book_slot(affiliate_id)
        books = line.books
        if slot >= len(books):
            books = line.grow(slot)
        current = books[slot]
        if current is not None and current.sequence >= sequence:
            return False
        if current is None:
            self.price_count += 1
        cached = self._price_cache.get(price)
        if cached is None:
            cached = self._intern(price)
        books[slot] = PriceState(cached, status, is_main_line, sequence, source_ts, received_ts)
        line.last_sequence = max(line.last_sequence, sequence)
        self.sequence = max(self.sequence, sequence)
        return True

    # ------------------------------------------------------- replicas

    def copy(self) -> Board:
        """A replica with its own events, markets and lines: the immutable parts
        (prices, event headers) are shared, the containers the board mutates are not."""
        replica = Board()
        self.copy_into(replica, self._events.values())
        replica.sequence = self.sequence
        return replica

    def copy_into(self, replica: Board, states: Iterable[EventState]) -> None:
        """Copy these events of this board (with their lines and prices) into
        ``replica``, as :meth:`copy` does; a replica can so be made a few events at a
        time, between which this board goes on changing."""
        for state in states:
            twin = replica.restore_event(state.ref, state.event, state.sequence)
            for line in state.lines():
                copied = LineState(
                    line.ref,
                    twin,
                    line.market_id,
                    line.period_id,
                    line.participant_id,
                    line.participant_type,
                    line.line,
                )
                copied.books = list(line.books)
                copied.last_sequence = line.last_sequence
                replica._register_line(copied)
                replica.price_count += copied.price_count
                replica._next_line_ref = max(replica._next_line_ref, line.ref + 1)

    def follow(self, batch: AppliedBatch) -> list[AppliedBatch]:
        """Apply a batch another board sequenced (a replica following its primary): each
        change keeps its sequence, and its line or event keeps its ref.

        Returns what it did as batches of this board's own states, for this board's
        listeners: one, unless a change had to be skipped because its event is gone
        from this board (retention), which cuts the batch where the numbering breaks.
        """
        out: list[AppliedBatch] = []
        current: AppliedBatch | None = None
        for change, state in zip(batch.changes, batch.states, strict=True):
            mine: LineState | EventState | None
            if change.__class__ is PriceChange:
                c: PriceChange = change
                mine = self._lines_by_ref.get(state.ref)
                created = mine is None
                if mine is None:
                    mine = self.restore_line(
                        state.ref,
                        c.event_id,
                        c.market_id,
                        c.period_id,
                        c.participant_id,
                        c.participant_type,
                        c.line,
                    )
                if mine is not None:
                    self.put_price(
                        mine,
                        c.affiliate_id,
                        PriceState(
                            c.price,
                            c.status,
                            c.is_main_line,
                            c.sequence,
                            c.source_ts,
                            c.received_ts,
                            c.previous_price,
                        ),
                    )
            elif isinstance(change, EventChange):
                created = False
                mine = self.restore_event(state.ref, change.event, change.sequence)
            else:
                created = False
                mine = None
            if mine is None:
                current = None  # skipped: the next change starts a new batch
                continue
            if current is None:
                current = AppliedBatch(first_sequence=change.sequence)
                out.append(current)
            current.changes.append(change)
            current.states.append(mine)
            if created:
                assert isinstance(mine, LineState)
                current.new_lines.append(mine)
        self.sequence = max(self.sequence, batch.last_sequence)
        return out

    def put_price(self, line: LineState, affiliate_id: int, price: PriceState | None) -> None:
        """Set (or, with None, remove) one book's price on a line of this board."""
        slot = book_slot(affiliate_id)
        books = line.books
        if slot >= len(books):
            books = line.grow(slot)
        current = books[slot]
        self.price_count += (price is not None) - (current is not None)
        books[slot] = price
        if price is not None and price.sequence > line.last_sequence:
            line.last_sequence = price.sequence

    def set_event(self, state: EventState, event: Event, sequence: int) -> None:
        """Put an event's header back to ``event`` as of ``sequence`` (a replica turning
        back; the live board only moves forward, through :meth:`apply`)."""
        if state.event.sport_id != event.sport_id:
            self._by_sport[state.event.sport_id].pop(event.event_id, None)
            self._by_sport.setdefault(event.sport_id, {})[event.event_id] = state
        state.event = event
        state.sequence = sequence

    def drop_line(self, line: LineState) -> None:
        """Remove a line (and its prices) from this board."""
        if self._lines.pop(line.key, None) is None:
            return
        self._lines_by_ref.pop(line.ref, None)
        self.price_count -= line.price_count
        market = line.event.markets.get((line.market_id, line.period_id))
        if market is None:
            return
        siblings = market.participants.get(line.participant_id, [])
        if line in siblings:
            siblings.remove(line)
        if not siblings:
            market.participants.pop(line.participant_id, None)
        if not market.participants:
            del line.event.markets[(line.market_id, line.period_id)]

    def advance_sequence(self, sequence: int) -> None:
        """Continue numbering after ``sequence`` (never moves backwards)."""
        self.sequence = max(self.sequence, sequence)

    # -------------------------------------------------------------- eviction

    def evict(self, event_ids: Iterable[str]) -> int:
        """Drop events (and their lines) that aged out of retention; returns prices dropped."""
        dropped = 0
        for event_id in event_ids:
            state = self._events.pop(event_id, None)
            if state is None:
                continue
            self._by_ref.pop(state.ref, None)
            self._by_sport.get(state.event.sport_id, {}).pop(event_id, None)
            for line in state.lines():
                self._lines.pop(line.key, None)
                self._lines_by_ref.pop(line.ref, None)
                dropped += line.price_count
            state.markets.clear()
        self.price_count -= dropped
        return dropped


__all__ = ["AppliedBatch", "Board", "ChangedSince", "EventState", "LineState", "MarketState"]
