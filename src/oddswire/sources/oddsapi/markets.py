"""The Odds API market keys -> canonical market and period ids, and how to read outcomes.

The vendor's keys are a family (``h2h``, ``spreads``, ``totals``, ``team_totals``), an
optional ``alternate_`` prefix (alternate lines: ``is_main_line`` false) and an
optional period suffix (``_h1``, ``_q3``, ``_p2`` for hockey periods, ``_1st_5_innings``
...), or a player prop (``player_points``, ``batter_hits``, ``pitcher_strikeouts``,
with ``_alternate`` for alternate prop lines). Each maps to a catalog market *by name*
(``spreads_q1`` -> ``handicap_first_quarter``), since kind and period alone are
ambiguous (first-five-innings markets are full-game period 0 in the catalog). A key
with no catalog market, or whose market the catalog does not offer for the sport, is
refused with a reason (quarantined by the decoder), never approximated.

Games in play: The Odds API quotes live odds under the same keys as pregame ones. The
canonical board keeps them apart (TheRundown's live markets 41/42/43..., period 7 and
the live halves and quarters), so a quote on a game that has started goes to the
market's live variant; a market without one is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from oddswire.model.reference import MarketDefinition
from oddswire.refdata import Catalog


class Shape(Enum):
    """How a market's outcomes name the selection and its line."""

    #: ``name`` is a team (or ``Draw``); no point.
    MONEYLINE = "moneyline"
    #: ``name`` is a team; ``point`` is its handicap.
    SPREAD = "spread"
    #: ``name`` is Over/Under; ``point`` is the total.
    TOTAL = "total"
    #: ``name`` is Over/Under, ``description`` the team; ``point`` the total.
    TEAM_TOTAL = "team_total"
    #: ``name`` is Over/Under, ``description`` the player; ``point`` the number.
    PLAYER_OVER_UNDER = "player_over_under"
    #: ``name`` is Yes (or No), ``description`` the player; no point.
    PLAYER_YES = "player_yes"


@dataclass(frozen=True, slots=True)
class MarketSpec:
    """Where one vendor market's quotes go on the canonical board."""

    market_id: int
    period_id: int
    shape: Shape
    is_main_line: bool


#: Vendor family -> (catalog name stem, shape); ``team_totals`` is tried before ``totals``.
FAMILIES: tuple[tuple[str, str, Shape], ...] = (
    ("team_totals", "team_totals", Shape.TEAM_TOTAL),
    ("h2h", "moneyline", Shape.MONEYLINE),
    ("spreads", "handicap", Shape.SPREAD),
    ("totals", "totals", Shape.TOTAL),
)

#: Vendor period suffix -> catalog name suffix. Hockey periods are the catalog's
#: quarter markets, which cover "quarter/period".
PERIODS: dict[str, str] = {
    "": "",
    "_h1": "_first_half",
    "_h2": "_second_half",
    "_q1": "_first_quarter",
    "_q2": "_second_quarter",
    "_q3": "_third_quarter",
    "_q4": "_fourth_quarter",
    "_p1": "_first_quarter",
    "_p2": "_second_quarter",
    "_p3": "_third_quarter",
    "_1st_3_innings": "_first_3_innings",
    "_1st_5_innings": "_first_5_innings",
    "_1st_7_innings": "_first_7_innings",
}

#: Game markets whose catalog names do not follow the stem + suffix pattern.
SPECIAL: dict[str, str] = {
    "h2h_3_way": "moneyline_regulation",
    "totals_1st_1_innings": "first_inning_total_runs",
    "spreads_1st_1_innings": "handicap_first_inning",
}

