"""The fan-out: committed batches in, one encoding per wire format, every matching
subscription out.

It listens to the hub's *committed* stream, so no client ever sees a change a crash
could take back. Each change meets only the subscriptions its channel's index yields;
for those that want it, each wire format is encoded once and the same message (and,
for shared formats, the same frame bytes) goes to all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

import msgspec

from oddswire.board import AppliedBatch, EventState, LineState
from oddswire.model.change import EventChange, PriceChange
from oddswire.model.opportunity import Opportunity, OpportunityState
from oddswire.stream.index import SubscriptionIndex
from oddswire.stream.message import Message
from oddswire.stream.outbound import Flusher, TransportOutbound
from oddswire.stream.session import Limits, Session
from oddswire.stream.subscription import HEDGE, MARKETS, SCORES, Subscription

log = logging.getLogger("oddswire.stream")

MAINTAIN_EVERY = 0.05
HEARTBEAT_EVERY = 15.0


class OpportunityEncoder(Protocol):
    """One wire format's encoding of opportunities (the hedge streams)."""

    def opportunity(self, opportunity: Opportunity) -> bytes: ...


def opportunity_key(opportunity_id: str) -> int:
    """The conflation key of an opportunity: a lagging client gets its latest state."""
    return int.from_bytes(hashlib.blake2b(opportunity_id.encode(), digest_size=8).digest())


class Encoder(Protocol):
    """One wire format's encoding of changes (None: this format carries no message)."""

    def price(self, change: PriceChange, line: LineState) -> bytes | None: ...

    def event(self, change: EventChange, state: EventState) -> bytes | None: ...


def price_key(line: LineState, affiliate_id: int) -> int:
    return (line.ref << 7) | affiliate_id


