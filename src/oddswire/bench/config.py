"""Sizes, budgets and the timing helper shared by the benchmarks."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from oddswire.bench.results import Budget

#: DESIGN §10 budgets.
BOARD_BUDGET = Budget(op=">=", value=500_000.0)
INGEST_BUDGET = Budget(op=">=", value=150_000.0)
#: The rate the analytics benchmark offers the hub: above the ingest budget, so keeping
#: up shows as a figure over it.
ANALYTICS_RATE = 160_000.0
MEMORY_BUDGET = Budget(op="<=", value=250.0)
REST_P50_BUDGET = Budget(op="<=", value=5.0)
#: Fan-out deliveries/s at least those of a bare ``websockets.broadcast``, same run.
FANOUT_BUDGET = Budget(op=">=", value=1.0, of_baseline=True)
#: Source -> client latency at 10k changes/s with 500 clients, in ms.
LATENCY_P99_BUDGET = Budget(op="<=", value=20.0)
#: Resume from a one-hour-old cursor to ``in_sync``, in seconds.
RESUME_BUDGET = Budget(op="<=", value=1.0)

#: The change volume behind the resume benchmark's hour-old cursor: the simulator's
#: default rate, changes/s. ``Sizes.resume_changes`` is an hour of it at full size.
RESUME_RATE = 250.0
HOUR = 3600.0

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Sizes:
    """How much work each benchmark does."""

    board_changes: int
    ingest_changes: int
    memory_prices: int
    rebuild_ticks: int
    #: Events on the slate of the board, ingest and rebuild streams (about 480 prices each).
    slate: int
    batch: int = BATCH
    #: REST: sequential requests for the latency figure, seconds of concurrent load.
    rest_requests: int = 500
    rest_seconds: float = 5.0
    #: Streaming: events on the slate (each latency client follows one), client
    #: processes (2-4: each holds many connections).
    stream_events: int = 100
    stream_procs: int = 2
    #: Fan-out: each side runs this many times, alternating; the best of each counts.
    stream_rounds: int = 2
    #: Fan-out: connected clients (each wants every price), changes timed.
    fanout_clients: int = 1000
    fanout_changes: int = 1000
    #: Latency: clients (each on one event), the rate and for how long.
    latency_clients: int = 500
    latency_rate: float = 10_000.0
    latency_seconds: float = 10.0
    #: Resume: changes between the cursor and now (an hour at ``RESUME_RATE``, full size).
    resume_changes: int = round(RESUME_RATE * HOUR)
    #: Analytics: simulator changes pushed at ``ANALYTICS_RATE`` with detectors on and off.
    analytics_changes: int = 1_500_000
    #: Upstream: BoltOdds messages replayed through decode and entity resolution.
    upstream_messages: int = 200_000

    @property
    def resume_hours(self) -> float:
        """How old the resume cursor is, in hours of simulated volume."""
        return self.resume_changes / (RESUME_RATE * HOUR)

    def scaled(self, factor: float) -> Sizes:
        """Every size times ``factor`` (with floors that keep the figures meaningful)."""
        if factor == 1.0:
            return self
        return replace(
            self,
            board_changes=max(2_000, round(self.board_changes * factor)),
            ingest_changes=max(2_000, round(self.ingest_changes * factor)),
            upstream_messages=max(2_000, round(self.upstream_messages * factor)),
            memory_prices=max(20_000, round(self.memory_prices * factor)),
            rebuild_ticks=max(5_000, round(self.rebuild_ticks * factor)),
            slate=max(4, min(self.slate, round(self.slate * factor))),
            rest_requests=max(50, round(self.rest_requests * factor)),
            rest_seconds=max(0.5, self.rest_seconds * factor),
            stream_events=max(2, min(self.stream_events, round(self.stream_events * factor))),
            fanout_clients=max(20, round(self.fanout_clients * factor)),
            fanout_changes=max(100, round(self.fanout_changes * factor)),
            latency_clients=max(10, round(self.latency_clients * factor)),
            latency_seconds=max(0.5, self.latency_seconds * factor),
            resume_changes=max(2_000, round(self.resume_changes * factor)),
            analytics_changes=max(20_000, round(self.analytics_changes * factor)),
        )


FULL = Sizes(
    board_changes=2_000_000,
    ingest_changes=3_000_000,
    memory_prices=2_000_000,
    rebuild_ticks=10_000_000,
    slate=400,
)
QUICK = Sizes(
    board_changes=200_000,
    ingest_changes=200_000,
    memory_prices=200_000,
    rebuild_ticks=300_000,
    slate=200,
    rest_requests=200,
    rest_seconds=2.0,
    upstream_messages=20_000,
    stream_rounds=1,
    fanout_clients=500,
    fanout_changes=400,
    latency_seconds=3.0,
    resume_changes=round(RESUME_RATE * HOUR / 10),
    analytics_changes=150_000,
)


@contextmanager
def frozen_gc() -> Iterator[None]:
    """Collect, then keep everything allocated so far out of later collections, so a
    collection inside a timed block does not rescan the pre-generated workload."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(slots=True)
class Timer:
    seconds: float = 0.0


@contextmanager
def timed() -> Iterator[Timer]:
    """Time a block, inside :func:`frozen_gc`."""
    timer = Timer()
    with frozen_gc():
        started = time.perf_counter()
        try:
            yield timer
        finally:
            timer.seconds = time.perf_counter() - started
