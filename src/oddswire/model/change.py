"""Changes: the only way state enters the board.

A source produces changes; the hub hands them to the board, which applies each one that
alters state and stamps it with the next global ``sequence`` (and, for prices, what the
price was before). A change the board stamped is immutable from then on.
"""

from __future__ import annotations

from enum import IntEnum

import msgspec

from oddswire.model.event import Event


class PriceStatus(IntEnum):
    """Whether a book is taking bets at a price.

    ``OFF_BOARD`` is a temporary pull (TheRundown writes it as the 0.0001 sentinel);
    ``CLOSED`` means the line is gone (TheRundown sets ``closed_at``).
    """

    OPEN = 0
    OFF_BOARD = 1
    CLOSED = 2


class ParticipantType(IntEnum):
    """TheRundown participant types; the integer form is the one its WebSocket sends."""

    TEAM = 1
    PLAYER = 2
    RESULT = 3

    @property
    def wire_name(self) -> str:
        return _WIRE_NAMES[self]

    @classmethod
    def from_wire(cls, name: str) -> ParticipantType:
        return _FROM_WIRE[name.upper()]


_WIRE_NAMES = {
    ParticipantType.TEAM: "TYPE_TEAM",
    ParticipantType.PLAYER: "TYPE_PLAYER",
    ParticipantType.RESULT: "TYPE_RESULT",
}
_FROM_WIRE = {v: k for k, v in _WIRE_NAMES.items()}


class PriceChange(msgspec.Struct, gc=False, kw_only=True):
    """One book's price for one line changed (or was pulled, closed or reopened).

    ``price`` is American odds. When ``status`` is not OPEN it carries the last quoted
    price (or 0 if none was ever quoted); it is never the 0.0001 sentinel.
    Timestamps are Unix epoch seconds (UTC).
    """

    event_id: str
    market_id: int
    period_id: int
    participant_id: int
    participant_type: ParticipantType
    line: str
    affiliate_id: int
    price: float
    status: PriceStatus = PriceStatus.OPEN
    is_main_line: bool = True
    source_ts: float = 0.0
    received_ts: float = 0.0
    # Stamped by the board when the change is applied.
    sequence: int = 0
    previous_price: float | None = None
    previous_status: PriceStatus | None = None

    @property
    def line_key(self) -> tuple[str, int, int, int, str]:
        return (self.event_id, self.market_id, self.period_id, self.participant_id, self.line)


class EventChange(msgspec.Struct, kw_only=True):
    """An event appeared, or its schedule, status, clock or score changed."""

    event: Event
    received_ts: float = 0.0
    sequence: int = 0
    previous: Event | None = None


Change = PriceChange | EventChange
