"""Expected value, edge and Kelly staking of one bet against a fair probability
(reference §4.3, §4.4). ``probability`` is the fair (devigged) probability of winning,
``decimal`` the price taken."""

from __future__ import annotations

from oddswire.analytics.odds.formats import OddsError, check_decimal, check_probability


def expected_value(probability: float, decimal: float) -> float:
    """Expected profit per unit staked: ``p d - 1`` (0.05 is +5% EV)."""
    return check_probability(probability) * check_decimal(decimal) - 1.0


def edge(probability: float, decimal: float) -> float:
    """The edge in probability points: ``p - 1/d``."""
    return check_probability(probability) - 1.0 / check_decimal(decimal)


def kelly(probability: float, decimal: float, fraction: float = 1.0) -> float:
    """The share of bankroll to stake: ``f* = (p d - 1) / (d - 1)`` times ``fraction``
    (fractional Kelly, in ``(0, 1]``; a quarter or a half is common). 0.0 exactly when
    the bet has no positive expected value."""
    lam = float(fraction)
    if not 0.0 < lam <= 1.0:
        raise OddsError(f"Kelly fraction must be in (0, 1], not {fraction!r}")
    d = check_decimal(decimal)
    ev = check_probability(probability) * d - 1.0
    if ev <= 0.0:
        return 0.0
    return ev / (d - 1.0) * lam
