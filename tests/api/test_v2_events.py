"""``/api/v2/sports/{id}/events/{date}`` in TheRundown's V2 shape, with its filters."""

from __future__ import annotations

from typing import Any

import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

URL = "/api/v2/sports/4/events/2026-11-22"
H = {"X-TheRundown-Key": KEY}


async def events(api: Api, **params: str) -> list[dict[str, Any]]:
    r = await api.client.get(URL, params=params, headers=H)
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body["meta"]["delta_last_id"], str)
    return body["events"]  # type: ignore[no-any-return]


def market(event: dict[str, Any], market_id: int) -> dict[str, Any]:
    return next(m for m in event["markets"] if m["market_id"] == market_id)


async def test_event_shape(api: Api) -> None:
    (event,) = await events(api)
    assert event["event_id"] == api.game.event_id
    assert len(event["event_id"]) == 32
    assert event["event_date"] == "2026-11-22T00:30:00Z"
    away, home = event["teams"]
    assert away["is_away"] and not away["is_home"] and home["is_home"]
    assert away["team_id"] == api.game.away_team_id
    assert away["name"] and away["mascot"] and away["abbreviation"]
    assert "conference" in away and "division" in away
    assert event["score"]["event_status"] == "STATUS_SCHEDULED"
    assert event["schedule"]["season_type"] == "Regular Season"
    assert " at " in event["schedule"]["event_name"]
    # default markets: 1, 2, 3 and their live variants; not props
    assert [m["market_id"] for m in event["markets"]] == [1, 2, 3, 41]
    ml = market(event, 1)
    assert ml["name"] == "moneyline"
    assert isinstance(ml["id"], int)
    away_p = next(p for p in ml["participants"] if p["id"] == api.game.away_team_id)
    assert away_p["type"] == "TYPE_TEAM"
    assert away_p["name"] == f"{away['name']} {away['mascot']}".strip()
    (line,) = away_p["lines"]
    assert line["value"] == ""
    assert len(line["id"]) == 32
    dk = line["prices"]["19"]
    assert dk["price"] == 150 and isinstance(dk["price"], int)
    assert dk["is_main_line"] is True
    assert dk["updated_at"].endswith("Z")
    assert dk["id"].isdigit()
    assert line["prices"]["23"]["price"] == 0.0001  # off the board, TheRundown's sentinel


async def test_totals_closed_lines_carry_closed_at(api: Api) -> None:
    (event,) = await events(api)
    totals = market(event, 3)
    over = next(p for p in totals["participants"] if p["name"] == "Over")
    assert over["type"] == "TYPE_RESULT"
    closed = next(line for line in over["lines"] if line["value"] == "230.5")
    assert "closed_at" in closed["prices"]["19"]
    (hidden,) = await events(api, hide_closed="true")
    over = next(p for p in market(hidden, 3)["participants"] if p["name"] == "Over")
    assert [line["value"] for line in over["lines"]] == ["224.5"]


async def test_filters(api: Api) -> None:
    (main,) = await events(api, main_line="true")
    spread_lines = [line["value"] for p in market(main, 2)["participants"] for line in p["lines"]]
    assert sorted(spread_lines) == ["-4.5", "4.5"]
    (dk_only,) = await events(api, affiliate_ids="19")
    prices = [
        a
        for m in dk_only["markets"]
        for p in m["participants"]
        for line in p["lines"]
        for a in line["prices"]
    ]
    assert set(prices) == {"19"}
    (scores,) = await events(api, affiliate_ids="0")
    assert scores["markets"] == []
    (props,) = await events(api, market_ids="29")
    (player,) = market(props, 29)["participants"]
    assert player["type"] == "TYPE_PLAYER"
    assert player["lines"][0]["value"] == "Over 24.5"
    (teams_only,) = await events(api, participant_type="TYPE_RESULT")
    assert [m["market_id"] for m in teams_only["markets"]] == [3]
    assert await events(api, event_status="STATUS_FINAL") == []
    assert await events(api, hide_no_markets="true", affiliate_ids="999") == []
    # late games land on the previous day in US Central
    r = await api.client.get(
        "/api/v2/sports/4/events/2026-11-21", params={"offset": "300"}, headers=H
    )
    assert len(r.json()["events"]) == 1


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        (URL, {"market_ids": ",".join(str(i) for i in range(1, 14))}, 400, "at most 12"),
        (URL, {"market_ids": "1,x"}, 400, "not an integer"),
        (URL, {"offset": "900"}, 400, "offset"),
        (URL, {"offset": "east"}, 400, "offset"),
        (URL, {"main_line": "perhaps"}, 400, "main_line"),
        (URL, {"participant_type": "TYPE_COACH"}, 400, "participant_type"),
        (URL, {"event_status": "STATUS_NAPPING"}, 400, "unknown status"),
        ("/api/v2/sports/4/events/yesterday", {}, 400, "not a date"),
        ("/api/v2/sports/4/events/2026-02-30", {}, 400, "not a date"),
        ("/api/v2/sports/999/events/2026-11-22", {}, 404, "unknown sport_id"),
        ("/api/v2/sports/abc/events/2026-11-22", {}, 400, "sport_id"),
        ("/api/v2/nothing/here", {}, 404, "Not Found"),
    ],
)
async def test_bad_requests_get_the_error_envelope(
    api: Api, path: str, params: dict[str, str], status: int, message: str
) -> None:
    r = await api.client.get(path, params=params, headers=H)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/json"
    assert message in r.json()["error"]


async def test_epoch_dates_are_accepted(api: Api) -> None:
    r = await api.client.get(
        "/api/v2/sports/4/events/1795348800", headers=H
    )  # 2026-11-22 12:00 UTC
    assert r.status_code == 200
    assert len(r.json()["events"]) == 1


async def test_v1_v2_path_alias(api: Api) -> None:
    r = await api.client.get("/api/v1/v2/sports/4/events/2026-11-22", headers=H)
    assert r.status_code == 200
    assert len(r.json()["events"]) == 1


async def test_seed_display_code_prints_real_values(api: Api) -> None:
    """The "Getting Events with Odds" loop of seed 000, unchanged but for the client."""
    r = await api.client.get(
        URL,
        headers=H,
        params={"market_ids": "1,2,3", "affiliate_ids": "19,23", "main_line": "true"},
    )
    data = r.json()
    out: list[str] = []
    for event in data["events"]:
        away = event["teams"][0]["name"]
        home = event["teams"][1]["name"]
        out.append(f"\n{away} @ {home}")
        for m in event.get("markets", []):
            out.append(f"  {m['name']}:")
            for participant in m["participants"]:
                for line in participant["lines"]:
                    for aff_id, price in line["prices"].items():
                        p = price["price"]
                        display = "N/A" if p == 0.0001 else f"{p:+d}" if p > 0 else str(int(p))
                        line_val = f" ({line['value']})" if line.get("value") else ""
                        out.append(f"    {participant['name']}{line_val}: {display} @ {aff_id}")
    text = "\n".join(out)
    assert "N/A @ 23" in text
    assert "+150 @ 19" in text
    assert "-175 @ 19" in text
    assert "(-4.5): -110 @ 19" in text
