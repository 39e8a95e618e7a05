"""MarketStream against a scripted server that speaks the multiplexed protocol on a
real socket: duplicates dropped, a sub_sequence gap resumed over, a stale cursor
reported as a reset, a silent server treated as dead, the flat stream's REST gap fill
(against a real hub)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from oddswire.client import AsyncClient, Backoff, ClientConfig
from oddswire.client.stream import MarketStream, StreamReset

sys.path.insert(0, str(Path(__file__).parents[1] / "cli"))

FAST = Backoff(0.01, 0.05, 0.0)


def price(sequence: int, event: str = "e1", book: int = 19, value: str = "-110") -> dict[str, Any]:
    return {
        "meta": {"type": "market_price"},
        "data": {
            "id": sequence,
            "event_id": event,
            "sport_id": 4,
            "affiliate_id": book,
            "market_id": 1,
            "period_id": 0,
            "normalized_market_participant_id": 10,
            "normalized_market_participant_type": 1,
            "line": "",
            "price": value,
            "is_main_line": True,
            "closed": False,
            "updated_at": "2026-11-22T01:00:00Z",
        },
    }


def delta(sequence: int, sub_sequence: int) -> str:
    return json.dumps(
        {
            "type": "delta",
            "id": "oddswire-sdk",
            "sequence": sequence,
            "sub_sequence": sub_sequence,
            "data": price(sequence),
        }
    )


Script = Callable[[ServerConnection, dict[str, Any], int], Awaitable[None]]


@contextlib.asynccontextmanager
async def scripted(script: Script) -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A server that runs ``script(ws, subscribe_params, connection_number)``."""
    subscriptions: list[dict[str, Any]] = []

    async def handler(ws: ServerConnection) -> None:
        request = json.loads(await ws.recv())
        subscriptions.append(request["params"])
        await script(ws, request["params"], len(subscriptions))

    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"http://127.0.0.1:{port}", subscriptions


async def take(stream: MarketStream, count: int) -> list[Any]:
    out: list[Any] = []
    async with contextlib.aclosing(stream.__aiter__()) as items:
        async for item in items:
            out.append(item)
            if len(out) == count:
                break
    return out


def subscribed(sequence: int) -> str:
    return json.dumps(
        {
            "type": "subscribed",
            "id": "oddswire-sdk",
            "channel": "markets",
            "sequence": sequence,
            "epoch": "ep1",
        }
    )


async def test_replayed_changes_are_dropped_and_resume_sends_the_cursor() -> None:
    async def script(ws: ServerConnection, params: dict[str, Any], n: int) -> None:
        if n == 1:
            await ws.send(subscribed(10))
            for i, seq in enumerate((11, 12, 13), 1):
                await ws.send(delta(seq, i))
            await ws.close()
            return
        await ws.send(subscribed(13))
        for i, seq in enumerate((12, 13, 14, 15), 1):  # 12 and 13 again
            await ws.send(delta(seq, i))
        await ws.send(
            json.dumps(
                {
                    "type": "in_sync",
                    "id": "oddswire-sdk",
                    "sequence": 15,
                    "replay": "exact",
                    "count": 4,
                }
            )
        )
        await ws.wait_closed()

    async with scripted(script) as (url, subscriptions):
        stream = MarketStream(ClientConfig(url, "k"), backoff=FAST)
        items = await take(stream, 5)
    assert [i.id for i in items] == [11, 12, 13, 14, 15]
    assert subscriptions[1]["resume_from"] == 13 and subscriptions[1]["epoch"] == "ep1"
    assert stream.stats.duplicates_dropped == 2
    assert stream.origin == 10


async def test_a_sub_sequence_gap_is_resumed_over() -> None:
    async def script(ws: ServerConnection, params: dict[str, Any], n: int) -> None:
        if n == 1:
            await ws.send(subscribed(0))
            await ws.send(delta(1, 1))
            await ws.send(delta(3, 3))  # sub_sequence 2 never came
            await ws.wait_closed()
            return
        assert params["resume_from"] == 1
        await ws.send(subscribed(3))
        await ws.send(delta(2, 1))
        await ws.send(delta(3, 2))
        await ws.wait_closed()

    async with scripted(script) as (url, _):
        stream = MarketStream(ClientConfig(url, "k"), backoff=FAST)
        items = await take(stream, 3)
    assert [i.id for i in items] == [1, 2, 3]
    assert stream.stats.connects == 2


async def test_a_stale_cursor_becomes_a_reset_and_a_fresh_start() -> None:
    async def script(ws: ServerConnection, params: dict[str, Any], n: int) -> None:
        if n == 1:
            await ws.send(
                json.dumps(
                    {
                        "type": "error",
                        "code": "stale_cursor",
                        "id": "oddswire-sdk",
                        "message": "resume_from: older than the resume window",
                    }
                )
            )
            await ws.wait_closed()
            return
        assert "resume_from" not in params
        await ws.send(subscribed(500))
        await ws.send(delta(501, 1))
        await ws.wait_closed()

    async with scripted(script) as (url, _):
        stream = MarketStream(ClientConfig(url, "k"), resume_from=7, backoff=FAST)
        items = await take(stream, 2)
    assert isinstance(items[0], StreamReset) and items[0].after == 7
    assert items[1].id == 501 and stream.stats.resets == 1


async def test_silence_past_the_heartbeat_timeout_is_a_dead_connection() -> None:
    async def script(ws: ServerConnection, params: dict[str, Any], n: int) -> None:
        await ws.send(subscribed(0) if n == 1 else subscribed(1))
        if n == 1:
            await ws.send(delta(1, 1))
            await ws.wait_closed()  # connected, but says nothing
            return
        await ws.send(delta(2, 1))
        await ws.wait_closed()

    async with scripted(script) as (url, _):
        stream = MarketStream(ClientConfig(url, "k"), heartbeat_timeout=0.3, backoff=FAST)
        items = await asyncio.wait_for(take(stream, 2), 10)
    assert [i.id for i in items] == [1, 2]
    assert stream.stats.heartbeat_timeouts == 1


def test_reconnect_backoff_doubles_from_one_second_to_thirty() -> None:
    from oddswire.client.stream import RECONNECT

    delays = [RECONNECT.delay(n) for n in range(8)]
    assert 1.0 <= delays[0] <= 1.25 and 2.0 <= delays[1] <= 2.5
    assert all(d <= 30.0 for d in delays) and delays[-1] == pytest.approx(30.0, abs=0.01)


async def test_flat_stream_fills_a_gap_from_markets_delta(tmp_path: Path) -> None:
    from hubproc import KEY, HubProcess

    hub = HubProcess(tmp_path / "hub.db", "--sports", "4", "--rate", "300")
    try:
        url = await asyncio.to_thread(hub.wait_ready)
        async with AsyncClient(url, KEY) as api:
            first = api.stream_markets_flat(sport_ids=[4])
            head = await take(first, 3)
            cursor = head[-1].id
            await asyncio.sleep(1.5)  # changes happen while no stream is connected
            second = api.stream_markets_flat(sport_ids=[4], resume_from=cursor)
            items = await take(second, 40)
            reference = await api.markets_delta(cursor, sport_id=4, limit=5000)
    finally:
        hub.stop()
    ids = [i.id for i in items]
    assert ids == sorted(set(ids)) and ids[0] > cursor
    assert second.stats.gap_filled > 0
    expected = [row.id for row in reference.deltas][: second.stats.gap_filled]
    assert ids[: second.stats.gap_filled] == expected
