"""Opportunities on /api/v2/ws/hedge (seed 004's shape) and the multiplexed ``hedge``
channel, published through the hub's opportunity book over real sockets."""

from __future__ import annotations

from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from wskit import (  # type: ignore[import-not-found]
    LiveServer,
    drain,
    is_type,
    receive_until,
    send,
    subscribe,
)

from factories import make_event
from oddswire.model.opportunity import (
    Leg,
    Opportunity,
    OpportunityKind,
    OpportunityState,
)

GAME = make_event()  # Boston (4002) at the Lakers (4014), NBA


def arbitrage(
    profit: float = 2.1,
    *,
    opportunity_id: str = "arb-1",
    state: OpportunityState = OpportunityState.OPEN,
    live: bool = False,
    books: tuple[int, int] = (19, 23),
    kind: OpportunityKind = OpportunityKind.TWO_WAY,
    sport_id: int = 4,
) -> Opportunity:
    """Seed 004's example: Boston +150 at DraftKings, the Lakers -140 at FanDuel."""
    return Opportunity(
        id=opportunity_id,
        kind=kind,
        event_id=GAME.event_id,
        sport_id=sport_id,
        market_id=1,
        legs=(
            Leg(
                affiliate_id=books[0],
                participant_id=GAME.away_team_id,
                price=150,
                wager=100.0,
                payout=250.0,
                age_seconds=1.5,
            ),
            Leg(
                affiliate_id=books[1],
                participant_id=GAME.home_team_id,
                price=-140,
                wager=145.0,
                payout=248.57,
            ),
        ),
        profit_pct=profit,
        state=state,
        is_live=live,
    )


def hedges(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("meta", {}).get("type", "").startswith("hedge")]


async def test_an_opportunity_opens_updates_and_closes_in_seed_004_shape(live: LiveServer) -> None:
    book = live.hub.opportunities
    async with live.connect("/api/v2/ws/hedge", sport_ids="4") as ws:
        book.publish([arbitrage()])
        book.publish([arbitrage(2.4)])
        book.publish([arbitrage(state=OpportunityState.CLOSED)])
        opened, updated, closed = hedges(
            await receive_until(ws, lambda m: m.get("state") == "closed")
        )
    # every field the seed's JavaScript reads, with real names
    assert opened["meta"]["type"] == "hedge_update"
    assert opened["event_id"] == GAME.event_id and opened["sport_id"] == 4
    assert opened["market_id"] == 1 and opened["market_name"] == "Moneyline"
    assert opened["profit_pct"] == 2.1
    dk, fd = opened["bets"]
    assert dk == {
        "affiliate_id": 19,
        "affiliate_name": "DraftKings",
        "participant_id": GAME.away_team_id,
        "participant_name": dk["participant_name"],
        "line": "",
        "price": 150,
        "wager": 100.0,
        "payout": 250.0,
        "age_seconds": 1.5,
    }
    assert "Boston" in dk["participant_name"] or "Celtics" in dk["participant_name"]
    assert fd["affiliate_name"] == "FanDuel" and fd["price"] == -140 and fd["payout"] == 248.57
    assert (opened["state"], updated["state"], closed["state"]) == ("open", "updated", "closed")
    assert [m["sequence"] for m in (opened, updated, closed)] == [1, 2, 3]
    assert updated["profit_pct"] == 2.4 and updated["id"] == opened["id"] == "arb-1"
    assert closed["meta"]["type"] == "hedge_removed" and closed["bets"] == []
    assert book.open == []


async def test_a_new_client_is_shown_what_is_open_first(live: LiveServer) -> None:
    book = live.hub.opportunities
    book.publish([arbitrage(opportunity_id="a"), arbitrage(opportunity_id="b")])
    book.publish([arbitrage(opportunity_id="a", state=OpportunityState.CLOSED)])
    async with live.connect("/api/v2/ws/hedge") as ws:
        shown = hedges(await drain(ws))
    assert [(m["id"], m["state"]) for m in shown] == [("b", "open")]


