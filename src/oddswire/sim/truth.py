"""The hidden truth of each event: team strengths, then a drifting, jumping latent state.

The latent state ``(a, b)`` shifts the expected margin by ``a`` and the expected total by
``b``, both in units of the sport's standard deviations. It is a Brownian motion plus
news jumps, laid on a fixed minute grid from a fixed origin (a week before the start),
so its value at a given time depends only on (seed, event_id, time): hourly increments
come from one stream per event, the minutes inside an hour from a Brownian bridge seeded
by (seed, event_id, hour), and the jumps from a pre-drawn Poisson schedule.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from oddswire.sim.rng import make_rng, truncated_gauss
from oddswire.sim.sports import Family, SportModel

MINUTE_US = 60_000_000
ORIGIN_MINUTES = 7 * 1440
HORIZON_MINUTES = 14 * 1440
DRIFT_PER_SQRT_DAY = 0.08
JUMPS_PER_DAY = 3.0
#: Jumps at least this big (in sd units) make books pull the affected lines.
PULL_JUMP = 0.10


@dataclass(frozen=True, slots=True)
class TeamRating:
    """A team's hidden strength: points (margin, total tilt) or log attack/defence."""

    strength: float
    tilt: float


def team_rating(seed: int, team_id: int, sport: SportModel) -> TeamRating:
    """Deterministic from (seed, team_id), so favourites are consistent across games."""
    rng = make_rng(seed, "team", team_id)
    return TeamRating(
        strength=rng.gauss(0.0, sport.rating_sd),
        tilt=rng.gauss(0.0, sport.tilt_sd if sport.family is Family.POINTS else sport.rating_sd),
    )


@dataclass(frozen=True, slots=True)
class BaseLine:
    """Pre-drift expectations: margin/total (points) or home/away rates (count)."""

    mu: float
    total: float
    lam_home: float
    lam_away: float


def base_line(sport: SportModel, home: TeamRating, away: TeamRating) -> BaseLine:
    """The opening truth of a game from its teams' ratings."""
    if sport.family is Family.POINTS:
        mu = home.strength - away.strength + sport.home_adv
        total = sport.total_mean + home.tilt + away.tilt
        return BaseLine(mu=mu, total=total, lam_home=0.0, lam_away=0.0)
    half = sport.total_mean / 2.0
    lam_h = half * math.exp(home.strength - away.tilt + sport.home_adv / 2.0)
    lam_a = half * math.exp(away.strength - home.tilt - sport.home_adv / 2.0)
    return BaseLine(mu=lam_h - lam_a, total=lam_h + lam_a, lam_home=lam_h, lam_away=lam_a)


@dataclass(frozen=True, slots=True)
class Jump:
    """A news jump at a grid minute, in sd units on the margin (``da``) or total (``db``)."""

    minute: int
    da: float
    db: float

    @property
    def pulls(self) -> bool:
        return max(abs(self.da), abs(self.db)) >= PULL_JUMP


