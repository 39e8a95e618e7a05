"""Synthetic players for NBA and NFL player props.

Names, positions and averages are a function of the team id only (not of the seed), so a
player keeps his name and id whatever seed the simulator runs with.
"""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.model.ids import player_id
from oddswire.model.reference import Player, Team
from oddswire.sim.rng import make_rng
from oddswire.sim.sports import NBA, NFL

_FIRST = (
    "Aaron",
    "Andre",
    "Austin",
    "Blake",
    "Brandon",
    "Caleb",
    "Cameron",
    "Carlos",
    "Chris",
    "Cole",
    "Corey",
    "Darius",
    "Derek",
    "Devin",
    "Dominic",
    "Dylan",
    "Elijah",
    "Eric",
    "Evan",
    "Gabriel",
    "Grant",
    "Isaiah",
    "Jalen",
    "Jamal",
    "Jaylen",
    "Jordan",
    "Josh",
    "Julian",
    "Justin",
    "Kevin",
    "Kyle",
    "Lamar",
    "Landon",
    "Lucas",
    "Malik",
    "Marcus",
    "Mason",
    "Miles",
    "Nathan",
    "Nick",
    "Noah",
    "Omar",
    "Quentin",
    "Reggie",
    "Ryan",
    "Samuel",
    "Terrence",
    "Theo",
    "Trevor",
    "Tyler",
    "Victor",
    "Xavier",
    "Zach",
    "Zion",
)
_LAST = (
    "Adams",
    "Allen",
    "Bailey",
    "Banks",
    "Barnes",
    "Bell",
    "Brooks",
    "Bryant",
    "Carter",
    "Coleman",
    "Collins",
    "Cooper",
    "Daniels",
    "Davis",
    "Dixon",
    "Edwards",
    "Ellis",
    "Fisher",
    "Foster",
    "Freeman",
    "Gibson",
    "Graham",
    "Grant",
    "Griffin",
    "Hayes",
    "Henderson",
    "Holmes",
    "Howard",
    "Hudson",
    "Jenkins",
    "Jordan",
    "Keller",
    "Lambert",
    "Lawson",
    "Marshall",
    "Mason",
    "McCoy",
    "Mitchell",
    "Morgan",
    "Murray",
    "Nelson",
    "Owens",
    "Parker",
    "Patterson",
    "Perry",
    "Porter",
    "Powell",
    "Reed",
    "Reynolds",
    "Robinson",
    "Russell",
    "Sanders",
    "Simmons",
    "Spencer",
    "Stewart",
    "Sullivan",
    "Thornton",
    "Tucker",
    "Turner",
    "Wallace",
    "Warren",
    "Watson",
    "Webb",
    "Wells",
    "Whitfield",
    "Willis",
    "Wright",
    "Young",
)


@dataclass(frozen=True, slots=True)
class PropStat:
    """A statistic a player's props are offered on, with its per-game distribution."""

    stat: str
    mean: float
    sd: float
    #: Spacing of alternate lines.
    step: float


@dataclass(frozen=True, slots=True)
class Profile:
    """A player with the statistics the simulator offers props on."""

    player: Player
    stats: tuple[PropStat, ...]
    star: bool = False


#: Expected team totals the per-player averages are shares of (see game.py).
NBA_TEAM_POINTS = 114.0
NBA_TEAM_REBOUNDS = 40.0
NBA_TEAM_ASSISTS = 28.0

_NBA_SLOTS = (
    ("PG", "Point Guard", 16.0, 4.0, 7.0),
    ("SG", "Shooting Guard", 15.0, 4.5, 4.0),
    ("SF", "Small Forward", 14.0, 6.0, 3.0),
    ("PF", "Power Forward", 13.0, 8.0, 2.5),
    ("C", "Center", 12.0, 10.5, 2.2),
)
_NFL_SLOTS = (
    ("QB", "Quarterback", "passing_yards", 215.0, 285.0, 15.0),
    ("RB", "Running Back", "rushing_yards", 50.0, 90.0, 10.0),
    ("WR", "Wide Receiver", "receiving_yards", 65.0, 95.0, 10.0),
    ("WR", "Wide Receiver", "receiving_yards", 40.0, 65.0, 10.0),
)


def roster(team: Team) -> list[Profile]:
    """The simulated players of a team (empty for sports without props)."""
    if team.sport_id == NBA:
        return _nba(team)
    if team.sport_id == NFL:
        return _nfl(team)
    return []


def _names(team: Team, count: int) -> list[tuple[str, str, str]]:
    rng = make_rng("players", team.team_id)
    firsts = rng.sample(_FIRST, count)
    lasts = rng.sample(_LAST, count)
    jerseys = rng.sample(range(100), count)
    return [(f, last, str(j)) for f, last, j in zip(firsts, lasts, jerseys, strict=True)]


def _player(
    team: Team, sport_id: int, slot: int, name: tuple[str, str, str], position: str, abbr: str
) -> Player:
    first, last, jersey = name
    return Player(
        id=player_id(team.team_id, slot + 1),
        sport_id=sport_id,
        team_id=team.team_id,
        first_name=first,
        last_name=last,
        position=position,
        position_abbreviation=abbr,
        jersey=jersey,
    )


def _nba(team: Team) -> list[Profile]:
    rng = make_rng("nba-stats", team.team_id)
    star = rng.randrange(len(_NBA_SLOTS))
    out: list[Profile] = []
    names = _names(team, len(_NBA_SLOTS))
    for slot, ((abbr, pos, base_pts, base_reb, base_ast), (first, last, jersey)) in enumerate(
        zip(_NBA_SLOTS, names, strict=True)
    ):
        boost = slot == star
        pts = base_pts * rng.uniform(0.85, 1.15) * (1.7 if boost else 1.0)
        reb = base_reb * rng.uniform(0.85, 1.15) * (1.2 if boost else 1.0)
        ast = base_ast * rng.uniform(0.85, 1.15) * (1.3 if boost else 1.0)
        player = _player(team, NBA, slot, (first, last, jersey), pos, abbr)
        stats = (
            PropStat("points", round(pts, 1), 0.25 * pts + 3.0, 2.0),
            PropStat("rebounds", round(reb, 1), 0.3 * reb + 1.2, 1.0),
            PropStat("assists", round(ast, 1), 0.35 * ast + 1.0, 1.0),
        )
        out.append(Profile(player, stats, star=boost))
    return out


def _nfl(team: Team) -> list[Profile]:
    rng = make_rng("nfl-stats", team.team_id)
    out: list[Profile] = []
    names = _names(team, len(_NFL_SLOTS))
    for slot, ((abbr, pos, stat, lo, hi, step), (first, last, jersey)) in enumerate(
        zip(_NFL_SLOTS, names, strict=True)
    ):
        mean = round(rng.uniform(lo, hi), 1)
        sd = (0.22 if stat == "passing_yards" else 0.38) * mean + 12.0
        player = _player(team, NFL, slot, (first, last, jersey), pos, abbr)
        out.append(Profile(player, (PropStat(stat, mean, sd, step),), star=slot == 0))
    return out
