"""Delta polling, as reference §2.3 recommends: snapshot, cursor, poll ``markets/delta``
(again at once while ``has_more``), and on a stale cursor one fresh snapshot, never a
loop of them.

:class:`DeltaPoller` holds the loop's state and decides each next request without I/O;
``Client.poll_markets`` and ``AsyncClient.poll_markets`` drive it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from oddswire.client import endpoints as ep
from oddswire.client.core import Call
from oddswire.client.errors import StaleCursorError
from oddswire.client.markets import with_live_variants
from oddswire.wire.therundown import v2_models as v2


@dataclass(frozen=True, slots=True)
class PollResult:
    """One step: a snapshot (``events`` set; after a stale cursor ``rebootstrap`` is
    True) or a page of price changes (``deltas``)."""

    cursor: int
    events: list[v2.Event] = field(default_factory=list)
    deltas: list[v2.DeltaRow] = field(default_factory=list)
    snapshot: bool = False
    rebootstrap: bool = False
    has_more: bool = False


class DeltaPoller:
    """The state of one sport's snapshot + delta loop (see the module docstring)."""

    def __init__(
        self,
        sport_id: int,
        day: date | str,
        *,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
        limit: int = 1000,
        cursor: int | None = None,
        live_variants: Mapping[int, int] | None = None,
    ) -> None:
        self.sport_id = sport_id
        self.day = day
        self.market_ids = None if market_ids is None else list(market_ids)
        #: ``markets/delta`` filters literally, while a snapshot brings each market's
        #: live variant along (1 -> 41): the delta asks for both.
        self.delta_market_ids = self.market_ids
        if self.market_ids is not None and live_variants:
            self.delta_market_ids = with_live_variants(self.market_ids, live_variants)
        self.affiliate_ids = None if affiliate_ids is None else list(affiliate_ids)
        self.main_line = main_line
        self.limit = limit
        self.cursor = cursor
        self.has_more = False
        self._rebootstrapping = False
        self._stale_in_a_row = 0

    @property
    def needs_snapshot(self) -> bool:
        return self.cursor is None

    def snapshot_call(self) -> Call[v2.EventsResponse]:
        return ep.sport_events(
            self.sport_id,
            self.day,
            market_ids=self.market_ids,
            affiliate_ids=self.affiliate_ids,
            main_line=self.main_line,
        )

    def delta_call(self) -> Call[v2.MarketsDeltaResponse]:
        if self.cursor is None:
            raise ValueError("take a snapshot first")
        return ep.markets_delta(
            self.cursor,
            sport_id=self.sport_id,
            market_ids=self.delta_market_ids,
            affiliate_ids=self.affiliate_ids,
            limit=self.limit,
        )

    def received(self, response: v2.EventsResponse | v2.MarketsDeltaResponse) -> PollResult:
        if isinstance(response, v2.EventsResponse):
            if response.meta is None:
                raise ValueError("the events response has no meta.delta_last_id to poll from")
            self.cursor = int(response.meta.delta_last_id)
            rebootstrap, self._rebootstrapping = self._rebootstrapping, False
            self.has_more = False
            return PollResult(
                self.cursor, events=response.events, snapshot=True, rebootstrap=rebootstrap
            )
        self._stale_in_a_row = 0
        self.cursor = int(response.meta.delta_last_id)
        self.has_more = response.meta.has_more
        return PollResult(self.cursor, deltas=response.deltas, has_more=self.has_more)

    def stale(self, error: StaleCursorError) -> None:
        """The cursor was refused: take one fresh snapshot; a second refusal in a row
        (the snapshot's own cursor refused) is raised, not looped on."""
        self._stale_in_a_row += 1
        if self._stale_in_a_row > 1:
            raise error
        self.cursor = None
        self._rebootstrapping = True


__all__ = ["DeltaPoller", "PollResult"]
