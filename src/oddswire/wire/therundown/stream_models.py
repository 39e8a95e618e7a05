"""TheRundown's stream messages as typed structs, for reading them (the SDK, and the
TheRundown source): the flat ``market_price`` record of reference §4.2 and the frames
of the multiplexed protocol (``/api/v2/ws``, docs/streaming.md).

Unknown fields are ignored, so newer servers' additions do not break old readers.
"""

from __future__ import annotations

import msgspec


class MarketPrice(msgspec.Struct, kw_only=True, frozen=True):
    """One book's price on one line changed. ``id`` is the hub's global sequence.

    ``price`` and ``previous_price`` are American odds as text; the off-board sentinel
    when a book pulled the price. Use :mod:`oddswire.client.prices` to read them.
    """

    id: int
    event_id: str
    sport_id: int
    affiliate_id: int
    market_id: int
    period_id: int = 0
    market_participant_id: int | str = 0
    normalized_market_participant_id: int
    normalized_market_participant_type: int | str = 1
    line: str = ""
    price: str
    previous_price: str | None = None
    price_delta: int | float | None = None
    is_main_line: bool = True
    closed: bool = False
    updated_at: str = ""

    @property
    def sequence(self) -> int:
        return self.id


class MessageMeta(msgspec.Struct, kw_only=True):
    type: str = ""
    notice: str | None = None


class FlatMessage(msgspec.Struct, kw_only=True):
    """A ``/api/v2/ws/markets`` message: a ``market_price`` or a heartbeat."""

    meta: MessageMeta = msgspec.field(default_factory=MessageMeta)
    #: Empty when absent (msgspec's Raw cannot be optional).
    data: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)


class Frame(msgspec.Struct, kw_only=True):
    """A ``/api/v2/ws`` server frame. ``type`` says which fields are set; a heartbeat
    has no ``type`` but ``meta.type == "heartbeat"``."""

    type: str | None = None
    meta: MessageMeta | None = None
    id: str | None = None
    channel: str | None = None
    sequence: int | None = None
    sub_sequence: int | None = None
    epoch: str | None = None
    replay: str | None = None
    count: int | None = None
    code: str | None = None
    message: str | None = None
    events: int | None = None
    lagging: bool | None = None
    resume_from: int | None = None
    #: Empty when absent (msgspec's Raw cannot be optional).
    data: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    items: list[msgspec.Raw] | None = None

    @property
    def is_heartbeat(self) -> bool:
        return self.type is None and self.meta is not None and self.meta.type == "heartbeat"


class DeltaData(msgspec.Struct, kw_only=True):
    """The ``data`` of a ``markets`` delta: the ``market_price`` message."""

    data: MarketPrice


__all__ = ["DeltaData", "FlatMessage", "Frame", "MarketPrice", "MessageMeta"]
