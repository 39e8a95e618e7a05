"""The Odds API source against a local v4 server, feeding a real hub."""

from __future__ import annotations

import asyncio
import itertools
import logging
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from oddsapikit import (
    DK,
    DK_ID,
    EPL,
    FD,
    FD_ID,
    GAME,
    KEY,
    NBA,
    Board,
    FakeOddsApi,
    Reply,
    book,
    error,
    event,
    make_source,
    nba_book,
    nba_event,
    running_hub,
    until,
)

from oddswire.client.backoff import Backoff
from oddswire.hub import Hub, HubSettings
from oddswire.model import PriceStatus
from oddswire.refdata import load_catalog
from oddswire.sources.oddsapi import PollResult
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.record import Recorder, read_records
from oddswire.sources.upstream.replay import ReplaySource
from oddswire.sources.vendors import decoder_for
from oddswire.store.sqlite import SqliteTickStore

QUICK = Backoff(initial=0.02, maximum=0.05, jitter=0.0)


@pytest.fixture
async def api() -> AsyncIterator[FakeOddsApi]:
    server = FakeOddsApi()
    await server.start()
    yield server
    await server.stop()


async def test_the_first_poll_puts_every_book_on_the_board(
    api: FakeOddsApi, tmp_path: Path
) -> None:
    api.then(NBA, [nba_event(nba_book(DK), nba_book(FD, home_ml=-175))])
    source = make_source(api.url)
    async with running_hub(tmp_path, source) as hub:
        board = Board(hub, source)
        home = board.price(DK_ID, 1, "home")
        assert home.price == -180
        assert home.status is PriceStatus.OPEN
        assert board.price(FD_ID, 1, "home").price == -175
        assert board.price(DK_ID, 1, "away").price == 155
        assert board.price(DK_ID, 2, "home", "-4.5").price == -110
        assert board.price(DK_ID, 2, "away", "4.5").price == -110
        assert board.price(DK_ID, 3, "over", "224.5").price == -112
        assert board.price(DK_ID, 3, "under", "224.5").price == -108
        (request,) = api.requests
        assert request.path == "/v4/sports/basketball_nba/odds"
        assert request.query == {
            "apiKey": KEY,
            "regions": "us",
            "markets": "h2h,spreads,totals",
            "oddsFormat": "american",
            "dateFormat": "iso",
        }
        assert not api.violations
        assert source.budget.remaining == 497
        assert source.budget.used == 3
        assert source.budget.spent == 3
        source.refresh_health()
        assert source.health.connected
        assert source.health.healthy
        assert source.health.stale_after == pytest.approx(0.6)
        detail = source.health.detail
        assert detail["mode"] == "polling"
        assert detail["books"].keys() == {str(DK_ID), str(FD_ID)}  # type: ignore[attr-defined]


async def test_price_changes_and_moved_lines(api: FakeOddsApi, tmp_path: Path) -> None:
    api.then(
        NBA,
        [nba_event(nba_book(DK))],
        [nba_event(nba_book(DK, home_ml=-200))],
        [nba_event(nba_book(DK, home_ml=-200, spread=-5.5))],
    )
    source = make_source(api.url)
    async with running_hub(tmp_path, source) as hub:
        board = Board(hub, source)
        assert await source.poll(hub, NBA) is PollResult.OK
        assert board.price(DK_ID, 1, "home").price == -200
        assert board.price(DK_ID, 1, "home").previous_price == -180
        assert await source.poll(hub, NBA) is PollResult.OK
        old = board.price(DK_ID, 2, "home", "-4.5")
        assert old.status is PriceStatus.OFF_BOARD
        assert old.price == -110  # the last quote is kept
        assert board.price(DK_ID, 2, "home", "-5.5").status is PriceStatus.OPEN
        assert board.price(DK_ID, 2, "away", "5.5").status is PriceStatus.OPEN


