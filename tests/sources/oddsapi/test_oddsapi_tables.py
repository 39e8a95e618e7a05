"""The Odds API mapping tables, request cost and error reading."""

from __future__ import annotations

import pytest
from oddsapikit import KEY

from oddswire.config import Settings
from oddswire.refdata import load_catalog
from oddswire.sources.oddsapi import OddsApiDecoder, OddsApiSource
from oddswire.sources.oddsapi.errors import Reaction, read_error
from oddswire.sources.oddsapi.markets import PLAYER_PROPS, SPECIAL, MarketTable, Shape
from oddswire.sources.oddsapi.query import OddsQuery, charged
from oddswire.sources.oddsapi.tables import BOOKMAKERS, SPORTS, book_table, sport_table
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.vendors import decoder_for, upstream_class


def test_every_sport_and_book_in_the_tables_is_in_the_catalog() -> None:
    catalog = load_catalog()
    assert sport_table(catalog) == SPORTS
    assert book_table(catalog) == BOOKMAKERS
    assert len(set(BOOKMAKERS.values())) == len(BOOKMAKERS)  # one vendor key per book
    assert SPORTS["basketball_nba"] == 4
    assert SPORTS["americanfootball_nfl"] == 2
    assert BOOKMAKERS["draftkings"] == 19
    assert BOOKMAKERS["fanduel"] == 23


def test_every_named_catalog_market_exists() -> None:
    names = {m.name for m in load_catalog().markets.values()}
    assert set(PLAYER_PROPS.values()) <= names
    assert set(SPECIAL.values()) <= names


@pytest.mark.parametrize(
    ("key", "sport", "in_play", "expected"),
    [
        ("h2h", 4, False, (1, 0, Shape.MONEYLINE, True)),
        ("spreads", 4, False, (2, 0, Shape.SPREAD, True)),
        ("totals", 4, False, (3, 0, Shape.TOTAL, True)),
        ("h2h", 4, True, (41, 7, Shape.MONEYLINE, True)),
        ("alternate_spreads", 4, False, (2, 0, Shape.SPREAD, False)),
        ("alternate_totals_h1", 4, False, (6, 1, Shape.TOTAL, False)),
        ("spreads_h1", 4, True, (1025, 13, Shape.SPREAD, True)),
        ("totals_q4", 4, False, (1017, 6, Shape.TOTAL, True)),
        ("h2h_p2", 6, False, (1013, 4, Shape.MONEYLINE, True)),
        ("h2h_3_way", 6, False, (563, 0, Shape.MONEYLINE, True)),
        ("team_totals_h1", 4, False, (95, 1, Shape.TEAM_TOTAL, True)),
        ("alternate_team_totals", 4, False, (94, 0, Shape.TEAM_TOTAL, False)),
        ("spreads_1st_5_innings", 3, False, (791, 0, Shape.SPREAD, True)),
        ("player_points", 4, True, (90, 7, Shape.PLAYER_OVER_UNDER, True)),
        ("player_pass_yds", 2, False, (50001, 0, Shape.PLAYER_OVER_UNDER, True)),
        ("pitcher_strikeouts", 3, False, (19, 0, Shape.PLAYER_OVER_UNDER, True)),
        ("player_goal_scorer_anytime", 11, False, (410, 0, Shape.PLAYER_YES, True)),
    ],
)
def test_market_keys_map_to_catalog_markets(
    key: str, sport: int, in_play: bool, expected: tuple[int, int, Shape, bool]
) -> None:
    spec = MarketTable(load_catalog()).lookup(key, sport, in_play)
    assert not isinstance(spec, str), spec
    assert (spec.market_id, spec.period_id, spec.shape, spec.is_main_line) == expected


