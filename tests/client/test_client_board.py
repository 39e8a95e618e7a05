"""The local board reads what the hub writes and ends where the hub's board is: V2
events and stream records, written by the hub's own writers, read back into the
hub's own Board class. Plus the price renderers."""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from oddswire.board import Board
from oddswire.board.query import EventQuery, select_events
from oddswire.client import prices
from oddswire.client.board import LocalBoard
from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.refdata import load_catalog
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.read import event as read_event
from oddswire.wire.therundown.stream import MarketPrices
from oddswire.wire.therundown.stream_models import FlatMessage, MarketPrice
from oddswire.wire.therundown.v2_events import EventWriter

sys.path.insert(0, str(Path(__file__).parents[1]))

from factories import event_change, make_event, price, total

CATALOG = load_catalog()


def hub_board() -> tuple[Board, list]:
    board = Board()
    game = make_event()
    other = make_event(away=4003, home=4005)
    board.apply([event_change(game), event_change(other)])
    board.apply(
        [
            price(game, affiliate_id=19, american=-120),
            price(game, affiliate_id=23, american=105, participant_id=game.away_team_id),
            total(game, affiliate_id=19, american=-105),
            price(other, affiliate_id=19, american=150, main=False),
        ]
    )
    pulled = price(game, affiliate_id=19, american=0.0, status=PriceStatus.OFF_BOARD)
    board.apply([pulled])
    return board, [game, other]


def snapshot(board: Board) -> dict[tuple, tuple]:
    """Prices as a reader sees them. A pulled price's last quote is not compared: a V2
    snapshot writes only the sentinel, so a board loaded from one cannot know it."""
    return {
        (*line.key, book): (
            state.price if state.is_open else None,
            state.status,
            state.is_main_line,
        )
        for line, book, state in board.iter_prices()
    }


def test_v2_events_read_back_into_the_same_board() -> None:
    board, games = hub_board()
    views = select_events(list(board.events()), EventQuery())
    body = msgspec.json.encode(EventWriter(CATALOG).events(views, "7"))
    response = msgspec.json.decode(body, type=v2.EventsResponse)
    local = LocalBoard()
    local.load_events(response.events, board.sequence)
    assert snapshot(local.board) == snapshot(board)
    for game in games:
        back = read_event(next(e for e in response.events if e.event_id == game.event_id))
        assert back.away_team_id == game.away_team_id and back.event_date == game.event_date
        assert back.score.event_status == game.score.event_status


def test_stream_records_apply_once_and_in_sequence_order() -> None:
    board, games = hub_board()
    game = games[0]
    writer = MarketPrices(CATALOG, nested=False)
    local = LocalBoard()
    views = select_events(list(board.events()), EventQuery())
    body = msgspec.json.encode(EventWriter(CATALOG).events(views, None))
    local.load_events(msgspec.json.decode(body, type=v2.EventsResponse).events, board.sequence)

    moves = [
        price(game, affiliate_id=19, american=-125),
        price(game, affiliate_id=19, american=0.0, status=PriceStatus.OFF_BOARD),
        price(game, affiliate_id=23, american=110, participant_id=game.away_team_id),
        price(
            game,
            affiliate_id=19,
            american=-130,
            participant_id=7,
            line="x",
            participant_type=ParticipantType.PLAYER,
            market_id=29,
        ),
    ]
    batch = board.apply(moves)
    records = []
    for change, line in zip(batch.changes, batch.states, strict=True):
        message = msgspec.json.decode(writer.price(change, line), type=FlatMessage)  # type: ignore[arg-type]
        records.append(msgspec.json.decode(message.data, type=MarketPrice))
    assert [local.apply(r) for r in records] == [True, True, True, True]
    assert snapshot(local.board) == snapshot(board)
    # Replayed, or replayed out of order: nothing changes.
    assert [local.apply(r) for r in reversed(records)] == [False] * 4
    assert snapshot(local.board) == snapshot(board)
    assert local.sequence == board.sequence


def test_prices_render_the_sentinel_as_missing() -> None:
    assert prices.american("0.0001") is None and prices.american(0.0001) is None
    assert prices.display(0.0001) == "N/A" and prices.display("-110") == "-110"
    assert prices.display(150) == "+150" and prices.american("-112.5") == -112.5
    assert prices.decimal("+150") == 2.5 and prices.probability("-100") == 0.5
    assert prices.is_off_board(None) and not prices.is_off_board(-110)
