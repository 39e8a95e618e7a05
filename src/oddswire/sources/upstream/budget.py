"""Quota budgets: spend a vendor's metered units (TheRundown data points, The Odds API
credits) only within what the operator allows, and refuse locally before spending.

Two limits, either optional: a ``reserve`` the account's remaining balance (as the
vendor's headers report it) must never fall below, and a ``per_hour`` cap on what this
hub spends in any rolling hour.
"""

from __future__ import annotations

import time
from collections import deque


class QuotaBudget:
    def __init__(self, unit: str, *, reserve: int = 0, per_hour: int | None = None) -> None:
        self.unit = unit
        self.reserve = reserve
        self.per_hour = per_hour
        self.remaining: int | None = None
        self.used: int | None = None
        self.spent = 0
        self.refused = 0
        self._window: deque[tuple[float, int]] = deque()

    def observe(self, remaining: str | int | None, used: str | int | None = None) -> None:
        """Take the balance from the vendor's response headers (ignored if absent or bad)."""
        self.remaining = _count(remaining, self.remaining)
        self.used = _count(used, self.used)

    def _spent_last_hour(self, now: float) -> int:
        window = self._window
        while window and window[0][0] <= now - 3600:
            window.popleft()
        return sum(cost for _, cost in window)

    def wait_seconds(self, cost: int, now: float | None = None) -> float | None:
        """0 if ``cost`` may be spent now, the seconds until it may, or None if the
        reserve forbids it until the vendor reports a higher balance."""
        now = time.time() if now is None else now
        if self.remaining is not None and self.remaining - cost < self.reserve:
            return None
        if self.per_hour is None:
            return 0.0
        if cost > self.per_hour:
            return None
        spent = self._spent_last_hour(now)
        if spent + cost <= self.per_hour:
            return 0.0
        excess = spent + cost - self.per_hour
        for at, amount in self._window:
            excess -= amount
            if excess <= 0:
                return max(0.0, at + 3600 - now)
        return 3600.0

    def spend(self, cost: int, now: float | None = None) -> None:
        self._window.append((time.time() if now is None else now, cost))
        self.spent += cost
        if self.remaining is not None:
            self.remaining -= cost

    def refuse(self) -> None:
        self.refused += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "remaining": self.remaining,
            "used": self.used,
            "reserve": self.reserve,
            "per_hour": self.per_hour,
            "spent": self.spent,
            "spent_last_hour": self._spent_last_hour(time.time()),
            "refused": self.refused,
        }


def _count(value: str | int | None, default: int | None) -> int | None:
    if value is None:
        return default
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return default
