"""V2 history, openers/closing, best line and the two delta feeds over a real store."""

from __future__ import annotations

from typing import Any

import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

from factories import price
from oddswire.model import ParticipantType, PriceStatus

H = {"X-TheRundown-Key": KEY}


async def get(api: Api, path: str, status: int = 200, **params: str) -> Any:
    r = await api.client.get(path, params=params, headers=H)
    assert r.status_code == status, r.text
    return r.json()


async def move(api: Api, *changes: Any) -> None:
    await api.hub.submit(list(changes))
    await api.hub.store.flush()


async def test_history_series_and_price_ids(api: Api) -> None:
    game = api.game
    home = game.home_team_id
    await move(api, price(game, participant_id=home, affiliate_id=19, american=-180))
    await move(
        api,
        price(game, participant_id=home, affiliate_id=19, american=0, status=PriceStatus.OFF_BOARD),
    )
    await move(api, price(game, participant_id=home, affiliate_id=19, american=-190))
    body = await get(
        api, f"/api/v2/events/{game.event_id}/markets/history", market_ids="1", affiliate_ids="19"
    )
    rows = [r for r in body["history"] if r["market_participant_id"] == home]
    assert body["meta"] == {"event_id": game.event_id, "count": len(body["history"])}
    assert [(r["price"], r["previous_price"], r["change_type"]) for r in rows] == [
        ("-175", None, "new"),
        ("-180", "-175", "price_change"),
        ("0.0001", "-180", "price_change"),
        ("-190", "0.0001", "price_change"),
    ]
    assert all(isinstance(r["price"], str) for r in rows)
    assert rows[0]["id"] < rows[-1]["id"]
    newest = await get(
        api,
        f"/api/v2/events/{game.event_id}/markets/history",
        market_ids="1",
        affiliate_ids="19",
        limit="2",
    )
    assert [r["price"] for r in newest["history"]] == [
        "0.0001",
        "-190",
    ]  # the newest two, oldest first

    series = await get(
        api, f"/api/v2/events/{game.event_id}/markets/1/history", participant_id=str(home)
    )
    dk = series["series"]["19"]
    assert dk["affiliate_name"] == "DraftKings"
    assert [p["p"] for p in dk["data"]] == ["-175", "-180", "0.0001", "-190"]
    assert series["meta"]["market_name"] == "moneyline"

    event = (await get(api, f"/api/v2/events/{game.event_id}", market_ids="1"))["events"][0]
    line = next(p for p in event["markets"][0]["participants"] if p["id"] == home)["lines"][0]
    price_id = line["prices"]["19"]["id"]
    assert line["prices"]["19"]["price_delta"] == -10  # -190 after -180
    by_id = await get(api, "/api/v2/markets/history", market_line_price_ids=price_id)
    assert [r["price"] for r in by_id["history"]] == ["-175", "-180", "0.0001", "-190"]
    assert {r["market_line_price_id"] for r in by_id["history"]} == {price_id}
    # Another book's newer changes on the same line do not use up the limit.
    await move(api, price(game, participant_id=home, affiliate_id=23, american=-200))
    await move(api, price(game, participant_id=home, affiliate_id=23, american=-205))
    newest_two = await get(
        api, "/api/v2/markets/history", market_line_price_ids=price_id, limit="2"
    )
    assert [r["price"] for r in newest_two["history"]] == ["0.0001", "-190"]
    await get(api, "/api/v2/markets/history", 400)
    await get(
        api,
        "/api/v2/markets/history",
        400,
        market_line_price_ids=",".join(str(i) for i in range(1, 52)),
    )
    await get(api, f"/api/v2/events/{game.event_id}/markets/history", 400, limit="0")
    await get(api, f"/api/v2/events/{game.event_id}/markets/history", 400, limit="5001")
    await get(api, f"/api/v2/events/{game.event_id}/markets/history", 400, **{"from": "yesterday"})
    await get(api, "/api/v2/events/nope/markets/history", 404)


async def test_openers_closing_and_opening(api: Api) -> None:
    game = api.game
    home = game.home_team_id
    await move(
        api,
        price(
            game,
            participant_id=home,
            affiliate_id=19,
            american=-300,
            ts=game.event_date.timestamp() + 60,
        ),
    )
    current = (await get(api, f"/api/v2/events/{game.event_id}", market_ids="1"))["events"][0]
    opened = (await get(api, f"/api/v2/events/{game.event_id}/openers", market_ids="1"))["events"][
        0
    ]
    closed = (await get(api, f"/api/v2/events/{game.event_id}/closing", market_ids="1"))["events"][
        0
    ]

    def dk_home(event: dict[str, Any]) -> Any:
        p = next(p for p in event["markets"][0]["participants"] if p["id"] == home)
        return p["lines"][0]["prices"]["19"]["price"]

    assert dk_home(current) == -300  # after the start
    assert dk_home(opened) == -175
    assert dk_home(closed) == -175  # the last price at or before the scheduled start
    by_day = await get(api, "/api/v2/sports/4/openers/2026-11-22", market_ids="1")
    assert by_day["events"][0]["event_id"] == game.event_id
    opening = await get(api, f"/api/v2/events/{game.event_id}/markets/opening", market_ids="1")
    lines = opening["markets"]["1"]["lines"]
    assert lines[f"{home}:"]["prices"]["19"]["price"] == "-175"
    assert opening["meta"]["count"] == len([p for entry in lines.values() for p in entry["prices"]])


