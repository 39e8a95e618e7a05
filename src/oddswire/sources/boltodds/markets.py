"""BoltOdds market names (an outcome's ``outcome_name``) -> catalog markets and periods.

BoltOdds names markets in free text and sends no period field. Three exact layers, in
order, and nothing fuzzy:

1. The names our own hub writes (:attr:`Names.markets <oddswire.wire.boltodds.naming.
   Names.markets>`): each catalog market's short name (``Moneyline``, ``1H Spread``,
   ``Live Total``, ``Player Points``; ``Player To Record (755)`` where the short name
   repeats), in the market's own period.
2. The same with a period in brackets, as ``Names.market`` writes a market quoted in
   another period than its own: ``Moneyline (1st Half)`` -> market 1, period 1.
3. The real vendor's names (:data:`VENDOR_MARKETS`, compared case-insensitively with
   spaces collapsed): ``Game Total``, ``Run Line``, ``1st Half Moneyline``,
   ``1st Quarter Total``, ``Points``, ``Strikeouts``, ``Passing Yards``... A vendor
   name is only taken for a sport the catalog market lists (``Points`` is an NBA,
   NCAAB and WNBA market here, so an NHL ``Points`` is quarantined, not filed as
   basketball points).

Anything else is unknown and quarantined by the caller.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from oddswire.refdata import Catalog
from oddswire.wire.boltodds.naming import Names


class MarketRef(NamedTuple):
    market_id: int
    period_id: int
    #: The catalog market's kind: moneyline, spread, total, team_total, player_prop...
    kind: str
    #: A yes/no market (the participant is the bet: moneyline, anytime scorer...).
    yes_no: bool


_ORDINALS = (("1st", "first", 1), ("2nd", "second", 2), ("3rd", "third", 3), ("4th", "fourth", 4))


def _segmented() -> dict[str, int]:
    """``1st Half Moneyline``, ``1H Spread``, ``1st Quarter Total``, ``Q3 Team Total``,
    ``1st Period Moneyline`` (hockey: the catalog's quarter markets carry periods 1-4),
    ``1st 5 Innings Total``, ``1st Set Moneyline``..."""
    out: dict[str, int] = {}
    halves = {
        1: (4, 5, 6, 95),
        2: (1010, 1009, 1008, None),
    }
    quarters = {
        1: (981, 957, 958, 991),
        2: (1013, 1012, 1011, 1020),
        3: (1016, 1015, 1014, 1021),
        4: (1019, 1018, 1017, 1022),
    }
    kinds = (("moneyline", "money line", "ml"), ("spread", "handicap"), ("total",), ("team total",))

    def add(prefixes: list[str], ids: tuple[int | None, ...]) -> None:
        for market_id, words in zip(ids, kinds, strict=True):
            if market_id is None:
                continue
            for prefix in prefixes:
                for word in words:
                    out[f"{prefix} {word}"] = market_id

    for short, long, n in _ORDINALS:
        if n in halves:
            add([f"{short} half", f"{long} half", f"{n}h", f"h{n}"], halves[n])
        add(
            [f"{short} quarter", f"{long} quarter", f"{n}q", f"q{n}", f"{short} period"],
            quarters[n],
        )
        if n < 3:
            set_ids = {1: (1150, 1151, 1152, None), 2: (1153, None, None, None)}[n]
            add([f"{short} set", f"set {n}", f"{long} set"], set_ids)
    for innings, ids in (
        (5, (769, 791, 780)),
        (3, (1109, 1111, 1110)),
        (7, (1112, 1114, 1113)),
    ):
        ml, spread, total = ids
        for prefix in (f"1st {innings} innings", f"first {innings} innings", f"f{innings}"):
            out[f"{prefix} moneyline"] = ml
            out[f"{prefix} run line"] = spread
            out[f"{prefix} spread"] = spread
            out[f"{prefix} total"] = total
    return out


#: Real BoltOdds market names (lower case) -> catalog market ids (the market's own
#: period). Player props are named by the stat alone at BoltOdds (``Points``,
#: ``Hits``, ``Strikeouts``), sometimes with ``Player``.
VENDOR_MARKETS: dict[str, int] = {
    # full game
    "moneyline": 1,
    "money line": 1,
    "ml": 1,
    "spread": 2,
    "point spread": 2,
    "run line": 2,
    "puck line": 2,
    "handicap": 2,
    "total": 3,
    "totals": 3,
    "game total": 3,
    "total points": 3,
    "total runs": 3,
    "total goals": 3,
    "over/under": 3,
    "team total": 94,
    "team totals": 94,
    "regulation moneyline": 563,
    "regulation line": 563,
    "3-way moneyline": 563,
    "1x2": 563,
    # basketball props
    "points": 29,
    "rebounds": 35,
    "assists": 39,
    "threes": 38,
    "threes made": 38,
    "3-pointers made": 38,
    "three pointers made": 38,
    "blocks": 98,
    "turnovers": 33,
    "points + rebounds + assists": 93,
    "pts + reb + ast": 93,
    "pra": 93,
    "points + rebounds": 297,
    "pts + reb": 297,
    "points + assists": 99,
    "pts + ast": 99,
    "rebounds + assists": 298,
    "reb + ast": 298,
    "double double": 87,
    "triple double": 88,
    # baseball props
    "hits": 12,
    "home runs": 10,
    "total bases": 11,
    "rbis": 18,
    "rbi": 18,
    "runs scored": 17,
    "singles": 16,
    "doubles": 13,
    "triples": 15,
    "stolen bases": 40,
    "walks": 967,
    "hits + runs + rbis": 966,
    "strikeouts": 19,
    "pitcher strikeouts": 19,
    "strikeouts thrown": 19,
    "hits allowed": 47,
    "earned runs": 1121,
    "earned runs allowed": 1121,
    "pitcher outs": 973,
    "outs recorded": 973,
    "walks allowed": 1147,
    "to hit a home run": 72,
    "anytime home run": 72,
    # football props
    "passing yards": 50001,
    "rushing yards": 50002,
    "receiving yards": 50003,
    # soccer props
    "anytime goalscorer": 410,
    "anytime goal scorer": 410,
    "first goalscorer": 405,
    "first goal scorer": 405,
    "last goalscorer": 1100,
    "last goal scorer": 1100,
    "anytime assist": 404,
    "shots": 97,
    **_segmented(),
}
#: Stat props also named with ``Player`` in front (``Player Hits``, ``Player Passing
#: Yards``).
_PLAYER_PREFIXED = frozenset(
    {10, 11, 12, 13, 15, 16, 18, 29, 33, 35, 38, 39, 40, 93, 97, 98, 99, 297, 298, 966, 967}
    | {50001, 50002, 50003}
)
VENDOR_MARKETS.update(
    {
        f"player {name}": market_id
        for name, market_id in list(VENDOR_MARKETS.items())
        if market_id in _PLAYER_PREFIXED
    }
)

_SUFFIX = re.compile(r"^(?P<base>.+) \((?P<period>[^()]+)\)$")
_SPACES = re.compile(r"\s+")


def _folded(name: str) -> str:
    return _SPACES.sub(" ", name.strip().lower())


class MarketTable:
    """Market name lookups for one catalog (see the module doc)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        names = Names(catalog)
        self._exact: dict[str, MarketRef] = {
            name: self._ref(market_id, catalog.markets[market_id].period_id)
            for market_id, name in names.markets.items()
        }
        self._periods = {p.name: p.id for p in catalog.periods.values()}
        self._vendor = {k: v for k, v in VENDOR_MARKETS.items() if v in catalog.markets}

    def _ref(self, market_id: int, period_id: int) -> MarketRef:
        market = self.catalog.markets[market_id]
        return MarketRef(market_id, period_id, market.kind, market.line_value_is_participant)

    def lookup(self, name: str, sport_id: int | None) -> MarketRef | str:
        """The market a name means for a sport (None: any sport), or why there is none."""
        if len(name) > 200:
            return "market name too long"
        found = self._exact.get(name)
        if found is not None:
            return found
        suffixed = _SUFFIX.match(name)
        if suffixed is not None:
            base = self._exact.get(suffixed["base"])
            period_id = self._periods.get(suffixed["period"])
            if base is not None and period_id is not None:
                return base._replace(period_id=period_id)
        market_id = self._vendor.get(_folded(name))
        if market_id is None:
            return "no catalog market for this BoltOdds market name"
        market = self.catalog.markets[market_id]
        if sport_id is not None and market.sports and sport_id not in market.sports:
            shown = market.short_description or market.name
            return f"market {market_id} ({shown}) is not offered for sport {sport_id}"
        return self._ref(market_id, market.period_id)
