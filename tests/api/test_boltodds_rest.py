"""BoltOdds' discovery routes: /api/get_info, /api/get_games, /api/get_markets."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

from factories import event_change, make_event, price
from oddswire.model import PriceStatus
from oddswire.model.event import EventStatus
from oddswire.wire.boltodds.discovery import GamesResponse, InfoResponse, MarketsResponse

CLOSED = PriceStatus.CLOSED
GAME = "Los Angeles Lakers vs Boston Celtics, 2026-11-21, 07"


async def get(api: Api, path: str, status: int = 200, **params: str) -> Any:
    r = await api.client.get(path, params={"key": KEY, **params})
    assert r.status_code == status, r.text
    return r.json()


async def test_get_info_lists_the_names_subscriptions_take(api: Api) -> None:
    info = await get(api, "/api/get_info")
    msgspec.convert(info, InfoResponse)
    assert {"NBA", "NFL", "MLB", "NHL", "EPL", "NCAAB", "Formula 1"} <= set(info["sports"])
    books = info["sportsbooks"]
    assert {"draftkings", "fanduel", "betmgm", "pinnacle", "thescore", "hardrock"} <= set(books)
    assert "5dimes" not in books  # defunct books keep their ids but are not offered
    assert books == sorted(books) and info["sports"] == sorted(info["sports"])


async def test_get_games_is_keyed_by_game_string(api: Api) -> None:
    games = await get(api, "/api/get_games")
    msgspec.convert(games, GamesResponse)
    game = api.game
    assert games == {
        GAME: {
            "sport": "NBA",
            "game": GAME,
            "when": "2026-11-21, 07:30 PM",
            "orig_teams": "Los Angeles Lakers vs Boston Celtics",
            "universal_id": game.event_id,
            "last_updated": None,
            "type": "prematch",
            "link": None,
            "id": int(game.event_id[:13], 16),
            "home_team": "Los Angeles Lakers",
            "away_team": "Boston Celtics",
            "status": "STATUS_SCHEDULED",
            "score": "0-0",
        }
    }


async def test_get_games_drops_games_that_are_over_and_keeps_names_unique(api: Api) -> None:
    final = make_event(away=4003, home=4015, status=EventStatus.FINAL)
    twin = make_event(start=api.game.event_date.replace(minute=45))  # same teams, same hour
    await api.hub.submit([event_change(final), event_change(twin)])
    games = await get(api, "/api/get_games")
    assert sorted(games) == [GAME, f"{GAME}, {twin.event_id[:12]}"]
    assert games[f"{GAME}, {twin.event_id[:12]}"]["universal_id"] == twin.event_id


async def test_get_markets_by_sport_and_book(api: Api) -> None:
    every = await get(api, "/api/get_markets")
    msgspec.convert(every, MarketsResponse)
    assert every == {
        "NBA": {
            "draftkings": ["Live Moneyline", "Moneyline", "Player Points", "Spread", "Total"],
            "fanduel": ["Moneyline"],
        }
    }
    picked = await get(api, "/api/get_markets", sports="NBA,MLB", sportsbooks="fanduel,betmgm")
    assert picked == {
        "MLB": {"betmgm": [], "fanduel": []},
        "NBA": {"betmgm": [], "fanduel": ["Moneyline"]},
    }


async def test_get_markets_leaves_out_closed_lines(api: Api) -> None:
    await api.hub.submit([price(api.game, affiliate_id=23, american=-170, status=CLOSED)])
    await api.hub.submit(
        [price(api.game, participant_id=api.game.away_team_id, affiliate_id=23, status=CLOSED)]
    )
    assert await get(api, "/api/get_markets", sportsbooks="fanduel") == {"NBA": {"fanduel": []}}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sports": "NBA,Curling"}, "sports: unknown 'Curling'; see /api/get_info"),
        ({"sportsbooks": "DraftKings"}, "sportsbooks: unknown 'DraftKings'; see /api/get_info"),
    ],
)
async def test_get_markets_refuses_unknown_names(
    api: Api, params: dict[str, str], message: str
) -> None:
    assert await get(api, "/api/get_markets", 400, **params) == {"error": message}


@pytest.mark.parametrize("path", ["/api/get_info", "/api/get_games", "/api/get_markets"])
async def test_the_routes_need_a_key(api: Api, path: str) -> None:
    r = await api.client.get(path)
    assert r.status_code == 401 and "error" in r.json()
    r = await api.client.get(path, headers={"X-TheRundown-Key": KEY})
    assert r.status_code == 200


async def test_the_routes_are_in_the_openapi_document(api: Api) -> None:
    spec = await get(api, "/openapi.json")
    for path in ("/api/get_info", "/api/get_games", "/api/get_markets"):
        assert "200" in spec["paths"][path]["get"]["responses"]
    params = spec["paths"]["/api/get_markets"]["get"]["parameters"]
    assert [p["name"] for p in params] == ["sports", "sportsbooks"]