async def test_suspension_book_and_event_removal(api: FakeOddsApi, tmp_path: Path) -> None:
    full = nba_book(FD)
    no_h2h = book(FD, *[m for m in full["markets"] if m["key"] != "h2h"])
    api.then(
        NBA,
        [nba_event(nba_book(DK), full)],
        [nba_event(nba_book(DK), no_h2h)],  # FanDuel suspends its moneyline
        [nba_event(nba_book(DK), full)],  # ... and brings it back
        [nba_event(nba_book(DK))],  # FanDuel stops quoting the game
        [],  # the game is gone
    )
    source = make_source(api.url)
    async with running_hub(tmp_path, source) as hub:
        board = Board(hub, source)
        await source.poll(hub, NBA)
        assert board.price(FD_ID, 1, "home").status is PriceStatus.OFF_BOARD
        assert board.price(FD_ID, 2, "home", "-4.5").status is PriceStatus.OPEN
        await source.poll(hub, NBA)
        assert board.price(FD_ID, 1, "home").status is PriceStatus.OPEN
        await source.poll(hub, NBA)
        assert board.price(FD_ID, 1, "home").status is PriceStatus.OFF_BOARD
        assert board.price(FD_ID, 3, "over", "224.5").status is PriceStatus.OFF_BOARD
        assert board.price(DK_ID, 1, "home").status is PriceStatus.OPEN
        await source.poll(hub, NBA)
        assert board.price(DK_ID, 1, "home").status is PriceStatus.OFF_BOARD
        assert board.price(DK_ID, 3, "under", "224.5").status is PriceStatus.OFF_BOARD


