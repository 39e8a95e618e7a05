"""Request limits, WebSocket frame and subscription caps, and CORS, on a real server.

Each test serves a real hub with uvicorn on a free port (the same server settings as
``oddswire serve``) and talks to it over real sockets, so what uvicorn's parser does
before the app runs is part of what is tested.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.context import ApiContext
from oddswire.api.guards import Limits
from oddswire.api.server import server_config
from oddswire.api.ws.multiplex import Connection
from oddswire.config import ConfigError, Settings, load_settings
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.store.sqlite import SqliteTickStore
from oddswire.stream.message import Message
from oddswire.stream.session import Session

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "api_ws"))
from wskit import read_until_closed, wait_for  # type: ignore[import-not-found]

KEY = "guard-test-key-0123456789"
KIB = 1024
MIB = 1024 * 1024


@dataclass
class Served:
    port: int
    limits: Limits

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws(self, path: str = "/api/v2/ws", query: str = "") -> str:
        return f"ws://127.0.0.1:{self.port}{path}?key={KEY}{query}"

    async def raw(self, request: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """Send ``request`` as is; the status, headers and body of the answer."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(request)
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {
                k.strip().lower(): v.strip()
                for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
            }
            length = int(headers.get("content-length", "0"))
            body = await asyncio.wait_for(reader.readexactly(length), timeout)
            return status, headers, body
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


@contextlib.asynccontextmanager
async def serve(db: Path, limits: Limits | None = None) -> AsyncIterator[Served]:
    limits = limits or Limits()
    store = SqliteTickStore(str(db))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    app = create_app(hub, KeyRing([KEY]), limits)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.setblocking(False)
    config = server_config(app, log_level="warning", ws_max_size=limits.ws_max_frame_bytes)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    await wait_for(lambda: server.started)
    try:
        yield Served(sock.getsockname()[1], limits)
    finally:
        server.should_exit = True
        await task
        await app.state.ctx.fanout.stop()
        await hub.stop()
        sock.close()


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    async with serve(tmp_path / "guards.db") as found:
        yield found


