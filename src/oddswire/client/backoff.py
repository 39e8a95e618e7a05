"""Exponential backoff with jitter, for REST retries and stream reconnects."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before attempt ``n`` (0-based): ``initial * 2**n`` capped at ``maximum``,
    plus up to ``jitter`` of it at random (so many clients do not retry in step)."""

    initial: float = 1.0
    maximum: float = 30.0
    jitter: float = 0.25

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        base = min(self.maximum, self.initial * 2.0 ** min(attempt, 32))
        spread: float = (rng or random).uniform(0.0, self.jitter * base)
        return min(self.maximum, base + spread)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Which failed requests are tried again, how often and after how long.

    429 and 5xx are retried (up to ``max_retries`` times), and so are connection
    errors; a ``Retry-After`` from the server wins over the computed delay (capped at
    ``max_retry_after``). A spent data-point quota is never retried.
    """

    max_retries: int = 3
    backoff: Backoff = Backoff(initial=0.5, maximum=30.0)
    max_retry_after: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return self.backoff.delay(attempt)


NO_RETRIES = RetryPolicy(max_retries=0)

__all__ = ["NO_RETRIES", "Backoff", "RetryPolicy"]
