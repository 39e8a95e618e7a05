"""Canonical teams from the names feeds write: an alias index per sport.

Every team is known by its full name, its aliases from the catalogue (city and
mascot variants, common short forms), its abbreviation, its city or school alone and
its mascot alone (each only where no other team of the sport shares it), and by the
book-specific spellings of the alias table (``refdata/data/team_aliases.json`` plus
the operator's own file). A name that fits two teams is ambiguous and resolves to
nothing: the caller quarantines it rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

import msgspec

from oddswire.model.reference import Team
from oddswire.refdata import Catalog
from oddswire.sources.resolve.normalize import normalize

AMBIGUOUS = -1


class TeamAlias(msgspec.Struct, frozen=True, kw_only=True):
    """Extra names for one team: ``{"sport_id": 4, "team": "Los Angeles Clippers",
    "aliases": ["LA Clippers"]}`` (``team`` is a name the index already knows)."""

    sport_id: int
    team: str
    aliases: list[str]


def shipped_aliases() -> list[TeamAlias]:
    data = resources.files("oddswire.refdata").joinpath("data", "team_aliases.json").read_bytes()
    return msgspec.json.decode(data, type=list[TeamAlias])


def read_aliases(path: str) -> list[TeamAlias]:
    """An operator's alias file (the same JSON form as the shipped one)."""
    with open(path, "rb") as f:
        return msgspec.json.decode(f.read(), type=list[TeamAlias])


class TeamIndex:
    """``resolve(sport_id, name)`` -> team id, or None when unknown or ambiguous."""

    def __init__(self, catalog: Catalog, aliases: Iterable[TeamAlias] = ()) -> None:
        self.catalog = catalog
        self._names: dict[tuple[int, str], int] = {}
        self._tokens: dict[int, frozenset[str]] = {}
        weak: dict[tuple[int, str], int] = {}
        for team in catalog.teams.values():
            for name in self._strong_names(team):
                self._add(self._names, team.sport_id, name, team.team_id)
            for name in (team.name, team.mascot):
                self._add(weak, team.sport_id, name, team.team_id)
            self._tokens[team.team_id] = frozenset(
                normalize(" ".join([team.full_name, *team.aliases])).split()
            )
        for key, team_id in weak.items():
            self._names.setdefault(key, team_id)
        for alias in aliases:
            self.add_aliases(alias)

    @staticmethod
    def _strong_names(team: Team) -> list[str]:
        return [team.full_name, *team.aliases, team.abbreviation]

    @staticmethod
    def _add(index: dict[tuple[int, str], int], sport_id: int, name: str, team_id: int) -> None:
        key = (sport_id, normalize(name))
        if not key[1]:
            return
        found = index.get(key)
        if found is None:
            index[key] = team_id
        elif found != team_id:
            index[key] = AMBIGUOUS

    def add_aliases(self, alias: TeamAlias) -> None:
        """Teach the index more spellings of a team; raises KeyError if ``team`` is unknown."""
        team_id = self.resolve(alias.sport_id, alias.team)
        if team_id is None:
            raise KeyError(f"alias table: no team {alias.team!r} in sport {alias.sport_id}")
        for name in alias.aliases:
            self._names[(alias.sport_id, normalize(name))] = team_id

    def lookup(self, sport_id: int, name: str) -> int | None:
        """The team id, :data:`AMBIGUOUS`, or None when no team has the name."""
        return self._names.get((sport_id, normalize(name)))

    def resolve(self, sport_id: int, name: str) -> int | None:
        found = self.lookup(sport_id, name)
        return None if found is None or found == AMBIGUOUS else found

    def resolve_within(self, sport_id: int, name: str, candidates: Iterable[int]) -> int | None:
        """A name known to be one of ``candidates`` (the two teams of a game).

        Exact aliases first; failing that, the one candidate sharing a distinctive
        word with the name ("LA Lakers" -> Los Angeles Lakers when the Lakers play).
        """
        pool = [c for c in candidates if c]
        found = self.lookup(sport_id, name)
        if found is not None and found in pool:
            return found
        words = set(normalize(name).split())
        if not words:
            return None
        sharing = [c for c in pool if words & self._distinctive(c, pool)]
        return sharing[0] if len(sharing) == 1 else None

    def _distinctive(self, team_id: int, pool: list[int]) -> frozenset[str]:
        mine = self._tokens.get(team_id, frozenset())
        others: set[str] = set()
        for other in pool:
            if other != team_id:
                others |= self._tokens.get(other, frozenset())
        return mine - others
