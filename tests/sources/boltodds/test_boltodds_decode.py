"""The BoltOdds decoder, pure: every action, the per-game-and-book state, reconnects,
and junk of every kind (never anything but a DecodeError)."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from boltkit import (  # type: ignore[import-not-found, unused-ignore]
    ACK,
    AWAY,
    GAME,
    HOME,
    PING,
    clear,
    game_message,
    mets_angels,
    outcome,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oddswire.model import ParticipantType, PriceStatus
from oddswire.refdata import DRAW, OVER, UNDER, load_catalog
from oddswire.sources.boltodds.decode import BoltOddsDecoder
from oddswire.sources.upstream.model import (
    Decoded,
    DecodeError,
    Record,
    UpstreamQuote,
    Withdrawal,
)

KEY = f"3|{GAME}"
OPEN, OFF, CLOSED = PriceStatus.OPEN, PriceStatus.OFF_BOARD, PriceStatus.CLOSED


def ws(body: str) -> Record:
    return Record(kind="ws", body=body, received_at=1_790_000_000.0)


def quotes(decoded: Decoded) -> dict[tuple[int, int, str, str], tuple[float, PriceStatus]]:
    return {
        (q.market_id, q.period_id, q.participant.name, q.line): (q.price, q.status)
        for q in decoded.quotes
    }


@pytest.fixture
def decoder() -> BoltOddsDecoder:
    return BoltOddsDecoder(load_catalog())


def test_the_seeds_initial_state(decoder: BoltOddsDecoder) -> None:
    decoded = decoder.decode(ws(game_message("initial_state", mets_angels())))
    (game,) = decoded.games
    assert (game.key, game.sport_id, game.home, game.away) == (KEY, 3, HOME, AWAY)
    assert game.start == datetime(2025, 7, 23, 17, 9, tzinfo=UTC)  # 01:09 PM EDT
    assert quotes(decoded) == {
        (1, 0, HOME, ""): (-150, OPEN),
        (1, 0, AWAY, ""): (130, OPEN),
        (2, 0, HOME, "-1.5"): (140, OPEN),
        (2, 0, AWAY, "1.5"): (-165, OPEN),
        (3, 0, "Over", "8.5"): (-110, OPEN),
        (3, 0, "Under", "8.5"): (-110, OPEN),
        (94, 0, HOME, "Over 4.5"): (-120, OPEN),
        (12, 0, "Pete Alonso", "Over 0.5"): (-200, OPEN),
    }
    kinds = {q.participant.kind for q in decoded.quotes}
    assert kinds == {ParticipantType.TEAM, ParticipantType.RESULT, ParticipantType.PLAYER}
    over = next(q for q in decoded.quotes if q.participant.name == "Over")
    assert over.participant.result_id == OVER
    assert over.source_ts == datetime(2025, 7, 23, 19, 45, 3, 48958, tzinfo=UTC).timestamp()
    assert {q.affiliate_id for q in decoded.quotes} == {19}
    assert decoded.books_seen == [19] and not decoded.problems and not decoded.withdrawals


def test_the_seeds_ballybet_is_an_unknown_book(decoder: BoltOddsDecoder) -> None:
    decoded = decoder.decode(ws(game_message("initial_state", mets_angels(), book="ballybet")))
    assert not decoded.quotes and not decoded.games
    assert [(p.kind, p.text) for p in decoded.problems] == [("book", "ballybet")]


def test_line_update_changes_and_suspends(decoder: BoltOddsDecoder) -> None:
    decoder.decode(ws(game_message("initial_state", mets_angels())))
    changed = decoder.decode(
        ws(game_message("line_update", dict([outcome(HOME, "Moneyline", "-1250")])))
    )
    assert quotes(changed) == {(1, 0, HOME, ""): (-1250, OPEN)}
    assert not changed.games  # the header did not change: not announced again
    for odds in (None, "", "None"):
        off = decoder.decode(
            ws(game_message("line_update", dict([outcome(AWAY, "Moneyline", odds)])))
        )
        assert quotes(off) == {(1, 0, AWAY, ""): (0.0, OFF)}
    # a suspended line never quoted here says nothing
    unknown = decoder.decode(
        ws(game_message("line_update", dict([outcome(HOME, "Spread", None, "-2.5")])))
    )
    assert not unknown.quotes and not unknown.problems


def test_game_update_takes_missing_lines_off_the_board(decoder: BoltOddsDecoder) -> None:
    decoder.decode(ws(game_message("initial_state", mets_angels())))
    decoder.decode(ws(game_message("line_update", dict([outcome(HOME, "Moneyline", None)]))))
    fewer = dict([outcome(HOME, "Moneyline", "-3333"), outcome(AWAY, "Moneyline", "+900")])
    decoded = decoder.decode(ws(game_message("game_update", fewer)))
    got = quotes(decoded)
    assert got[(1, 0, HOME, "")] == (-3333, OPEN) and got[(1, 0, AWAY, "")] == (900, OPEN)
    pulled = {k for k, (_, s) in got.items() if s == OFF}
    assert pulled == {
        (2, 0, HOME, "-1.5"),
        (2, 0, AWAY, "1.5"),
        (3, 0, "Over", "8.5"),
        (3, 0, "Under", "8.5"),
        (94, 0, HOME, "Over 4.5"),
        (12, 0, "Pete Alonso", "Over 0.5"),
    }
    assert decoded.games  # a full state re-announces the game
    again = decoder.decode(ws(game_message("game_update", fewer)))
    assert {s for _, s in quotes(again).values()} == {OPEN}  # pulled once only
    # a game_update without outcomes is a header change: it takes nothing down
    moved = decoder.decode(ws(game_message("game_update", {}, when="2025-07-23, 02:10 PM")))
    assert not moved.quotes and moved.games[0].start.hour == 18
    assert len(decoder.decode(ws(game_message("game_update", fewer))).quotes) == 2


def test_game_removed_closes_and_game_added_reopens(decoder: BoltOddsDecoder) -> None:
    decoder.decode(ws(game_message("initial_state", mets_angels())))
    removed = decoder.decode(ws(game_message("game_removed", {})))
    assert removed.withdrawals == [Withdrawal(status=CLOSED, game_key=KEY, affiliate_id=19)]
    assert not removed.quotes
    added = decoder.decode(ws(game_message("game_added", mets_angels())))
    assert len(added.quotes) == 8 and added.games
    # our own hub says game_removed with no book for a game nobody quotes
    gone = decoder.decode(ws(game_message("game_removed", {}, book=None)))
    assert gone.withdrawals == [Withdrawal(status=CLOSED, game_key=KEY, affiliate_id=None)]


def test_book_clear_and_sport_clear(decoder: BoltOddsDecoder) -> None:
    decoder.decode(ws(game_message("initial_state", mets_angels())))
    decoded = decoder.decode(ws(clear("book_clear", book="fanduel")))
    assert decoded.withdrawals == [Withdrawal(status=OFF, affiliate_id=23)]
    decoded = decoder.decode(ws(clear("sport_clear", sport="MLB")))
    assert decoded.withdrawals == [Withdrawal(status=OFF, sport_id=3)]
    decoded = decoder.decode(ws(clear("sport_clear", sport="MLB", book="draftkings")))
    assert decoded.withdrawals == [Withdrawal(status=OFF, sport_id=3, affiliate_id=19)]
    unknown = decoder.decode(ws(clear("book_clear", book="ballybet")))
    assert not unknown.withdrawals and unknown.problems[0].text == "ballybet"
    with pytest.raises(DecodeError, match="no sportsbook"):
        decoder.decode(ws(clear("book_clear")))


def test_quiet_actions_decode_to_nothing(decoder: BoltOddsDecoder) -> None:
    for body in (
        ACK,
        PING,
        '{"action": "pong"}',
        '{"action": "subscription_updated", "filters": {"sports": ["NBA"]}, "games": 3}',
    ):
        decoded = decoder.decode(ws(body))
        assert decoded == Decoded()
    assert decoder.subscription == {"sports": ["NBA"]}
    assert decoder.actions == ["subscription_updated"]
    error = decoder.decode(ws('{"action": "error", "message": "unknown sports: [\'Foo\']"}'))
    assert error.problems[0].kind == "upstream_error" and decoder.errors


def test_a_reconnect_keeps_only_what_the_new_initial_state_says(decoder: BoltOddsDecoder) -> None:
    decoder.decode(ws(game_message("initial_state", mets_angels())))
    decoder.decode(ws(game_message("initial_state", mets_angels(), book="fanduel")))
    decoder.decode(ws(ACK))  # a new connection
    fewer = dict([outcome(HOME, "Moneyline", "-140"), outcome(AWAY, "Moneyline", "+120")])
    decoded = decoder.decode(ws(game_message("initial_state", fewer)))
    assert len([q for q in decoded.quotes if q.status == OFF]) == 6  # replaced at once
    # a live update for the other book refreshes the line it names
    decoder.decode(
        ws(game_message("line_update", dict([outcome(HOME, "Moneyline", "-141")]), book="fanduel"))
    )
    settled = decoder.decode(Record(kind="sync", body="initial_state_settled", received_at=5.0))
    assert {q.affiliate_id for q in settled.quotes} == {23}
    assert len(settled.quotes) == 7 and {q.status for q in settled.quotes} == {OFF}
    assert (1, 0, HOME, "") not in quotes(settled)
    assert decoder.decode(Record(kind="sync", body="", received_at=6.0)) == Decoded()


def test_frames_may_hold_an_array_of_messages(decoder: BoltOddsDecoder) -> None:
    batch = [
        json.loads(game_message("initial_state", mets_angels())),
        {"action": "ping"},
        {"action": "nope"},
    ]
    decoded = decoder.decode(ws(json.dumps(batch)))
    assert len(decoded.quotes) == 8
    assert [p.kind for p in decoded.problems] == ["message"]
    assert decoder.actions == ["initial_state", "ping"]
    with pytest.raises(DecodeError):
        decoder.decode(ws("[1, 2]"))


def test_start_falls_back_to_get_games_then_to_the_game_string(decoder: BoltOddsDecoder) -> None:
    late = "New York Mets vs Los Angeles Angels, 2025-07-24, 07"
    message = game_message("initial_state", mets_angels(), game=late, when=None)
    (game,) = decoder.decode(ws(message)).games
    assert game.start == datetime(2025, 7, 24, 23, 0, tzinfo=UTC)  # 07 -> 7 PM EDT
    games = {late: {"sport": "MLB", "game": late, "when": "2025-07-24, 07:10 PM"}}
    decoder.decode(Record(kind="http", body=json.dumps(games), meta={"path": "/get_games"}))
    (game,) = decoder.decode(ws(message)).games
    assert game.start == datetime(2025, 7, 24, 23, 10, tzinfo=UTC)
    # no teams in the header: from the game string
    bare = json.loads(message)
    del bare["data"]["home_team"], bare["data"]["away_team"]
    (game,) = decoder.decode(ws(json.dumps(bare))).games
    assert (game.home, game.away) == (HOME, AWAY)
    nothing = game_message("initial_state", mets_angels(), game="Mets v Angels tonight", when=None)
    decoded = decoder.decode(ws(nothing))
    assert not decoded.games and decoded.problems[0].kind == "game"


def test_outcome_shapes_by_market_kind(decoder: BoltOddsDecoder) -> None:
    soccer = dict(
        [
            outcome("Arsenal", "Moneyline", "+120"),
            outcome("Draw", "Moneyline", "+240"),
            outcome("Chelsea", "Moneyline", "EVEN"),
            outcome(None, "Total", "-105", 2.5, "O"),
            outcome("Under", "Total Goals", "-115", "2.5"),
            outcome("Bukayo Saka", "Anytime Goalscorer", "+250"),
            outcome("Bukayo Saka", "Anytime Goalscorer", "-400", None, "No"),
            outcome("Arsenal", "Spread", "+105", "PK"),
            outcome("Arsenal", "Moneyline (1st Half)", "+150"),
        ]
    )
    message = game_message(
        "initial_state",
        soccer,
        sport="EPL",
        game="Arsenal vs Chelsea, 2025-08-23, 12",
        home="Arsenal",
        away="Chelsea",
        when="2025-08-23, 12:30 PM",
    )
    decoded = decoder.decode(ws(message))
    got = {(q.market_id, q.period_id, q.participant.name, q.line): q for q in decoded.quotes}
    assert got[(1, 0, "Draw", "")].participant.result_id == DRAW
    assert got[(1, 0, "Draw", "")].participant.kind is ParticipantType.RESULT
    assert got[(1, 0, "Chelsea", "")].price == 100
    assert got[(3, 0, "Over", "2.5")].price == -105
    assert got[(3, 0, "Under", "2.5")].participant.result_id == UNDER
    assert got[(410, 0, "Bukayo Saka", "")].participant.kind is ParticipantType.PLAYER
    assert got[(2, 0, "Arsenal", "0")].price == 105
    assert got[(1, 1, "Arsenal", "")].price == 150
    assert len(got) == 8
    assert [p.kind for p in decoded.problems] == ["outcome"]  # the No side


def test_bad_outcomes_are_problems_not_errors(decoder: BoltOddsDecoder) -> None:
    bad: dict[str, Any] = dict(
        [
            outcome(HOME, "Moneyline", "-150"),
            outcome(AWAY, "Moneyline", "abc"),
            outcome(AWAY, "Moneyline (1st Half)", "50"),
            outcome(HOME, "Spread", "-110", None),
            outcome(None, "Total", "-110", "8.5"),
            outcome(None, "Team Total", "-110", "4.5", "Over"),
            outcome(HOME, "First Basket", "+400"),
            outcome(HOME, "Golf Futures (1392)", "+400"),
            outcome("#1400201", "Player Points", "-110", 20.5, "Over"),
            ("not a dict", 5),
            ("no name", {"odds": "-110", "outcome_target": HOME}),
            outcome(HOME, "Moneyline", "-110", "3.5"),
            outcome(HOME, "Spread", "-110", "1e999"),
            outcome(HOME, "Spread", "-110", "-1.5", 7),  # type: ignore[arg-type]
            outcome(HOME, "Spread", True, "-1.5"),
        ]
    )
    decoded = decoder.decode(ws(game_message("initial_state", bad)))
    assert quotes(decoded) == {(1, 0, HOME, ""): (-150, OPEN)}
    kinds = sorted(p.kind for p in decoded.problems)
    assert kinds.count("market") == 2 and kinds.count("odds") == 3
    assert len(decoded.problems) == 14


@pytest.mark.parametrize(
    "body",
    [
        "",
        "{",
        "null",
        "[]",
        '"ping"',
        "{}",
        '{"action": null}',
        '{"action": "subscribe"}',
        '{"action": "line_update"}',
        '{"action": "line_update", "data": "x"}',
        '{"action": "line_update", "data": {"sport": "MLB", "sportsbook": "draftkings"}}',
        game_message("initial_state").replace('"outcomes": {}', '"outcomes": 5'),
        '{"action": "initial_state", "data": {"game": "x"}}',
        "[" * 100_000,
    ],
)
def test_malformed_messages_are_decode_errors(decoder: BoltOddsDecoder, body: str) -> None:
    with pytest.raises(DecodeError):
        decoder.decode(ws(body))


def test_other_records(decoder: BoltOddsDecoder) -> None:
    with pytest.raises(DecodeError):
        decoder.decode(Record(kind="rest", body="{}"))
    with pytest.raises(DecodeError):
        decoder.decode(Record(kind="http", body="{}", meta={"path": "/elsewhere"}))
    with pytest.raises(DecodeError):
        decoder.decode(Record(kind="http", body="[]", meta={"path": "/get_games"}))
    info = Record(
        kind="http", body='{"sports": ["NBA"], "sportsbooks": []}', meta={"path": "/get_info"}
    )
    assert decoder.decode(info) == Decoded()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_FIELDS = ("sport", "sportsbook", "game", "home_team", "away_team", "info", "outcomes", "timestamp")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=st.sampled_from(
        [
            "initial_state",
            "line_update",
            "game_update",
            "game_removed",
            "book_clear",
            "sport_clear",
            "game_added",
        ]
    ),
    field=st.sampled_from(_FIELDS),
    value=_json,
    outcome_field=st.sampled_from(
        ["odds", "outcome_name", "outcome_line", "outcome_over_under", "outcome_target"]
    ),
    outcome_value=_json,
)
def test_fuzzed_messages_never_crash(
    decoder: BoltOddsDecoder,
    action: str,
    field: str,
    value: Any,
    outcome_field: str,
    outcome_value: Any,
) -> None:
    message = json.loads(game_message(action, mets_angels()))
    key = next(iter(message["data"]["outcomes"]))
    message["data"]["outcomes"][key][outcome_field] = outcome_value
    if field == "timestamp":
        message["timestamp"] = value
    else:
        message["data"][field] = value
    try:
        decoded = decoder.decode(ws(json.dumps(message)))
    except DecodeError:
        return
    for quote in decoded.quotes:
        assert isinstance(quote, UpstreamQuote)
        assert quote.status != OPEN or abs(quote.price) >= 100


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=200) | _json.map(json.dumps))
def test_fuzzed_frames_never_crash(decoder: BoltOddsDecoder, body: str) -> None:
    with contextlib.suppress(DecodeError):
        decoder.decode(ws(body))
