"""Burst limits, data-point quotas and the usage headers, in process and on real sockets."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from asgiserve import serve_app  # type: ignore[import-not-found]
from factories import event_change, make_event, price
from oddswire.access.identity import STATE_KEY, Identity
from oddswire.access.tiers import DEFAULT_TIERS, Tier, Tiers
from oddswire.access.usage import UsageMeter, datapoints
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.metering import MeteringMiddleware
from oddswire.client import AsyncClient, QuotaExhaustedError, RateLimitError, RetryPolicy
from oddswire.client.endpoints import v2 as calls
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.store.keys import StoredKey, digest
from oddswire.store.sqlite import SqliteTickStore

EVENTS = "/api/v2/sports/4/events/2026-11-22"
TIERS = Tiers(
    (
        *DEFAULT_TIERS,
        Tier(name="burst5", burst=5, datapoints=None),
        Tier(name="daily", burst=None, delay_seconds=0, datapoints=40, datapoints_period="day"),
        Tier(name="monthly", burst=None, datapoints=40, datapoints_period="month"),
        Tier(name="wsburst", burst=1, websocket=True, ws_connections=10, ws_subscriptions=10),
        Tier(
            name="wsdaily",
            burst=None,
            websocket=True,
            ws_connections=5,
            ws_subscriptions=5,
            datapoints=12,
            datapoints_period="day",
        ),
    )
)
KEYS = {
    "burst5": "burst-key-a-0123456",
    "burst5-other": "burst-key-b-0123456",
    "daily": "daily-key-01234567",
    "monthly": "monthly-key-0123456",
    "free": "free-key-0123456789",
    "wsburst": "ws-burst-key-012345",
    "wsdaily": "ws-daily-key-012345",
}


def key_ring() -> KeyRing:
    ring = KeyRing([KEY], tiers=TIERS)  # KEY: a static key, admin
    ring.set_stored(
        {
            digest(key): StoredKey(n, name, name.removesuffix("-other"))
            for n, (name, key) in enumerate(KEYS.items(), start=1)
        }
    )
    return ring


def h(name: str) -> dict[str, str]:
    return {"X-TheRundown-Key": KEYS[name]}


@pytest.fixture
async def client(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """The test hub's API with tiered keys, in process."""
    app = create_app(api.hub, key_ring())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub"
    ) as c:
        yield c


def usage(r: httpx.Response) -> tuple[int, int, int | str, int | str]:
    """X-Datapoints, -Used, -Remaining, -Limit."""

    def value(name: str) -> int | str:
        text = r.headers[name]
        return int(text) if text.isdigit() else text

    cost, used = int(r.headers["x-datapoints"]), int(r.headers["x-datapoints-used"])
    return cost, used, value("x-datapoints-remaining"), value("x-datapoints-limit")


