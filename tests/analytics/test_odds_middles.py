"""Middles: regions of results, checked against a direct, result-by-result computation."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oddswire.analytics.odds import (
    OFF_BOARD,
    Middle,
    MiddleRegion,
    OddsError,
    american_to_decimal,
    spread_middle,
    total_middle,
)

M110 = american_to_decimal(-110)


def leg(stake: float, decimal: float, state: int) -> float:
    return stake * (decimal - 1) if state > 0 else 0.0 if state == 0 else -stake


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


def hand_total(
    r: int, a: float, da: float, b: float, db: float, stakes: tuple[float, float]
) -> float:
    return leg(stakes[0], da, sign(r - a)) + leg(stakes[1], db, sign(b - r))


def hand_spread(
    m: int, h: float, dh: float, a: float, da: float, stakes: tuple[float, float]
) -> float:
    return leg(stakes[0], dh, sign(m + h)) + leg(stakes[1], da, sign(a - m))


def region_of(middle: Middle, r: int) -> MiddleRegion:
    found = [
        g
        for g in middle.regions
        if (g.low is None or g.low <= r) and (g.high is None or r <= g.high)
    ]
    assert len(found) == 1, (r, middle.regions)
    return found[0]


def check_structure(middle: Middle, lines: tuple[float, float]) -> None:
    regions = middle.regions
    assert regions[0].low is None and regions[-1].high is None
    for before, after in itertools.pairwise(regions):
        assert before.high is not None and after.low is not None
        assert after.low == before.high + 1  # no gap, no overlap
        assert before.outcome != after.outcome  # neighbours merged
    for g in regions:
        if g.low is not None and g.high is not None:
            assert g.low <= g.high
        for bound in (g.low, g.high):
            assert bound is None or bound == int(bound)
    staked = sum(middle.stakes)
    for g in regions:
        assert g.profit_pct == pytest.approx(100 * g.profit / staked, rel=1e-12)
    assert middle.best_pct == max(g.profit_pct for g in regions)
    assert middle.worst_pct == min(g.profit_pct for g in regions)
    assert middle.is_middle == any(g.outcome == "both win" for g in regions)


def test_totals_middle_of_two_points() -> None:
    middle = total_middle(47.5, M110, 49.5, M110)
    assert middle.stakes == pytest.approx((50.0, 50.0))
    assert middle.width == 2.0
    assert middle.is_middle
    win = 50 * (M110 - 1)
    assert [(g.low, g.high, g.outcome) for g in middle.regions] == [
        (None, 47.0, "second wins"),
        (48.0, 49.0, "both win"),
        (50.0, None, "first wins"),
    ]
    profits = [g.profit for g in middle.regions]
    assert profits == pytest.approx([win - 50, 2 * win, win - 50])
    assert middle.best_pct == pytest.approx(2 * win)  # 90.9% of 100 staked
    assert middle.worst_pct == pytest.approx(-4.545454, abs=1e-6)  # the vig


def test_integer_lines_push() -> None:
    middle = total_middle(47, 2.0, 49, 1.8, stakes=(40.0, 60.0))
    assert [(g.low, g.high, g.outcome) for g in middle.regions] == [
        (None, 46.0, "second wins"),
        (47.0, 47.0, "second wins, first pushes"),
        (48.0, 48.0, "both win"),
        (49.0, 49.0, "first wins, second pushes"),
        (50.0, None, "first wins"),
    ]
    assert [g.profit for g in middle.regions] == pytest.approx([8.0, 48.0, 88.0, 40.0, -20.0])


def test_half_point_gap_is_a_push_middle_only() -> None:
    middle = total_middle(47.5, M110, 48, M110)
    assert middle.width == 0.5
    assert not middle.is_middle
    assert [g.outcome for g in middle.regions] == [
        "second wins",
        "first wins, second pushes",
        "first wins",
    ]
    assert middle.best_pct > 0 > middle.worst_pct


def test_same_line_and_reverse_middles() -> None:
    same = total_middle(47, M110, 47, M110)
    assert same.width == 0 and not same.is_middle
    assert [g.outcome for g in same.regions] == ["second wins", "both push", "first wins"]
    assert region_of(same, 47).profit == 0.0
    reverse = total_middle(48.5, M110, 47.5, M110)
    assert reverse.width == -1
    assert region_of(reverse, 48).outcome == "both lose"
    assert region_of(reverse, 48).profit_pct == pytest.approx(-100)
    reverse = total_middle(48, 2.0, 47, 2.0)
    assert [g.outcome for g in reverse.regions] == [
        "second wins",
        "second pushes, first loses",
        "first pushes, second loses",
        "first wins",
    ]


def test_spread_middle_of_the_reference() -> None:
    # Home -4.5 at one book, away +5.5 at another: a home win by exactly 5 wins both.
    middle = spread_middle(-4.5, M110, 5.5, M110)
    assert middle.width == 1.0
    assert middle.is_middle
    assert [(g.low, g.high, g.outcome) for g in middle.regions] == [
        (None, 4.0, "second wins"),
        (5.0, 5.0, "both win"),
        (6.0, None, "first wins"),
    ]
    # The key number 3 for the NFL: -2.5 and +3.5 middle on a 3-point home win;
    # -3 and +3 push both on it.
    assert region_of(spread_middle(-2.5, M110, 3.5, M110), 3).outcome == "both win"
    assert region_of(spread_middle(-3, M110, 3, M110), 3).outcome == "both push"
    # The away side favoured: home +6.5, away -3.5 (home margin between -6 and -4).
    middle = spread_middle(6.5, 1.95, -3.5, 1.9)
    assert middle.width == 3.0
    assert [(g.low, g.high) for g in middle.regions if g.outcome == "both win"] == [(-6.0, -4.0)]
    assert not spread_middle(-5.5, M110, 4.5, M110).is_middle


def test_default_stakes_balance_the_payouts() -> None:
    middle = total_middle(210.5, 1.87, 213.5, 2.05, total=500)
    s_over, s_under = middle.stakes
    assert s_over + s_under == pytest.approx(500)
    assert s_over * 1.87 == pytest.approx(s_under * 2.05)
    # Given stakes win over total.
    assert total_middle(210.5, 1.87, 213.5, 2.05, total=500, stakes=(10, 20)).stakes == (10, 20)


def test_refusals() -> None:
    with pytest.raises(OddsError, match="off-the-board"):
        total_middle(47.5, OFF_BOARD, 49.5, M110)
    with pytest.raises(OddsError, match="off-the-board"):
        spread_middle(-4.5, M110, 5.5, OFF_BOARD)
    for bad in (
        {"total": 0.0},
        {"total": math.nan},
        {"stakes": (0.0, 10.0)},
        {"stakes": (10.0, -1.0)},
        {"stakes": (math.inf, 1.0)},
    ):
        with pytest.raises(OddsError):
            total_middle(47.5, M110, 49.5, M110, **bad)
    with pytest.raises(OddsError):
        total_middle(math.nan, M110, 49.5, M110)
    with pytest.raises(OddsError):
        spread_middle(-4.5, 1.0, 5.5, M110)


LINE = st.integers(-400, 400).map(lambda x: x / 4)  # whole, half and quarter points
DECIMAL = st.floats(min_value=1.05, max_value=10.0)
STAKES = st.none() | st.tuples(
    st.floats(min_value=0.5, max_value=1000.0), st.floats(min_value=0.5, max_value=1000.0)
)


@given(LINE, DECIMAL, LINE, DECIMAL, STAKES)
@settings(max_examples=200)
def test_total_regions_cover_every_result_once_with_the_hand_profit(
    a: float, da: float, b: float, db: float, stakes: tuple[float, float] | None
) -> None:
    middle = total_middle(a, da, b, db, stakes=stakes)
    check_structure(middle, (a, b))
    assert middle.width == b - a
    assert middle.is_middle == any(a < r < b for r in range(math.floor(a), math.ceil(b) + 1))
    for r in range(math.floor(min(a, b)) - 5, math.ceil(max(a, b)) + 6):
        got = region_of(middle, r)
        assert got.profit == pytest.approx(hand_total(r, a, da, b, db, middle.stakes), abs=1e-9)


@given(LINE, DECIMAL, LINE, DECIMAL, STAKES)
@settings(max_examples=200)
def test_spread_regions_cover_every_result_once_with_the_hand_profit(
    h: float, dh: float, a: float, da: float, stakes: tuple[float, float] | None
) -> None:
    middle = spread_middle(h, dh, a, da, stakes=stakes)
    check_structure(middle, (-h, a))
    assert middle.width == h + a
    lows = math.floor(min(-h, a)) - 5
    highs = math.ceil(max(-h, a)) + 6
    assert middle.is_middle == any(m + h > 0 and m < a for m in range(lows, highs))
    if middle.is_middle:
        assert h + a > 0
    for m in range(lows, highs):
        got = region_of(middle, m)
        assert got.profit == pytest.approx(hand_spread(m, h, dh, a, da, middle.stakes), abs=1e-9)


def test_far_apart_lines_stay_cheap() -> None:
    middle = total_middle(0.5, 2.0, 1e9 + 0.5, 2.0)
    assert [(g.low, g.high) for g in middle.regions if g.outcome == "both win"] == [(1.0, 1e9)]
