"""The catalog: reference data loaded from ``refdata/data`` plus names registered at run time.

Sources may register participants the files don't hold (the simulator's players, say);
everything else is read-only after loading.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import msgspec

from oddswire.model.change import ParticipantType
from oddswire.model.reference import (
    Affiliate,
    Conference,
    Division,
    MarketDefinition,
    Period,
    Player,
    Sport,
    Team,
)
from oddswire.refdata.results import result_name

NHL = 6
_PERIOD_KINDS = frozenset({"moneyline", "spread", "total", "team_total"})
TEAM_FILES = ("ncaaf", "nfl", "mlb", "nba", "ncaab", "nhl", "mls", "epl")


class StatusInfo(msgspec.Struct, frozen=True):
    status: str
    description: str
    live: bool
    terminal: bool


class LeagueFile(msgspec.Struct, frozen=True):
    sport_id: int
    conferences: list[Conference]
    divisions: list[Division]
    teams: list[Team]


def _read(name: str) -> bytes:
    return resources.files("oddswire.refdata").joinpath("data", name).read_bytes()


class Catalog:
    """Indexed reference data. Build one with :func:`load_catalog`."""

    def __init__(
        self,
        sports: list[Sport],
        affiliates: list[Affiliate],
        markets: list[MarketDefinition],
        periods: list[Period],
        statuses: list[StatusInfo],
        leagues: list[LeagueFile],
    ) -> None:
        self.sports = {s.sport_id: s for s in sports}
        self.affiliates = {a.affiliate_id: a for a in affiliates}
        self.markets = {m.id: m for m in markets}
        self.periods = {p.id: p for p in periods}
        self.statuses = {s.status: s for s in statuses}
        self.conferences: dict[int, Conference] = {}
        self.divisions: dict[int, Division] = {}
        self.teams: dict[int, Team] = {}
        self.players: dict[int, Player] = {}
        for league in leagues:
            self.conferences.update((c.conference_id, c) for c in league.conferences)
            self.divisions.update((d.division_id, d) for d in league.divisions)
            self.teams.update((t.team_id, t) for t in league.teams)
        self.period_by_v1_key = {p.v1_key: p for p in periods}

    def default_market_ids(self, sport_id: int) -> frozenset[int]:
        """TheRundown's default ``market_ids``: 1,2,3, plus 563 for soccer and the NHL."""
        sport = self.sports.get(sport_id)
        if sport_id == NHL or (sport is not None and sport.has_draw):
            return frozenset((1, 2, 3, 563))
        return frozenset((1, 2, 3))

    def with_live_variants(self, market_ids: frozenset[int]) -> frozenset[int]:
        """Add the live variant of each market (1,2,3 -> 41,42,43), as event snapshots do."""
        live = {
            m.live_variant_id
            for m in (self.markets.get(i) for i in market_ids)
            if m is not None and m.live_variant_id is not None
        }
        return market_ids | live

    def with_period_variants(self, market_ids: frozenset[int]) -> frozenset[int]:
        """Add the half/quarter markets of the same kind (``include=all_periods``).

        Only full-game moneyline, spread, total and team-total markets have period
        variants (1 -> 4, 1010, 981, ...).
        """
        extra: set[int] = set()
        for market_id in market_ids:
            base = self.markets.get(market_id)
            if base is None or base.period_id != 0 or base.kind not in _PERIOD_KINDS:
                continue
            sports = set(base.sports)
            extra.update(
                m.id
                for m in self.markets.values()
                if m.kind == base.kind
                and m.period_id != 0
                and not m.live
                and m.stat is None
                and sports.intersection(m.sports)
            )
        return market_ids | extra

    def teams_of(self, sport_id: int) -> list[Team]:
        return [t for t in self.teams.values() if t.sport_id == sport_id]

    def register_players(self, players: list[Player]) -> None:
        self.players.update((p.id, p) for p in players)

    def participant_name(self, participant_id: int, participant_type: ParticipantType) -> str:
        """The display name of a participant of any type ("" when unknown)."""
        if participant_type is ParticipantType.TEAM:
            team = self.teams.get(participant_id)
            return team.full_name if team else ""
        if participant_type is ParticipantType.PLAYER:
            player = self.players.get(participant_id)
            return player.display_name if player else ""
        return result_name(participant_id) or ""


@cache
def load_catalog() -> Catalog:
    """Load (once) the catalog shipped with the package."""
    decode = msgspec.json.decode
    return Catalog(
        sports=decode(_read("sports.json"), type=list[Sport]),
        affiliates=decode(_read("affiliates.json"), type=list[Affiliate]),
        markets=decode(_read("markets.json"), type=list[MarketDefinition]),
        periods=decode(_read("periods.json"), type=list[Period]),
        statuses=decode(_read("statuses.json"), type=list[StatusInfo]),
        leagues=[decode(_read(f"teams/{n}.json"), type=LeagueFile) for n in TEAM_FILES],
    )
