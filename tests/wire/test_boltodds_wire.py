"""BoltOdds' names and messages, without sockets: game strings and Eastern time,
outcome keys, odds, game transitions, client messages and filter resolution."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import pytest

from factories import OVER, event_change, make_event, price, total
from oddswire.api.ws.boltodds_stream import line_and_book
from oddswire.board import Board, LineState
from oddswire.model import ParticipantType, Player, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.refdata import DRAW, YES, load_catalog
from oddswire.stream.fanout import price_key
from oddswire.wire.boltodds import messages
from oddswire.wire.boltodds.discovery import game_index
from oddswire.wire.boltodds.naming import Names, eastern, game_name, us_eastern, when
from oddswire.wire.boltodds.stream import transition
from oddswire.wire.boltodds.subscribe import ClientError, parse, resolve

PLAYER = 1_499_901


@pytest.fixture(scope="module")
def names() -> Names:
    catalog = copy.copy(load_catalog())
    catalog.players = {
        **catalog.players,
        PLAYER: Player(id=PLAYER, sport_id=4, team_id=4014, first_name="Test", last_name="Guard"),
    }
    return Names(catalog)


def test_game_strings_use_the_eastern_date_and_12_hour_start_hour() -> None:
    # the vendor's example: 1:09 PM Eastern (EDT) -> "01"
    start = datetime(2025, 7, 23, 17, 9, tzinfo=UTC)
    assert game_name("New York Mets", "Los Angeles Angels", start) == (
        "New York Mets vs Los Angeles Angels, 2025-07-23, 01"
    )
    assert when(start) == "2025-07-23, 01:09 PM"
    # 00:30 UTC in November is 7:30 PM EST the day before
    assert when(datetime(2026, 11, 22, 0, 30, tzinfo=UTC)) == "2026-11-21, 07:30 PM"
    assert when(datetime(2026, 1, 10, 5, 5, tzinfo=UTC)) == "2026-01-10, 12:05 AM"
    assert when(datetime(2026, 1, 10, 17, 0, tzinfo=UTC)) == "2026-01-10, 12:00 PM"


def test_the_fallback_eastern_rule_matches_the_time_zone_database() -> None:
    zone = ZoneInfo("America/New_York")
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 1, 1, tzinfo=UTC):
        expected = moment.astimezone(zone).replace(tzinfo=None)
        assert us_eastern(moment) == expected == eastern(moment), moment
        moment += timedelta(minutes=30 if moment.month in (3, 11) else 7 * 60 + 13)


def test_names_of_sports_books_and_markets(names: Names) -> None:
    assert names.sport(4) == "NBA" and names.sport(5) == "NCAAB" and names.sport(41) == "Formula 1"
    assert names.book(19) == "draftkings" and names.book(22) == "betmgm"
    assert names.book(24) == "thescore" and names.book(28) == "hardrock"
    assert names.market(1, 0) == "Moneyline" and names.market(41, 7) == "Live Moneyline"
    assert names.market(755, 0) == "Player To Record (755)"  # a repeated short name
    assert names.market(1, 1) == "Moneyline (1st Half)"  # a period not the market's own
    assert len(set(names.sports.values())) == len(names.sports)
    assert len(set(names.books.values())) == len(names.books)
    assert len(set(names.markets.values())) == len(names.markets)


def lines(*changes: object) -> list[LineState]:
    board = Board()
    game = make_event()
    batch = board.apply([event_change(game), *changes])  # type: ignore[list-item]
    return [s for s in batch.states if isinstance(s, LineState)]


def test_outcome_keys_and_fields_by_market_kind(names: Names) -> None:
    game = make_event()
    found = lines(
        price(game),
        price(game, market_id=2, line="-3.5"),
        total(game, line="224.5"),
        price(game, market_id=94, line="Over 110.5"),
        price(
            game,
            market_id=29,
            participant_id=PLAYER,
            participant_type=ParticipantType.PLAYER,
            line="Under 24.5",
        ),
        price(
            game,
            market_id=72,
            participant_id=PLAYER,
            participant_type=ParticipantType.PLAYER,
        ),
        price(game, participant_id=DRAW, participant_type=ParticipantType.RESULT),
        price(game, market_id=87, participant_id=YES, participant_type=ParticipantType.RESULT),
        price(game, market_id=4, period_id=1, participant_id=999_999),
    )
    assert [tuple(names.outcome(line)) for line in found] == [
        ("Los Angeles Lakers Moneyline", "Moneyline", None, None, "Los Angeles Lakers"),
        ("Los Angeles Lakers -3.5 Spread", "Spread", -3.5, None, "Los Angeles Lakers"),
        ("Total Over 224.5", "Total", 224.5, "Over", None),
        (
            "Los Angeles Lakers Over 110.5 Team Total",
            "Team Total",
            110.5,
            "Over",
            "Los Angeles Lakers",
        ),
        ("Test Guard Under 24.5 Player Points", "Player Points", 24.5, "Under", "Test Guard"),
        ("Test Guard To Hit A HR", "To Hit A HR", None, None, "Test Guard"),
        ("Draw Moneyline", "Moneyline", None, None, "Draw"),
        ("Yes Double Double", "Double Double", None, None, "Yes"),
        ("#999999 1H Moneyline", "1H Moneyline", None, None, "#999999"),
    ]


@pytest.mark.parametrize(
    ("american", "status", "expected"),
    [
        (-110, PriceStatus.OPEN, "-110"),
        (150, PriceStatus.OPEN, "+150"),
        (100, PriceStatus.OPEN, "+100"),
        (-102.5, PriceStatus.OPEN, "-102.50"),
        (150, PriceStatus.OFF_BOARD, None),
        (150, PriceStatus.CLOSED, None),
    ],
)
def test_odds_are_american_strings_or_null(
    american: float, status: PriceStatus, expected: str | None
) -> None:
    assert messages.odds(american, status) == expected


def test_an_outcome_and_a_message_are_valid_json(names: Names) -> None:
    encoding = messages.Encoding(names)
    (line,) = lines(total(make_event(), side=OVER, affiliate_id=22))
    outcome = encoding.outcome(line, 22, -105, PriceStatus.OPEN)
    body = messages.game_message(
        "line_update", encoding.header(line.event.event, 22), [outcome], "2026-11-21T00:00:00+00:00"
    )
    decoded = json.loads(body)
    assert decoded["action"] == "line_update" and decoded["data"]["sportsbook"] == "betmgm"
    assert decoded["data"]["outcomes"] == {
        "Total Over 224.5": {
            "odds": "-105",
            "link": "https://sports.betmgm.com",
            "outcome_name": "Total",
            "outcome_line": 224.5,
            "outcome_over_under": "Over",
            "outcome_target": None,
        }
    }
    assert json.loads(messages.book_clear("betmgm"))["data"]["sportsbook"] == "betmgm"


def test_the_fanouts_price_key_carries_the_line_and_book() -> None:
    (line,) = lines(price(make_event(), affiliate_id=34))
    assert line_and_book(price_key(line, 34)) == (line.ref, 34)  # how line_update groups


def test_game_transitions() -> None:
    scheduled = make_event()
    live = make_event(status=EventStatus.IN_PROGRESS)
    scored = make_event(status=EventStatus.IN_PROGRESS, score_home=2)
    ticked = msgspec.structs.replace(scored, attendance=100)
    final = make_event(status=EventStatus.FINAL)

    def change(after: object, before: object | None) -> bytes | None:
        c = event_change(after)  # type: ignore[arg-type]
        c.previous = before  # type: ignore[assignment]
        return transition(c)

    assert change(scheduled, None) == b"game_added"
    assert change(live, scheduled) == b"game_update"
    assert change(scored, live) == b"game_update"
    assert change(ticked, scored) is None
    assert change(final, scored) == b"game_removed"
    assert change(scheduled, final) == b"game_added"
    assert change(final, None) is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("nope", "malformed JSON"),
        ("3", "expected a JSON object"),
        ("{}", "unknown action None"),
        ('{"action": "subscribe", "filters": 5}', "filters: expected an object"),
        ('{"action": "subscribe", "filters": {"games": [null]}}', "filters.games: expected"),
        ('{"action": "subscribe", "markets": "Total"}', "filters.markets: expected"),
    ],
)
def test_bad_client_messages(text: str, error: str) -> None:
    with pytest.raises(ClientError, match=error):
        parse(text)


def test_both_subscribe_forms_parse_alike() -> None:
    new = parse('{"action": "subscribe", "filters": {"sports": ["NBA"], "x": 1, "games": []}}')
    old = parse('{"action": "subscribe", "sports": ["NBA", "NBA"]}')
    assert new.filters == old.filters == {"sports": ["NBA"]}
    assert new.ignored == ("x",) and old.ignored == ()


def test_resolution_reports_unknown_names_and_drops_empty_filters(names: Names) -> None:
    board = Board()
    game = make_event()
    board.apply([event_change(game)])
    games = game_index(names, board.events())
    resolved = resolve(
        names,
        games,
        {
            "sports": ["NBA", "Curling"],
            "sportsbooks": ["nope"],
            "games": list(games),
            "markets": ["Moneyline"],
        },
    )
    assert resolved.unknown == {"sports": ["Curling"], "sportsbooks": ["nope"]}
    assert resolved.applied["sportsbooks"] is None
    wanted = resolved.wanted
    assert wanted.sport_ids == frozenset({4}) and wanted.affiliate_ids is None
    assert wanted.event_ids == frozenset({game.event_id})
    assert wanted.market_ids == frozenset({1, 41})
