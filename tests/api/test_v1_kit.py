"""The V1 tests' hub (a real Hub over SQLite, filled with known changes), and unit tests of
the pieces the V1 routes share: line ids and the sentinel arithmetic of deltas."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import KEY  # type: ignore[import-not-found]

from factories import OVER, START, UNDER, event_change, make_event, price, total
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.hub import Hub, HubSettings
from oddswire.model import Event, ParticipantType, PriceChange, PriceStatus
from oddswire.refdata import DRAW, load_catalog
from oddswire.store.sqlite import SqliteTickStore
from oddswire.wire.therundown.v1_ids import LineIdError, line_id, split_line_id
from oddswire.wire.therundown.v1_quotes import figures

H = {"X-TheRundown-Key": KEY}
DAY = "2026-11-22"
PULLED = PriceStatus.OFF_BOARD


@dataclass
class V1Api:
    client: httpx.AsyncClient
    hub: Hub
    game: Event  # NBA, with every kind of line
    soccer: Event  # MLS, three-way moneyline
    later: list[Event] = field(default_factory=list)  # NBA games on the following days

    async def get(self, path: str, status: int = 200, **params: str) -> Any:
        r = await self.client.get(path, params=params, headers=H)
        assert r.status_code == status, r.text
        return r.json()

    async def move(self, *changes: PriceChange) -> None:
        await self.hub.submit(list(changes))
        await self.hub.store.flush()


def team_total(game: Event, team: int, side: str, number: str, **kw: Any) -> PriceChange:
    return price(game, market_id=94, participant_id=team, line=f"{side} {number}", **kw)


def nba_lines(game: Event) -> list[PriceChange]:
    away, home = game.away_team_id, game.home_team_id
    return [
        price(game, participant_id=away, affiliate_id=19, american=150),
        price(game, participant_id=home, affiliate_id=19, american=-175),
        price(game, participant_id=away, affiliate_id=23, american=250),
        price(game, participant_id=home, affiliate_id=23, american=-310),
        # spreads: the main -4.5/+4.5, alternates -5.5/+5.5 and a lone -3.5
        price(game, market_id=2, participant_id=home, line="-4.5", american=-110),
        price(game, market_id=2, participant_id=away, line="4.5", american=-110),
        price(game, market_id=2, participant_id=home, line="-5.5", american=105, main=False),
        price(game, market_id=2, participant_id=away, line="5.5", american=-125, main=False),
        price(game, market_id=2, participant_id=home, line="-3.5", american=-130, main=False),
        # totals: main 224.5, an alternate 230.5, a closed former main 228.5
        total(game, OVER, affiliate_id=19, american=-112),
        total(game, UNDER, affiliate_id=19, american=-108),
        total(game, OVER, line="230.5", affiliate_id=19, american=160, main=False),
        total(game, UNDER, line="230.5", affiliate_id=19, american=-190, main=False),
        total(game, OVER, line="228.5", affiliate_id=19, american=-105, status=PriceStatus.CLOSED),
        team_total(game, home, "Over", "112.5", american=-115),
        team_total(game, home, "Under", "112.5", american=-105),
        team_total(game, away, "Over", "108.5", american=-110),
        team_total(game, away, "Under", "108.5", american=-110),
        # first half and live full game
        price(game, market_id=4, period_id=1, participant_id=away, american=140),
        price(game, market_id=4, period_id=1, participant_id=home, american=-160),
        price(game, market_id=5, period_id=1, participant_id=home, line="-2.5", american=-110),
        price(game, market_id=41, period_id=7, participant_id=home, american=-190),
        # a player prop, which V1 lines leave out
        price(
            game,
            market_id=29,
            participant_id=1_400_201,
            participant_type=ParticipantType.PLAYER,
            line="Over 24.5",
            american=-115,
        ),
    ]


def soccer_lines(game: Event) -> list[PriceChange]:
    away, home = game.away_team_id, game.home_team_id
    return [
        price(game, participant_id=away, affiliate_id=19, american=210),
        price(game, participant_id=home, affiliate_id=19, american=120),
        price(
            game,
            participant_id=DRAW,
            participant_type=ParticipantType.RESULT,
            affiliate_id=19,
            american=230,
        ),
        price(game, participant_id=away, affiliate_id=22, american=200),
        price(game, participant_id=home, affiliate_id=22, american=125),
    ]


@asynccontextmanager
async def v1_hub(tmp_path: Path) -> AsyncIterator[V1Api]:
    store = SqliteTickStore(str(tmp_path / "v1.db"))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    game = make_event()
    soccer = make_event(sport_id=10, away=10001, home=10002)
    later = [
        make_event(away=4000 + i, home=4010 + i, start=START + timedelta(days=i)) for i in (1, 2, 3)
    ]
    await hub.submit([event_change(e) for e in (game, soccer, *later)])
    await hub.submit(nba_lines(game) + soccer_lines(soccer))
    # moves: DraftKings' moneyline both ways, FanDuel pulls its -310 home price
    await hub.submit(
        [
            price(game, participant_id=game.away_team_id, affiliate_id=19, american=160),
            price(game, participant_id=game.home_team_id, affiliate_id=19, american=-185),
            price(
                game, participant_id=game.home_team_id, affiliate_id=23, american=0, status=PULLED
            ),
        ]
    )
    await store.flush()
    app = create_app(hub, KeyRing([KEY]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield V1Api(client, hub, game, soccer, later)
    await hub.stop()


# ------------------------------------------------------------------ unit tests


@pytest.mark.parametrize(("ref", "period", "book"), [(1, 0, 19), (7, 18, 255), (10**9, 7, 0)])
def test_line_id_round_trip(ref: int, period: int, book: int) -> None:
    value = line_id(ref, period, book)
    assert value == ref * 65536 + period * 256 + book
    found = split_line_id(value)
    assert (found.event_ref, found.period_id, found.affiliate_id) == (ref, period, book)


@pytest.mark.parametrize("value", [-1, 0, 65535, 2**53])
def test_line_id_rejects_what_it_never_issues(value: int) -> None:
    with pytest.raises(LineIdError):
        split_line_id(value)
    with pytest.raises(ValueError, match="no line id"):
        line_id(1, 256, 19)


def test_sentinel_takes_part_in_delta_arithmetic() -> None:
    pulled = figures({"moneyline_home": 0.0001}, {"moneyline_home": -310})
    assert pulled == {"moneyline_home": 0.0001, "moneyline_home_delta": 310.0001}
    spread = figures({"point_spread_away": 0.0001}, {"point_spread_away": 1.5})
    assert spread["point_spread_away_delta"] == -1.4999
    moved = figures({"moneyline_away": 160.0}, {"moneyline_away": 150.0})
    assert moved["moneyline_away_delta"] == 10
    assert isinstance(moved["moneyline_away"], int)
    assert figures({"moneyline_draw": 0.0001}, {})["moneyline_draw_delta"] == 0
