"""The Odds API decoder: snapshots -> quotes, and the diff between snapshots."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oddsapikit import (
    DK,
    DK_ID,
    EPL,
    FD,
    FD_ID,
    GAME,
    NBA,
    book,
    event,
    market,
    nba_book,
    nba_event,
    outcome,
)

from oddswire.model import ParticipantType, PriceStatus
from oddswire.refdata import load_catalog
from oddswire.sources.oddsapi import OddsApiDecoder
from oddswire.sources.upstream.model import Decoded, DecodeError, Record, UpstreamQuote, Withdrawal

Json = object


def decoder() -> OddsApiDecoder:
    return OddsApiDecoder(load_catalog())


def record(body: Json, sport: str = NBA, at: float | None = None) -> Record:
    text = body if isinstance(body, str) else json.dumps(body)
    meta = {"sport": sport, "at": f"{time.time() if at is None else at:.3f}"}
    return Record(kind="http", body=text, meta=meta)


def quotes(decoded: Decoded, **match: object) -> list[UpstreamQuote]:
    return [q for q in decoded.quotes if all(getattr(q, k) == v for k, v in match.items())]


def one(decoded: Decoded, **match: object) -> UpstreamQuote:
    found = quotes(decoded, **match)
    assert len(found) == 1, found
    return found[0]


def test_a_snapshot_quotes_every_line_of_every_book() -> None:
    d = decoder()
    out = d.decode(record([nba_event(nba_book(DK), nba_book(FD, home_ml=-175))]))
    assert [(g.key, g.sport_id, g.home, g.away) for g in out.games] == [
        (GAME, 4, "Boston Celtics", "Los Angeles Lakers")
    ]
    assert len(out.quotes) == 12
    assert sorted(out.books_seen) == [DK_ID, FD_ID]
    home_ml = one(out, affiliate_id=FD_ID, market_id=1, price=-175)
    assert home_ml.participant.name == "Boston Celtics"
    assert home_ml.price == -175
    assert home_ml.status is PriceStatus.OPEN
    assert home_ml.source_ts == datetime(2025, 1, 15, 23, 59, tzinfo=UTC).timestamp()
    spread = one(out, affiliate_id=DK_ID, market_id=2, line="-4.5")
    assert spread.participant.kind is ParticipantType.TEAM
    assert spread.participant.name == "Boston Celtics"
    assert one(out, affiliate_id=DK_ID, market_id=2, line="4.5").participant.name == (
        "Los Angeles Lakers"
    )
    over = one(out, affiliate_id=DK_ID, market_id=3, line="224.5", price=-112)
    assert over.participant.kind is ParticipantType.RESULT
    assert over.participant.result_id == 10
    assert not out.withdrawals
    assert not out.problems


def test_a_price_change_is_quoted_and_nothing_is_pulled() -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK))]))
    out = d.decode(record([nba_event(nba_book(DK, home_ml=-200))]))
    assert one(out, market_id=1, price=-200).participant.name == "Boston Celtics"
    assert not [q for q in out.quotes if q.status is not PriceStatus.OPEN]
    assert not out.withdrawals


def test_a_moved_line_takes_the_old_one_off_the_board() -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK, spread=-4.5, total=224.5))]))
    out = d.decode(record([nba_event(nba_book(DK, spread=-5.5, total=226))]))
    pulled = {(q.market_id, q.line) for q in out.quotes if q.status is PriceStatus.OFF_BOARD}
    assert pulled == {(2, "-4.5"), (2, "4.5"), (3, "224.5")}
    assert all(q.price == 0 for q in out.quotes if q.status is PriceStatus.OFF_BOARD)
    assert one(out, market_id=2, line="-5.5").status is PriceStatus.OPEN
    assert {q.line for q in quotes(out, market_id=3, status=PriceStatus.OPEN)} == {"226"}


def test_a_suspended_market_goes_off_the_board_and_comes_back() -> None:
    d = decoder()
    full = nba_book(DK)
    d.decode(record([nba_event(full)]))
    suspended = book(DK, *[m for m in full["markets"] if m["key"] != "h2h"])
    out = d.decode(record([nba_event(suspended)]))
    assert {q.participant.name for q in quotes(out, status=PriceStatus.OFF_BOARD)} == {
        "Boston Celtics",
        "Los Angeles Lakers",
    }
    assert {q.market_id for q in quotes(out, status=PriceStatus.OFF_BOARD)} == {1}
    back = d.decode(record([nba_event(full)]))
    assert len(quotes(back, market_id=1, status=PriceStatus.OPEN)) == 2
    assert not quotes(back, status=PriceStatus.OFF_BOARD)


def test_a_book_gone_from_an_event_is_withdrawn() -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK), nba_book(FD))]))
    out = d.decode(record([nba_event(nba_book(DK))]))
    assert out.withdrawals == [Withdrawal(game_key=GAME, affiliate_id=FD_ID)]
    assert not quotes(out, affiliate_id=FD_ID)


def test_an_event_gone_before_its_start_is_off_the_board() -> None:
    d = decoder()
    other = event("other", "Chicago Bulls", "Atlanta Hawks", nba_book(DK))
    d.decode(record([nba_event(nba_book(DK)), other]))
    out = d.decode(record([other]))
    assert out.withdrawals == [Withdrawal(game_key=GAME, status=PriceStatus.OFF_BOARD)]


def test_an_event_gone_after_its_start_is_closed() -> None:
    d = decoder()
    start = datetime.now(UTC) + timedelta(minutes=5)
    d.decode(record([nba_event(nba_book(DK), start=start)]))
    later = (start + timedelta(hours=3)).timestamp()
    out = d.decode(record([], at=later))
    assert out.withdrawals == [Withdrawal(game_key=GAME, status=PriceStatus.CLOSED)]


def test_an_empty_list_after_a_full_one_withdraws_everything_once() -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK))]))
    assert len(d.decode(record([])).withdrawals) == 1
    assert d.decode(record([])).withdrawals == []


def test_snapshots_are_kept_per_sport() -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK))]))
    soccer = event("epl1", "Arsenal", "Chelsea", sport=EPL)
    out = d.decode(record([soccer], sport=EPL))
    assert not out.withdrawals  # the NBA game is not in the EPL list, and not withdrawn


def test_a_game_in_play_is_quoted_on_live_markets_and_its_pregame_lines_close() -> None:
    d = decoder()
    start = datetime.now(UTC) + timedelta(minutes=1)
    d.decode(record([nba_event(nba_book(DK), start=start)], at=start.timestamp() - 60))
    out = d.decode(record([nba_event(nba_book(DK), start=start)], at=start.timestamp() + 60))
    live = quotes(out, status=PriceStatus.OPEN)
    assert {(q.market_id, q.period_id) for q in live} == {(41, 7), (42, 7), (43, 7)}
    assert len(live) == len(out.quotes) == 6
    assert out.withdrawals == [Withdrawal(game_key=GAME, status=PriceStatus.CLOSED)]
    # A live line that goes away later is suspended, not closed.
    suspended = book(DK, *[m for m in nba_book(DK)["markets"] if m["key"] != "totals"])
    out = d.decode(record([nba_event(suspended, start=start)], at=start.timestamp() + 120))
    assert {(q.market_id, q.status) for q in out.quotes if q.status is not PriceStatus.OPEN} == {
        (43, PriceStatus.OFF_BOARD)
    }
    # A book gone mid-game: its live lines are suspended one by one (no Withdrawal, which
    # would also touch the closed pregame lines).
    out = d.decode(record([nba_event(start=start)], at=start.timestamp() + 180))
    assert not out.withdrawals
    assert {q.market_id for q in quotes(out, status=PriceStatus.OFF_BOARD)} == {41, 42}


def test_soccer_draw_is_a_result() -> None:
    d = decoder()
    soccer = event(
        "epl1",
        "Arsenal",
        "Chelsea",
        book(
            DK,
            market("h2h", outcome("Arsenal", 120), outcome("Chelsea", 230), outcome("Draw", 250)),
        ),
        sport=EPL,
    )
    out = d.decode(record([soccer], sport=EPL))
    assert out.games[0].sport_id == 11
    draw = one(out, price=250)
    assert draw.participant.kind is ParticipantType.RESULT
    assert draw.participant.result_id == 12
    assert draw.market_id == 1


def test_period_markets_map_by_kind_and_period() -> None:
    d = decoder()
    bk = book(
        DK,
        market("h2h_h1", outcome("Boston Celtics", -150), outcome("Los Angeles Lakers", 125)),
        market("spreads_q1", outcome("Boston Celtics", -110, -1.5)),
        market("totals_h2", outcome("Over", -110, 112.5)),
        market("team_totals", outcome("Over", -115, 114.5, "Boston Celtics")),
    )
    out = d.decode(record([nba_event(bk)]))
    assert {(q.market_id, q.period_id, q.line) for q in out.quotes} == {
        (4, 1, ""),
        (957, 3, "-1.5"),
        (1008, 2, "112.5"),
        (94, 0, "Over 114.5"),
    }
    team_total = one(out, market_id=94)
    assert team_total.participant.kind is ParticipantType.TEAM
    assert team_total.participant.name == "Boston Celtics"


def test_hockey_periods_and_baseball_innings() -> None:
    d = decoder()
    hockey = event(
        "nhl1",
        "Boston Bruins",
        "Buffalo Sabres",
        book(DK, market("totals_p1", outcome("Over", -120, 1.5), outcome("Under", 100, 1.5))),
        sport="icehockey_nhl",
    )
    out = d.decode(record([hockey], sport="icehockey_nhl"))
    assert {(q.market_id, q.period_id) for q in out.quotes} == {(958, 3)}
    baseball = event(
        "mlb1",
        "Boston Red Sox",
        "New York Mets",
        book(
            DK,
            market("h2h_1st_5_innings", outcome("Boston Red Sox", -130)),
            market("totals_1st_1_innings", outcome("Over", 110, 0.5)),
        ),
        sport="baseball_mlb",
    )
    out = d.decode(record([baseball], sport="baseball_mlb"))
    assert {q.market_id for q in out.quotes} == {769, 766}


def test_a_main_line_is_not_downgraded_by_the_same_line_among_alternates() -> None:
    d = decoder()
    bk = book(
        DK,
        market("spreads", outcome("Boston Celtics", -110, -4.5)),
        market(
            "alternate_spreads",
            outcome("Boston Celtics", -110, -4.5),
            outcome("Boston Celtics", 120, -7.5),
        ),
    )
    out = d.decode(record([nba_event(bk)]))
    assert one(out, line="-4.5").is_main_line
    assert not one(out, line="-7.5").is_main_line


def test_player_props_map_by_statistic() -> None:
    d = decoder()
    bk = book(
        DK,
        market(
            "player_points",
            outcome("Over", -115, 27.5, "Jayson Tatum"),
            outcome("Under", -105, 27.5, "Jayson Tatum"),
        ),
        market("player_points_alternate", outcome("Over", 150, 32.5, "Jayson Tatum")),
        market(
            "player_double_double",
            outcome("Yes", 140, description="Jayson Tatum"),
            outcome("No", -180, description="Jayson Tatum"),
        ),
        market("player_steals", outcome("Over", -110, 1.5, "Jrue Holiday")),
    )
    out = d.decode(record([nba_event(bk)]))
    over = one(out, market_id=29, line="Over 27.5")
    assert over.participant.kind is ParticipantType.PLAYER
    assert over.participant.name == "Jayson Tatum"
    assert one(out, market_id=29, line="Under 27.5").price == -105
    assert not one(out, market_id=29, line="Over 32.5").is_main_line
    assert one(out, market_id=87).line == ""
    kinds = {(p.kind, p.text) for p in out.problems}
    assert ("market", "player_steals") in kinds
    assert any(p.kind == "outcome" and "No" in p.reason for p in out.problems)


def test_a_prop_the_catalog_does_not_offer_for_the_sport_is_a_problem() -> None:
    d = decoder()
    hockey = event(
        "nhl1",
        "Boston Bruins",
        "Buffalo Sabres",
        book(DK, market("player_points", outcome("Over", -120, 0.5, "David Pastrnak"))),
        sport="icehockey_nhl",
    )
    out = d.decode(record([hockey], sport="icehockey_nhl"))
    assert not out.quotes
    assert [p.kind for p in out.problems] == ["market"]


def test_unknown_sport_book_and_market_are_problems_never_guesses() -> None:
    d = decoder()
    cricket = event("c1", "Team A", "Team B", nba_book(DK), sport="cricket_big_bash")
    bk = book("williamhill_us", market("h2h", outcome("Boston Celtics", -170)))
    odd_market = book(DK, market("h2h_lay", outcome("Boston Celtics", -170)))
    out = d.decode(record([cricket, nba_event(bk, odd_market)]))
    assert {(p.kind, p.text) for p in out.problems} == {
        ("sport", "cricket_big_bash"),
        ("book", "williamhill_us"),
        ("market", "h2h_lay"),
    }
    assert [g.key for g in out.games] == [GAME]
    assert not out.quotes


def test_prices_that_are_not_american_are_refused() -> None:
    d = decoder()
    bk = book(
        DK, market("h2h", outcome("Boston Celtics", 1.55), outcome("Los Angeles Lakers", 2.5))
    )
    out = d.decode(record([nba_event(bk)]))
    assert not out.quotes
    assert {p.kind for p in out.problems} == {"outcome"}


def test_unix_dates_are_read_too() -> None:
    d = decoder()
    item = nba_event(nba_book(DK))
    item["commence_time"] = 1_900_000_000
    out = d.decode(record([item]))
    assert out.games[0].start == datetime.fromtimestamp(1_900_000_000, UTC)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "{",
        "null",
        "42",
        '{"message": "API key is not valid", "error_code": "INVALID_KEY"}',
        '{"data": []}',
        "[" * 100_000,
    ],
)
def test_bodies_that_are_not_an_event_list_raise_decode_error_and_keep_the_state(
    body: str,
) -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK))]))
    with pytest.raises(DecodeError):
        d.decode(record(body))
    # Nothing was forgotten: the next good answer pulls nothing.
    out = d.decode(record([nba_event(nba_book(DK))]))
    assert not out.withdrawals
    assert all(q.status is PriceStatus.OPEN for q in out.quotes)


def test_a_record_without_a_sport_is_refused() -> None:
    with pytest.raises(DecodeError):
        decoder().decode(Record(kind="http", body="[]", meta={}))


def test_malformed_parts_are_problems_and_carry_the_last_answer_over() -> None:
    d = decoder()
    d.decode(record([nba_event(nba_book(DK), nba_book(FD))]))
    broken = nba_book(FD)
    broken["markets"][0]["outcomes"] = "oops"  # h2h outcomes not a list
    broken["markets"][1]["outcomes"][0]["price"] = "n/a"  # a spread price not a number
    headless = nba_event(nba_book(DK))
    del headless["home_team"]
    out = d.decode(
        record([nba_event(nba_book(DK), broken), 7, {"no": "id"}, {"id": "x", "home_team": 1}])
    )
    assert not out.withdrawals
    assert not quotes(out, status=PriceStatus.OFF_BOARD)
    assert len(quotes(out, affiliate_id=FD_ID, market_id=1)) == 2  # carried over
    assert {p.kind for p in out.problems} == {"market", "event"}
    # An event that lost its teams keeps its lines (not withdrawn, not re-quoted).
    out = d.decode(record([headless]))
    assert not out.withdrawals
    assert not out.games


def test_wrong_types_everywhere_never_crash() -> None:
    d = decoder()
    weird: list[Json] = [
        {"id": GAME, "home_team": "Boston Celtics", "away_team": "Los Angeles Lakers"},
        {**nba_event(), "bookmakers": "none"},
        {**nba_event(), "commence_time": "yesterday"},
        {**nba_event(), "commence_time": 10**30},
        {**nba_event(), "commence_time": True},
        {**nba_event(), "commence_time": "0001-01-01T00:00:00+01:00"},
        nba_event({"key": DK, "markets": [None, {"key": 5}, {"key": "h2h", "outcomes": [None]}]}),
        nba_event(
            {"key": DK, "markets": [{"key": "spreads", "outcomes": [{"name": "X", "price": -110}]}]}
        ),
        nba_event(
            {"key": DK, "markets": [{"key": "h2h", "outcomes": [{"name": "X", "price": 1e308}]}]}
        ),
        nba_event(
            {"key": DK, "markets": [{"key": "h2h", "outcomes": [{"name": "X", "price": 10**400}]}]}
        ),
        nba_event({"key": None}, [], {"key": DK, "markets": None}),
    ]
    for item in weird:
        d.decode(record([item]))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_keys = st.sampled_from(
    [
        "id",
        "sport_key",
        "commence_time",
        "home_team",
        "away_team",
        "bookmakers",
        "key",
        "markets",
        "outcomes",
        "name",
        "price",
        "point",
        "description",
        "last_update",
    ]
)
_shaped = st.recursive(
    _json,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=6),
    max_leaves=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(_shaped, max_size=3))
def test_fuzz_only_decode_errors_escape(body: list[Json]) -> None:
    d = decoder()
    try:
        d.decode(record(body))
        d.decode(record([nba_event(nba_book(DK))]))
        d.decode(record(body))
    except DecodeError:
        pass
