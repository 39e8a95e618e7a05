"""What a hub says about a key's plan and usage, from the headers of every metered
response (reference §5.2): the tier, its burst limit and data delay, WebSocket access,
and the data points used. ``Client.usage`` / ``AsyncClient.usage`` hold the latest.

An empty answer is not proof that there is nothing: check :attr:`Usage.delay_seconds`
(a delayed key sees the board as it was) before concluding so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def _number(text: str | None) -> float | None:
    """A header's number; None when absent, ``unlimited`` or not a number."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _count(text: str | None) -> int | None:
    value = _number(text)
    return None if value is None else int(value)


@dataclass(frozen=True, slots=True)
class Usage:
    """One response's usage headers. ``None`` means unlimited (or not sent)."""

    tier: str
    #: Requests per second the key may burst to.
    rate_limit: float | None
    #: Seconds behind real time the key's data is (0: real time).
    delay_seconds: float
    websocket_access: bool
    #: What this response cost, and the period's totals.
    datapoints: int
    used: int
    remaining: int | None
    limit: int | None
    #: ``day`` or ``month``, and seconds until it turns.
    period: str
    reset_seconds: int | None

    @property
    def realtime(self) -> bool:
        return self.delay_seconds == 0

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Usage | None:
        """The usage a response's headers carry, or None if it carries none (a public
        path, a 401)."""
        tier = headers.get("x-tier")
        if tier is None:
            return None
        return cls(
            tier=tier,
            rate_limit=_number(headers.get("x-rate-limit")),
            delay_seconds=_number(headers.get("x-data-delay-seconds")) or 0.0,
            websocket_access=headers.get("x-websocket-access", "").lower() == "true",
            datapoints=_count(headers.get("x-datapoints")) or 0,
            used=_count(headers.get("x-datapoints-used")) or 0,
            remaining=_count(headers.get("x-datapoints-remaining")),
            limit=_count(headers.get("x-datapoints-limit")),
            period=headers.get("x-datapoints-period", ""),
            reset_seconds=_count(headers.get("x-datapoints-reset")),
        )


__all__ = ["Usage"]
