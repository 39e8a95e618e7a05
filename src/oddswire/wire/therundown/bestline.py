"""Best lines written in TheRundown's best-line shape (V2 best-line, V1 lines/best)."""

from __future__ import annotations

from oddswire.analytics.bestline import Best, BestLines
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.common import american, rfc3339


def _book(catalog: Catalog, best: Best | None) -> v2.BestAffiliate | None:
    if best is None:
        return None
    found = catalog.affiliates.get(best.affiliate_id)
    return v2.BestAffiliate(
        affiliate_id=best.affiliate_id,
        affiliate_name=found.affiliate_name if found else str(best.affiliate_id),
        updated_at=rfc3339(best.updated_at),
    )


def _price(best: Best | None) -> int | float | None:
    return None if best is None else american(best.price)


def _line(best: Best | None) -> float | None:
    return None if best is None else best.line


def period(catalog: Catalog, lines: BestLines) -> v2.BestLinePeriod:
    moneyline = v2.BestMoneyline(
        moneyline_home=_price(lines.home),
        moneyline_away=_price(lines.away),
        best_affiliate_home=_book(catalog, lines.home),
        best_affiliate_away=_book(catalog, lines.away),
    )
    if lines.has_draw:
        moneyline.moneyline_draw = _price(lines.draw)
        moneyline.best_affiliate_draw = _book(catalog, lines.draw)
    return v2.BestLinePeriod(
        moneyline=moneyline,
        spread=v2.BestSpread(
            point_spread_home=_line(lines.spread_home),
            point_spread_away=_line(lines.spread_away),
            point_spread_home_money=_price(lines.spread_home),
            point_spread_away_money=_price(lines.spread_away),
            best_affiliate_home=_book(catalog, lines.spread_home),
            best_affiliate_away=_book(catalog, lines.spread_away),
        ),
        total=v2.BestTotal(
            total_over=_line(lines.over),
            total_under=_line(lines.under),
            total_over_money=_price(lines.over),
            total_under_money=_price(lines.under),
            best_affiliate_over=_book(catalog, lines.over),
            best_affiliate_under=_book(catalog, lines.under),
        ),
    )


def response(
    catalog: Catalog, event_id: str, main: BestLines, periods: dict[str, BestLines]
) -> v2.BestLineResponse:
    head = period(catalog, main)
    out = v2.BestLineResponse(
        event_id=event_id, moneyline=head.moneyline, spread=head.spread, total=head.total
    )
    if periods:
        out.periods = {name: period(catalog, lines) for name, lines in periods.items()}
    return out
