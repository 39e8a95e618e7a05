"""TheRundown's WebSocket messages (reference §4.2, §4.3, seed 004).

A ``market_price`` message carries the flat record under ``data`` (what seed 000's
Python reads: ``data.event_id``, ``data.price``...) and the older nested shape at the top
level (what seed 004's JavaScript reads: ``event_id``, ``market_name``,
``participants[].lines[].prices``), so both unchanged clients print real values.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec

from oddswire.board import EventState, LineState
from oddswire.model.change import EventChange, PriceChange, PriceStatus
from oddswire.model.ids import price_id
from oddswire.model.lines import parse_line
from oddswire.refdata import Catalog
from oddswire.wire.therundown.common import OFF_BOARD_SENTINEL, american, american_text, rfc3339
from oddswire.wire.therundown.v2_events import score

_encode = msgspec.json.Encoder().encode
SENTINEL_TEXT = american_text(OFF_BOARD_SENTINEL)


def _price_text(price: float, status: PriceStatus | None) -> str:
    return SENTINEL_TEXT if status == PriceStatus.OFF_BOARD else american_text(price)


class MarketPrices:
    """``market_price`` messages: with the nested fields for ``/api/v2/ws/markets``
    (``nested=True``), the flat record alone for the multiplexed ``markets`` channel."""

    def __init__(self, catalog: Catalog, *, nested: bool = True) -> None:
        self.catalog = catalog
        self.nested = nested

    def price(self, change: PriceChange, line: LineState) -> bytes:
        event = line.event.event
        catalog = self.catalog
        market = catalog.markets.get(line.market_id)
        now = change.received_ts or time.time()
        previous = change.previous_price
        delta: int | float | None = None
        if previous is not None and change.status == PriceStatus.OPEN:
            delta = american(change.price - previous)
        updated = rfc3339(change.source_ts)
        body: dict[str, Any] = {
            "meta": {"type": "market_price", "version": "v2", "timestamp": int(now)},
            "data": {
                "id": change.sequence,
                "event_id": event.event_id,
                "sport_id": event.sport_id,
                "affiliate_id": change.affiliate_id,
                "market_id": line.market_id,
                "period_id": line.period_id,
                "market_participant_id": price_id(line.id, change.affiliate_id),
                "normalized_market_participant_id": line.participant_id,
                "normalized_market_participant_type": int(line.participant_type),
                "line": line.line,
                "price": _price_text(change.price, change.status),
                "previous_price": None
                if previous is None
                else _price_text(previous, change.previous_status),
                "price_delta": delta,
                "is_main_line": change.is_main_line,
                "closed": change.status == PriceStatus.CLOSED,
                "updated_at": updated,
            },
        }
        if not self.nested:
            return _encode(body)
        _, number = parse_line(line.line)
        wire_price: int | float = (
            OFF_BOARD_SENTINEL if change.status == PriceStatus.OFF_BOARD else american(change.price)
        )
        body |= {
            "event_id": event.event_id,
            "sport_id": event.sport_id,
            "market_id": line.market_id,
            "market_name": market.short_description if market else str(line.market_id),
            "period_id": line.period_id,
            "participants": [
                {
                    "participant_id": line.participant_id,
                    "name": catalog.participant_name(line.participant_id, line.participant_type),
                    "lines": [
                        {
                            "line": number if number is not None else line.line,
                            "is_main": change.is_main_line,
                            "prices": {
                                str(change.affiliate_id): {
                                    "price": wire_price,
                                    "affiliate_id": change.affiliate_id,
                                    "timestamp": updated,
                                }
                            },
                        }
                    ],
                }
            ],
        }
        return _encode(body)

    def event(self, change: EventChange, state: EventState) -> bytes | None:
        return None


class Scores:
    """``score`` messages for the ``scores`` channel: an event's status, clock and score."""

    def price(self, change: PriceChange, line: LineState) -> bytes | None:
        return None

    def event(self, change: EventChange, state: EventState) -> bytes:
        event = change.event  # as of this change (the state may have moved on)
        data = msgspec.to_builtins(score(event))
        data["sport_id"] = event.sport_id
        data["sequence"] = change.sequence
        return _encode({"meta": {"type": "score", "timestamp": int(time.time())}, "data": data})


def heartbeat(cursor: int = 0) -> bytes:
    """The 15-second heartbeat of TheRundown's streams (``cursor`` is not shown)."""
    now = rfc3339(time.time())
    return _encode({"meta": {"type": "heartbeat", "timestamp": now}, "data": {"now": now}})


def lag_notice(lagging: bool, cursor: int) -> bytes:
    """Tells a client it reads too slowly (updates are being conflated), or caught up.

    On TheRundown's flat streams this rides on a heartbeat (``meta.notice``): the
    vendor's own example clients treat every other message as a price and would fail
    on a new type, but skip heartbeats.
    """
    now = rfc3339(time.time())
    notice = "lag" if lagging else "caught_up"
    return _encode(
        {
            "meta": {"type": "heartbeat", "notice": notice, "timestamp": now},
            "data": {"now": now, "lagging": lagging, "resume_from": cursor},
        }
    )
