"""Expected value, edge and Kelly."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oddswire.analytics.odds import (
    OFF_BOARD,
    OddsError,
    american_to_decimal,
    edge,
    expected_value,
    kelly,
)

PROBABILITY = st.floats(min_value=1e-6, max_value=1 - 1e-6)
DECIMAL = st.floats(min_value=1.0001, max_value=1000.0)


def test_worked_examples() -> None:
    # A fair coin at +110: EV +5%, edge 2.38 points, full Kelly 4.545%.
    d = american_to_decimal(110)
    assert d == 2.1
    assert expected_value(0.5, d) == pytest.approx(0.05, abs=1e-15)
    assert edge(0.5, d) == pytest.approx(0.5 - 1 / 2.1, abs=1e-15)
    assert kelly(0.5, d) == pytest.approx(0.05 / 1.1, abs=1e-15)
    assert kelly(0.5, d, fraction=0.25) == pytest.approx(0.05 / 1.1 / 4, abs=1e-15)
    # EV = p (d - 1) - (1 - p), the reference's other form.
    assert expected_value(0.3, 4.0) == pytest.approx(0.3 * 3 - 0.7, abs=1e-15)
    # -110 at a fair 50%: the vig, -4.55%; Kelly says no bet.
    assert expected_value(0.5, american_to_decimal(-110)) == pytest.approx(-1 / 22, abs=1e-15)
    assert kelly(0.5, american_to_decimal(-110)) == 0.0
    # Break-even: zero EV and zero Kelly.
    assert expected_value(0.5, 2.0) == 0.0
    assert kelly(0.5, 2.0) == 0.0


def test_kelly_equals_the_b_p_q_form() -> None:
    p, d = 0.55, 1.95
    b = d - 1
    assert kelly(p, d) == pytest.approx((b * p - (1 - p)) / b, rel=1e-14)


@given(PROBABILITY, DECIMAL, st.floats(min_value=0.01, max_value=1.0))
@settings(max_examples=300)
def test_kelly_is_zero_exactly_when_ev_is_not_positive(p: float, d: float, fraction: float) -> None:
    ev = expected_value(p, d)
    stake = kelly(p, d, fraction)
    assert (stake == 0.0) == (ev <= 0.0)
    assert 0.0 <= stake <= 1.0
    assert (edge(p, d) > 0) == (ev > 0) or abs(ev) < 1e-12
    if stake > 0:
        assert stake == pytest.approx(fraction * ev / (d - 1), rel=1e-12)


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.0001, math.nan, math.inf])
def test_kelly_fraction_must_be_in_0_1(fraction: float) -> None:
    with pytest.raises(OddsError):
        kelly(0.6, 2.0, fraction)


@pytest.mark.parametrize("function", [expected_value, edge, kelly])
def test_invalid_inputs(function: object) -> None:
    assert callable(function)
    with pytest.raises(OddsError, match="off-the-board"):
        function(0.5, OFF_BOARD)
    for bad_p in (0.0, 1.0, -0.2, math.nan):
        with pytest.raises(OddsError):
            function(bad_p, 2.0)
    for bad_d in (1.0, 0.5, math.inf, math.nan):
        with pytest.raises(OddsError):
            function(0.5, bad_d)
