"""The simulator as a hub source: paced in real time, deterministic in what it emits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from oddswire.model.change import PriceChange
from oddswire.refdata import Catalog
from oddswire.sim import SimSettings, Simulator
from oddswire.sources.base import ChangeSink, Source

#: At most this many steps back to back when behind, before yielding to the loop.
MAX_CATCH_UP_STEPS = 20


class SimulatorSource(Source):
    """Runs :class:`~oddswire.sim.Simulator` one quantum per ``quantum`` real seconds.

    The simulator never reads the clock; this adapter paces it. When the machine cannot
    keep up, steps run back to back and ``health.lag_seconds`` says how far behind.
    """

    def __init__(self, catalog: Catalog, settings: SimSettings, start: datetime | None = None):
        super().__init__("simulator")
        self.settings = settings
        self.simulator = Simulator(catalog, settings, start or datetime.now(UTC))

    async def warm_up(self, sink: ChangeSink) -> None:
        events = prices = 0
        books: set[int] = set()
        for chunk in self.simulator.bootstrap():
            applied = await sink.submit(chunk)
            for change in chunk:
                if change.__class__ is PriceChange:
                    books.add(change.affiliate_id)
                else:
                    events += 1
            prices += len(chunk)
            self.health.touch(applied)
            sink.progress(f"simulator warm-up: {events} events, {prices:,} prices", None)
            await asyncio.sleep(0)
        self.health.affiliate_ids = sorted(books)
        self.health.connected = True
        self.health.detail["simulated_time"] = self.simulator.now.isoformat()

    async def run(self, sink: ChangeSink) -> None:
        loop = asyncio.get_running_loop()
        quantum = self.settings.quantum
        next_step = loop.time()
        self.health.connected = True
        while True:
            delay = next_step - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            for _ in range(MAX_CATCH_UP_STEPS):
                changes = self.simulator.step()
                if changes:
                    self.health.touch(await sink.submit(changes))
                else:
                    self.health.touch(0)
                next_step += quantum
                if loop.time() < next_step:
                    break
            self.health.lag_seconds = max(0.0, loop.time() - next_step)
            self.health.detail["simulated_time"] = self.simulator.now.isoformat()
            await asyncio.sleep(0)
