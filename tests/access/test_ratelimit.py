"""Burst limits: token buckets per account, refill, idle eviction, thread safety."""

from __future__ import annotations

import threading

from oddswire.access.ratelimit import SWEEP_INTERVAL, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_full_bucket_lets_the_burst_through_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    assert [limiter.acquire("a", 5) for _ in range(5)] == [0.0] * 5
    wait = limiter.acquire("a", 5)
    assert 0.19 < wait <= 0.2  # one token every 1/5 s
    clock.now += 0.2
    assert limiter.acquire("a", 5) == 0.0
    assert limiter.acquire("a", 5) > 0.0
    clock.now += 10  # refilled to the burst, never beyond it
    assert sum(limiter.acquire("a", 5) == 0.0 for _ in range(20)) == 5


def test_accounts_do_not_share_a_bucket() -> None:
    limiter = RateLimiter(Clock())
    assert limiter.acquire("a", 1) == 0.0
    assert limiter.acquire("a", 1) > 0.0
    assert limiter.acquire("b", 1) == 0.0


def test_a_rate_below_one_still_allows_one_request_then_waits_the_interval() -> None:
    limiter = RateLimiter(Clock())
    assert limiter.acquire("a", 0.5) == 0.0
    assert limiter.acquire("a", 0.5) == 2.0


def test_refilled_buckets_are_evicted_and_active_ones_kept() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    for n in range(1000):
        limiter.acquire(f"idle-{n}", 10)
    clock.now += SWEEP_INTERVAL - 0.05
    limiter.acquire("busy", 10)
    limiter.acquire("busy", 10)
    clock.now += 0.1  # the sweep is due: the idle buckets are full again, "busy" is not
    limiter.acquire("other", 10)
    assert len(limiter) == 2
    # evicting a full bucket changes nothing: the account gets its whole burst again
    assert sum(limiter.acquire("idle-0", 10) == 0.0 for _ in range(12)) == 10


def test_many_threads_share_one_bucket_exactly() -> None:
    limiter = RateLimiter(Clock())  # a frozen clock: no refill, only the burst
    allowed: list[int] = []

    def hammer() -> None:
        allowed.append(sum(limiter.acquire("a", 50) == 0.0 for _ in range(1000)))

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == 50
