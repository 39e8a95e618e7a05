"""TheRundown's legacy ``/api/v1/ws`` messages (reference §4.5, seed 004).

A price change on a book's main full-game moneyline, spread or total (markets 1, 2, 3,
or their live variants 41, 42, 43) is a ``moneyline`` / ``spread`` / ``total`` message.
Its ``data`` is that book's whole V1 line for the event and period, as the V1 REST writes
it (``lines``, or ``line_periods`` for the live period), plus ``event_id``, ``sport_id``
and ``affiliate_id``; seed 004's flat fields (``event_id``, ``affiliate_id``,
``moneyline.money_line_away``...) sit at the top level of the same message.

Every other price change has no V1 form (this encoder returns None; the endpoint sends
it as a V2 ``market_price``), and event changes go out through the shared ``score``
encoder. :class:`V1Filter` adds the socket's ``date`` filter and the V1/V2 split.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import msgspec

from oddswire.board import EventState, LineState
from oddswire.board.days import local_date
from oddswire.model.change import EventChange, PriceChange
from oddswire.refdata import Catalog
from oddswire.stream.filters import StreamFilter
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.v1_lines import LineWriter
from oddswire.wire.therundown.v1_markets import (
    FULL_GAME,
    KINDS,
    MONEYLINE,
    SPREAD,
    TOTAL,
    line_markets,
)
from oddswire.wire.therundown.v1_quotes import Entry

_encode = msgspec.json.Encoder().encode
#: The kinds a V1 message is typed by (team totals have no message type of their own).
MESSAGE_KINDS = (MONEYLINE, SPREAD, TOTAL)


@lru_cache(maxsize=256)
def _v1_markets(catalog: Catalog, sport_id: int) -> dict[tuple[int, int], str]:
    """(market id, period id) -> kind, for the markets whose changes are V1 messages."""
    markets = line_markets(catalog, sport_id)
    out: dict[tuple[int, int], str] = {}
    for kind in MESSAGE_KINDS:
        full = markets.market(FULL_GAME, kind)
        if full is None:
            continue
        out[(full, FULL_GAME)] = kind
        definition = catalog.markets.get(full)
        live = None if definition is None else catalog.markets.get(definition.live_variant_id or -1)
        if live is not None and markets.by_market.get(live.id) == (live.period_id, kind):
            out[(live.id, live.period_id)] = kind
    return out


def v1_kind(catalog: Catalog, line: LineState, change: PriceChange) -> str | None:
    """The V1 message type of a price change, or None if it has no V1 form (props,
    alternates, other periods, team totals)."""
    if not change.is_main_line:
        return None
    return _v1_markets(catalog, line.event.event.sport_id).get((line.market_id, line.period_id))


def book_kinds(
    catalog: Catalog, state: EventState, period: int, affiliate_id: int
) -> dict[str, list[Entry]]:
    """One book's current entries in the V1 line markets of a period, by kind (what the
    V1 REST gathers for the same event, period and book)."""
    markets = line_markets(catalog, state.event.sport_id)
    out: dict[str, list[Entry]] = {}
    for kind in KINDS:
        market_id = markets.market(period, kind)
        market = None if market_id is None else state.markets.get((market_id, period))
        if market is None:
            continue
        entries: list[Entry] = []
        for lines in market.participants.values():
            for line in lines:
                price = line.price(affiliate_id)
                if price is not None:
                    entries.append((line, price))
        if entries:
            out[kind] = entries
    return out


def flat_fields(line: v1.V1Line) -> dict[str, Any]:
    """Seed 004's flat objects, from a V1 line (same numbers, sentinel included)."""
    ml, spread, total = line.moneyline, line.spread, line.total
    return {
        "moneyline": {
            "money_line_away": ml.moneyline_away,
            "money_line_home": ml.moneyline_home,
            "money_line_draw": ml.moneyline_draw,
        },
        "spread": {
            "point_spread_away": spread.point_spread_away,
            "point_spread_away_money": spread.point_spread_away_money,
            "point_spread_home": spread.point_spread_home,
            "point_spread_home_money": spread.point_spread_home_money,
        },
        "total": {
            "total_over": total.total_over,
            "total_over_money": total.total_over_money,
            "total_under": total.total_under,
            "total_under_money": total.total_under_money,
        },
    }


class V1Lines:
    """``moneyline`` / ``spread`` / ``total`` messages (None for every other change)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.writer = LineWriter(catalog)

    def price(self, change: PriceChange, line: LineState) -> bytes | None:
        kind = v1_kind(self.catalog, line, change)
        if kind is None:
            return None
        state = line.event
        event = state.event
        period, book = line.period_id, change.affiliate_id
        entries = book_kinds(self.catalog, state, period, book)
        written = self.writer.line(event, state.ref, period, book, entries)
        ids = {"event_id": event.event_id, "sport_id": event.sport_id, "affiliate_id": book}
        data: dict[str, Any] = msgspec.to_builtins(written)
        data |= ids
        now = change.received_ts or time.time()
        body: dict[str, Any] = {
            "meta": {"type": kind, "version": "v1", "timestamp": int(now)},
            "data": data,
            **ids,
            "period_id": period,
            **flat_fields(written),
        }
        return _encode(body)

    def event(self, change: EventChange, state: EventState) -> bytes | None:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class V1Filter(StreamFilter):
    """A :class:`StreamFilter` plus the V1 socket's own parts.

    ``day`` keeps events whose start falls on that date (``offset`` minutes behind UTC,
    as the V1 REST's ``offset``). ``v1_form`` True keeps only price changes that are V1
    messages, False only those that are not, None both.
    """

    catalog: Catalog
    v1_form: bool | None = None
    day: date | None = None
    offset: int = 0

    def event(self, state: EventState) -> bool:
        if not StreamFilter.event(self, state):
            return False
        return self.day is None or local_date(state.event.event_date, self.offset) == self.day

    def price(self, line: LineState, change: PriceChange) -> bool:
        form = self.v1_form
        if form is not None and (v1_kind(self.catalog, line, change) is not None) is not form:
            return False
        return StreamFilter.price(self, line, change)
