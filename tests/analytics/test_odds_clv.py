"""Closing line value."""

from __future__ import annotations

import pytest

from oddswire.analytics.odds import (
    OFF_BOARD,
    DevigMethod,
    OddsError,
    american_to_decimal,
    clv,
    clv_against_close,
    clv_probability,
    devig,
)


def test_the_reference_example() -> None:
    # +110 (2.10) against a no-vig close of 2.00: +5%.
    assert clv(american_to_decimal(110), 2.0) == pytest.approx(0.05, abs=1e-15)
    assert clv_probability(2.1, 0.5) == pytest.approx(0.5 - 1 / 2.1, abs=1e-15)
    # The close went -110/-110: fair 50/50, same answer against the market.
    close = [american_to_decimal(-110)] * 2
    for method in DevigMethod:
        if method is not DevigMethod.WORST_CASE:
            assert clv_against_close(2.1, close, 0, method) == pytest.approx(0.05, abs=1e-12)


def test_beating_and_missing_the_close() -> None:
    assert clv(1.8, 2.0) == pytest.approx(-0.1)
    assert clv_probability(1.8, 0.5) < 0
    assert clv(2.0, 2.0) == 0.0


def test_against_a_three_way_close() -> None:
    close = [2.5, 3.4, 2.9]
    bet = 2.8
    for method in DevigMethod:
        p = devig(close, method).probabilities[2]
        ours = clv_against_close(bet, close, 2, method)
        assert ours == pytest.approx(clv(bet, 1 / p), rel=1e-12)
        assert ours == pytest.approx(bet * p - 1, rel=1e-12)
    # Worst case is the most conservative: the lowest CLV of all methods.
    values = {m: clv_against_close(bet, close, 2, m) for m in DevigMethod}
    assert values[DevigMethod.WORST_CASE] == min(values.values())
    assert clv_against_close(bet, close, 0, "shin") == clv_against_close(
        bet, close, 0, DevigMethod.SHIN
    )


def test_refusals() -> None:
    with pytest.raises(OddsError, match="off-the-board"):
        clv(OFF_BOARD, 2.0)
    with pytest.raises(OddsError, match="off-the-board"):
        clv(2.1, OFF_BOARD)
    with pytest.raises(OddsError, match="off-the-board"):
        clv_against_close(2.1, [1.9, OFF_BOARD], 0)
    with pytest.raises(OddsError):
        clv_probability(2.1, 1.0)
    for outcome in (2, -1):
        with pytest.raises(OddsError):
            clv_against_close(2.1, [1.9, 1.9], outcome)
    with pytest.raises(OddsError):
        clv_against_close(2.1, [1.9], 0)
