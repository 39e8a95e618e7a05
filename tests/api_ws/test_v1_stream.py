"""/api/v1/ws: TheRundown's legacy stream over a real socket."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from wskit import (  # type: ignore[import-not-found]
    KEY,
    LiveServer,
    drain,
    is_type,
    receive_until,
)

from factories import START, UNDER, event_change, make_event, price, total
from oddswire.model import Event, PriceStatus
from oddswire.model.event import EventStatus

V1_TYPES = ("moneyline", "spread", "total")
IDS = ("event_id", "sport_id", "affiliate_id")


def kinds(messages: list[dict[str, Any]]) -> list[str]:
    return [m["meta"]["type"] for m in messages if m["meta"]["type"] != "heartbeat"]


def of_type(messages: list[dict[str, Any]], *types: str) -> list[dict[str, Any]]:
    return [m for m in messages if m["meta"]["type"] in types]


def line_of(message: dict[str, Any]) -> dict[str, Any]:
    """A V1 message's ``data`` without the ids it adds to the V1 line."""
    return {k: v for k, v in message["data"].items() if k not in IDS}


async def rest_event(live: LiveServer, event: Event, **query: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        response = await client.get(
            f"{live.http}/api/v1/events/{event.event_id}", params={"key": KEY, **query}
        )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def full_game(game: Event, book: int = 19) -> list[Any]:
    """A book's main moneyline, spread and total, both sides each."""
    away, home = game.away_team_id, game.home_team_id
    return [
        price(game, participant_id=away, affiliate_id=book, american=150),
        price(game, participant_id=home, affiliate_id=book, american=-175),
        price(game, market_id=2, participant_id=away, line="3.5", affiliate_id=book, american=-108),
        price(
            game, market_id=2, participant_id=home, line="-3.5", affiliate_id=book, american=-112
        ),
        total(game, affiliate_id=book, american=-105),
        total(game, side=UNDER, affiliate_id=book, american=-115),
    ]


async def test_main_lines_are_v1_messages_in_both_shapes_matching_the_rest(
    live: LiveServer,
) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect("/api/v1/ws", sport_ids="4") as ws:
        for change in full_game(game):  # one batch each: one state per message
            await live.submit([change])
        messages = await drain(ws)
    assert kinds(messages) == ["moneyline"] * 2 + ["spread"] * 2 + ["total"] * 2
    first, last = messages[0], messages[-1]
    assert isinstance(first["meta"]["timestamp"], int)
    # V1 line object under data: book 19's line as the V1 REST has it now
    rest = await rest_event(live, game)
    assert line_of(last) == rest["lines"]["19"]
    assert {k: last["data"][k] for k in IDS} == {
        "event_id": game.event_id,
        "sport_id": 4,
        "affiliate_id": 19,
    }
    # each message carried the line as of its change
    assert first["data"]["moneyline"]["moneyline_away"] == 150
    assert first["data"]["moneyline"]["moneyline_home"] == 0.0001
    assert first["data"]["spread"]["point_spread_away"] == 0.0001
    # seed 004's flat fields on the same message
    assert last["event_id"] == game.event_id and last["affiliate_id"] == 19
    assert last["moneyline"] == {
        "money_line_away": 150,
        "money_line_home": -175,
        "money_line_draw": 0.0001,
    }
    assert last["spread"]["point_spread_away"] == 3.5
    assert last["spread"]["point_spread_away_money"] == -108
    assert last["spread"]["point_spread_home"] == -3.5
    assert last["total"]["total_over"] == 224.5 and last["total"]["total_over_money"] == -105
    assert last["total"]["total_under_money"] == -115


async def test_live_variants_carry_the_live_period_line(live: LiveServer) -> None:
    game = make_event(status=EventStatus.IN_PROGRESS)
    await live.submit([event_change(game)])
    async with live.connect("/api/v1/ws", event_ids=game.event_id) as ws:
        await live.submit(
            [price(game, market_id=41, period_id=7, participant_id=game.away_team_id, american=120)]
        )
        (message,) = await drain(ws)
    assert message["meta"]["type"] == "moneyline"
    assert message["period_id"] == 7 and message["data"]["period_id"] == 7
    assert message["data"]["period_description"] == "PERIOD_LIVE_FULL_GAME"
    assert message["moneyline"]["money_line_away"] == 120
    rest = await rest_event(live, game, include="all_periods")
    assert line_of(message) == rest["line_periods"]["19"]["period_live_full_game"]


async def test_off_the_board_is_the_sentinel_as_the_rest_writes_it(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), *full_game(game)])
    async with live.connect("/api/v1/ws") as ws:
        away = game.away_team_id
        pulled = price(game, participant_id=away, american=150, status=PriceStatus.OFF_BOARD)
        await live.submit([pulled])
        (message,) = await drain(ws)
    assert message["moneyline"]["money_line_away"] == 0.0001
    assert message["data"]["moneyline"]["moneyline_away"] == 0.0001
    assert message["data"]["moneyline"]["moneyline_away_delta"] == pytest.approx(-149.9999)
    assert line_of(message) == (await rest_event(live, game))["lines"]["19"]


