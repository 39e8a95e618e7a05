"""The multiplexed ``/api/v2/ws`` protocol's server messages (reference §4.3, and our
extensions: resume, ``in_sync``, grouped ``deltas``, lag notices, heartbeats with a
resume cursor). Change messages are wrapped around an already-encoded payload, so a
change is encoded once for every subscriber; only the envelope is per subscription.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec

from oddswire.stream.message import Message
from oddswire.stream.subscription import Subscription
from oddswire.wire.therundown.common import rfc3339

_encode = msgspec.json.Encoder().encode


def _message(body: dict[str, Any]) -> Message:
    return Message(_encode(body))


def wrap_delta(sub: Subscription, message: Message, first: int) -> Message:
    """``{"type":"delta","id","sequence","sub_sequence","data"}`` around a change, or
    ``{"type":"deltas",...,"items":[...]}`` around a group of them."""
    sub_id = _encode(sub.sub_id)
    if message.items is None:
        return Message(
            b'{"type":"delta","id":%b,"sequence":%d,"sub_sequence":%d,"data":%b}'
            % (sub_id, message.sequence, first, message.payload),
            message.sequence,
        )
    items = b",".join(
        b'{"sequence":%d,"sub_sequence":%d,"data":%b}' % (item.sequence, first + i, item.payload)
        for i, item in enumerate(message.items)
    )
    last = first + len(message.items) - 1
    return Message(
        b'{"type":"deltas","id":%b,"sequence":%d,"sub_sequence":%d,"count":%d,"items":[%b]}'
        % (sub_id, message.sequence, last, len(message.items), items),
        message.sequence,
    )


def subscribed(sub_id: str, channel: str, sequence: int, options: dict[str, Any]) -> Message:
    return _message(
        {
            "type": "subscribed",
            "id": sub_id,
            "channel": channel,
            "sequence": sequence,
            "message": f"subscribed to {channel}",
            **options,
        }
    )


def unsubscribed(sub_id: str) -> Message:
    return _message({"type": "unsubscribed", "id": sub_id})


def error(message: str, code: str = "bad_request", sub_id: str | None = None) -> Message:
    body: dict[str, Any] = {"type": "error", "code": code, "message": message}
    if sub_id is not None:
        body["id"] = sub_id
    return _message(body)


def snapshot_error(sub_id: str, message: str) -> Message:
    return _message({"type": "snapshot_error", "id": sub_id, "message": message})


def snapshot(sub_id: str, events: list[bytes]) -> Message:
    """``{"type":"snapshot","id","data":{"events":[...]}}`` around encoded V2 events."""
    return Message(
        b'{"type":"snapshot","id":%b,"data":{"events":[%b]}}' % (_encode(sub_id), b",".join(events))
    )


def snapshot_complete(sub_id: str, sequence: int, count: int) -> Message:
    return _message(
        {"type": "snapshot_complete", "id": sub_id, "sequence": sequence, "events": count}
    )


def resync_ack(sub_id: str, sequence: int) -> Message:
    return _message({"type": "resync_ack", "id": sub_id, "sequence": sequence})


def in_sync(sub_id: str, sequence: int, exact: bool, count: int) -> Message:
    """The end of a resume's catch-up: every change up to ``sequence`` is in hand."""
    return _message(
        {
            "type": "in_sync",
            "id": sub_id,
            "sequence": sequence,
            "replay": "exact" if exact else "conflated",
            "count": count,
        }
    )


def usage(data: dict[str, Any]) -> Message:
    return _message({"meta": {"type": "usage", "timestamp": rfc3339(time.time())}, "data": data})


def heartbeat(cursor: int) -> bytes:
    """The 15-second heartbeat; ``sequence`` is where this connection could resume."""
    now = rfc3339(time.time())
    return _encode(
        {"meta": {"type": "heartbeat", "timestamp": now}, "data": {"now": now}, "sequence": cursor}
    )


def lag_notice(lagging: bool, cursor: int) -> bytes:
    """``lag`` when the client falls behind (updates are conflated from here on),
    ``caught_up`` when it has caught up; ``resume_from`` is safe to resume from."""
    return _encode(
        {"type": "lag" if lagging else "caught_up", "lagging": lagging, "resume_from": cursor}
    )
