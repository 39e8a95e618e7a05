"""Game progression: status, periods, clock, scores and player statistics.

A game runs on a fixed 5-second grid from its scheduled start, drawing from its own
random stream, with scoring rates taken from the event's truth at each tick; so its
state at a given simulated time depends only on (seed, event_id, time), whenever the
simulator was started.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from oddswire.model.event import EventStatus
from oddswire.sim.dist import tie_home_share
from oddswire.sim.plan import Segment, inning_segments, overtime, regulation, regulation_play_real
from oddswire.sim.players import NBA_TEAM_ASSISTS, NBA_TEAM_POINTS, NBA_TEAM_REBOUNDS, Profile
from oddswire.sim.rng import make_rng, negbin_pmf
from oddswire.sim.sports import Family, SportModel, TieRule
from oddswire.sim.truth import BaseLine

TICK_S = 5
TICK_US = TICK_S * 1_000_000
MAX_INNINGS = 15


@dataclass(slots=True)
class GameState:
    """Where a game stands. ``version`` changes with the score, status or period."""

    status: EventStatus = EventStatus.SCHEDULED
    detail: str = ""
    period: int = 0
    clock: int = 0
    home: int = 0
    away: int = 0
    home_by_period: list[int] = field(default_factory=list)
    away_by_period: list[int] = field(default_factory=list)
    #: Fractions of regulation play, of the first half and of the second half still to come.
    frac_left: float = 1.0
    h1_frac_left: float = 1.0
    h2_frac_left: float = 1.0
    #: 1 until halftime, 2 from halftime on.
    half: int = 1
    h1_home: int = 0
    h1_away: int = 0
    final: bool = False
    version: int = 0
    #: Player id -> statistics, in the order of the player's PropStats.
    stats: dict[int, list[float]] = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return self.status is not EventStatus.SCHEDULED and not self.final


class _Side:
    """Per-team attribution weights for player statistics."""

    def __init__(self, sport: SportModel, players: list[Profile]) -> None:
        self.players = players
        self.ids = [p.player.id for p in players]

        def weights(idx: int, team_total: float) -> list[float]:
            ws = [p.stats[idx].mean / team_total for p in players]
            acc, out = 0.0, []
            for w in ws:
                acc += w
                out.append(acc)
            return out

        self.is_nba = sport.key == "nba" and bool(players)
        self.pts = weights(0, NBA_TEAM_POINTS) if self.is_nba else []
        self.reb = weights(1, NBA_TEAM_REBOUNDS) if self.is_nba else []
        self.ast = weights(2, NBA_TEAM_ASSISTS) if self.is_nba else []


def _pick(rng: Random, cum: list[float]) -> int:
    """Index drawn from cumulative weights; len(cum) (the bench) for the remainder."""
    u = rng.random()
    for i, c in enumerate(cum):
        if u < c:
            return i
    return len(cum)


class Game:
    """One game's progression; call :meth:`advance` with increasing times."""

    def __init__(
        self,
        sport: SportModel,
        seed: int,
        event_id: str,
        start_us: int,
        expect: Callable[[int], BaseLine],
        home: list[Profile],
        away: list[Profile],
    ) -> None:
        self.sport = sport
        self.start_us = start_us
        self.state = GameState()
        self._expect = expect
        self._rng = make_rng(seed, "game", event_id)
        self._segments = regulation(sport)
        self._seg = -1
        self._seg_ticks = 0
        self._tick = 0
        self._play_real = regulation_play_real(sport)
        self._play_ticks = 0
        self._h1_real = sum(
            s.real for s in self._segments if s.play and s.period <= sport.half_after
        )
        self._h2_real = self._play_real - self._h1_real
        self._possession = self._rng.random() < 0.5
        self._runs: list[int] = []
        self._overtime = False
        self._sides = (_Side(sport, home), _Side(sport, away))
        for profile in home + away:
            self.state.stats[profile.player.id] = [0.0] * len(profile.stats)

    # ---------------------------------------------------------------- driving

    @property
    def tick(self) -> int:
        """Grid ticks processed so far."""
        return self._tick

    def advance(self, t_us: int) -> GameState:
        """Run the game up to time ``t_us`` (never backwards) and return its state."""
        if t_us < self.start_us:
            return self.state
        target = (t_us - self.start_us) // TICK_US
        while self._tick <= target and not self.state.final:
            if self._tick == 0:
                self._enter(0)
            else:
                self._process(self.start_us + self._tick * TICK_US)
            self._tick += 1
        return self.state

    def _segment(self) -> Segment:
        return self._segments[self._seg]

    def _enter(self, index: int) -> None:
        st = self.state
        self._seg = index
        self._seg_ticks = 0
        seg = self._segments[index]
        st.status = seg.status
        st.detail = seg.detail
        st.period = seg.period
        st.clock = seg.clock if seg.play else 0
        while len(st.home_by_period) < seg.period:
            st.home_by_period.append(0)
            st.away_by_period.append(0)
        if seg.status is EventStatus.HALFTIME:
            st.half = 2
            st.h1_home, st.h1_away = st.home, st.away
            st.h1_frac_left = 0.0
        if seg.play and self.sport.tie_rule is TieRule.EXTRA_INNINGS:
            self._draw_runs(seg)
        st.version += 1

    def _process(self, t_us: int) -> None:
        seg = self._segment()
        self._seg_ticks += 1
        elapsed = self._seg_ticks * TICK_S
        st = self.state
        if seg.play:
            if not seg.overtime:
                self._play_ticks += 1
                played = self._play_ticks * TICK_S
                st.frac_left = max(0.0, 1.0 - played / self._play_real)
                if st.half == 1 and self._h1_real:
                    st.h1_frac_left = max(0.0, 1.0 - played / self._h1_real)
                elif self._h2_real:
                    st.h2_frac_left = max(0.0, 1.0 - (played - self._h1_real) / self._h2_real)
            else:
                st.frac_left = 0.0
            if seg.clock:
                if self.sport.soccer:  # the clock runs at real speed, then stoppage time
                    st.clock = max(0, seg.clock - elapsed)
                else:
                    st.clock = max(0, round(seg.clock * (1.0 - elapsed / seg.real)))
            self._score(seg, t_us)
            if st.final:
                return
        if elapsed >= seg.real:
            self._end_segment(seg)

    # ---------------------------------------------------------------- scoring

    def _score(self, seg: Segment, t_us: int) -> None:
        sport = self.sport
        line = self._expect(t_us)
        frac = TICK_S / self._play_real
        if sport.tie_rule is TieRule.EXTRA_INNINGS:
            while self._runs and self._runs[0] <= self._seg_ticks:
                self._runs.pop(0)
                self._add(seg.side == 1, 1)
            if seg.side == 1 and seg.period >= sport.periods and self.state.home > self.state.away:
                self._finish()
            return
        if sport.family is Family.COUNT:
            boost = 1.3 if seg.overtime else 1.0
            for home, lam in ((True, line.lam_home), (False, line.lam_away)):
                if self._rng.random() < lam * frac * boost:
                    self._add(home, 1)
            if seg.overtime and self.state.home != self.state.away:
                self._finish("Final/OT")
            return
        if self._rng.random() >= 2.0 * sport.chances * frac:
            return
        home = self._possession
        self._possession = not home
        expected = max(1.0, (line.total + line.mu) / 2.0 if home else (line.total - line.mu) / 2.0)
        m = expected / sport.chances
        u = self._rng.random()
        side = self._sides[0 if home else 1]
        if sport.key in ("nba", "ncaab"):
            points = 3 if u < 0.115 * m else 2 if u < 0.42 * m else 1 if u < 0.465 * m else 0
            if side.is_nba:
                self._basketball_stats(home, points)
        else:
            points = 7 if u < 0.105 * m else 3 if u < 0.1933 * m else 0
            if side.players:
                self._football_stats(side, expected)
        if points:
            self._add(home, points)
            if seg.overtime and sport.tie_points == 3 and self.state.home != self.state.away:
                self._finish("Final/OT")

    def _add(self, home: bool, points: int) -> None:
        st = self.state
        if home:
            st.home += points
            st.home_by_period[-1] += points
        else:
            st.away += points
            st.away_by_period[-1] += points
        st.version += 1

    def _basketball_stats(self, home: bool, points: int) -> None:
        rng = self._rng
        stats = self.state.stats
        side = self._sides[0 if home else 1]
        if points:
            i = _pick(rng, side.pts)
            if i < len(side.ids):
                stats[side.ids[i]][0] += points
            if points >= 2 and rng.random() < 0.6:
                j = _pick(rng, side.ast)
                if j < len(side.ids):
                    stats[side.ids[j]][2] += 1
        elif rng.random() < 0.85:
            rebounder = self._sides[1 if (rng.random() < 0.75) == home else 0]
            k = _pick(rng, rebounder.reb)
            if k < len(rebounder.ids):
                stats[rebounder.ids[k]][1] += 1

    def _football_stats(self, side: _Side, expected: float) -> None:
        rng = self._rng
        stats = self.state.stats
        qb, rb, wr1, wr2 = side.players
        scale = math.sqrt(expected / (self.sport.total_mean / 2.0))
        chances = self.sport.chances
        passing = max(0.0, rng.gauss(qb.stats[0].mean / chances * scale, 14.0))
        rushing = rng.gauss(rb.stats[0].mean / chances * scale, 9.0)
        stats[qb.player.id][0] += passing
        stats[rb.player.id][0] = max(0.0, stats[rb.player.id][0] + rushing)
        w1 = min(0.9, max(0.0, rng.gauss(wr1.stats[0].mean / qb.stats[0].mean, 0.15)))
        w2 = min(1.0 - w1, max(0.0, rng.gauss(wr2.stats[0].mean / qb.stats[0].mean, 0.12)))
        stats[wr1.player.id][0] += passing * w1
        stats[wr2.player.id][0] += passing * w2

    def _draw_runs(self, seg: Segment) -> None:
        sport = self.sport
        line = self._expect(self.start_us + self._tick * TICK_US)
        lam = (line.lam_home if seg.side == 1 else line.lam_away) / sport.periods
        if seg.overtime:
            lam *= 1.4
        r = (sport.dispersion or 5.4) / sport.periods
        pmf = negbin_pmf(lam, r, 12)
        u, runs = self._rng.random(), 0
        while runs < 11 and u >= pmf[runs]:
            u -= pmf[runs]
            runs += 1
        ticks = max(1, seg.real // TICK_S)
        self._runs = sorted(self._rng.randrange(1, ticks + 1) for _ in range(runs))

    # ------------------------------------------------------------ transitions

    def _end_segment(self, seg: Segment) -> None:
        st = self.state
        sport = self.sport
        if sport.tie_rule is TieRule.EXTRA_INNINGS:
            last = seg.period >= sport.periods
            if last and seg.side == 0 and st.home > st.away:
                self._finish()
                return
            if last and seg.side == 1 and st.home != st.away:
                self._finish()
                return
            if last and seg.side == 1:
                if seg.period >= MAX_INNINGS:
                    self._break_tie()
                    return
                self._segments.extend(inning_segments(sport, seg.period + 1))
        if self._seg + 1 < len(self._segments):
            self._enter(self._seg + 1)
            return
        if st.home != st.away or sport.tie_rule is TieRule.DRAW:
            self._finish("Final/OT" if self._overtime else "Final")
        elif not self._overtime:
            self._overtime = True
            st.frac_left = 0.0
            self._segments.extend(overtime(sport))
            self._enter(self._seg + 1)
        else:
            self._break_tie()

    def _break_tie(self) -> None:
        line = self._expect(self.start_us + self._tick * TICK_US)
        p_home = tie_home_share(self.sport, line.mu)
        self._add(self._rng.random() < p_home, max(1, self.sport.tie_points))
        shootout = self.sport.tie_rule is TieRule.SHOOTOUT
        self._finish("Final/SO" if shootout else "Final/OT")

    def _finish(self, detail: str = "Final") -> None:
        st = self.state
        if self.sport.tie_rule is TieRule.EXTRA_INNINGS and st.period > self.sport.periods:
            detail = f"Final/{st.period}"
        st.status = EventStatus.FINAL
        st.detail = detail
        st.clock = 0
        st.frac_left = st.h1_frac_left = st.h2_frac_left = 0.0
        st.final = True
        st.version += 1


__all__ = ["TICK_US", "Game", "GameState"]
