"""V1 ``/lines/{line_id}/moneyline|spread|total|team_total`` (price histories, newest first)
and ``/lines/best``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from test_v1_kit import DAY, V1Api, v1_hub  # type: ignore[import-not-found]

from factories import price
from oddswire.model import PriceStatus

SENTINEL = 0.0001


@pytest.fixture
async def v1(tmp_path: Path) -> AsyncIterator[V1Api]:
    async with v1_hub(tmp_path) as api:
        yield api


async def lines(v1: V1Api) -> dict[str, Any]:
    body = await v1.get(f"/api/v1/sports/4/events/{DAY}", include="all_periods")
    return body["events"][0]["line_periods"]  # type: ignore[no-any-return]


async def test_moneyline_history_newest_first(v1: V1Api) -> None:
    line_id = (await lines(v1))["19"]["period_full_game"]["line_id"]
    rows = (await v1.get(f"/api/v1/lines/{line_id}/moneyline"))["moneylines"]
    assert [(r["moneyline_away"], r["moneyline_home"]) for r in rows] == [
        (160, -185),
        (160, -175),
        (150, -175),
        (150, SENTINEL),  # the away side was quoted first
    ]
    assert [r["moneyline_away_delta"] for r in rows] == [0, 10, 0, 0]
    assert [r["moneyline_home_delta"] for r in rows] == [-10, 0, 0, 0]  # a first quote: 0
    stamps = [r["date_updated"] for r in rows]
    assert stamps == sorted(stamps, reverse=True)
    assert {r["line_id"] for r in rows} == {line_id}
    assert {r["moneyline_draw"] for r in rows} == {SENTINEL}
    # the latest row carries the event's figures (its deltas are row to row, while the
    # event's are each side's against the price it replaced)
    event_ml = (await lines(v1))["19"]["period_full_game"]["moneyline"]
    assert {k: v for k, v in rows[0].items() if "delta" not in k} == {
        k: v for k, v in event_ml.items() if "delta" not in k
    }

    game = v1.game
    await v1.move(price(game, participant_id=game.home_team_id, affiliate_id=19, american=-190))
    newest = (await v1.get(f"/api/v1/lines/{line_id}/moneyline"))["moneylines"][0]
    assert (newest["moneyline_home"], newest["moneyline_home_delta"]) == (-190, -5)


async def test_pulled_price_in_history(v1: V1Api) -> None:
    line_id = (await lines(v1))["23"]["period_full_game"]["line_id"]
    rows = (await v1.get(f"/api/v1/lines/{line_id}/moneyline"))["moneylines"]
    assert (rows[0]["moneyline_home"], rows[0]["moneyline_home_delta"]) == (SENTINEL, 310.0001)
    assert rows[1]["moneyline_home"] == -310
    game = v1.game
    await v1.move(price(game, participant_id=game.home_team_id, affiliate_id=23, american=-300))
    rows = (await v1.get(f"/api/v1/lines/{line_id}/moneyline"))["moneylines"]
    assert (rows[0]["moneyline_home"], rows[0]["moneyline_home_delta"]) == (-300, -300.0001)
    # the board keeps the last quote before a pull, so the event's delta is against it
    event_ml = (await lines(v1))["23"]["period_full_game"]["moneyline"]
    assert (event_ml["moneyline_home"], event_ml["moneyline_home_delta"]) == (-300, 10)


async def test_spread_total_and_team_total_histories(v1: V1Api) -> None:
    line_id = (await lines(v1))["19"]["period_full_game"]["line_id"]
    spreads = (await v1.get(f"/api/v1/lines/{line_id}/spread"))["spreads"]
    # alternates moved too, but only changes to the main line make rows
    assert [(r["point_spread_home"], r["point_spread_away"]) for r in spreads] == [
        (-4.5, 4.5),
        (-4.5, SENTINEL),
    ]
    assert spreads[0]["event_id"] == v1.game.event_id and spreads[0]["affiliate_id"] == 19
    assert "extended_spreads" not in spreads[0]
    totals = (await v1.get(f"/api/v1/lines/{line_id}/total"))["totals"]
    assert (totals[0]["total_over"], totals[0]["total_under_money"]) == (224.5, -108)
    team_totals = (await v1.get(f"/api/v1/lines/{line_id}/team_total"))["team_totals"]
    assert team_totals[0]["team_total_home_over"] == 112.5
    assert team_totals[0]["team_total_away_under_money"] == -110

    # the main spread moves in one update: the line value's delta is real in the history
    game = v1.game
    home, now = game.home_team_id, 1_800_000_000.0
    await v1.move(
        price(game, market_id=2, participant_id=home, line="-4.5", main=False, ts=now),
        price(game, market_id=2, participant_id=home, line="-5.5", american=-105, ts=now),
    )
    newest = (await v1.get(f"/api/v1/lines/{line_id}/spread"))["spreads"][0]
    assert (newest["point_spread_home"], newest["point_spread_home_delta"]) == (-5.5, -1)
    assert (newest["point_spread_home_money"], newest["point_spread_home_money_delta"]) == (
        -105,
        5,
    )


async def test_histories_with_all_periods(v1: V1Api) -> None:
    periods = await lines(v1)
    line_id = periods["19"]["period_first_half"]["line_id"]
    only = await v1.get(f"/api/v1/lines/{line_id}/moneyline")
    assert only["moneylines"][0]["moneyline_away"] == 140
    every = await v1.get(f"/api/v1/lines/{line_id}/moneyline", include="all_periods")
    assert set(every) == {"moneyline_periods"}
    by_period = every["moneyline_periods"]
    assert set(by_period) == {"period_full_game", "period_first_half", "period_live_full_game"}
    assert by_period["period_first_half"] == only["moneylines"]
    assert by_period["period_live_full_game"][0]["moneyline_home"] == -190
    assert {r["line_id"] for r in by_period["period_full_game"]} == {
        periods["19"]["period_full_game"]["line_id"]
    }
    spreads = await v1.get(f"/api/v1/lines/{line_id}/spread", include="all_periods")
    assert set(spreads["spread_periods"]) == {"period_full_game", "period_first_half"}
    empty = await v1.get(f"/api/v1/lines/{line_id}/team_total")
    assert empty == {"team_totals": []}  # no first-half team totals quoted


BAD_LINE_IDS = (
    ("abc", 400),
    ("-1", 404),
    ("0", 404),
    ("99999999999999999999999", 400),
    (str(1 * 65536 + 200 * 256 + 19), 404),  # no period 200
    (str(9999 * 65536 + 19), 404),  # no such event
)


async def test_history_bad_line_ids(v1: V1Api) -> None:
    for line_id, status in BAD_LINE_IDS:
        for kind in ("moneyline", "spread", "total", "team_total"):
            body = await v1.get(f"/api/v1/lines/{line_id}/{kind}", status)
            assert set(body) == {"error"}


async def test_best_lines(v1: V1Api) -> None:
    game, soccer = v1.game, v1.soccer
    ids = f"{game.event_id},{soccer.event_id},{'f' * 32}"
    best = await v1.get("/api/v1/lines/best", event_ids=ids)
    assert set(best) == {game.event_id, soccer.event_id}  # unknown ids are left out
    ml = best[game.event_id]["moneyline"]
    assert (ml["moneyline_away"], ml["best_affiliate_away"]["affiliate_id"]) == (250, 23)
    assert (ml["moneyline_home"], ml["best_affiliate_home"]["affiliate_id"]) == (-185, 19)
    assert best[game.event_id]["spread"]["point_spread_home"] == -4.5
    assert best[soccer.event_id]["moneyline"]["moneyline_draw"] == 230
    v2 = await v1.get(f"/api/v2/events/{game.event_id}/best-line")
    assert best[game.event_id] == v2
    half = await v1.get("/api/v1/lines/best", event_ids=game.event_id, period="period_first_half")
    assert half[game.event_id]["moneyline"]["moneyline_away"] == 140
    dk = await v1.get("/api/v1/lines/best", event_ids=game.event_id, affiliate_ids="19")
    assert dk[game.event_id]["moneyline"]["moneyline_away"] == 160

    await v1.get("/api/v1/lines/best", 400)
    await v1.get("/api/v1/lines/best", 400, event_ids=",".join(f"{i:032x}" for i in range(51)))
    await v1.get("/api/v1/lines/best", 400, event_ids=game.event_id, period="period_nonsense")
    await v1.get("/api/v1/lines/best", 400, event_ids=game.event_id, affiliate_ids="x")


async def test_closed_main_line_gives_way(v1: V1Api) -> None:
    game = v1.game
    await v1.move(
        price(
            game,
            participant_id=game.away_team_id,
            affiliate_id=23,
            american=250,
            status=PriceStatus.CLOSED,
        )
    )
    fd = (await lines(v1))["23"]["period_full_game"]["moneyline"]
    assert fd["moneyline_away"] == SENTINEL  # closed: off the board in V1
