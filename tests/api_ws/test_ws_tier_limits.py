"""WebSocket access, the connection cap per account, subscriptions per connection and
entitlements on streams, over real sockets (reference §4.6)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from wskit import KEY, LiveServer, receive, receive_until, send, wait_for  # type: ignore[import-not-found]

from asgiserve import serve_app  # type: ignore[import-not-found]
from factories import event_change, make_event, price
from oddswire.access import entitlements
from oddswire.access.slots import Slots
from oddswire.access.tiers import ALL_DATA, DEFAULT_TIERS, Tier, Tiers
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.context import ApiContext
from oddswire.hub import Hub, HubSettings
from oddswire.model import ParticipantType
from oddswire.refdata import load_catalog
from oddswire.store.keys import StoredKey, digest
from oddswire.store.sqlite import SqliteTickStore

#: Shortened for the tests: the server pings every 0.3 s and gives up after 0.6 s
#: without a pong; a dead peer's slot must clear within the (3 s) liveness window.
LIVENESS = 3.0
TIERS = (
    Tier(name="nows", burst=None),
    Tier(name="capped", burst=None, websocket=True, ws_connections=1, ws_subscriptions=3),
    Tier(
        name="pair",
        burst=None,
        websocket=True,
        ws_connections=2,
        ws_subscriptions=2,
        entitlements=ALL_DATA,
    ),
)
KEYS = {name: f"{name}-key-0123456789abcdef" for name in ("nows", "capped", "pair")}
ROUTES = ["/api/v2/ws/markets", "/api/v2/ws", "/api/v2/ws/hedge", "/api/v1/ws", "/api"]


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveServer]:
    store = SqliteTickStore(str(tmp_path / "limits.db"))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    ring = KeyRing([KEY], tiers=Tiers((*DEFAULT_TIERS, *TIERS)))
    ring.set_stored({digest(key): StoredKey(n, t, t) for n, (t, key) in enumerate(KEYS.items())})
    app = create_app(hub, ring)
    ctx: ApiContext = app.state.ctx
    ctx.slots = Slots(LIVENESS)
    try:
        async with serve_app(app, backlog=128, ping=(0.3, 0.6)) as port:
            yield LiveServer(hub, ctx, port)
    finally:
        await ctx.slots.stop()
        await ctx.fanout.stop()
        await hub.stop()


async def refused(live: LiveServer, path: str, key: str, **query: str) -> Any:
    """The HTTP response that refused the upgrade."""
    with pytest.raises(InvalidStatus) as caught:
        async with live.connect(path, key, **query):
            pass
    return caught.value.response


def held(live: LiveServer, tier: str) -> int:
    return live.ctx.slots.held(f"key:{list(KEYS).index(tier)}")


@pytest.mark.parametrize("path", ROUTES)
async def test_a_tier_without_websocket_access_is_refused(live: LiveServer, path: str) -> None:
    response = await refused(live, path, KEYS["nows"])
    assert response.status_code == 403
    assert json.loads(response.body) == {"error": entitlements.WEBSOCKET_MESSAGE}
    assert live.ctx.slots.total == 0


async def test_the_cap_holds_across_routes_and_a_clean_close_frees_the_slot(
    live: LiveServer,
) -> None:
    key = KEYS["capped"]
    async with live.connect("/api/v2/ws/markets", key):
        await wait_for(lambda: held(live, "capped") == 1)
        for path in ("/api/v2/ws/markets", "/api/v2/ws", "/api/v1/ws", "/api"):
            response = await refused(live, path, key)
            assert response.status_code == 429
            body = json.loads(response.body)
            assert (body["limit"], body["peer_liveness_seconds"]) == (1, 3)
            assert "connection limit" in body["error"]
            assert 1 <= int(response.headers["Retry-After"]) <= LIVENESS
        assert held(live, "capped") == 1  # refusals take no slot
    started = time.monotonic()
    await wait_for(lambda: held(live, "capped") == 0, timeout=1.0)
    async with live.connect("/api/v2/ws", key) as ws:  # at once, no liveness wait
        await send(ws, action="ping")
        assert (await receive(ws))["type"] == "pong"
    assert time.monotonic() - started < 1.0


async def _dead_client(port: int, key: str) -> asyncio.StreamWriter:
    """Completes the upgrade by hand, then never reads a frame or answers a ping."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"GET /api/v2/ws/markets?key={key} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 101"), head
    return writer


async def test_a_dead_peer_frees_its_slot_within_the_liveness_window(live: LiveServer) -> None:
    key = KEYS["capped"]
    writer = await _dead_client(live.port, key)
    try:
        await wait_for(lambda: held(live, "capped") == 1)
        started = time.monotonic()
        assert (await refused(live, "/api/v2/ws", key)).status_code == 429
        await wait_for(lambda: held(live, "capped") == 0, timeout=LIVENESS + 2)
        freed_after = time.monotonic() - started
        assert freed_after <= LIVENESS + 1  # give or take one watchdog look
        async with live.connect("/api/v2/ws", key) as ws:
            await send(ws, action="ping")
            assert (await receive(ws))["type"] == "pong"
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def test_subscriptions_per_connection_are_capped_and_the_connection_stays(
    live: LiveServer,
) -> None:
    async with live.connect("/api/v2/ws", KEYS["capped"]) as ws:
        for n in range(3):
            await send(ws, action="subscribe", id=f"s{n}", channel="markets", params={})
            (*_, ack) = await receive_until(ws, lambda m: m.get("type") in ("subscribed", "error"))
            assert ack["type"] == "subscribed", ack
        await send(ws, action="subscribe", id="s3", channel="scores", params={})
        (*_, error) = await receive_until(ws, lambda m: m.get("type") == "error")
        assert (error["code"], error["id"]) == ("too_many_subscriptions", "s3")
        assert "at most 3" in error["message"] and "capped plan" in error["message"]
        await send(ws, action="usage")
        (*_, usage) = await receive_until(ws, lambda m: m.get("meta", {}).get("type") == "usage")
        assert usage["data"]["max_subscriptions"] == 3
        await send(ws, action="unsubscribe", id="s0")
        await receive_until(ws, lambda m: m.get("type") == "unsubscribed")
        await send(ws, action="subscribe", id="s3", channel="scores", params={})
        (*_, ack) = await receive_until(ws, lambda m: m.get("type") in ("subscribed", "error"))
        assert ack["type"] == "subscribed", ack


