"""V1 events: board views written in TheRundown's V1 event shape (reference §2.6)."""

from __future__ import annotations

from collections.abc import Iterable

from oddswire.board.query import EventView
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.common import rfc3339_datetime
from oddswire.wire.therundown.v1_lines import LineWriter
from oddswire.wire.therundown.v1_markets import FULL_GAME, line_markets
from oddswire.wire.therundown.v1_quotes import Entry
from oddswire.wire.therundown.v1_reference import event_teams, teams_normalized
from oddswire.wire.therundown.v2_events import EventWriter, score

BookEntries = dict[tuple[int, int], dict[str, list[Entry]]]
"""(period id, affiliate id) -> kind -> the book's (line, price) entries."""
PERIOD_KEYS = frozenset(v1.V1LinePeriods.__struct_fields__)


def book_entries(catalog: Catalog, view: EventView, *, all_periods: bool) -> BookEntries:
    """Each book's prices in the V1 line markets of the view, by period and kind."""
    markets = line_markets(catalog, view.state.event.sport_id)
    out: BookEntries = {}
    for market in view.markets:
        found = markets.by_market.get(market.market_id)
        if found is None or found[0] != market.period_id:
            continue
        period, kind = found
        if period != FULL_GAME and not all_periods:
            continue
        for participant in market.participants:
            for line_view in participant.lines:
                for affiliate_id, price in line_view.prices:
                    kinds = out.setdefault((period, affiliate_id), {})
                    kinds.setdefault(kind, []).append((line_view.line, price))
    return out


class V1EventWriter:
    """Writes board views as V1 events."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.lines = LineWriter(catalog)
        self._v2 = EventWriter(catalog)

    def events(
        self, views: Iterable[EventView], delta_last_id: str, *, all_periods: bool
    ) -> v1.V1EventsResponse:
        return v1.V1EventsResponse(
            meta=v2.Meta(delta_last_id=delta_last_id),
            events=[self.event(view, all_periods=all_periods) for view in views],
        )

    def event(self, view: EventView, *, all_periods: bool) -> v1.V1Event:
        state = view.state
        event = state.event
        entries = book_entries(self.catalog, view, all_periods=all_periods)
        written = {
            key: self.lines.line(event, state.ref, key[0], key[1], kinds)
            for key, kinds in sorted(entries.items())
        }
        out = v1.V1Event(
            event_id=event.event_id,
            event_uuid=event.event_uuid,
            sport_id=event.sport_id,
            event_date=rfc3339_datetime(event.event_date),
            rotation_number_away=event.rotation_number_away,
            rotation_number_home=event.rotation_number_home,
            score=score(event),
            teams=event_teams(self.catalog, event),
            teams_normalized=teams_normalized(self.catalog, event),
            schedule=self._v2.schedule(event),
            lines={
                str(book): line for (period, book), line in written.items() if period == FULL_GAME
            },
        )
        if all_periods:
            out.line_periods = self._periods(written)
        return out

    def _periods(self, written: dict[tuple[int, int], v1.V1Line]) -> dict[str, v1.V1LinePeriods]:
        by_book: dict[int, dict[str, v1.V1Line]] = {}
        for (period, book), line in written.items():
            found = self.catalog.periods.get(period)
            if found is not None and found.v1_key in PERIOD_KEYS:
                by_book.setdefault(book, {})[found.v1_key] = line
        return {str(book): v1.V1LinePeriods(**lines) for book, lines in sorted(by_book.items())}
