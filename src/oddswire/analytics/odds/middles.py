"""Middles: two opposite bets on different lines, and what they return for every final
result (reference §4.6).

Results are integers: the total points (totals), or the home side's winning margin
``m = home score - away score`` (spreads, negative when the away side wins). The first
leg is the Over (totals) or the home side (spreads), the second the Under or the away
side. A leg that wins returns ``stake (d - 1)`` profit, a push returns its stake
(profit 0), a loss costs the stake.

Region outcomes, in terms of the two legs:

- ``"both win"``: the middle hits;
- ``"first wins"`` / ``"second wins"``: one leg wins, the other loses;
- ``"first wins, second pushes"`` / ``"second wins, first pushes"``;
- ``"both push"`` (both lines the same integer, hit exactly);
- ``"both lose"``, ``"first pushes, second loses"``, ``"second pushes, first loses"``:
  only when the lines overlap the wrong way (width < 0, a "reverse middle").

Lines can be any finite number; quarter (Asian) lines are compared as numbers, not split
into two half bets.
"""

from __future__ import annotations

import math

import msgspec

from oddswire.analytics.odds.formats import OddsError, check_decimal

_WIN, _PUSH, _LOSE = 1, 0, -1

_OUTCOMES = {
    (_WIN, _WIN): "both win",
    (_WIN, _LOSE): "first wins",
    (_LOSE, _WIN): "second wins",
    (_WIN, _PUSH): "first wins, second pushes",
    (_PUSH, _WIN): "second wins, first pushes",
    (_PUSH, _PUSH): "both push",
    (_LOSE, _LOSE): "both lose",
    (_PUSH, _LOSE): "first pushes, second loses",
    (_LOSE, _PUSH): "second pushes, first loses",
}


class MiddleRegion(msgspec.Struct, frozen=True, kw_only=True):
    """The integer results ``low..high`` (inclusive; None: unbounded) and what the two
    bets return in them."""

    low: float | None
    high: float | None
    #: Profit on the stakes (negative: a loss).
    profit: float
    #: Profit over the total stake, in percent.
    profit_pct: float
    #: Which legs win, push or lose (see the module docstring).
    outcome: str


class Middle(msgspec.Struct, frozen=True, kw_only=True):
    """Both legs of a middle, and the regions of results, lowest results first."""

    #: (first, second): Over/home, then Under/away.
    stakes: tuple[float, float]
    #: Points between the lines (Under - Over for totals, home + away lines for
    #: spreads); 0 or less: no middle.
    width: float
    #: Every integer result in exactly one region; neighbours with the same outcome (and
    #: so the same profit) are merged; the first and last are unbounded.
    regions: tuple[MiddleRegion, ...]
    best_pct: float
    worst_pct: float
    #: Some result wins both bets. (Lines half a point apart, such as Over 47.5 and
    #: Under 48, have width > 0 but only a "first wins, second pushes" region.)
    is_middle: bool


def _line(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise OddsError(f"{name} must be a finite line, not {value!r}")
    return v


def _stakes(
    d1: float, d2: float, total: float, stakes: tuple[float, float] | None
) -> tuple[float, float]:
    if stakes is None:
        t = float(total)
        if not (t > 0.0 and math.isfinite(t)):
            raise OddsError(f"total must be a positive number, not {total!r}")
        return t * d2 / (d1 + d2), t * d1 / (d1 + d2)
    first, second = (float(s) for s in stakes)
    if not (first > 0.0 and second > 0.0 and math.isfinite(first + second)):
        raise OddsError(f"stakes must be positive numbers, not {stakes!r}")
    return first, second


def _middle(
    first_above: float,
    d1: float,
    second_below: float,
    d2: float,
    width: float,
    total: float,
    stakes: tuple[float, float] | None,
) -> Middle:
    """First leg wins when r > first_above (push at equality), second when
    r < second_below (push at equality)."""
    d1 = check_decimal(d1)
    d2 = check_decimal(d2)
    s1, s2 = _stakes(d1, d2, total, stakes)
    staked = s1 + s2
    leg_profit = (
        {_WIN: s1 * (d1 - 1.0), _PUSH: 0.0, _LOSE: -s1},
        {_WIN: s2 * (d2 - 1.0), _PUSH: 0.0, _LOSE: -s2},
    )
    # Each leg's state changes only between floor(line) - 1 .. floor(line) + 1, so the
    # results from one of these critical integers to the next all share its state.
    critical = sorted({math.floor(a) + k for a in (first_above, second_below) for k in (-1, 0, 1)})
    regions: list[MiddleRegion] = []
    previous: tuple[int, int] | None = None
    for r in critical:
        first = _WIN if r > first_above else _PUSH if r == first_above else _LOSE
        second = _WIN if r < second_below else _PUSH if r == second_below else _LOSE
        state = (first, second)
        if state == previous:
            continue
        if regions:
            regions[-1] = msgspec.structs.replace(regions[-1], high=float(r - 1))
        profit = leg_profit[0][first] + leg_profit[1][second]
        regions.append(
            MiddleRegion(
                low=float(r) if regions else None,
                high=None,
                profit=profit,
                profit_pct=100.0 * profit / staked,
                outcome=_OUTCOMES[state],
            )
        )
        previous = state
    pcts = [region.profit_pct for region in regions]
    return Middle(
        stakes=(s1, s2),
        width=width,
        regions=tuple(regions),
        best_pct=max(pcts),
        worst_pct=min(pcts),
        is_middle=any(region.outcome == "both win" for region in regions),
    )


def total_middle(
    over_line: float,
    over_decimal: float,
    under_line: float,
    under_decimal: float,
    *,
    total: float = 100.0,
    stakes: tuple[float, float] | None = None,
) -> Middle:
    """Over ``over_line`` and Under ``under_line``: the Over wins above its line, the
    Under below its line, each pushes on it. Without ``stakes`` (Over, Under), ``total``
    is split so both pay the same (``s_o d_o = s_u d_u``)."""
    a = _line("over_line", over_line)
    b = _line("under_line", under_line)
    return _middle(a, over_decimal, b, under_decimal, b - a, total, stakes)


def spread_middle(
    home_line: float,
    home_decimal: float,
    away_line: float,
    away_decimal: float,
    *,
    total: float = 100.0,
    stakes: tuple[float, float] | None = None,
) -> Middle:
    """Home ``home_line`` and away ``away_line`` (each side's own spread, e.g. -4.5 and
    +5.5), over the home margin ``m``: home covers iff ``m + home_line > 0`` (push at 0),
    away covers iff ``m < away_line`` (push at equality). A middle exists iff
    ``home_line + away_line > 0`` (-4.5/+5.5: m = 5 wins both). Stakes as in
    :func:`total_middle`, (home, away)."""
    h = _line("home_line", home_line)
    a = _line("away_line", away_line)
    return _middle(-h, home_decimal, a, away_decimal, h + a, total, stakes)
