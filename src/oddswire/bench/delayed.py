"""Delayed boards (hub/delayed.py): what the first request of a delayed tier costs to
make its replica, and what the replica holds in memory, on a board of
``memory_prices`` prices with a steady stream of changes after the moment it shows.

No DESIGN §10 budget covers it. The baselines are a plain copy of the live board (the
part of making a replica that does not depend on how much changed) and the live
board's own memory.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from collections.abc import Callable

from oddswire.bench.config import Sizes, timed
from oddswire.bench.hubs import fresh_path, new_hub, snapshot, submit_all
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.workload import ChangeStream, batches, initial_changes, universe_for_keys
from oddswire.board import Board

#: Changes made after the moment the replica shows (each turned back from the store),
#: per price on the board: 50,000 on 2,000,000 prices.
RECENT_PER_PRICE = 1 / 40


def traced_bytes(make: Callable[[], Board]) -> int:
    """What ``make()`` allocates and keeps (the board it returns), by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    try:
        made = make()
        gc.collect()
        current, _ = tracemalloc.get_traced_memory()
        del made
    finally:
        tracemalloc.stop()
    return current


class StallWatch:
    """The longest gap between two runs of a 1 ms ticker: how long a request or a
    stream would have waited behind the work meanwhile (1 ms at best)."""

    def __init__(self) -> None:
        self.longest = 0.0

    async def run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now


async def _measure(path: str, prices: int, seed: int, batch: int) -> dict[str, float | bool]:
    universe = universe_for_keys(prices, seed)
    stream = ChangeStream(universe, seed)
    hub = new_hub(path)
    await hub.open()
    try:
        await submit_all(hub, initial_changes(universe, batch=batch))
        await hub.store.flush()
        await asyncio.sleep(0.05)
        then = snapshot(hub.board)
        moment = time.time()
        await asyncio.sleep(0.05)
        recent = stream.take(max(100, round(prices * RECENT_PER_PRICE)))
        await submit_all(hub, batches(recent, batch))
        await hub.store.flush()
        with timed() as copying:
            copy = hub.board.copy()
        del copy
        stalls = StallWatch()
        watching = asyncio.create_task(stalls.run())
        with timed() as making:
            now = time.time()  # the replica as of ``moment``, however long it takes
            delayed = await hub.delayed.get(now - moment, now)
        watching.cancel()
        exact = snapshot(delayed.board) == then
        live_board = hub.board

        def copy_live() -> Board:
            return live_board.copy()

        replica_bytes = traced_bytes(copy_live)

        def rebuild_live() -> Board:
            board = Board()
            for work in initial_changes(universe, batch=batch):
                board.apply(work)
            return board

        live_bytes = traced_bytes(rebuild_live)
        return {
            "recent": float(len(recent)),
            "stall": stalls.longest,
            "make": making.seconds,
            "copy": copying.seconds,
            "prices": float(live_board.price_count),
            "replica_bytes": float(replica_bytes),
            "live_bytes": float(live_bytes),
            "exact": exact,
        }
    finally:
        await hub.stop()


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    found = asyncio.run(
        _measure(fresh_path(directory, "delayed.sqlite"), sizes.memory_prices, seed, sizes.batch)
    )
    prices = found["prices"]
    return BenchResult(
        name="delayed",
        figures=[
            Figure(
                name=f"make a delayed board ({int(found['recent']):,} changes to turn back)",
                value=float(found["make"]),
                unit="s",
                baseline=float(found["copy"]),
                baseline_name="a plain copy of the live board",
            ),
            Figure(
                name="longest event-loop stall while making it",
                value=float(found["stall"]) * 1000,
                unit="ms",
                baseline=float(found["copy"]) * 1000,
                baseline_name="a plain copy made in one go",
            ),
            Figure(
                name="delayed board memory per price",
                value=float(found["replica_bytes"]) / prices,
                unit="bytes",
                baseline=float(found["live_bytes"]) / prices,
                baseline_name="the live board's",
            ),
        ],
        details={"prices": int(prices)},
        checks={"the replica is the live board as it was": bool(found["exact"])},
    )
