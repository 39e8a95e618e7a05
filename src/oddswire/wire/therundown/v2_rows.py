"""V2 row shapes: ``markets/delta`` rows, history rows, the series form, opening lines.

Prices in rows are strings (``"-110"``), as TheRundown writes them; a pulled price is
``"0.0001"``.
"""

from __future__ import annotations

from collections.abc import Iterable

from oddswire.board import LineState
from oddswire.board.history import PriceDelta
from oddswire.model.change import PriceStatus
from oddswire.model.ids import price_id
from oddswire.refdata import Catalog
from oddswire.store.base import HistoryRecord
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.common import OFF_BOARD_SENTINEL, american_text, rfc3339

SENTINEL_TEXT = american_text(OFF_BOARD_SENTINEL)


def price_text(price: float, status: PriceStatus | None) -> str:
    return SENTINEL_TEXT if status == PriceStatus.OFF_BOARD else american_text(price)


def previous_text(delta: PriceDelta) -> str | None:
    if delta.previous_price is None:
        return None
    return price_text(delta.previous_price, delta.previous_status)


def from_history(line: LineState, record: HistoryRecord) -> PriceDelta:
    return PriceDelta(
        record.sequence,
        line,
        record.affiliate_id,
        record.price,
        record.status,
        record.is_main_line,
        record.previous_price,
        record.previous_status,
        record.source_ts,
    )


def delta_row(catalog: Catalog, delta: PriceDelta) -> v2.DeltaRow:
    line = delta.line
    event = line.event.event
    market = catalog.markets.get(line.market_id)
    row = v2.DeltaRow(
        id=delta.sequence,
        event_id=event.event_id,
        sport_id=event.sport_id,
        affiliate_id=delta.affiliate_id,
        market_id=line.market_id,
        market_name=market.name if market else str(line.market_id),
        period_id=line.period_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type.wire_name,
        participant_name=catalog.participant_name(line.participant_id, line.participant_type),
        line=line.line,
        price=price_text(delta.price, delta.status),
        previous_price=previous_text(delta),
        change_type=delta.change_type,
        is_main_line=delta.is_main_line,
        updated_at=rfc3339(delta.source_ts),
    )
    if delta.status == PriceStatus.CLOSED:
        row.closed_at = rfc3339(delta.source_ts)
    return row


def history_row(delta: PriceDelta) -> v2.HistoryRow:
    line = delta.line
    event = line.event.event
    row = v2.HistoryRow(
        id=delta.sequence,
        market_line_price_id=str(price_id(line.id, delta.affiliate_id)),
        event_id=event.event_id,
        sport_id=event.sport_id,
        affiliate_id=delta.affiliate_id,
        market_participant_id=line.participant_id,
        market_id=line.market_id,
        period_id=line.period_id,
        line=line.line,
        price=price_text(delta.price, delta.status),
        previous_price=previous_text(delta),
        change_type=delta.change_type,
        is_main_line=delta.is_main_line,
        updated_at=rfc3339(delta.source_ts),
    )
    if delta.status == PriceStatus.CLOSED:
        row.closed_at = rfc3339(delta.source_ts)
    return row


def series(
    catalog: Catalog, event_id: str, market_id: int, deltas: Iterable[PriceDelta]
) -> v2.SeriesResponse:
    """The per-book time series form of one market's history."""
    books: dict[str, v2.SeriesBook] = {}
    for delta in deltas:
        key = str(delta.affiliate_id)
        book = books.get(key)
        if book is None:
            found = catalog.affiliates.get(delta.affiliate_id)
            name = found.affiliate_name if found else key
            book = books[key] = v2.SeriesBook(affiliate_name=name, data=[])
        point = v2.SeriesPoint(
            t=rfc3339(delta.source_ts),
            p=price_text(delta.price, delta.status),
            m=delta.is_main_line,
        )
        if delta.status == PriceStatus.CLOSED:
            point.c = rfc3339(delta.source_ts)
        book.data.append(point)
    market = catalog.markets.get(market_id)
    return v2.SeriesResponse(
        meta=v2.SeriesMeta(
            event_id=event_id,
            market_id=market_id,
            market_name=market.name if market else str(market_id),
        ),
        series=books,
    )


def opening(
    catalog: Catalog, event_id: str, prices: Iterable[tuple[LineState, int, float, float]]
) -> v2.OpeningResponse:
    """``markets/opening``: first prices keyed by market, then ``"<participant>:<line>"``."""
    markets: dict[str, v2.OpeningMarket] = {}
    count = 0
    for line, affiliate_id, price, timestamp in prices:
        key = str(line.market_id)
        market = markets.get(key)
        if market is None:
            found = catalog.markets.get(line.market_id)
            market = markets[key] = v2.OpeningMarket(
                market_id=line.market_id,
                market_name=found.name if found else key,
                lines={},
            )
        line_key = f"{line.participant_id}:{line.line}"
        entry = market.lines.get(line_key)
        if entry is None:
            entry = market.lines[line_key] = v2.OpeningLine(
                participant_id=line.participant_id,
                participant_type=line.participant_type.wire_name,
                participant_name=catalog.participant_name(
                    line.participant_id, line.participant_type
                ),
                prices={},
            )
        entry.prices[str(affiliate_id)] = v2.OpeningPrice(
            price=american_text(price), timestamp=rfc3339(timestamp)
        )
        count += 1
    return v2.OpeningResponse(meta=v2.HistoryMeta(event_id=event_id, count=count), markets=markets)