async def test_the_reserve_refuses_before_spending_and_polling_resumes_with_credits(
    api: FakeOddsApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    api.remaining = 103
    api.always(NBA, [nba_event(nba_book(DK))])
    source = make_source(api.url, interval=0.05, reserve=100, pause_polls=4)
    caplog.set_level(logging.INFO, logger="oddswire")
    async with running_hub(tmp_path, source) as hub:
        assert source.budget.remaining == 100
        assert await source.poll(hub, NBA) is PollResult.REFUSED
        assert await source.poll(hub, NBA) is PollResult.REFUSED
        assert len(api.odds_requests()) == 1  # nothing was asked of the server
        assert source.budget.refused == 2
        source.refresh_health()
        assert str(source.health.detail["mode"]).startswith("budget refused")
        assert source.health.detail["budget"]["refused"] == 2  # type: ignore[index]
        warnings = [r for r in caplog.records if "skipped polling" in r.getMessage()]
        assert len(warnings) == 1
        assert warnings[0].levelno == logging.WARNING
        hub.start()
        await asyncio.sleep(0.3)
        assert len(api.odds_requests()) == 1
        assert any(r.path == "/v4/sports" for r in api.requests)  # the free balance check
        api.remaining = 1000  # the month rolled over
        await until(lambda: source.mode == "polling")
        assert len(api.odds_requests()) >= 2


async def test_the_hourly_cap_defers_polls(api: FakeOddsApi, tmp_path: Path) -> None:
    api.always(NBA, [nba_event(nba_book(DK))])
    source = make_source(api.url, per_hour=6)
    async with running_hub(tmp_path, source) as hub:
        assert await source.poll(hub, NBA) is PollResult.OK
        assert await source.poll(hub, NBA) is PollResult.REFUSED
        assert len(api.odds_requests()) == 2
        assert source.budget.spent == 6
        assert "hourly cap" in source.mode


async def test_empty_answers_are_not_charged(api: FakeOddsApi, tmp_path: Path) -> None:
    api.always(NBA, [])
    source = make_source(api.url)
    async with running_hub(tmp_path, source) as hub:
        await source.poll(hub, NBA)
        assert source.budget.spent == 0
        assert source.budget.remaining == 500


async def test_bookmakers_replace_regions_and_cost_per_ten_books(
    api: FakeOddsApi, tmp_path: Path
) -> None:
    books = [f"book{i}" for i in range(11)] + [DK]
    api.always(NBA, [nba_event(nba_book(DK))])
    source = make_source(api.url, bookmakers=books)
    async with running_hub(tmp_path, source):
        (request,) = api.requests
        assert request.query["bookmakers"] == ",".join(books)
        assert "regions" not in request.query
        assert source.query.cost == 6
        assert source.budget.spent == 6


async def test_429_waits_for_retry_after(api: FakeOddsApi, tmp_path: Path) -> None:
    ok = [nba_event(nba_book(DK))]
    api.then(
        NBA, ok, error(429, "EXCEEDED_FREQ_LIMIT", "Too many requests", **{"Retry-After": "0.5"})
    )
    api.always(NBA, ok)
    source = make_source(api.url, interval=0.05)
    async with running_hub(tmp_path, source, start=True):
        await until(lambda: len(api.odds_requests()) >= 3)
        _, limited, retried = api.odds_requests()[:3]
        assert retried.at - limited.at >= 0.45
        assert source.health.errors >= 1
        assert "EXCEEDED_FREQ_LIMIT" in (source.health.last_error or "")


async def test_out_of_credits_stops_polling_until_the_balance_grows(
    api: FakeOddsApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ok = [nba_event(nba_book(DK))]
    spent = error(
        401,
        "OUT_OF_USAGE_CREDITS",
        "Usage quota has been reached",
        **{"x-requests-remaining": "0"},
    )
    api.then(NBA, ok, spent)
    api.always(NBA, ok)
    source = make_source(api.url, interval=0.05, pause_polls=3)
    async with running_hub(tmp_path, source, start=True) as hub:
        await until(lambda: len(api.odds_requests()) == 2)
        await asyncio.sleep(0.4)
        assert len(api.odds_requests()) == 2  # no more spending
        assert source.mode == "out of credits"
        assert source.health.connected  # the vendor answers; only the credits are gone
        assert [r.path for r in api.requests].count("/v4/sports") >= 1
        # Nothing was withdrawn for it: the game stays on the board.
        assert Board(hub, source).price(DK_ID, 1, "home").status is PriceStatus.OPEN
        api.remaining = 20_000
        await until(lambda: len(api.odds_requests()) >= 3)
    quota_logs = [r for r in caplog.records if "quota is spent" in r.getMessage()]
    assert len(quota_logs) == 1


async def test_an_invalid_key_is_unhealthy_and_retried_slowly(
    api: FakeOddsApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = make_source(api.url, interval=0.05, auth_retry=0.5, key="not-the-key")
    async with running_hub(tmp_path, source, start=True):
        assert len(api.requests) == 1
        assert source.mode == "invalid key"
        assert not source.health.connected
        assert not source.health.healthy
        assert "INVALID_KEY" in (source.health.last_error or "")
        await asyncio.sleep(0.3)
        assert len(api.requests) == 1
        await until(lambda: len(api.requests) >= 2)
    refused = [r for r in caplog.records if "refused the key" in r.getMessage()]
    assert len(refused) == 1


async def test_a_server_error_or_a_dropped_connection_backs_off_and_recovers(
    api: FakeOddsApi, tmp_path: Path
) -> None:
    api.then(
        NBA,
        [nba_event(nba_book(DK))],
        Reply(status=503, body="<html>Service Unavailable</html>"),
        Reply(drop=True),
        Reply(status=500, body={"message": "Internal error"}),
        [nba_event(nba_book(DK, home_ml=-210))],
    )
    api.always(NBA, [nba_event(nba_book(DK, home_ml=-210))])
    source = make_source(api.url, interval=0.05, backoff=QUICK)
    async with running_hub(tmp_path, source) as hub:
        board = Board(hub, source)
        for _ in range(3):
            assert await source.poll(hub, NBA) is PollResult.FAILED
            # A failed request withdraws nothing.
            assert board.price(DK_ID, 1, "home").status is PriceStatus.OPEN
        assert not source.health.connected
        assert source.health.errors == 3
        hub.start()
        await until(lambda: board.price(DK_ID, 1, "home").price == -210)
        assert source.health.connected
        assert source.mode == "polling"
        assert source.plans[NBA].failures == 0


async def test_warm_up_gives_up_in_bounded_time_when_the_upstream_hangs(tmp_path: Path) -> None:
    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    source = make_source(
        f"http://127.0.0.1:{port}", sports=(NBA, EPL), warm_up_timeout=0.3, request_timeout=5
    )
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with running_hub(tmp_path, source):
            assert loop.time() - started < 2
            assert not source.health.connected
            assert "warm-up gave up" in (source.health.last_error or "")
    finally:
        server.close()


async def test_warm_up_against_a_closed_port_fails_fast(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    source = make_source(f"http://127.0.0.1:{port}", sports=(NBA, EPL))
    async with running_hub(tmp_path, source):
        assert not source.health.connected
        assert source.health.errors == 2
        assert all(plan.failures == 1 for plan in source.plans.values())


async def test_a_422_quarantines_that_request_and_other_sports_go_on(
    api: FakeOddsApi, tmp_path: Path
) -> None:
    api.then(NBA, error(422, "INVALID_MARKET_COMBO", "Invalid market combination"))
    api.always(EPL, [event("epl1", "Arsenal", "Chelsea", sport=EPL)])
    source = make_source(api.url, sports=(NBA, EPL), interval=0.05)
    async with running_hub(tmp_path, source, start=True):
        await until(lambda: len(api.odds_requests(EPL)) >= 3)
        assert len(api.odds_requests(NBA)) == 1
        assert source.plans[NBA].quarantined is not None
        entries = source.resolver.quarantine.entries(source.name, "request")
        assert len(entries) == 1
        assert "INVALID_MARKET_COMBO" in entries[0].reason
        assert KEY not in entries[0].text


async def test_malformed_and_unmappable_answers_are_skipped_and_quarantined(
    api: FakeOddsApi, tmp_path: Path
) -> None:
    unknown_team = event("x1", "Springfield Isotopes", "Boston Celtics", nba_book(DK))
    api.then(
        NBA,
        [nba_event(nba_book(DK))],
        "this is not json",
        {"unexpected": "shape"},
        [nba_event(nba_book(DK), book("williamhill_us")), unknown_team],
        [{**nba_event(nba_book(DK)), "sport_key": "basketball_euroleague"}],
    )
    source = make_source(api.url)
    async with running_hub(tmp_path, source) as hub:
        board = Board(hub, source)
        for _ in range(2):
            assert await source.poll(hub, NBA) is PollResult.OK
        assert source.skipped == 2
        assert board.price(DK_ID, 1, "home").status is PriceStatus.OPEN
        await source.poll(hub, NBA)
        quarantine = source.resolver.quarantine
        assert [e.text for e in quarantine.entries(source.name, "book")] == ["williamhill_us"]
        assert [e.text for e in quarantine.entries(source.name, "team")] == ["Springfield Isotopes"]
        await source.poll(hub, NBA)
        assert [e.text for e in quarantine.entries(source.name, "sport")] == [
            "basketball_euroleague"
        ]
        assert len(hub.board) == 1


async def test_the_sports_are_staggered_over_the_interval(api: FakeOddsApi, tmp_path: Path) -> None:
    api.always(NBA, [nba_event(nba_book(DK))])
    api.always(EPL, [])
    source = make_source(api.url, sports=(NBA, EPL), interval=0.4)
    async with running_hub(tmp_path, source, start=True):
        await until(lambda: len(api.odds_requests()) >= 6)
    polls = api.odds_requests()[2:6]  # after the warm-up's back-to-back pair
    assert [r.sport for r in polls] == [NBA, EPL, NBA, EPL]
    gaps = [b.at - a.at for a, b in itertools.pairwise(polls)]
    assert all(0.05 < gap < 0.38 for gap in gaps), gaps


async def test_records_carry_what_replay_needs_and_never_the_key(
    api: FakeOddsApi, tmp_path: Path
) -> None:
    api.always(NBA, [nba_event(nba_book(DK))])
    path = str(tmp_path / "oddsapi.jsonl.gz")
    source = make_source(api.url, recorder=Recorder(path, "oddsapi", "oddsapi"))
    async with running_hub(tmp_path, source) as hub:
        await source.poll(hub, NBA)
    (first, second) = list(read_records(path))
    assert first.kind == "http"
    assert first.meta["sport"] == NBA
    assert float(first.meta["at"]) > 0
    assert first.meta["markets"] == "h2h,spreads,totals"
    assert KEY not in repr(first) + repr(second)
    assert GAME in first.body


async def test_no_log_line_ever_carries_the_key(
    api: FakeOddsApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "oddswire"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    api.then(
        NBA,
        [nba_event(nba_book(DK))],
        Reply(status=503, body=f"upstream echoed apiKey={KEY}"),
        Reply(drop=True),
        error(429, "EXCEEDED_FREQ_LIMIT", "slow down", **{"Retry-After": "0"}),
        error(422, "INVALID_MARKET", f"bad request for key {KEY}"),
    )
    source = make_source(api.url, backoff=QUICK)
    try:
        async with running_hub(tmp_path, source) as hub:
            for _ in range(4):
                await source.poll(hub, NBA)
            wrong = make_source(api.url, key="x" + KEY)
            await wrong.poll(hub, NBA)
            await wrong.close()
    finally:
        for name in ("httpx", "httpcore", "oddswire"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    messages = [r.getMessage() for r in caplog.records]
    assert any("HTTP Request" in m for m in messages)  # httpx did log its requests
    assert any("apiKey=***" in m for m in messages)
    assert not [m for m in messages if KEY in m]
    assert KEY not in caplog.text
    source.refresh_health()
    assert KEY not in repr(source.health.as_dict())
    assert KEY not in repr(source.resolver.quarantine.entries())


async def test_a_recording_replays_to_the_same_board(api: FakeOddsApi, tmp_path: Path) -> None:
    # Whole seconds, as the vendor writes them, 0.6 to 1.6 s from now.
    start = (datetime.now(UTC) + timedelta(seconds=1.6)).replace(microsecond=0)
    later = nba_book(DK, home_ml=-190, spread=-5.5)
    no_totals = book(DK, *[m for m in later["markets"] if m["key"] != "totals"])
    api.then(
        NBA,
        [nba_event(nba_book(DK), nba_book(FD), start=start)],
        [nba_event(later, start=start)],
        [nba_event(later, start=start)],
    )
    api.always(NBA, [nba_event(no_totals, start=start)])
    path = str(tmp_path / "live.jsonl.gz")
    source = make_source(api.url, recorder=Recorder(path, "oddsapi", "oddsapi"))
    async with running_hub(tmp_path, source) as hub:
        await source.poll(hub, NBA)
        await asyncio.sleep(max(0.0, start.timestamp() - time.time()) + 0.05)
        await source.poll(hub, NBA)  # in play: pregame lines close, live ones open
        await source.poll(hub, NBA)  # the live total is suspended
        live = _prices(hub)
    assert set(live.values()) == {"OPEN", "OFF_BOARD", "CLOSED"}
    assert {k[0] for k, v in live.items() if v == "CLOSED"} == {1, 2, 3}
    assert {k[0] for k, v in live.items() if v == "OFF_BOARD"} == {43}
    catalog = load_catalog()
    replay = ReplaySource(path, Resolver(catalog), decoder_for("oddsapi", catalog), speed=0)
    hub = Hub(
        catalog,
        SqliteTickStore(str(tmp_path / "replay.db")),
        [replay],
        HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await hub.open()
    await hub.warm_up()
    hub.start()
    try:
        await asyncio.wait_for(replay.finished.wait(), 3)
        assert _prices(hub) == live
    finally:
        await hub.stop()


def _prices(hub: Hub) -> dict[tuple[int, int, int, str, int], str]:
    """(market, period, participant, line, book) -> status name, for the whole board."""
    return {
        (line.market_id, line.period_id, line.participant_id, line.line, book): price.status.name
        for line in hub.board.iter_lines()
        for book, price in line.items()
    }
