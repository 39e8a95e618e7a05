"""How many data points a stream message costs (api/ws/metering.py)."""

from __future__ import annotations

from oddswire.access.identity import Identity
from oddswire.access.tiers import Tier
from oddswire.access.usage import UsageMeter
from oddswire.api.ws.metering import StreamMeter, message_points
from oddswire.stream.message import Message

V2_EVENT = b'{"events":[{"markets":[{"prices":{"19":{"price":-110},"23":{"price":105}}}]}]}'
BOLT_INITIAL = (
    b'{"action":"initial_state","data":{"outcomes":{"A":{"odds":"-110"},"B":{"odds":"+100"},'
    b'"C":{"odds":null}}}}'
)


def test_payloads_are_counted_by_their_prices_and_change_messages_say_theirs() -> None:
    assert message_points(Message(V2_EVENT)) == 2
    assert message_points(Message(BOLT_INITIAL)) == 3  # an off-board outcome too
    assert message_points(Message(b'{"meta":{"type":"heartbeat"}}')) == 0
    flat_and_nested = Message(b'{"data":{"price":"-110"},"participants":[{"price":-110}]}')
    flat_and_nested.datapoints = 1  # the fan-out knows it is one price change
    assert message_points(flat_and_nested) == 1
    score = Message(b'{"score":{"price":1}}')
    score.datapoints = 0
    group = Message.group([flat_and_nested, score, Message(V2_EVENT)])
    assert message_points(group) == 3
    assert group.datapoints == 3  # counted once, kept for every other session


def test_the_meter_charges_the_account_and_closes_when_spent() -> None:
    usage = UsageMeter()
    tier = Tier(name="t", burst=None, websocket=True, datapoints=3, datapoints_period="month")
    meter = StreamMeter(usage, Identity("key:1", "k", tier))

    class ClosingSession:  # the part of a session the meter uses (the real socket
        # test is tests/api/test_metering.py)
        def __init__(self) -> None:
            self.closed: list[tuple[int, str]] = []

        def close(self, code: int, reason: str) -> None:
            self.closed.append((code, reason))

    session = ClosingSession()
    meter.session = session  # type: ignore[assignment]
    meter(Message(V2_EVENT))
    assert usage.status("key:1", "month").used == 2 and session.closed == []
    meter(Message(b'{"meta":{"type":"heartbeat"}}'))
    assert usage.status("key:1", "month").used == 2
    meter(Message(V2_EVENT))
    assert usage.status("key:1", "month").used == 4 == meter.charged
    assert session.closed == [(1008, "Monthly data point limit reached")]
