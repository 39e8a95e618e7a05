"""End to end: a real oddswire hub (the simulator, served over HTTP and WebSocket on a
real socket) is the upstream TheRundown, since it speaks TheRundown's API; a
TheRundownSource feeds a second, downstream hub from it. The downstream board must
hold the upstream's events (by teams and start) and, once the upstream stops moving,
the same prices for the followed markets and books, by polling and by streaming."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rundownkit import FAST, running, serve_app

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.board import Board
from oddswire.hub import Hub, HubSettings
from oddswire.model.change import PriceStatus
from oddswire.refdata import load_catalog
from oddswire.sim import SimSettings
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.simulator import SimulatorSource
from oddswire.sources.therundown import TheRundownSource
from oddswire.store.sqlite import SqliteTickStore

UPSTREAM_KEY = "upstream-hub-key-0b1d"
MARKETS = {1, 2, 3, 41, 42, 43}
BOOKS = {19, 23}

Game = tuple[int, int, int, datetime]
Row = tuple[Game, int, int, int, str, int]


class Upstream:
    def __init__(self, hub: Hub, url: str) -> None:
        self.hub = hub
        self.url = url

    async def freeze(self) -> None:
        """Stop the simulator; everything it said is committed (and served)."""
        for task in self.hub._tasks:
            if task.get_name() == "simulator":
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.hub.store.flush()


@contextlib.asynccontextmanager
async def upstream_hub() -> AsyncIterator[Upstream]:
    catalog = load_catalog()
    settings = SimSettings(
        seed=11, rate=600, sport_ids=[4], days_back=0, days_ahead=1, affiliate_ids=[19, 22, 23]
    )
    source = SimulatorSource(catalog, settings, datetime.now(UTC))
    quiet = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)
    with tempfile.TemporaryDirectory() as directory:
        hub = Hub(
            catalog, SqliteTickStore(f"{directory}/up.db", quick_check=False), [source], quiet
        )
        await hub.open()
        await hub.warm_up()
        hub.start()
        await hub.store.flush()
        app = create_app(hub, KeyRing([UPSTREAM_KEY]))
        try:
            async with serve_app(app) as url:
                yield Upstream(hub, url)
        finally:
            await app.state.ctx.fanout.stop()
            await hub.stop()


def followed_days() -> set[str]:
    today = datetime.now(UTC).date()
    return {today.isoformat(), (today + timedelta(days=1)).isoformat()}


def games(board: Board, days: set[str]) -> dict[Game, str]:
    out = {}
    for state in board.events(4):
        e = state.event
        start = e.event_date.replace(microsecond=0)
        if start.date().isoformat() in days:
            out[(e.sport_id, e.away_team_id, e.home_team_id, start)] = e.event_id
    return out


def prices(board: Board, days: set[str]) -> dict[Row, tuple[PriceStatus, float | None]]:
    ids = {event_id: game for game, event_id in games(board, days).items()}
    out: dict[Row, tuple[PriceStatus, float | None]] = {}
    for line, book, state in board.iter_prices():
        game = ids.get(line.event.event.event_id)
        if game is None or line.market_id not in MARKETS or book not in BOOKS:
            continue
        key = (game, line.market_id, line.period_id, line.participant_id, line.line, book)
        out[key] = (state.status, state.price if state.status is PriceStatus.OPEN else None)
    return out


def differences(up: Board, down: Board, days: set[str]) -> list[str]:
    a, b = prices(up, days), prices(down, days)
    missing = [f"missing {k}: {a[k]}" for k in a.keys() - b.keys()]
    extra = [f"extra {k}: {b[k]}" for k in b.keys() - a.keys()]
    wrong = [f"{k}: up {a[k]} down {b[k]}" for k in a.keys() & b.keys() if a[k] != b[k]]
    return missing + extra + wrong


@pytest.mark.parametrize("mode", ["poll", "stream"])
async def test_a_downstream_hub_mirrors_an_upstream_hub(tmp_path: Path, mode: str) -> None:
    async with upstream_hub() as upstream:
        source = TheRundownSource(
            Resolver(load_catalog()),
            key=UPSTREAM_KEY,
            base_url=upstream.url,
            sports=[4],
            days=2,
            markets=[1, 2, 3],
            affiliates=sorted(BOOKS),
            mode=mode,
            poll_interval=0.1,
            tuning=replace(FAST, heartbeat_timeout=30.0),
        )
        async with running(tmp_path, source) as down:
            days = followed_days()
            up_games = games(upstream.hub.board, days)
            assert up_games, "the simulator scheduled no NBA games today or tomorrow"
            assert games(down.board, days).keys() == up_games.keys()
            assert prices(down.board, days), "nothing quoted downstream"
            moved_from = down.board.sequence
            await asyncio.sleep(1.0)  # live updates flow
            assert down.board.sequence > moved_from, "no live update reached downstream"
            await upstream.freeze()
            deadline = time.monotonic() + 10
            while differences(upstream.hub.board, down.board, days):
                if time.monotonic() > deadline:
                    problems = differences(upstream.hub.board, down.board, days)
                    raise AssertionError(f"{len(problems)} differences, e.g. {problems[:5]}")
                await asyncio.sleep(0.1)
            assert games(down.board, days).keys() == up_games.keys()
            source.refresh_health()
            assert source.health.detail["mode"] == mode
            assert source.health.connected
            if mode == "stream":
                assert source.stream_connects == 1
                assert source.rundown.stream_prices > 0
            assert source.resolver.quarantine.entries(kind="team") == []
