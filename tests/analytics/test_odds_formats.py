"""Odds formats: known conversions, round trips, and refusal of non-prices."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oddswire.analytics.odds import (
    OFF_BOARD,
    OddsError,
    PriceFormats,
    american_to_decimal,
    american_to_probability,
    decimal_to_american,
    decimal_to_fractional,
    decimal_to_hong_kong,
    decimal_to_probability,
    fractional_to_decimal,
    price_formats,
    probability_to_american,
    probability_to_decimal,
)

AMERICAN = st.one_of(
    st.floats(min_value=100, max_value=100_000, allow_nan=False),
    st.floats(min_value=-100_000, max_value=-100, allow_nan=False),
)


@pytest.mark.parametrize(
    ("american", "decimal", "fraction", "probability"),
    [
        (150, 2.5, (3, 2), 0.4),
        (-200, 1.5, (1, 2), 2 / 3),
        (100, 2.0, (1, 1), 0.5),
        (-110, 1 + 100 / 110, (10, 11), 110 / 210),
        (300, 4.0, (3, 1), 0.25),
        (-400, 1.25, (1, 4), 0.8),
        (1000, 11.0, (10, 1), 1 / 11),
    ],
)
def test_known_conversions(
    american: float, decimal: float, fraction: tuple[int, int], probability: float
) -> None:
    assert american_to_decimal(american) == pytest.approx(decimal, rel=1e-15)
    assert decimal_to_american(decimal) == pytest.approx(american, rel=1e-12)
    assert decimal_to_fractional(decimal) == fraction
    assert fractional_to_decimal(*fraction) == pytest.approx(decimal, rel=1e-15)
    assert american_to_probability(american) == pytest.approx(probability, rel=1e-15)
    assert decimal_to_probability(decimal) == pytest.approx(probability, rel=1e-15)
    assert probability_to_decimal(probability) == pytest.approx(decimal, rel=1e-12)
    assert probability_to_american(probability) == pytest.approx(american, rel=1e-12)
    assert decimal_to_hong_kong(decimal) == pytest.approx(decimal - 1, rel=1e-15)


def test_minus_100_and_plus_100_are_the_same_price() -> None:
    assert american_to_decimal(-100) == american_to_decimal(100) == 2.0
    assert decimal_to_american(2.0) == 100.0  # d >= 2 is written positive


def test_price_formats() -> None:
    assert price_formats(150) == PriceFormats(
        american=150.0, decimal=2.5, fractional="3/2", hong_kong=1.5, probability=0.4
    )
    minus = price_formats(-110)
    assert minus.fractional == "10/11"
    assert minus.probability == pytest.approx(0.5238095238, abs=1e-10)
    assert minus.hong_kong == pytest.approx(0.9090909091, abs=1e-10)


def test_decimal_to_fractional_limits_the_denominator() -> None:
    assert decimal_to_fractional(1.9090909) == (10, 11)
    assert decimal_to_fractional(2.375) == (11, 8)
    assert decimal_to_fractional(math.pi + 1, max_denominator=7) == (22, 7)
    # Too short to show with denominators <= 100: the smallest fraction, never 0/1.
    assert decimal_to_fractional(1.001) == (1, 100)
    assert decimal_to_fractional(1.001, max_denominator=1000) == (1, 1000)
    with pytest.raises(OddsError):
        decimal_to_fractional(2.0, max_denominator=0)


@given(AMERICAN)
@settings(max_examples=300)
def test_american_decimal_round_trip(american: float) -> None:
    back = decimal_to_american(american_to_decimal(american))
    # -100 and +100 are the same price (2.0), written +100; so is -100.00000000000001.
    expected = 100.0 if abs(abs(american) - 100) < 1e-9 else american
    assert back == pytest.approx(expected, rel=1e-12)
    # probability agrees with 1/decimal
    assert american_to_probability(american) == pytest.approx(
        1 / american_to_decimal(american), rel=1e-12
    )


@given(st.floats(min_value=1e-6, max_value=1 - 1e-6))
@settings(max_examples=200)
def test_probability_round_trip(p: float) -> None:
    assert decimal_to_probability(probability_to_decimal(p)) == pytest.approx(p, rel=1e-12)
    assert american_to_probability(probability_to_american(p)) == pytest.approx(p, rel=1e-9)


@given(st.integers(1, 1000), st.integers(1, 100))
@settings(max_examples=200)
def test_fraction_round_trip(numerator: int, denominator: int) -> None:
    d = fractional_to_decimal(numerator, denominator)
    a, b = decimal_to_fractional(d, max_denominator=100)
    assert a * denominator == b * numerator  # the same fraction, reduced


def _every_converter() -> list[object]:
    return [
        american_to_decimal,
        american_to_probability,
        decimal_to_american,
        decimal_to_probability,
        decimal_to_fractional,
        decimal_to_hong_kong,
        price_formats,
    ]


@pytest.mark.parametrize("convert", _every_converter())
def test_the_off_board_sentinel_is_refused_by_name(convert: object) -> None:
    assert callable(convert)
    with pytest.raises(OddsError, match="off-the-board"):
        convert(OFF_BOARD)
    with pytest.raises(OddsError, match="off-the-board"):
        convert(0.0001)


@pytest.mark.parametrize("bad", [0, 99.99, -99.99, 50, -1, math.inf, -math.inf, math.nan])
def test_invalid_american(bad: float) -> None:
    for convert in (american_to_decimal, american_to_probability, price_formats):
        with pytest.raises(OddsError):
            convert(bad)


@pytest.mark.parametrize("bad", [1.0, 0.5, 0, -2.0, math.inf, math.nan])
def test_invalid_decimal(bad: float) -> None:
    for convert in (
        decimal_to_american,
        decimal_to_probability,
        decimal_to_fractional,
        decimal_to_hong_kong,
    ):
        with pytest.raises(OddsError):
            convert(bad)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_invalid_probability(bad: float) -> None:
    for convert in (probability_to_decimal, probability_to_american):
        with pytest.raises(OddsError):
            convert(bad)


@pytest.mark.parametrize(("numerator", "denominator"), [(0, 1), (1, 0), (-3, 2), (3, -2)])
def test_invalid_fraction(numerator: int, denominator: int) -> None:
    with pytest.raises(OddsError):
        fractional_to_decimal(numerator, denominator)


@given(st.floats(min_value=-99.999, max_value=99.999) | st.sampled_from([math.nan, math.inf]))
@settings(max_examples=200)
def test_no_american_under_100_gets_through(bad: float) -> None:
    with pytest.raises(OddsError):
        american_to_decimal(bad)


@given(st.floats(max_value=1.0) | st.sampled_from([math.nan, math.inf]))
@settings(max_examples=200)
def test_no_decimal_at_or_under_1_gets_through(bad: float) -> None:
    with pytest.raises(OddsError):
        decimal_to_probability(bad)


def test_odds_error_is_a_value_error() -> None:
    assert issubclass(OddsError, ValueError)
