"""The reference market: a real hub on a fixed simulated market, served in-process.

Fixed seed, sport and start, so the events (and their ids) are the same on every
run; what the books quote depends on how long it runs, so examples are compared by
shape, not by value.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.sim import SimSettings
from oddswire.sources.simulator import SimulatorSource
from oddswire.store.sqlite import SqliteTickStore

KEY = "reference-market-key"
START = datetime.fromisoformat("2026-11-21T22:00:00+00:00")
SPORT = 4
DAY = "2026-11-22"


@dataclass
class Market:
    hub: Hub
    client: httpx.AsyncClient


@asynccontextmanager
async def reference_market(seconds: float = 2.0) -> AsyncIterator[Market]:
    """A hub whose simulator runs for ``seconds`` (at a brisk rate) before serving."""
    catalog = load_catalog()
    settings = SimSettings(seed=7, rate=3000, sport_ids=[SPORT], days_back=0, days_ahead=1)
    source = SimulatorSource(catalog, settings, START)
    with tempfile.TemporaryDirectory() as directory:
        store = SqliteTickStore(f"{directory}/reference.db", quick_check=False)
        quiet = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)
        hub = Hub(catalog, store, [source], quiet)
        await hub.open()
        await hub.warm_up()
        hub.start()
        await asyncio.sleep(seconds)
        await hub.store.flush()
        app = create_app(hub, KeyRing([KEY]))
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
                yield Market(hub, client)
        finally:
            await hub.stop()
