"""V2 discovery and reference routes, the retired routes, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]
from starlette.routing import Route

H = {"X-TheRundown-Key": KEY}


async def get(api: Api, path: str, status: int = 200, **params: str) -> Any:
    r = await api.client.get(path, params=params, headers=H)
    assert r.status_code == status, r.text
    return r.json()


async def test_dates(api: Api) -> None:
    assert await get(api, "/api/v2/sports/4/dates") == {"dates": ["2026-11-22T00:30:00+0000"]}
    epoch = await get(api, "/api/v2/sports/4/dates", format="epoch")
    assert epoch["dates"] == [int(api.game.event_date.timestamp())]
    every = await get(api, "/api/v2/sports/dates")
    assert every == {"4": {"dates": ["2026-11-22T00:30:00+0000"]}}
    assert await get(api, "/api/v2/sports/dates", sport_ids="2") == {"2": {"dates": []}}
    await get(api, "/api/v2/sports/dates", 400, sport_ids="999")
    await get(api, "/api/v2/sports/4/dates", 400, format="roman")


async def test_event_ids_and_markets_by_day(api: Api) -> None:
    assert await get(api, "/api/v2/sports/events/2026-11-22") == {"4": [api.game.event_id]}
    day = await get(api, "/api/v2/sports/4/markets/2026-11-22")
    ids = sorted(m["id"] for m in day["4"])
    assert ids == [1, 2, 3, 29, 41]
    assert {"name", "description", "period_id", "live_variant_id", "updated_at"} <= set(day["4"][0])
    open_only = await get(api, "/api/v2/sports/4/markets/2026-11-22", hide_closed_markets="1")
    assert 3 in [m["id"] for m in open_only["4"]]
    assert (await get(api, "/api/v2/sports/markets/2026-11-22", market_ids="1"))["4"][0]["id"] == 1
    event_markets = await get(api, f"/api/v2/events/{api.game.event_id}/markets")
    assert sorted(m["id"] for m in event_markets) == [1, 2, 3, 29, 41]


async def test_participants(api: Api) -> None:
    body = await get(api, "/api/v2/markets/participants", event_id=api.game.event_id)
    rows = body["participants"]
    assert {(r["market_id"], r["type"]) for r in rows} == {
        (1, "TYPE_TEAM"),
        (2, "TYPE_TEAM"),
        (3, "TYPE_RESULT"),
    }
    team = next(r for r in rows if r["market_id"] == 1 and r["id"] == api.game.home_team_id)
    assert team["team_id"] == api.game.home_team_id
    props = await get(
        api, "/api/v2/markets/participants", event_id=api.game.event_id, market_ids="29"
    )
    assert props["participants"][0]["type"] == "TYPE_PLAYER"
    await get(api, "/api/v2/markets/participants", 400)
    await get(api, "/api/v2/markets/participants", 404, event_id="nope")


async def test_reference(api: Api) -> None:
    season_types = (await get(api, "/api/v2/season_types"))["season_types"]
    assert {
        "sport_id": 4,
        "sport_name": "NBA",
        "season_type_id": 2,
        "season_type_name": "Regular Season",
    } in season_types
    teams = (await get(api, "/api/v2/sports/4/teams"))["teams"]
    assert len(teams) == 30
    assert {"team_id", "name", "mascot", "abbreviation", "conference", "division"} <= set(teams[0])
    conferences = (await get(api, "/api/v2/sports/4/conferences"))["conferences"]
    assert {c["name"] for c in conferences} == {"Eastern Conference", "Western Conference"}
    divisions = (await get(api, "/api/v2/sports/2/divisions"))["divisions"]
    assert len(divisions) == 8
    team = await get(api, f"/api/v2/teams/{api.game.home_team_id}/")
    assert team["teams"][0]["team_id"] == api.game.home_team_id
    await get(api, "/api/v2/teams/99999999/", 404)
    await get(api, "/api/v2/teams/abc/", 400)
    players = await get(api, f"/api/v2/teams/{api.game.home_team_id}/players")
    assert isinstance(players["players"], list)
    await get(api, "/api/v2/players/1", 404)
    catalogue = await get(api, "/api/v2/markets")
    assert len(catalogue) > 100
    assert next(m for m in catalogue if m["id"] == 1)["live_variant_id"] == 41
    await get(api, "/api/v2/sports/999/teams", 404)


@pytest.mark.parametrize(
    "path", ["/api/v1/hedge", "/api/v1/hedge/top", "/api/v1/hedge/event/abc", "/api/v1/v2/hedge/7"]
)
async def test_retired_hedge_routes_are_gone(api: Api, path: str) -> None:
    body = await get(api, path, 410)
    assert "retired" in body["error"]


async def test_openapi_describes_every_route(api: Api) -> None:
    r = await api.client.get("/openapi.json")  # public
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"] == "3.1.0"
    served = {  # HTTP routes: the WebSocket ones are in docs/streaming.md
        route.path
        for route in api.client._transport.app.routes  # type: ignore[attr-defined]
        if isinstance(route, Route)
    }
    documented = set(spec["paths"])
    missing = {p for p in served if p.startswith("/api/")} - documented
    assert not missing
    events = spec["paths"]["/api/v2/sports/{sport_id}/events/{date}"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert {"offset", "market_ids", "affiliate_ids", "main_line", "hide_closed", "include"} <= names
    assert set(events["responses"]) >= {"200", "400", "401", "404"}
    assert spec["paths"]["/api/v2/sports"]["get"]["security"] == []
    assert "EventsResponse" in spec["components"]["schemas"]
