"""V1 events (``/api/v1/sports/{id}/events/{date}``, openers, closing, one event, one line):
the seed-001 shape, the 0.0001 sentinel, deltas, extended lines and line periods."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from test_v1_kit import DAY, V1Api, v1_hub  # type: ignore[import-not-found]

EVENTS = f"/api/v1/sports/4/events/{DAY}"
SENTINEL = 0.0001

EVENT_KEYS = {
    "event_id",
    "event_uuid",
    "sport_id",
    "event_date",
    "rotation_number_away",
    "rotation_number_home",
    "score",
    "teams",
    "teams_normalized",
    "schedule",
    "lines",
}
SCHEDULE_KEYS = {
    "season_type",
    "season_year",
    "conference_competition",
    "conference_name",
    "league_name",
    "event_name",
    "attendance",
    "event_headline",
    "week",
    "week_name",
    "week_detail",
}
MONEYLINE_KEYS = {
    "line_id",
    "moneyline_away",
    "moneyline_away_delta",
    "moneyline_home",
    "moneyline_home_delta",
    "moneyline_draw",
    "moneyline_draw_delta",
    "date_updated",
    "format",
}
SPREAD_KEYS = {
    "line_id",
    "event_id",
    "affiliate_id",
    "date_updated",
    "format",
    *(
        f"point_spread_{side}{money}{delta}"
        for side in ("away", "home")
        for money in ("", "_money")
        for delta in ("", "_delta")
    ),
}
TOTAL_KEYS = {
    "line_id",
    "event_id",
    "affiliate_id",
    "date_updated",
    "format",
    *(
        f"total_{side}{money}{delta}"
        for side in ("over", "under")
        for money in ("", "_money")
        for delta in ("", "_delta")
    ),
}
TEAM_TOTAL_KEYS = {
    "line_id",
    "event_id",
    "affiliate_id",
    "date_updated",
    "format",
    *(
        f"team_total_{team}_{side}{money}{delta}"
        for team in ("away", "home")
        for side in ("over", "under")
        for money in ("", "_money")
        for delta in ("", "_delta")
    ),
}


@pytest.fixture
async def v1(tmp_path: Path) -> AsyncIterator[V1Api]:
    async with v1_hub(tmp_path) as api:
        yield api


async def day(v1: V1Api, path: str = EVENTS, **params: str) -> list[dict[str, Any]]:
    body = await v1.get(path, **params)
    assert set(body) == {"meta", "events"}
    assert len(body["meta"]["delta_last_id"]) == 36
    return body["events"]  # type: ignore[no-any-return]


def numbers_only(obj: dict[str, Any], keys: set[str]) -> None:
    for key in keys - {"line_id", "event_id", "affiliate_id", "date_updated", "format"}:
        assert isinstance(obj[key], int | float) and not isinstance(obj[key], bool), key


async def test_event_shape_follows_the_seed(v1: V1Api) -> None:
    (event,) = await day(v1)
    assert set(event) == EVENT_KEYS
    assert event["event_id"] == v1.game.event_id
    assert event["event_date"] == "2026-11-22T00:30:00Z"
    away, home = event["teams"]
    assert set(away) == {"team_id", "team_normalized_id", "name", "is_away", "is_home"}
    assert away["is_away"] and home["is_home"] and not home["is_away"]
    assert away["team_id"] == away["team_normalized_id"] == v1.game.away_team_id
    assert away["name"] == "Boston Celtics"  # the full name
    norm_away, norm_home = event["teams_normalized"]
    assert {"team_id", "name", "mascot", "abbreviation", "is_away", "is_home"} <= set(norm_away)
    assert (norm_away["name"], norm_away["mascot"]) == ("Boston", "Celtics")
    assert norm_away["conference"]["conference_id"] == 401
    assert norm_home["team_id"] == v1.game.home_team_id and norm_home["is_home"]
    assert set(event["schedule"]) <= SCHEDULE_KEYS
    assert event["schedule"]["league_name"] == "NBA"
    assert event["score"]["event_status"] == "STATUS_SCHEDULED"
    assert set(event["lines"]) == {"19", "23"}
    dk = event["lines"]["19"]
    assert set(dk) == {
        "line_id",
        "moneyline",
        "spread",
        "total",
        "team_total",
        "affiliate",
        "period_description",
    }  # no period_id for the full game
    assert dk["period_description"] == "PERIOD_FULL_GAME"
    assert dk["affiliate"] == {
        "affiliate_id": 19,
        "affiliate_name": "DraftKings",
        "affiliate_url": "https://sportsbook.draftkings.com",
    }
    assert set(dk["moneyline"]) == MONEYLINE_KEYS
    assert set(dk["spread"]) == SPREAD_KEYS | {"extended_spreads"}
    assert set(dk["total"]) == TOTAL_KEYS | {"extended_totals"}
    assert set(dk["team_total"]) == TEAM_TOTAL_KEYS
    for name, keys in (
        ("moneyline", MONEYLINE_KEYS),
        ("spread", SPREAD_KEYS),
        ("total", TOTAL_KEYS),
        ("team_total", TEAM_TOTAL_KEYS),
    ):
        numbers_only(dk[name], keys)
        assert dk[name]["line_id"] == dk["line_id"]
        assert dk[name]["format"] == "American"
        assert dk[name]["date_updated"].endswith("Z")
    assert dk["spread"]["event_id"] == v1.game.event_id and dk["spread"]["affiliate_id"] == 19
    assert "team_total" not in event["lines"]["23"]  # FanDuel has no team totals


async def test_sentinel_for_pulled_prices_and_missing_sides(v1: V1Api) -> None:
    (event,) = await day(v1)
    fd = event["lines"]["23"]
    assert fd["moneyline"]["moneyline_away"] == 250
    assert fd["moneyline"]["moneyline_home"] == SENTINEL  # pulled after -310
    assert fd["moneyline"]["moneyline_home_delta"] == 310.0001
    assert fd["moneyline"]["moneyline_draw"] == SENTINEL  # no draws in the NBA
    assert fd["moneyline"]["moneyline_draw_delta"] == 0
    # FanDuel quotes no spread: every figure is the sentinel, with no update time
    spread = fd["spread"]
    assert {
        spread[k] for k in SPREAD_KEYS if k.startswith("point_spread") and "delta" not in k
    } == {SENTINEL}
    assert spread["date_updated"] is None and "extended_spreads" not in spread

    (soccer,) = await day(v1, f"/api/v1/sports/10/events/{DAY}")
    assert soccer["lines"]["19"]["moneyline"]["moneyline_draw"] == 230
    assert soccer["lines"]["22"]["moneyline"]["moneyline_draw"] == SENTINEL  # no draw quoted


async def test_deltas_main_lines_and_extended_lines(v1: V1Api) -> None:
    (event,) = await day(v1)
    dk = event["lines"]["19"]
    ml = dk["moneyline"]
    assert (ml["moneyline_away"], ml["moneyline_away_delta"]) == (160, 10)
    assert (ml["moneyline_home"], ml["moneyline_home_delta"]) == (-185, -10)
    spread = dk["spread"]
    assert (spread["point_spread_home"], spread["point_spread_away"]) == (-4.5, 4.5)
    assert spread["point_spread_home_delta"] == 0  # the main line has not moved
    assert [
        (s["point_spread_home"], s["point_spread_home_money"], s["point_spread_away"])
        for s in spread["extended_spreads"]
    ] == [(-5.5, 105, 5.5), (-3.5, -130, SENTINEL)]  # -3.5 has no away side
    total = dk["total"]
    assert (total["total_over"], total["total_over_money"]) == (224.5, -112)  # not the closed 228.5
    assert [(t["total_over"], t["total_under_money"]) for t in total["extended_totals"]] == [
        (230.5, -190)
    ]
    tt = dk["team_total"]
    assert (tt["team_total_home_over"], tt["team_total_home_over_money"]) == (112.5, -115)
    assert (tt["team_total_away_under"], tt["team_total_away_under_money"]) == (108.5, -110)


async def test_line_periods_with_all_periods(v1: V1Api) -> None:
    (plain,) = await day(v1)
    assert "line_periods" not in plain
    (event,) = await day(v1, include="all_periods")
    assert event["lines"] == plain["lines"]
    periods = event["line_periods"]
    assert set(periods) == {"19", "23"}
    dk = periods["19"]
    assert set(dk) == {"period_full_game", "period_first_half", "period_live_full_game"}
    assert dk["period_full_game"] == plain["lines"]["19"]
    half = dk["period_first_half"]
    assert (half["period_id"], half["period_description"]) == (1, "PERIOD_FIRST_HALF")
    assert half["moneyline"]["moneyline_away"] == 140
    assert half["spread"]["point_spread_home"] == -2.5
    live = dk["period_live_full_game"]
    assert (live["period_id"], live["period_description"]) == (7, "PERIOD_LIVE_FULL_GAME")
    assert live["moneyline"]["moneyline_home"] == -190
    assert set(periods["23"]) == {"period_full_game"}
    # repeated and CSV include values; "scores" is accepted
    r = await v1.client.get(
        EVENTS,
        params=[("include", "scores"), ("include", "all_periods,scores")],
        headers={"X-TheRundown-Key": "test-key-0123456789"},
    )
    assert r.status_code == 200
    assert r.json()["events"][0]["line_periods"] == periods


async def test_one_event_and_line_id_round_trip(v1: V1Api) -> None:
    (from_day,) = await day(v1, include="all_periods")
    event = await v1.get(f"/api/v1/events/{v1.game.event_id}", include="all_periods")
    assert "meta" not in event and "events" not in event  # bare, not wrapped
    assert event == from_day
    only_fd = await v1.get(f"/api/v1/events/{v1.game.event_id}", affiliate_ids="23")
    assert set(only_fd["lines"]) == {"23"}

    ids = {
        (book, key): line["line_id"]
        for book, periods in event["line_periods"].items()
        for key, line in periods.items()
    }
    assert len(set(ids.values())) == len(ids)  # one id per book and period
    for (book, key), line_id in ids.items():
        found = await v1.get(
            f"/api/v1/events/{v1.game.event_id}/lines/{line_id}", include="all_periods"
        )
        assert set(found["lines"]) <= {book} and set(found["line_periods"]) == {book}
        assert found["line_periods"][book][key]["line_id"] == line_id
    assert ids[("19", "period_first_half")] - ids[("19", "period_full_game")] == 256
    assert ids[("23", "period_full_game")] - ids[("19", "period_full_game")] == 4

    other = (await day(v1, f"/api/v1/sports/10/events/{DAY}"))[0]["lines"]["19"]["line_id"]
    await v1.get(f"/api/v1/events/{v1.game.event_id}/lines/{other}", 404)  # another event's
    await v1.get(f"/api/v1/events/{v1.game.event_id}/lines/12", 404)
    await v1.get(f"/api/v1/events/{v1.game.event_id}/lines/abc", 400)


async def test_filters(v1: V1Api) -> None:
    (scores_only,) = await day(v1, affiliate_ids="0")
    assert scores_only["lines"] == {} and scores_only["score"]["event_status"]
    (dk,) = await day(v1, affiliate_ids="19")
    assert set(dk["lines"]) == {"19"}
    assert await day(v1, event_status="STATUS_FINAL") == []
    assert await day(v1, exclude_status="STATUS_SCHEDULED") == []
    assert len(await day(v1, conference_id="401")) == 1  # Boston is in the East
    assert len(await day(v1, division_id="455")) == 1  # the Lakers' Pacific
    assert await day(v1, division_id="452") == []
    (shifted,) = await day(v1, offset="720")  # 12 hours behind UTC: the 23rd's 00:30 game
    assert shifted["event_id"] == v1.later[0].event_id


async def test_openers_and_closing(v1: V1Api) -> None:
    (opened,) = await day(v1, f"/api/v1/sports/4/openers/{DAY}")
    ml = opened["lines"]["19"]["moneyline"]
    assert (ml["moneyline_away"], ml["moneyline_home"]) == (150, -175)
    assert ml["moneyline_away_delta"] == 0
    assert opened["lines"]["23"]["moneyline"]["moneyline_home"] == -310
    (closed,) = await day(v1, f"/api/v1/sports/4/closing/{DAY}", include="all_periods")
    ml = closed["lines"]["19"]["moneyline"]
    assert (ml["moneyline_away"], ml["moneyline_home"]) == (160, -185)
    assert closed["lines"]["23"]["moneyline"]["moneyline_home"] == -310  # the last open price
    assert "period_first_half" in closed["line_periods"]["19"]


BAD_INPUT = (
    (f"/api/v1/sports/4/events/{DAY}?event_status=STATUS_NOPE", 400),
    (f"/api/v1/sports/4/events/{DAY}?affiliate_ids=x", 400),
    (f"/api/v1/sports/4/events/{DAY}?conference_id=east", 400),
    (f"/api/v1/sports/4/events/{DAY}?offset=9999", 400),
    ("/api/v1/sports/4/events/2026-13-45", 400),
    ("/api/v1/sports/4/openers/tomorrow", 400),
    (f"/api/v1/sports/abc/closing/{DAY}", 400),
    (f"/api/v1/sports/999/events/{DAY}", 404),
)


async def test_bad_input(v1: V1Api) -> None:
    for path, status in BAD_INPUT:
        r = await v1.client.get(path, headers={"X-TheRundown-Key": "test-key-0123456789"})
        assert r.status_code == status, (path, r.text)
        assert set(r.json()) == {"error"}


async def test_unknown_event_is_not_found(v1: V1Api) -> None:
    assert await v1.get("/api/v1/events/0123456789abcdef", 404) == {"error": "Not Found"}
    assert await v1.get("/api/v1/events/nope/lines/65555", 404) == {"error": "Not Found"}
