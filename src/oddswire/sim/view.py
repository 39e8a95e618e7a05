"""A view of one game: distributions for the full game and its halves, prematch or live.

Live, the final result is the current score plus what the remaining fraction of the game
adds, so prices move with the score and the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from oddswire.sim.dist import CountDist, Dist, NormalDist, count_pmf, tie_home_share
from oddswire.sim.game import GameState
from oddswire.sim.sports import Family, SportModel, TieRule
from oddswire.sim.truth import BaseLine

#: Variance floor (points^2) so a finished-looking game never has a zero-width distribution.
_FLOOR = 0.25


@dataclass(slots=True)
class View:
    """Distributions of one view; ``h1``/``h2`` are None where the sport has no halves."""

    full: Dist
    h1: Dist | None
    h2: Dist | None
    #: Expected final score of each team (props scale with it).
    exp_home: float
    exp_away: float
    #: Fraction of regulation still to play (1 before the start).
    frac_left: float
    live: bool


def build_view(sport: SportModel, line: BaseLine, game: GameState | None) -> View:
    """The view given expectations ``line`` and, once started, the game state."""
    live = game is not None and game.live
    f = game.frac_left if game is not None and live else 1.0
    cur_h = game.home if game is not None and live else 0
    cur_a = game.away if game is not None and live else 0
    if sport.family is Family.POINTS:
        return _points_view(sport, line, game if live else None, f, cur_h, cur_a)
    return _count_view(sport, line, game if live else None, f, cur_h, cur_a)


def _normal(
    sport: SportModel,
    mu: float,
    total: float,
    share: float,
    cm: int = 0,
    ct: int = 0,
    ch: int = 0,
    ca: int = 0,
) -> NormalDist:
    sm = math.sqrt(sport.margin_sd**2 * share + _FLOOR)
    st = math.sqrt(sport.total_sd**2 * share + _FLOOR)
    eh = ch + (total + mu) / 2.0 * share
    ea = ca + (total - mu) / 2.0 * share
    return NormalDist(cm + mu * share, sm, ct + total * share, st, eh, ea)


def _points_view(
    sport: SportModel, line: BaseLine, game: GameState | None, f: float, cur_h: int, cur_a: int
) -> View:
    mu, total = line.mu, max(1.0, line.total)
    full = _normal(sport, mu, total, f, cur_h - cur_a, cur_h + cur_a, cur_h, cur_a)
    h1: Dist | None = None
    h2: Dist | None = None
    if sport.has_halves:
        s1 = sport.h1_share
        if game is None:
            h1 = _normal(sport, mu, total, s1)
            h2 = _normal(sport, mu, total, 1.0 - s1)
        elif game.half == 1:
            h1 = _normal(
                sport, mu, total, s1 * game.h1_frac_left, cur_h - cur_a, cur_h + cur_a, cur_h, cur_a
            )
        else:
            g2h, g2a = cur_h - game.h1_home, cur_a - game.h1_away
            h2 = _normal(
                sport, mu, total, (1.0 - s1) * game.h2_frac_left, g2h - g2a, g2h + g2a, g2h, g2a
            )
    return View(full, h1, h2, (total + mu) / 2.0, (total - mu) / 2.0, f, game is not None)


def _count(
    sport: SportModel, line: BaseLine, share: float, cur_h: int, cur_a: int, tie_rule: TieRule
) -> CountDist:
    disp = sport.dispersion * share if sport.dispersion else None
    return CountDist(
        count_pmf(line.lam_home * share, disp),
        count_pmf(line.lam_away * share, disp),
        cur_h,
        cur_a,
        tie_rule,
        tie_home_share(sport, line.mu),
    )


def _count_view(
    sport: SportModel, line: BaseLine, game: GameState | None, f: float, cur_h: int, cur_a: int
) -> View:
    full = _count(sport, line, max(f, 1e-6), cur_h, cur_a, sport.tie_rule)
    h1: Dist | None = None
    h2: Dist | None = None
    if sport.has_halves:
        s1 = sport.h1_share
        if game is None:
            h1 = _count(sport, line, s1, 0, 0, TieRule.DRAW)
            h2 = _count(sport, line, 1.0 - s1, 0, 0, TieRule.DRAW)
        elif game.half == 1:
            h1 = _count(sport, line, max(1e-6, s1 * game.h1_frac_left), cur_h, cur_a, TieRule.DRAW)
        else:
            h2 = _count(
                sport,
                line,
                max(1e-6, (1.0 - s1) * game.h2_frac_left),
                cur_h - game.h1_home,
                cur_a - game.h1_away,
                TieRule.DRAW,
            )
    return View(full, h1, h2, line.lam_home, line.lam_away, f, game is not None)
