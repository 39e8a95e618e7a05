"""Seed 002 (BoltOdds' docs): its "Basic Example" client runs unchanged against ``/api``
but for the URI, with the websockets library's default 1 MiB frame limit.

The code is cut from the seed file itself and run in this process; the one substitution
is the URI. To watch it and stop it (it loops forever, as a real client does), its
``websockets`` is the real library with a connection class that records what ``recv``
returns, and its ``print`` is captured.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection
from wskit import LiveServer, wait_for  # type: ignore[import-not-found]

from factories import event_change, make_event, price, total
from oddswire.model import Event, PriceStatus

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "002_047fbb7df2e0eda6.txt"
URI = '"wss://spro.agency/api?key=YOUR_TOKEN"'


def basic_example() -> str:
    """The "Basic Example" section's code, as the seed has it."""
    text = SEED.read_text()
    start = text.index("Here's a complete basic example of connecting to and using BoltOdds:")
    end = text.index("\nTroubleshooting", start)
    return text[start:end].split("\n", 1)[1]


class Recorder:
    """Stands in for the ``websockets`` module in the seed's namespace: the real
    ``connect`` (default options) with a connection class that records each message."""

    ConnectionClosed = websockets.ConnectionClosed

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.connects = 0
        recorder = self

        class Recording(ClientConnection):
            async def recv(self, decode: bool | None = None) -> Any:
                message = await super().recv(decode)
                recorder.received.append(json.loads(message))
                return message

        self._connection = Recording

    def connect(self, uri: str) -> Any:
        self.connects += 1
        return websockets.connect(uri, create_connection=self._connection)

    def actions(self) -> list[str]:
        return [m["action"] for m in self.received]


def book_lines(game: Event, book: int, shift: float = 0) -> list[Any]:
    away, home = game.away_team_id, game.home_team_id
    return [
        price(game, participant_id=away, affiliate_id=book, american=140 + shift),
        price(game, participant_id=home, affiliate_id=book, american=-160 - shift),
        price(game, market_id=2, participant_id=away, line="3.5", affiliate_id=book),
        price(game, market_id=2, participant_id=home, line="-3.5", affiliate_id=book),
        total(game, affiliate_id=book, american=-105),
    ]


async def test_the_basic_example_runs_unchanged_and_gets_odds(live: LiveServer) -> None:
    nba = make_event()
    mlb = make_event(sport_id=3, away=3001, home=3002)
    nhl = make_event(sport_id=6, away=6001, home=6002)
    changes: list[Any] = [event_change(g) for g in (nba, mlb, nhl)]
    for game in (nba, mlb, nhl):
        for book in (19, 22, 23):  # DraftKings, BetMGM, FanDuel
            changes += book_lines(game, book)
    await live.submit(changes)

    code = basic_example()
    local = code.replace(URI, repr(live.url("/api")))
    changed = [a for a, b in zip(code.splitlines(), local.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "uri = " in changed[0]
    namespace: dict[str, Any] = {"__name__": "seed_002"}
    exec(compile(local, str(SEED), "exec"), namespace)
    recorder = Recorder()
    printed: list[str] = []
    namespace["websockets"] = recorder
    namespace["print"] = lambda *args: printed.append(" ".join(map(str, args)))

    client = asyncio.create_task(namespace["run_client"]())
    try:
        await wait_for(lambda: "initial_state" in recorder.actions())
        await live.submit([price(nba, participant_id=nba.home_team_id, american=-170)])
        off = price(mlb, participant_id=mlb.away_team_id, affiliate_id=22, american=140)
        off.status = PriceStatus.OFF_BOARD
        await live.submit([off])
        await live.submit([price(nhl, affiliate_id=19, american=-120)])  # not subscribed
        await wait_for(lambda: recorder.actions().count("line_update") >= 2)
        await asyncio.sleep(0.2)
    finally:
        client.cancel()
        await asyncio.gather(client, return_exceptions=True)

    assert recorder.connects == 1 and not any("Reconnecting" in p for p in printed)
    assert printed[0] == '{"action":"socket_connected"}'
    received = recorder.received
    # the names that match nothing are reported; the games (from 2025) match nothing, so
    # that filter is dropped and the client still gets data
    errors = [m for m in received if m["action"] == "error"]
    assert {e["filter"]: e["unknown"] for e in errors} == {
        "sports": ["Wimbledon (M)"],
        "games": [
            "San Francisco Giants vs Philadelphia Phillies, 2025-07-07, 09",
            "Corinthians vs Bragantino, 2025-07-13, 06",
        ],
    }
    (updated,) = [m for m in received if m["action"] == "subscription_updated"]
    assert updated["filters"] == {
        "sports": ["NBA", "MLB"],
        "sportsbooks": ["draftkings", "betmgm"],
        "games": None,
        "markets": ["Moneyline", "Spread"],
    }
    states = [m["data"] for m in received if m["action"] == "initial_state"]
    assert sorted((d["sport"], d["sportsbook"]) for d in states) == [
        ("MLB", "betmgm"),
        ("MLB", "draftkings"),
        ("NBA", "betmgm"),
        ("NBA", "draftkings"),
    ]
    nba_dk = next(d for d in states if d["sport"] == "NBA" and d["sportsbook"] == "draftkings")
    assert nba_dk["home_team"] == "Los Angeles Lakers" and nba_dk["away_team"] == "Boston Celtics"
    assert nba_dk["universal_game_id"] == nba.event_id
    assert set(nba_dk["outcomes"]) == {
        "Boston Celtics Moneyline",
        "Los Angeles Lakers Moneyline",
        "Boston Celtics 3.5 Spread",
        "Los Angeles Lakers -3.5 Spread",
    }
    assert nba_dk["outcomes"]["Boston Celtics Moneyline"]["odds"] == "+140"
    updates = [m["data"] for m in received if m["action"] == "line_update"]
    assert [(u["sport"], u["sportsbook"], u["outcomes"]) for u in updates] == [
        (
            "NBA",
            "draftkings",
            {
                "Los Angeles Lakers Moneyline": {
                    "odds": "-170",
                    "link": "https://sportsbook.draftkings.com",
                    "outcome_name": "Moneyline",
                    "outcome_line": None,
                    "outcome_over_under": None,
                    "outcome_target": "Los Angeles Lakers",
                }
            },
        ),
        (
            "MLB",
            "betmgm",
            {
                "Arizona Diamondbacks Moneyline": {
                    "odds": None,
                    "link": "https://sports.betmgm.com",
                    "outcome_name": "Moneyline",
                    "outcome_line": None,
                    "outcome_over_under": None,
                    "outcome_target": "Arizona Diamondbacks",
                }
            },
        ),
    ]


def test_the_seed_example_is_the_one_we_run() -> None:
    code = basic_example()
    compile(code, str(SEED), "exec")
    assert code.count(URI) == 1
    assert '"sports": ["NBA", "MLB", "Wimbledon (M)"]' in code
    assert "data = json.loads(message)" in code
