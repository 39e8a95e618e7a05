"""Entitlement gating and the history window on every gated REST route (reference §5.3)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from apikit import Api  # type: ignore[import-not-found]

from factories import event_change, make_event, price
from oddswire.access import entitlements
from oddswire.access.tiers import ALL_DATA, DEFAULT_TIERS, Entitlement, Tier, Tiers
from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.model import Event
from oddswire.refdata import load_catalog
from oddswire.store.keys import StoredKey, digest

#: No entitlements, 30 days of history (burst unlimited so the meter stays out of it).
PLAIN = Tier(name="plain", burst=None, history_days=30)
FULL = Tier(name="full", burst=None, entitlements=ALL_DATA)
KEYS = {"plain": "plain-key-0123456789", "full": "full-key-01234567890"}


@dataclass
class Gated:
    client: httpx.AsyncClient
    game: Event
    old: Event

    async def get(self, tier: str, path: str, **query: str) -> httpx.Response:
        return await self.client.get(path, params=query, headers={"X-TheRundown-Key": KEYS[tier]})


@pytest.fixture
async def gated(api: Api) -> AsyncIterator[Gated]:
    """The ``api`` hub behind keys of the tiers above, plus an event 40 days old."""
    start = datetime.now(UTC) - timedelta(days=40)
    old = make_event(away=4003, home=4015, start=start.replace(microsecond=0))
    await api.hub.submit(
        [event_change(old), price(old, participant_id=old.home_team_id, american=-120)]
    )
    await api.hub.store.flush()
    ring = KeyRing(tiers=Tiers((*DEFAULT_TIERS, PLAIN, FULL)))
    ring.set_stored(
        {digest(key): StoredKey(n, tier, tier) for n, (tier, key) in enumerate(KEYS.items())}
    )
    app = create_app(api.hub, ring)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield Gated(client, api.game, old)
    await app.state.ctx.fanout.stop()


def _day(event: Event) -> str:
    return event.event_date.strftime("%Y-%m-%d")


HEDGE_ROUTES = ["/api/v2/hedge", "/api/v2/hedge/top", "/api/v2/hedge/event/{e}", "/api/v2/hedge/h1"]
#: Routes that take market_ids, as (path, query name).
MARKET_ROUTES = [
    "/api/v2/events/{e}",
    "/api/v2/events/{e}/openers",
    "/api/v2/events/{e}/closing",
    "/api/v2/sports/4/events/{d}",
    "/api/v2/sports/4/openers/{d}",
    "/api/v2/sports/4/closing/{d}",
    "/api/v2/events/{e}/markets/history",
    "/api/v2/events/{e}/markets/opening",
    "/api/v1/v2/events/{e}",
    "/api/v2/markets/delta?last_id=1",
]
#: One market per gated kind: a player prop, a live period market, a futures market.
GATED_MARKETS = [
    (29, Entitlement.PLAYER_PROPS),
    (41, Entitlement.LIVE_PERIODS),
    (1141, Entitlement.FUTURES),
]
LOOKBACK_ROUTES = [
    "/api/v2/events/{e}/openers",
    "/api/v2/events/{e}/closing",
    "/api/v2/events/{e}/markets/history",
    "/api/v2/events/{e}/markets/opening",
    "/api/v2/events/{e}/markets/1/history",
    "/api/v2/sports/4/openers/{d}",
    "/api/v2/sports/4/closing/{d}",
    "/api/v1/sports/4/openers/{d}",
    "/api/v1/sports/4/closing/{d}",
]


def _url(template: str, event: Event) -> tuple[str, dict[str, str]]:
    path, _, qs = template.format(e=event.event_id, d=_day(event)).partition("?")
    query = dict(pair.split("=") for pair in qs.split("&")) if qs else {}
    return path, query


@pytest.mark.parametrize("route", HEDGE_ROUTES)
async def test_hedge_routes_need_the_hedge_entitlement(gated: Gated, route: str) -> None:
    path, query = _url(route, gated.game)
    refused = await gated.get("plain", path, **query)
    assert refused.status_code == 403
    assert refused.json() == {"error": "Hedge requires Super plan or higher"}
    allowed = await gated.get("full", path, **query)
    assert allowed.status_code in (200, 404)  # h1 is no open opportunity


@pytest.mark.parametrize(("market_id", "needed"), GATED_MARKETS)
@pytest.mark.parametrize("route", MARKET_ROUTES)
async def test_an_explicit_ask_for_a_gated_market_is_refused(
    gated: Gated, route: str, market_id: int, needed: Entitlement
) -> None:
    path, query = _url(route, gated.game)
    refused = await gated.get("plain", path, market_ids=f"1,{market_id}", **query)
    assert refused.status_code == 403, refused.text
    assert refused.json() == {"error": entitlements.MESSAGES[needed]}
    assert (await gated.get("full", path, market_ids=f"1,{market_id}", **query)).status_code == 200


@pytest.mark.parametrize(("market_id", "needed"), GATED_MARKETS)
async def test_one_market_history_of_a_gated_market_is_refused(
    gated: Gated, market_id: int, needed: Entitlement
) -> None:
    path = f"/api/v2/events/{gated.game.event_id}/markets/{market_id}/history"
    refused = await gated.get("plain", path)
    assert (refused.status_code, refused.json()) == (403, {"error": entitlements.MESSAGES[needed]})
    assert (await gated.get("full", path)).status_code == 200


def _market_ids(body: Any) -> set[int]:
    return {m["market_id"] for e in body["events"] for m in e.get("markets", [])}


async def test_default_answers_leave_gated_markets_out_silently(gated: Gated) -> None:
    """The fixture's game has a live moneyline (41) and a player prop (29) priced."""
    path = f"/api/v2/events/{gated.game.event_id}"
    full = await gated.get("full", path, market_ids="1,29")
    assert _market_ids(full.json()) >= {1, 29, 41}
    plain = await gated.get("plain", path)
    assert plain.status_code == 200
    assert 1 in _market_ids(plain.json()) and 41 not in _market_ids(plain.json())
    # asking for 1 takes in its live variant 41 for those entitled, silently not for others
    assert 41 not in _market_ids((await gated.get("plain", path, market_ids="1")).json())
    deltas = (await gated.get("plain", "/api/v2/markets/delta", last_id="1")).json()["deltas"]
    assert deltas and {d["market_id"] for d in deltas}.isdisjoint({29, 41})
    all_deltas = (await gated.get("full", "/api/v2/markets/delta", last_id="1")).json()["deltas"]
    assert {29, 41} <= {d["market_id"] for d in all_deltas}