async def test_every_authenticated_response_carries_the_usage_headers(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get(EVENTS, headers=h("free"))
    assert r.status_code == 200
    assert r.headers["x-tier"] == "free"
    assert r.headers["x-rate-limit"] == "1"
    assert r.headers["x-data-delay-seconds"] == "300"  # the board as it was 5 min ago
    assert r.headers["x-websocket-access"] == "false"
    assert r.headers["x-datapoints-period"] == "day"
    assert 0 < int(r.headers["x-datapoints-reset"]) <= 86_400
    cost, used, remaining, limit = usage(r)
    # five minutes ago this fresh hub held nothing: the least a success costs
    assert r.json()["events"] == [] and cost == 1
    assert (used, limit) == (cost, 20_000)
    assert used + int(remaining) == limit


async def test_usage_accumulates_and_only_successes_cost(client: httpx.AsyncClient) -> None:
    r = await client.get(EVENTS, headers=h("daily"))
    first, used, remaining, limit = usage(r)
    assert used == first and used + int(remaining) == limit == 40
    r = await client.get("/api/v2/markets", headers=h("daily"))  # carries no price: 1
    assert usage(r)[:2] == (1, first + 1)
    r = await client.get("/api/v2/events/no-such-event", headers=h("daily"))
    assert r.status_code == 404
    cost, used, remaining, limit = usage(r)
    assert (cost, used) == (0, first + 1) and used + int(remaining) == limit
    assert r.headers["x-tier"] == "daily"


async def test_admin_keys_are_unlimited(client: httpx.AsyncClient) -> None:
    admin = {"X-TheRundown-Key": KEY}
    replies = await asyncio.gather(
        *(client.get("/api/v2/markets", headers=admin) for _ in range(300))
    )
    assert {r.status_code for r in replies} == {200}
    r = replies[-1]
    assert r.headers["x-tier"] == "admin"
    assert r.headers["x-rate-limit"] == "unlimited"
    assert r.headers["x-datapoints-limit"] == "unlimited"
    assert r.headers["x-datapoints-remaining"] == "unlimited"
    assert r.headers["x-websocket-access"] == "true"


async def test_public_paths_are_neither_limited_nor_counted(client: httpx.AsyncClient) -> None:
    replies = await asyncio.gather(*(client.get("/api/v2/sports") for _ in range(50)))
    assert {r.status_code for r in replies} == {200}
    assert all("x-tier" not in r.headers for r in replies)
    # ... even with a key of a 1 request/s tier
    replies = await asyncio.gather(
        *(client.get("/api/v2/sports", headers=h("free")) for _ in range(20))
    )
    assert {r.status_code for r in replies} == {200}


@pytest.mark.parametrize(
    ("tier", "message"),
    [("daily", "Daily data point limit reached"), ("monthly", "Monthly data point limit reached")],
)
async def test_a_spent_quota_is_refused_until_the_period_turns(
    client: httpx.AsyncClient, tier: str, message: str
) -> None:
    served: list[httpx.Response] = []
    while True:
        r = await client.get(EVENTS, headers=h(tier))
        if r.status_code != 200:
            break
        served.append(r)
        assert len(served) < 100
    # the request that crosses the quota is still served; the next one is refused
    last = served[-1]
    assert int(last.headers["x-datapoints-used"]) >= 40
    assert last.headers["x-datapoints-remaining"] == "0"
    assert all(usage(s)[1] + int(usage(s)[2]) == 40 for s in served[:-1])
    assert r.status_code == 429
    assert r.json() == {"error": message}
    assert r.headers["x-datapoints"] == "0"
    reset = int(r.headers["x-datapoints-reset"])
    assert int(r.headers["retry-after"]) == reset > 0
    assert reset <= (86_400 if tier == "daily" else 31 * 86_400)
    # the SDK raises it as a spent quota, and does not retry it
    sdk = AsyncClient("http://hub", KEYS[tier], http=client)
    with pytest.raises(QuotaExhaustedError) as caught:
        await sdk.send(calls.markets())
    assert caught.value.retry_after == reset or caught.value.retry_after == reset - 1


async def test_the_sdk_sees_the_burst_refusal_with_its_retry_after(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/api/v2/markets", headers=h("free"))).status_code == 200
    sdk = AsyncClient("http://hub", KEYS["free"], http=client, retry=RetryPolicy(max_retries=0))
    with pytest.raises(RateLimitError) as caught:
        await sdk.send(calls.markets())
    assert not isinstance(caught.value, QuotaExhaustedError)
    assert caught.value.retry_after == 1.0
    assert str(caught.value).endswith("Rate limit exceeded") or "Rate limit" in str(caught.value)
    # with retries, the SDK waits the Retry-After and gets through
    sdk = AsyncClient("http://hub", KEYS["free"], http=client)
    started = time.monotonic()
    assert await sdk.send(calls.markets())
    assert time.monotonic() - started >= 0.9


async def test_the_sdk_keeps_the_latest_usage_with_the_delay(client: httpx.AsyncClient) -> None:
    sdk = AsyncClient("http://hub", KEYS["free"], http=client)
    assert sdk.usage is None
    assert await sdk.send(calls.markets())
    usage = sdk.usage
    assert usage is not None
    assert (usage.tier, usage.rate_limit, usage.delay_seconds) == ("free", 1.0, 300.0)
    assert not usage.realtime and not usage.websocket_access
    assert (usage.datapoints, usage.used, usage.limit, usage.period) == (1, 1, 20_000, "day")
    assert usage.remaining == 19_999 and 0 < (usage.reset_seconds or 0) <= 86_400
    admin = AsyncClient("http://hub", KEY, http=client)
    assert await admin.send(calls.markets())
    assert admin.usage is not None and admin.usage.realtime
    assert (admin.usage.rate_limit, admin.usage.limit, admin.usage.remaining) == (None, None, None)
    assert await admin.send(calls.sports())  # public: no usage headers, the last kept
    assert admin.usage.tier == "admin"


# --------------------------------------------------------------- real sockets


@dataclass
class Live:
    port: int
    hub: Hub

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    store = SqliteTickStore(str(tmp_path / "live.db"))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    app = create_app(hub, key_ring())
    try:
        async with serve_app(app, backlog=2048) as port:
            yield Live(port, hub)
    finally:
        await app.state.ctx.fanout.stop()
        await hub.stop()


@dataclass
class Reply:
    key: str
    status: int
    headers: dict[str, str]
    body: bytes


async def keep_alive_client(port: int, key: str, requests: int) -> list[Reply]:
    """``requests`` GETs one after the other on one kept-alive connection (a minimal
    HTTP/1.1 client: httpx's pool, not the server, is the bottleneck at this rate)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {EVENTS} HTTP/1.1\r\nHost: hub\r\nX-TheRundown-Key: {key}\r\n\r\n"
    replies: list[Reply] = []
    try:
        for _ in range(requests):
            writer.write(request.encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in head[1:] if line)
            body = await reader.readexactly(int(headers["content-length"]))
            replies.append(Reply(key, int(head[0].split()[1]), headers, body))
    finally:
        writer.close()
    return replies


async def test_a_burst_of_1000_requests_lets_through_what_the_limit_says(live: Live) -> None:
    one, other = KEYS["burst5"], KEYS["burst5-other"]
    started = time.monotonic()
    batches = await asyncio.gather(
        *(keep_alive_client(live.port, one, 20) for _ in range(50)),  # 1,000 from one key
        *(keep_alive_client(live.port, other, 20) for _ in range(10)),  # another account
    )
    elapsed = time.monotonic() - started
    replies = [reply for batch in batches for reply in batch]
    assert len(replies) == 1200

    def allowed(key: str) -> int:
        return sum(r.status == 200 for r in replies if r.key == key)

    # 5 at once, then 5 a second: give or take one window (5 more)
    most = 5 + 5 * elapsed + 5
    assert 5 <= allowed(one) <= most, (allowed(one), elapsed)
    # the other account has its own bucket: the first one does not starve it
    assert 5 <= allowed(other) <= most, (allowed(other), elapsed)
    refused = [r for r in replies if r.status != 200]
    assert len(refused) >= 1200 - 2 * most
    assert {r.status for r in refused} == {429}
    assert {r.body for r in refused} == {b'{"error":"Rate limit exceeded"}'}
    assert {r.headers["retry-after"] for r in refused} == {"1"}
    assert {r.headers["x-tier"] for r in refused} == {"burst5"}


async def test_websocket_upgrades_are_rate_limited_and_carry_the_headers(live: Live) -> None:
    url = f"ws://127.0.0.1:{live.port}/api/v2/ws/markets?key={KEYS['wsburst']}"
    async with connect(url, open_timeout=10) as ws:
        assert ws.response is not None
        headers = ws.response.headers
        assert headers["x-tier"] == "wsburst"
        assert headers["x-websocket-access"] == "true"
        assert headers["x-rate-limit"] == "1"
        assert headers["x-datapoints"] == "0"
        with pytest.raises(InvalidStatus) as caught:  # a second upgrade in the same second
            async with connect(url, open_timeout=10):
                pass
        refused = caught.value.response
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert b"Rate limit exceeded" in refused.body
    await asyncio.sleep(1.05)  # a token again after a second
    async with connect(url, open_timeout=10) as ws:
        assert ws.response is not None and ws.response.status_code == 101


async def prices_until_closed(ws: ClientConnection, into: list[dict[str, Any]]) -> ConnectionClosed:
    """Collect ``market_price`` messages until the server closes the stream."""
    try:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if message["meta"]["type"] == "market_price":
                into.append(message)
    except ConnectionClosed as closed:
        return closed


async def test_streams_are_metered_as_data_points_and_closed_when_spent(live: Live) -> None:
    """Reference §4.1: WebSocket messages are metered as data points. One per price a
    message carries; the stream closes (1008) after the message that spends the quota,
    and the next upgrade is refused until the period turns."""
    game = make_event()
    url = f"ws://127.0.0.1:{live.port}/api/v2/ws/markets?key={KEYS['wsdaily']}"

    async def used() -> int:
        async with httpx.AsyncClient(base_url=live.http) as http:
            r = await http.get("/api/v2/markets", headers=h("wsdaily"))  # costs 1
            return int(r.headers["x-datapoints-used"]) - 1

    async def submit(*americans: int) -> None:
        await live.hub.submit(
            [price(game, affiliate_id=19, american=a, participant_id=4002) for a in americans]
        )
        await live.hub.store.flush()

    await live.hub.submit([event_change(game)])
    async with connect(url, open_timeout=10) as ws:
        await submit(-110, -115, -120, -125, -130)
        got = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(5)]
        assert [m["meta"]["type"] for m in got] == ["market_price"] * 5
        assert await used() == 5  # the five prices
        await submit(*range(100, 120))  # more than the 6 points left
        prices: list[dict[str, Any]] = []
        closed = await prices_until_closed(ws, prices)
    assert closed.rcvd is not None
    assert (closed.rcvd.code, closed.rcvd.reason) == (1008, "Daily data point limit reached")
    assert len(prices) == 12 - 5 - 1  # up to the one that spent it (the REST call took 1)
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, open_timeout=10):
            pass
    assert refused.value.response.status_code == 429
    assert b"Daily data point limit reached" in refused.value.response.body


# ----------------------------------------------------- counting, in isolation


def metered(inner: ASGIApp, meter: UsageMeter) -> ASGIApp:
    """``inner`` behind the middleware, as the ``daily`` key (which auth would set)."""
    middleware = MeteringMiddleware(inner, meter)
    identity = Identity("key:99", "isolated", TIERS["daily"])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"] = {STATE_KEY: identity}
        await middleware(scope, receive, send)

    return app


async def test_v1_bodies_count_their_price_members(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/sports/4/events/2026-11-22", headers=h("daily"))
    assert r.status_code == 200 and b'"price":' not in r.content
    assert int(r.headers["x-datapoints"]) == datapoints(r.content) > 1


async def test_a_handler_may_declare_its_count_and_streams_are_charged_at_the_end() -> None:
    async def declared(request: Request) -> Response:
        request.state.datapoints = 7
        return Response(b'{"price":1}', media_type="application/json")

    async def streamed(request: Request) -> Response:
        async def chunks() -> AsyncIterator[bytes]:
            for part in (b'[{"pri', b'ce":1},{"price":2},{"pr', b'ice":3}]'):
                yield part

        return StreamingResponse(chunks(), media_type="application/json")

    meter = UsageMeter()
    inner = Starlette(routes=[Route("/declared", declared), Route("/streamed", streamed)])
    transport = httpx.ASGITransport(app=metered(inner, meter))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as c:
        r = await c.get("/declared")
        assert usage(r)[:2] == (7, 7)
        r = await c.get("/streamed")
        assert r.json() == [{"price": 1}, {"price": 2}, {"price": 3}]
        assert usage(r)[:2] == (0, 7)  # headers went first: the usage before it
        assert meter.status("key:99", "day").used == 10


async def test_the_events_routes_declare_the_count_a_body_scan_would_find(
    client: httpx.AsyncClient,
) -> None:
    from oddswire.access.usage import PRICE_FIELD

    for path in (EVENTS, EVENTS + "?market_ids=1", EVENTS + "?affiliate_ids=19"):
        first = await client.get(path, headers=h("monthly"))
        again = await client.get(path, headers=h("monthly"))  # from the encoded cache
        for r in (first, again):
            assert r.status_code == 200
            assert int(r.headers["x-datapoints"]) == max(1, r.content.count(PRICE_FIELD)), path