class TruthPath:
    """The latent ``(a, b)`` of one event as a function of simulated time."""

    __slots__ = (
        "_bridges",
        "_cum",
        "_drift_rng",
        "_eid",
        "_hour_sd",
        "_jump_a",
        "_jump_b",
        "_jump_min",
        "_seed",
        "jumps",
        "origin_minute",
    )

    def __init__(self, seed: int, event_id: str, start_us: int) -> None:
        self._seed = seed
        self._eid = event_id
        self.origin_minute = start_us // MINUTE_US - ORIGIN_MINUTES
        self._hour_sd = DRIFT_PER_SQRT_DAY / math.sqrt(24.0)
        self._drift_rng = make_rng(seed, "drift", event_id)
        self._cum: list[tuple[float, float]] = [(0.0, 0.0)]
        self._bridges: dict[int, list[tuple[float, float]]] = {}
        self.jumps = _draw_jumps(seed, event_id)
        self._jump_min = [j.minute for j in self.jumps]
        cum_a = cum_b = 0.0
        self._jump_a: list[float] = []
        self._jump_b: list[float] = []
        for j in self.jumps:
            cum_a += j.da
            cum_b += j.db
            self._jump_a.append(cum_a)
            self._jump_b.append(cum_b)

    def minute_of(self, t_us: int) -> int:
        """The grid minute (from the origin) holding time ``t_us``."""
        return max(0, min(HORIZON_MINUTES, t_us // MINUTE_US - self.origin_minute))

    def jump_time_us(self, jump: Jump) -> int:
        return (self.origin_minute + jump.minute) * MINUTE_US

    def latent(self, minute: int) -> tuple[float, float]:
        """``(a, b)`` at a grid minute."""
        hour, k = divmod(minute, 60)
        while len(self._cum) <= hour + 1:
            a, b = self._cum[-1]
            rng = self._drift_rng
            self._cum.append((a + rng.gauss(0.0, self._hour_sd), b + rng.gauss(0.0, self._hour_sd)))
        a0, b0 = self._cum[hour]
        bridge = self._bridges.get(hour)
        if bridge is None:
            bridge = self._bridge(hour)
        ba, bb = bridge[k]
        a, b = a0 + ba, b0 + bb
        i = bisect_right(self._jump_min, minute)
        if i:
            a += self._jump_a[i - 1]
            b += self._jump_b[i - 1]
        return a, b

    def _bridge(self, hour: int) -> list[tuple[float, float]]:
        a0, b0 = self._cum[hour]
        a1, b1 = self._cum[hour + 1]
        rng = make_rng(self._seed, "bridge", self._eid, hour)
        sd = self._hour_sd / math.sqrt(60.0)
        wa = [0.0]
        wb = [0.0]
        for _ in range(60):
            wa.append(wa[-1] + rng.gauss(0.0, sd))
            wb.append(wb[-1] + rng.gauss(0.0, sd))
        ea, eb = a1 - a0 - wa[60], b1 - b0 - wb[60]
        out = [(wa[k] + ea * k / 60.0, wb[k] + eb * k / 60.0) for k in range(61)]
        if len(self._bridges) >= 4:
            del self._bridges[min(self._bridges)]
        self._bridges[hour] = out
        return out


def _draw_jumps(seed: int, event_id: str) -> list[Jump]:
    rng = make_rng(seed, "jumps", event_id)
    jumps: list[Jump] = []
    t = 0.0
    mean_gap = 1440.0 / JUMPS_PER_DAY
    while True:
        t += rng.expovariate(1.0 / mean_gap)
        if t >= HORIZON_MINUTES:
            return jumps
        u = rng.random()
        sign = 1.0 if rng.random() < 0.5 else -1.0
        if u < 0.70:
            size = truncated_gauss(rng, 0.03, 2.3)
        elif u < 0.95:
            size = sign * (PULL_JUMP + abs(rng.gauss(0.0, 0.08)))
        else:
            size = sign * (0.25 + abs(rng.gauss(0.0, 0.15)))
        on_margin = rng.random() < 0.75
        jumps.append(
            Jump(minute=int(t), da=size if on_margin else 0.0, db=0.0 if on_margin else size)
        )


def apply_latent(sport: SportModel, base: BaseLine, a: float, b: float) -> BaseLine:
    """The expectations after shifting margin by ``a`` and total by ``b`` sd units."""
    if sport.family is Family.POINTS:
        return BaseLine(
            mu=base.mu + a * sport.margin_sd,
            total=base.total + b * sport.total_sd,
            lam_home=0.0,
            lam_away=0.0,
        )
    scale = math.sqrt(
        base.total + (base.total**2 / (2 * sport.dispersion) if sport.dispersion else 0.0)
    )
    dm = a * scale
    dt = b * scale * 0.5
    lam_h = max(0.05, base.lam_home + (dm + dt) / 2.0)
    lam_a = max(0.05, base.lam_away + (dt - dm) / 2.0)
    return BaseLine(mu=lam_h - lam_a, total=lam_h + lam_a, lam_home=lam_h, lam_away=lam_a)
