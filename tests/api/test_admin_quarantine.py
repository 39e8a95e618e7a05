"""``/admin/quarantine`` and source health, over a hub replaying a BoltOdds recording
that names things no table maps (an unknown team, an unknown market)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from apikit import KEY  # type: ignore[import-not-found]

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.sources.resolve import Resolver
from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import Recorder
from oddswire.sources.upstream.replay import ReplaySource
from oddswire.sources.vendors import decoder_for
from oddswire.store.sqlite import SqliteTickStore


def game_message(home: str, away: str, outcomes: dict[str, dict[str, object]]) -> str:
    game = f"{home} vs {away}, 2026-11-22, 07"
    return json.dumps(
        {
            "timestamp": "2026-11-22T18:00:00+00:00",
            "action": "initial_state",
            "data": {
                "sport": "NBA",
                "sportsbook": "draftkings",
                "game": game,
                "home_team": home,
                "away_team": away,
                "info": {"id": 1, "game": game, "when": "2026-11-22, 07:30 PM"},
                "outcomes": outcomes,
            },
        }
    )


def moneyline(team: str, odds: str) -> dict[str, object]:
    return {
        "odds": odds,
        "outcome_name": "Moneyline",
        "outcome_line": None,
        "outcome_over_under": None,
        "outcome_target": team,
    }


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Hub]]:
    path = str(tmp_path / "boltodds.jsonl.gz")
    recorder = Recorder(path, "boltodds", "boltodds")
    for body in (
        '{"action": "socket_connected"}',
        game_message(
            "Boston Celtics",
            "Los Angeles Lakers",
            {
                "Boston Celtics Moneyline": moneyline("Boston Celtics", "-150"),
                "Los Angeles Lakers Moneyline": moneyline("Los Angeles Lakers", "+130"),
                "Boston Celtics Dunks": {
                    **moneyline("Boston Celtics", "+400"),
                    "outcome_name": "Dunk Contest",
                },
            },
        ),
        game_message(
            "Springfield Isotopes",
            "Los Angeles Lakers",
            {"Springfield Isotopes Moneyline": moneyline("Springfield Isotopes", "+900")},
        ),
        "{not json",
    ):
        recorder.write(Record(kind="ws", body=body, received_at=1.0))
    recorder.close()

    catalog = load_catalog()
    resolver = Resolver(catalog)
    source = ReplaySource(path, resolver, decoder_for("boltodds", catalog), speed=0)
    store = SqliteTickStore(str(tmp_path / "hub.db"))
    hub = Hub(catalog, store, [source], HubSettings(checkpoint_interval=0, prune_interval=0))
    await hub.open()
    await hub.warm_up()
    hub.start()
    await source.finished.wait()
    app = create_app(hub, KeyRing([KEY]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://hub", headers={"X-TheRundown-Key": KEY}
    ) as http:
        yield http, hub
    await hub.stop()


async def test_quarantine_lists_what_could_not_be_mapped(
    client: tuple[httpx.AsyncClient, Hub],
) -> None:
    http, hub = client
    body = (await http.get("/admin/quarantine")).json()
    found = {(e["source"], e["kind"], e["text"]): e for e in body["quarantine"]}
    team = found[("replay:boltodds", "team", "Springfield Isotopes")]
    assert team["reason"] == "unknown team" and team["count"] == 1
    assert "Springfield Isotopes" in team["example"]
    assert any(kind == "market" and "Dunk Contest" in text for _, kind, text in found)
    assert body["total"] == len(body["quarantine"]) and body["dropped"] == 0

    teams = (await http.get("/admin/quarantine", params={"kind": "team"})).json()["quarantine"]
    assert [e["text"] for e in teams] == ["Springfield Isotopes"]
    other = await http.get("/admin/quarantine", params={"source": "oddsapi"})
    assert other.json()["quarantine"] == []
    assert (await http.get("/admin/quarantine", params={"kind": "weather"})).json()[
        "quarantine"
    ] == []
    bad = await http.get("/admin/quarantine", params={"kind": "Team'; DROP"})
    assert bad.status_code == 400 and "kind must be a lower-case word" in bad.json()["error"]
    anonymous = await http.get("/admin/quarantine", headers={"X-TheRundown-Key": ""})
    assert anonymous.status_code == 401

    # The mapped game made it: one event, both moneylines at DraftKings.
    (event,) = [s.event for s in hub.board.events()]
    assert hub.board.price_count == 2
    assert event.sport_id == 4


async def test_health_reports_the_source_its_books_and_what_it_skipped(
    client: tuple[httpx.AsyncClient, Hub],
) -> None:
    http, _ = client
    health = (await http.get("/healthz")).json()
    (source,) = health["sources"]
    assert source["name"] == "replay:boltodds" and source["connected"]
    assert source["finished"] is True and source["replayed_records"] == 4
    assert source["books"]["19"]["quotes"] == 2
    assert source["books"]["19"]["lag_seconds"] >= 0  # the vendor's timestamp vs arrival
    assert source["skipped_messages"] == 1 and source["errors"] >= 1
    assert source["resolution"]["unresolved"] >= 2 and source["resolution"]["events_created"] == 1
    affiliates = (await http.get("/api/v2/affiliates")).json()["affiliates"]
    statuses = {a["affiliate_id"]: a.get("status") for a in affiliates}
    assert statuses[19] == "healthy"
    assert statuses.get(23) is None  # nobody feeds FanDuel


async def test_retention_makes_the_sources_forget_deleted_events(
    client: tuple[httpx.AsyncClient, Hub],
) -> None:
    from datetime import UTC, datetime

    from oddswire.sources.upstream.source import UpstreamSource

    _, hub = client
    (source,) = hub.sources
    assert isinstance(source, UpstreamSource)
    (game_key,) = {key for key, _ in source._quoted}
    assert source.resolver.event_of(source.name, game_key) is not None
    assert await hub.prune(now=datetime(2030, 1, 1, tzinfo=UTC)) == 1
    assert source._quoted == {} and source.resolver.event_of(source.name, game_key) is None
