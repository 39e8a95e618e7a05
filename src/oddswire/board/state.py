"""The board's in-memory state: events, their markets, lines and per-book prices.

The board owns these objects and mutates them in place; readers get them through
snapshots and must finish with them before the board applies the next batch (in the
hub that means: before the next ``await``).
"""

from __future__ import annotations

import msgspec

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.model.event import Event
from oddswire.model.ids import line_id


class PriceState(msgspec.Struct, gc=False):
    """One book's current price on one line. ``price`` is American odds.

    Replaced, never mutated, when the price changes. ``previous_price`` is the price it
    replaced (None for the first quote), for deltas.
    """

    price: float
    status: PriceStatus
    is_main_line: bool
    sequence: int
    source_ts: float
    received_ts: float
    previous_price: float | None = None

    @property
    def is_open(self) -> bool:
        return self.status == PriceStatus.OPEN


#: Every affiliate id seen, in the order first seen: a book's slot in ``LineState.books``.
#: Process-wide, because affiliate ids are: a few dozen entries at most.
BOOK_SLOTS: dict[int, int] = {}
SLOT_BOOKS: list[int] = []


def book_slot(affiliate_id: int) -> int:
    """The slot of a book in every line's ``books`` list (assigned on first sight)."""
    slot = BOOK_SLOTS.get(affiliate_id)
    if slot is None:
        slot = BOOK_SLOTS[affiliate_id] = len(SLOT_BOOKS)
        SLOT_BOOKS.append(affiliate_id)
    return slot


class LineState:
    """One participant's line value in one market of one event, with every book's price.

    Prices live in ``books``, a list indexed by :func:`book_slot`: about 8 bytes per book
    slot where a dict would cost 40-60 bytes per price (see docs/design/board-memory.md).
    """

    __slots__ = (
        "_id",
        "books",
        "event",
        "last_sequence",
        "line",
        "market_id",
        "participant_id",
        "participant_type",
        "period_id",
        "ref",
    )

    def __init__(
        self,
        ref: int,
        event: EventState,
        market_id: int,
        period_id: int,
        participant_id: int,
        participant_type: ParticipantType,
        line: str,
    ) -> None:
        self.ref = ref
        self.event = event
        self.market_id = market_id
        self.period_id = period_id
        self.participant_id = participant_id
        self.participant_type = participant_type
        self.line = line
        self.books: list[PriceState | None] = [None] * len(SLOT_BOOKS)
        self.last_sequence = 0
        self._id: str | None = None

    @property
    def id(self) -> str:
        """The 32-hex line id (computed once)."""
        if self._id is None:
            self._id = line_id(
                self.event.event.event_id,
                self.market_id,
                self.period_id,
                self.participant_id,
                self.line,
            )
        return self._id

    def price(self, affiliate_id: int) -> PriceState | None:
        """This book's price on the line, or None."""
        slot = BOOK_SLOTS.get(affiliate_id)
        if slot is None or slot >= len(self.books):
            return None
        return self.books[slot]

    def items(self) -> list[tuple[int, PriceState]]:
        """(affiliate id, price) for every book quoting the line, in slot order."""
        return [(SLOT_BOOKS[i], p) for i, p in enumerate(self.books) if p is not None]

    @property
    def price_count(self) -> int:
        books = self.books
        return len(books) - books.count(None)

    def grow(self, slot: int) -> list[PriceState | None]:
        """Make room for ``slot`` (a book first seen after this line was made)."""
        self.books = self.books + [None] * (slot + 1 - len(self.books))
        return self.books

    @property
    def key(self) -> tuple[str, int, int, int, str]:
        return (
            self.event.event.event_id,
            self.market_id,
            self.period_id,
            self.participant_id,
            self.line,
        )


class MarketState:
    """A market of an event: its lines, grouped by participant in first-seen order."""

    __slots__ = ("lines", "market_id", "participants", "period_id")

    def __init__(self, market_id: int, period_id: int) -> None:
        self.market_id = market_id
        self.period_id = period_id
        self.participants: dict[int, list[LineState]] = {}

    def add(self, line: LineState) -> None:
        self.participants.setdefault(line.participant_id, []).append(line)


class EventState:
    """An event: its header (schedule, teams, score) and its markets."""

    __slots__ = ("event", "markets", "ref", "sequence")

    def __init__(self, ref: int, event: Event, sequence: int) -> None:
        self.ref = ref
        self.event = event
        #: Sequence of the last change to the header.
        self.sequence = sequence
        self.markets: dict[tuple[int, int], MarketState] = {}

    def market(self, market_id: int, period_id: int) -> MarketState:
        key = (market_id, period_id)
        state = self.markets.get(key)
        if state is None:
            state = self.markets[key] = MarketState(market_id, period_id)
        return state

    def lines(self) -> list[LineState]:
        return [
            line
            for market in self.markets.values()
            for lines in market.participants.values()
            for line in lines
        ]