@pytest.mark.parametrize(
    ("key", "sport", "in_play"),
    [
        ("outrights", 4, False),
        ("h2h_lay", 11, False),
        ("btts", 11, False),
        ("draw_no_bet", 11, False),
        ("h2h_3_way_h1", 11, False),
        ("team_totals_h2", 4, False),  # the catalog has no pregame second-half team total
        ("spreads", 7, False),  # no spreads for MMA in the catalog
        ("h2h_1st_5_innings", 3, True),  # no live variant
        ("player_points", 6, False),
        ("h2hh1", 4, False),
        ("", 4, False),
    ],
)
def test_market_keys_without_a_catalog_market_are_refused(
    key: str, sport: int, in_play: bool
) -> None:
    assert isinstance(MarketTable(load_catalog()).lookup(key, sport, in_play), str)


def test_cost_is_markets_times_regions_or_groups_of_ten_books() -> None:
    assert OddsQuery.of(["h2h", "spreads", "totals"], ["us"], []).cost == 3
    assert OddsQuery.of(["h2h", "spreads"], ["us", "us2", "eu"], []).cost == 6
    assert OddsQuery.of(["h2h"], ["us"], [f"b{i}" for i in range(10)]).cost == 1
    assert OddsQuery.of(["h2h", "totals"], ["us"], [f"b{i}" for i in range(21)]).cost == 6
    query = OddsQuery.of(["h2h"], ["us"], [])
    assert "apiKey" not in query.public_params()
    assert query.params("k")["apiKey"] == "k"
    assert query.params("k")["oddsFormat"] == "american"


def test_the_charge_prefers_the_vendors_own_count() -> None:
    assert charged({"x-requests-last": "2"}, "[{}]", 3) == 2
    assert charged({}, "[{}]", 3) == 3
    assert charged({}, " [] ", 3) == 0
    assert charged({"x-requests-last": "junk"}, "[]", 3) == 0


def test_401_bodies_tell_a_spent_quota_from_a_bad_key() -> None:
    spent = read_error(
        401, '{"message": "Usage quota has been reached", "error_code": "OUT_OF_USAGE_CREDITS"}'
    )
    assert spent.reaction is Reaction.OUT_OF_CREDITS
    assert read_error(401, "OUT_OF_USAGE_CREDITS").reaction is Reaction.OUT_OF_CREDITS
    for code in ("INVALID_KEY", "MISSING_KEY", "DEACTIVATED_KEY"):
        assert read_error(401, f'{{"error_code": "{code}"}}').reaction is Reaction.BAD_KEY
    assert read_error(401, "").reaction is Reaction.BAD_KEY
    assert (
        read_error(429, '{"error_code": "EXCEEDED_FREQ_LIMIT"}').reaction is Reaction.RATE_LIMITED
    )
    assert read_error(422, '{"error_code": "INVALID_MARKET"}').reaction is Reaction.INVALID_REQUEST
    assert read_error(502, "<html>").reaction is Reaction.TRANSIENT
    echoed = read_error(
        401, f'{{"message": "key {KEY} is not valid", "error_code": "INVALID_KEY"}}', KEY
    )
    assert KEY not in echoed.describe()


def test_the_lead_can_build_it_from_settings_and_vendors() -> None:
    settings = Settings(
        oddsapi_key=KEY,
        oddsapi_url="http://127.0.0.1:9",
        oddsapi_sports=["basketball_nba", "soccer_epl"],
        oddsapi_markets=["h2h"],
        oddsapi_bookmakers=["draftkings", "fanduel"],
        oddsapi_interval=30.0,
        oddsapi_reserve=50,
        oddsapi_per_hour=120,
    )
    assert upstream_class("oddsapi") is OddsApiSource
    source = OddsApiSource.from_settings(settings, Resolver(load_catalog()), None)
    assert source.vendor == "oddsapi"
    assert list(source.plans) == ["basketball_nba", "soccer_epl"]
    assert source.query.bookmakers == ("draftkings", "fanduel")
    assert source.query.cost == 1
    assert source.budget.reserve == 50
    assert source.budget.per_hour == 120
    assert source.health.stale_after == 90.0
    assert isinstance(decoder_for("oddsapi", load_catalog()), OddsApiDecoder)
