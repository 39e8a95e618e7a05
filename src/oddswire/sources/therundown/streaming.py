"""TheRundown's ``/api/v2/ws/markets`` stream, on top of the REST part.

On every connect (the first included) the gap since the last cursor is filled from
``markets/delta`` before messages are trusted, as the reference asks (§4.7); the
stream's record ids advance the cursors. A stream silent past ``heartbeat_timeout`` is
dead. Stream prices are metered as data points: each counts one (an estimate) against
the budget, which can stop the stream. With ``fallback`` (auto mode) the loop returns
when the upgrade is refused (401/403) or ``stream_failures`` attempts running brought
nothing, so the caller can poll instead.
"""

from __future__ import annotations

import asyncio
import logging
import time

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from oddswire.client.core import parse_retry_after
from oddswire.sources.base import ChangeSink
from oddswire.sources.therundown.rest import RundownRest
from oddswire.sources.therundown.stream import PATH, open_stream, stream_url
from oddswire.sources.therundown.transport import BudgetRefused
from oddswire.sources.upstream.model import Record

log = logging.getLogger("oddswire.sources.therundown")


class _Dead(Exception):
    """The stream went silent past the heartbeat timeout."""


class RundownStreaming(RundownRest):
    """The markets stream (see the module docstring)."""

    async def _stream(self, sink: ChangeSink, *, fallback: bool) -> str:
        """Stream until cancelled, or (``fallback``) until the stream is refused or keeps
        failing: then return why."""
        failures = 0
        tuning = self.tuning
        while True:
            delay = await self._guard(self._stream_ready(sink))
            if delay:
                await asyncio.sleep(delay)
                continue
            outcome = "idle"
            wait: float | None = None
            feeds = self._feeds()
            url = stream_url(
                self.base_url,
                {
                    "sport_ids": feeds.sport_ids,
                    "market_ids": feeds.market_ids,
                    "affiliate_ids": feeds.affiliate_ids or [],
                },
            )
            try:
                async with open_stream(
                    url,
                    self._key,
                    auth=tuning.ws_auth,
                    open_timeout=tuning.open_timeout,
                    ping_interval=tuning.ping_interval,
                ) as ws:
                    outcome = await self._session(sink, ws)
            except InvalidStatus as exc:
                status = exc.response.status_code
                self._failed(f"stream upgrade refused: HTTP {status}")
                if status in (401, 403):
                    if fallback:
                        return f"upgrade refused: HTTP {status}"
                    wait = tuning.backoff.maximum
                elif status == 429:
                    wait = parse_retry_after(exc.response.headers.get("Retry-After"))
            except (_Dead, ConnectionClosed, InvalidHandshake, OSError, TimeoutError) as exc:
                self._failed(f"stream: {type(exc).__name__}: {exc}")
            self.health.connected = False
            if outcome == "paused":
                await asyncio.sleep(self._stream_wait)
                continue  # a budget stop or a failed request: not the stream's fault
            failures = 0 if outcome == "data" else failures + 1
            if fallback and failures >= tuning.stream_failures:
                return f"{failures} stream attempts in a row without data"
            if wait is None:
                wait = 0.05 if outcome == "data" else tuning.backoff.delay(failures - 1)
            await asyncio.sleep(wait)

    async def _stream_ready(self, sink: ChangeSink) -> None:
        await self._prepare(sink)
        wait = self.budget.wait_seconds(1)
        if wait is None or wait > 0:
            self.budget.refuse()
            raise BudgetRefused("stream", 1, wait)

    async def _session(self, sink: ChangeSink, ws: ClientConnection) -> str:
        """One connection: fill the gap, then read until it breaks. Returns "data" if
        prices or heartbeats flowed, "idle" if nothing did, "paused" if the budget (or
        a failed request) stopped it."""
        self.stream_connects += 1
        if self.stream_connects > 1:
            self.reconnects += 1
        self.now_mode = "stream"
        self.health.connected = True
        self.health.stale_after = self.tuning.heartbeat_timeout
        self._feeds().advance(self.rundown.stream_ids)
        self._stream_wait = await self._guard(self._fill(sink))
        if self._stream_wait:
            return "paused"
        outcome = "idle"
        last = time.monotonic()
        while True:
            now = time.monotonic()
            silent_for = self.tuning.heartbeat_timeout - (now - last)
            if silent_for <= 0:
                if outcome == "data":
                    return outcome  # it worked, then died: reconnect at once
                raise _Dead(f"no message for {self.tuning.heartbeat_timeout:g} s")
            try:
                frame = await asyncio.wait_for(
                    ws.recv(), min(silent_for, max(self._refresh_in(), 0.001))
                )
            except TimeoutError:
                if self._refresh_in() <= 0:
                    self._stream_wait = await self._guard(self._refresh(sink))
                    if self._stream_wait:
                        return "paused"
                continue
            last = time.monotonic()
            outcome = "data"
            text = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
            await self.receive(sink, Record(kind="ws", body=text, meta={"path": PATH}))
            if not self._spend_stream():
                self._stream_wait = 0.0  # _stream_ready waits the pause out
                return "paused"
            if self.rundown.unknown_events:
                self._stream_wait = await self._guard(self._fetch_unknown(sink))
                if self._stream_wait:
                    return "paused"

    async def _fill(self, sink: ChangeSink) -> None:
        for feed in self._feeds():
            await self._drain(sink, feed)

    def _spend_stream(self) -> bool:
        """Stream prices are metered as data points (one each, estimated): False when
        the budget says stop."""
        priced = self.rundown.stream_prices
        if priced > self._priced:
            self.budget.spend(priced - self._priced)
            self._priced = priced
        wait = self.budget.wait_seconds(0)
        if wait is None or wait > 0:
            self.budget.refuse()
            why = "the reserve" if wait is None else "the hourly cap"
            self._pause(
                wait or self.tuning.quota_pause,
                "reserve" if wait is None else None,
                f"data-point budget: {why} stops the stream",
            )
            return False
        return True


__all__ = ["RundownStreaming"]
