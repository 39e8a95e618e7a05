"""Per-sport constants: scoring model, strength spread, game plan and markets.

Two families: *points* sports (basketball, football), where the final margin and total
are close to normal, and *count* sports (hockey, baseball, soccer), where each side's
goals or runs are Poisson-like. Drift, jumps and book bias are expressed in units of
the sport's margin standard deviation, so one set of numbers fits every sport.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Family(Enum):
    POINTS = "points"
    COUNT = "count"


class TieRule(Enum):
    """What happens to a tie at the end of regulation."""

    OVERTIME = "overtime"  # play on (basketball, football)
    SHOOTOUT = "shootout"  # hockey: overtime, then a shootout worth one goal
    EXTRA_INNINGS = "extra_innings"
    DRAW = "draw"  # soccer: the draw stands


@dataclass(frozen=True, slots=True)
class SportModel:
    """How one sport scores, how strong its teams differ and how its games run."""

    sport_id: int
    key: str
    family: Family
    tie_rule: TieRule
    #: Points: sd of the final margin; count: approximate sd (for drift units).
    margin_sd: float
    #: Points: mean and sd of the final total; count: mean total goals/runs.
    total_mean: float
    total_sd: float
    #: Points: sd of team ratings (points); count: sd of log attack/defence ratings.
    rating_sd: float
    #: Home advantage: points for points sports, log-rate for count sports.
    home_adv: float
    #: Sd of each team's effect on the total (points), unused for count sports.
    tilt_sd: float = 0.0
    #: Negative-binomial dispersion per team-game (baseball); None means Poisson.
    dispersion: float | None = None
    #: Share of scoring in the first half; 0 when the sport has no half markets.
    h1_share: float = 0.0
    #: Points sports: scoring chances per team per game and the ball alternates.
    chances: float = 0.0
    #: Regulation periods, game-clock seconds each, real seconds each.
    periods: int = 4
    period_clock: int = 720
    period_real: int = 1800
    #: Real seconds of the break between periods and at halftime (after ``half_after``).
    break_real: int = 150
    halftime_real: int = 900
    half_after: int = 2
    #: Overtime: game-clock and real seconds; the points a tie-break is worth.
    ot_clock: int = 300
    ot_real: int = 750
    tie_points: int = 2
    #: Spread/total alternates around the main line (line steps).
    alt_steps: tuple[int, ...] = (1, 2)
    #: Run/puck line sports fix the main spread at the favourite -1.5.
    fixed_spread: bool = False
    rotation_base: int = 500

    @property
    def has_halves(self) -> bool:
        return self.h1_share > 0.0

    @property
    def has_draw(self) -> bool:
        return self.tie_rule is TieRule.DRAW

    @property
    def soccer(self) -> bool:
        return self.tie_rule is TieRule.DRAW


NCAAF, NFL, MLB, NBA, NCAAB, NHL, MLS, EPL = 1, 2, 3, 4, 5, 6, 10, 11

MODELS: dict[int, SportModel] = {
    NBA: SportModel(
        sport_id=NBA,
        key="nba",
        family=Family.POINTS,
        tie_rule=TieRule.OVERTIME,
        margin_sd=12.0,
        total_mean=228.0,
        total_sd=18.0,
        rating_sd=5.0,
        home_adv=2.5,
        tilt_sd=4.0,
        h1_share=0.505,
        chances=100.0,
        periods=4,
        period_clock=720,
        period_real=1800,
        break_real=150,
        halftime_real=900,
        half_after=2,
        ot_clock=300,
        ot_real=750,
        tie_points=2,
        rotation_base=501,
    ),
    NCAAB: SportModel(
        sport_id=NCAAB,
        key="ncaab",
        family=Family.POINTS,
        tie_rule=TieRule.OVERTIME,
        margin_sd=11.0,
        total_mean=142.0,
        total_sd=15.0,
        rating_sd=7.0,
        home_adv=3.5,
        tilt_sd=5.0,
        h1_share=0.48,
        chances=68.0,
        periods=2,
        period_clock=1200,
        period_real=3150,
        break_real=0,
        halftime_real=900,
        half_after=1,
        ot_clock=300,
        ot_real=600,
        tie_points=2,
        rotation_base=601,
    ),
    NFL: SportModel(
        sport_id=NFL,
        key="nfl",
        family=Family.POINTS,
        tie_rule=TieRule.OVERTIME,
        margin_sd=13.5,
        total_mean=44.0,
        total_sd=10.0,
        rating_sd=5.0,
        home_adv=1.8,
        tilt_sd=2.5,
        h1_share=0.5,
        chances=11.5,
        periods=4,
        period_clock=900,
        period_real=2595,
        break_real=120,
        halftime_real=780,
        half_after=2,
        ot_clock=600,
        ot_real=1500,
        tie_points=3,
        rotation_base=101,
    ),
    NCAAF: SportModel(
        sport_id=NCAAF,
        key="ncaaf",
        family=Family.POINTS,
        tie_rule=TieRule.OVERTIME,
        margin_sd=16.0,
        total_mean=55.0,
        total_sd=14.0,
        rating_sd=11.0,
        home_adv=3.0,
        tilt_sd=5.0,
        h1_share=0.5,
        chances=13.0,
        periods=4,
        period_clock=900,
        period_real=2640,
        break_real=120,
        halftime_real=1200,
        half_after=2,
        ot_clock=900,
        ot_real=1500,
        tie_points=3,
        rotation_base=301,
    ),
    NHL: SportModel(
        sport_id=NHL,
        key="nhl",
        family=Family.COUNT,
        tie_rule=TieRule.SHOOTOUT,
        margin_sd=2.47,
        total_mean=6.1,
        total_sd=0.0,
        rating_sd=0.10,
        home_adv=0.08,
        periods=3,
        period_clock=1200,
        period_real=2280,
        break_real=1080,
        halftime_real=0,
        half_after=0,
        ot_clock=300,
        ot_real=600,
        tie_points=1,
        alt_steps=(1,),
        fixed_spread=True,
        rotation_base=51,
    ),
    MLB: SportModel(
        sport_id=MLB,
        key="mlb",
        family=Family.COUNT,
        tie_rule=TieRule.EXTRA_INNINGS,
        margin_sd=4.3,
        total_mean=8.8,
        total_sd=0.0,
        rating_sd=0.08,
        home_adv=0.04,
        dispersion=5.4,
        periods=9,
        period_clock=0,
        period_real=1100,
        break_real=0,
        halftime_real=0,
        half_after=0,
        ot_clock=0,
        ot_real=1100,
        tie_points=1,
        alt_steps=(1,),
        fixed_spread=True,
        rotation_base=901,
    ),
    EPL: SportModel(
        sport_id=EPL,
        key="epl",
        family=Family.COUNT,
        tie_rule=TieRule.DRAW,
        margin_sd=1.66,
        total_mean=2.75,
        total_sd=0.0,
        rating_sd=0.22,
        home_adv=0.22,
        h1_share=0.45,
        periods=2,
        period_clock=2700,
        period_real=2940,
        break_real=0,
        halftime_real=960,
        half_after=1,
        ot_clock=0,
        ot_real=0,
        tie_points=0,
        alt_steps=(1,),
        rotation_base=2001,
    ),
    MLS: SportModel(
        sport_id=MLS,
        key="mls",
        family=Family.COUNT,
        tie_rule=TieRule.DRAW,
        margin_sd=1.72,
        total_mean=2.95,
        total_sd=0.0,
        rating_sd=0.14,
        home_adv=0.28,
        h1_share=0.45,
        periods=2,
        period_clock=2700,
        period_real=2940,
        break_real=0,
        halftime_real=960,
        half_after=1,
        ot_clock=0,
        ot_real=0,
        tie_points=0,
        alt_steps=(1,),
        rotation_base=2301,
    ),
}

SIM_SPORTS: tuple[int, ...] = (NFL, NBA, MLB, NHL, NCAAF, NCAAB, EPL, MLS)
