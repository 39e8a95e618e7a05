"""A client-side board: the stream applied to a local copy of the hub's board.

It *is* the hub's :class:`~oddswire.board.Board` (same events, lines and per-book
prices, same reads), filled through the board's restore path, which keeps the hub's
sequence numbers and refuses anything older than what it holds. That gives the local
copy the hub's semantics for free: a change applied twice, or out of order after a
reconnect, changes nothing; the newest sequence wins.

One difference: a price that is off the board when its event is loaded from a V2
snapshot has no last quote here (the snapshot writes only the sentinel), where the
hub remembers it. Its status is right; read the price only when it is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from oddswire.board import Board, EventState, LineState
from oddswire.board.state import PriceState
from oddswire.model.change import PriceChange, PriceStatus
from oddswire.wire.therundown import read
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.stream_models import MarketPrice

PriceKey = tuple[str, int, int, int, str, int]
"""(event_id, market_id, period_id, participant_id, line, affiliate_id)."""


class LocalBoard:
    """See the module docstring. ``sequence`` is the newest change applied."""

    def __init__(self) -> None:
        self.board = Board()
        self.sequence = 0
        self._next_line_ref = 1
        self._next_event_ref = 1

    # ------------------------------------------------------------------ writes

    def load_events(self, events: Iterable[v2.Event], sequence: int) -> None:
        """Take events from a REST response or a snapshot as of ``sequence`` (a price
        already held with a newer sequence is kept)."""
        for wire in events:
            self.load_event(wire, sequence)

    def load_event(self, wire: v2.Event, sequence: int) -> EventState:
        state = self.board.event(wire.event_id)
        ref = state.ref if state is not None else self._take_event_ref()
        state = self.board.restore_event(ref, read.event(wire), sequence)
        for change in read.event_prices(wire):
            self._restore(change, sequence)
        return state

    def apply(self, record: MarketPrice) -> bool:
        """Apply one stream record; False if its event is unknown here or the board
        already holds this change or a newer one."""
        applied = self._restore(read.stream_price(record), record.id)
        self.sequence = max(self.sequence, record.id)
        return applied

    def has_event(self, event_id: str) -> bool:
        return self.board.event(event_id) is not None

    def forget(self, event_ids: Iterable[str]) -> None:
        self.board.evict(event_ids)

    def _restore(self, change: PriceChange, sequence: int) -> bool:
        board = self.board
        key = (change.event_id, change.market_id, change.period_id, change.participant_id)
        line = board.line((*key, change.line))
        if line is None:
            if board.event(change.event_id) is None:
                return False
            line = board.restore_line(
                self._next_line_ref, *key, change.participant_type, change.line
            )
            self._next_line_ref += 1
            if line is None:
                return False
        price = change.price
        if change.status != PriceStatus.OPEN and price == 0.0:
            current = line.price(change.affiliate_id)
            if current is not None:
                price = current.price  # pulled: the book's last quote stays, as on the hub
        return board.restore_price(
            line.ref,
            change.affiliate_id,
            price,
            change.status,
            change.is_main_line,
            sequence,
            change.source_ts,
            change.received_ts,
        )

    def _take_event_ref(self) -> int:
        ref = self._next_event_ref
        self._next_event_ref += 1
        return ref

    # ------------------------------------------------------------------- reads

    def __len__(self) -> int:
        return len(self.board)

    def event(self, event_id: str) -> EventState | None:
        return self.board.event(event_id)

    def price(self, key: PriceKey) -> PriceState | None:
        """A book's current price on a line, or None."""
        line = self.board.line((key[0], key[1], key[2], key[3], key[4]))
        return None if line is None else line.price(key[5])

    def prices(self) -> Iterator[tuple[PriceKey, PriceState]]:
        """Every price held, keyed by line and book."""
        for line, affiliate_id, state in self.board.iter_prices():
            yield (*line.key, affiliate_id), state

    def lines(self, event_id: str) -> list[LineState]:
        state = self.board.event(event_id)
        return [] if state is None else state.lines()


__all__ = ["LocalBoard", "PriceKey"]
