"""Booksum, hold and devig: worked numbers, cross-checks against two independent
implementations (penaltyblog and shin), and properties.

Definitional differences found in the references (investigated with ``help()`` and their
source, penaltyblog 1.13 ``penaltyblog.implied.calculate_implied`` and shin 0.2
``shin.calculate_implied_probabilities``):

- penaltyblog's additive method does not clamp: a long shot's ``q - (B-1)/n`` can be
  negative. We clamp to 0 and renormalise, so where we clamp we compare with
  ``max(0, theirs) / sum``.
- penaltyblog solves power, Shin and odds ratio with ``scipy.optimize.ridder`` on
  ``[0, 100]`` (default ``xtol`` 2e-12), and does not renormalise; its Shin fails with
  ``B <= 1`` (no sign change). There we define ``z = 0``, multiplicative.
- shin 0.2 uses the closed form for 2 outcomes (it extends to a NEGATIVE z when
  ``B < 1``: we do not, see above) and the Jullien-Salanie fixed point for 3+ outcomes,
  whose convergence is linear and slows as ``B -> 1``: with its default 1000 iterations
  it stops short (probabilities off by up to ~3e-5, not summing to 1) on near-zero
  margins, so we give it ``max_iterations=10**7``.
- Both take decimal prices; ``method_params`` carries penaltyblog's ``k``, ``z``, ``c``
  (the same parameterisations as ours) and shin's ``full_output`` its ``z``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import penaltyblog.implied as pb  # type: ignore[import-untyped]
import pytest
import shin as shin_package
from hypothesis import given, settings
from hypothesis import strategies as st

from oddswire.analytics.odds import (
    OFF_BOARD,
    Devig,
    DevigMethod,
    OddsError,
    additive,
    american_to_decimal,
    booksum,
    devig,
    fair_line,
    hold,
    multiplicative,
    odds_ratio,
    one_sided,
    overround,
    power,
    shin,
    worst_case,
)

MINUS_110 = american_to_decimal(-110)
FIVE = (
    DevigMethod.MULTIPLICATIVE,
    DevigMethod.ADDITIVE,
    DevigMethod.POWER,
    DevigMethod.SHIN,
    DevigMethod.ODDS_RATIO,
)
SOLVED = {DevigMethod.POWER: "k", DevigMethod.SHIN: "z", DevigMethod.ODDS_RATIO: "c"}
#: Achieved: ~1e-12 on probabilities, ~5e-11 on k/c, ~3e-12 on z (see the report).
PROBABILITY_TOLERANCE = 1e-9
PARAMETER_TOLERANCE = 1e-9


def random_markets(count: int, seed: int = 20260411) -> list[list[float]]:
    """2- and 3-outcome markets: true probabilities from heavy favourite to long shot,
    a margin of 0-12% applied proportionally, prices rounded to 3 decimals as books
    quote them (so a near-zero margin can round to a booksum just under 1)."""
    rng = random.Random(seed)
    markets: list[list[float]] = []
    while len(markets) < count:
        n = rng.choice((2, 3))
        weights = [rng.lognormvariate(0.0, 1.5) for _ in range(n)]
        total = sum(weights)
        margin = rng.uniform(0.0, 0.12)
        decimals = [round(total / (w * (1.0 + margin)), 3) for w in weights]
        if min(decimals) < 1.01 or max(decimals) > 150.0:
            continue
        markets.append(decimals)
    return markets


MARKETS = random_markets(1200)


def test_the_random_markets_span_what_they_should() -> None:
    prices = [d for m in MARKETS for d in m]
    assert min(prices) < 1.05 and max(prices) > 50  # heavy favourites and long shots
    assert {len(m) for m in MARKETS} == {2, 3}
    sums = [booksum(m) for m in MARKETS]
    assert min(sums) < 1.005 and max(sums) > 1.11


def test_minus_110_both_ways() -> None:
    market = [MINUS_110, MINUS_110]
    assert booksum(market) == pytest.approx(1.047619047619, abs=1e-12)
    assert overround(market) == pytest.approx(0.047619047619, abs=1e-12)
    assert hold(market) == pytest.approx(0.045454545454, abs=1e-12)  # 4.55%
    for method in DevigMethod:
        result = devig(market, method)
        assert result.method is method
        if method is not DevigMethod.WORST_CASE:
            assert result.probabilities == pytest.approx((0.5, 0.5), abs=1e-12)
            assert result.fair_decimals == pytest.approx((2.0, 2.0), abs=1e-11)
            assert result.fair_american == pytest.approx((100.0, 100.0), abs=1e-9)


def test_worked_three_way() -> None:
    market = [1.5, 4.2, 6.5]
    b = 1 / 1.5 + 1 / 4.2 + 1 / 6.5
    assert booksum(market) == pytest.approx(b)
    assert multiplicative(market).probabilities == pytest.approx(
        [1 / 1.5 / b, 1 / 4.2 / b, 1 / 6.5 / b], abs=1e-15
    )
    assert additive(market).probabilities == pytest.approx(
        [1 / d - (b - 1) / 3 for d in market], abs=1e-15
    )
    result = power(market)
    k = result.parameter
    assert result.parameter_name == "k"
    assert k is not None and k > 1
    assert sum((1 / d) ** k for d in market) == pytest.approx(1, abs=1e-12)
    result = shin(market)
    z = result.parameter
    assert result.parameter_name == "z"
    assert z is not None and 0 < z < 0.4
    expected = [(math.sqrt(z * z + 4 * (1 - z) / d**2 / b) - z) / (2 * (1 - z)) for d in market]
    assert result.probabilities == pytest.approx(expected, abs=1e-12)
    result = odds_ratio(market)
    c = result.parameter
    assert result.parameter_name == "c"
    assert c is not None and c > 1
    for d, p in zip(market, result.probabilities, strict=True):
        q = 1 / d
        assert q / (1 - q) == pytest.approx(c * p / (1 - p), rel=1e-10)


def _close(ours: Devig, theirs: list[float]) -> float:
    return max(abs(a - b) for a, b in zip(ours.probabilities, theirs, strict=True))


@pytest.mark.parametrize("method", FIVE)
def test_cross_check_with_penaltyblog(method: DevigMethod) -> None:
    compared = 0
    worst_probability = worst_parameter = 0.0
    for market in MARKETS:
        ours = devig(market, method)
        assert ours.converged
        if method is DevigMethod.SHIN and ours.booksum <= 1.0:
            # penaltyblog has no answer there; ours is defined as z = 0, multiplicative.
            assert ours.parameter == 0.0
            assert ours.probabilities == multiplicative(market).probabilities
            continue
        theirs = pb.calculate_implied(market, method=method.value)
        expected = list(theirs.probabilities)
        if method is DevigMethod.ADDITIVE:
            negative = tuple(i for i, p in enumerate(expected) if p < 0)
            assert ours.clamped == negative
            if negative:
                clipped = [max(0.0, p) for p in expected]
                expected = [p / sum(clipped) for p in clipped]
        worst_probability = max(worst_probability, _close(ours, expected))
        if method in SOLVED:
            assert ours.parameter_name == SOLVED[method]
            assert ours.parameter is not None and theirs.method_params is not None
            their_parameter = theirs.method_params[SOLVED[method]]
            worst_parameter = max(worst_parameter, abs(ours.parameter - their_parameter))
        compared += 1
    assert compared >= 500
    assert worst_probability <= PROBABILITY_TOLERANCE
    assert worst_parameter <= PARAMETER_TOLERANCE


def test_additive_clamps_some_random_long_shots() -> None:
    # The cross-check above covers the clamping branch too.
    assert any(additive(m).clamped for m in MARKETS)


def test_cross_check_shin_with_the_shin_package() -> None:
    compared = 0
    worst_probability = worst_z = 0.0
    for market in MARKETS:
        ours = shin(market)
        if ours.booksum <= 1.0:
            continue  # shin extends to z < 0 there; we define z = 0 (see the docstring)
        theirs = shin_package.calculate_implied_probabilities(
            market, full_output=True, max_iterations=10**7
        )
        assert ours.parameter is not None
        worst_probability = max(worst_probability, _close(ours, theirs.implied_probabilities))
        worst_z = max(worst_z, abs(ours.parameter - theirs.z))
        compared += 1
    assert compared >= 500
    assert worst_probability <= PROBABILITY_TOLERANCE
    assert worst_z <= PARAMETER_TOLERANCE


def test_the_root_finders_take_tens_of_iterations_at_most() -> None:
    for market in MARKETS:
        for method in (power, shin, odds_ratio):
            assert method(market).iterations <= 20


def test_worst_case_is_the_lowest_of_the_five() -> None:
    for market in MARKETS[:200]:
        results = [devig(market, m) for m in FIVE]
        worst = worst_case(market)
        assert worst.parameter is None and worst.parameter_name is None
        assert worst.converged
        assert worst.iterations == sum(r.iterations for r in results)
        for i, p in enumerate(worst.probabilities):
            assert p == min(r.probabilities[i] for r in results)
        assert sum(worst.probabilities) <= 1.0 + 1e-12  # does not sum to 1


def test_worst_case_of_a_skewed_market_sums_below_1() -> None:
    assert sum(worst_case([1.25, 4.5]).probabilities) < 0.999


def test_underround_markets() -> None:
    market = [2.1, 2.05]  # B < 1, an arbitrage
    assert booksum(market) < 1
    assert hold(market) < 0
    k = power(market).parameter
    assert k is not None and k < 1
    c = odds_ratio(market).parameter
    assert c is not None and c < 1
    result = shin(market)
    assert result.parameter == 0.0 and result.iterations == 0 and result.converged
    assert result.probabilities == multiplicative(market).probabilities
    assert sum(power(market).probabilities) == pytest.approx(1, abs=1e-12)


def test_no_margin_is_a_fixed_point() -> None:
    market = [2.0, 4.0, 4.0]
    for method in FIVE:
        assert devig(market, method).probabilities == pytest.approx((0.5, 0.25, 0.25), abs=1e-12)
    assert power(market).parameter == pytest.approx(1.0, abs=1e-12)
    assert odds_ratio(market).parameter == pytest.approx(1.0, abs=1e-12)


def test_additive_clamps_and_says_so() -> None:
    market = [1.1, 8.0, 51.0]  # q = .909, .125, .0196; shift (B-1)/3 = .018
    raw = [1 / d - (booksum(market) - 1) / 3 for d in market]
    assert raw[2] > 0
    result = additive(market)
    assert result.clamped == ()
    market = [1.05, 8.0, 101.0]  # shift .029 > q = .0099: the long shot goes negative
    result = additive(market)
    assert result.clamped == (2,)
    assert result.probabilities[2] == 0.0
    assert sum(result.probabilities) == pytest.approx(1.0, abs=1e-15)
    assert result.converged
    assert result.fair_decimals[2] == math.inf
    assert result.fair_american[2] == math.inf


def test_methods_by_name_and_enum() -> None:
    market = [1.8, 2.1]
    assert devig(market, "power") == devig(market, DevigMethod.POWER) == power(market)
    assert devig(market) == multiplicative(market)
    with pytest.raises(OddsError, match="unknown devig method"):
        devig(market, "median")


def test_max_iterations_reports_no_convergence() -> None:
    result = shin([1.3, 4.0, 9.0], max_iterations=1)
    assert not result.converged
    assert result.iterations == 1
    assert sum(result.probabilities) == pytest.approx(1.0, abs=1e-15)  # still renormalised
    with pytest.raises(OddsError):
        power([1.3, 4.0], max_iterations=0)
    with pytest.raises(OddsError):
        power([1.3, 4.0], tolerance=0.0)


@pytest.mark.parametrize("method", list(DevigMethod))
@pytest.mark.parametrize(
    "market",
    [[], [1.9], [1.9, 1.0], [1.9, 0.5], [1.9, math.nan], [1.9, math.inf], [1.9, OFF_BOARD]],
)
def test_invalid_markets(method: DevigMethod, market: list[float]) -> None:
    with pytest.raises(OddsError):
        devig(market, method)


def test_off_board_is_named() -> None:
    with pytest.raises(OddsError, match="off-the-board"):
        devig([1.91, OFF_BOARD], DevigMethod.SHIN)
    for function in (booksum, overround, hold):
        with pytest.raises(OddsError, match="off-the-board"):
            function([OFF_BOARD, 1.91])


def test_one_sided() -> None:
    decimal = american_to_decimal(285)  # Becker's "+285/15%"
    assert one_sided(decimal, 0.15) == pytest.approx((100 / 385) / 1.15, rel=1e-15)
    assert one_sided(2.0, 0.0) == 0.5
    for bad in (-0.01, math.nan, math.inf):
        with pytest.raises(OddsError):
            one_sided(2.0, bad)
    with pytest.raises(OddsError, match="off-the-board"):
        one_sided(OFF_BOARD, 0.05)


def test_fair_line() -> None:
    pinnacle = [1.80, 2.10]
    circa = [1.85, 2.02]
    line = fair_line([(pinnacle, 3.0), (circa, 1.0)], DevigMethod.POWER)
    a = power(pinnacle).probabilities
    b = power(circa).probabilities
    mean = [(3 * x + y) / 4 for x, y in zip(a, b, strict=True)]
    expected = [m / sum(mean) for m in mean]
    assert line.method is DevigMethod.POWER
    assert line.parameter is None and line.parameter_name is None
    assert line.probabilities == pytest.approx(expected, abs=1e-15)
    assert sum(line.probabilities) == pytest.approx(1.0, abs=1e-15)
    assert line.booksum == pytest.approx((3 * booksum(pinnacle) + booksum(circa)) / 4)
    assert line.iterations == power(pinnacle).iterations + power(circa).iterations
    # One book, or zero weight on the others: that book's devig.
    assert fair_line([(pinnacle, 1.0)]).probabilities == pytest.approx(
        multiplicative(pinnacle).probabilities, abs=1e-15
    )
    assert fair_line([(pinnacle, 1.0), (circa, 0.0)], "shin").probabilities == pytest.approx(
        shin(pinnacle).probabilities, abs=1e-15
    )
    # Worst case keeps its conservatism: the weighted mean, not renormalised.
    worst = fair_line([(pinnacle, 1.0), (circa, 1.0)], DevigMethod.WORST_CASE)
    expected_worst = [
        (x + y) / 2
        for x, y in zip(
            worst_case(pinnacle).probabilities, worst_case(circa).probabilities, strict=True
        )
    ]
    assert worst.probabilities == pytest.approx(expected_worst, abs=1e-15)


@pytest.mark.parametrize(
    "books",
    [
        [],
        [([1.8, 2.1], 0.0)],
        [([1.8, 2.1], -1.0)],
        [([1.8, 2.1], math.nan)],
        [([1.8, 2.1], 1.0), ([1.5, 3.0, 9.0], 1.0)],
        [([1.8, OFF_BOARD], 1.0)],
    ],
)
def test_fair_line_refuses(books: list[tuple[list[float], float]]) -> None:
    with pytest.raises(OddsError):
        fair_line(books)


MARKET = st.lists(st.floats(min_value=1.001, max_value=1000.0), min_size=2, max_size=6)
ORDERED: tuple[Callable[..., Devig], ...] = (multiplicative, power, shin, odds_ratio)


@given(MARKET)
@settings(max_examples=150, deadline=None)
def test_fair_probabilities_sum_to_1_and_lie_in_0_1(market: list[float]) -> None:
    for method in FIVE:
        result = devig(market, method)
        assert result.converged
        assert abs(sum(result.probabilities) - 1.0) <= 1e-9
        assert all(0.0 <= p <= 1.0 for p in result.probabilities)
    worst = worst_case(market).probabilities
    assert all(0.0 <= p <= 1.0 for p in worst)


@given(MARKET)
@settings(max_examples=150, deadline=None)
def test_devig_keeps_the_favourite_the_favourite(market: list[float]) -> None:
    for method in ORDERED:
        p = method(market).probabilities
        for i in range(len(market)):
            for j in range(len(market)):
                if market[i] < market[j]:
                    assert p[i] >= p[j] - 1e-12, (method.__name__, market, p)
