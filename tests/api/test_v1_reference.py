"""V1 reference routes (sports, books, season types, teams, conferences, divisions, dates),
the schedule with its keyset cursor, and a sweep of malformed input over every V1 route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_v1_kit import V1Api, v1_hub  # type: ignore[import-not-found]

SCHEDULE = "/api/v1/sports/4/schedule"
ROW_KEYS = {
    "id",
    "event_uuid",
    "event_id",
    "sport_id",
    "season_type",
    "season_year",
    "away_team_id",
    "home_team_id",
    "away_team",
    "home_team",
    "date_event",
    "neutral_site",
    "conference_competition",
    "away_score",
    "home_score",
    "league_name",
    "event_name",
    "event_location",
    "attendance",
    "updated_at",
    "event_status",
    "event_status_detail",
}


@pytest.fixture
async def v1(tmp_path: Path) -> AsyncIterator[V1Api]:
    async with v1_hub(tmp_path) as api:
        yield api


async def test_public_reference(v1: V1Api) -> None:
    sports = await v1.client.get("/api/v1/sports")  # no key
    assert sports.status_code == 200
    assert {"sport_id": 4, "sport_name": "NBA"} in sports.json()["sports"]
    books = (await v1.client.get("/api/v1/affiliates")).json()["affiliates"]
    assert {"affiliate_id": 19, "affiliate_name": "DraftKings"}.items() <= books[
        [b["affiliate_id"] for b in books].index(19)
    ].items()
    assert all(set(b) == {"affiliate_id", "affiliate_name", "affiliate_url"} for b in books)
    regions = (await v1.client.get("/api/v1/sportsbooks?include=regions")).json()["affiliates"]
    assert [b["affiliate_id"] for b in regions] == [b["affiliate_id"] for b in books]
    assert all("regions" in b for b in regions)
    assert (await v1.client.get("/api/v1/season_types")).status_code == 401  # keyed


async def test_keyed_reference(v1: V1Api) -> None:
    season_types = (await v1.get("/api/v1/season_types"))["season_types"]
    assert {"sport_id": 4, "sport_name": "NBA", "season_type_id": 2}.items() <= next(
        s for s in season_types if s["sport_id"] == 4 and s["season_type_id"] == 2
    ).items()
    teams = (await v1.get("/api/v1/sports/4/teams"))["teams"]
    assert len(teams) == 30
    assert teams[1] == {
        "team_id": 4002,
        "name": "Boston",
        "mascot": "Celtics",
        "abbreviation": "BOS",
    }
    assert {
        c["conference_id"] for c in (await v1.get("/api/v1/sports/4/conferences"))["conferences"]
    } == {401, 402}
    divisions = (await v1.get("/api/v1/sports/4/divisions"))["divisions"]
    assert {"division_id", "conference_id", "sport_id", "name"} == set(divisions[0])
    for route in ("teams", "conferences", "divisions", "dates", "schedule"):
        assert await v1.get(f"/api/v1/sports/999/{route}", 404) == {"error": "unknown sport_id 999"}
        await v1.get(f"/api/v1/sports/nba/{route}", 400)


async def test_dates(v1: V1Api) -> None:
    iso = (await v1.get("/api/v1/sports/4/dates"))["dates"]
    assert iso[0] == "2026-11-22T00:30:00+0000" and len(iso) == 4
    assert (await v1.get("/api/v1/sports/4/dates", format="date"))["dates"] == iso  # 2021 SDK
    epochs = (await v1.get("/api/v1/sports/4/dates", format="epoch", offset="300"))["dates"]
    assert all(isinstance(d, int) for d in epochs)
    await v1.get("/api/v1/sports/4/dates", 400, format="julian")
    await v1.get("/api/v1/sports/4/dates", 400, offset="east")


async def test_schedule_rows(v1: V1Api) -> None:
    rows = (await v1.get(SCHEDULE))["schedules"]
    assert [r["event_id"] for r in rows] == [e.event_id for e in (v1.game, *v1.later)]
    first = rows[0]
    assert set(first) == ROW_KEYS  # no broadcast, no teams unless asked
    assert first["id"].isdigit()
    assert (first["away_team"], first["home_team"]) == ("Boston Celtics", "Los Angeles Lakers")
    assert first["date_event"] == "2026-11-22T00:30:00Z"
    assert first["season_type"] == "Regular Season" and first["league_name"] == "NBA"
    assert first["event_status"] == "STATUS_SCHEDULED"
    with_teams = (await v1.get(SCHEDULE, include_teams="true", limit="1"))["schedules"][0]
    away, home = with_teams["teams"]
    assert (away["team_id"], away["is_away"], home["is_home"]) == (4002, True, True)


async def test_schedule_keyset_paging(v1: V1Api) -> None:
    everything = [r["event_uuid"] for r in (await v1.get(SCHEDULE))["schedules"]]
    pages: list[list[str]] = []
    cursor: dict[str, str] = {}
    while True:
        page = (await v1.get(SCHEDULE, limit="3", **cursor))["schedules"]
        pages.append([r["event_uuid"] for r in page])
        if len(page) < 3:
            break
        cursor = {"last_event_uuid": page[-1]["event_uuid"]}
    assert [len(p) for p in pages] == [3, 1]
    assert [u for p in pages for u in p] == everything
    backwards = (await v1.get(SCHEDULE, sort="desc", limit="2"))["schedules"]
    assert [r["event_uuid"] for r in backwards] == everything[::-1][:2]
    rest = await v1.get(
        SCHEDULE, sort="desc", last_event_uuid=backwards[-1]["event_uuid"], limit="50"
    )
    assert [r["event_uuid"] for r in rest["schedules"]] == everything[::-1][2:]


async def test_schedule_filters(v1: V1Api) -> None:
    def ids(body: dict[str, list[dict[str, str]]]) -> list[str]:
        return [r["event_id"] for r in body["schedules"]]

    later = [e.event_id for e in v1.later]
    assert ids(await v1.get(SCHEDULE, **{"from": "2026-11-23"})) == later
    assert ids(await v1.get(SCHEDULE, sort="desc", **{"from": "2026-11-23"})) == [
        later[0],
        v1.game.event_id,
    ]
    assert ids(await v1.get(SCHEDULE, team_id="4014")) == [v1.game.event_id]
    assert ids(await v1.get(SCHEDULE, season_year="2025")) == []
    assert len(ids(await v1.get(SCHEDULE, season_year="2026", season_type_id="2"))) == 4
    catalog = v1.hub.catalog
    pacific = [
        e.event_id
        for e in (v1.game, *v1.later)
        if 455
        in (catalog.teams[e.away_team_id].division_id, catalog.teams[e.home_team_id].division_id)
    ]
    assert v1.game.event_id in pacific  # the Lakers
    assert ids(await v1.get(SCHEDULE, division_id="455")) == pacific
    assert len(ids(await v1.get(SCHEDULE, conference_id="401"))) == 4  # every away team: East


BAD_SCHEDULE = (
    {"limit": "0"},
    {"limit": "501"},
    {"limit": "lots"},
    {"from": "yesterday"},
    {"from": "2026-02-30"},
    {"sort": "sideways"},
    {"last_event_uuid": "not-a-uuid"},
    {"team_id": "lakers"},
    {"include_teams": "maybe"},
)


async def test_schedule_bad_input(v1: V1Api) -> None:
    for params in BAD_SCHEDULE:
        body = await v1.get(SCHEDULE, 400, **params)
        assert set(body) == {"error"}, params


GARBAGE = ["abc", "-1", "0", "99999999999999999999999999", "%00", "1e9", " ", "ä"]


async def test_malformed_input_is_never_a_server_error(v1: V1Api) -> None:
    event_id = v1.game.event_id
    paths = [
        "/api/v1/sports/{x}/teams",
        "/api/v1/sports/{x}/dates",
        "/api/v1/sports/{x}/schedule",
        "/api/v1/sports/{x}/events/2026-11-22",
        "/api/v1/sports/4/events/{x}",
        "/api/v1/sports/4/openers/{x}",
        "/api/v1/sports/4/closing/{x}",
        "/api/v1/events/{x}",
        f"/api/v1/events/{event_id}/lines/{{x}}",
        "/api/v1/lines/{x}/moneyline",
        "/api/v1/lines/{x}/team_total",
    ]
    queries = [
        "/api/v1/sports/4/schedule?limit={x}&from={x}&last_event_uuid={x}",
        "/api/v1/sports/4/events/2026-11-22?offset={x}&affiliate_ids={x}&include={x}",
        "/api/v1/lines/best?event_ids={x}&period={x}&affiliate_ids={x}",
        "/api/v1/delta?last_id={x}&sport_id={x}",
        "/api/v1/deltaV2?last_id={x}",
        f"/api/v1/events/{event_id}?affiliate_ids={{x}}&include={{x}}",
    ]
    for template in paths + queries:
        for x in GARBAGE:
            url = template.replace("{x}", x)
            r = await v1.client.get(url, headers={"X-TheRundown-Key": "test-key-0123456789"})
            assert r.status_code < 500, (url, r.text)
            assert r.headers["content-type"] == "application/json"
