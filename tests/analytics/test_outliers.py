"""Outliers against the peers' consensus: the pure functions the REST endpoint and the
live detector share."""

from __future__ import annotations

import pytest

from factories import event_change, make_event, price
from oddswire.analytics.outliers import consensus, is_priced, line_outlier, outliers
from oddswire.board import Board, LineState
from oddswire.model import PriceStatus

GAME = make_event()


def q(american: float) -> float:
    return 100 / (american + 100) if american > 0 else -american / (-american + 100)


def quoted(prices: dict[int, float], *, off: tuple[int, ...] = (), line: str = "") -> LineState:
    board = Board()
    changes = [event_change(GAME)]
    for book, american in prices.items():
        changes.append(price(GAME, affiliate_id=book, american=american, line=line))
    for book in off:
        changes.append(price(GAME, affiliate_id=book, american=0, status=PriceStatus.OFF_BOARD))
    board.apply(changes)
    (found,) = board.iter_lines()
    return found


def test_consensus_is_the_median() -> None:
    assert consensus([0.5]) == 0.5
    assert consensus([0.6, 0.4, 0.5]) == 0.5
    assert consensus([0.4, 0.6, 0.5, 0.7]) == pytest.approx(0.55)
    with pytest.raises(ValueError, match="no probabilities"):
        consensus([])


def test_a_line_outlier_by_hand() -> None:
    line = quoted({22: -120, 19: -150, 23: -155, 3: -145})
    found = line_outlier(line, 22)
    assert found is not None
    assert found.probability == pytest.approx(q(-120))
    assert found.consensus == pytest.approx(q(-150))
    assert found.deviation_pp == pytest.approx((q(-120) - q(-150)) * 100)
    assert found.deviation_pp == pytest.approx(-5.4545, abs=1e-4)
    assert found.better_for_bettor
    assert found.peer_affiliate_ids == (3, 19, 23)
    # a dog priced shorter than the rest is worse for the bettor
    dog = line_outlier(quoted({22: 105, 19: 130, 23: 135}), 22)
    assert dog is not None and not dog.better_for_bettor
    assert dog.consensus == pytest.approx((q(130) + q(135)) / 2)


def test_peers_and_min_peers() -> None:
    line = quoted({22: -120, 19: -150, 23: -155, 3: -145}, off=(7,))
    assert line_outlier(line, 22, min_peers=4) is None  # the pulled price is no peer
    assert line_outlier(line, 22, min_peers=3) is not None
    only = line_outlier(line, 22, peers=frozenset({19, 22}), min_peers=1)
    assert only is not None and only.peer_affiliate_ids == (19,)
    assert only.consensus == pytest.approx(q(-150))
    assert line_outlier(line, 22, peers=frozenset({19})) is None  # one peer, two needed
    assert line_outlier(line, 7, min_peers=1) is None  # the book's own price is off the board
    assert line_outlier(line, 1) is None  # the book does not quote the line


def test_is_priced_never_takes_the_sentinel() -> None:
    line = quoted({19: -110}, off=(23,))
    prices = dict(line.items())
    assert is_priced(prices[19])
    assert not is_priced(prices[23])


def test_scan_ranks_by_absolute_deviation_and_samples() -> None:
    board = Board()
    board.apply(
        [
            event_change(GAME),
            *(
                price(GAME, market_id=1, participant_id=pid, affiliate_id=book, american=a)
                for pid, quotes in (
                    (GAME.home_team_id, {22: -130, 19: -150, 23: -150}),
                    (GAME.away_team_id, {22: 160, 19: 130, 23: 130}),
                )
                for book, a in quotes.items()
            ),
        ]
    )
    lines = list(board.iter_lines())
    scan = outliers(lines, 22)
    assert scan.examined == 2 and not scan.truncated
    deviations = [o.deviation_pp for o in scan.outliers]
    assert [abs(d) for d in deviations] == sorted((abs(d) for d in deviations), reverse=True)
    assert {o.line.participant_id for o in scan.outliers} == {GAME.home_team_id, GAME.away_team_id}
    cut = outliers(lines, 22, sample_limit=1)
    assert cut.examined == 1 and cut.truncated and len(cut.outliers) == 1
