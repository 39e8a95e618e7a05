"""What a resume is sent: ``replay`` over the change log (exact) or the board
(conflated: each key's current state once, in sequence order)."""

from __future__ import annotations

from factories import event_change, make_event, price
from oddswire.board import Board, EventState
from oddswire.hub.changelog import ChangeLog
from oddswire.hub.deltas import replay
from oddswire.model.event import EventStatus


def filled() -> tuple[Board, ChangeLog]:
    board = Board()
    log = ChangeLog()
    nba = make_event()
    nhl = make_event(sport_id=6, away=6001, home=6002)
    for batch in (
        [event_change(nba), event_change(nhl)],  # 1, 2
        [price(nba, american=-110), price(nhl, american=120)],  # 3, 4
        [price(nba, american=-115), price(nba, affiliate_id=23, american=-105)],  # 5, 6
        [event_change(make_event(status=EventStatus.IN_PROGRESS))],  # 7
        [price(nhl, american=125), price(nba, american=-120)],  # 8, 9
    ):
        log.append(board.apply(batch))
    return board, log


def sequences(found: object) -> list[int]:
    return [change.sequence for change, _ in found]  # type: ignore[attr-defined]


def test_exact_while_the_log_covers_the_cursor() -> None:
    board, log = filled()
    found = replay(board, log, 4, 8)
    assert found.exact
    assert sequences(found.changes) == [5, 6, 7, 8]


def test_conflated_once_the_log_does_not_reach_back() -> None:
    board, log = filled()
    log.start_at(board.sequence)
    found = replay(board, log, 4, 8)
    assert not found.exact
    # the NBA DraftKings price moved at 5 and 9: only its state as of now (9) is past
    # upto, so it is left for the live stream; the rest come once, merged in order
    assert sequences(found.changes) == [6, 7, 8]
    # from the start: every key once (events and prices merged), by sequence
    assert sequences(replay(board, log, 0, 9).changes) == [2, 6, 7, 8, 9]


def test_conflated_narrowed_to_wanted_events() -> None:
    board, log = filled()
    log.start_at(board.sequence)

    def hockey(state: EventState) -> bool:
        return state.event.sport_id == 6

    found = replay(board, log, 0, 9, hockey)
    assert sequences(found.changes) == [2, 8]
