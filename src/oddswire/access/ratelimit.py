"""Burst limits: a token bucket per account (reference §5.1, §5.3).

A tier's ``burst`` is requests per second; an account's bucket holds up to ``burst``
tokens (at least one) and refills at ``burst`` per second, so an idle account may send
``burst`` requests at once and then ``burst`` a second. A request that finds no token
is refused with the seconds until one comes (``Retry-After``).

A full bucket is the same as no bucket, so buckets that have refilled are dropped in a
periodic sweep: memory holds only the accounts active in the last few seconds. Every
check runs under a lock and never awaits, so it is safe from many tasks and threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Seconds between sweeps of refilled buckets.
SWEEP_INTERVAL = 10.0


class RateLimiter:
    """Token buckets by account."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        #: account -> [tokens, when they were counted, seconds to refill from empty]
        self._buckets: dict[str, list[float]] = {}
        self._next_sweep = clock() + SWEEP_INTERVAL

    def __len__(self) -> int:
        return len(self._buckets)

    def acquire(self, account: str, rate: float) -> float:
        """Take a token from ``account``'s bucket (``rate`` tokens a second): 0.0 if
        the request may go, else the seconds until a token will be there."""
        capacity = rate if rate > 1.0 else 1.0
        with self._lock:
            now = self._clock()
            if now >= self._next_sweep:
                self._sweep(now)
            bucket = self._buckets.get(account)
            if bucket is None:
                self._buckets[account] = [capacity - 1.0, now, capacity / rate]
                return 0.0
            tokens = bucket[0] + (now - bucket[1]) * rate
            tokens = min(tokens, capacity)
            bucket[1] = now
            bucket[2] = capacity / rate
            if tokens >= 1.0:
                bucket[0] = tokens - 1.0
                return 0.0
            bucket[0] = tokens
            return (1.0 - tokens) / rate

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + SWEEP_INTERVAL
        idle = [a for a, (_, seen, refill) in self._buckets.items() if now - seen >= refill]
        for account in idle:
            del self._buckets[account]


__all__ = ["SWEEP_INTERVAL", "RateLimiter"]
