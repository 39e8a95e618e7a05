"""A local board kept live: the stream applied to a :class:`LocalBoard`, with events
loaded over REST when the stream first mentions them and reloaded after a reset."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from oddswire.client.board import LocalBoard
from oddswire.client.markets import live_variants, with_live_variants
from oddswire.client.stream import MarketFilter, MarketStream, StreamReset
from oddswire.wire.therundown.stream_models import MarketPrice

if TYPE_CHECKING:
    from oddswire.client.aio import AsyncClient


class BoardFeed:
    """Keeps ``board`` equal to the hub's board (for the filter's events and markets).

    Iterate it to drive it; each applied change is yielded after the board holds it::

        feed = BoardFeed(api, MarketFilter.of(sport_ids=[4], market_ids=[1, 2, 3]))
        async for change in feed:
            print(feed.board.price(...))

    Events are loaded with ``GET /api/v2/events/{id}`` (with the filter's markets, their
    live variants and books) the first time the stream mentions them, so the board holds
    every event that changed since the feed started; :meth:`load` adds others up front.
    """

    def __init__(
        self,
        api: AsyncClient,
        wanted: MarketFilter | None = None,
        *,
        stream: MarketStream | None = None,
    ) -> None:
        self.api = api
        self.wanted = wanted or MarketFilter()
        self.stream = stream or MarketStream(api.config, self.wanted)
        self.board = LocalBoard()
        self._markets: list[int] | None = None
        self._reload = False

    async def load(self, event_ids: list[str]) -> None:
        """Load these events now (as of the stream's position)."""
        for event_id in event_ids:
            await self._load(event_id, self.board.sequence)

    async def __aiter__(self) -> AsyncIterator[MarketPrice]:
        async for item in self.stream:
            if isinstance(item, StreamReset):
                self._reload = True
                continue
            if self._reload:
                self._reload = False
                for state in list(self.board.board.events()):
                    await self._load(state.event.event_id, item.id - 1)
            if not self.board.has_event(item.event_id):
                await self._load(item.event_id, item.id - 1)
            self.board.apply(item)
            yield item

    async def _load(self, event_id: str, sequence: int) -> None:
        """One event from REST, as of ``sequence`` (what the REST answer holds is at
        least that new; anything newer still arrives on the stream and wins)."""
        from oddswire.client.errors import NotFoundError

        w = self.wanted
        try:
            response = await self.api.event(
                event_id,
                market_ids=await self._market_ids(),
                affiliate_ids=w.affiliate_ids,
                participant_ids=w.participant_ids,
                participant_type=w.participant_type,
                main_line=w.main_line,
            )
        except NotFoundError:
            return  # gone from the hub (evicted): the stream has nothing more for it
        self.board.load_events(response.events, sequence)

    async def _market_ids(self) -> list[int] | None:
        wanted = self.wanted.market_ids
        if wanted is None:
            return None
        if self._markets is None:
            self._markets = with_live_variants(wanted, live_variants(await self.api.markets()))
        return self._markets


__all__ = ["BoardFeed"]
