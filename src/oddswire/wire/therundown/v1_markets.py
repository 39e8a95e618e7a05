"""Which markets feed a V1 line: per period, the moneyline, spread, total and team total.

The first three are :func:`oddswire.analytics.bestline.market_ids` (the ones best lines
use); the team total is picked the same way (lowest id of its kind for the period and
sport, no player props).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from oddswire.analytics.bestline import market_ids
from oddswire.refdata import Catalog

MONEYLINE = "moneyline"
SPREAD = "spread"
TOTAL = "total"
TEAM_TOTAL = "team_total"
KINDS = (MONEYLINE, SPREAD, TOTAL, TEAM_TOTAL)
FULL_GAME = 0


@dataclass(frozen=True, slots=True)
class LineMarkets:
    """A sport's V1 line markets: market id -> (period id, kind), and back."""

    by_market: dict[int, tuple[int, str]]
    by_period: dict[tuple[int, str], int]

    def ids(self, *, all_periods: bool) -> frozenset[int]:
        """Market ids to select: the full game's, or every period's."""
        return frozenset(
            market_id
            for market_id, (period, _) in self.by_market.items()
            if all_periods or period == FULL_GAME
        )

    def market(self, period: int, kind: str) -> int | None:
        return self.by_period.get((period, kind))

    def of_kind(self, kind: str) -> dict[int, int]:
        """Market id -> period for one kind, every period."""
        return {m: p for m, (p, k) in self.by_market.items() if k == kind}


@lru_cache(maxsize=256)
def line_markets(catalog: Catalog, sport_id: int) -> LineMarkets:
    by_period: dict[tuple[int, str], int] = {}
    for period in sorted(catalog.periods):
        for kind, market_id in market_ids(catalog, sport_id, period).items():
            by_period[(period, kind)] = market_id
        team_total = _team_total(catalog, sport_id, period)
        if team_total is not None:
            by_period[(period, TEAM_TOTAL)] = team_total
    by_market = {market_id: key for key, market_id in by_period.items()}
    return LineMarkets(by_market, by_period)


def _team_total(catalog: Catalog, sport_id: int, period: int) -> int | None:
    found = [
        m.id
        for m in catalog.markets.values()
        if m.kind == TEAM_TOTAL
        and m.period_id == period
        and m.stat is None
        and sport_id in m.sports
    ]
    return min(found, default=None)
