"""The board: sequencing, no-ops, stamping, restore and changed-since."""

from __future__ import annotations

import pytest

from factories import event_change, make_event, price, total
from oddswire.board import Board
from oddswire.model import PriceStatus
from oddswire.model.event import EventStatus, Score


@pytest.fixture
def board() -> Board:
    b = Board()
    b.apply([event_change(make_event())])
    return b


def test_each_state_change_gets_the_next_sequence(board: Board) -> None:
    ev = make_event()
    batch = board.apply([price(ev, american=-110), price(ev, affiliate_id=23, american=-115)])
    assert [c.sequence for c in batch.changes] == [2, 3]
    assert batch.first_sequence == 2 and batch.last_sequence == 3
    assert board.sequence == 3
    assert board.price_count == 2


def test_no_op_gets_no_sequence(board: Board) -> None:
    ev = make_event()
    board.apply([price(ev, american=-110)])
    again = board.apply([price(ev, american=-110)])  # same price, status and main flag
    assert len(again) == 0
    assert again.last_sequence == board.sequence == 2
    same_event = board.apply([event_change(make_event())])
    assert len(same_event) == 0


def test_source_timestamp_alone_is_a_no_op(board: Board) -> None:
    ev = make_event()
    board.apply([price(ev, american=120, ts=1.0)])
    assert len(board.apply([price(ev, american=120, ts=2.0)])) == 0


def test_change_is_stamped_with_what_it_replaced(board: Board) -> None:
    ev = make_event()
    first = price(ev, american=-110)
    board.apply([first])
    assert first.previous_price is None and first.previous_status is None
    second = price(ev, american=-120)
    board.apply([second])
    assert second.sequence == 3
    assert second.previous_price == -110
    assert second.previous_status == PriceStatus.OPEN


def test_off_board_is_a_status_and_keeps_the_last_price(board: Board) -> None:
    ev = make_event()
    board.apply([price(ev, american=-110)])
    pulled = price(ev, american=0, status=PriceStatus.OFF_BOARD)
    assert len(board.apply([pulled])) == 1
    assert pulled.price == -110  # the stamped change records the kept quote
    line = board.line((ev.event_id, 1, 0, ev.home_team_id, ""))
    assert line is not None
    state = line.price(19)
    assert state is not None
    assert state.status == PriceStatus.OFF_BOARD and state.price == -110
    # pulled again with another price: still off the board, nothing changed
    assert len(board.apply([price(ev, american=-130, status=PriceStatus.OFF_BOARD)])) == 0
    reopened = price(ev, american=-125)
    board.apply([reopened])
    assert reopened.previous_status == PriceStatus.OFF_BOARD
    state = line.price(19)
    assert state is not None
    assert state.status == PriceStatus.OPEN and state.price == -125


def test_main_line_flag_change_is_a_change(board: Board) -> None:
    ev = make_event()
    board.apply([total(ev, american=-110, main=True)])
    assert len(board.apply([total(ev, american=-110, main=False)])) == 1


def test_price_for_unknown_event_is_rejected_not_applied() -> None:
    board = Board()
    stray = price(make_event(away=4003))
    batch = board.apply([stray])
    assert len(batch) == 0
    assert batch.rejected and "unknown event" in batch.rejected[0][1]
    assert board.sequence == 0 and board.price_count == 0


def test_event_header_change_and_sport_index(board: Board) -> None:
    live = make_event(status=EventStatus.IN_PROGRESS, score_home=3)
    batch = board.apply([event_change(live)])
    assert len(batch) == 1
    change = batch.changes[0]
    assert change.previous is not None  # type: ignore[union-attr]
    state = board.event(live.event_id)
    assert state is not None and state.event.score.score_home == 3
    assert [s.event.event_id for s in board.events(4)] == [live.event_id]
    assert list(board.events(2)) == []
    assert board.sport_ids() == [4]


def test_new_lines_are_reported_once(board: Board) -> None:
    ev = make_event()
    first = board.apply([price(ev), price(ev, affiliate_id=23)])
    assert len(first.new_lines) == 1
    assert first.new_lines[0].ref == 1
    second = board.apply([price(ev, american=-200)])
    assert second.new_lines == []


def test_changed_since_returns_current_state_of_changed_keys(board: Board) -> None:
    ev = make_event()
    board.apply([price(ev, affiliate_id=b, american=-110) for b in (3, 19, 23)])
    mark = board.sequence
    board.apply([price(ev, affiliate_id=19, american=-120)])
    board.apply([price(ev, affiliate_id=19, american=-125)])
    board.apply([event_change(make_event(score_home=1))])
    since = board.changed_since(mark)
    assert [(a, p.price) for _, a, p in since.prices] == [(19, -125)]
    assert len(since.events) == 1
    assert board.changed_since(board.sequence).prices == []
    everything = board.changed_since(0)
    assert len(everything.prices) == 3


def test_restore_applies_only_newer_state() -> None:
    board = Board()
    ev = make_event()
    state = board.restore_event(7, ev, 10)
    assert state.ref == 7
    line = board.restore_line(3, ev.event_id, 1, 0, ev.home_team_id, price(ev).participant_type, "")
    assert line is not None
    assert board.restore_price(3, 19, -110, PriceStatus.OPEN, True, 20, 1.0, 1.0)
    assert not board.restore_price(3, 19, -150, PriceStatus.OPEN, True, 15, 1.0, 1.0)
    assert board.restore_price(3, 19, -105, PriceStatus.OPEN, True, 25, 1.0, 1.0)
    assert line.price(19).price == -105  # type: ignore[union-attr]
    assert board.sequence == 25
    assert not board.restore_price(99, 19, -105, PriceStatus.OPEN, True, 26, 1.0, 1.0)
    # new refs continue above restored ones
    board.apply([price(ev, market_id=2, line="-4.5")])
    assert board.line((ev.event_id, 2, 0, ev.home_team_id, "-4.5")).ref == 4  # type: ignore[union-attr]
    assert board.sequence == 26


def test_evict_drops_events_and_their_prices(board: Board) -> None:
    ev = make_event()
    other = make_event(away=4005, home=4006)
    board.apply([event_change(other), price(ev), price(other), price(other, affiliate_id=3)])
    assert board.price_count == 3
    dropped = board.evict([other.event_id, "nope"])
    assert dropped == 2
    assert board.price_count == 1
    assert board.event(other.event_id) is None
    assert board.line((other.event_id, 1, 0, other.home_team_id, "")) is None


def test_intern_keeps_equal_prices_shared() -> None:
    board = Board()
    ev = make_event()
    board.apply(
        [
            event_change(ev),
            price(ev, american=float(-110)),
            price(ev, affiliate_id=3, american=float(-110)),
        ]
    )
    line = board.line((ev.event_id, 1, 0, ev.home_team_id, ""))
    assert line is not None
    assert line.price(19).price is line.price(3).price  # type: ignore[union-attr]


def test_score_update_is_sequenced_like_prices(board: Board) -> None:
    ev = make_event()
    board.apply([price(ev)])
    updated = make_event(status=EventStatus.IN_PROGRESS)
    updated = updated.__class__(
        **{
            **{f: getattr(updated, f) for f in updated.__struct_fields__},
            "score": Score(event_status=EventStatus.IN_PROGRESS, score_away=2),
        }
    )
    batch = board.apply([event_change(updated), price(ev, american=-300)])
    assert [c.sequence for c in batch.changes] == [3, 4]
