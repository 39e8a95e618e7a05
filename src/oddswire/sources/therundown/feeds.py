"""What the source follows, as delta feeds: one cursor per sport (and per batch of at
most 12 markets, TheRundown's cap on ``market_ids``).

Each feed is a :class:`oddswire.client.polling.DeltaPoller`, the SDK's I/O-free
cursor state: its snapshot is the sport's events on every followed day (the cursor is
the lowest ``meta.delta_last_id`` of them, so no change between the day snapshots is
missed; rows re-applied are harmless), its delta call ``/api/v2/markets/delta`` with the
same market and book filters, ``has_more`` asks again at once, and a stale cursor
takes one fresh snapshot; a second refusal in a row is raised, not looped on (the
source then starts the feed afresh after a pause).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from oddswire.client.core import Call
from oddswire.client.errors import StaleCursorError
from oddswire.client.markets import with_live_variants
from oddswire.client.polling import DeltaPoller
from oddswire.wire.therundown import v2_models as v2

#: TheRundown refuses more market ids than this in one request (reference §1.3).
MAX_MARKET_IDS = 12


def batches(values: list[int], size: int = MAX_MARKET_IDS) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)] or [[]]


@dataclass(slots=True)
class Feed:
    sport_id: int
    market_ids: list[int]
    affiliate_ids: list[int] | None
    poller: DeltaPoller

    @property
    def cursor(self) -> int | None:
        return self.poller.cursor

    @property
    def needs_snapshot(self) -> bool:
        return self.poller.needs_snapshot

    def delta_call(self) -> Call[v2.MarketsDeltaResponse]:
        return self.poller.delta_call()

    def snapshot_taken(self, cursors: Iterable[int]) -> None:
        """The day snapshots were taken: poll from the lowest of their cursors."""
        low = min(cursors, default=None)
        if low is None:
            return
        self.poller.received(v2.EventsResponse(meta=v2.Meta(delta_last_id=str(low)), events=[]))

    def page(self, cursor: int, count: int, has_more: bool) -> None:
        meta = v2.DeltaMeta(delta_last_id=str(cursor), count=count, has_more=has_more)
        self.poller.received(v2.MarketsDeltaResponse(meta=meta, deltas=[]))

    def stale(self, error: StaleCursorError) -> None:
        """One fresh snapshot; raises ``error`` on a second refusal in a row."""
        self.poller.stale(error)

    def advance(self, cursor: int) -> None:
        """The stream has delivered up to ``cursor``: a gap fill starts there."""
        current = self.poller.cursor
        if current is not None and cursor > current:
            self.poller.cursor = cursor


class Feeds:
    """Every followed sport's feeds (see the module docstring)."""

    def __init__(
        self,
        sport_ids: Iterable[int],
        market_ids: Iterable[int],
        affiliate_ids: Iterable[int],
        *,
        live_variants: Mapping[int, int],
        limit: int = 1000,
    ) -> None:
        self.sport_ids = list(dict.fromkeys(sport_ids))
        #: The followed markets and their live variants (snapshots and deltas alike).
        self.market_ids = with_live_variants(list(dict.fromkeys(market_ids)), live_variants)
        self.affiliate_ids = list(dict.fromkeys(affiliate_ids)) or None
        self.limit = limit
        self._feeds = [
            self._new(sport_id, chunk)
            for sport_id in self.sport_ids
            for chunk in batches(self.market_ids)
        ]

    def _new(self, sport_id: int, market_ids: list[int]) -> Feed:
        poller = DeltaPoller(
            sport_id,
            date.today(),  # unused: the source snapshots each day itself
            market_ids=market_ids or None,
            affiliate_ids=self.affiliate_ids,
            limit=self.limit,
        )
        return Feed(sport_id, market_ids, self.affiliate_ids, poller)

    def __iter__(self) -> Iterator[Feed]:
        return iter(list(self._feeds))

    def restart(self, feed: Feed) -> Feed:
        """A fresh feed in place of ``feed`` (its cursor refused twice running)."""
        fresh = self._new(feed.sport_id, feed.market_ids)
        self._feeds = [fresh if f is feed else f for f in self._feeds]
        return fresh

    def advance(self, stream_ids: Mapping[int, int]) -> None:
        for feed in self._feeds:
            cursor = stream_ids.get(feed.sport_id)
            if cursor is not None:
                feed.advance(cursor)

    def cursors(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for feed in self._feeds:
            name = str(feed.sport_id)
            if len(self._feeds) > len(self.sport_ids):
                name += ":" + ",".join(str(m) for m in feed.market_ids)
            out[name] = feed.cursor
        return out


__all__ = ["MAX_MARKET_IDS", "Feed", "Feeds", "batches"]
