"""BoltOdds' names, times and URLs: markets, sports and books to canonical ids, Eastern
times to UTC, odds and lines, the subscription, and the request limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oddswire.refdata import load_catalog
from oddswire.sources.boltodds.markets import MarketRef, MarketTable
from oddswire.sources.boltodds.outcomes import OutcomeError, parse_line, parse_odds
from oddswire.sources.boltodds.tables import Tables
from oddswire.sources.boltodds.times import eastern_to_utc, parse_game, parse_when
from oddswire.sources.boltodds.transport import (
    MinuteLimit,
    endpoint,
    mask_key,
    safe_url,
    subscribe_message,
    with_query,
)
from oddswire.wire.boltodds.naming import Names, eastern, game_name, when

CATALOG = load_catalog()


def test_every_name_our_hub_writes_maps_back() -> None:
    names = Names(CATALOG)
    table = MarketTable(CATALOG)
    for market_id, market in CATALOG.markets.items():
        for period_id in {market.period_id, 0, 1, 7}:
            found = table.lookup(names.market(market_id, period_id), None)
            assert isinstance(found, MarketRef), (market_id, period_id)
            assert (found.market_id, found.period_id) == (market_id, period_id)


@pytest.mark.parametrize(
    ("name", "sport_id", "market_id", "period_id"),
    [
        ("Moneyline", 3, 1, 0),
        ("Game Total", 4, 3, 0),
        ("Run Line", 3, 2, 0),
        ("Puck Line", 6, 2, 0),
        ("1st Half Moneyline", 4, 4, 1),
        ("1H Spread", 2, 5, 1),
        ("2nd Half Total", 4, 1008, 2),
        ("1st Quarter Total", 4, 958, 3),
        ("Q3 Spread", 2, 1015, 5),
        ("4th Quarter Moneyline", 4, 1019, 6),
        ("1st Period Moneyline", 6, 981, 3),
        ("1st Half Team Total", 4, 95, 1),
        ("Team Total", 3, 94, 0),
        ("1st 5 Innings Moneyline", 3, 769, 0),
        ("F5 Total", 3, 780, 0),
        ("1st Set Moneyline", 38, 1150, 3),
        ("Player Points", 4, 29, 0),
        ("Points", 4, 29, 0),
        ("player rebounds", 4, 35, 0),
        ("Assists", 8, 39, 0),
        ("Pts + Reb + Ast", 4, 93, 0),
        ("Player Passing Yards", 2, 50001, 0),
        ("Receiving Yards", 1, 50003, 0),
        ("Hits", 3, 12, 0),
        ("Strikeouts", 3, 19, 0),
        ("Total Bases", 3, 11, 0),
        ("Anytime Goalscorer", 11, 410, 0),
        ("Live Moneyline", 4, 41, 7),
        ("Moneyline (Live Full Game)", 4, 1, 7),
    ],
)
def test_market_names(name: str, sport_id: int, market_id: int, period_id: int) -> None:
    found = MarketTable(CATALOG).lookup(name, sport_id)
    assert isinstance(found, MarketRef)
    assert (found.market_id, found.period_id) == (market_id, period_id)


@pytest.mark.parametrize(
    ("name", "sport_id"),
    [
        ("First Basket", 4),
        ("Points", 6),  # basketball points are not an NHL market
        ("Strikeouts", 4),
        ("Moneyline (Overtime)", 4),
        ("Spread (1392)", 4),
        ("x" * 300, 4),
        ("", 4),
    ],
)
def test_unknown_market_names(name: str, sport_id: int) -> None:
    assert isinstance(MarketTable(CATALOG).lookup(name, sport_id), str)


def test_sports_and_books() -> None:
    tables = Tables(CATALOG)
    names = Names(CATALOG)
    for name, sport_id in names.sport_ids.items():
        assert tables.sport_id(name) == sport_id
    for key, affiliate_id in names.book_ids.items():
        assert tables.affiliate_id(key) == affiliate_id
    assert tables.sport_id("Wimbledon (M)") == 38 and tables.sport_id("US Open (W)") == 39
    assert tables.sport_id("La Liga") == 14 and tables.sport_id("Champions League") == 16
    assert tables.affiliate_id("espnbet") == 24 and tables.affiliate_id("DraftKings") == 19
    for unknown in ("ballybet", "bet365", "caesars", "fanatics", ""):
        assert tables.affiliate_id(unknown) is None
    assert tables.sport_id("Wimbledon") is None and tables.sport_id("nba") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-23, 01:09 PM", datetime(2025, 7, 23, 17, 9, tzinfo=UTC)),
        ("2025-01-23, 01:09 PM", datetime(2025, 1, 23, 18, 9, tzinfo=UTC)),
        ("2025-11-20, 07:30 PM", datetime(2025, 11, 21, 0, 30, tzinfo=UTC)),
        ("2025-11-20,   12:05 AM", datetime(2025, 11, 20, 5, 5, tzinfo=UTC)),
        ("2025-07-23T19:00:00+00:00", datetime(2025, 7, 23, 19, 0, tzinfo=UTC)),
        ("2025-07-23 19:00", datetime(2025, 7, 23, 23, 0, tzinfo=UTC)),
        ("tonight", None),
        ("2025-13-40, 01:09 PM", None),
        (None, None),
        (5, None),
    ],
)
def test_when(text: object, expected: datetime | None) -> None:
    assert parse_when(text) == expected


def test_our_own_times_round_trip_with_and_without_a_tz_database() -> None:
    start = datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    while start < datetime(2027, 1, 1, tzinfo=UTC):
        assert parse_when(when(start)) == start
        wall = eastern(start)
        assert eastern_to_utc(wall, None) == start
        game = parse_game(game_name("New York Mets", "Los Angeles Angels", start))
        assert game is not None and game.home == "New York Mets"
        start += timedelta(hours=7, minutes=13)


def test_game_strings() -> None:
    game = parse_game("San Francisco Giants vs Philadelphia Phillies, 2025-07-07, 09")
    assert game is not None
    assert (game.home, game.away, game.date, game.hour) == (
        "San Francisco Giants",
        "Philadelphia Phillies",
        "2025-07-07",
        9,
    )
    assert game.start == datetime(2025, 7, 8, 1, 0, tzinfo=UTC)  # 9 PM EDT
    suffixed = parse_game("A vs B, 2025-07-07, 12, 0123456789ab")
    assert suffixed is not None and suffixed.start == datetime(2025, 7, 7, 16, 0, tzinfo=UTC)
    assert parse_game("A vs B") is None
    assert parse_game("A vs B, 2025-99-07, 09") is not None
    assert parse_game("A vs B, 2025-99-07, 09").start is None  # type: ignore[union-attr]
    assert parse_game("x" * 1000) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-110", -110.0),
        ("+150", 150.0),
        ("150", 150.0),
        (" \u2212120 ", -120.0),
        ("EVEN", 100.0),
        ("ev", 100.0),
        (-10000, -10000.0),
        (250.0, 250.0),
        (None, None),
        ("", None),
        ("None", None),
        ("null", None),
    ],
)
def test_odds(value: object, expected: float | None) -> None:
    assert parse_odds(value) == expected


@pytest.mark.parametrize(
    "value", ["abc", "50", "-99", 0, "1e400", "inf", "nan0", True, [], {}, "+" * 50, 2e6]
)
def test_bad_odds(value: object) -> None:
    with pytest.raises(OutcomeError):
        parse_odds(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("-1.5", (None, -1.5)),
        ("+1.5", (None, 1.5)),
        (8.5, (None, 8.5)),
        (3, (None, 3.0)),
        ("PK", (None, 0.0)),
        ("-0", (None, 0.0)),
        ("O 224.5", ("Over", 224.5)),
        ("Under 8", ("Under", 8.0)),
        ("u8.5", ("Under", 8.5)),
    ],
)
def test_lines(value: object, expected: tuple[str | None, float | None]) -> None:
    assert parse_line(value) == expected


def test_subscribe_message_leaves_empty_filters_out() -> None:
    assert subscribe_message([], [], []) == {"action": "subscribe", "filters": {}}
    assert subscribe_message(["NBA", "NBA", "Wimbledon (M)"], [], ["Moneyline"]) == {
        "action": "subscribe",
        "filters": {"sports": ["NBA", "Wimbledon (M)"], "markets": ["Moneyline"]},
    }


def test_urls() -> None:
    assert with_query("wss://spro.agency/api", key="k1") == "wss://spro.agency/api?key=k1"
    assert (
        with_query("wss://proxy.example/api?region=us&key=old", key="k/2")
        == "wss://proxy.example/api?region=us&key=k%2F2"
    )
    assert with_query("ws://h/api", key=None) == "ws://h/api"
    assert endpoint("https://spro.agency/api/", "get_info") == "https://spro.agency/api/get_info"
    assert endpoint("http://h/api?x=1", "get_games") == "http://h/api/get_games?x=1"
    assert safe_url("wss://user:pw@spro.agency/api?key=secret") == "wss://spro.agency/api"
    assert safe_url("ws://[bad/api") == "(an invalid URL)"
    with pytest.raises(ValueError, match="IPv6"):
        with_query("ws://[bad/api", key="k")


def test_masking_a_key_and_its_long_ends() -> None:
    key = "0123456789abcdef"
    assert mask_key(f"a {key} b", key) == "a *** b"
    assert mask_key("'...key=01234567...'", key) == "'...key=***...'"
    assert mask_key("...89abcdef'", key) == "...***'"
    assert mask_key("0123 is short", key) == "0123 is short"


def test_the_request_limit() -> None:
    now = [100.0]
    limit = MinuteLimit(2, clock=lambda: now[0])
    assert limit.wait_seconds() == 0
    limit.spend()
    limit.spend()
    assert limit.wait_seconds() == pytest.approx(60.0)
    now[0] += 30
    assert limit.wait_seconds() == pytest.approx(30.0)
    now[0] += 30
    assert limit.wait_seconds() == 0 and limit.used() == 0
    limit.defer(5)
    assert limit.wait_seconds() == pytest.approx(5.0)
