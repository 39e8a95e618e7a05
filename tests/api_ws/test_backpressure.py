"""Slow and hostile clients: a client that never reads is conflated, told, and closed
with its resume cursor, without slowing anyone else; bad frames close only their own
connection."""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from wskit import (  # type: ignore[import-not-found]
    LiveServer,
    drain,
    is_type,
    read_until_closed,
    receive_until,
    send,
    stalled_socket,
    subscribe,
    wait_for,
)

from factories import event_change, make_event, price
from oddswire.stream.session import CLOSE_LAGGING, Limits

WS = "/api/v2/ws"
LIMITS = Limits(high_water=128 << 10, low_water=32 << 10, max_pending=50_000, max_lag_seconds=2.0)


class Reader:
    """A client that reads everything, recording when each change arrived."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.arrived: dict[int, float] = {}
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for text in self.ws:
            message = json.loads(text)
            if message.get("type") == "delta":
                self.arrived[message["sequence"]] = time.monotonic()


async def pump(live: LiveServer, batches: int, applied_at: dict[int, float]) -> None:
    """Batches of 100 price changes on one game, 2 ms apart."""
    game = make_event()
    await live.submit([event_change(game)])
    for n in range(batches):
        changes = [
            price(
                game,
                participant_id=game.home_team_id + (k % 2),
                affiliate_id=k // 2 % 40 + 1,
                american=-100 - (n + k) % 50,
            )
            for k in range(100)
        ]
        first = live.hub.board.sequence + 1
        await live.hub.submit(changes)
        now = time.monotonic()
        for sequence in range(first, live.hub.board.sequence + 1):
            applied_at[sequence] = now
        await asyncio.sleep(0.002)
    await live.hub.store.flush()


def p99(reader: Reader, applied_at: dict[int, float]) -> float:
    delays = [reader.arrived[s] - applied_at[s] for s in reader.arrived if s in applied_at]
    return statistics.quantiles(delays, n=100)[98]


async def test_a_client_that_never_reads_is_conflated_and_closed_without_slowing_others(
    live: LiveServer,
) -> None:
    live.ctx.fanout.limits = LIMITS
    # the baseline: one reader alone
    applied_at: dict[int, float] = {}
    async with live.connect(WS) as ws:
        await subscribe(ws, "all")
        alone = Reader(ws)
        await pump(live, 150, applied_at)
        await wait_for(lambda: max(alone.arrived, default=0) >= live.hub.board.sequence)
        baseline = p99(alone, applied_at)

    # the same load with a client that reads nothing at all
    sock = stalled_socket(live.port)
    stalled = await connect(live.url(WS), sock=sock, max_queue=1, max_size=None)
    await subscribe(stalled, "all")
    stalled_session = next(iter(live.ctx.fanout.sessions))
    async with live.connect(WS) as ws:
        await subscribe(ws, "all")
        reader = Reader(ws)
        start = live.hub.board.sequence
        await pump(live, 150, applied_at)
        end = live.hub.board.sequence
        await wait_for(lambda: max(reader.arrived, default=0) >= end)
        # (the kernel may take more of the backlog as it grows the socket's send buffer,
        # ending an episode early; the client is lagging at least once, never silently)
        assert stalled_session.lag_episodes >= 1
        assert stalled_session.conflated > 0
        assert stalled_session.outbound.buffered <= LIMITS.high_water + 4096
        # everything reached the reader, in time
        assert set(reader.arrived) >= set(range(start + 2, end + 1))
        with_stall = p99(reader, applied_at)
        assert with_stall <= baseline * 3 + 0.05, (baseline, with_stall)

    # the stalled client is given up with its cursor, and sees why once it reads
    await wait_for(lambda: stalled_session.closed, timeout=10)
    messages: list[dict[str, Any]] = []
    closed = await read_until_closed(stalled, messages)
    assert closed.rcvd is not None and closed.rcvd.code == CLOSE_LAGGING
    reason = closed.rcvd.reason
    assert reason.startswith("lagging; resume_from=")
    cursor = int(reason.split("=")[1])
    notices = [m for m in messages if m.get("type") == "lag"]
    assert len(notices) == stalled_session.lag_episodes
    assert all(notice["resume_from"] <= cursor for notice in notices)
    seen = [m["sequence"] for m in messages if m.get("type") == "delta"]
    assert seen == sorted(seen) and seen[-1] <= cursor  # nothing past the cursor was sent

    # resuming from the cursor brings it level with the hub
    async with live.connect(WS) as ws:
        await send(
            ws, action="subscribe", id="all", channel="markets", params={"resume_from": cursor}
        )
        caught_up = await receive_until(ws, is_type("in_sync"), timeout=20)
    resumed = [m["sequence"] for m in caught_up if m.get("type") == "delta"]
    assert resumed and resumed[0] > cursor and caught_up[-1]["sequence"] == end


async def other_client_still_served(live: LiveServer, ws: ClientConnection) -> None:
    game = make_event(away=4005, home=4016)
    await live.submit([event_change(game), price(game, american=-145)])
    got = [m for m in await drain(ws) if m.get("type") == "delta"]
    assert got and got[-1]["data"]["data"]["price"] == "-145"


@pytest.mark.parametrize(
    ("abuse", "code"),
    [("oversized", 1009), ("binary", 1003), ("flood", 1008)],
)
async def test_bad_frames_close_only_their_connection(
    live: LiveServer, abuse: str, code: int
) -> None:
    async with live.connect(WS) as bystander:
        await subscribe(bystander, "all")
        async with live.connect(WS) as bad:
            with contextlib.suppress(ConnectionClosed):  # sends may meet the close
                if abuse == "oversized":
                    await bad.send("x" * (65 * 1024))
                elif abuse == "binary":
                    await bad.send(b"\x00\x01")
                else:
                    for _ in range(1000):
                        await bad.send('{"action":"usage"}')
            closed = await read_until_closed(bad)
            assert closed.rcvd is not None and closed.rcvd.code == code
        await other_client_still_served(live, bystander)
        await send(bystander, action="usage")
        (usage,) = await receive_until(bystander, is_type("usage"))
    assert usage["data"]["subscriptions"]["all"]["sub_sequence"] >= 1
