"""Chaos: while a client streams into a local board, the hub is killed (SIGKILL) and
restarted and the network cuts every connection, many times. At the end the client's
board equals the hub's, and the client saw every change once: no duplicate, no gap,
checked against the hub's own tick store."""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))

from chaosproxy import ChaosProxy
from hubproc import KEY, HubProcess

from oddswire.client import AsyncClient, Backoff, RetryPolicy
from oddswire.client.feed import BoardFeed
from oddswire.client.stream import MarketFilter, MarketStream

pytestmark = pytest.mark.slow

SPORT = 4
MARKETS = [1, 2, 3]


def start_hub(db: Path, *args: str) -> HubProcess:
    hub = HubProcess(db, *args)
    hub.wait_ready()
    return hub


def port_of(hub: HubProcess) -> int:
    assert hub.url
    return int(hub.url.rsplit(":", 1)[1])


def store_rows(db: Path, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def filtered_ticks(db: Path, markets: list[int], after: int) -> list[int]:
    marks = ",".join("?" * len(markets))
    rows = store_rows(
        db,
        "SELECT t.sequence FROM ticks t JOIN lines l ON l.ref = t.line_ref "
        "JOIN events e ON e.ref = t.event_ref "
        f"WHERE e.sport_id = ? AND l.market_id IN ({marks}) AND t.sequence > ? "
        "ORDER BY t.sequence",
        (SPORT, *markets, after),
    )
    return [int(r[0]) for r in rows]  # type: ignore[call-overload]


def latest_prices(db: Path, markets: list[int], event_ids: list[str]) -> dict[tuple, tuple]:
    marks = ",".join("?" * len(markets))
    events = ",".join("?" * len(event_ids))
    rows = store_rows(
        db,
        "SELECT e.event_id, l.market_id, l.period_id, l.participant_id, l.line, "
        "t.affiliate_id, t.price, t.status, t.is_main, max(t.sequence) "
        "FROM ticks t JOIN lines l ON l.ref = t.line_ref JOIN events e ON e.ref = t.event_ref "
        f"WHERE l.market_id IN ({marks}) AND e.event_id IN ({events}) "
        "GROUP BY t.line_ref, t.affiliate_id",
        (*markets, *event_ids),
    )
    # A pulled price's last quote is not compared: a V2 snapshot writes only the sentinel.
    return {tuple(r[:6]): (r[6] if r[7] == 0 else None, r[7], bool(r[8])) for r in rows}


async def test_board_survives_kills_and_cuts(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    rng = random.Random(7)
    hub = await asyncio.to_thread(start_hub, db)
    proxy = ChaosProxy(port_of(hub))
    await proxy.start()
    # Short schedules keep the test short; the defaults (1 s doubling to 30 s) are
    # what the stream tests check.
    api = AsyncClient(proxy.url, KEY, retry=RetryPolicy(max_retries=40, backoff=Backoff(0.1, 0.5)))
    wanted = MarketFilter.of(sport_ids=[SPORT], market_ids=MARKETS)
    stream = MarketStream(api.config, wanted, backoff=Backoff(0.1, 1.0))
    feed = BoardFeed(api, wanted, stream=stream)
    seen: list[int] = []

    async def consume() -> None:
        async with contextlib.aclosing(feed.__aiter__()) as changes:
            async for change in changes:
                seen.append(change.id)

    consumer = asyncio.create_task(consume())
    kills = 0
    try:
        deadline = time.monotonic() + 30
        next_kill = time.monotonic() + 6
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0.4, 1.2))
            if time.monotonic() >= next_kill:
                hub.signal(signal.SIGKILL)
                await asyncio.to_thread(hub.wait)
                await asyncio.sleep(rng.uniform(0.0, 1.0))
                hub = await asyncio.to_thread(start_hub, db)
                proxy.target_port = port_of(hub)
                kills += 1
                next_kill = time.monotonic() + rng.uniform(5, 9)
            else:
                proxy.cut_all()
        # The last restart freezes the market, so the end state can be compared.
        hub.signal(signal.SIGKILL)
        await asyncio.to_thread(hub.wait)
        hub = await asyncio.to_thread(start_hub, db, "--rate", "0.001")
        proxy.target_port = port_of(hub)
        kills += 1
        proxy.cut_all()

        markets = await feed._market_ids()
        assert markets is not None
        for _ in range(300):
            ticks = filtered_ticks(db, markets, 0)
            if ticks and stream.sequence is not None and stream.sequence >= ticks[-1]:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer
        await stream.close()

        assert kills >= 3 and proxy.cuts >= 10
        assert stream.stats.connects >= 12, stream.stats
        assert stream.stats.resets == 0 and stream.stats.conflated_resumes == 0, stream.stats
        assert stream.stats.exact_resumes >= 10, stream.stats
        # Every change after the subscription's start, once each, in order.
        assert stream.origin is not None
        expected = filtered_ticks(db, markets, stream.origin)
        assert len(expected) > 300
        assert len(seen) == len(set(seen)), "a change was yielded twice"
        assert seen == sorted(seen)
        assert seen == expected, f"{len(set(expected) - set(seen))} missed"

        # The local board holds exactly what the hub holds for those events.
        event_ids = [state.event.event_id for state in feed.board.board.events()]
        assert len(event_ids) > 3
        hub_prices = latest_prices(db, markets, event_ids)
        local = {
            key: (state.price if state.is_open else None, int(state.status), state.is_main_line)
            for key, state in feed.board.prices()
        }
        assert local == hub_prices
    finally:
        consumer.cancel()
        await api.aclose()
        await proxy.close()
        hub.stop()