def get(target: str, *headers: str, body: bytes = b"") -> bytes:
    lines = [f"GET {target} HTTP/1.1", "Host: hub", f"X-TheRundown-Key: {KEY}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def error_of(body: bytes) -> str:
    decoded = json.loads(body)
    assert list(decoded) == ["error"], decoded
    message: str = decoded["error"]
    return message


# ------------------------------------------------------------------ URL and query


async def test_a_giant_query_is_414_in_the_envelope_before_auth(served: Served) -> None:
    query = "sport_ids=" + "4," * (10 * KIB)
    status, headers, body = await served.raw(get(f"/api/v2/sports?{query}"))
    assert status == 414
    assert error_of(body).startswith("URI Too Long")
    assert headers["connection"] == "close"
    # refused before auth: no key, still 414 (not 401), on a keyed route too
    request = (
        f"GET /api/v2/sports/4/events/2026-11-21?{query}&x=1 HTTP/1.1\r\nHost: hub\r\n\r\n".encode()
    )
    status, _, body = await served.raw(request)
    assert status == 414
    # just under the limit is served
    fits = "a=" + "b" * (served.limits.max_query_bytes - len("/api/v2/sports?a=") - 10)
    status, _, _ = await served.raw(get(f"/api/v2/sports?{fits}"))
    assert status == 200


async def test_a_megabyte_url_is_refused_by_the_parser_not_a_5xx(served: Served) -> None:
    status, headers, _ = await served.raw(get("/api/v2/sports?q=" + "x" * MIB))
    assert status == 400  # uvicorn's own answer for a URL over 64 KiB
    assert headers["connection"] == "close"
    status, _, _ = await served.raw(get("/api/v2/sports"))
    assert status == 200


async def test_too_many_query_parameters(served: Served, tmp_path: Path) -> None:
    status, _, body = await served.raw(get("/api/v2/sports?" + "&".join(["a=1"] * 101)))
    assert status == 400
    assert "101 query parameters" in error_of(body)
    status, _, _ = await served.raw(get("/api/v2/sports?" + "&".join(["a=1"] * 100)))
    assert status == 200
    # 10,000 parameters: over the length limit first
    ten_thousand = "&".join(["p=1"] * 10_000)  # 40 KiB: under uvicorn's own 64 KiB
    status, _, _ = await served.raw(get(f"/api/v2/sports?{ten_thousand}"))
    assert status == 414
    # with room for them, the count refuses them
    async with serve(tmp_path / "roomy.db", Limits(max_query_bytes=60 * KIB)) as roomy:
        status, _, body = await roomy.raw(get(f"/api/v2/sports?{ten_thousand}"))
    assert status == 400
    assert "10000 query parameters; at most 100" in error_of(body)


# ---------------------------------------------------------------- headers, bodies


async def test_huge_headers_are_431(served: Served) -> None:
    status, headers, body = await served.raw(get("/api/v2/sports", "X-Junk: " + "j" * MIB))
    assert status == 431
    assert error_of(body).startswith("Request Header Fields Too Large")
    assert headers["connection"] == "close"
    many = [f"X-Junk-{i}: j" for i in range(10_000)]
    status, _, _ = await served.raw(get("/api/v2/sports", *many))
    assert status == 431
    status, _, _ = await served.raw(get("/api/v2/sports", "X-Fine: " + "f" * 8 * KIB))
    assert status == 200


async def test_a_body_over_the_limit_is_413_unread(served: Served) -> None:
    # a declared megabyte, never sent: refused at once, without waiting for it
    status, headers, body = await served.raw(get("/api/v2/sports", f"Content-Length: {MIB}"))
    assert status == 413
    assert error_of(body).startswith("Payload Too Large")
    assert headers["connection"] == "close"
    status, _, _ = await served.raw(get("/api/v2/sports", "Content-Length: nonsense"))
    assert status in (400, 413)  # the parser or the guard, never a 5xx


async def test_a_chunked_body_is_read_only_up_to_the_limit(served: Served) -> None:
    chunk = b"c" * (40 * KIB)
    framed = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 2  # 80 KiB, not terminated
    request = get("/api/v2/sports", "Transfer-Encoding: chunked", body=framed)
    status, _, body = await served.raw(request)
    assert status == 413
    assert "Payload Too Large" in error_of(body)
    small = b"5\r\nhello\r\n0\r\n\r\n"
    status, _, body = await served.raw(
        get("/api/v2/sports", "Transfer-Encoding: chunked", body=small)
    )
    assert status == 200


async def test_a_small_body_on_get_is_ignored(served: Served) -> None:
    status, _, body = await served.raw(get("/api/v2/sports", "Content-Length: 5", body=b"hello"))
    assert status == 200
    assert json.loads(body)["sports"]


# ---------------------------------------------------------------------- WebSocket


async def refusal(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The status and error message refusing a WebSocket upgrade."""
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, additional_headers=headers, open_timeout=10):
            pass
    response = refused.value.response
    return response.status_code, error_of(response.body or b"{}")


async def test_websocket_upgrades_over_the_limits_are_refused_in_the_envelope(
    served: Served,
) -> None:
    # by the guard
    status, message = await refusal(served.ws(query="&sport_ids=4" * 101))
    assert (status, message) == (400, "Bad Request: 102 query parameters; at most 100 are accepted")
    # by the WebSocket parser, before the app (request or header lines over 8 KiB, more
    # than 128 headers): the same envelope, not a socket left hanging
    status, message = await refusal(served.ws(query="&sport_ids=" + "4," * (5 * KIB)))
    assert status == 414 and message.startswith("URI Too Long")
    status, message = await refusal(served.ws(), {"X-Junk": "j" * MIB})
    assert status == 431 and message.startswith("Request Header Fields Too Large")
    status, message = await refusal(served.ws(), {f"X-Junk-{i}": "j" for i in range(200)})
    assert status == 431
    async with connect(served.ws(), open_timeout=10) as ws:  # the server is fine
        await ws.send(json.dumps({"action": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}


async def test_a_megabyte_frame_closes_with_1009(served: Served) -> None:
    async with connect(served.ws(), max_size=None, open_timeout=10) as ws:
        await ws.send(json.dumps({"action": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}
        with contextlib.suppress(ConnectionClosed):
            await ws.send("x" * MIB)
        closed = await asyncio.wait_for(read_until_closed(ws), 10)
    assert closed.rcvd is not None, "the server sent no close frame"
    assert closed.rcvd.code == 1009


async def test_the_frame_limit_is_a_setting(tmp_path: Path) -> None:
    async with (
        serve(tmp_path / "frames.db", Limits(ws_max_frame_bytes=4 * KIB)) as small,
        connect(small.ws(), open_timeout=10) as ws,
    ):
        await ws.send('{"action": "ping"' + " " * (3 * KIB) + "}")  # padded, valid
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}
        await ws.send('{"action": "ping"' + " " * (5 * KIB) + "}")
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


class Collected:
    """An outbound that keeps what a session writes, decoded."""

    buffered = 0
    closed = False

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def write(self, message: Message) -> None:
        self.messages.append(json.loads(message.payload))

    def flush(self) -> None:
        pass


async def test_ten_thousand_subscribe_attempts_hit_the_global_cap(tmp_path: Path) -> None:
    """Through the multiplexed protocol's handler, as every client frame goes (over a
    socket, the flood guard would close the connection long before: the next test)."""
    store = SqliteTickStore(str(tmp_path / "cap.db"))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    ctx = ApiContext.for_hub(hub)
    collected = Collected()
    session = Session(collected, lambda code, reason: None, lambda: ctx.fanout.published)
    connection = Connection(ctx, session)
    connection.max_subscriptions = Limits().max_subscriptions
    try:
        for n in range(10_000):
            await connection.handle(
                json.dumps({"action": "subscribe", "id": f"s{n}", "channel": "scores"})
            )
        await connection.handle(json.dumps({"action": "usage"}))
    finally:
        await ctx.fanout.stop()
        await hub.stop()
    *replies, usage = collected.messages
    assert len(replies) == 10_000
    assert [r["type"] for r in replies[:1000]] == ["subscribed"] * 1000
    errors = replies[1000:]
    assert {e["type"] for e in errors} == {"error"}
    assert {e["code"] for e in errors} == {"too_many_subscriptions"}
    assert [e["id"] for e in errors] == [f"s{n}" for n in range(1000, 10_000)]
    assert "at most 1000" in errors[0]["message"]
    assert len(usage["data"]["subscriptions"]) == 1000
    assert usage["data"]["max_subscriptions"] == 1000


async def test_ten_thousand_subscribes_on_a_socket_are_a_flood(served: Served) -> None:
    async with connect(served.ws(), max_size=None, open_timeout=10) as ws:
        with contextlib.suppress(ConnectionClosed):
            for n in range(10_000):
                await ws.send(
                    json.dumps({"action": "subscribe", "id": f"s{n}", "channel": "scores"})
                )
        closed = await asyncio.wait_for(read_until_closed(ws), 10)
    assert closed.rcvd is not None
    assert (closed.rcvd.code, closed.rcvd.reason) == (1008, "too many messages")
    async with connect(served.ws(), open_timeout=10) as ws:
        await ws.send(json.dumps({"action": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "pong"}


async def test_the_subscription_cap_is_a_setting(tmp_path: Path) -> None:
    async with (
        serve(tmp_path / "subs.db", Limits(max_subscriptions=100)) as small,
        connect(small.ws(), open_timeout=10) as ws,
    ):
        for n in range(120):  # within the flood guard's burst
            await ws.send(json.dumps({"action": "subscribe", "id": f"s{n}", "channel": "scores"}))
        replies = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(120)]
        await ws.send(json.dumps({"action": "usage"}))
        usage = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert [r["type"] for r in replies] == ["subscribed"] * 100 + ["error"] * 20
    assert replies[100] == {
        "type": "error",
        "code": "too_many_subscriptions",
        "message": replies[100]["message"],
        "id": "s100",
    }
    assert "at most 100" in replies[100]["message"]
    assert usage["data"]["max_subscriptions"] == 100


# --------------------------------------------------------------------------- CORS


async def test_no_cors_headers_by_default(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.http) as client:
        r = await client.get("/api/v2/sports", headers={"Origin": "https://app.example"})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers


async def test_cors_preflight_and_responses(tmp_path: Path) -> None:
    origin = "https://app.example"
    async with (
        serve(tmp_path / "cors.db", Limits(cors_origins=(origin,))) as cors,
        httpx.AsyncClient(base_url=cors.http) as client,
    ):
        preflight = await client.options(
            "/api/v2/sports/4/events/2026-11-21",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "x-therundown-key",
            },
        )
        served = await client.get(
            "/api/v2/sports", headers={"Origin": origin, "X-TheRundown-Key": KEY}
        )
        refused = await client.get("/api/v2/sports/4/events/2026-11-21", headers={"Origin": origin})
        too_long = await client.get(
            "/api/v2/sports?q=" + "x" * (9 * KIB), headers={"Origin": origin}
        )
        stranger = await client.options(
            "/api/v2/sports",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "x-therundown-key" in preflight.headers["access-control-allow-headers"].lower()
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert served.status_code == 200
    assert served.headers["access-control-allow-origin"] == origin
    assert "x-tier" in served.headers["access-control-expose-headers"].lower()
    # a browser can read the refusals too
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == origin
    assert too_long.status_code == 414
    assert too_long.headers["access-control-allow-origin"] == origin
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers


# ------------------------------------------------------------------------ settings


def test_limit_settings_defaults_and_checks(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=str(tmp_path))
    assert (settings.max_body_bytes, settings.max_query_bytes) == (64 * KIB, 8 * KIB)
    assert (settings.max_query_params, settings.max_header_bytes) == (100, 16 * KIB)
    assert (settings.ws_max_frame_bytes, settings.max_subscriptions) == (64 * KIB, 1000)
    assert settings.cors_origins == []
    assert settings.tls_certfile is None and settings.tls_keyfile is None
    env = {"ODDSWIRE_CORS_ORIGINS": "https://a.example, http://localhost:3000"}
    loaded = load_settings(environ=env, cwd=str(tmp_path))
    assert loaded.cors_origins == ["https://a.example", "http://localhost:3000"]
    for bad in (
        {"ODDSWIRE_CORS_ORIGINS": "a.example"},
        {"ODDSWIRE_CORS_ORIGINS": "https://a.example/"},
        {"ODDSWIRE_MAX_SUBSCRIPTIONS": "0"},
        {"ODDSWIRE_MAX_QUERY_BYTES": "10"},
        {"ODDSWIRE_WS_MAX_FRAME_BYTES": "x"},
    ):
        with pytest.raises(ConfigError):
            load_settings(environ=bad, cwd=str(tmp_path))


def test_tls_needs_both_files(tmp_path: Path) -> None:
    pem = tmp_path / "cert.pem"
    pem.write_text("not a certificate")
    with pytest.raises(ConfigError, match="both or neither"):
        load_settings(environ={"ODDSWIRE_TLS_CERTFILE": str(pem)}, cwd=str(tmp_path))
    with pytest.raises(ConfigError, match="both or neither"):
        load_settings(environ={"ODDSWIRE_TLS_KEYFILE": str(pem)}, cwd=str(tmp_path))
    with pytest.raises(ConfigError, match="no file"):
        load_settings(
            environ={
                "ODDSWIRE_TLS_CERTFILE": str(tmp_path / "missing.pem"),
                "ODDSWIRE_TLS_KEYFILE": str(pem),
            },
            cwd=str(tmp_path),
        )
    with pytest.raises(ConfigError, match="cannot load"):
        load_settings(
            environ={"ODDSWIRE_TLS_CERTFILE": str(pem), "ODDSWIRE_TLS_KEYFILE": str(pem)},
            cwd=str(tmp_path),
        )
    assert Settings().tls_certfile is None
