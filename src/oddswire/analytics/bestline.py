"""Best line per side across books, for an event and a period.

Only open, main-line prices count (a book's alternates are not its line). For
moneylines the best price wins. For spreads the best line for the side wins (the most
points taken or the fewest given), then the best price; for totals the lowest total
for Over and the highest for Under, then the best price.
"""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.board import EventState, LineState, PriceState
from oddswire.model.change import PriceStatus
from oddswire.model.lines import parse_line
from oddswire.refdata import DRAW, OVER, UNDER, Catalog

#: V1 period names (and the docs' "quarter" spelling) to period ids, reference §3.4.
PERIOD_ALIASES = {
    "period_first_quarter": 3,
    "period_second_quarter": 4,
    "period_third_quarter": 5,
    "period_fourth_quarter": 6,
    "period_live_first_quarter": 15,
    "period_live_second_quarter": 16,
    "period_live_third_quarter": 17,
    "period_live_fourth_quarter": 18,
}


@dataclass(frozen=True, slots=True)
class Best:
    """The best quote for one side: price, line value (None for moneylines), book."""

    price: float
    line: float | None
    affiliate_id: int
    updated_at: float


@dataclass(frozen=True, slots=True)
class BestLines:
    period_id: int
    home: Best | None = None
    away: Best | None = None
    draw: Best | None = None
    spread_home: Best | None = None
    spread_away: Best | None = None
    over: Best | None = None
    under: Best | None = None
    has_draw: bool = False


def period_id(catalog: Catalog, name: str) -> int | None:
    """A V1 period name (``period_full_game``...) as a period id, or None."""
    found = catalog.period_by_v1_key.get(name)
    if found is not None:
        return found.id
    return PERIOD_ALIASES.get(name)


def market_ids(catalog: Catalog, sport_id: int, period: int) -> dict[str, int]:
    """The moneyline, spread and total market ids of a period, for a sport."""
    out: dict[str, int] = {}
    for market in sorted(catalog.markets.values(), key=lambda m: m.id):
        if market.period_id != period or market.stat is not None:
            continue
        if market.kind in ("moneyline", "spread", "total") and sport_id in market.sports:
            out.setdefault(market.kind, market.id)
    return out


def _better(candidate: Best, current: Best | None, *, higher_line: bool) -> bool:
    if current is None:
        return True
    if candidate.line is not None and current.line is not None and candidate.line != current.line:
        return candidate.line > current.line if higher_line else candidate.line < current.line
    return candidate.price > current.price


def _quotes(line: LineState, books: frozenset[int] | None) -> list[tuple[int, PriceState]]:
    return [
        (affiliate_id, price)
        for affiliate_id, price in line.items()
        if price.status == PriceStatus.OPEN
        and price.is_main_line
        and (books is None or affiliate_id in books)
    ]


def best_lines(
    catalog: Catalog, state: EventState, period: int, books: frozenset[int] | None = None
) -> BestLines:
    """Best quotes per side of the event's moneyline, spread and total in ``period``."""
    event = state.event
    ids = market_ids(catalog, event.sport_id, period)
    sport = catalog.sports.get(event.sport_id)
    best: dict[str, Best] = {}
    for kind, market_id in ids.items():
        market = state.markets.get((market_id, period))
        if market is None:
            continue
        for lines in market.participants.values():
            for line in lines:
                _, number = parse_line(line.line)
                side = _side(kind, line, event.home_team_id, event.away_team_id)
                if side is None:
                    continue
                for affiliate_id, price in _quotes(line, books):
                    candidate = Best(price.price, number, affiliate_id, price.source_ts)
                    if _better(candidate, best.get(side), higher_line=side != "over"):
                        best[side] = candidate
    return BestLines(
        period_id=period,
        home=best.get("home"),
        away=best.get("away"),
        draw=best.get("draw"),
        spread_home=best.get("spread_home"),
        spread_away=best.get("spread_away"),
        over=best.get("over"),
        under=best.get("under"),
        has_draw=bool(sport and sport.has_draw),
    )


def _side(kind: str, line: LineState, home: int, away: int) -> str | None:
    pid = line.participant_id
    if kind == "moneyline":
        return {home: "home", away: "away", DRAW: "draw"}.get(pid)
    if kind == "spread":
        return {home: "spread_home", away: "spread_away"}.get(pid)
    return {OVER: "over", UNDER: "under"}.get(pid)


def _payout(american: float) -> float:
    """What 1 staked returns, stake included (decimal odds): how prices rank."""
    return 1.0 + (american / 100.0 if american > 0 else 100.0 / -american)


def ranked_quotes(
    line: LineState, books: frozenset[int] | None = None, include_alternates: bool = False
) -> list[tuple[int, PriceState]]:
    """The books' open prices on one line, best for the bettor first.

    Only open prices count, never the off-board sentinel or anything that is not an
    American price (``|price| < 100``). Without ``include_alternates`` a book's price
    counts only where the line is that book's main line. Ties: the most recently updated
    first, then the lowest affiliate id.
    """
    quotes = [
        (affiliate_id, price)
        for affiliate_id, price in line.items()
        if price.status == PriceStatus.OPEN
        and abs(price.price) >= 100
        and (include_alternates or price.is_main_line)
        and (books is None or affiliate_id in books)
    ]
    quotes.sort(key=lambda q: (-_payout(q[1].price), -q[1].source_ts, q[0]))
    return quotes
