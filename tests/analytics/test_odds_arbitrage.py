"""Arbitrage sums, low hold and stake splits."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oddswire.analytics.odds import (
    OFF_BOARD,
    OddsError,
    american_to_decimal,
    arbitrage_return,
    arbitrage_sum,
    is_arbitrage,
    low_hold,
    stake_split,
)

MARKET = st.lists(st.floats(min_value=1.01, max_value=200.0), min_size=2, max_size=5)
TOTAL = st.floats(min_value=1.0, max_value=1e6)


def test_worked_two_way_arbitrage() -> None:
    market = [2.1, 2.05]  # +110 at one book, +105 at another
    s = 1 / 2.1 + 1 / 2.05
    assert arbitrage_sum(market) == pytest.approx(s, rel=1e-15)
    assert s == pytest.approx(0.9639953542, abs=1e-10)
    assert is_arbitrage(market)
    assert arbitrage_return(market) == pytest.approx(1 / s - 1, rel=1e-14)  # 3.735%
    assert low_hold(market) == pytest.approx(1 - 1 / s, rel=1e-14)
    split = stake_split(market, total=1000)
    assert split.stakes == pytest.approx((1000 / 2.1 / s, 1000 / 2.05 / s), rel=1e-14)
    assert split.stakes[0] == pytest.approx(493.98, abs=0.01)
    assert split.payouts == pytest.approx((1000 / s, 1000 / s), rel=1e-14)
    assert split.total_stake == pytest.approx(1000, rel=1e-14)
    assert split.worst_payout == pytest.approx(1037.34, abs=0.01)
    assert split.profit == pytest.approx(1000 / s - 1000, rel=1e-12)
    assert split.return_pct == pytest.approx(3.7349, abs=1e-4)


def test_no_arbitrage_at_minus_110() -> None:
    market = [american_to_decimal(-110)] * 2
    assert not is_arbitrage(market)
    assert low_hold(market) == pytest.approx(0.0454545, abs=1e-7)
    assert arbitrage_return(market) == pytest.approx(-0.0454545, abs=1e-7)
    split = stake_split(market)  # hedging costs the hold
    assert split.stakes == pytest.approx((50.0, 50.0))
    assert split.return_pct == pytest.approx(-4.54545, abs=1e-5)
    assert split.profit < 0


def test_cap_scales_the_total() -> None:
    market = [2.1, 2.05]
    s = arbitrage_sum(market)
    split = stake_split(market, total=1000, cap=(0, 300.0))
    assert split.stakes[0] == pytest.approx(300.0, rel=1e-14)
    assert split.total_stake == pytest.approx(300 * 2.1 * s, rel=1e-14)
    assert split.return_pct == pytest.approx(100 * (1 / s - 1), rel=1e-10)
    # A cap above the leg's share changes nothing.
    assert stake_split(market, total=1000, cap=(0, 900.0)) == stake_split(market, total=1000)


def test_rounding_to_units() -> None:
    split = stake_split([2.1, 2.05], total=1000, unit=5)
    assert split.stakes == (495.0, 505.0)
    assert split.payouts == (495.0 * 2.1, 505.0 * 2.05)
    assert split.total_stake == 1000.0
    assert split.worst_payout == 505.0 * 2.05
    assert split.profit == pytest.approx(505 * 2.05 - 1000)
    assert split.return_pct == pytest.approx((505 * 2.05 - 1000) / 10)
    # A tiny leg still gets one unit.
    split = stake_split([1.02, 80.0], total=10, unit=1)
    assert split.stakes == (10.0, 1.0)
    # The capped leg is never rounded above its cap.
    split = stake_split([2.1, 2.05], total=1000, cap=(0, 307.0), unit=10)
    assert split.stakes[0] == 300.0
    with pytest.raises(OddsError, match="less than one unit"):
        stake_split([2.1, 2.05], cap=(0, 4.0), unit=5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"total": 0.0},
        {"total": -5.0},
        {"total": math.nan},
        {"cap": (2, 10.0)},
        {"cap": (-1, 10.0)},
        {"cap": (0, 0.0)},
        {"unit": 0.0},
        {"unit": -1.0},
    ],
)
def test_invalid_arguments(kwargs: dict[str, object]) -> None:
    with pytest.raises(OddsError):
        stake_split([2.1, 2.05], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "function", [arbitrage_sum, is_arbitrage, arbitrage_return, low_hold, stake_split]
)
def test_invalid_markets(function: object) -> None:
    assert callable(function)
    with pytest.raises(OddsError, match="off-the-board"):
        function([2.1, OFF_BOARD])
    for market in ([], [2.1], [2.1, 1.0], [2.1, math.nan]):
        with pytest.raises(OddsError):
            function(market)


@given(MARKET, TOTAL)
@settings(max_examples=200)
def test_every_outcome_pays_the_same(market: list[float], total: float) -> None:
    split = stake_split(market, total=total)
    s = arbitrage_sum(market)
    for payout in split.payouts:
        assert payout == pytest.approx(total / s, rel=1e-12)
    assert split.total_stake == pytest.approx(total, rel=1e-12)
    assert split.return_pct == pytest.approx(100 * arbitrage_return(market), rel=1e-9, abs=1e-9)
    assert (split.profit > 0) == is_arbitrage(market) or abs(split.profit) < 1e-9 * total


@given(
    MARKET,
    TOTAL,
    st.floats(min_value=0.01, max_value=100.0),
    st.integers(0, 4),
    st.floats(min_value=1.0, max_value=1e5),
)
@settings(max_examples=200)
def test_rounded_and_capped_splits_report_their_own_stakes(
    market: list[float], total: float, unit: float, leg: int, cap: float
) -> None:
    j = leg % len(market)
    if cap < unit and not math.isclose(cap, unit, rel_tol=1e-9):
        # (A cap within float rounding of one unit counts as one unit.)
        with pytest.raises(OddsError):
            stake_split(market, total=total, cap=(j, cap), unit=unit)
        return
    split = stake_split(market, total=total, cap=(j, cap), unit=unit)
    assert split.stakes[j] <= cap * (1 + 1e-9)  # the cap holds
    for stake, d, payout in zip(split.stakes, market, split.payouts, strict=True):
        units = stake / unit
        assert units >= 1 - 1e-9
        assert units == pytest.approx(round(units), abs=1e-6)  # a whole number of units
        assert payout == stake * d
    assert split.total_stake == pytest.approx(sum(split.stakes), rel=1e-12)
    assert split.worst_payout == min(split.payouts)
    assert split.profit == pytest.approx(min(split.payouts) - sum(split.stakes), rel=1e-9, abs=1e-9)
    assert split.return_pct == pytest.approx(
        100 * (min(split.payouts) - sum(split.stakes)) / sum(split.stakes), rel=1e-9, abs=1e-9
    )
    # Unrounded, the cap holds too and the total shrinks to fit it.
    exact = stake_split(market, total=total, cap=(j, cap))
    assert exact.stakes[j] <= cap
    s = arbitrage_sum(market)
    assert exact.total_stake == pytest.approx(min(total, cap * market[j] * s), rel=1e-12)
