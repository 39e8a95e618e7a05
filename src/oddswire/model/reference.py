"""Reference data: sports, sportsbooks, markets, periods, teams and players.

These are loaded from the package data files in :mod:`oddswire.refdata`; they change
rarely and are not sequenced.
"""

from __future__ import annotations

import msgspec


class Sport(msgspec.Struct, frozen=True, kw_only=True):
    """A sport or league, keyed by TheRundown's ``sport_id``."""

    sport_id: int
    sport_name: str
    abbreviation: str = ""
    #: Seasons, as ``[["MM-DD", "MM-DD"], ...]`` windows on the real calendar (may wrap the year).
    seasons: list[list[str]] = []
    has_draw: bool = False


class Region(msgspec.Struct, frozen=True):
    id: int
    name: str


class Affiliate(msgspec.Struct, frozen=True, kw_only=True):
    """A sportsbook (TheRundown calls them affiliates), keyed by ``affiliate_id``."""

    affiliate_id: int
    affiliate_name: str
    affiliate_url: str = ""
    regions: list[Region] = []
    #: True for books the market treats as sharp (low hold, fast to move).
    sharp: bool = False
    #: False for books kept only for id compatibility (defunct or retired).
    active: bool = True


class MarketDefinition(msgspec.Struct, frozen=True, kw_only=True):
    """A market type, e.g. ``1`` moneyline or ``29`` player points."""

    id: int
    name: str
    description: str = ""
    short_description: str = ""
    line_value_is_participant: bool = False
    proposition: bool = False
    period_id: int = 0
    live_variant_id: int | None = None
    live: bool = False
    sports: list[int] = []
    #: "moneyline", "spread", "total", "team_total" or "player_prop".
    kind: str = "moneyline"
    #: For player props, the statistic ("points", "rebounds", "passing_yards", ...).
    stat: str | None = None
    #: True where the id is oddswire's own (not in TheRundown's public catalogue).
    oddswire_assigned: bool = False


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """A period id (§3.4): full game, halves, quarters and their live variants."""

    id: int
    name: str
    v1_key: str
    v1_description: str
    live: bool = False


class Conference(msgspec.Struct, frozen=True, kw_only=True):
    conference_id: int
    sport_id: int
    name: str


class Division(msgspec.Struct, frozen=True, kw_only=True):
    division_id: int
    conference_id: int
    sport_id: int
    name: str


class Team(msgspec.Struct, frozen=True, kw_only=True):
    """A canonical team. ``name`` is the city or school, ``mascot`` the nickname."""

    team_id: int
    sport_id: int
    name: str
    mascot: str
    abbreviation: str
    conference_id: int | None = None
    division_id: int | None = None
    venue_name: str = ""
    venue_location: str = ""
    aliases: list[str] = []

    @property
    def full_name(self) -> str:
        return f"{self.name} {self.mascot}".strip()


class Player(msgspec.Struct, frozen=True, kw_only=True):
    """A canonical player, as participant of player-prop markets."""

    id: int
    sport_id: int
    team_id: int
    first_name: str
    last_name: str
    position: str = ""
    position_abbreviation: str = ""
    jersey: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