@pytest.mark.parametrize("route", LOOKBACK_ROUTES)
async def test_history_before_the_window_is_refused(gated: Gated, route: str) -> None:
    path, query = _url(route, gated.old)
    refused = await gated.get("plain", path, **query)
    assert refused.status_code == 403, refused.text
    assert "limited to the last 30 days on the plain plan" in refused.json()["error"]
    assert (await gated.get("full", path, **query)).status_code == 200
    # the current board is not history: the old event itself still answers
    assert (await gated.get("plain", f"/api/v2/events/{gated.old.event_id}")).status_code == 200


async def test_history_inside_the_window_is_served(gated: Gated) -> None:
    recent = datetime.now(UTC) - timedelta(days=29)
    assert entitlements.lookback_refusal(PLAIN, recent.timestamp(), time.time()) is None
    path = f"/api/v2/events/{gated.game.event_id}/markets/history"
    assert (await gated.get("plain", path)).status_code == 200


def test_every_gated_kind_of_catalog_market_is_classified() -> None:
    markets = load_catalog().markets
    needs = {m.id: entitlements.market_needs(m) for m in markets.values()}
    assert needs[29] is Entitlement.PLAYER_PROPS and needs[1141] is Entitlement.FUTURES
    assert needs[41] is Entitlement.LIVE_PERIODS and needs[1] is None
    denied = entitlements.denied_markets(PLAIN, markets)
    assert denied == {i for i, n in needs.items() if n is not None}
    assert entitlements.denied_markets(FULL, markets) == frozenset()
