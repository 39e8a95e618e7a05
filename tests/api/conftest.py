"""An API over a real hub and SQLite store, filled with known changes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

from factories import OVER, UNDER, event_change, make_event, price, total
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.hub import Hub, HubSettings
from oddswire.model import ParticipantType, PriceStatus
from oddswire.refdata import load_catalog
from oddswire.store.sqlite import SqliteTickStore


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    store = SqliteTickStore(str(tmp_path / "api.db"))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    game = make_event()  # an NBA game between two catalog teams
    await hub.submit(
        [
            event_change(game),
            price(game, participant_id=game.away_team_id, affiliate_id=19, american=150),
            price(game, participant_id=game.home_team_id, affiliate_id=19, american=-175),
            price(
                game,
                participant_id=game.away_team_id,
                affiliate_id=23,
                american=0,
                status=PriceStatus.OFF_BOARD,
            ),
            price(game, participant_id=game.home_team_id, affiliate_id=23, american=-170),
            price(
                game,
                market_id=2,
                participant_id=game.home_team_id,
                line="-4.5",
                affiliate_id=19,
                american=-110,
            ),
            price(
                game,
                market_id=2,
                participant_id=game.away_team_id,
                line="4.5",
                affiliate_id=19,
                american=-110,
            ),
            price(
                game,
                market_id=2,
                participant_id=game.home_team_id,
                line="-5.5",
                affiliate_id=19,
                american=105,
                main=False,
            ),
            total(game, OVER, affiliate_id=19, american=-112),
            total(game, UNDER, affiliate_id=19, american=-108),
            total(
                game, OVER, line="230.5", affiliate_id=19, american=160, status=PriceStatus.CLOSED
            ),
            price(
                game,
                market_id=29,
                participant_id=1_400_201,
                participant_type=ParticipantType.PLAYER,
                line="Over 24.5",
                affiliate_id=19,
                american=-115,
            ),
            price(
                game,
                market_id=41,
                period_id=7,
                participant_id=game.home_team_id,
                affiliate_id=19,
                american=-190,
            ),
        ]
    )
    await hub.store.flush()  # the cursors the tests take are committed sequences
    app = create_app(hub, KeyRing([KEY]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield Api(client, hub, game)
    await hub.stop()
