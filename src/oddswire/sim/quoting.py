"""Turning a book's view of a game into its prices for one market group.

Each book's main spread/total is the half-point line whose probability is closest to
even under its own view (with a little hysteresis so it does not flap), alternates sit
at fixed steps around it, and one noise draw per re-quote shifts every line of the group
the same way, so prices stay monotonic in the line.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, format_number, format_side
from oddswire.refdata.results import DRAW, OVER, UNDER
from oddswire.sim.books import MAX_MARGIN, Book
from oddswire.sim.dist import Dist
from oddswire.sim.markets import Group, Kind, Scope
from oddswire.sim.players import NBA_TEAM_POINTS
from oddswire.sim.pricing import P_HI, P_LO, price_market
from oddswire.sim.sports import SportModel
from oddswire.sim.view import View

#: (participant id, participant type, line, price, status, is main line)
Entry = tuple[int, ParticipantType, str, float, PriceStatus, bool]

TEAM = ParticipantType.TEAM
RESULT = ParticipantType.RESULT
PLAYER = ParticipantType.PLAYER
OPEN = PriceStatus.OPEN
OFF = PriceStatus.OFF_BOARD
#: A book keeps its main line while it is nearly as close to even as the best line.
HYSTERESIS = 0.015
KEEP_WITHIN = 0.035


def find_main(
    g: Callable[[float], float],
    guess: float,
    current: float | None,
    lo: float | None = None,
    step: float = 1.0,
) -> float:
    """The line x (on a ``step`` grid offset by .5) with P(X > x) closest to 0.5."""
    x = math.floor(guess) + 0.5
    if lo is not None and x < lo:
        x = lo
    p = g(x)
    for _ in range(80):
        nx = x + step if p > 0.5 else x - step
        if lo is not None and nx < lo:
            break
        np_ = g(nx)
        if abs(np_ - 0.5) >= abs(p - 0.5):
            break
        x, p = nx, np_
    if current is not None and current != x and (lo is None or current >= lo):
        off = abs(g(current) - 0.5)
        if off <= abs(p - 0.5) + HYSTERESIS and off < KEEP_WITHIN:
            return current
    return x


def _pair(
    pricer: Callable[[float], tuple[float, float]], p: float, main: bool
) -> tuple[float, float, PriceStatus] | None:
    """Prices of a two-way pair (the side with probability ``p`` first) and its status.

    Outside the quotable band a main line is pulled off the board (status OFF, no
    price) and an alternate is not offered at all (None).
    """
    if P_LO <= p <= P_HI:
        first, second = pricer(p)
        return first, second, OPEN
    return (0.0, 0.0, OFF) if main else None


def _shift(p: float, k: float) -> float:
    pk = p * k
    return pk / (pk + 1.0 - p)


class Quoter:
    """Prices the groups of one event for any book."""

    __slots__ = ("away_id", "home_id", "sport")

    def __init__(self, sport: SportModel, away_id: int, home_id: int) -> None:
        self.sport = sport
        self.away_id = away_id
        self.home_id = home_id

    def quote(
        self,
        group: Group,
        view: View,
        book: Book,
        mains: list[float],
        eps: float,
        stats: dict[int, list[float]] | None,
        prop_bias: float,
    ) -> list[Entry]:
        """The entries of one group; ``mains`` (the book's main lines) is updated in place."""
        dist = (
            view.full
            if group.scope is Scope.FULL
            else (view.h1 if group.scope is Scope.H1 else view.h2)
        )
        if dist is None:
            return []
        margin = min(MAX_MARGIN, book.margin + group.extra_margin)
        k = math.exp(eps)
        kind = group.kind
        if kind is Kind.MONEYLINE:
            return self._moneyline(dist, book, margin, k)
        if kind is Kind.SPREAD:
            return self._spread(dist, book, margin, k, mains)
        if kind is Kind.TOTAL:
            return self._total(dist, book, margin, k, mains)
        if kind is Kind.TEAM_TOTAL:
            return self._team_totals(dist, book, margin, k, mains)
        return self._prop(group, view, book, margin, k, mains, stats, prop_bias)

    def _moneyline(self, dist: Dist, book: Book, margin: float, k: float) -> list[Entry]:
        ph, pd, pa = dist.win()
        away, home = self.away_id, self.home_id
        if pd > 0.0 and self.sport.has_draw:
            ph, pa = ph * k, pa / k
            s = ph + pd + pa
            ph, pd, pa = ph / s, pd / s, pa / s
            if min(ph, pd, pa) < 0.03 or max(ph, pd, pa) > P_HI:
                return [
                    (away, TEAM, "", 0.0, OFF, True),
                    (home, TEAM, "", 0.0, OFF, True),
                    (DRAW, RESULT, "", 0.0, OFF, True),
                ]
            qa, qh, qd = price_market([pa, ph, pd], min(MAX_MARGIN, margin + 0.006), book.gran)
            return [
                (away, TEAM, "", qa, OPEN, True),
                (home, TEAM, "", qh, OPEN, True),
                (DRAW, RESULT, "", qd, OPEN, True),
            ]
        p = _shift(ph / (ph + pa), k) if ph + pa > 0 else 0.5
        if not P_LO <= p <= P_HI:
            return [(away, TEAM, "", 0.0, OFF, True), (home, TEAM, "", 0.0, OFF, True)]
        qh, qa = book.pricer(margin)(p)
        return [(away, TEAM, "", qa, OPEN, True), (home, TEAM, "", qh, OPEN, True)]

    def _steps(self) -> tuple[int, ...]:
        steps = self.sport.alt_steps
        return (0, *steps, *(-s for s in steps))

    def _spread(
        self, dist: Dist, book: Book, margin: float, k: float, mains: list[float]
    ) -> list[Entry]:
        g = dist.margin_gt
        current = mains[0] if mains else None
        if self.sport.fixed_spread:
            ph = dist.win()[0]
            x = 1.5 if ph >= 0.5 else -1.5
            if current is not None and abs(ph - 0.5) < 0.04:
                x = current
        else:
            x = find_main(g, dist.margin_median, current)
        mains[:] = [x]
        pricer = book.pricer(margin)
        out: list[Entry] = []
        for d in self._steps():
            xx = x + d
            main = d == 0
            pair = _pair(pricer, _shift(g(xx), k), main)
            if pair is not None:
                qh, qa, status = pair
                out.append((self.away_id, TEAM, format_number(xx), qa, status, main))
                out.append((self.home_id, TEAM, format_number(-xx), qh, status, main))
        return out

    def _total(
        self, dist: Dist, book: Book, margin: float, k: float, mains: list[float]
    ) -> list[Entry]:
        g = dist.total_gt
        x = find_main(g, dist.total_median, mains[0] if mains else None, lo=0.5)
        mains[:] = [x]
        pricer = book.pricer(margin)
        out: list[Entry] = []
        for d in self._steps():
            xx = x + d
            main = d == 0
            if xx < 0.5:
                continue
            pair = _pair(pricer, _shift(g(xx), k), main)
            if pair is not None:
                line = format_number(xx)
                qo, qu, status = pair
                out.append((OVER, RESULT, line, qo, status, main))
                out.append((UNDER, RESULT, line, qu, status, main))
        return out

    def _team_totals(
        self, dist: Dist, book: Book, margin: float, k: float, mains: list[float]
    ) -> list[Entry]:
        pricer = book.pricer(margin)
        out: list[Entry] = []
        new_mains: list[float] = []
        for i, (team, home) in enumerate(((self.away_id, False), (self.home_id, True))):

            def g(x: float, home: bool = home) -> float:
                return dist.team_gt(home, x)

            x = find_main(g, dist.team_median(home), mains[i] if len(mains) > i else None, lo=0.5)
            new_mains.append(x)
            pair = _pair(pricer, _shift(g(x), k), True)
            if pair is not None:
                qo, qu, status = pair
                out.append((team, TEAM, format_side(OVER_SIDE, x), qo, status, True))
                out.append((team, TEAM, format_side(UNDER_SIDE, x), qu, status, True))
        mains[:] = new_mains
        return out

    def prop_mean(
        self, group: Group, view: View, stats: dict[int, list[float]] | None, bias: float
    ) -> tuple[float, float]:
        """Mean and sd of a player's final stat under a view (``bias`` in sd units)."""
        assert group.profile is not None
        stat = group.profile.stats[group.stat]
        team = view.exp_home if group.home_player else view.exp_away
        if stat.stat == "points":
            scale = team / NBA_TEAM_POINTS
        elif stat.stat in ("rebounds", "assists"):
            scale = math.sqrt(team / NBA_TEAM_POINTS)
        else:
            scale = math.sqrt(max(1.0, team) / (self.sport.total_mean / 2.0))
        mean = stat.mean * scale + bias * stat.sd
        if not view.live:
            return mean, stat.sd
        f = view.frac_left
        current = stats[group.profile.player.id][group.stat] if stats else 0.0
        return current + mean * f, stat.sd * math.sqrt(f) + 0.5

    def _prop(
        self,
        group: Group,
        view: View,
        book: Book,
        margin: float,
        k: float,
        mains: list[float],
        stats: dict[int, list[float]] | None,
        bias: float,
    ) -> list[Entry]:
        assert group.profile is not None
        step = group.profile.stats[group.stat].step
        mean, sd = self.prop_mean(group, view, stats, bias)
        scale = 1.0 / (sd * math.sqrt(2.0))

        def g(x: float) -> float:
            return 0.5 * math.erfc((x - mean) * scale)

        x = find_main(g, mean, mains[0] if mains else None, lo=0.5)
        mains[:] = [x]
        pid = group.profile.player.id
        pricer = book.pricer(margin)
        out: list[Entry] = []
        for d in (0, 1, -1, 2, -2):
            xx = x + d * step
            main = d == 0
            if xx < 0.5:
                continue
            pair = _pair(pricer, _shift(g(xx), k), main)
            if pair is not None:
                qo, qu, status = pair
                out.append((pid, PLAYER, format_side(OVER_SIDE, xx), qo, status, main))
                out.append((pid, PLAYER, format_side(UNDER_SIDE, xx), qu, status, main))
        return out
