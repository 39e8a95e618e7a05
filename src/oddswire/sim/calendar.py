"""Schedules: realistic slates with real teams, a deterministic function of (seed, sport, date).

Daily sports (NBA, NHL, NCAAB, MLB) draw a slate per UTC date; weekly ones (NFL, NCAAF,
EPL, MLS) draw a whole week at once so a team plays at most once a week, then keep the
games that fall on the requested dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from random import Random

from oddswire.model.reference import Sport, Team
from oddswire.refdata.catalog import Catalog
from oddswire.sim.rng import make_rng
from oddswire.sim.sports import EPL, MLB, MLS, MODELS, NBA, NCAAB, NCAAF, NFL, NHL

# (day offset from the week anchor, hour, minute); US football weeks run Wednesday to
# Tuesday (UTC), soccer weeks Monday to Sunday.
_NFL_SLOTS = {
    "tnf": (2, 1, 15),
    "early": (4, 18, 0),
    "late1": (4, 21, 5),
    "late2": (4, 21, 25),
    "snf": (5, 1, 20),
    "mnf": (6, 1, 15),
}
_NCAAF_SATURDAY = (
    (3, 16, 0),
    (3, 17, 0),
    (3, 19, 30),
    (3, 20, 0),
    (3, 23, 0),
    (4, 0, 0),
    (4, 0, 30),
    (4, 3, 30),
)
_NCAAF_WEEKNIGHT = ((0, 0, 0), (1, 0, 30), (2, 0, 0), (3, 0, 0))
_EPL = (
    (5, 12, 30),
    (5, 15, 0),
    (5, 15, 0),
    (5, 15, 0),
    (5, 15, 0),
    (5, 17, 30),
    (6, 14, 0),
    (6, 14, 0),
    (6, 16, 30),
    (6, 19, 0),
)
_MLS = ((5, 19, 30), (5, 23, 30), (6, 0, 30), (6, 0, 30), (6, 1, 30), (6, 2, 30), (6, 3, 30))
_DAILY_TIMES = {
    NBA: (
        (0, 0),
        (0, 0),
        (0, 30),
        (0, 30),
        (1, 0),
        (1, 0),
        (1, 30),
        (2, 0),
        (2, 30),
        (3, 0),
        (3, 30),
    ),
    NHL: ((0, 0), (0, 0), (0, 0), (0, 30), (1, 0), (1, 0), (2, 0), (2, 30), (3, 0)),
    NCAAB: (
        (16, 0),
        (17, 0),
        (18, 0),
        (19, 0),
        (21, 0),
        (23, 0),
        (0, 0),
        (0, 0),
        (1, 0),
        (2, 0),
        (3, 0),
        (3, 30),
    ),
    MLB: (
        (17, 5),
        (18, 10),
        (20, 5),
        (22, 40),
        (23, 5),
        (23, 10),
        (23, 40),
        (0, 5),
        (0, 10),
        (1, 40),
        (2, 10),
    ),
}
_DAILY_COUNT = {NBA: (5, 12), NHL: (4, 13), NCAAB: (8, 16), MLB: (12, 15)}


@dataclass(frozen=True, slots=True)
class Fixture:
    """A scheduled game."""

    sport_id: int
    away: Team
    home: Team
    start: datetime
    season_year: int
    rotation_away: int
    week: int | None = None


def _mmdd(day: date) -> str:
    return day.strftime("%m-%d")


def season_window(sport: Sport, day: date) -> tuple[date, date] | None:
    """The season window (first and last date) holding ``day``, or None."""
    key = _mmdd(day)
    for start, end in sport.seasons:
        if start <= end:
            if start <= key <= end:
                return _on(day.year, start), _on(day.year, end)
        elif key >= start:
            return _on(day.year, start), _on(day.year + 1, end)
        elif key <= end:
            return _on(day.year - 1, start), _on(day.year, end)
    return None


def _on(year: int, mmdd: str) -> date:
    month, dom = (int(x) for x in mmdd.split("-"))
    if month == 2 and dom == 29:
        dom = 28
    return date(year, month, dom)


def sports_in_season(catalog: Catalog, sport_ids: list[int], day: date) -> list[int]:
    return [s for s in sport_ids if s in catalog.sports and season_window(catalog.sports[s], day)]


def fixtures(
    catalog: Catalog, seed: int, sport_id: int, day: date, all_sports: bool
) -> list[Fixture]:
    """The games of a sport that start on UTC date ``day``."""
    sport = catalog.sports.get(sport_id)
    if sport is None:
        return []
    window = season_window(sport, day)
    if window is None and not all_sports:
        return []
    season_start = window[0] if window else _on(day.year, "01-01")
    teams = sorted(catalog.teams_of(sport_id), key=lambda t: t.team_id)
    if len(teams) < 2:
        return []
    if sport_id in _DAILY_COUNT:
        games = _daily(seed, sport_id, day, teams)
    else:
        anchor = day - timedelta(days=(day.weekday() - (2 if sport_id in (NFL, NCAAF) else 0)) % 7)
        week = (anchor - _week_anchor(sport_id, season_start)).days // 7 + 1
        games = [g for g in _weekly(seed, sport_id, anchor, teams) if g[2].date() == day]
        if sport_id in (NFL, NCAAF):
            games = [(a, h, t, week) for a, h, t, _ in games]
    model = MODELS[sport_id]
    year = season_start.year
    return [
        Fixture(sport_id, away, home, start, year, model.rotation_base + 2 * i, week)
        for i, (away, home, start, week) in enumerate(sorted(games, key=lambda g: g[2]))
    ]


def _week_anchor(sport_id: int, season_start: date) -> date:
    target = 2 if sport_id in (NFL, NCAAF) else 0
    return season_start - timedelta(days=(season_start.weekday() - target) % 7)


Game = tuple[Team, Team, datetime, int | None]


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _pairs(rng: Random, teams: list[Team], n: int) -> list[tuple[Team, Team]]:
    picked = rng.sample(teams, 2 * n)
    return [(picked[2 * i], picked[2 * i + 1]) for i in range(n)]


def _daily(seed: int, sport_id: int, day: date, teams: list[Team]) -> list[Game]:
    rng = make_rng(seed, "slate", sport_id, day.isoformat())
    lo, hi = _DAILY_COUNT[sport_id]
    n = min(rng.randint(lo, hi), len(teams) // 2)
    times = _DAILY_TIMES[sport_id]
    return [(a, h, _at(day, *rng.choice(times)), None) for a, h in _pairs(rng, teams, n)]


def _weekly(seed: int, sport_id: int, anchor: date, teams: list[Team]) -> list[Game]:
    rng = make_rng(seed, "week", sport_id, anchor.isoformat())
    slots: list[tuple[int, int, int]]
    if sport_id == NFL:
        n = min(len(teams) // 2, 16 - 2 * rng.randint(0, 2))
        fixed = [_NFL_SLOTS[k] for k in ("tnf", "snf", "mnf", "late1", "late2", "late2", "late2")]
        slots = (fixed + [_NFL_SLOTS["early"]] * n)[:n]
    elif sport_id == NCAAF:
        n = min(len(teams) // 2, rng.randint(40, 55))
        weeknight = rng.randint(3, 6)
        slots = [rng.choice(_NCAAF_WEEKNIGHT) for _ in range(weeknight)]
        slots += [rng.choice(_NCAAF_SATURDAY) for _ in range(n - weeknight)]
    elif sport_id == EPL:
        n = min(len(teams) // 2, len(_EPL))
        slots = list(_EPL[:n])
    else:
        assert sport_id == MLS
        n = min(len(teams) // 2, rng.randint(11, 14))
        slots = [rng.choice(_MLS) for _ in range(n)]
    return [
        (a, h, _at(anchor + timedelta(days=d), hh, mm), None)
        for (a, h), (d, hh, mm) in zip(_pairs(rng, teams, n), slots, strict=True)
    ]


__all__ = ["Fixture", "fixtures", "season_window", "sports_in_season"]
