"""/api: BoltOdds' stream over a real socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from wskit import (  # type: ignore[import-not-found]
    KEY,
    LiveServer,
    drain,
    read_until_closed,
    receive,
    receive_until,
    send,
    stalled_socket,
    wait_for,
)

from factories import UNDER, event_change, make_event, price, total
from oddswire.api.ws import boltodds, boltodds_stream
from oddswire.model import Event, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.sources.base import ChangeSink, Source
from oddswire.stream.session import Limits

Message = dict[str, Any]
#: The websockets library's default frame limit, which BoltOdds clients keep.
DEFAULT_MAX_SIZE = 1 << 20


def actions(messages: list[Message]) -> list[str]:
    return [m["action"] for m in messages if m["action"] != "ping"]


def of(messages: list[Message], action: str) -> list[dict[str, Any]]:
    return [m["data"] for m in messages if m["action"] == action]


def is_action(action: str) -> Callable[[Message], bool]:
    return lambda m: m["action"] == action


def odds(data: dict[str, Any]) -> dict[str, str | None]:
    return {key: outcome["odds"] for key, outcome in data["outcomes"].items()}


def game_lines(game: Event, book: int = 19, shift: int = 0) -> list[Any]:
    away, home = game.away_team_id, game.home_team_id
    return [
        price(game, participant_id=away, affiliate_id=book, american=150 + shift),
        price(game, participant_id=home, affiliate_id=book, american=-175 - shift),
        price(game, market_id=2, participant_id=away, line="3.5", affiliate_id=book),
        price(game, market_id=2, participant_id=home, line="-3.5", affiliate_id=book),
        total(game, affiliate_id=book, american=-105),
        total(game, side=UNDER, affiliate_id=book, american=-115),
    ]


@contextlib.asynccontextmanager
async def bolt(live: LiveServer, **filters: Any) -> Any:
    """A connected, subscribed client, past the initial state."""
    async with live.connect("/api") as ws:
        assert await receive(ws) == {"action": "socket_connected"}
        await send(ws, action="subscribe", filters=filters)
        await receive_until(ws, is_action("subscription_updated"))
        await drain(ws)
        yield ws


async def subscribe(ws: ClientConnection, **message: Any) -> list[Message]:
    """Send a subscribe; what came up to and including ``subscription_updated``, plus the
    initial state after it."""
    await send(ws, action="subscribe", **message)
    head = await receive_until(ws, is_action("subscription_updated"))
    return head + await drain(ws)


# --------------------------------------------------------------- connecting


async def test_connect_ack_then_initial_state_per_game_and_book(live: LiveServer) -> None:
    game = make_event()
    other = make_event(away=4003, home=4015)
    await live.submit(
        [event_change(game), event_change(other), *game_lines(game), *game_lines(game, 23)]
    )
    await live.submit([*game_lines(other, 22)])
    async with live.connect("/api") as ws:
        assert await receive(ws) == {"action": "socket_connected"}
        got = await subscribe(ws, filters={})
    assert actions(got) == ["subscription_updated"] + ["initial_state"] * 3
    updated = got[0]
    assert updated["filters"] == {
        "sports": None,
        "sportsbooks": None,
        "games": None,
        "markets": None,
    }
    assert updated["games"] == 2
    states = of(got, "initial_state")  # by start time, then game id; books in id order
    assert sorted((d["game"], d["sportsbook"]) for d in states) == [
        ("Los Angeles Lakers vs Boston Celtics, 2026-11-21, 07", "draftkings"),
        ("Los Angeles Lakers vs Boston Celtics, 2026-11-21, 07", "fanduel"),
        ("Memphis Grizzlies vs Brooklyn Nets, 2026-11-21, 07", "betmgm"),
    ]
    data = next(d for d in states if d["sportsbook"] == "draftkings")
    assert {k: data[k] for k in ("sport", "sportsbook", "home_team", "away_team")} == {
        "sport": "NBA",
        "sportsbook": "draftkings",
        "home_team": "Los Angeles Lakers",
        "away_team": "Boston Celtics",
    }
    assert data["universal_game_id"] == game.event_id
    # START is 2026-11-22 00:30 UTC: 7:30 PM Eastern the evening before
    assert data["info"] == {
        "id": int(game.event_id[:13], 16),
        "game": "Los Angeles Lakers vs Boston Celtics, 2026-11-21, 07",
        "when": "2026-11-21, 07:30 PM",
        "link": "https://sportsbook.draftkings.com",
        "status": "STATUS_SCHEDULED",
        "score": "0-0",
    }
    assert data["outcomes"] == {
        "Boston Celtics Moneyline": {
            "odds": "+150",
            "link": "https://sportsbook.draftkings.com",
            "outcome_name": "Moneyline",
            "outcome_line": None,
            "outcome_over_under": None,
            "outcome_target": "Boston Celtics",
        },
        "Los Angeles Lakers Moneyline": {
            "odds": "-175",
            "link": "https://sportsbook.draftkings.com",
            "outcome_name": "Moneyline",
            "outcome_line": None,
            "outcome_over_under": None,
            "outcome_target": "Los Angeles Lakers",
        },
        "Boston Celtics 3.5 Spread": {
            "odds": "-110",
            "link": "https://sportsbook.draftkings.com",
            "outcome_name": "Spread",
            "outcome_line": 3.5,
            "outcome_over_under": None,
            "outcome_target": "Boston Celtics",
        },
        "Los Angeles Lakers -3.5 Spread": {
            "odds": "-110",
            "link": "https://sportsbook.draftkings.com",
            "outcome_name": "Spread",
            "outcome_line": -3.5,
            "outcome_over_under": None,
            "outcome_target": "Los Angeles Lakers",
        },
        "Total Over 224.5": {
            "odds": "-105",
            "link": "https://sportsbook.draftkings.com",
            "outcome_name": "Total",
            "outcome_line": 224.5,
            "outcome_over_under": "Over",
            "outcome_target": None,
        },
        "Total Under 224.5": {
            "odds": "-115",
            "link": "https://sportsbook.draftkings.com",
            "outcome_name": "Total",
            "outcome_line": 224.5,
            "outcome_over_under": "Under",
            "outcome_target": None,
        },
    }


async def test_the_stream_and_get_games_name_games_alike(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), *game_lines(game)])
    async with httpx.AsyncClient() as client:
        games = (await client.get(f"{live.http}/api/get_games", params={"key": KEY})).json()
    (name,) = games
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(ws, filters={"games": [name]})
    assert [e for e in got if e["action"] == "error"] == []
    (state,) = of(got, "initial_state")
    assert state["game"] == name == state["info"]["game"]
    assert state["info"]["when"] == games[name]["when"]
    assert state["universal_game_id"] == games[name]["universal_id"]
    assert state["info"]["id"] == games[name]["id"]


@pytest.mark.parametrize(
    ("key", "header", "status"),
    [(None, None, 401), ("wrong", None, 401), (None, "wrong", 401)],
)
async def test_a_bad_or_missing_key_is_refused_before_the_upgrade(
    live: LiveServer, key: str | None, header: str | None, status: int
) -> None:
    headers = {"X-TheRundown-Key": header} if header else None
    with pytest.raises(InvalidStatus) as refused:
        async with connect(live.url("/api", key=key), additional_headers=headers):
            pass
    response = refused.value.response
    assert response.status_code == status
    assert "error" in json.loads(response.body or b"{}")


async def test_the_key_header_is_accepted_too(live: LiveServer) -> None:
    async with connect(
        live.url("/api", key=None), additional_headers={"X-TheRundown-Key": KEY}
    ) as ws:
        assert await receive(ws) == {"action": "socket_connected"}


# ------------------------------------------------------------------ filters


async def test_filters_select_sports_books_markets_and_games(live: LiveServer) -> None:
    nba = make_event()
    nba2 = make_event(away=4003, home=4015)
    mlb = make_event(sport_id=3, away=3001, home=3002)
    await live.submit([event_change(g) for g in (nba, nba2, mlb)])
    await live.submit([*game_lines(nba), *game_lines(nba, 22), *game_lines(nba2), *game_lines(mlb)])
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(
            ws,
            filters={"sports": ["NBA"], "sportsbooks": ["draftkings"], "markets": ["Total"]},
        )
        states = of(got, "initial_state")
        assert sorted((s["game"].split(",")[0], s["sportsbook"]) for s in states) == [
            ("Los Angeles Lakers vs Boston Celtics", "draftkings"),
            ("Memphis Grizzlies vs Brooklyn Nets", "draftkings"),
        ]
        assert all(set(s["outcomes"]) == {"Total Over 224.5", "Total Under 224.5"} for s in states)
        await live.submit(
            [
                price(nba, affiliate_id=19, american=-190),  # moneyline: not wanted
                total(nba, affiliate_id=22, american=-101),  # betmgm: not wanted
                total(mlb, line="8.5", affiliate_id=19),  # MLB: not wanted
                total(nba2, affiliate_id=19, american=-120),  # wanted
            ]
        )
        (update,) = of(await drain(ws), "line_update")
    assert update["game"].startswith("Memphis Grizzlies vs Brooklyn Nets")
    assert odds(update) == {"Total Over 224.5": "-120"}


async def test_unknown_names_are_reported_and_the_known_ones_applied(live: LiveServer) -> None:
    nba = make_event()
    mlb = make_event(sport_id=3, away=3001, home=3002)
    await live.submit([event_change(nba), event_change(mlb), *game_lines(nba), *game_lines(mlb)])
    await live.submit([*game_lines(nba, 23)])
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(
            ws, filters={"sports": ["NBA", "Curling"], "sportsbooks": ["draftkings", "foo"]}
        )
    errors = [m for m in got if m["action"] == "error"]
    assert [e["message"] for e in errors] == [
        "unknown sports: ['Curling']; see /api/get_info",
        "unknown sportsbooks: ['foo']; see /api/get_info",
    ]
    assert [(e["filter"], e["unknown"]) for e in errors] == [
        ("sports", ["Curling"]),
        ("sportsbooks", ["foo"]),
    ]
    assert got[-len(of(got, "initial_state")) - 1]["filters"]["sports"] == ["NBA"]
    assert [(s["sport"], s["sportsbook"]) for s in of(got, "initial_state")] == [
        ("NBA", "draftkings")
    ]


async def test_a_filter_of_only_unknown_names_means_everything(live: LiveServer) -> None:
    nba = make_event()
    await live.submit([event_change(nba), *game_lines(nba), *game_lines(nba, 23)])
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(
            ws,
            filters={
                "sportsbooks": ["DraftKings"],  # not as get_info spells it
                "games": ["San Francisco Giants vs Philadelphia Phillies, 2025-07-07, 09"],
            },
        )
    (books, games) = [m for m in got if m["action"] == "error"]
    assert books["message"] == (
        "unknown sportsbooks: ['DraftKings']; see /api/get_info; "
        "no sportsbooks left, so this filter is ignored (all sportsbooks)"
    )
    assert games["filter"] == "games" and "/api/get_games" in games["message"]
    updated = next(m for m in got if m["action"] == "subscription_updated")
    assert updated["filters"]["sportsbooks"] is None and updated["filters"]["games"] is None
    assert sorted(s["sportsbook"] for s in of(got, "initial_state")) == ["draftkings", "fanduel"]


async def test_the_older_subscribe_form_with_top_level_filters(live: LiveServer) -> None:
    nba = make_event()
    mlb = make_event(sport_id=3, away=3001, home=3002)
    await live.submit([event_change(nba), event_change(mlb), *game_lines(nba), *game_lines(mlb)])
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(ws, sports=["MLB"])
    assert [s["sport"] for s in of(got, "initial_state")] == ["MLB"]


async def test_a_market_name_takes_in_its_live_variant(live: LiveServer) -> None:
    game = make_event(status=EventStatus.IN_PROGRESS)
    await live.submit([event_change(game)])
    async with bolt(live, markets=["Moneyline"]) as ws:
        await live.submit(
            [
                price(game, market_id=41, period_id=7, american=-200),
                price(game, market_id=43, period_id=7, participant_id=10, line="210.5"),
            ]
        )
        (update,) = of(await drain(ws), "line_update")
    assert odds(update) == {"Los Angeles Lakers Live Moneyline": "-200"}
    assert update["outcomes"]["Los Angeles Lakers Live Moneyline"]["outcome_name"] == (
        "Live Moneyline"
    )


async def test_resubscribing_replaces_the_filters_with_a_fresh_initial_state(
    live: LiveServer,
) -> None:
    nba = make_event()
    mlb = make_event(sport_id=3, away=3001, home=3002)
    await live.submit([event_change(nba), event_change(mlb), *game_lines(nba), *game_lines(mlb)])
    async with bolt(live, sports=["NBA"]) as ws:
        got = await subscribe(ws, filters={"sports": ["MLB"]})
        assert actions(got) == ["subscription_updated", "initial_state"]
        assert of(got, "initial_state")[0]["sport"] == "MLB"
        await live.submit(
            [price(nba, american=-300), price(mlb, participant_id=3002, american=-140)]
        )
        (update,) = of(await drain(ws), "line_update")
        assert update["sport"] == "MLB"
        # and back to everything, again from a fresh initial state
        got = await subscribe(ws, filters={})
    assert sorted(s["sport"] for s in of(got, "initial_state")) == ["MLB", "NBA"]
    nba_state = next(s for s in of(got, "initial_state") if s["sport"] == "NBA")
    assert odds(nba_state)["Los Angeles Lakers Moneyline"] == "-300"


async def test_unsubscribe_stops_the_stream(live: LiveServer) -> None:
    game = make_event()
    await live.submit([event_change(game), *game_lines(game)])
    async with bolt(live) as ws:
        await send(ws, action="unsubscribe")
        assert actions(await drain(ws)) == ["unsubscribed"]
        await live.submit([price(game, american=-300)])
        assert await drain(ws) == []


# ------------------------------------------------------------------ updates


async def test_line_update_carries_only_what_changed_per_game_and_book(live: LiveServer) -> None:
    game = make_event()
    other = make_event(away=4003, home=4015)
    await live.submit([event_change(game), event_change(other)])
    await live.submit([*game_lines(game), *game_lines(game, 23), *game_lines(other)])
    async with bolt(live) as ws:
        await live.submit(  # one committed batch: three games x books
            [
                price(game, affiliate_id=19, american=-180),
                total(game, affiliate_id=19, american=-108),
                price(game, affiliate_id=23, american=-185),
                price(other, affiliate_id=19, american=-190),
                price(game, affiliate_id=19, american=-181),  # the same outcome again
            ]
        )
        updates = of(await drain(ws), "line_update")
    assert [(u["game"][:18], u["sportsbook"], odds(u)) for u in updates] == [
        (
            "Los Angeles Lakers",
            "draftkings",
            {"Los Angeles Lakers Moneyline": "-181", "Total Over 224.5": "-108"},
        ),
        ("Los Angeles Lakers", "fanduel", {"Los Angeles Lakers Moneyline": "-185"}),
        ("Memphis Grizzlies ", "draftkings", {"Memphis Grizzlies Moneyline": "-190"}),
    ]


@pytest.mark.parametrize("status", [PriceStatus.OFF_BOARD, PriceStatus.CLOSED])
async def test_odds_are_null_off_the_board_and_closed(
    live: LiveServer, status: PriceStatus
) -> None:
    game = make_event()
    await live.submit([event_change(game), *game_lines(game)])
    async with bolt(live) as ws:
        pulled = price(game, participant_id=game.away_team_id, american=150, status=status)
        await live.submit([pulled])
        (update,) = of(await drain(ws), "line_update")
        assert odds(update) == {"Boston Celtics Moneyline": None}
        if status == PriceStatus.OFF_BOARD:  # back on
            await live.submit([price(game, participant_id=game.away_team_id, american=155)])
            (update,) = of(await drain(ws), "line_update")
            assert odds(update) == {"Boston Celtics Moneyline": "+155"}
    async with live.connect("/api") as fresh:
        await receive(fresh)
        (state,) = of(await subscribe(fresh, filters={}), "initial_state")
    if status == PriceStatus.CLOSED:  # a closed line is gone from the state
        assert "Boston Celtics Moneyline" not in state["outcomes"]
    else:
        assert state["outcomes"]["Boston Celtics Moneyline"]["odds"] == "+155"


async def test_games_added_updated_and_removed(live: LiveServer) -> None:
    async with bolt(live, sports=["NBA"]) as ws:
        game = make_event()
        await live.submit([event_change(game)])
        (added,) = [m for m in await drain(ws) if m["action"] != "ping"]
        assert added["action"] == "game_added"
        assert added["data"]["game"] == "Los Angeles Lakers vs Boston Celtics, 2026-11-21, 07"
        assert added["data"]["sportsbook"] is None and added["data"]["outcomes"] == {}

        await live.submit([*game_lines(game), *game_lines(game, 23)])
        assert actions(await drain(ws)) == ["line_update", "line_update"]

        live_game = make_event(status=EventStatus.IN_PROGRESS, score_home=3)
        await live.submit([event_change(live_game)])
        got = await drain(ws)
        assert actions(got) == ["game_update", "game_update"]  # one per book, full state
        updates = of(got, "game_update")
        assert [u["sportsbook"] for u in updates] == ["draftkings", "fanduel"]
        assert updates[0]["info"]["status"] == "STATUS_IN_PROGRESS"
        assert updates[0]["info"]["score"] == "3-0"
        assert len(updates[0]["outcomes"]) == 6

        clock = msgspec.structs.replace(live_game, attendance=18000)
        await live.submit([event_change(clock)])  # no change a BoltOdds client sees
        assert actions(await drain(ws)) == []

        final = make_event(status=EventStatus.FINAL, score_home=101, score_away=99)
        await live.submit([event_change(final)])
        got = await drain(ws)
        assert actions(got) == ["game_removed", "game_removed"]
        assert all(r["outcomes"] == {} for r in of(got, "game_removed"))
        assert of(got, "game_removed")[0]["info"]["status"] == "STATUS_FINAL"

        await live.submit([price(game, american=-5000)])  # after the end: not sent
        assert actions(await drain(ws)) == []
    async with httpx.AsyncClient() as client:
        games = (await client.get(f"{live.http}/api/get_games", params={"key": KEY})).json()
    assert games == {}


async def test_ping_every_heartbeat(live: LiveServer) -> None:
    async with bolt(live) as ws:
        live.ctx.fanout.heartbeat_now()
        assert await receive(ws) == {"action": "ping"}
        await send(ws, action="ping")  # a client may ping us too
        assert await receive(ws) == {"action": "pong"}
        await send(ws, action="pong")  # or answer our ping: nothing comes back
        assert await drain(ws) == []


# ---------------------------------------------------------------- book_clear


class FakeFeed(Source):
    """A source that feeds a book, whose health the test sets."""

    def __init__(self, affiliate_id: int) -> None:
        super().__init__(f"feed-{affiliate_id}")
        self.health.affiliate_ids = [affiliate_id]
        self.up()

    def up(self) -> None:
        self.health.connected = True
        self.health.touch(1)

    def down(self) -> None:
        self.health.connected = False

    async def warm_up(self, sink: ChangeSink) -> None:
        return None

    async def run(self, sink: ChangeSink) -> None:
        return None


async def test_book_clear_when_a_books_feed_goes_down_and_its_state_when_back(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(boltodds, "BOOK_HEALTH_EVERY", 0.05)
    game = make_event()
    await live.submit([event_change(game), *game_lines(game), *game_lines(game, 23)])
    feed = FakeFeed(19)
    live.hub.sources.append(feed)
    async with bolt(live) as ws, bolt(live, sportsbooks=["fanduel"]) as fanduel_only:
        feed.down()
        (clear,) = await receive_until(ws, is_action("book_clear"))
        assert clear["data"] == {
            "sport": {},
            "sportsbook": "draftkings",
            "game": {},
            "home_team": {},
            "away_team": {},
            "info": {},
            "outcomes": {},
        }
        async with live.connect("/api") as late:  # while it is down: not in the state
            await receive(late)
            got = await subscribe(late, filters={})
            assert [s["sportsbook"] for s in of(got, "initial_state")] == ["fanduel"]
        feed.up()
        (*_, state) = await receive_until(ws, is_action("initial_state"))
        assert state["data"]["sportsbook"] == "draftkings" and len(state["data"]["outcomes"]) == 6
        assert actions(await drain(fanduel_only)) == []  # it never wanted draftkings


async def test_book_clear_can_be_called_directly(live: LiveServer) -> None:
    async with bolt(live) as ws:
        service = boltodds.BoltService.of(
            live.ctx, live.ctx.views.live
        )  # the one the connection uses
        service.book_clear(23)
        (clear,) = await drain(ws)
    assert clear["action"] == "book_clear" and clear["data"]["sportsbook"] == "fanduel"


# ------------------------------------------------------------------ hostile


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"action": "dance"}', "unknown action 'dance'"),
        (
            '{"action": "subscribe", "filters": {"sports": "NBA"}}',
            "filters.sports: expected a list",
        ),
        ('{"action": "subscribe", "filters": {"sports": [1]}}', "filters.sports: expected a list"),
        ('{"action": "subscribe", "filters": ["NBA"]}', "filters: expected an object"),
    ],
)
async def test_bad_messages_get_an_error_and_the_connection_stays_usable(
    live: LiveServer, text: str, expected: str
) -> None:
    game = make_event()
    await live.submit([event_change(game), *game_lines(game)])
    async with live.connect("/api") as ws:
        await receive(ws)
        await ws.send(text)
        error = await receive(ws)
        assert error["action"] == "error" and expected in error["message"], error
        got = await subscribe(ws, filters={"sports": ["NBA"]})
    assert actions(got) == ["subscription_updated", "initial_state"]


async def test_an_unknown_filter_key_is_reported(live: LiveServer) -> None:
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(ws, filters={"leagues": ["NBA"]})
    assert got[0]["action"] == "error" and "unknown filter 'leagues'" in got[0]["message"]
    assert got[1]["action"] == "subscription_updated"


async def test_binary_frames_close_the_connection(live: LiveServer) -> None:
    async with live.connect("/api") as ws:
        await receive(ws)
        with contextlib.suppress(ConnectionClosed):
            await ws.send(b"\x00\x01")
        closed = await read_until_closed(ws)
    assert closed.rcvd is not None and closed.rcvd.code == 1003


# ---------------------------------------------------------- initial state


async def test_the_client_converges_on_the_board_while_changes_race_the_initial_state(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Live changes during a slow initial state are neither lost nor replayed stale:
    applying everything received in order gives what the board holds."""
    monkeypatch.setattr(boltodds_stream, "GAMES_PER_YIELD", 1)
    games = [make_event(away=4001 + i, home=4016 + i) for i in range(12)]
    await live.submit([event_change(g) for g in games])
    await live.submit([c for g in games for book in (19, 23) for c in game_lines(g, book)])
    received: list[Message] = []

    async def pump() -> None:
        for step in range(40):
            game = games[step % len(games)]
            status = PriceStatus.OFF_BOARD if step % 7 == 3 else PriceStatus.OPEN
            await live.hub.submit(
                [
                    price(game, affiliate_id=19 + 4 * (step % 2), american=-150 - step),
                    total(game, affiliate_id=19, american=-100 - step, status=status),
                ]
            )
            await asyncio.sleep(0.001 * (step % 3))

    async with live.connect("/api") as ws:
        await receive(ws)
        pumping = asyncio.create_task(pump())
        await send(ws, action="subscribe", filters={})
        await pumping
        await live.submit([])
        await live.hub.store.flush()
        await wait_for(lambda: live.ctx.fanout.published >= live.hub.board.sequence)
        received = await drain(ws, quiet=0.5)

    seen: dict[tuple[str, str], dict[str, str | None]] = {}
    for message in received:
        if message["action"] in ("initial_state", "game_update"):
            data = message["data"]
            seen[(data["universal_game_id"], data["sportsbook"])] = odds(data)
        elif message["action"] == "line_update":
            data = message["data"]
            seen[(data["universal_game_id"], data["sportsbook"])].update(odds(data))
    assert seen == await board_odds(live)