async def test_best_line(api: Api) -> None:
    game = api.game
    best = await get(api, f"/api/v2/events/{game.event_id}/best-line")
    ml = best["moneyline"]
    assert ml["moneyline_away"] == 150  # FanDuel's away price is off the board: DraftKings wins
    assert ml["best_affiliate_away"]["affiliate_id"] == 19
    assert ml["moneyline_home"] == -170  # FanDuel -170 beats DraftKings -175
    assert ml["best_affiliate_home"]["affiliate_name"] == "FanDuel"
    assert "moneyline_draw" not in ml  # not a sport with draws
    assert best["spread"]["point_spread_home"] == -4.5  # the main line, not the -5.5 alternate
    assert best["total"]["total_over"] == 224.5
    only_fd = await get(api, f"/api/v2/events/{game.event_id}/best-line", affiliate_ids="23")
    assert only_fd["moneyline"]["moneyline_away"] is None
    await get(api, f"/api/v2/events/{game.event_id}/best-line", 400, period="period_nonsense")


async def test_markets_delta(api: Api) -> None:
    game = api.game
    snapshot = await get(api, "/api/v2/sports/4/events/2026-11-22")
    cursor = snapshot["meta"]["delta_last_id"]
    assert cursor == str(api.hub.store.committed_sequence)
    for i in range(5):
        await move(api, price(game, affiliate_id=3, american=-150 - i))
    await move(
        api,
        price(
            game,
            market_id=3,
            participant_id=10,
            participant_type=ParticipantType.RESULT,
            line="224.5",
            affiliate_id=3,
            american=-105,
        ),
    )
    delta = await get(api, "/api/v2/markets/delta", last_id=cursor)
    assert delta["meta"]["count"] == 6
    assert delta["meta"]["has_more"] is False
    rows = delta["deltas"]
    assert [r["price"] for r in rows[:5]] == ["-150", "-151", "-152", "-153", "-154"]
    assert rows[0]["change_type"] == "new"
    assert rows[1]["previous_price"] == "-150"
    assert rows[0]["market_name"] == "moneyline"
    assert rows[0]["participant_type"] == "TYPE_TEAM"
    assert delta["meta"]["delta_last_id"] == str(rows[-1]["id"])
    # paging with has_more, then literal filters
    page = await get(api, "/api/v2/markets/delta", last_id=cursor, limit="2")
    assert page["meta"]["has_more"] is True
    assert page["meta"]["delta_last_id"] == str(page["deltas"][-1]["id"])
    rest = await get(api, "/api/v2/markets/delta", last_id=page["meta"]["delta_last_id"])
    assert [r["id"] for r in page["deltas"] + rest["deltas"]] == [r["id"] for r in rows]
    totals = await get(api, "/api/v2/markets/delta", last_id=cursor, market_ids="3")
    assert [r["market_id"] for r in totals["deltas"]] == [3]
    live = await get(api, "/api/v2/markets/delta", last_id=cursor, market_ids="41")
    assert live["deltas"] == []  # literal: 1 does not expand to 41 here
    nba_only = await get(api, "/api/v2/markets/delta", last_id=cursor, sport_id="2")
    assert nba_only["deltas"] == []
    assert nba_only["meta"]["delta_last_id"] == str(api.hub.store.committed_sequence)


async def test_markets_delta_falls_back_to_conflated_state(api: Api) -> None:
    game = api.game
    cursor = api.hub.store.committed_sequence
    await move(
        api, price(game, affiliate_id=3, american=-150), price(game, affiliate_id=3, american=-155)
    )
    api.hub.changelog.start_at(api.hub.board.sequence)  # the log no longer reaches back
    assert not api.hub.changelog.covers(cursor)
    delta = await get(api, "/api/v2/markets/delta", last_id=str(cursor))
    # one row per key, its current state (and what it replaced)
    assert [(r["price"], r["previous_price"]) for r in delta["deltas"]] == [("-155", "-150")]


@pytest.mark.parametrize(
    ("last_id", "message"),
    [
        (None, "last_id is required"),
        ("abc", "not an integer cursor"),
        ("0", "positive integer"),
        ("-5", "positive integer"),
        ("999999999999", "last_id not found, re-bootstrap from events endpoint"),
    ],
)
async def test_markets_delta_bad_cursors(api: Api, last_id: str | None, message: str) -> None:
    params = {} if last_id is None else {"last_id": last_id}
    body = await get(api, "/api/v2/markets/delta", 400, **params)
    assert message in body["error"]


async def test_stale_cursor(api: Api) -> None:
    log = api.hub.changelog
    log._samples.clear()
    log._samples.append((0.0, 10**9))  # "a day ago" the committed sequence was huge
    body = await get(api, "/api/v2/markets/delta", 400, last_id="1")
    assert "stale" in body["error"]
    assert "re-bootstrap from events endpoint" in body["error"]


async def test_event_delta_with_uuid_cursors(api: Api) -> None:
    import json

    start = await get(api, "/api/v2/delta", last_id="00000000-0000-0000-0000-000000000000")
    (first,) = start["deltas"]
    assert isinstance(first["data"], str)  # a JSON string, as TheRundown sends it
    assert json.loads(first["data"])["event_id"] == api.game.event_id
    cursor = start["meta"]["delta_last_id"]
    assert len(cursor) == 36
    quiet = await get(api, "/api/v2/delta", last_id=cursor)
    assert quiet["deltas"] == []
    await move(api, price(api.game, affiliate_id=3, american=-111))
    moved = await get(api, "/api/v2/delta", last_id=cursor)
    assert len(moved["deltas"]) == 1
    bad = await get(api, "/api/v2/delta", 400, last_id="11eb-b2b6-a58d8bf0-81f6-7e45035f4502")
    assert "not issued by this server" in bad["error"]
    garbled = cursor[:-1] + ("0" if cursor[-1] != "0" else "1")
    assert "not a valid cursor" in (await get(api, "/api/v2/delta", 400, last_id=garbled))["error"]
    assert "36-character" in (await get(api, "/api/v2/delta", 400, last_id="xyz"))["error"]
