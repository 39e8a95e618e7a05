"""Data points on the streams: TheRundown meters WebSocket messages as data points
(reference §4.1), so a stream charges its account for the prices it carries, counted
as REST counts a response body (:func:`oddswire.access.usage.datapoints`).

BoltOdds' stream carries its prices as ``"odds"`` members (one per outcome), and
they are counted the same way.

A change message from the fan-out says what it carries (one per price change, none
for a score), since a wire may repeat a price in two forms (the flat and the nested
``market_price``); other messages are counted from their payload.

Each message is counted once, however many sessions it goes to (the count is kept on
the message). Changes and control messages (snapshots, catch-ups) are charged as they
are written; heartbeats, acks and notices carry no price and cost nothing. When the
account's quota for the period is spent the stream is closed (1008) with the REST
quota's message, after the message that crossed it, as a REST response that crosses
the quota is still served; reconnecting is then refused with 429 until the period
turns.
"""

from __future__ import annotations

from oddswire.access.identity import Identity
from oddswire.access.usage import EXHAUSTED, UsageMeter, datapoints
from oddswire.stream.message import Message
from oddswire.stream.session import Session

#: Close code for a stream whose account ran out of data points (policy violation).
CLOSE_QUOTA = 1008
#: A price on BoltOdds' stream (``{"odds": "-110", ...}`` per outcome).
BOLTODDS_PRICE = b'"odds":'


def message_points(message: Message) -> int:
    """The data points a message carries (a group: its items'), counted once."""
    found = message.datapoints
    if found is None:
        if message.items is None:
            found = datapoints(message.payload) or message.payload.count(BOLTODDS_PRICE)
        else:
            found = sum(message_points(item) for item in message.items)
        message.datapoints = found
    return found


class StreamMeter:
    """Charges ``identity``'s account for what its session is sent."""

    def __init__(self, usage: UsageMeter, identity: Identity) -> None:
        self.usage = usage
        self.account = identity.account
        self.period = identity.tier.datapoints_period
        self.limit = identity.tier.datapoints
        self.session: Session | None = None
        #: Data points charged by this stream.
        self.charged = 0

    def __call__(self, message: Message) -> None:
        points = message_points(message)
        if not points:
            return
        self.charged += points
        now = self.usage.charge(self.account, self.period, points)
        session = self.session
        if self.limit is not None and now.used >= self.limit and session is not None:
            session.close(CLOSE_QUOTA, EXHAUSTED[self.period])
