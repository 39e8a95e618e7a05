"""The detectors, run by the hub: fed every applied batch, swept on a timer, and
published only once the board they read is durable.

Detection runs synchronously on each applied batch, so it reads the board exactly as
of the batch's last sequence. What it finds waits until the store has committed that
sequence, then goes to the opportunity book (and from there to every hedge stream):
no client sees an opportunity built on a price a crash could take back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable

from oddswire.analytics.detect import Detectors, DetectorSettings
from oddswire.analytics.opportunities import OpportunityBook
from oddswire.board import AppliedBatch, Board
from oddswire.model.change import PriceChange
from oddswire.model.opportunity import Opportunity
from oddswire.refdata import Catalog

log = logging.getLogger("oddswire.analytics")

#: The longest a sweep holds the event loop at a time (seconds).
SLICE = 0.001
#: A turn of the event loop longer than this (seconds) means it is busy with other work.
BUSY = 0.001


class AnalyticsRunner:
    def __init__(
        self,
        catalog: Catalog,
        board: Board,
        book: OpportunityBook,
        settings: DetectorSettings,
        committed: Callable[[], int],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.detectors = Detectors(catalog, settings)
        self._board = board
        self._book = book
        self._committed = committed
        self._clock = clock
        #: The newest data timestamp seen: the detectors' clock never runs behind the
        #: data (a simulator running faster than real time stamps ahead of the wall).
        self._data_time = 0.0
        self._pending: deque[tuple[int, list[Opportunity]]] = deque()
        self._settings = settings
        self.seconds = 0.0
        #: The longest the detectors have run behind (seconds), since start.
        self.max_lag = 0.0
        #: Sweeps cut short because the event loop had other work.
        self.yielded = 0

    def use_clock(self, clock: Callable[[], float]) -> None:
        """Read the time from ``clock`` (a benchmark's ``lambda: 0.0`` leaves only the
        data's clock)."""
        self._clock = clock

    def now(self) -> float:
        return max(self._clock(), self._data_time)

    def prime(self) -> int:
        return self.detectors.prime(self._board, self.now())

    def on_applied(self, batch: AppliedBatch) -> None:
        started = time.perf_counter()
        last = batch.changes[-1] if batch.changes else None
        if last is not None and last.__class__ is PriceChange:
            self._data_time = max(self._data_time, last.received_ts)
        found = self.detectors.on_batch(batch, self.now())
        if found:
            self._pending.append((batch.last_sequence, found))
        self.seconds += time.perf_counter() - started

    def on_committed(self, batch: AppliedBatch) -> None:
        self.release(batch.last_sequence)

    def release(self, committed: int) -> None:
        """Publish what was found on a board now durable up to ``committed``."""
        ready: list[Opportunity] = []
        pending = self._pending
        while pending and pending[0][0] <= committed:
            ready.extend(pending.popleft()[1])
        if ready:
            self._book.publish(ready)

    def sweep(self, seconds: float | None = None) -> None:
        """Look again at what is due (for at most ``seconds`` of CPU, if given)."""
        started = time.perf_counter()
        sequence = self._board.sequence
        found = self.detectors.sweep(self.now(), sequence, seconds)
        self.max_lag = max(self.max_lag, self.detectors.lag)
        if found:
            self._pending.append((sequence, found))
        self.seconds += time.perf_counter() - started
        self.release(self._committed())

    def forget(self, event_ids: list[str]) -> None:
        found = self.detectors.forget(event_ids, self.now(), self._board.sequence)
        if found:
            self._pending.append((self._board.sequence, found))

    async def run(self, interval: float) -> None:
        """Sweep every ``interval`` seconds, in slices of at most ``SLICE`` seconds with
        the event loop free between them (streams keep flowing), for at most
        ``max_cpu_share`` of the interval; past ``min_cpu_share`` of it, a busy loop ends
        the sweep early."""
        budget = interval * self._settings.max_cpu_share
        floor = interval * min(self._settings.min_cpu_share, self._settings.max_cpu_share)
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval)
            spent = 0.0
            while spent < budget:
                started = time.perf_counter()
                try:
                    self.sweep(min(SLICE, budget - spent))
                except Exception:
                    log.exception("analytics sweep failed")
                    break
                spent += time.perf_counter() - started
                if self.detectors.lag == 0.0:
                    break  # caught up
                turn = loop.time()
                await asyncio.sleep(0)
                if spent >= floor and loop.time() - turn > BUSY:
                    self.yielded += 1
                    break  # the loop has other work (streams first): go on next time

    def stats(self) -> dict[str, object]:
        return {
            **self.detectors.stats(),
            "pending_batches": len(self._pending),
            "max_lag_ms": round(self.max_lag * 1000),
            "sweeps_yielded": self.yielded,
            "cpu_seconds": round(self.seconds, 3),
        }
