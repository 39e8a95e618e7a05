"""Odds formats: American, decimal, fractional, Hong Kong and implied probability.

Every function validates its input and raises :class:`OddsError` for anything that is
not a price, TheRundown's 0.0001 off-board sentinel included (reference §4.1).
"""

from __future__ import annotations

import math
from fractions import Fraction

import msgspec

from oddswire.wire.therundown.common import OFF_BOARD_SENTINEL

#: TheRundown's "off the board" price. It is not a price: every function here refuses
#: it, in American and in decimal form (the wire package writes it; nothing here does).
OFF_BOARD = OFF_BOARD_SENTINEL


class OddsError(ValueError):
    """Not a valid price (or probability, or argument of the odds maths)."""


def _off_board(value: float) -> bool:
    return abs(value - OFF_BOARD) < 1e-12


def check_american(american: float) -> float:
    """``american`` as a float, or OddsError (|A| < 100, non-finite, the sentinel)."""
    value = float(american)
    if _off_board(value):
        raise OddsError(f"American price {american!r} is the off-the-board sentinel")
    if not math.isfinite(value) or abs(value) < 100.0:
        raise OddsError(f"not an American price: {american!r} (needs |A| >= 100)")
    return value


def check_decimal(decimal: float) -> float:
    """``decimal`` as a float, or OddsError (<= 1, non-finite, the sentinel)."""
    value = float(decimal)
    if _off_board(value):
        raise OddsError(f"decimal price {decimal!r} is the off-the-board sentinel")
    if not math.isfinite(value) or value <= 1.0:
        raise OddsError(f"not a decimal price: {decimal!r} (needs a finite d > 1)")
    return value


def check_probability(probability: float) -> float:
    """``probability`` as a float, or OddsError (outside the open interval (0, 1)).
    0.0001 is a probability (one in ten thousand), not the sentinel: prices are."""
    value = float(probability)
    if not 0.0 < value < 1.0:  # also rejects NaN
        raise OddsError(f"not a probability: {probability!r} (needs 0 < p < 1)")
    return value


def american_to_decimal(american: float) -> float:
    """``+150 -> 2.5``, ``-200 -> 1.5``."""
    a = check_american(american)
    return 1.0 + a / 100.0 if a > 0 else 1.0 + 100.0 / -a


def decimal_to_american(decimal: float) -> float:
    """``2.5 -> +150``, ``1.5 -> -200`` (2.0 is +100)."""
    d = check_decimal(decimal)
    return 100.0 * (d - 1.0) if d >= 2.0 else -100.0 / (d - 1.0)


def american_to_probability(american: float) -> float:
    """Implied probability (vig included): ``+150 -> 0.4``, ``-110 -> 0.5238``."""
    a = check_american(american)
    return 100.0 / (a + 100.0) if a > 0 else -a / (100.0 - a)


def decimal_to_probability(decimal: float) -> float:
    """Implied probability ``1/d``."""
    return 1.0 / check_decimal(decimal)


def probability_to_decimal(probability: float) -> float:
    """The fair decimal price ``1/p``."""
    return 1.0 / check_probability(probability)


def probability_to_american(probability: float) -> float:
    """The fair American price: ``0.4 -> +150``, ``0.6 -> -150``."""
    return decimal_to_american(probability_to_decimal(probability))


def fractional_to_decimal(numerator: int, denominator: int) -> float:
    """``a/b -> 1 + a/b`` (both positive): ``(3, 2) -> 2.5``."""
    if numerator <= 0 or denominator <= 0:
        raise OddsError(f"not a fractional price: {numerator}/{denominator}")
    return check_decimal(1.0 + numerator / denominator)


def decimal_to_fractional(decimal: float, max_denominator: int = 100) -> tuple[int, int]:
    """The nearest fraction ``a/b`` to ``d - 1`` with ``b <= max_denominator``, reduced:
    ``2.5 -> (3, 2)``, ``1.9090.. (-110) -> (10, 11)``. A price too short to show with
    that denominator (``d - 1 < 1/(2 max_denominator)``) gives ``(1, max_denominator)``,
    never ``0/1``."""
    d = check_decimal(decimal)
    if max_denominator < 1:
        raise OddsError(f"max_denominator must be >= 1, not {max_denominator}")
    fraction = Fraction(d - 1.0).limit_denominator(max_denominator)
    if fraction.numerator == 0:
        return 1, max_denominator
    return fraction.numerator, fraction.denominator


def decimal_to_hong_kong(decimal: float) -> float:
    """Hong Kong odds: the profit per unit staked, ``d - 1``."""
    return check_decimal(decimal) - 1.0


class PriceFormats(msgspec.Struct, frozen=True):
    """One price in every format (as Sportradar and OpticOdds offer per outcome)."""

    american: float
    decimal: float
    #: ``"3/2"``: numerator/denominator, reduced, denominator at most 100.
    fractional: str
    hong_kong: float
    #: Implied probability, vig included.
    probability: float


def price_formats(american: float) -> PriceFormats:
    """``+150 -> PriceFormats(150.0, 2.5, "3/2", 1.5, 0.4)``."""
    a = check_american(american)
    d = american_to_decimal(a)
    numerator, denominator = decimal_to_fractional(d)
    return PriceFormats(
        american=a,
        decimal=d,
        fractional=f"{numerator}/{denominator}",
        hong_kong=d - 1.0,
        probability=american_to_probability(a),
    )
