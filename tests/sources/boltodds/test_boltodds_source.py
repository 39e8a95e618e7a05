"""The BoltOdds source against a scripted BoltOdds server on a real socket, into a
real hub: connect, ack, subscribe, initial state, updates, suspension, removal,
clears, reconnects, junk, unknown names, 429s and refused connections."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from boltkit import (  # type: ignore[import-not-found, unused-ignore]
    ACK,
    AWAY,
    HOME,
    KEY,
    PING,
    board,
    bolt_server,
    clear,
    game_message,
    lakers_celtics,
    make_source,
    mets_angels,
    nba_message,
    open_prices,
    outcome,
    running_hub,
    wait_for,
)

from oddswire.model import PriceStatus

OPEN, OFF, CLOSED = PriceStatus.OPEN, PriceStatus.OFF_BOARD, PriceStatus.CLOSED
ML_HOME = (1, 0, HOME, "")
ML_AWAY = (1, 0, AWAY, "")
RUN_LINE = (2, 0, HOME, "-1.5")
OVER = (3, 0, "Over", "8.5")
TEAM_TOTAL = (94, 0, HOME, "Over 4.5")
HITS = (12, 0, "Pete Alonso", "Over 0.5")
DK, FD = 19, 23


async def test_warm_up_acks_subscribes_and_puts_the_initial_state_on_the_board(
    tmp_path: Path,
) -> None:
    async with bolt_server() as server:
        server.initial = [
            [
                game_message("initial_state", mets_angels()),
                game_message("initial_state", mets_angels("-140", "+120"), book="fanduel"),
            ]
        ]
        source = make_source(server, sports=["MLB"], books=["draftkings", "fanduel"])
        async with running_hub(tmp_path / "b.db", source) as hub:
            # warm-up returned with the initial state applied
            assert open_prices(hub, DK) == {
                ML_HOME: -150,
                ML_AWAY: 130,
                RUN_LINE: 140,
                (2, 0, AWAY, "1.5"): -165,
                OVER: -110,
                (3, 0, "Under", "8.5"): -110,
                TEAM_TOTAL: -120,
                HITS: -200,
            }
            assert open_prices(hub, FD)[ML_HOME] == -140
            (state,) = hub.board.events()
            assert state.event.sport_id == 3
            assert state.event.event_date.isoformat() == "2025-07-23T17:09:00+00:00"  # 01:09 PM EDT
            assert server.client.key == KEY
            assert server.client.subscription == {
                "action": "subscribe",
                "filters": {"sports": ["MLB"], "sportsbooks": ["draftkings", "fanduel"]},
            }
            paths = [p for p, _ in server.requests]
            assert paths[:3] == ["/api/get_info", "/api/get_games", "/api/get_markets"]
            assert server.requests[2][1]["sports"] == ["MLB"]
            assert server.requests[2][1]["sportsbooks"] == ["draftkings,fanduel"]
            source.refresh_health()
            detail = source.health.as_dict()
            assert detail["connected"] is True
            connection = detail["connection"]
            assert isinstance(connection, dict)
            assert connection["state"] == "live"
            assert connection["connects"] == 1 and connection["reconnects"] == 0
            assert connection["last_ack_at"] is not None
            assert connection["initial_state_messages"] == 2
            assert detail["subscription"] == {
                "sports": ["MLB"],
                "sportsbooks": ["draftkings", "fanduel"],
            }
            assert detail["discovery"] == {
                "sports": 4,
                "sportsbooks": 5,
                "games": 1,
                "market_names": 5,
                "errors": [],
            }
            assert sorted(source.health.affiliate_ids) == [DK, FD]


async def test_no_filters_means_an_empty_filter_object(tmp_path: Path) -> None:
    async with bolt_server() as server:
        source = make_source(server, markets=["Moneyline", "Spread"])
        async with running_hub(tmp_path / "b.db", source):
            assert server.client.subscription == {
                "action": "subscribe",
                "filters": {"markets": ["Moneyline", "Spread"]},
            }
        assert "sports" not in server.requests[2][1]  # get_markets for everything


async def test_live_updates_suspensions_removal_and_pings(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.initial = [[game_message("initial_state", mets_angels())]]
        source = make_source(server)
        async with running_hub(tmp_path / "b.db", source) as hub:
            # a price change
            change = dict([outcome(HOME, "Moneyline", "-1250")])
            await server.push(game_message("line_update", change))
            await wait_for(lambda: board(hub)[ML_HOME] == (-1250, OPEN))
            # suspended: odds null, then odds ''
            await server.push(game_message("line_update", dict([outcome(HOME, "Moneyline", None)])))
            await wait_for(lambda: board(hub)[ML_HOME][1] == OFF)
            await server.push(game_message("line_update", dict([outcome(AWAY, "Moneyline", "")])))
            await wait_for(lambda: board(hub)[ML_AWAY][1] == OFF)
            # back on
            await server.push(
                game_message("line_update", dict([outcome(HOME, "Moneyline", "-900")]))
            )
            await wait_for(lambda: board(hub)[ML_HOME] == (-900, OPEN))
            # a ping changes nothing but keeps the source fresh
            before = hub.board.sequence
            seen = source.health.last_message_at
            await server.push(PING)
            await wait_for(lambda: source.health.last_message_at != seen)
            assert hub.board.sequence == before
            # game_update: everything the book quotes; the team total and prop are gone
            everything = mets_angels("-3333", "+900")
            del everything[f"{HOME} Over 4.5 Team Total"]
            del everything["Pete Alonso Over 0.5 Hits"]
            await server.push(game_message("game_update", everything))
            await wait_for(lambda: board(hub)[ML_HOME] == (-3333, OPEN))
            now = board(hub)
            assert now[ML_AWAY] == (900, OPEN)
            assert now[TEAM_TOTAL][1] == OFF and now[HITS][1] == OFF
            assert now[RUN_LINE] == (140, OPEN)
            # game_removed closes the book's prices; game_added opens them again
            await server.push(game_message("game_removed", {}))
            await wait_for(lambda: all(s == CLOSED for _, s in board(hub).values()))
            await server.push(game_message("game_added", mets_angels("-200", "+170")))
            await wait_for(lambda: board(hub)[ML_HOME] == (-200, OPEN))
            assert source.skipped == 0


async def test_book_clear_and_sport_clear_take_prices_off_the_board(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.initial = [
            [
                game_message("initial_state", mets_angels()),
                game_message("initial_state", mets_angels(), book="fanduel"),
                nba_message("initial_state", lakers_celtics()),
            ]
        ]
        source = make_source(server)
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert len(open_prices(hub, DK)) == 10 and len(open_prices(hub, FD)) == 8
            await server.push(clear("book_clear", book="fanduel"))
            await wait_for(lambda: not open_prices(hub, FD))
            assert len(open_prices(hub, DK)) == 10
            await server.push(clear("sport_clear", sport="NBA"))
            await wait_for(lambda: len(open_prices(hub, DK)) == 8)  # the MLB game's
            nba = [k for k in board(hub, DK) if k[2] in ("Boston Celtics", "Los Angeles Lakers")]
            assert nba and all(board(hub, DK)[k][1] == OFF for k in nba)
            # the book comes back with a fresh state
            await server.push(game_message("initial_state", mets_angels("-111"), book="fanduel"))
            await wait_for(lambda: open_prices(hub, FD).get(ML_HOME) == -111)


async def test_malformed_and_unexpected_frames_are_logged_and_skipped(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.initial = [[game_message("initial_state", mets_angels())]]
        source = make_source(server)
        async with running_hub(tmp_path / "b.db", source) as hub:
            junk = [
                "not json {",
                "",
                "[]",
                "42",
                '{"no": "action"}',
                '{"action": 5}',
                '{"action": "odds_exploded", "data": {}}',
                '{"action": "line_update", "data": []}',
                '{"action": "line_update", "data": {"sport": "MLB"}}',
                json.dumps({"action": "line_update", "data": {"sport": 7, "game": {}}}),
                game_message("line_update").replace('"outcomes": {}', '"outcomes": [1, 2]'),
                '{"action": "book_clear", "data": {"sportsbook": {}}}',
                "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
            ]
            await server.push(*junk)
            # the connection survives: a good update after the junk still lands
            await server.push(
                game_message("line_update", dict([outcome(HOME, "Moneyline", "-105")]))
            )
            await wait_for(lambda: board(hub)[ML_HOME] == (-105, OPEN))
            assert source.skipped == len(junk)
            assert source.health.connected and source.connects == 1
            assert "skipped a message" in (source.health.last_error or "")
            # wrong types inside outcomes: those outcomes are problems, the rest counts
            odd: dict[str, Any] = dict(
                [
                    ("weird", "not an object"),
                    outcome(HOME, "Moneyline", ["-110"]),
                    outcome(AWAY, "Moneyline", "+101"),
                    outcome(HOME, 42, "-110"),  # type: ignore[arg-type]
                    outcome(HOME, "Spread", "-110", {"x": 1}),
                ]
            )
            await server.push(game_message("line_update", odd))
            await wait_for(lambda: board(hub)[ML_AWAY] == (101, OPEN))
            kinds = {e.kind for e in source.resolver.quarantine.entries(source.name)}
            assert {"outcome", "odds", "line"} <= kinds


async def test_unknown_sport_book_market_team_and_odds_are_quarantined(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.initial = [
            [
                game_message("initial_state", mets_angels(), book="ballybet"),
                game_message("initial_state", mets_angels(), sport="Lunar Cricket"),
                game_message(
                    "initial_state",
                    dict(
                        [
                            outcome(HOME, "Moneyline", "-150"),
                            outcome("Pete Alonso", "First Basket", "+500"),
                            outcome(AWAY, "Moneyline", "wat"),
                            outcome("Springfield Isotopes", "Moneyline", "+200"),
                        ]
                    ),
                ),
                game_message(
                    "initial_state",
                    dict([outcome("Springfield Isotopes", "Moneyline", "-110")]),
                    game="Springfield Isotopes vs New York Mets, 2025-07-24, 07",
                    home="Springfield Isotopes",
                    away=HOME,
                    when="2025-07-24, 07:05 PM",
                ),
            ]
        ]
        source = make_source(server)
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert open_prices(hub, DK) == {ML_HOME: -150}
            entries = {(e.kind, e.text) for e in source.resolver.quarantine.entries(source.name)}
            assert ("book", "ballybet") in entries
            assert ("sport", "Lunar Cricket") in entries
            assert ("market", "First Basket") in entries
            assert ("odds", f"{AWAY} Moneyline: wat") in entries
            assert ("team", "Springfield Isotopes") in entries
            assert source.health.connected and source.skipped == 0


async def test_reconnect_takes_a_fresh_initial_state_as_the_truth(tmp_path: Path) -> None:
    async with bolt_server() as server:
        first = [
            game_message("initial_state", mets_angels()),
            nba_message("initial_state", lakers_celtics()),
        ]
        again = dict([outcome(HOME, "Moneyline", "-170"), outcome(AWAY, "Moneyline", "+150")])
        server.initial = [first, [game_message("initial_state", again)]]
        source = make_source(server)
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert len(open_prices(hub)) == 10
            await server.drop()
            await wait_for(lambda: len(server.clients) == 2 and source.connection is not None)
            await wait_for(lambda: source.state == "live")
            # the new state: the Mets moneyline only; everything else went off the board
            assert open_prices(hub) == {ML_HOME: -170, ML_AWAY: 150}
            assert board(hub)[RUN_LINE][1] == OFF
            assert board(hub)[(1, 0, "Boston Celtics", "")][1] == OFF
            assert source.reconnects == 1 and source.connects == 2
            assert server.clients[1].subscription == server.clients[0].subscription
            source.refresh_health()
            connection = source.health.detail["connection"]
            assert isinstance(connection, dict)
            assert connection["reconnects"] == 1
            assert "backend restart" in (connection["last_close"] or "")
            # the reconnect waited for min_reconnect after the first attempt
            assert server.attempts[1] - server.attempts[0] >= 0.05


async def test_no_ack_is_a_failed_attempt_and_the_source_retries(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.send_ack = False
        source = make_source(server, ack_timeout=0.2, warm_up_timeout=0.6, discover=False)
        async with running_hub(tmp_path / "b.db", source):
            assert not source.health.connected
            assert "socket_connected" in (source.health.last_error or "")
            server.send_ack = True
            server.initial = [[game_message("initial_state", mets_angels())]]
            await wait_for(lambda: source.state == "live")
            assert len(server.clients) >= 2


async def test_a_first_message_other_than_the_ack_fails_the_attempt(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with bolt_server() as server:
        server.send_ack = False
        server.initial = [[]]
        source = make_source(server, ack_timeout=1.0, warm_up_timeout=0.5, discover=False)

        async def greet_wrongly() -> None:
            await wait_for(lambda: server.clients)
            await server.client.ws.send('{"action": "error", "message": "who are you"}')

        greeter = asyncio.create_task(greet_wrongly())
        await source.warm_up(_Sink())  # no hub needed: it fails before any price
        await greeter
        assert "the first message was not socket_connected" in caplog.text
        assert source.bolt.errors == ["who are you"]
        await source.close()


async def test_429_on_connect_waits_for_retry_after(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.refuse = [(429, {"Retry-After": "0.4"})]
        server.initial = [[game_message("initial_state", mets_angels())]]
        source = make_source(server, discover=False)
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert open_prices(hub)[ML_HOME] == -150
            assert len(server.attempts) == 2
            assert server.attempts[1] - server.attempts[0] >= 0.35
            assert source.health.errors >= 1


async def test_a_refused_key_and_an_unreachable_host_do_not_stop_the_hub(tmp_path: Path) -> None:
    async with bolt_server() as server:
        wrong = make_source(server, key="not-the-key", warm_up_timeout=0.5, discover=False)
        unreachable = make_source(
            None, url="ws://127.0.0.1:9/api", warm_up_timeout=0.5, name="bolt2"
        )
        started = time.monotonic()
        async with running_hub(tmp_path / "b.db", wrong, unreachable) as hub:
            assert time.monotonic() - started < 3.0
            assert hub.ready
            assert "refused the key (HTTP 401)" in (wrong.health.last_error or "")
            assert not unreachable.health.connected and unreachable.health.errors >= 1
            tries = unreachable.connects
            await wait_for(lambda: unreachable.connects > tries)  # run() keeps trying
            discovery = unreachable.discovered
            assert discovery is not None and discovery.sports is None
            assert any("get_info" in e for e in discovery.errors)


async def test_discovery_validates_the_configured_names(tmp_path: Path) -> None:
    async with bolt_server() as server:
        source = make_source(
            server,
            sports=["MLB", "Wimbledon (M)", "EPL", "Lunar Cricket"],
            books=["draftkings", "ballybet", "espnbet"],
            markets=["Moneyline", "First Basket"],
        )
        async with running_hub(tmp_path / "b.db", source):
            entries = {
                (e.kind, e.text): e.reason for e in source.resolver.quarantine.entries(source.name)
            }
        assert "not offered by get_info" in entries[("sport", "EPL")]
        assert "no canonical sport" in entries[("sport", "Lunar Cricket")]
        assert ("sport", "Wimbledon (M)") not in entries  # ATP, and offered
        assert "no catalog affiliate" in entries[("book", "ballybet")]
        assert ("book", "espnbet") not in entries  # theScore Bet
        assert "no catalog market" in entries[("market", "First Basket")]


async def test_a_rate_limited_discovery_is_not_fatal(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.http["/api/get_info"] = (429, {"error": "slow down"}, {"Retry-After": "0.3"})
        server.initial = [[game_message("initial_state", mets_angels())]]
        source = make_source(server)
        started = time.monotonic()
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert open_prices(hub)[ML_HOME] == -150
            # no get_games/get_markets after the 429, and the socket waited for it
            assert [p for p, _ in server.requests].count("/api/get_games") == 0
            assert server.attempts[0] - started >= 0.25
            assert source.discovered is not None
            assert "429" in source.discovered.errors[0]


async def test_an_idle_socket_is_dropped_and_reopened(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.initial = [[game_message("initial_state", mets_angels())]]
        source = make_source(server, idle_timeout=0.3, discover=False)
        async with running_hub(tmp_path / "b.db", source):
            await wait_for(lambda: len(server.clients) >= 2)
            assert "no message for 0.3 s" in (source.last_close or "")


async def test_frames_may_be_json_arrays_of_messages(tmp_path: Path) -> None:
    async with bolt_server() as server:
        batch = [
            json.loads(game_message("initial_state", mets_angels())),
            json.loads(nba_message("initial_state", lakers_celtics())),
            {"action": "ping"},
        ]
        server.initial = [[json.dumps(batch)]]
        source = make_source(server, discover=False)
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert len(open_prices(hub)) == 10
            assert len(list(hub.board.events())) == 2


async def test_the_ack_is_recorded_with_every_frame(tmp_path: Path) -> None:
    from oddswire.sources.upstream.record import Recorder, read_records

    async with bolt_server() as server:
        server.initial = [[game_message("initial_state", mets_angels())]]
        path = str(tmp_path / "rec.jsonl.gz")
        recorder = Recorder(path, "boltodds", "boltodds")
        source = make_source(server, recorder=recorder)
        async with running_hub(tmp_path / "b.db", source):
            pass
    records = list(read_records(path))
    kinds = [(r.kind, r.meta.get("path") or r.body[:30]) for r in records]
    assert kinds[:3] == [("http", "/get_info"), ("http", "/get_games"), ("http", "/get_markets")]
    assert records[3].body == ACK and records[3].meta == {"connection": "1"}
    assert records[-1].kind == "sync"
    assert not any(KEY in r.body or KEY in json.dumps(r.meta) for r in records)


class _Sink:
    async def submit(self, changes: object) -> int:
        return 0

    def progress(self, what: str, fraction: float | None) -> None:
        return None
