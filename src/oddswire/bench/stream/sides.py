"""The two sides the streaming benchmarks compare, in the server process.

:class:`HubSide`: a real :class:`~oddswire.hub.Hub` on a SQLite store, the ASGI app
served by uvicorn exactly as ``oddswire serve`` serves it (``api.server.server_config``);
changes go in through ``hub.submit``. :class:`BareSide`: the baseline, a bare
``websockets`` asyncio server (the library under uvicorn's ``websockets-sansio``
protocol) that sends each change with ``websockets.broadcast`` to the connections that
asked for its event, or for everything (no ``event_ids`` in the path). Its board only
gives each change, before any clock starts, its sequence and its message: the same
``market_price`` bytes the hub sends on ``/api/v2/ws/markets``.
"""

from __future__ import annotations

import asyncio
import socket
import time
from array import array
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import uvicorn
from websockets.asyncio import server as ws_server
from websockets.asyncio.server import ServerConnection, broadcast

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.context import ApiContext
from oddswire.api.server import server_config
from oddswire.bench.workload import ChangeStream, Universe, initial_changes
from oddswire.board import AppliedBatch, Board, LineState
from oddswire.hub import Hub, HubSettings
from oddswire.hub.hub import settle_heap
from oddswire.model.change import PriceChange
from oddswire.refdata import load_catalog
from oddswire.store.sqlite import SqliteTickStore
from oddswire.stream.fanout import Fanout
from oddswire.stream.subscription import MARKETS
from oddswire.wire.therundown.stream import MarketPrices

KEY = "bench-stream-key-0001"
WARM_BATCH = 1000
POLL = 0.0005


class Side(Protocol):
    """What the producer drives: the hub, or the bare broadcast."""

    board: Board

    def subscribers(self) -> int: ...

    def max_buffered(self) -> int: ...

    def in_flight(self) -> int:
        """Changes sent but not yet handed to the connections."""

    def prepare(self, batches: list[list[PriceChange]]) -> list[Any]:
        """Whatever :meth:`send` takes, made before any clock starts."""

    async def send(self, prepared: Any) -> None: ...

    async def settle(self) -> None:
        """Wait until everything sent is handed to the connections."""

    def stats(self) -> dict[str, int]: ...

    def timings(self) -> dict[str, bytes]:
        """Per committed batch (hub): its first sequence and the time before and after the
        fan-out published it, as ``array('q')`` bytes."""

    async def close(self) -> None: ...


def _listen() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    sock.setblocking(False)
    return sock


class HubSide:
    """The hub: Hub + SQLite store + the ASGI app under uvicorn."""

    def __init__(self, db: str, log_changes: int) -> None:
        self.db = db
        self.log_changes = log_changes
        self.sweeper: asyncio.Task[None] | None = None

    async def start(self, universe: Universe) -> int:
        settings = HubSettings(
            checkpoint_interval=0,
            prune_interval=0,
            checkpoint_on_shutdown=False,
            changelog_changes=self.log_changes,
        )
        self.hub = hub = Hub(
            load_catalog(), SqliteTickStore(self.db, quick_check=False), [], settings
        )
        await hub.open()
        for batch in initial_changes(universe, batch=WARM_BATCH):
            await hub.submit(batch)
        await hub.store.flush()
        self.board = hub.board
        if hub.analytics is not None and hub.settings.detectors is not None:
            # The live detectors run as in serve, on the data's clock (the workload's
            # timestamps start in March 2026), so they see fresh prices and do real work.
            hub.analytics.use_clock(lambda: 0.0)
            hub.analytics.prime()
            hub.analytics.sweep()
            self.sweeper = asyncio.get_running_loop().create_task(
                hub.analytics.run(hub.settings.detectors.evaluation_interval)
            )
        settle_heap()  # as Hub.warm_up does in serve
        # Timestamps around the fan-out's own listener (create_app registers it between).
        self.commit_first = array("q")
        self.commit_before = array("q")
        self.commit_after = array("q")
        hub.on_committed(self._before_publish)
        app = create_app(hub, KeyRing([KEY]))
        hub.on_committed(self._after_publish)
        self.ctx: ApiContext = app.state.ctx
        self.fanout: Fanout = self.ctx.fanout
        sock = _listen()
        self.server = uvicorn.Server(server_config(app, log_level="warning"))
        self.task = asyncio.get_running_loop().create_task(self.server.serve(sockets=[sock]))
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.01)
        return int(sock.getsockname()[1])

    def subscribers(self) -> int:
        return self.fanout.indexes[MARKETS].count

    def max_buffered(self) -> int:
        return max((s.outbound.buffered for s in self.fanout.sessions), default=0)

    def in_flight(self) -> int:
        return self.board.sequence - self.fanout.published

    def prepare(self, batches: list[list[PriceChange]]) -> list[Any]:
        return list(batches)

    async def send(self, prepared: Any) -> None:
        await self.hub.submit(prepared)

    async def settle(self) -> None:
        await self.hub.store.flush()
        while self.fanout.published < self.board.sequence:
            await asyncio.sleep(POLL)

    def _before_publish(self, batch: AppliedBatch) -> None:
        self.commit_first.append(batch.first_sequence)
        self.commit_before.append(time.monotonic_ns())

    def _after_publish(self, batch: AppliedBatch) -> None:
        self.commit_after.append(time.monotonic_ns())

    def timings(self) -> dict[str, bytes]:
        return {
            "commit_first": self.commit_first.tobytes(),
            "commit_before": self.commit_before.tobytes(),
            "commit_after": self.commit_after.tobytes(),
        }

    def stats(self) -> dict[str, int]:
        sessions = self.fanout.sessions
        return {
            "lag_episodes": sum(s.lag_episodes for s in sessions),
            "conflated": sum(s.conflated for s in sessions),
            "delivered": sum(s.delivered for s in sessions),
        }

    async def feed(self, stream: ChangeStream, count: int, batch: int) -> dict[str, Any]:
        before = self.board.sequence
        started = time.perf_counter()
        left = count
        while left > 0:
            take = min(batch, left)
            await self.hub.submit(stream.take(take))
            left -= take
        await self.settle()
        return {
            "cursor": before,
            "sequence": self.board.sequence,
            "seconds": time.perf_counter() - started,
            "log_covers_cursor": self.hub.changelog.covers(before),
            "log_changes": len(self.hub.changelog),
        }

    async def close(self) -> None:
        self.server.should_exit = True
        if self.sweeper is not None:
            self.sweeper.cancel()
        try:
            await asyncio.wait_for(self.task, 20)
        finally:
            await self.fanout.stop()
            await self.hub.stop()