class Fanout:
    def __init__(
        self,
        encoders: dict[str, Encoder],
        committed: Callable[[], int] | None = None,
        limits: Limits | None = None,
        opportunity_encoders: dict[str, OpportunityEncoder] | None = None,
    ) -> None:
        self.encoders = encoders
        self.opportunity_encoders = opportunity_encoders or {}
        self._committed = committed
        #: Buffer bounds for sessions opened from now on.
        self.limits = limits or Limits()
        #: Coalesces each session's writes into one per event-loop turn.
        self.flusher = Flusher()
        self.indexes = {MARKETS: SubscriptionIndex(), SCORES: SubscriptionIndex()}
        self.hedge: set[Subscription] = set()
        self.sessions: set[Session] = set()
        self._published = 0
        self.batches = 0
        self._pending_ends: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None

    @property
    def published(self) -> int:
        """The last sequence published: everything up to it has gone to subscribers.

        With ``committed`` (the hub's committed sequence, which the fan-out follows
        batch by batch) it is right before the first batch too.
        """
        if self._committed is not None:
            return max(self._published, self._committed())
        return self._published

    # ----------------------------------------------------------- registration

    def add_session(self, session: Session) -> None:
        self.sessions.add(session)

    def remove_session(self, session: Session) -> None:
        """Forget a session and every subscription it had."""
        for sub in list(session.subscriptions):
            if isinstance(sub, Subscription):
                self.remove(sub)
        self.sessions.discard(session)

    def add(self, sub: Subscription) -> None:
        if sub.channel == HEDGE:
            self.hedge.add(sub)
        else:
            self.indexes[sub.channel].add(sub)

    def remove(self, sub: Subscription) -> None:
        sub.close()
        if sub.channel == HEDGE:
            self.hedge.discard(sub)
        else:
            self.indexes[sub.channel].remove(sub)

    # ------------------------------------------------------------- publishing

    def publish(self, batch: AppliedBatch) -> None:
        """Hand a committed batch to every subscription that wants its changes.

        Called from the hub's commit path: a failure here is logged, never raised.
        """
        try:
            self._publish(batch)
        except Exception:
            log.exception(
                "fan-out failed on batch %d..%d", batch.first_sequence, batch.last_sequence
            )
        self._published = max(self._published, batch.last_sequence)
        self.batches += 1

    def _publish(self, batch: AppliedBatch) -> None:
        markets = self.indexes[MARKETS]
        scores = self.indexes[SCORES]
        for change, state in zip(batch.changes, batch.states, strict=True):
            if change.__class__ is PriceChange:
                line: LineState = state  # type: ignore[assignment]
                price: PriceChange = change
                key = price_key(line, price.affiliate_id)
                self._deliver(markets, line.event, price, line, key)
            else:
                event_state: EventState = state  # type: ignore[assignment]
                self._deliver(scores, event_state, change, event_state, -event_state.ref)
        self._end_batches()

    def _end_batches(self) -> None:
        """Send what grouping subscriptions gathered from the batch just offered."""
        if self._pending_ends:
            ends, self._pending_ends = self._pending_ends, set()
            for sub in ends:
                sub.end_batch()

    def _deliver(
        self,
        index: SubscriptionIndex,
        event_state: EventState,
        change: PriceChange | EventChange,
        state: LineState | EventState,
        key: int,
    ) -> None:
        event = event_state.event
        is_price = change.__class__ is PriceChange
        encoded: dict[str, Message | None] = {}
        for sub in index.candidates(event.event_id, event.sport_id):
            if is_price:
                if not sub.filter.price(state, change):  # type: ignore[arg-type]
                    continue
            elif not sub.filter.event(event_state):
                continue
            wire = sub.wire
            if wire in encoded:
                message = encoded[wire]
            else:
                message = encoded[wire] = self._encode(wire, change, state, key)
            if message is not None:
                sub.offer(message)
                if sub.groups_batches:
                    self._pending_ends.add(sub)

    def _encode(
        self, wire: str, change: PriceChange | EventChange, state: LineState | EventState, key: int
    ) -> Message | None:
        encoder = self.encoders[wire]
        # a price change is one data point, whatever its wire repeats; a score none
        if change.__class__ is PriceChange:
            body = encoder.price(change, state)  # type: ignore[arg-type]
            points = 1
        else:
            body = encoder.event(change, state)  # type: ignore[arg-type]
            points = 0
        if body is None:
            return None
        message = Message(body, change.sequence, key)
        message.datapoints = points
        return message

    def message_for(
        self, sub: Subscription, change: PriceChange | EventChange, state: LineState | EventState
    ) -> Message | None:
        """The message ``sub`` gets for a change, or None if it does not want it (for
        catch-ups, which replay changes to one subscription)."""
        if change.__class__ is PriceChange:
            if sub.channel != MARKETS or not sub.filter.price(state, change):  # type: ignore[arg-type]
                return None
            line: LineState = state  # type: ignore[assignment]
            key = price_key(line, change.affiliate_id)
        else:
            event_state: EventState = state  # type: ignore[assignment]
            if sub.channel != SCORES or not sub.filter.event(event_state):
                return None
            key = -event_state.ref
        return self._encode(sub.wire, change, state, key)

    def publish_opportunities(self, opportunities: list[Opportunity]) -> None:
        """Hand opportunity changes (stamped by the opportunity book) to the hedge
        subscriptions that want them, each wire format encoded once per change.

        A subscription that was shown an opportunity its filter no longer passes (its
        profit fell under ``min_percent``, say) is sent the close, so nothing it was
        shown stays open forever on its side.
        """
        try:
            for opportunity in opportunities:
                self._publish_opportunity(opportunity)
        except Exception:
            log.exception("fan-out failed on opportunities")
        self._end_batches()

    def _publish_opportunity(self, opportunity: Opportunity) -> None:
        encoded: dict[tuple[str, bool], Message] = {}
        closed = opportunity.state == OpportunityState.CLOSED
        for sub in self.hedge:
            if not closed and sub.filter.opportunity(opportunity):
                sub.shown.add(opportunity.id)
                as_closed = False
            elif opportunity.id in sub.shown:
                sub.shown.discard(opportunity.id)
                as_closed = True
            else:
                continue
            slot = (sub.wire, as_closed)
            message = encoded.get(slot)
            if message is None:
                message = encoded[slot] = self.opportunity_message(
                    sub.wire, opportunity, as_closed=as_closed
                )
            sub.offer(message)
            if sub.groups_batches:
                self._pending_ends.add(sub)

    def offer_open(self, sub: Subscription, opportunities: list[Opportunity]) -> None:
        """Show a new hedge subscription what is open now (oldest first), before any
        change published after it."""
        for opportunity in opportunities:
            if sub.filter.opportunity(opportunity):
                sub.shown.add(opportunity.id)
                sub.offer(self.opportunity_message(sub.wire, opportunity))
        if sub.groups_batches:
            sub.end_batch()

    def opportunity_message(
        self, wire: str, opportunity: Opportunity, *, as_closed: bool = False
    ) -> Message:
        """An opportunity in ``wire``'s encoding (``as_closed``: its close)."""
        if as_closed and opportunity.state != OpportunityState.CLOSED:
            opportunity = msgspec.structs.replace(opportunity, state=OpportunityState.CLOSED)
        body = self.opportunity_encoders[wire].opportunity(opportunity)
        return Message(body, opportunity.sequence, opportunity_key(opportunity.id))

    # ------------------------------------------------------------------ stats

    def stats(self) -> dict[str, object]:
        """For ``/healthz``: connections, how they are written to, and lag."""
        sessions = list(self.sessions)
        return {
            "sessions": len(sessions),
            "sessions_on_transport": sum(
                1 for s in sessions if isinstance(s.outbound, TransportOutbound)
            ),
            "lagging_sessions": sum(1 for s in sessions if s.lagging),
            "subscriptions": sum(len(s.subscriptions) for s in sessions),
            "published_sequence": self.published,
            "delivered": sum(s.delivered for s in sessions),
            "conflated": sum(s.conflated for s in sessions),
        }

    # ------------------------------------------------------------ maintenance

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        next_heartbeat = time.monotonic() + HEARTBEAT_EVERY
        while True:
            await asyncio.sleep(MAINTAIN_EVERY)
            now = time.monotonic()
            for session in list(self.sessions):
                session.maintain(now)
            if now >= next_heartbeat:
                next_heartbeat = now + HEARTBEAT_EVERY
                for session in list(self.sessions):
                    session.heartbeat()

    def heartbeat_now(self) -> None:
        for session in list(self.sessions):
            session.heartbeat()