async def test_hedge_streams_need_the_hedge_entitlement(live: LiveServer) -> None:
    response = await refused(live, "/api/v2/ws/hedge", KEYS["capped"])
    assert response.status_code == 403
    assert json.loads(response.body) == {"error": "Hedge requires Super plan or higher"}
    async with live.connect("/api/v2/ws", KEYS["capped"]) as ws:
        await send(ws, action="subscribe", id="h", channel="hedge", params={})
        (*_, error) = await receive_until(ws, lambda m: m.get("type") == "error")
        assert (error["code"], error["message"]) == ("forbidden", response_message("hedge"))
    async with live.connect("/api/v2/ws/hedge", KEYS["pair"]):
        pass


def response_message(kind: str) -> str:
    return {e.value: m for e, m in entitlements.MESSAGES.items()}[kind]


@pytest.mark.parametrize(
    ("market_id", "kind"), [(29, "player_props"), (41, "live_periods"), (1141, "futures")]
)
async def test_streams_refuse_explicit_asks_for_gated_markets(
    live: LiveServer, market_id: int, kind: str
) -> None:
    for path in ("/api/v2/ws/markets",):
        response = await refused(live, path, KEYS["capped"], market_ids=f"1,{market_id}")
        assert response.status_code == 403
        assert json.loads(response.body) == {"error": response_message(kind)}
    async with live.connect("/api/v2/ws", KEYS["capped"]) as ws:
        params = {"market_ids": [1, market_id]}
        await send(ws, action="subscribe", id="m", channel="markets", params=params)
        (*_, error) = await receive_until(ws, lambda m: m.get("type") == "error")
        assert (error["code"], error["message"]) == ("forbidden", response_message(kind))
    async with live.connect("/api/v2/ws/markets", KEYS["pair"], market_ids=str(market_id)):
        pass
    assert live.ctx.slots.total <= 1


async def test_admin_keys_are_unlimited(live: LiveServer) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for n in range(12):
            await stack.enter_async_context(live.connect(ROUTES[n % len(ROUTES)], KEY))
        await wait_for(lambda: live.ctx.slots.total == 12)
    await wait_for(lambda: live.ctx.slots.total == 0, timeout=2.0)


async def bolt_subscribe(live: LiveServer, tier: str, **filters: Any) -> list[dict[str, Any]]:
    """BoltOdds' stream for a key: everything up to the initial state's last message."""
    async with live.connect("/api", KEYS[tier]) as ws:
        assert (await receive(ws))["action"] == "socket_connected"
        await send(ws, action="subscribe", filters=filters)
        got = await receive_until(ws, lambda m: m.get("action") == "subscription_updated")
        with contextlib.suppress(TimeoutError):
            while True:
                got.append(await receive(ws, timeout=0.5))
    return got


async def test_the_boltodds_stream_leaves_out_markets_the_tier_lacks(live: LiveServer) -> None:
    """Player props need the entitlement on BoltOdds' stream too: left out of a default
    subscription, and named in a ``markets`` filter, reported with the 403 message."""
    game = make_event()
    await live.submit(
        [
            event_change(game),
            price(game, affiliate_id=19, american=-110),
            price(
                game,
                market_id=29,
                participant_id=1_400_201,
                participant_type=ParticipantType.PLAYER,
                line="Over 24.5",
                affiliate_id=19,
                american=-115,
            ),
        ]
    )

    def outcomes(got: list[dict[str, Any]]) -> set[str]:
        return {
            name
            for m in got
            if m.get("action") == "initial_state"
            for name in m["data"]["outcomes"]
        }

    full = outcomes(await bolt_subscribe(live, "pair"))
    plain = outcomes(await bolt_subscribe(live, "capped"))
    assert any("Points" in name for name in full)
    assert plain and plain == {name for name in full if "Points" not in name}
    got = await bolt_subscribe(live, "capped", markets=["Moneyline", "Player Points"])
    errors = [m for m in got if m.get("action") == "error"]
    assert [(e["message"], e["filter"]) for e in errors] == [
        (response_message("player_props"), "markets")
    ]
    assert outcomes(got) == plain
    # a market the tier has: its live variant (which BoltOdds names alike) is left out
    # silently, as on the other streams, not refused
    got = await bolt_subscribe(live, "capped", markets=["Moneyline"])
    assert [m for m in got if m.get("action") == "error"] == []
    assert outcomes(got) and outcomes(got) <= plain
