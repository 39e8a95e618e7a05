"""/api/v2/ws: the multiplexed protocol (subscribe, deltas, snapshots, options)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from wskit import (  # type: ignore[import-not-found]
    LiveServer,
    drain,
    is_type,
    receive,
    receive_until,
    send,
    serve_hub,
    subscribe,
)

from factories import event_change, make_event, price, total
from oddswire.api.guards import Limits
from oddswire.model.event import EventStatus

WS = "/api/v2/ws"


def deltas(messages: list[dict[str, Any]], sub_id: str) -> list[dict[str, Any]]:
    """Delta payloads of one subscription, grouped messages unrolled."""
    out: list[dict[str, Any]] = []
    for m in messages:
        if m.get("id") != sub_id:
            continue
        if m.get("type") == "delta":
            out.append(m)
        elif m.get("type") == "deltas":
            out.extend(m["items"])
    return out


async def test_deltas_carry_sequence_and_sub_sequence(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect(WS) as ws:
        ack = await subscribe(ws, "p1", sport_ids=[4], market_ids=[1])
        assert ack["sequence"] == live.ctx.fanout.published
        assert ack["message"] == "subscribed to markets" and len(ack["epoch"]) == 32
        await live.submit(
            [
                price(game, participant_id=game.away_team_id, american=150),
                total(game),  # not market 1
                price(game, participant_id=game.home_team_id, american=-170),
            ]
        )
        got = deltas(await drain(ws), "p1")
    assert [d["sub_sequence"] for d in got] == [1, 2]
    assert got[1]["sequence"] == got[0]["sequence"] + 2  # the total in between is not ours
    data = got[0]["data"]
    assert data["meta"]["type"] == "market_price"
    assert data["data"]["price"] == "150" and data["data"]["id"] == got[0]["sequence"]
    assert "participants" not in data  # the flat record only on this protocol


async def test_scores_channel(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect(WS) as ws:
        await subscribe(ws, "s", "scores", event_ids=[game.event_id])
        live_game = make_event(status=EventStatus.IN_PROGRESS, score_away=3, score_home=5)
        await live.submit([event_change(live_game), price(game, american=-300)])
        got = deltas(await drain(ws), "s")
    (delta,) = got
    score = delta["data"]["data"]
    assert delta["data"]["meta"]["type"] == "score"
    assert score["event_status"] == "STATUS_IN_PROGRESS"
    assert (score["score_away"], score["score_home"]) == (3, 5)
    assert score["sequence"] == delta["sequence"]


async def test_unsubscribe_stops_deltas(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect(WS) as ws:
        await subscribe(ws, "a", event_ids=[game.event_id])
        await send(ws, action="unsubscribe", id="a")
        assert await receive(ws) == {"type": "unsubscribed", "id": "a"}
        await live.submit([price(game, american=-190)])
        await send(ws, action="unsubscribe", id="a")
        (error,) = await drain(ws)
    assert error["type"] == "error" and error["code"] == "not_found" and error["id"] == "a"


async def test_subscribe_with_snapshot(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), price(game, american=-150), total(game)])
    async with live.connect(WS) as ws:
        await send(
            ws,
            action="subscribe",
            id="m",
            channel="markets",
            params={"event_ids": [game.event_id], "market_ids": [1], "snapshot": True},
        )
        messages = await receive_until(ws, is_type("snapshot_complete"))
        await live.submit([price(game, american=-155)])
        after = deltas(await drain(ws), "m")
    kinds = [m["type"] for m in messages]
    assert kinds == ["subscribed", "snapshot", "snapshot_complete"]
    (event,) = messages[1]["data"]["events"]
    assert event["event_id"] == game.event_id
    assert {m["market_id"] for m in event["markets"]} == {1}  # filtered like the stream
    assert messages[2]["events"] == 1
    assert [d["sub_sequence"] for d in after] == [1]


async def test_snapshot_by_sport_and_date_and_errors(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), price(game)])
    day = game.event_date.date().isoformat()
    async with live.connect(WS) as ws:
        await send(ws, action="snapshot", id="x", params={"sport_ids": [4], "date": day})
        messages = await receive_until(ws, is_type("snapshot_complete"))
        assert [e["event_id"] for e in messages[0]["data"]["events"]] == [game.event_id]
        await send(ws, action="snapshot", id="y", params={"sport_ids": [4]})
        error = await receive(ws)
        assert error["type"] == "snapshot_error" and "date" in error["message"]
        # resync of a subscription re-sends its snapshot
        await subscribe(ws, "z", sport_ids=[4], date=day, snapshot=False)
        await send(ws, action="resync", id="z")
        resync = await receive_until(ws, is_type("snapshot_complete"))
    assert [m["type"] for m in resync] == ["resync_ack", "snapshot", "snapshot_complete"]


async def test_usage_and_ping(live: LiveServer) -> None:
    async with live.connect(WS) as ws:
        await subscribe(ws, "a", sport_ids=[4])
        await send(ws, action="usage")
        usage = await receive(ws)
        await send(ws, action="ping")
        pong = await receive(ws)
    assert usage["meta"]["type"] == "usage"
    assert usage["data"]["subscriptions"] == {"a": {"channel": "markets", "sub_sequence": 0}}
    assert pong == {"type": "pong"}


async def test_subscription_ids_and_limits(tmp_path: Path) -> None:
    # a cap the flood guard lets a client reach at once (tests/api/test_guards.py: 1000)
    cap = 50
    async with (
        serve_hub(tmp_path / "cap.db", limits=Limits(max_subscriptions=cap)) as live,
        live.connect(WS) as ws,
    ):
        await subscribe(ws, "a")
        await send(ws, action="subscribe", id="a", channel="markets")
        duplicate = await receive(ws)
        for n in range(1, cap):
            await send(ws, action="subscribe", id=f"s{n}", channel="scores")
        acks = [await receive(ws) for _ in range(1, cap)]
        await send(ws, action="subscribe", id="one-too-many", channel="scores")
        refused = await receive(ws)
    assert duplicate["code"] == "duplicate_id"
    assert {a["type"] for a in acks} == {"subscribed"}
    assert refused["code"] == "too_many_subscriptions"


async def test_batch_groups_a_commit_into_one_message(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect(WS) as ws:
        await subscribe(ws, "b", event_ids=[game.event_id], batch=True)
        await live.submit([price(game, affiliate_id=a, american=-100 - a) for a in (3, 19, 23)])
        messages = await drain(ws)
    (group,) = [m for m in messages if m.get("id") == "b"]
    assert group["type"] == "deltas" and group["count"] == 3
    assert [i["sub_sequence"] for i in group["items"]] == [1, 2, 3]
    assert group["sub_sequence"] == 3 and group["sequence"] == group["items"][-1]["sequence"]
    assert [i["data"]["data"]["affiliate_id"] for i in group["items"]] == [3, 19, 23]


async def test_conflate_ms_keeps_the_latest_per_key(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with live.connect(WS) as ws:
        await subscribe(ws, "c", event_ids=[game.event_id], conflate_ms=300)
        for american in (-110, -115, -120):
            await live.submit([price(game, american=american)])
        await live.submit([price(game, affiliate_id=23, american=-105)])
        await asyncio.sleep(0.4)
        got = deltas(await drain(ws), "c")
    assert [(d["data"]["data"]["affiliate_id"], d["data"]["data"]["price"]) for d in got] == [
        (19, "-120"),
        (23, "-105"),
    ]
    assert [d["sub_sequence"] for d in got] == [1, 2]


async def test_bad_messages_get_error_frames_and_the_connection_lives(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    bad = [
        "not json",
        "[1, 2]",
        '{"action": 5}',
        '{"action": "fly"}',
        '{"action": "subscribe", "id": "x", "channel": "plays"}',
        '{"action": "subscribe", "id": "x", "channel": "nope"}',
        '{"action": "subscribe", "id": "x", "channel": "markets", "params": {"sport_ids": "a"}}',
        '{"action": "subscribe", "id": "x", "channel": "markets", "params": {"sport_ids": [{}]}}',
        '{"action": "subscribe", "id": "x", "channel": "markets", "params": {"bogus": 1}}',
        '{"action": "subscribe", "id": "x", "channel": "markets", "params": {"conflate_ms": -1}}',
        '{"action": "subscribe", "id": "x", "channel": "markets", "params": {"resume_from": "a"}}',
        '{"action": "subscribe", "channel": "markets"}',
        '{"action": "subscribe", "id": "' + "x" * 65 + '", "channel": "markets"}',
        '{"action": "unsubscribe"}',
    ]
    async with live.connect(WS) as ws:
        await subscribe(ws, "ok", event_ids=[game.event_id])
        for text in bad:
            await ws.send(text)
            reply = await receive(ws)
            assert reply["type"] == "error", (text, reply)
            assert reply["message"], text
        await live.submit([price(game, american=-199)])
        got = deltas(await drain(ws), "ok")
    assert [d["data"]["data"]["price"] for d in got] == ["-199"]