async def board_odds(live: LiveServer) -> dict[tuple[str, str], dict[str, str | None]]:
    """What a client should hold: every game and book's outcomes, from a fresh socket."""
    async with live.connect("/api") as ws:
        await receive(ws)
        got = await subscribe(ws, filters={})
    return {(d["universal_game_id"], d["sportsbook"]): odds(d) for d in of(got, "initial_state")}


async def test_frames_stay_under_the_default_client_limit_on_a_simulated_board(
    live: LiveServer,
) -> None:
    """A real day of NBA and NFL with player props: every frame fits the websockets
    library's default 1 MiB, so BoltOdds clients need no ``max_size``."""
    from datetime import UTC, datetime

    from oddswire.sim import SimSettings, Simulator

    sim = Simulator(
        live.hub.catalog,
        SimSettings(seed=3, sport_ids=[4, 2], days_back=0, days_ahead=1),
        datetime(2026, 11, 22, 18, tzinfo=UTC),
    )
    for chunk in sim.bootstrap():
        await live.hub.submit(chunk)
    await live.submit([])
    started = time.monotonic()
    async with connect(live.url("/api"), max_size=DEFAULT_MAX_SIZE) as ws:
        await receive(ws)
        got = await subscribe(ws, filters={})
        biggest = max(len(json.dumps(m)) for m in got)
        for _ in range(20):
            await live.hub.submit(sim.step())
        await live.submit([])
        got += await drain(ws)
    assert of(got, "initial_state") and biggest < DEFAULT_MAX_SIZE // 2
    assert time.monotonic() - started < 30


