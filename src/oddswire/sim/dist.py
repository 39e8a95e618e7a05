"""Outcome distributions: what a view of a game says about margin, total and team scores.

``NormalDist`` serves the points sports, ``CountDist`` the goal and run sports (Poisson
or negative binomial per side, with the sport's tie rule applied to the final score).
Both answer the same questions, all for half-point lines so there are no pushes.
"""

from __future__ import annotations

import math

from oddswire.sim.rng import SQRT2, negbin_pmf, poisson_pmf
from oddswire.sim.sports import SportModel, TieRule

_TAIL = 1e-9


def tie_home_share(sport: SportModel, mu: float) -> float:
    """Who wins a tie broken after regulation: about even, slightly to the stronger side."""
    return 0.5 + 0.1 * math.tanh(mu / max(1.0, sport.margin_sd * 0.5))


class Dist:
    """P(margin > x), P(total > x), P(team score > x) and win/draw/loss probabilities."""

    margin_median: float = 0.0
    total_median: float = 0.0

    def win(self) -> tuple[float, float, float]:
        """(home, draw, away) probabilities."""
        raise NotImplementedError

    def margin_gt(self, x: float) -> float:
        raise NotImplementedError

    def total_gt(self, x: float) -> float:
        raise NotImplementedError

    def team_gt(self, home: bool, x: float) -> float:
        raise NotImplementedError

    def team_median(self, home: bool) -> float:
        raise NotImplementedError


class NormalDist(Dist):
    """Margin and total (and each team's score) as normal distributions."""

    __slots__ = ("_ea", "_eh", "_sm", "_st", "_steam", "margin_median", "total_median")

    def __init__(self, mu: float, sm: float, total: float, st: float, eh: float, ea: float) -> None:
        self.margin_median = mu
        self.total_median = total
        self._sm = sm * SQRT2
        self._st = st * SQRT2
        self._steam = max(0.5, math.sqrt(sm * sm + st * st) / 2.0) * SQRT2
        self._eh = eh
        self._ea = ea

    def win(self) -> tuple[float, float, float]:
        p = 0.5 * math.erfc(-self.margin_median / self._sm)
        return p, 0.0, 1.0 - p

    def margin_gt(self, x: float) -> float:
        return 0.5 * math.erfc((x - self.margin_median) / self._sm)

    def total_gt(self, x: float) -> float:
        return 0.5 * math.erfc((x - self.total_median) / self._st)

    def team_gt(self, home: bool, x: float) -> float:
        return 0.5 * math.erfc((x - (self._eh if home else self._ea)) / self._steam)

    def team_median(self, home: bool) -> float:
        return self._eh if home else self._ea


def count_pmf(mean: float, dispersion: float | None) -> list[float]:
    """The pmf of one side's remaining goals or runs."""
    var = mean + (mean * mean / dispersion if dispersion else 0.0)
    n = max(6, int(mean + 6.0 * math.sqrt(var) + 3))
    if dispersion:
        return negbin_pmf(mean, dispersion, n)
    return poisson_pmf(mean, n)


class CountDist(Dist):
    """Final scores as current score plus independent counts per side."""

    __slots__ = ("_draw", "_m0", "_m_gt", "_t0", "_t_gt", "_team", "margin_median", "total_median")

    def __init__(
        self,
        pmf_home: list[float],
        pmf_away: list[float],
        cur_home: int,
        cur_away: int,
        tie_rule: TieRule,
        tie_home: float,
    ) -> None:
        resolve = tie_rule in (TieRule.SHOOTOUT, TieRule.EXTRA_INNINGS)
        margin: dict[int, float] = {}
        total: dict[int, float] = {}
        for i, ph in enumerate(pmf_home):
            if ph < _TAIL:
                continue
            h = cur_home + i
            for j, pa in enumerate(pmf_away):
                p = ph * pa
                if p < _TAIL:
                    continue
                a = cur_away + j
                if resolve and h == a:
                    margin[1] = margin.get(1, 0.0) + p * tie_home
                    margin[-1] = margin.get(-1, 0.0) + p * (1.0 - tie_home)
                    total[h + a + 1] = total.get(h + a + 1, 0.0) + p
                else:
                    margin[h - a] = margin.get(h - a, 0.0) + p
                    total[h + a] = total.get(h + a, 0.0) + p
        self._draw = margin.get(0, 0.0)
        self._m0, self._m_gt = _survival(margin)
        self._t0, self._t_gt = _survival(total)
        self._team = (
            _survival({cur_home + i: p for i, p in enumerate(pmf_home)}),
            _survival({cur_away + j: p for j, p in enumerate(pmf_away)}),
        )
        self.margin_median = _median(self._m0, self._m_gt)
        self.total_median = _median(self._t0, self._t_gt)

    def win(self) -> tuple[float, float, float]:
        home = self.margin_gt(0.5)
        return home, self._draw, max(0.0, 1.0 - home - self._draw)

    def margin_gt(self, x: float) -> float:
        return _gt(self._m0, self._m_gt, x)

    def total_gt(self, x: float) -> float:
        return _gt(self._t0, self._t_gt, x)

    def team_gt(self, home: bool, x: float) -> float:
        lo, gt = self._team[0 if home else 1]
        return _gt(lo, gt, x)

    def team_median(self, home: bool) -> float:
        lo, gt = self._team[0 if home else 1]
        return _median(lo, gt)


def _survival(pmf: dict[int, float]) -> tuple[int, list[float]]:
    """(lo, s) with s[k] = P(X >= lo + k), normalised."""
    lo, hi = min(pmf), max(pmf)
    norm = sum(pmf.values()) or 1.0
    s = [0.0] * (hi - lo + 2)
    acc = 0.0
    for k in range(hi, lo - 1, -1):
        acc += pmf.get(k, 0.0) / norm
        s[k - lo] = acc
    return lo, s


def _gt(lo: int, s: list[float], x: float) -> float:
    """P(X > x) for a half-integer (or any) x."""
    k = math.floor(x) + 1 - lo
    if k <= 0:
        return 1.0
    if k >= len(s):
        return 0.0
    return min(1.0, s[k])


def _median(lo: int, s: list[float]) -> float:
    for k in range(len(s) - 1, -1, -1):
        if s[k] >= 0.5:
            return float(lo + k)
    return float(lo)
