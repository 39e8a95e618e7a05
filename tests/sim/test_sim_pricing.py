"""Odds arithmetic: rounding in the book's favour, margins, and the hold bounds."""

from __future__ import annotations

import random

import pytest

from oddswire.sim.pricing import better, hold, implied, price_market, to_american, worse


def test_even_money_is_plus_100() -> None:
    assert to_american(0.5, 5) == 100.0
    assert to_american(0.5, 1) == 100.0


@pytest.mark.parametrize(
    ("q", "gran", "expected"),
    [
        (0.5238, 5, -110.0),  # -109.99 rounds away from the bettor
        (0.5240, 5, -115.0),
        (0.5240, 1, -111.0),
        (0.40, 5, 150.0),
        (0.399, 5, 150.0),
        (0.401, 5, 145.0),
        (0.10, 5, 900.0),
        (0.095, 1, 950.0),
    ],
)
def test_rounding_favours_the_book(q: float, gran: int, expected: float) -> None:
    assert to_american(q, gran) == expected
    assert implied(to_american(q, gran)) >= q - 1e-9


def test_never_between_minus_100_and_100() -> None:
    for q in [0.49, 0.499, 0.5, 0.501, 0.51]:
        for gran in (1, 5):
            price = to_american(q, gran)
            assert not -100 < price < 100


def test_steps_cross_even_money() -> None:
    assert better(-105.0, 5) == 100.0
    assert better(100.0, 5) == 105.0
    assert worse(100.0, 5) == -105.0
    assert worse(-110.0, 5) == -115.0


def test_margin_gives_longshots_more_and_keeps_holds_in_bounds() -> None:
    rng = random.Random(3)
    for margin, gran in [(0.023, 1), (0.045, 5), (0.062, 5)]:
        for _ in range(3000):
            p = rng.uniform(0.05, 0.95)
            fav, dog = price_market([p, 1 - p], margin, gran)
            assert 0.02 <= hold([fav, dog]) <= 0.08
            if p > 0.5:
                assert fav <= dog
            p_home = rng.uniform(0.1, 0.75)
            p_draw = rng.uniform(0.15, 0.3)
            if 1 - p_home - p_draw > 0.05:
                three = price_market([p_home, p_draw, 1 - p_home - p_draw], margin, gran)
                assert 0.02 <= hold(three) <= 0.08
    fav, dog = price_market([0.8, 0.2], 0.05, 1)
    assert implied(dog) / 0.2 > implied(fav) / 0.8