class BareSide:
    """The baseline: ``websockets.asyncio.server`` and ``websockets.broadcast``."""

    def __init__(self) -> None:
        self.board = Board()
        self.everyone: set[Any] = set()
        self.by_event: dict[str, set[Any]] = {}
        self.connections: set[Any] = set()

    async def start(self, universe: Universe) -> int:
        self.encoder = MarketPrices(load_catalog())
        for batch in initial_changes(universe, batch=WARM_BATCH):
            self.board.apply(batch)

        async def handler(ws: ServerConnection) -> None:
            query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
            wanted = query.get("event_ids")
            buckets = (
                [self.by_event.setdefault(e, set()) for e in wanted[0].split(",")]
                if wanted
                else [self.everyone]
            )
            for bucket in buckets:
                bucket.add(ws)
            self.connections.add(ws)
            try:
                await ws.wait_closed()
            finally:
                for bucket in buckets:
                    bucket.discard(ws)
                self.connections.discard(ws)

        sock = _listen()
        self.server = await ws_server.serve(
            handler, sock=sock, compression=None, max_size=64 * 1024, ping_interval=15.0
        )
        return int(sock.getsockname()[1])

    def subscribers(self) -> int:
        return len(self.connections)

    def max_buffered(self) -> int:
        return max((c.transport.get_write_buffer_size() for c in self.connections), default=0)

    def in_flight(self) -> int:
        return 0

    def prepare(self, batches: list[list[PriceChange]]) -> list[Any]:
        prepared: list[list[tuple[str, bytes]]] = []
        encode = self.encoder.price
        for batch in batches:
            applied = self.board.apply(batch)
            items: list[tuple[str, bytes]] = []
            for change, state in zip(applied.changes, applied.states, strict=True):
                assert isinstance(change, PriceChange)
                assert isinstance(state, LineState)
                items.append((change.event_id, encode(change, state)))
            prepared.append(items)
        return prepared

    async def send(self, prepared: Any) -> None:
        everyone, by_event = self.everyone, self.by_event
        for event_id, payload in prepared:
            if everyone:
                broadcast(everyone, payload, text=True)
            targets = by_event.get(event_id)
            if targets:
                broadcast(targets, payload, text=True)

    async def settle(self) -> None:
        await asyncio.sleep(0)

    def stats(self) -> dict[str, int]:
        return {}

    def timings(self) -> dict[str, bytes]:
        return {}

    async def close(self) -> None:
        self.server.close()
        await asyncio.wait_for(self.server.wait_closed(), 20)
