"""TheRundownSource against a scripted TheRundown on a real socket, feeding a real hub:
bootstrap, delta polling, stale cursors, the stream and its fallback, the off-board
sentinel, rate limits, the data-point budget, bad input, and the key kept secret."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rundownkit import (
    CELTICS,
    DAY,
    FAST,
    HEARTBEAT,
    KEY,
    KNICKS,
    OTHER,
    WARRIORS,
    Reply,
    RundownServer,
    delta_body,
    delta_row,
    event,
    hold,
    make_source,
    our_team,
    price_of,
    quote,
    running,
    serving,
    stream_price,
    until,
)
from starlette.websockets import WebSocket

from oddswire.hub import Hub, HubSettings
from oddswire.model.change import PriceStatus
from oddswire.model.event import EventStatus
from oddswire.refdata import load_catalog
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.record import Recorder, read_records
from oddswire.sources.upstream.replay import ReplaySource
from oddswire.sources.vendors import decoder_for
from oddswire.store.sqlite import SqliteTickStore

DELTA = "/api/v2/markets/delta"
EVENTS = f"/api/v2/sports/4/events/{DAY}"


async def test_bootstrap_puts_the_events_and_prices_on_the_board(tmp_path: Path) -> None:
    async with serving(RundownServer()) as server:
        source = make_source(server.url)
        async with running(tmp_path, source) as hub:
            (game,) = list(hub.board.events(4))
            assert game.event.home_team_id == our_team("Boston Celtics")
            assert game.event.away_team_id == our_team("Los Angeles Lakers")
            assert game.event.event_date.isoformat() == "2026-11-23T00:30:00+00:00"
            assert price_of(hub) == 150
            assert price_of(hub, book=23) == 155
            assert price_of(hub, participant_id=our_team("Boston Celtics")) == -175
            assert (
                price_of(
                    hub, market_id=2, participant_id=our_team("Boston Celtics"), line_value="-4.5"
                )
                == -110
            )
            assert price_of(hub, market_id=3, participant_id=10, line_value="224.5") == -112
            assert price_of(hub, market_id=3, participant_id=11, line_value="224.5") == -108
        paths = server.paths()
        assert paths[:3] == ["/api/v2/markets", "/api/v2/affiliates", EVENTS]
        snapshot = server.to(EVENTS)[0]
        assert snapshot.query == {"market_ids": "1,2,3,41,42,43", "affiliate_ids": "19,23"}
        assert all(s.headers.get("x-therundown-key") == KEY for s in server.seen)
        assert all("key" not in s.query for s in server.seen)
        # the catalogue's unknown followed market is not reported; the unknown book is
        texts = {(e.kind, e.text) for e in source.resolver.quarantine.entries()}
        assert ("book", "77 NewBook") in texts


async def test_delta_polling_follows_has_more_at_once(tmp_path: Path) -> None:
    server = RundownServer()
    server.deltas = [
        Reply(body=delta_body([delta_row(1001, "160")], 1001, has_more=True)),
        Reply(body=delta_body([delta_row(1002, "-185", participant_id=CELTICS)], 1002)),
    ]
    async with serving(server):
        source = make_source(server.url, poll_interval=0.5)
        async with running(tmp_path, source) as hub:
            await until(lambda: price_of(hub, participant_id=our_team("Boston Celtics")) == -185)
            assert price_of(hub) == 160
            await until(lambda: len(server.delta_requests()) >= 3)
            first, second, third = server.delta_requests()[:3]
            assert first.query["last_id"] == "1000" and second.query["last_id"] == "1001"
            assert second.at - first.at < 0.3  # has_more: again at once
            assert third.query["last_id"] == "1002" and third.at - second.at >= 0.45
            assert first.query["sport_id"] == "4"
            assert first.query["market_ids"] == "1,2,3,41,42,43"
            source.refresh_health()
            assert source.health.detail["cursor"] == {"4": 1002}
            assert source.health.detail["mode"] == "poll"


async def test_a_stale_cursor_takes_one_fresh_snapshot_then_resumes(tmp_path: Path) -> None:
    stale = Reply(400, {"error": "last_id is stale (>30 min), re-bootstrap from events endpoint"})
    server = RundownServer()
    server.deltas = [stale]
    async with serving(server):
        source = make_source(server.url)
        async with running(tmp_path, source) as hub:
            server.cursor = 5000
            server.events[(4, DAY)] = [event(markets=None)]
            await until(lambda: len(server.delta_requests()) >= 2)
            assert len(server.to(EVENTS)) == 2  # bootstrap + one re-bootstrap
            assert server.delta_requests()[1].query["last_id"] == "5000"
            assert source.rebootstraps == 1 and source.stale_cursors == 1
            assert hub.board.price_count > 0


async def test_a_cursor_refused_twice_running_is_not_looped_on(tmp_path: Path) -> None:
    stale = Reply(400, {"error": "last_id not found, re-bootstrap from events endpoint"})
    server = RundownServer()
    server.script[DELTA] = [stale]
    async with serving(server):
        tuning = replace(FAST, backoff=replace(FAST.backoff, initial=0.3, maximum=0.3))
        source = make_source(server.url, tuning=tuning)
        async with running(tmp_path, source):
            await until(lambda: len(server.delta_requests()) >= 2)
            await asyncio.sleep(0.15)
            assert len(server.to(EVENTS)) == 2  # one re-bootstrap, then a pause
            assert source.health.errors >= 1


async def test_the_stream_delivers_prices_and_fills_gaps_after_reconnects(tmp_path: Path) -> None:
    server = RundownServer()
    done = asyncio.Event()

    async def script(ws: WebSocket, n: int) -> None:
        if n == 1:
            await ws.send_text(HEARTBEAT)
            await ws.send_text(stream_price(1101, "170"))
            await ws.send_text(stream_price(1102, "-200", participant_id=CELTICS))
            await ws.close()  # dropped: the source reconnects and fills the gap
            return
        await ws.send_text(
            stream_price(1104, "-210", participant_id=CELTICS, at="2026-11-22T14:11:00Z")
        )
        done.set()
        await hold(ws)

    server.ws = script
    server.deltas = [
        Reply(body=delta_body([], 1000)),  # the gap fill on the first connect
        Reply(body=delta_body([delta_row(1103, "175", at="2026-11-22T14:10:30Z")], 1103)),
    ]
    async with serving(server):
        source = make_source(server.url, mode="stream")
        async with running(tmp_path, source) as hub:
            await asyncio.wait_for(done.wait(), 3)
            celtics = our_team("Boston Celtics")
            await until(lambda: price_of(hub, participant_id=celtics) == -210)
            assert price_of(hub) == 175  # from the gap fill
            fills = server.delta_requests()
            assert [f.query["last_id"] for f in fills[:2]] == ["1000", "1102"]
            stream = server.to("/api/v2/ws/markets")[0]
            assert stream.headers["x-therundown-key"] == KEY and "key" not in stream.query
            assert stream.query == {
                "sport_ids": "4",
                "market_ids": "1,2,3,41,42,43",
                "affiliate_ids": "19,23",
            }
            source.refresh_health()
            assert source.health.detail["mode"] == "stream"
            assert source.health.detail["stream"]["reconnects"] == 1  # type: ignore[index]


async def test_auto_falls_back_to_polling_when_the_upgrade_is_refused(tmp_path: Path) -> None:
    server = RundownServer()
    server.ws_refuse = 403
    server.deltas = [Reply(body=delta_body([delta_row(1001, "133")], 1001))]
    async with serving(server):
        source = make_source(server.url, mode="auto")
        async with running(tmp_path, source) as hub:
            await until(lambda: price_of(hub) == 133)
            assert len(server.to("/api/v2/ws/markets")) == 1
            source.refresh_health()
            detail = source.health.detail
            assert detail["mode"] == "poll"
            assert detail["stream"]["last_fallback"] == "upgrade refused: HTTP 403"  # type: ignore[index]


async def test_auto_polls_when_the_stream_keeps_failing_and_tries_it_again(tmp_path: Path) -> None:
    server = RundownServer()

    async def hang_up(ws: WebSocket, n: int) -> None:
        await ws.close()

    server.ws = hang_up
    async with serving(server):
        source = make_source(
            server.url, mode="auto", tuning=replace(FAST, stream_failures=2, stream_retry=0.3)
        )
        async with running(tmp_path, source):
            await until(lambda: source.fallbacks >= 2, timeout=4)
            assert server.ws_connects >= 4
            assert server.delta_requests()  # polled in between


async def test_off_board_and_closed_prices(tmp_path: Path) -> None:
    server = RundownServer()
    server.deltas = [
        Reply(
            body=delta_body(
                [
                    delta_row(1001, "0.0001"),
                    delta_row(
                        1002,
                        "-180",
                        participant_id=CELTICS,
                        change_type="closed",
                        closed_at="2026-11-22T14:05:00Z",
                    ),
                ],
                1002,
            )
        ),
    ]
    async with serving(server):
        source = make_source(server.url)
        async with running(tmp_path, source) as hub:
            celtics = our_team("Boston Celtics")

            def closed() -> bool:
                found = quote(hub, participant_id=celtics)
                return found is not None and found.status is PriceStatus.CLOSED

            await until(closed)
            assert price_of(hub, participant_id=celtics) == -180
            lakers = quote(hub)
            assert lakers is not None and lakers.status is PriceStatus.OFF_BOARD
            assert lakers.price == 150  # the last quote is kept, never the sentinel


async def test_429_retry_after_holds_every_request(tmp_path: Path) -> None:
    server = RundownServer()
    server.deltas = [
        Reply(429, {"error": "Rate limit exceeded"}, {"Retry-After": "0.4"}),
        Reply(body=delta_body([delta_row(1001, "140")], 1001)),
    ]
    async with serving(server):
        source = make_source(server.url)
        async with running(tmp_path, source) as hub:
            await until(lambda: price_of(hub) == 140)
            refused, retried = server.delta_requests()[:2]
            assert retried.at - refused.at >= 0.38
            assert source.http.rate_limited == 1


async def test_the_reserve_refuses_before_any_request_is_made(tmp_path: Path) -> None:
    server = RundownServer()
    server.headers = {"X-Datapoints": "1", "X-Datapoints-Remaining": "100", "X-Tier": "pro"}
    async with serving(server):
        source = make_source(server.url, reserve=100)
        async with running(tmp_path, source) as hub:
            await asyncio.sleep(0.2)
            assert server.paths() == ["/api/v2/markets"]  # then the reserve forbids more
            source.refresh_health()
            budget = source.health.detail["budget"]
            assert budget["remaining"] == 100 and budget["refused"] >= 1  # type: ignore[index]
            assert source.health.detail["paused"]
            assert source.health.detail["account"] == {"x-tier": "pro"}
            assert hub.board.price_count == 0


async def test_the_hourly_cap_counts_estimated_and_reported_costs(tmp_path: Path) -> None:
    server = RundownServer()
    server.headers = {"X-Datapoints": "2"}
    async with serving(server):
        source = make_source(server.url, per_hour=7)
        async with running(tmp_path, source):
            await asyncio.sleep(0.3)
            # markets, affiliates, events: 6 points; a delta (estimated 1) fits, then no more
            assert server.paths() == ["/api/v2/markets", "/api/v2/affiliates", EVENTS, DELTA]
            assert source.budget.spent == 8 and source.budget.refused >= 1


async def test_a_spent_quota_pauses_polling(tmp_path: Path) -> None:
    server = RundownServer()
    server.script[DELTA] = [Reply(429, {"error": "Daily data point limit reached"})]
    async with serving(server):
        source = make_source(server.url)
        async with running(tmp_path, source):
            await until(lambda: len(server.delta_requests()) == 1)
            await asyncio.sleep(0.3)
            assert len(server.delta_requests()) == 1  # no retries: paused
            assert "exhausted" in str(source.health.detail["paused"])


async def test_bad_input_is_skipped_and_unknown_events_are_fetched(tmp_path: Path) -> None:
    server = RundownServer()
    server.events[(4, DAY)] = [{"event_id": "broken", "sport_id": "x"}, event()]
    server.by_id[OTHER] = event(OTHER, KNICKS, WARRIORS, status="STATUS_IN_PROGRESS")
    server.deltas = [
        Reply(body="<html>oops</html>"),
        Reply(body={"meta": {"delta_last_id": "1000"}, "deltas": "nope"}),
        Reply(
            body=delta_body(
                [
                    {"garbage": True},
                    delta_row(
                        1001, "-130", event_id=OTHER, participant_id=KNICKS, name="New York Knicks"
                    ),
                ],
                1001,
            )
        ),
        Reply(body=delta_body([delta_row(1002, "-135", event_id="missing")], 1002)),
    ]
    async with serving(server):
        source = make_source(server.url)
        async with running(tmp_path, source) as hub:
            await until(lambda: len(list(hub.board.events(4))) == 2)
            knicks = next(
                s
                for s in hub.board.events(4)
                if s.event.event_id != "x"
                and s.event.home_team_id == our_team("Golden State Warriors")
            )
            assert knicks.event.score.event_status is EventStatus.IN_PROGRESS
            await until(lambda: len(server.to("/api/v2/events/missing")) == 1)
            await until(lambda: len(server.delta_requests()) >= 5)
            assert server.to(f"/api/v2/events/{OTHER}")[0].query["market_ids"] == "1,2,3,41,42,43"
            assert source.skipped >= 2
            assert price_of(hub) == 150


async def test_stream_garbage_is_skipped(tmp_path: Path) -> None:
    server = RundownServer()

    async def script(ws: WebSocket, n: int) -> None:
        for frame in [
            "not json",
            '{"meta":{"type":"market_price"},"data":{"id":"x"}}',
            '{"meta":{"type":"surprise"}}',
            json.dumps([1, 2]),
            stream_price(1101, "111"),
        ]:
            await ws.send_text(frame)
        await ws.send_bytes(stream_price(1102, "112", at="2026-11-22T14:12:00Z").encode())
        await hold(ws)

    server.ws = script
    async with serving(server):
        source = make_source(server.url, mode="stream")
        async with running(tmp_path, source) as hub:
            await until(lambda: price_of(hub) == 112)
            assert source.skipped == 3
            assert server.ws_connects == 1


async def test_warm_up_gives_up_when_the_upstream_is_unreachable(tmp_path: Path) -> None:
    source = make_source("http://127.0.0.1:9", tuning=replace(FAST, warm_up_timeout=1.0))
    started = time.monotonic()
    async with running(tmp_path, source) as hub:
        assert time.monotonic() - started < 2.5
        assert not source.health.connected and source.health.errors >= 1
        assert hub.board.price_count == 0


async def test_records_hold_what_replay_needs_and_never_the_key(tmp_path: Path) -> None:
    server = RundownServer()
    server.deltas = [Reply(body=delta_body([delta_row(1001, "160")], 1001))]
    async with serving(server):
        recorder = Recorder(str(tmp_path / "r.jsonl.gz"), "therundown", "therundown")
        source = make_source(server.url, recorder=recorder)
        async with running(tmp_path, source) as hub:
            await until(lambda: price_of(hub) == 160)
    records = list(read_records(str(tmp_path / "r.jsonl.gz")))
    calls = [r.meta.get("call") for r in records]
    assert calls[:3] == ["markets", "affiliates", "events"] and "delta" in calls
    assert records[2].meta == {"path": EVENTS, "call": "events", "sport_id": "4", "date": DAY}
    assert all(KEY not in r.body and KEY not in json.dumps(r.meta) for r in records)


async def test_the_key_never_reaches_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "websockets", "oddswire", "uvicorn"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    server = RundownServer()
    server.deltas = [
        Reply(429, {"error": f"Rate limit exceeded for {KEY}"}, {"Retry-After": "0"}),
        Reply(401, {"error": f"bad key {KEY}"}),
    ]

    async def script(ws: WebSocket, n: int) -> None:
        await ws.send_text(stream_price(1101, "171"))
        await ws.close()

    server.ws = script
    async with serving(server):
        for mode, auth in (("poll", "header"), ("stream", "header"), ("stream", "query")):
            source = make_source(server.url, mode=mode, tuning=replace(FAST, ws_auth=auth))
            async with running(_fresh(tmp_path, mode + auth), source):
                await until(lambda: len(server.delta_requests()) >= 2 or server.ws_connects >= 2)
                await asyncio.sleep(0.1)
    messages = [r.getMessage().lower() for r in caplog.records]
    assert any("x-therundown-key: ***" in m for m in messages)  # websockets' upgrade log
    assert any("key=***" in m for m in messages)  # the query form, masked
    assert any(r.name == "httpx" for r in caplog.records)
    for record in caplog.records:
        assert KEY not in record.getMessage(), record.name
        assert KEY not in caplog.text


def _fresh(root: Path, name: str) -> Path:
    path = root / name
    path.mkdir(parents=True, exist_ok=True)
    return path


async def test_a_stream_without_messages_is_dead_and_reconnected(tmp_path: Path) -> None:
    server = RundownServer()

    async def silent(ws: WebSocket, n: int) -> None:
        if n == 1:
            await hold(ws)
        await ws.send_text(stream_price(1101, "188"))
        await hold(ws)

    server.ws = silent
    async with serving(server):
        source = make_source(server.url, mode="stream", tuning=replace(FAST, heartbeat_timeout=0.3))
        async with running(tmp_path, source) as hub:
            await until(lambda: price_of(hub) == 188)
            assert server.ws_connects == 2


async def test_a_new_utc_day_refreshes_the_schedules(tmp_path: Path) -> None:
    server = RundownServer()
    tomorrow = "2026-11-23"
    server.events[(4, tomorrow)] = [event(OTHER, KNICKS, WARRIORS, start="2026-11-24T00:00:00Z")]
    clock_at = [datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC)]
    async with serving(server):
        source = make_source(server.url, clock=lambda: clock_at[0])
        async with running(tmp_path, source) as hub:
            assert len(list(hub.board.events(4))) == 1
            clock_at[0] = datetime(2026, 11, 23, 0, 0, 1, tzinfo=UTC)
            await until(lambda: len(server.to(f"/api/v2/sports/4/events/{tomorrow}")) == 1)
            await until(lambda: len(list(hub.board.events(4))) == 2)
            assert source.refreshes == 1


async def test_a_recording_replays_to_the_same_board(tmp_path: Path) -> None:
    server = RundownServer()
    server.by_id[OTHER] = event(OTHER, KNICKS, WARRIORS)
    server.deltas = [
        Reply(body=delta_body([delta_row(1001, "160"), delta_row(1002, "0.0001", book=23)], 1002)),
        Reply(
            body=delta_body([delta_row(1003, "-140", event_id=OTHER, participant_id=KNICKS)], 1003)
        ),
    ]
    path = str(tmp_path / "rec.jsonl.gz")

    def board(hub: Hub) -> dict[tuple[object, ...], tuple[object, ...]]:
        return {
            (*line.key, book): (state.status, state.price, state.is_main_line)
            for line, book, state in hub.board.iter_prices()
        }

    async with serving(server):
        source = make_source(server.url, recorder=Recorder(path, "therundown", "therundown"))
        async with running(_fresh(tmp_path, "live"), source) as hub:
            await until(lambda: len(server.to(f"/api/v2/events/{OTHER}")) == 1)
            await until(lambda: len(server.delta_requests()) >= 4)
            live = board(hub)
    catalog = load_catalog()
    replay = ReplaySource(path, Resolver(catalog), decoder_for("therundown", catalog), speed=0)
    settings = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)
    hub = Hub(catalog, SqliteTickStore(str(tmp_path / "replay.db")), [replay], settings)
    await hub.open()
    await hub.warm_up()
    hub.start()
    try:
        await asyncio.wait_for(replay.finished.wait(), 5)
        assert board(hub) == live
        assert len(live) == 16  # two games, eight prices each
    finally:
        await hub.stop()
