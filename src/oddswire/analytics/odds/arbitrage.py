"""Arbitrage (sure bets), low hold and stake splits (reference §4.5).

``decimals`` are the best prices of every outcome of one market (same event, market,
period and line), one per outcome. ``S = sum(1/d)``: the market is an arbitrage iff
``S < 1``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec

from oddswire.analytics.odds.formats import OddsError, check_decimal


class StakeSplit(msgspec.Struct, frozen=True, kw_only=True):
    """Stakes per outcome and what each outcome returns."""

    stakes: tuple[float, ...]
    #: ``stake * decimal`` per outcome: what the bets return (stakes included) if that
    #: outcome happens.
    payouts: tuple[float, ...]
    total_stake: float
    worst_payout: float
    #: ``worst_payout - total_stake`` (guaranteed when positive; negative: no arbitrage).
    profit: float
    #: ``100 * profit / total_stake``.
    return_pct: float


def _checked(decimals: Sequence[float]) -> list[float]:
    if len(decimals) < 2:
        raise OddsError(f"a market needs at least 2 outcomes, got {len(decimals)}")
    return [check_decimal(d) for d in decimals]


def arbitrage_sum(decimals: Sequence[float]) -> float:
    """``S = sum(1/d)``."""
    return sum(1.0 / d for d in _checked(decimals))


def is_arbitrage(decimals: Sequence[float]) -> bool:
    """``S < 1``: some stake split wins whatever happens."""
    return arbitrage_sum(decimals) < 1.0


def arbitrage_return(decimals: Sequence[float]) -> float:
    """The guaranteed return of the equal-payout split, a fraction: ``1/S - 1``
    (negative when there is no arbitrage)."""
    return 1.0 / arbitrage_sum(decimals) - 1.0


def low_hold(decimals: Sequence[float]) -> float:
    """The hold of the best-price combination: ``1 - 1/S`` (negative: an arbitrage;
    0-2% is useful for hedging and promo conversion)."""
    return 1.0 - 1.0 / arbitrage_sum(decimals)


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not (v > 0.0 and math.isfinite(v)):
        raise OddsError(f"{name} must be a positive number, not {value!r}")
    return v


def stake_split(
    decimals: Sequence[float],
    *,
    total: float = 100.0,
    cap: tuple[int, float] | None = None,
    unit: float | None = None,
) -> StakeSplit:
    """Split ``total`` so every outcome pays the same: ``stake_i = T (1/d_i) / S``, each
    paying ``T/S``.

    ``cap=(j, x)``: leg ``j`` takes at most ``x`` (a book's limit), so the total shrinks
    to ``T = min(total, x d_j S)``. ``unit``: every stake is rounded to the nearest
    multiple of ``unit`` (at least one unit, and for the capped leg never above the cap)
    and payouts, profit and return are those of the rounded stakes. Works for any
    market: without an arbitrage the profit is negative (the cost of hedging).
    """
    ds = _checked(decimals)
    q = [1.0 / d for d in ds]
    s = sum(q)
    t = _positive("total", total)
    cap_index = -1
    cap_stake = math.inf
    if cap is not None:
        cap_index, cap_value = cap
        if not 0 <= cap_index < len(q):
            raise OddsError(f"cap leg {cap_index} is not one of the {len(q)} outcomes")
        cap_stake = _positive("cap", cap_value)
        t = min(t, cap_stake * ds[cap_index] * s)
    stakes = [t * v / s for v in q]
    if cap_index >= 0:  # x d_j S (1/d_j) / S can round a hair above x
        stakes[cap_index] = min(stakes[cap_index], cap_stake)
    if unit is not None:
        u = _positive("unit", unit)
        for i, stake in enumerate(stakes):
            units = max(1, math.floor(stake / u + 0.5))
            if i == cap_index:
                most = math.floor(cap_stake / u * (1.0 + 1e-12))
                if most < 1:
                    raise OddsError(f"cap {cap_stake} on leg {i} is less than one unit ({u})")
                units = min(units, most)
            stakes[i] = units * u
    payouts = tuple(stake * d for stake, d in zip(stakes, ds, strict=True))
    total_stake = sum(stakes)
    worst = min(payouts)
    profit = worst - total_stake
    return StakeSplit(
        stakes=tuple(stakes),
        payouts=payouts,
        total_stake=total_stake,
        worst_payout=worst,
        profit=profit,
        return_pct=100.0 * profit / total_stake,
    )
