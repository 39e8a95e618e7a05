"""Steamers: moves of implied probability within a window, from stored changes and the
board, computed by hand."""

from __future__ import annotations

import pytest

from factories import event_change, make_event, price
from oddswire.analytics.steamers import steamers
from oddswire.board import Board
from oddswire.model import PriceChange, PriceStatus
from oddswire.store.base import HistoryRecord

GAME = make_event()
HOME, AWAY = GAME.home_team_id, GAME.away_team_id
NOW = 1_800_000_000.0
SINCE = NOW - 300


def q(american: float) -> float:
    return 100 / (american + 100) if american > 0 else -american / (-american + 100)


def record(board: Board, change: PriceChange) -> HistoryRecord:
    line = board.line(change.line_key)
    assert line is not None
    return HistoryRecord(
        line_ref=line.ref,
        affiliate_id=change.affiliate_id,
        price=change.price,
        status=change.status,
        is_main_line=change.is_main_line,
        sequence=change.sequence,
        source_ts=change.source_ts,
        received_ts=change.received_ts,
        previous_price=change.previous_price,
        previous_status=change.previous_status,
    )


def run(*changes: PriceChange) -> tuple[Board, list[HistoryRecord]]:
    board = Board()
    board.apply([event_change(GAME)])
    batch = board.apply(list(changes))
    return board, [record(board, c) for c in batch.changes if isinstance(c, PriceChange)]


def at(book: int, american: float, ago: float, **kw: object) -> PriceChange:
    return price(GAME, affiliate_id=book, american=american, ts=NOW - ago, **kw)  # type: ignore[arg-type]


def test_a_move_from_the_window_start_to_now() -> None:
    board, records = run(
        at(19, -150, 600),
        at(19, -160, 200),
        at(19, -175, 50),
        at(23, -150, 600),
        at(23, -140, 100),
    )
    found = steamers(records, board.line_by_ref, since=SINCE)
    assert [(s.affiliate_id, s.price_from, s.price_to) for s in found] == [
        (19, -150, -175),
        (23, -150, -140),
    ]
    dk, fd = found
    assert dk.move_pp == pytest.approx((q(-175) - q(-150)) * 100)
    assert dk.moves == 2
    assert (dk.first_moved_at, dk.last_moved_at) == (NOW - 200, NOW - 50)
    assert dk.books_same_direction == 1 and fd.books_same_direction == 1
    assert fd.move_pp == pytest.approx(-1.6667, abs=1e-4)


def test_books_moving_together_are_counted() -> None:
    board, records = run(
        *(at(book, -150, 600) for book in (19, 23, 3)),
        at(19, -170, 100),
        at(23, -165, 90),
        at(3, -160, 80),
        at(3, -150, 60, participant_id=AWAY),  # another line: its own count
        at(3, -140, 30, participant_id=AWAY),
    )
    found = steamers(records, board.line_by_ref, since=SINCE)
    home = [s for s in found if s.line.participant_id == HOME]
    assert [s.books_same_direction for s in home] == [3, 3, 3]
    (away,) = [s for s in found if s.line.participant_id == AWAY]
    assert away.books_same_direction == 1
    assert away.move_pp < 0


def test_what_is_left_out() -> None:
    board, records = run(
        at(19, -150, 600),
        at(19, 0, 100, status=PriceStatus.OFF_BOARD),  # pulled now
        at(23, -150, 700),
        at(23, 0, 600, status=PriceStatus.OFF_BOARD),  # pulled at the window's start
        at(23, -170, 60),
        at(3, -150, 600),
        at(3, -160, 100),
        at(3, -150, 50),  # and back: no move
        at(7, -150, 600),
        at(7, -150, 100, status=PriceStatus.CLOSED),
        at(10, -150, 100),  # new in the window
        at(11, -150, 600),
        at(11, -190, 400),  # moved before the window
    )
    assert steamers(records, board.line_by_ref, since=SINCE) == []


def test_a_line_first_quoted_in_the_window_moves_from_its_first_quote() -> None:
    board, records = run(
        at(19, -150, 200),
        at(19, -165, 100),
        at(19, -170, 50),
        at(23, 0, 200, status=PriceStatus.OFF_BOARD),  # first seen pulled: no baseline
        at(23, -170, 50),
    )
    (found,) = steamers(records, board.line_by_ref, since=SINCE)
    assert (found.affiliate_id, found.price_from, found.price_to) == (19, -150, -170)
    assert found.moves == 2
    assert (found.first_moved_at, found.last_moved_at) == (NOW - 100, NOW - 50)


def test_lines_gone_from_the_board_are_skipped() -> None:
    board, records = run(at(19, -150, 600), at(19, -170, 60))
    assert len(steamers(records, board.line_by_ref, since=SINCE)) == 1
    assert steamers(records, lambda ref: None, since=SINCE) == []