async def test_other_markets_are_v2_market_price_frames(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    home = game.home_team_id
    async with live.connect("/api/v1/ws") as ws:
        await live.submit(
            [
                price(game, market_id=2, participant_id=home, line="-5.5", main=False),  # alt
                price(game, market_id=4, period_id=1, american=-130),  # first half
                price(game, market_id=94, line="Over 110.5", american=-120),  # team total
                price(game, american=-140),  # main moneyline: a V1 message only
            ]
        )
        messages = await drain(ws)
    assert kinds(messages) == ["market_price"] * 3 + ["moneyline"]
    frames = of_type(messages, "market_price")
    assert [(m["data"]["market_id"], m["data"]["price"]) for m in frames] == [
        (2, "-110"),
        (4, "-130"),
        (94, "-120"),
    ]
    assert frames[0]["market_name"] and frames[0]["participants"]  # the nested shape too


async def test_event_changes_are_score_messages(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect("/api/v1/ws", sport_ids="4") as ws:
        playing = make_event(status=EventStatus.IN_PROGRESS, score_away=7, score_home=3)
        await live.submit([event_change(playing)])
        (message,) = await receive_until(ws, is_type("score"))
    data = message["data"]
    assert data["event_id"] == game.event_id and data["sport_id"] == 4
    assert data["event_status"] == "STATUS_IN_PROGRESS"
    assert (data["score_away"], data["score_home"]) == (7, 3)


@pytest.mark.parametrize(
    ("books", "expected"),
    [
        ("23,0", ["moneyline", "market_price", "score"]),
        ("23", ["moneyline", "market_price"]),
        ("0", ["score"]),
        (None, ["moneyline", "moneyline", "market_price", "market_price", "score"]),
    ],
)
async def test_affiliate_ids_with_zero_for_scores(
    live: LiveServer, books: str | None, expected: list[str]
) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    query = {} if books is None else {"affiliate_ids": books}
    async with live.connect("/api/v1/ws", **query) as ws:
        for book in (19, 23):
            await live.submit([price(game, affiliate_id=book)])
        for book in (19, 23):
            await live.submit([price(game, market_id=4, period_id=1, affiliate_id=book)])
        await live.submit([event_change(make_event(status=EventStatus.IN_PROGRESS))])
        messages = await drain(ws)
    assert kinds(messages) == expected
    prices = of_type(messages, "moneyline", "market_price")
    wanted = {19, 23} if books is None else {int(b) for b in books.split(",")} - {0}
    assert {m["data"]["affiliate_id"] for m in prices} == wanted


async def test_sport_ids_and_event_ids(live: LiveServer) -> None:
    game = make_event()
    other = make_event(sport_id=3, away=3001, home=3002)
    await live.submit([event_change(game), event_change(other)])
    async with (
        live.connect("/api/v1/ws", sport_ids="3") as by_sport,
        live.connect("/api/v1/ws", event_ids=game.event_id) as by_event,
    ):
        await live.submit(
            [
                price(game, american=-150),
                price(other, participant_id=3001, american=-160),
                price(other, market_id=4, period_id=1, participant_id=3001),
            ]
        )
        await live.submit([event_change(make_event(status=EventStatus.IN_PROGRESS))])
        sport_messages = await drain(by_sport)
        event_messages = await drain(by_event)
    assert kinds(sport_messages) == ["moneyline", "market_price"]
    assert {m["data"]["event_id"] for m in sport_messages} == {other.event_id}
    assert kinds(event_messages) == ["moneyline", "score"]
    assert {m["data"]["event_id"] for m in event_messages} == {game.event_id}


async def test_date_keeps_v1_messages_of_that_day_and_every_market_price(
    live: LiveServer,
) -> None:
    game = make_event()  # starts 2026-11-22T00:30Z
    tomorrow = make_event(start=START + timedelta(days=1))
    await live.submit([event_change(game), event_change(tomorrow)])
    async with (
        live.connect("/api/v1/ws", date="2026-11-22") as utc_day,
        live.connect("/api/v1/ws", date="2026-11-21", offset="300") as central_day,
    ):
        await live.submit(
            [
                price(tomorrow, american=-150),  # V1: another day
                price(tomorrow, market_id=4, period_id=1),  # market_price: not date-filtered
                price(game, american=-160),
            ]
        )
        await live.submit([event_change(make_event(status=EventStatus.IN_PROGRESS))])
        await live.submit(
            [event_change(make_event(start=tomorrow.event_date, status=EventStatus.FINAL))]
        )
        for ws in (utc_day, central_day):
            messages = await drain(ws)
            assert kinds(messages) == ["market_price", "moneyline", "score"]
            v1_and_scores = of_type(messages, "moneyline", "score")
            assert {m["data"]["event_id"] for m in v1_and_scores} == {game.event_id}


async def test_heartbeat(live: LiveServer) -> None:
    async with live.connect("/api/v1/ws") as ws:
        live.ctx.fanout.heartbeat_now()
        (message,) = await receive_until(ws, is_type("heartbeat"))
    assert message["meta"]["timestamp"].endswith("Z") and message["data"]["now"].endswith("Z")


async def test_key_in_the_header(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    url = live.url("/api/v1/ws", key=None, affiliate_ids="0")
    async with connect(url, additional_headers={"X-TheRundown-Key": KEY}) as ws:
        await live.submit([event_change(make_event(status=EventStatus.IN_PROGRESS))])
        (message,) = await receive_until(ws, is_type("score"))
    assert message["data"]["event_id"] == game.event_id


@pytest.mark.parametrize(
    ("key", "query", "status"),
    [
        (None, {}, 401),
        ("wrong", {}, 401),
        (KEY, {"sport_ids": "x"}, 400),
        (KEY, {"affiliate_ids": "3,zero"}, 400),
        (KEY, {"date": "22/11/2026"}, 400),
        (KEY, {"date": "2026-11-22", "offset": "9999"}, 400),
    ],
)
async def test_refused_upgrades_get_an_http_error(
    live: LiveServer, key: str | None, query: dict[str, str], status: int
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with live.connect("/api/v1/ws", key=key, **query):
            pass
    response = refused.value.response
    assert response.status_code == status
    assert b'"error"' in response.body
