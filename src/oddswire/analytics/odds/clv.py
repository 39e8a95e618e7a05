"""Closing line value: how a bet's price compares with the fair closing price
(reference §4.7). Positive CLV means the bet beat the close."""

from __future__ import annotations

from collections.abc import Sequence

from oddswire.analytics.odds.devig import DevigMethod, devig
from oddswire.analytics.odds.formats import OddsError, check_decimal, check_probability


def clv(bet_decimal: float, close_fair_decimal: float) -> float:
    """Price form, a fraction: ``d_bet / d_close - 1`` (+110 = 2.10 against a no-vig
    close of 2.00 is 0.05, +5%)."""
    return check_decimal(bet_decimal) / check_decimal(close_fair_decimal) - 1.0


def clv_probability(bet_decimal: float, close_fair_probability: float) -> float:
    """Probability form, in probability points: ``p_close - 1/d_bet``."""
    return check_probability(close_fair_probability) - 1.0 / check_decimal(bet_decimal)


def clv_against_close(
    bet_decimal: float,
    close_decimals: Sequence[float],
    outcome: int,
    method: DevigMethod | str = DevigMethod.MULTIPLICATIVE,
) -> float:
    """Price-form CLV of a bet on outcome ``outcome`` (an index into ``close_decimals``,
    the closing market's prices) against that market devigged by ``method``:
    ``d_bet * p_close - 1`` (the same as :func:`clv` with ``d_close = 1/p_close``)."""
    d = check_decimal(bet_decimal)
    fair = devig(close_decimals, method)
    if not 0 <= outcome < len(fair.probabilities):
        raise OddsError(f"outcome {outcome} is not one of the {len(close_decimals)} outcomes")
    return d * fair.probabilities[outcome] - 1.0