# ----------------------------------------------------------------- slow client


async def test_a_slow_reader_lags_then_catches_up_with_every_book(live: LiveServer) -> None:
    """Updates wait while the client lags (told with ``lag``); a game's newer state
    replaces an older one of the same book, never another book's; then it all arrives."""
    live.ctx.fanout.limits = Limits(
        high_water=32 << 10, low_water=8 << 10, max_pending=50_000, max_lag_seconds=20.0
    )
    game = make_event(status=EventStatus.IN_PROGRESS)
    await live.submit([event_change(game), *game_lines(game), *game_lines(game, 23)])
    slow = await connect(
        live.url("/api"), sock=stalled_socket(live.port), max_queue=1, max_size=None
    )
    assert await receive(slow) == {"action": "socket_connected"}
    await send(slow, action="subscribe", filters={})
    session = next(s for s in live.ctx.fanout.sessions)
    # the server's side of the socket buffers little too, so the backlog shows at once
    server_socket = session.outbound.transport.get_extra_info("socket")  # type: ignore[attr-defined]
    server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
    home = game.home_team_id
    for n in range(150):  # line_updates enough to fill every buffer on the way
        await live.hub.submit(
            [
                price(
                    game,
                    market_id=2,
                    participant_id=home,
                    line=f"-{k}.5",
                    affiliate_id=b,
                    american=-100 - n,
                    main=False,
                )
                for k in range(40)
                for b in (19, 23)
            ]
            + [
                price(game, participant_id=home, affiliate_id=b, american=-150 - n)
                for b in (19, 23)
            ]
        )
        await asyncio.sleep(0.001)
    await live.submit([])
    await wait_for(lambda: session.lagging)
    for score in (1, 2, 3):
        scored = make_event(status=EventStatus.IN_PROGRESS, score_home=score)
        await live.submit([event_change(scored)])
    assert session.lagging and session.conflated >= 4  # scores 1, 2 replaced, per book
    received: list[Message] = []
    with contextlib.suppress(TimeoutError):
        while True:
            received.append(await receive(slow, 1.0))
    await slow.close()
    assert "lag" in actions(received) and actions(received)[-1] == "caught_up"
    updates = of(received, "game_update")
    assert sorted(u["sportsbook"] for u in updates) == ["draftkings", "fanduel"]
    assert all(u["info"]["score"] == "3-0" for u in updates)
    last = {}
    for data in of(received, "line_update"):
        last.update({(data["sportsbook"], k): v for k, v in odds(data).items()})
    assert last[("draftkings", "Los Angeles Lakers Moneyline")] == "-299"
    assert last[("fanduel", "Los Angeles Lakers -39.5 Spread")] == "-249"