#: Player props -> catalog market names (same statistic). Props not listed (pass
#: touchdowns, receptions, steals, shots on goal...) have no catalog market yet.
PLAYER_PROPS: dict[str, str] = {
    "player_pass_yds": "player_passing_yards",
    "player_rush_yds": "player_rushing_yards",
    "player_reception_yds": "player_receiving_yards",
    "player_points": "points",
    "player_rebounds": "player_rebounds",
    "player_assists": "player_assists",
    "player_threes": "player_threes",
    "player_blocks": "player_blocks",
    "player_turnovers": "player_turnovers",
    "player_points_rebounds_assists": "player_points_rebounds_assists",
    "player_points_rebounds": "player_points_rebounds",
    "player_points_assists": "player_points_assists",
    "player_rebounds_assists": "player_rebounds_assists",
    "player_double_double": "player_double_double",
    "player_triple_double": "player_triple_double",
    "batter_home_runs": "player_home_runs",
    "batter_hits": "player_hits",
    "batter_total_bases": "player_total_bases",
    "batter_rbis": "player_rbis",
    "batter_runs_scored": "player_runs",
    "batter_singles": "player_singles",
    "batter_doubles": "player_doubles",
    "batter_triples": "player_triples",
    "batter_walks": "player_walks",
    "batter_stolen_bases": "player_stolen_bases",
    "batter_hits_runs_rbis": "player_hits_runs_rbis",
    "pitcher_strikeouts": "pitcher_strikeouts",
    "pitcher_hits_allowed": "pitcher_hits_allowed",
    "pitcher_walks": "pitcher_walks",
    "pitcher_earned_runs": "pitcher_earned_runs",
    "pitcher_outs": "pitcher_outs",
    "player_shots": "player_shots",
    "player_goal_scorer_anytime": "anytime_goalscorer",
    "player_first_goal_scorer": "first_goalscorer",
    "player_last_goal_scorer": "last_goalscorer",
}

_ALTERNATE_PREFIX = "alternate_"
_ALTERNATE_SUFFIX = "_alternate"


def catalog_name(key: str) -> tuple[str, Shape | None, bool] | None:
    """A vendor key's catalog market name, its shape (None for player props: the
    catalog market decides) and whether it is a main line; None if unknown."""
    main = True
    if key.startswith(_ALTERNATE_PREFIX):
        key, main = key[len(_ALTERNATE_PREFIX) :], False
    prop = key.removesuffix(_ALTERNATE_SUFFIX)
    if prop in PLAYER_PROPS:
        return PLAYER_PROPS[prop], None, main and prop == key
    for family, stem, shape in FAMILIES:
        if not key.startswith(family):
            continue
        if key in SPECIAL:
            return SPECIAL[key], shape, main
        suffix = PERIODS.get(key[len(family) :])
        return None if suffix is None else (stem + suffix, shape, main)
    return None


class MarketTable:
    """Looks up (and caches) vendor market keys against the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self._markets = catalog.markets
        self._by_name: dict[str, MarketDefinition] = {m.name: m for m in catalog.markets.values()}
        self._cache: dict[tuple[str, int, bool], MarketSpec | str] = {}

    def lookup(self, key: str, sport_id: int, in_play: bool) -> MarketSpec | str:
        """Where ``key`` goes for a game of ``sport_id``, or why it cannot go anywhere."""
        cache_key = (key, sport_id, in_play)
        found = self._cache.get(cache_key)
        if found is None:
            found = self._cache[cache_key] = self._lookup(key, sport_id, in_play)
        return found

    def _lookup(self, key: str, sport_id: int, in_play: bool) -> MarketSpec | str:
        named = catalog_name(key)
        if named is None:
            return "no canonical market for this The Odds API market key"
        name, shape, main = named
        market = self._by_name.get(name)
        if market is None:
            return f"the catalog has no market {name!r}"
        if sport_id not in market.sports:
            return f"the catalog does not offer {name!r} for sport {sport_id}"
        if shape is None:
            shape = (
                Shape.PLAYER_YES if market.line_value_is_participant else Shape.PLAYER_OVER_UNDER
            )
        if in_play:
            live = self._markets.get(market.live_variant_id or -1)
            if live is None:
                return f"game in play, and the catalog has no live variant of {name!r}"
            market = live
        return MarketSpec(
            market_id=market.id,
            period_id=market.period_id,
            shape=shape,
            is_main_line=main,
        )
