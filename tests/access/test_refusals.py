"""Entitlement refusals name the cheapest configured plan that has what is missing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories import event_change, make_event
from oddswire.access import entitlements
from oddswire.access.entitlements import DEFAULT_REFUSALS, Refusals, refusals_in_force
from oddswire.access.tiers import ADMIN, DEFAULT_TIERS, Entitlement, Tier, Tiers
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.hub import Hub, HubSettings
from oddswire.model import Event
from oddswire.refdata import load_catalog
from oddswire.store.keys import StoredKey, digest
from oddswire.store.sqlite import SqliteTickStore

#: What the default tiers' refusals say, word for word (tests and docs rely on them).
DEFAULT_MESSAGES = {
    Entitlement.FUTURES: "Futures markets require Ultra plan or higher",
    Entitlement.PLAYER_PROPS: "Player props require Pro plan or higher",
    Entitlement.LIVE_PERIODS: "Live period markets require Pro plan or higher",
    Entitlement.HEDGE: "Hedge requires Super plan or higher",
    Entitlement.ADMIN: "Admin endpoints require the admin tier",
}
DEFAULT_WEBSOCKET = "WebSocket access requires Ultra plan or higher"
ALL_DATA_TOML = '["player_props", "live_periods", "futures", "hedge"]'
ABOVE_PRO = ("ultra", "super", "mega", "max", "enterprise")
#: Futures from Pro; hedge and WebSocket access only on tiers this file adds.
MOVED = "\n".join(
    [
        "[tiers.starter]\nburst = 1000\nhistory_days = 100000\ndelay_seconds = 0",
        "[tiers.pro]\nentitlements = ['player_props', 'live_periods', 'futures']",
        *(
            f"[tiers.{name}]\nwebsocket = false\n"
            "entitlements = ['player_props', 'live_periods', 'futures']"
            for name in ABOVE_PRO
        ),
        f"[tiers.sharp]\nentitlements = {ALL_DATA_TOML}",
        "[tiers.streamer]\nwebsocket = true\nws_connections = 1\nws_subscriptions = 1",
    ]
)


def tiers_from(tmp_path: Path, toml: str) -> Tiers:
    path = tmp_path / "tiers.toml"
    path.write_text(toml)
    return Tiers.from_file(str(path))


def test_the_default_tiers_keep_the_reference_wording() -> None:
    assert dict(Refusals.for_tiers(Tiers()).messages) == DEFAULT_MESSAGES
    assert Refusals.for_tiers(Tiers()).websocket == DEFAULT_WEBSOCKET
    assert entitlements.MESSAGES == DEFAULT_MESSAGES
    assert entitlements.WEBSOCKET_MESSAGE == DEFAULT_WEBSOCKET
    assert entitlements.in_force() is DEFAULT_REFUSALS  # outside a request
    free = Tiers()["free"]
    assert entitlements.refusal(free, Entitlement.FUTURES) == DEFAULT_MESSAGES[Entitlement.FUTURES]
    assert entitlements.websocket_refusal(free) == DEFAULT_WEBSOCKET


def test_tiers_added_after_the_defaults_change_nothing_they_already_had() -> None:
    extra = Tier(name="aaa", burst=None, websocket=True, entitlements=frozenset(Entitlement))
    refusals = Refusals.for_tiers(Tiers((*DEFAULT_TIERS, extra)))
    assert dict(refusals.messages) == DEFAULT_MESSAGES  # declared order, not names
    assert refusals.websocket == DEFAULT_WEBSOCKET


def test_cheapest_is_the_first_declared_and_never_admin(tmp_path: Path) -> None:
    tiers = tiers_from(tmp_path, "[tiers.pro]\nburst = 8\n[tiers.partner]\nwebsocket = true\n")
    assert tiers.names[2] == "pro" and tiers.names[-2:] == [ADMIN, "partner"]
    assert tiers.cheapest(lambda t: t.burst == 8) is tiers["pro"]  # overridden in place
    assert tiers.cheapest(lambda t: t.allows(Entitlement.ADMIN)) is None
    assert tiers.cheapest(lambda t: t.name == "partner") is tiers["partner"]


def test_a_tiers_file_moving_futures_to_pro_names_pro(tmp_path: Path) -> None:
    toml = "[tiers.pro]\nentitlements = ['player_props', 'live_periods', 'futures']\n"
    refusals = Refusals.for_tiers(tiers_from(tmp_path, toml))
    assert refusals.message(Entitlement.FUTURES) == "Futures markets require Pro plan or higher"
    assert refusals.message(Entitlement.HEDGE) == DEFAULT_MESSAGES[Entitlement.HEDGE]
    assert refusals.websocket == DEFAULT_WEBSOCKET


def test_a_tier_the_file_adds_is_named_capitalised(tmp_path: Path) -> None:
    refusals = Refusals.for_tiers(tiers_from(tmp_path, MOVED))
    assert refusals.message(Entitlement.HEDGE) == "Hedge requires Sharp plan or higher"
    assert refusals.websocket == "WebSocket access requires Streamer plan or higher"
    assert refusals.message(Entitlement.PLAYER_PROPS) == DEFAULT_MESSAGES[Entitlement.PLAYER_PROPS]
    assert refusals.message(Entitlement.ADMIN) == DEFAULT_MESSAGES[Entitlement.ADMIN]


def test_what_no_plan_has_is_said_so(tmp_path: Path) -> None:
    toml = "\n".join(
        f"[tiers.{name}]\nwebsocket = false\nentitlements = ['player_props', 'live_periods']"
        for name in ABOVE_PRO
    )
    refusals = Refusals.for_tiers(tiers_from(tmp_path, toml))  # admin still has them
    assert refusals.message(Entitlement.FUTURES) == "Futures markets are not available on any plan"
    assert refusals.message(Entitlement.HEDGE) == "Hedge is not available on any plan"
    assert refusals.websocket == "WebSocket access is not available on any plan"


def test_the_refusals_in_force_word_every_check(tmp_path: Path) -> None:
    refusals = Refusals.for_tiers(tiers_from(tmp_path, MOVED))
    free = Tiers()["free"]
    markets = load_catalog().markets
    with refusals_in_force(refusals):
        assert entitlements.in_force() is refusals
        assert (
            entitlements.refusal(free, Entitlement.HEDGE) == "Hedge requires Sharp plan or higher"
        )
        assert entitlements.markets_refusal(free, markets, [1, 1141]) == (
            "Futures markets require Pro plan or higher"
        )
        assert entitlements.websocket_refusal(free) == (
            "WebSocket access requires Streamer plan or higher"
        )
    assert entitlements.in_force() is DEFAULT_REFUSALS


# ------------------------------------------------------------------ through the API

KEY = "starter-key-0123456789"


class Served:
    def __init__(self, client: httpx.AsyncClient, app: Any, game: Event) -> None:
        self.client, self.app, self.game = client, app, game

    async def get(self, path: str, **query: str) -> httpx.Response:
        return await self.client.get(path, params=query, headers={"X-TheRundown-Key": KEY})

    async def websocket_denial(self, path: str) -> tuple[int, bytes]:
        """Open a WebSocket at the ASGI level; the status and body of its denial."""
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "http_version": "1.1",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"hub"), (b"x-therundown-key", KEY.encode())],
            "client": ("127.0.0.1", 50000),
            "server": ("hub", 80),
            "subprotocols": [],
            "state": {},
            "extensions": {"websocket.http.response": {}},
        }
        sent: list[dict[str, Any]] = []
        connected = False

        async def receive() -> dict[str, Any]:
            nonlocal connected
            if not connected:
                connected = True
                return {"type": "websocket.connect"}
            await asyncio.sleep(3600)  # the denial ends the app first
            return {"type": "websocket.disconnect", "code": 1000}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await asyncio.wait_for(self.app(scope, receive, send), 10)
        start = next(m for m in sent if m["type"] == "websocket.http.response.start")
        body = b"".join(m["body"] for m in sent if m["type"] == "websocket.http.response.body")
        return start["status"], body


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    """An API whose tiers file moves futures to Pro and hedge and WebSocket access to
    added tiers, with a starter key (real time, unmetered: only refusals are at stake)."""
    store = SqliteTickStore(str(tmp_path / "refusals.db"))
    hub = Hub(load_catalog(), store, settings=HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    game = make_event()
    await hub.submit([event_change(game)])
    await hub.store.flush()
    ring = KeyRing(tiers=tiers_from(tmp_path, MOVED))
    ring.set_stored({digest(KEY): StoredKey(1, "starter", "starter")})
    app = create_app(hub, ring)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield Served(client, app, game)
    await app.state.ctx.fanout.stop()
    await hub.stop()


async def test_the_api_names_the_configured_plans(served: Served) -> None:
    event = served.game.event_id
    futures = {"error": "Futures markets require Pro plan or higher"}
    for path in (f"/api/v2/events/{event}", f"/api/v2/events/{event}/markets/history"):
        refused = await served.get(path, market_ids="1,1141")
        assert (refused.status_code, refused.json()) == (403, futures), path
    refused = await served.get(f"/api/v2/events/{event}/markets/1141/history")
    assert (refused.status_code, refused.json()) == (403, futures)
    refused = await served.get("/api/v2/hedge")
    assert (refused.status_code, refused.json()) == (
        403,
        {"error": "Hedge requires Sharp plan or higher"},
    )
    status, body = await served.websocket_denial("/api/v2/ws")
    assert (status, body) == (403, b'{"error":"WebSocket access requires Streamer plan or higher"}')
    assert entitlements.in_force() is DEFAULT_REFUSALS  # only while a request runs
