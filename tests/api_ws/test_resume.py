"""Resume on /api/v2/ws: after any number of cut connections a client ends with the
hub's board, having seen every change once (exact replay) or every key's latest state
(conflated catch-up), never a duplicate."""

from __future__ import annotations

import asyncio
import contextlib
import random
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection
from wskit import (  # type: ignore[import-not-found]
    LiveServer,
    drain,
    is_type,
    receive,
    receive_until,
    send,
    serve_hub,
    subscribe,
)

from factories import event_change, make_event, price
from oddswire.hub import HubSettings
from oddswire.model import PriceStatus
from oddswire.model.event import EventStatus
from oddswire.wire.therundown.common import american_text

WS = "/api/v2/ws"
Key = tuple[str, int, int, int, str, int]


class Client:
    """A resuming client: its own board, cursors per subscription, every sequence seen."""

    def __init__(self) -> None:
        self.prices: dict[Key, tuple[str, bool]] = {}
        self.events: dict[str, str] = {}
        self.cursor = {"m": 0, "s": 0}
        self.seen: list[int] = []
        self.replays: list[str] = []

    def apply(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "in_sync":
            self.replays.append(message["replay"])
            self.cursor[message["id"]] = max(self.cursor[message["id"]], message["sequence"])
            return
        if kind != "delta":
            return
        self.seen.append(message["sequence"])
        self.cursor[message["id"]] = message["sequence"]
        body = message["data"]["data"]
        if message["id"] == "s":
            self.events[body["event_id"]] = body["event_status"]
            return
        key = (
            body["event_id"],
            body["market_id"],
            body["period_id"],
            body["normalized_market_participant_id"],
            body["line"],
            body["affiliate_id"],
        )
        self.prices[key] = (body["price"], body["closed"])

    async def connect(self, live: LiveServer) -> ClientConnection:
        ws = await live.connect(WS)
        for sub_id, channel in (("m", "markets"), ("s", "scores")):
            params = {"resume_from": self.cursor[sub_id]}
            await send(ws, action="subscribe", id=sub_id, channel=channel, params=params)
            # the ack, the catch-up, in_sync (and the other subscription's live deltas)
            for message in await receive_until(
                ws, lambda m, i=sub_id: m.get("type") == "in_sync" and m["id"] == i, timeout=20
            ):
                self.apply(message)
        return ws  # type: ignore[no-any-return]


def hub_board(live: LiveServer) -> tuple[dict[Key, tuple[str, bool]], dict[str, str]]:
    prices: dict[Key, tuple[str, bool]] = {}
    for line, affiliate_id, state in live.hub.board.iter_prices():
        text = "0.0001" if state.status == PriceStatus.OFF_BOARD else american_text(state.price)
        key = (
            line.event.event.event_id,
            line.market_id,
            line.period_id,
            line.participant_id,
            line.line,
            affiliate_id,
        )
        prices[key] = (text, state.status == PriceStatus.CLOSED)
    events = {s.event.event_id: s.event.score.event_status.value for s in live.hub.board.events()}
    return prices, events


async def feed(live: LiveServer, rounds: int, seed: int) -> None:
    """Random price moves (and now and then an event change) on two games."""
    rng = random.Random(seed)
    games = [make_event(), make_event(away=4003, home=4015)]
    await live.submit([event_change(g) for g in games])
    for n in range(rounds):
        batch = []
        for _ in range(rng.randint(1, 12)):
            game = rng.choice(games)
            status = PriceStatus.OFF_BOARD if rng.random() < 0.05 else PriceStatus.OPEN
            batch.append(
                price(
                    game,
                    participant_id=rng.choice((game.away_team_id, game.home_team_id)),
                    affiliate_id=rng.choice((3, 19, 23, 22)),
                    american=rng.choice((-130, -120, -110, 100, 110, 125)),
                    status=status,
                )
            )
        if n % 25 == 0:
            game = rng.choice(games)
            status = rng.choice((EventStatus.SCHEDULED, EventStatus.IN_PROGRESS))
            batch.append(
                event_change(
                    make_event(
                        away=game.away_team_id, home=game.home_team_id, status=status, score_home=n
                    )
                )
            )
        await live.hub.submit(batch)
        await asyncio.sleep(rng.uniform(0, 0.004))
    await live.hub.store.flush()


async def run_with_cuts(live: LiveServer, cuts: int, seed: int) -> Client:
    rng = random.Random(seed)
    client = Client()
    feeder = asyncio.create_task(feed(live, 600, seed))
    for _ in range(cuts):
        ws = await client.connect(live)
        for _ in range(rng.randint(1, 60)):
            try:
                client.apply(await receive(ws, 1.0))
            except TimeoutError:
                break
        ws.transport.abort()  # a cut, not a close: the server finds out on its own
        await asyncio.sleep(rng.uniform(0, 0.02))
    await feeder
    ws = await client.connect(live)
    await asyncio.sleep(0.1)
    for message in await drain(ws, 0.3):
        client.apply(message)
    await ws.close()
    return client


async def test_exact_resume_over_many_cuts_has_no_gap_and_no_duplicate(
    live: LiveServer,
) -> None:
    client = await run_with_cuts(live, cuts=25, seed=11)
    assert len(client.seen) == len(set(client.seen)), "a change arrived twice"
    last = live.hub.board.sequence
    assert sorted(client.seen) == list(range(1, last + 1)), "a change is missing"
    assert set(client.replays) == {"exact"}
    assert (client.prices, client.events) == hub_board(live)


async def test_conflated_resume_ends_in_the_hubs_state(tmp_path: Path) -> None:
    settings = HubSettings(checkpoint_interval=0, prune_interval=0, changelog_changes=20)
    async with serve_hub(tmp_path / "c.db", settings) as live:
        client = await run_with_cuts(live, cuts=12, seed=5)
        assert "conflated" in client.replays
        assert len(client.seen) == len(set(client.seen))
        assert (client.prices, client.events) == hub_board(live)


async def test_resume_errors(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), price(game)])
    ahead = live.ctx.fanout.published + 100
    async with live.connect(WS) as ws:
        await send(ws, action="subscribe", id="a", channel="markets", params={"resume_from": ahead})
        too_new = await receive(ws)
        await send(
            ws,
            action="subscribe",
            id="b",
            channel="markets",
            params={"resume_from": 0, "epoch": "0" * 32},
        )
        other_store = await receive(ws)
        await send(
            ws,
            action="subscribe",
            id="c",
            channel="markets",
            params={"resume_from": 0, "snapshot": True, "event_ids": [game.event_id]},
        )
        both = await receive(ws)
    assert too_new["code"] == "bad_request" and "ahead" in too_new["message"]
    assert other_store["code"] == "stale_cursor"
    assert both["code"] == "bad_request"


async def test_a_cursor_older_than_the_window_is_refused(tmp_path: Path) -> None:
    settings = HubSettings(checkpoint_interval=0, prune_interval=0, resume_window_hours=0.5 / 3600)
    async with serve_hub(tmp_path / "w.db", settings) as live:
        game = make_event()
        for n in range(3):
            await live.submit([event_change(game), price(game, american=-110 - n)])
            await asyncio.sleep(1.05)
        await live.submit([price(game, american=-150)])
        async with live.connect(WS) as ws:
            await send(ws, action="subscribe", id="a", channel="markets", params={"resume_from": 1})
            stale = await receive(ws)
    assert stale["code"] == "stale_cursor" and "snapshot" in stale["message"]


async def test_heartbeats_carry_a_resume_cursor(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect(WS) as ws:
        await subscribe(ws, "a", sport_ids=[3])  # nothing of ours changes
        await live.submit([price(game)])
        live.ctx.fanout.heartbeat_now()
        (beat,) = await receive_until(ws, is_type("heartbeat"))
    assert beat["sequence"] == live.hub.board.sequence
    with contextlib.suppress(KeyError):
        assert beat["data"]["now"]
