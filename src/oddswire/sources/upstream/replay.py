"""Replaying a recording through the same path as the live source that made it."""

from __future__ import annotations

import asyncio
import math
import time

from oddswire.sources.base import ChangeSink
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import read_header, read_records
from oddswire.sources.upstream.source import Decoder, UpstreamSource


class ReplaySource(UpstreamSource):
    """Feeds a recording's records to the recorded vendor's decoder.

    ``speed`` 1 keeps the recorded pacing, 10 is ten times faster, 0 as fast as the hub
    takes them. The source is named ``replay:<recorded source>``; when the file ends
    it stays connected and idle (``finished`` in its health).
    """

    def __init__(self, path: str, resolver: Resolver, decoder: Decoder, speed: float = 1.0):
        header = read_header(path)
        super().__init__(f"replay:{header.source}", resolver, decoder)
        self.vendor = header.vendor
        self.path = path
        self.speed = speed
        self.replayed = 0
        self.health.detail["replaying"] = path
        self.finished = asyncio.Event()

    async def warm_up(self, sink: ChangeSink) -> None:
        self.health.connected = True

    async def run(self, sink: ChangeSink) -> None:
        self.health.connected = True
        first_at: float | None = None
        started = time.monotonic()
        for record in read_records(self.path):
            if self.speed > 0 and record.received_at:
                if first_at is None:
                    first_at = record.received_at
                due = started + (record.received_at - first_at) / self.speed
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            live = Record(kind=record.kind, body=record.body, meta=record.meta)
            await self.receive(sink, live)
            self.replayed += 1
            self.health.detail["replayed_records"] = self.replayed
            if self.replayed % 200 == 0:
                await asyncio.sleep(0)
        self.health.detail["finished"] = True
        self.health.stale_after = math.inf
        self.finished.set()
        await asyncio.Event().wait()
