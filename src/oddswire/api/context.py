"""What handlers need: the hub (board, store, sources), the catalog, the writers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from oddswire.access import entitlements
from oddswire.access.identity import STATE_KEY, Identity
from oddswire.access.slots import Slots
from oddswire.access.tiers import Entitlement, Tier
from oddswire.api.encoded import EncodedEvents
from oddswire.api.errors import ApiError, NotFound
from oddswire.api.views import View, Views
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
    #: The live view and the delayed ones (reference §5.1 data delay).
    views: Views
    #: WebSocket connection slots per account (reference §4.6).
    slots: Slots = field(default_factory=Slots)

    @property
    def encoded(self) -> EncodedEvents:
        """The live board's encoded events."""
        return self.views.live.encoded

    @property
    def fanout(self) -> Fanout:
        """The live board's fan-out."""
        return self.views.live.fanout

    @classmethod
    def for_hub(cls, hub: Hub) -> ApiContext:
        """The context for ``hub``; its fan-out follows the hub's committed changes and
        its opportunities (a delayed view's, its replica's)."""
        writer = EventWriter(hub.catalog)
        changelog = hub.changelog

        def make_fanout(published: Callable[[], int]) -> Fanout:
            return Fanout(
                wires.encoders(hub.catalog),
                published,
                opportunity_encoders=wires.opportunity_encoders(hub.catalog),
            )

        fanout = make_fanout(lambda: changelog.last_sequence)
        hub.on_committed(fanout.publish)
        hub.opportunities.on_change(fanout.publish_opportunities)
        live = View(hub.board, EncodedEvents(writer), fanout)
        return cls(hub=hub, catalog=hub.catalog, v2=writer, views=Views(hub, live, make_fanout))

    def view(self, scope: Mapping[str, Any]) -> View:
        """What this request reads: the live board, or its key's delayed replica."""
        return self.views.of(scope)

    def require_realtime(self, scope: Mapping[str, Any], what: str) -> None:
        """403 for a delayed key: ``what`` only makes sense in real time (reference:
        ``markets/delta`` is only valid with ``X-Data-Delay-Seconds: 0``)."""
        message = realtime_refusal(tier_of(scope), what)
        if message is not None:
            raise ApiError(403, message)

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

    def sequence_of(self, view: View) -> int:
        """The last sequence ``view`` shows: what its cursors point after."""
        return self.committed if view.upto is None else view.upto

    def uuid_cursor(self, view: View | None = None) -> str:
        """The V1 delta cursor after what ``view`` (default: the live board) shows."""
        return cursor.encode(self.epoch, self.committed if view is None else self.sequence_of(view))

    # ------------------------------------------------------------ access

    def require_markets(self, scope: Mapping[str, Any], asked: Iterable[int] | None) -> None:
        """403 if ``asked`` (explicit ``market_ids``) names a market the key's tier lacks."""
        message = entitlements.markets_refusal(tier_of(scope), self.catalog.markets, asked)
        if message is not None:
            raise ApiError(403, message)

    def denied_markets(self, scope: Mapping[str, Any]) -> frozenset[int]:
        """Markets left out of the key's default (no ``market_ids``) responses."""
        return entitlements.denied_markets(tier_of(scope), self.catalog.markets)


def identity_of(scope: Mapping[str, Any]) -> Identity | None:
    """The request's identity (None on public paths)."""
    found = scope.get("state", {}).get(STATE_KEY)
    return found if isinstance(found, Identity) else None


def tier_of(scope: Mapping[str, Any]) -> Tier | None:
    identity = identity_of(scope)
    return None if identity is None else identity.tier


def realtime_refusal(tier: Tier | None, what: str) -> str | None:
    """The 403 message if ``tier``'s data is delayed and ``what`` needs real time."""
    if tier is None or tier.delay_seconds <= 0:
        return None
    return (
        f"{what} requires real-time data; this key's data is delayed "
        f"{tier.delay_seconds:g} s ({tier.name} plan)"
    )


def require(scope: Mapping[str, Any], entitlement: Entitlement) -> None:
    """403 with the reference's body if the key's tier lacks ``entitlement``."""
    message = entitlements.refusal(tier_of(scope), entitlement)
    if message is not None:
        raise ApiError(403, message)


def require_lookback(scope: Mapping[str, Any], state: EventState) -> None:
    """403 if ``state``'s event started before the key's history window."""
    started = state.event.event_date.timestamp()
    message = entitlements.lookback_refusal(tier_of(scope), started, time.time())
    if message is not None:
        raise ApiError(403, message)
