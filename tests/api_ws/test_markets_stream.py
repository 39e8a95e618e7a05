"""/api/v2/ws/markets: TheRundown's flat price stream over a real socket."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from wskit import KEY, LiveServer, drain, is_type, receive_until  # type: ignore[import-not-found]

from factories import event_change, make_event, price, total
from oddswire.model import PriceStatus


async def test_one_market_price_message_per_change_in_both_shapes(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect("/api/v2/ws/markets", sport_ids="4", market_ids="1,2,3") as ws:
        await live.submit(
            [
                price(game, participant_id=game.away_team_id, affiliate_id=19, american=150),
                price(game, participant_id=game.home_team_id, affiliate_id=19, american=-175),
            ]
        )
        messages = await receive_until(ws, lambda m: m["data"].get("price") == "-175")
    first, second = messages
    assert first["meta"]["type"] == "market_price"
    data = first["data"]
    assert data["event_id"] == game.event_id
    assert data["affiliate_id"] == 19 and data["market_id"] == 1
    assert data["price"] == "150" and data["normalized_market_participant_id"] == game.away_team_id
    assert data["id"] + 1 == second["data"]["id"]  # one message per change, in order
    # the nested shape of seed 004 on the same message
    assert first["event_id"] == game.event_id and first["market_name"] == "Moneyline"
    (participant,) = first["participants"]
    assert participant["name"]
    (line,) = participant["lines"]
    assert line["prices"]["19"]["price"] == 150


async def test_filters_select_what_arrives(live: LiveServer) -> None:
    game = make_event()
    other = make_event(sport_id=3, away=3001, home=3002)
    await live.submit([event_change(game), event_change(other)])
    async with live.connect(
        "/api/v2/ws/markets", sport_ids="4", market_ids="3", affiliate_ids="23", main_line="true"
    ) as ws:
        await live.submit(
            [
                price(other, participant_id=3001, market_id=3, affiliate_id=23),  # sport
                price(game, affiliate_id=23),  # market 1
                total(game, affiliate_id=19, american=-105),  # book
                total(game, affiliate_id=23, line="230.5", main=False),  # alternate
                total(game, affiliate_id=23, american=-120),  # wanted
            ]
        )
        messages = [m for m in await drain(ws) if m["meta"]["type"] == "market_price"]
    assert [(m["data"]["market_id"], m["data"]["price"]) for m in messages] == [(3, "-120")]


async def test_off_the_board_is_the_sentinel(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), price(game, affiliate_id=19, american=-110)])
    async with live.connect("/api/v2/ws/markets", event_ids=game.event_id) as ws:
        await live.submit(
            [price(game, affiliate_id=19, american=-110, status=PriceStatus.OFF_BOARD)]
        )
        (message,) = await drain(ws)
    assert message["data"]["price"] == "0.0001"
    assert message["participants"][0]["lines"][0]["prices"]["19"]["price"] == 0.0001


async def test_heartbeat(live: LiveServer) -> None:
    async with live.connect("/api/v2/ws/markets") as ws:
        live.ctx.fanout.heartbeat_now()
        (message,) = await receive_until(ws, is_type("heartbeat"))
    assert message["meta"]["type"] == "heartbeat" and message["data"]["now"].endswith("Z")


@pytest.mark.parametrize(
    ("key", "query", "status"),
    [(None, {}, 401), ("wrong", {}, 401), ("ws-test-key-0123456789", {"sport_ids": "x"}, 400)],
)
async def test_refused_upgrades_get_an_http_error(
    live: LiveServer, key: str | None, query: dict[str, str], status: int
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with live.connect("/api/v2/ws/markets", key=key, **query):
            pass
    response = refused.value.response
    assert response.status_code == status
    assert b'"error"' in response.body


@pytest.mark.parametrize("header", ["X-TheRundown-Key", "x-therundown-key"])
async def test_the_key_may_come_in_a_header(live: LiveServer, header: str) -> None:
    url = live.url("/api/v2/ws/markets", key=None)
    async with connect(url, additional_headers={header: KEY}) as ws:
        live.ctx.fanout.heartbeat_now()
        (message,) = await receive_until(ws, is_type("heartbeat"))
    assert message["meta"]["type"] == "heartbeat"
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, additional_headers={header: "not-a-key"}):
            pass
    assert refused.value.response.status_code == 401
