"""Snapshot selection: every filter of TheRundown's events endpoint."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from factories import OVER, UNDER, event_change, make_event, price, total
from oddswire.board import Board, EventQuery, events_on, select_events
from oddswire.model import ParticipantType, PriceStatus
from oddswire.model.event import EventStatus

LATE = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 9pm Central on the 21st


@pytest.fixture
def board() -> Board:
    b = Board()
    early = make_event()
    late = make_event(away=4007, home=4008, start=LATE)
    final = make_event(away=4009, home=4010, status=EventStatus.FINAL)
    nfl = make_event(sport_id=2, away=2001, home=2002)
    b.apply([event_change(e) for e in (early, late, final, nfl)])
    b.apply(
        [
            price(early, affiliate_id=19, american=-150),
            price(early, affiliate_id=23, american=-145),
            price(early, participant_id=early.away_team_id, affiliate_id=19, american=130),
            price(early, market_id=2, line="-4.5", affiliate_id=19, american=-110),
            price(early, market_id=2, line="-5.5", affiliate_id=19, american=105, main=False),
            total(early, OVER, affiliate_id=19, american=-110),
            total(early, UNDER, affiliate_id=19, american=-110),
            total(
                early, OVER, line="230.5", affiliate_id=19, american=150, status=PriceStatus.CLOSED
            ),
            price(
                early,
                market_id=29,
                participant_id=1_000_001,
                participant_type=ParticipantType.PLAYER,
                line="Over 24.5",
                affiliate_id=19,
            ),
            price(late, affiliate_id=3, american=200, status=PriceStatus.OFF_BOARD),
        ]
    )
    return b


def ids(views: list) -> list[int]:  # type: ignore[type-arg]
    return [v.state.event.away_team_id for v in views]


def test_events_on_uses_the_offset_day_boundary(board: Board) -> None:
    utc_day = events_on(board, 4, date(2026, 11, 22), 0)
    assert [s.event.away_team_id for s in utc_day] == [4002, 4009, 4007]
    central_21 = events_on(board, 4, date(2026, 11, 21), 300)
    assert [s.event.away_team_id for s in central_21] == [4002, 4009, 4007]
    assert events_on(board, 4, date(2026, 11, 22), 300) == []
    assert [s.event.sport_id for s in events_on(board, 2, date(2026, 11, 22), 0)] == [2]


def select(board: Board, **kw: object) -> list:  # type: ignore[type-arg]
    return select_events(events_on(board, 4, date(2026, 11, 22), 0), EventQuery(**kw))  # type: ignore[arg-type]


def test_market_ids_filter(board: Board) -> None:
    views = select(board, market_ids=frozenset({1}))
    early = views[0]
    assert [m.market_id for m in early.markets] == [1]
    assert {p.participant_id for p in early.markets[0].participants} == {4002, 4014}


def test_no_filter_returns_all_markets_sorted(board: Board) -> None:
    early = select(board)[0]
    assert [m.market_id for m in early.markets] == [1, 2, 3, 29]


def test_affiliate_filter_and_scores_only(board: Board) -> None:
    early = select(board, affiliate_ids=frozenset({23}))[0]
    assert [m.market_id for m in early.markets] == [1]
    (participant,) = early.markets[0].participants
    assert [a for a, _ in participant.lines[0].prices] == [23]
    scores = select(board, scores_only=True)
    assert len(scores) == 3 and all(v.markets == [] for v in scores)


def test_main_line_drops_alternates_and_closed(board: Board) -> None:
    early = select(board, main_line=True)[0]
    spread = next(m for m in early.markets if m.market_id == 2)
    assert [lv.line.line for p in spread.participants for lv in p.lines] == ["-4.5"]
    totals = next(m for m in early.markets if m.market_id == 3)
    assert {lv.line.line for p in totals.participants for lv in p.lines} == {"224.5"}


def test_hide_closed_drops_closed_prices_only(board: Board) -> None:
    early = select(board, hide_closed=True)[0]
    totals = next(m for m in early.markets if m.market_id == 3)
    assert {lv.line.line for p in totals.participants for lv in p.lines} == {"224.5"}
    spread = next(m for m in early.markets if m.market_id == 2)
    assert len([lv for p in spread.participants for lv in p.lines]) == 2


def test_participant_filters(board: Board) -> None:
    early = select(board, participant_ids=frozenset({4002}))[0]
    assert [(m.market_id, [p.participant_id for p in m.participants]) for m in early.markets] == [
        (1, [4002])
    ]
    players = select(board, participant_type=ParticipantType.PLAYER)[0]
    assert [m.market_id for m in players.markets] == [29]
    results = select(board, participant_type=ParticipantType.RESULT)[0]
    assert [m.market_id for m in results.markets] == [3]


def test_hide_no_markets_and_status_filters(board: Board) -> None:
    assert ids(select(board, hide_no_markets=True)) == [4002, 4007]
    assert ids(select(board, event_status=frozenset({"STATUS_FINAL"}))) == [4009]
    assert ids(select(board, exclude_status=frozenset({"STATUS_FINAL"}))) == [4002, 4007]
    # include is applied first, then exclude
    both = select(
        board,
        event_status=frozenset({"STATUS_FINAL", "STATUS_SCHEDULED"}),
        exclude_status=frozenset({"STATUS_SCHEDULED"}),
    )
    assert ids(both) == [4009]


def test_off_board_price_stays_in_the_snapshot(board: Board) -> None:
    late = select(board)[2]
    (market,) = late.markets
    (_, state) = market.participants[0].lines[0].prices[0]
    assert state.status == PriceStatus.OFF_BOARD
