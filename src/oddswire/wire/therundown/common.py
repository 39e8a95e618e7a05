"""Conventions shared by TheRundown's payloads: timestamps, prices, the sentinel."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from oddswire.board.state import PriceState
from oddswire.model.change import PriceStatus

#: TheRundown's "off the board" price (reference §2.1). Written only by this package.
OFF_BOARD_SENTINEL = 0.0001

_TIME_CACHE: dict[int, str] = {}
_TIME_CACHE_LIMIT = 100_000


def rfc3339(epoch_seconds: float) -> str:
    """``1768429800.4`` -> ``"2026-01-14T22:30:00Z"`` (UTC, whole seconds; cached)."""
    second = int(epoch_seconds)
    text = _TIME_CACHE.get(second)
    if text is None:
        if len(_TIME_CACHE) >= _TIME_CACHE_LIMIT:
            _TIME_CACHE.clear()
        text = _TIME_CACHE[second] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
    return text


def rfc3339_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def american(price: float) -> int | float:
    """An American price as TheRundown writes it in event payloads: an integer if whole."""
    whole = int(price)
    return whole if whole == price else price


def american_text(price: float) -> str:
    """An American price as TheRundown writes it in delta and history rows: a string."""
    whole = int(price)
    return str(whole) if whole == price else f"{price:.4f}"


def wire_price(state: PriceState) -> int | float:
    """The ``price`` field of an event payload: the sentinel when off the board."""
    if state.status == PriceStatus.OFF_BOARD:
        return OFF_BOARD_SENTINEL
    return american(state.price)
