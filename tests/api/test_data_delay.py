"""Delayed tiers see the board as it was ``delay`` seconds ago and never anything
fresher (reference §5.1), checked price by price against the tick store: on REST
snapshots, history, openers, and on the streams. A hub under steady change is served
on a real socket; a real-time key is the control.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from asgiserve import serve_app  # type: ignore[import-not-found]
from factories import event_change, make_event, price
from oddswire.access.tiers import DEFAULT_TIERS, Entitlement, Tier, Tiers
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.hub import Hub, HubSettings
from oddswire.model.ids import split_price_id
from oddswire.refdata import load_catalog
from oddswire.store.keys import StoredKey, digest
from oddswire.store.sqlite import SqliteTickStore

DELAY = 1.5
#: How late a change may be committed after it was received, and the follow loop's
#: tick: the slack allowed on "not staler than it must be" (never on "not fresher").
SLACK = 0.35
EVERYTHING = frozenset(Entitlement) - {Entitlement.ADMIN}
TIERS = Tiers(
    (
        *DEFAULT_TIERS,
        Tier(
            name="lagged",
            burst=None,
            delay_seconds=DELAY,
            websocket=True,
            ws_connections=5,
            ws_subscriptions=10,
            entitlements=EVERYTHING,
        ),
        Tier(name="later", burst=None, delay_seconds=4.0, entitlements=EVERYTHING),
        Tier(name="live", burst=None, websocket=True, ws_connections=5, ws_subscriptions=10),
    )
)
KEYS = {
    "lagged": "lagged-key-0123456789",
    "later": "later-key-01234567",
    "live": "live-key-0123456",
}
GAMES = [make_event(), make_event(away=4003, home=4015)]
BOOKS = (3, 19, 23)


def h(tier: str) -> dict[str, str]:
    return {"X-TheRundown-Key": KEYS[tier]}


@dataclass
class Served:
    hub: Hub
    db: Path
    http: httpx.AsyncClient
    port: int

    def ws(self, path: str, tier: str) -> Any:
        return connect(f"ws://127.0.0.1:{self.port}{path}?key={KEYS[tier]}", open_timeout=10)


async def churn(hub: Hub, stop: asyncio.Event) -> None:
    """Moves a price at some book every 20 ms, and now and then opens a new line."""
    rng = random.Random(5)
    n = 0
    while not stop.is_set():
        n += 1
        game = rng.choice(GAMES)
        now = time.time()
        change = price(
            game,
            participant_id=rng.choice((game.away_team_id, game.home_team_id)),
            affiliate_id=rng.choice(BOOKS),
            american=rng.choice((-130, -120, -110, 100, 110, 125)) + n % 7,
            ts=now,
        )
        change.received_ts = now
        batch = [change]
        if n % 25 == 0:  # a new alternate spread line
            batch.append(price(game, market_id=2, line=f"-{n // 25}.5", affiliate_id=19, ts=now))
            batch[-1].received_ts = now
        await hub.submit(batch)
        await asyncio.sleep(0.02)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    db = tmp_path / "delay.db"
    hub = Hub(
        load_catalog(),
        SqliteTickStore(str(db)),
        settings=HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await hub.open()
    now = time.time()
    await hub.submit([event_change(g) for g in GAMES])
    await hub.submit([price(g, affiliate_id=b, ts=now) for g in GAMES for b in BOOKS])
    hub.start()
    ring = KeyRing(tiers=TIERS)
    ring.set_stored(
        {digest(key): StoredKey(n, name, name) for n, (name, key) in enumerate(KEYS.items(), 1)}
    )
    app = create_app(hub, ring)
    stop = asyncio.Event()
    churning = asyncio.create_task(churn(hub, stop))
    try:
        async with (
            serve_app(app, backlog=64) as port,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
        ):
            yield Served(hub, db, http, port)
    finally:
        stop.set()
        await churning
        await app.state.ctx.views.stop()
        await hub.stop()


class Ticks:
    """The tick store, read on its own connection."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db)

    def line_ref(self, line_hash: int) -> int:
        row = self.conn.execute("SELECT ref FROM lines WHERE hash48 = ?", (line_hash,)).fetchone()
        assert row is not None
        return int(row[0])

    def at(self, line_ref: int, book: int, sequence: int) -> tuple[float, float, int] | None:
        """(price, received_ts, sequence) of the key's last tick at or before ``sequence``."""
        row = self.conn.execute(
            "SELECT price, received_ts, sequence FROM ticks WHERE line_ref = ? "
            "AND affiliate_id = ? AND sequence <= ? ORDER BY sequence DESC LIMIT 1",
            (line_ref, book, sequence),
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    def received(self, sequence: int) -> float:
        row = self.conn.execute(
            "SELECT received_ts FROM ticks WHERE sequence = ? UNION ALL "
            "SELECT received_ts FROM event_ticks WHERE sequence = ?",
            (sequence, sequence),
        ).fetchone()
        assert row is not None, sequence
        return float(row[0])

    def last_received_by(self, moment: float) -> int:
        """The sequence of the newest change received at or before ``moment``."""
        row = self.conn.execute(
            "SELECT max(sequence) FROM ticks WHERE received_ts <= ?", (moment,)
        ).fetchone()
        return int(row[0] or 0)

    def keys(self) -> set[tuple[int, int]]:
        return set(self.conn.execute("SELECT DISTINCT line_ref, affiliate_id FROM ticks"))


def prices_of(body: dict[str, Any]) -> list[tuple[str, float]]:
    """(price id, price) of every price in a V2 events body."""
    return [
        (p["id"], p["price"])
        for event in body["events"]
        for market in event["markets"]
        for participant in market["participants"]
        for line in participant["lines"]
        for p in line["prices"].values()
    ]


def check_snapshot(ticks: Ticks, body: dict[str, Any], asked_at: float, answered_at: float) -> int:
    """The body is the board as of its cursor ``S``: ``S`` was received at least
    ``DELAY`` before the answer, and no staler than the delay requires; every price is
    exactly the tick store's as of ``S``. Returns how many prices were checked."""
    shown = int(body["meta"]["delta_last_id"])
    assert ticks.received(shown) <= answered_at - DELAY  # never fresher
    assert shown >= ticks.last_received_by(asked_at - DELAY - SLACK)  # not staler
    found = prices_of(body)
    for price_id, value in found:
        line_hash, book = split_price_id(int(price_id))
        tick = ticks.at(ticks.line_ref(line_hash), book, shown)
        assert tick is not None and tick[0] == value, (price_id, value, tick)
        assert tick[1] <= answered_at - DELAY
    return len(found)


async def test_rest_snapshots_are_the_board_as_it_was_delay_ago(served: Served) -> None:
    ticks = Ticks(served.db)
    await asyncio.sleep(DELAY + 0.5)  # the board of DELAY ago has prices by now
    checked = 0
    for _ in range(12):
        asked_at = time.time()
        r = await served.http.get("/api/v2/sports/4/events/2026-11-22", headers=h("lagged"))
        answered_at = time.time()
        assert r.status_code == 200, r.text
        assert r.headers["x-data-delay-seconds"] == "1.5"
        checked += check_snapshot(ticks, r.json(), asked_at, answered_at)
        await asyncio.sleep(0.15)
    assert checked > 60
    # the control: a real-time key sees changes the delayed one cannot yet
    live = await served.http.get("/api/v2/sports/4/events/2026-11-22", headers=h("live"))
    lagged = await served.http.get("/api/v2/sports/4/events/2026-11-22", headers=h("lagged"))
    assert live.headers["x-data-delay-seconds"] == "0"
    assert int(live.json()["meta"]["delta_last_id"]) > int(lagged.json()["meta"]["delta_last_id"])
    assert sorted(prices_of(live.json())) != sorted(prices_of(lagged.json()))
    # lines opened in the last DELAY seconds are not there yet
    assert len(prices_of(live.json())) >= len(prices_of(lagged.json()))


async def test_history_and_openers_stop_where_the_view_stands(served: Served) -> None:
    ticks = Ticks(served.db)
    await asyncio.sleep(DELAY + 0.5)
    event = GAMES[0].event_id
    asked_at = time.time()
    r = await served.http.get(
        f"/api/v2/events/{event}/markets/history", params={"limit": 5000}, headers=h("lagged")
    )
    answered_at = time.time()
    assert r.status_code == 200, r.text
    rows = r.json()["history"]
    assert rows
    newest = max(ticks.received(int(row["id"])) for row in rows)
    assert newest <= answered_at - DELAY
    assert newest >= asked_at - DELAY - SLACK - 0.1  # the churn moves every 20 ms
    live = await served.http.get(
        f"/api/v2/events/{event}/markets/history", params={"limit": 5000}, headers=h("live")
    )
    assert max(int(row["id"]) for row in live.json()["history"]) > max(
        int(row["id"]) for row in rows
    )
    # openers of lines that opened within the delay are left out
    opening = await served.http.get(f"/api/v2/events/{event}/markets/opening", headers=h("lagged"))
    assert opening.status_code == 200
    later = await served.http.get(f"/api/v2/events/{event}/markets/opening", headers=h("live"))
    assert len(opening.content) <= len(later.content)


async def test_delta_cursors_and_hedge_are_refused_to_delayed_keys(served: Served) -> None:
    for path, params in (
        ("/api/v2/markets/delta", {"last_id": "1"}),
        ("/api/v2/delta", {"last_id": "0"}),
        ("/api/v1/delta", {"last_id": "0"}),
        ("/api/v2/hedge", {}),
    ):
        r = await served.http.get(path, params=params, headers=h("lagged"))
        assert r.status_code == 403, (path, r.text)
        assert "requires real-time data" in r.json()["error"]
        assert "delayed 1.5 s" in r.json()["error"]
    ok = await served.http.get("/api/v2/markets/delta", params={"last_id": "1"}, headers=h("live"))
    assert ok.status_code == 200, ok.text


async def test_a_delayed_stream_is_the_live_stream_delay_late(served: Served) -> None:
    ticks = Ticks(served.db)
    await asyncio.sleep(0.3)
    received: list[tuple[float, dict[str, Any]]] = []
    async with served.ws("/api/v2/ws", "lagged") as ws:
        await ws.send(json.dumps({"action": "subscribe", "id": "all", "channel": "markets"}))
        deadline = time.time() + 2.5
        while time.time() < deadline:
            with contextlib.suppress(TimeoutError):
                text = await asyncio.wait_for(ws.recv(), 0.5)
                received.append((time.time(), json.loads(text)))
        # hedge is real-time only
        await ws.send(json.dumps({"action": "subscribe", "id": "h", "channel": "hedge"}))
        refused = json.loads(await asyncio.wait_for(ws.recv(), 5))
        while refused.get("type") == "delta":
            refused = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert refused["type"] == "error" and "requires real-time data" in refused["message"]
    deltas = [(at, m) for at, m in received if m.get("type") == "delta"]
    assert len(deltas) > 30
    for at, message in deltas:
        sequence = message["sequence"]
        assert ticks.received(sequence) <= at - DELAY, message  # never fresher
    sequences = [m["sequence"] for _, m in deltas]
    assert sequences == sorted(sequences)
    # and late by no more than the delay needs
    last_at, last = deltas[-1]
    assert ticks.received(last["sequence"]) >= last_at - DELAY - 1.0
    # the flat stream too
    async with served.ws("/api/v2/ws/markets", "lagged") as ws:
        first = json.loads(await asyncio.wait_for(ws.recv(), 5))
        arrived = time.time()
        updated = first.get("data", first)
        assert updated  # a market_price message
        assert ticks.last_received_by(arrived - DELAY) >= 1


async def test_a_moment_the_hub_cannot_place_is_a_503_not_fresher_data(served: Served) -> None:
    # as after a restart whose change log could not be refilled: nothing before now
    served.hub.changelog.start_at(served.hub.board.sequence)
    r = await served.http.get("/api/v2/sports/4/events/2026-11-22", headers=h("later"))
    assert r.status_code == 503
    assert "not available yet" in r.json()["error"]
    assert 1 <= int(r.headers["retry-after"]) <= 4
    await asyncio.sleep(4.2)
    r = await served.http.get("/api/v2/sports/4/events/2026-11-22", headers=h("later"))
    assert r.status_code == 200, r.text
    assert r.headers["x-data-delay-seconds"] == "4"


async def test_health_lists_the_delayed_boards(served: Served) -> None:
    await served.http.get("/api/v2/sports/4/events/2026-11-22", headers=h("lagged"))
    health = (await served.http.get("/healthz")).json()
    (board,) = health["delayed_boards"]
    assert board["delay_seconds"] == DELAY and board["sequence"] >= 0


async def test_a_delayed_resume_catches_up_only_to_where_the_view_stands(served: Served) -> None:
    ticks = Ticks(served.db)
    await asyncio.sleep(DELAY + 1.0)
    async with served.ws("/api/v2/ws", "lagged") as ws:
        await ws.send(json.dumps({"action": "subscribe", "id": "m", "channel": "markets"}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        while ack.get("type") != "subscribed":
            ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        start = int(ack["sequence"])
        assert ticks.received(start) <= time.time() - DELAY
        params = {"resume_from": max(1, start - 40), "epoch": ack["epoch"]}
        await ws.send(
            json.dumps({"action": "subscribe", "id": "r", "channel": "markets", "params": params})
        )
        caught_up: list[tuple[float, dict[str, Any]]] = []
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if message.get("id") != "r":
                continue
            if message["type"] == "in_sync":
                in_sync = message
                break
            if message["type"] == "delta":
                caught_up.append((time.time(), message))
    assert caught_up
    for at, message in caught_up:
        assert ticks.received(message["sequence"]) <= at - DELAY
    assert ticks.received(int(in_sync["sequence"])) <= time.time() - DELAY