async def test_filters(live: LiveServer) -> None:
    book = live.hub.opportunities
    async with (
        live.connect("/api/v2/ws/hedge", min_percent="2") as rich,
        live.connect("/api/v2/ws/hedge", include_live="true", type="3ways") as three_ways,
        live.connect("/api/v2/ws/hedge", affiliate_ids="19,3") as dk_and_pinnacle,
        live.connect("/api/v2/ws/hedge", sport_ids="3") as baseball,
    ):
        book.publish([arbitrage(2.5, opportunity_id="x")])
        book.publish([arbitrage(1.0, opportunity_id="x")])  # falls under min_percent
        book.publish([arbitrage(opportunity_id="live", live=True)])
        book.publish(
            [arbitrage(opportunity_id="3w", kind=OpportunityKind.THREE_WAY, books=(19, 3))]
        )
        got = {
            name: [(m["id"], m["state"]) for m in hedges(await drain(ws))]
            for name, ws in [
                ("rich", rich),
                ("three_ways", three_ways),
                ("dk_and_pinnacle", dk_and_pinnacle),
                ("baseball", baseball),
            ]
        }
    # a subscriber shown "x" is told it closed once the filter stops passing it
    assert got["rich"] == [("x", "open"), ("x", "closed"), ("3w", "open")]
    assert got["three_ways"] == [("3w", "open")]
    assert got["dk_and_pinnacle"] == [("3w", "open")]
    assert got["baseball"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"min_percent": "150"}, "min_percent"),
        ({"type": "parlays"}, "type: unknown parlays"),
        ({"sources": "exchange"}, "sources"),
        ({"include_live": "maybe"}, "include_live"),
    ],
)
async def test_bad_filters_refuse_the_upgrade(
    live: LiveServer, query: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with live.connect("/api/v2/ws/hedge", **query):
            pass
    assert refused.value.response.status_code == 400
    assert message in refused.value.response.body.decode()


async def test_the_multiplexed_hedge_channel(live: LiveServer) -> None:
    book = live.hub.opportunities
    book.publish([arbitrage(opportunity_id="early")])
    async with live.connect("/api/v2/ws") as ws:
        await send(ws, action="subscribe", id="arbs", channel="hedge", params={"min_percent": 1})
        ack, shown = await receive_until(ws, is_type("delta"))
        assert ack["type"] == "subscribed" and ack["sequence"] == book.sequence == 1
        assert shown["id"] == "arbs" and shown["sub_sequence"] == 1
        assert shown["data"]["id"] == "early" and "meta" not in shown["data"]
        assert shown["sequence"] == shown["data"]["sequence"] == 1
        book.publish([arbitrage(opportunity_id="early", state=OpportunityState.CLOSED)])
        (closed,) = await receive_until(ws, is_type("delta"))
        assert closed["data"]["state"] == "closed" and closed["sub_sequence"] == 2
        # no resume on the opportunity stream: what is open comes on subscribe instead
        await send(ws, action="subscribe", id="again", channel="hedge", params={"resume_from": 1})
        (error,) = await receive_until(ws, is_type("error"))
        assert "resume_from" in error["message"]


async def test_opportunities_leave_the_board_cursor_alone(live: LiveServer) -> None:
    """Hedge sequences are the opportunity stream's: a session's resume cursor (in
    heartbeats, usage and lag closes) stays the board's."""
    async with live.connect("/api/v2/ws") as ws:
        await subscribe(ws, "all")
        await send(ws, action="subscribe", id="arbs", channel="hedge")
        live.hub.opportunities.publish([arbitrage(opportunity_id=f"o{i}") for i in range(1, 2000)])
        await drain(ws)
        await send(ws, action="usage")
        (usage,) = await receive_until(ws, is_type("usage"))
    assert usage["data"]["sequence"] == live.ctx.fanout.published
    assert live.hub.opportunities.sequence == 1999 > live.ctx.fanout.published
