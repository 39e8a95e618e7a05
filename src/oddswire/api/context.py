"""What handlers need: the hub (board, store, sources), the catalog, the writers."""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.api.encoded import EncodedEvents
from oddswire.api.errors import NotFound
from oddswire.api.ws import wires
from oddswire.board import EventState
from oddswire.hub import Hub
from oddswire.refdata import Catalog
from oddswire.stream.fanout import Fanout
from oddswire.wire.therundown import cursor
from oddswire.wire.therundown.v2_events import EventWriter


@dataclass(slots=True)
class ApiContext:
    hub: Hub
    catalog: Catalog
    v2: EventWriter
    encoded: EncodedEvents
    fanout: Fanout

    @classmethod
    def for_hub(cls, hub: Hub) -> ApiContext:
        """The context for ``hub``; its fan-out follows the hub's committed changes and
        its opportunities."""
        writer = EventWriter(hub.catalog)
        changelog = hub.changelog
        fanout = Fanout(
            wires.encoders(hub.catalog),
            lambda: changelog.last_sequence,
            opportunity_encoders=wires.opportunity_encoders(hub.catalog),
        )
        hub.on_committed(fanout.publish)
        hub.opportunities.on_change(fanout.publish_opportunities)
        return cls(
            hub=hub,
            catalog=hub.catalog,
            v2=writer,
            encoded=EncodedEvents(writer),
            fanout=fanout,
        )

    def affiliate_statuses(self) -> dict[int, str]:
        """healthy/unhealthy per book, from the health of the sources that feed it."""
        statuses: dict[int, str] = {}
        for source in self.hub.sources:
            source.refresh_health()
            health = source.health
            for affiliate_id in health.affiliate_ids:
                if statuses.get(affiliate_id) != "healthy":
                    statuses[affiliate_id] = "healthy" if health.healthy else "unhealthy"
        return statuses

    def event_or_404(self, event_id: str) -> EventState:
        state = self.hub.board.event(event_id)
        if state is None:
            raise NotFound()
        return state

    def sport_or_404(self, sport_id: int) -> None:
        if sport_id not in self.catalog.sports:
            raise NotFound(f"unknown sport_id {sport_id}")

    @property
    def committed(self) -> int:
        """The committed sequence: what cursors handed out point after."""
        return self.hub.store.committed_sequence

    @property
    def epoch(self) -> str:
        info = self.hub.store_info
        return info.epoch if info is not None else "0" * 32

    def uuid_cursor(self) -> str:
        return cursor.encode(self.epoch, self.committed)
