"""Which markets an event carries: groups of lines a book prices together.

A *group* is one market of one event (or one player's stat) in one phase: pregame,
live full game, live first half or live second half. Market and period ids come from the
catalog; :func:`check_catalog` asserts that every id the simulator quotes exists there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from oddswire.refdata.catalog import Catalog
from oddswire.sim.players import Profile
from oddswire.sim.sports import SportModel


class Kind(IntEnum):
    MONEYLINE = 0
    SPREAD = 1
    TOTAL = 2
    TEAM_TOTAL = 3
    PROP = 4


class Scope(IntEnum):
    """Which part of the game a market settles on."""

    FULL = 0
    H1 = 1
    H2 = 2


class Phase(IntEnum):
    """When a group is offered."""

    PRE = 0
    LIVE = 1
    LIVE_H1 = 2
    LIVE_H2 = 3


_PREGAME: dict[tuple[Kind, Scope], int] = {
    (Kind.MONEYLINE, Scope.FULL): 1,
    (Kind.SPREAD, Scope.FULL): 2,
    (Kind.TOTAL, Scope.FULL): 3,
    (Kind.MONEYLINE, Scope.H1): 4,
    (Kind.SPREAD, Scope.H1): 5,
    (Kind.TOTAL, Scope.H1): 6,
    (Kind.MONEYLINE, Scope.H2): 1010,
    (Kind.SPREAD, Scope.H2): 1009,
    (Kind.TOTAL, Scope.H2): 1008,
    (Kind.TEAM_TOTAL, Scope.FULL): 94,
}
PROP_MARKETS: dict[str, int] = {
    "points": 29,
    "rebounds": 35,
    "assists": 39,
    "passing_yards": 50001,
    "rushing_yards": 50002,
    "receiving_yards": 50003,
}
_WEIGHTS = {
    Kind.MONEYLINE: 4.0,
    Kind.SPREAD: 4.0,
    Kind.TOTAL: 4.0,
    Kind.TEAM_TOTAL: 1.0,
    Kind.PROP: 0.35,
}
_EXTRA = {
    Kind.MONEYLINE: 0.0,
    Kind.SPREAD: 0.0,
    Kind.TOTAL: 0.0,
    Kind.TEAM_TOTAL: 0.008,
    Kind.PROP: 0.012,
}


@dataclass(frozen=True, slots=True)
class Group:
    """One market (or one player's stat market) of an event in one phase."""

    index: int
    kind: Kind
    scope: Scope
    phase: Phase
    market_id: int
    period_id: int
    weight: float
    extra_margin: float
    #: Props: the player, which of his stats, and whether he plays for the home team.
    profile: Profile | None = None
    stat: int = 0
    home_player: bool = False

    @property
    def main(self) -> bool:
        """Full-game moneyline, spread or total."""
        return self.scope is Scope.FULL and self.kind <= Kind.TOTAL


def live_id(catalog: Catalog, market_id: int) -> int:
    variant = catalog.markets[market_id].live_variant_id
    if variant is None or variant not in catalog.markets:
        raise ValueError(f"market {market_id} has no live variant in the catalog")
    return variant


def check_catalog(catalog: Catalog) -> None:
    """Every market id (and its live variant) the simulator quotes must be in the catalog."""
    for market_id in (*_PREGAME.values(), *PROP_MARKETS.values()):
        if market_id not in catalog.markets:
            raise ValueError(f"market {market_id} missing from the catalog")
        live_id(catalog, market_id)


def _offered(catalog: Catalog, market_id: int, sport_id: int) -> bool:
    sports = catalog.markets[market_id].sports
    return not sports or sport_id in sports


def build_groups(
    catalog: Catalog, sport: SportModel, home: list[Profile], away: list[Profile]
) -> list[Group]:
    """Every group an event of this sport offers, pregame and live."""
    out: list[Group] = []

    def add(
        kind: Kind,
        scope: Scope,
        phase: Phase,
        pre_id: int,
        profile: Profile | None = None,
        stat: int = 0,
        home_player: bool = False,
    ) -> None:
        market_id = pre_id if phase is Phase.PRE else live_id(catalog, pre_id)
        weight = _WEIGHTS[kind] * (0.3 if scope is not Scope.FULL else 1.0)
        extra = _EXTRA[kind] + (0.003 if scope is not Scope.FULL else 0.0)
        extra += 0.0 if phase is Phase.PRE else 0.008
        out.append(
            Group(
                len(out),
                kind,
                scope,
                phase,
                market_id,
                catalog.markets[market_id].period_id,
                weight,
                extra,
                profile,
                stat,
                home_player,
            )
        )

    for (kind, scope), pre_id in _PREGAME.items():
        if not _offered(catalog, pre_id, sport.sport_id):
            continue
        if scope is not Scope.FULL and not sport.has_halves:
            continue
        add(kind, scope, Phase.PRE, pre_id)
        live_phase = {Scope.FULL: Phase.LIVE, Scope.H1: Phase.LIVE_H1, Scope.H2: Phase.LIVE_H2}
        add(kind, scope, live_phase[scope], pre_id)
    for is_home, roster in ((False, away), (True, home)):
        for profile in roster:
            for i, stat in enumerate(profile.stats):
                pre_id = PROP_MARKETS[stat.stat]
                if not _offered(catalog, pre_id, sport.sport_id):
                    continue
                add(Kind.PROP, Scope.FULL, Phase.PRE, pre_id, profile, i, is_home)
                add(Kind.PROP, Scope.FULL, Phase.LIVE, pre_id, profile, i, is_home)
    return out
