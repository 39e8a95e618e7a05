"""The open opportunities, and the sequenced stream of their changes.

Detectors (the analytics) publish what they find; the book numbers each appearance,
update and close with its own sequence, keeps the open ones for snapshots and new
subscribers, and hands every change to its listeners (the fan-out).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable

import msgspec

from oddswire.model.opportunity import Opportunity, OpportunityState

log = logging.getLogger("oddswire.analytics")

OpportunityListener = Callable[[list[Opportunity]], None]


class OpportunityBook:
    def __init__(self, closed_kept: int = 10_000, closed_seconds: float = 900.0) -> None:
        self._open: dict[str, Opportunity] = {}
        #: Recently closed opportunities (REST ``include_closed``), newest last.
        self._closed: deque[Opportunity] = deque()
        self._closed_kept = closed_kept
        self._closed_seconds = closed_seconds
        self._listeners: list[OpportunityListener] = []
        #: The last sequence of the opportunity stream.
        self.sequence = 0

    def on_change(self, listener: OpportunityListener) -> None:
        self._listeners.append(listener)

    @property
    def open(self) -> list[Opportunity]:
        """The open opportunities, oldest first."""
        return sorted(self._open.values(), key=lambda o: o.sequence)

    def closed(self, now: float | None = None) -> list[Opportunity]:
        """Opportunities closed in the last ``closed_seconds`` (at most ``closed_kept``),
        oldest first, as their closing record (state ``closed``, the last legs kept)."""
        self._trim(time.time() if now is None else now)
        return list(self._closed)

    def get(self, opportunity_id: str) -> Opportunity | None:
        """An open opportunity, or a recently closed one, by id."""
        found = self._open.get(opportunity_id)
        if found is not None:
            return found
        for closed in reversed(self._closed):
            if closed.id == opportunity_id:
                return closed
        return None

    def _trim(self, now: float) -> None:
        closed = self._closed
        while closed and (
            len(closed) > self._closed_kept or now - closed[0].updated_ts > self._closed_seconds
        ):
            closed.popleft()

    def publish(self, found: Iterable[Opportunity]) -> list[Opportunity]:
        """Record detections: a new id opens, a known id updates, ``CLOSED`` removes
        (a close for an id that is not open is dropped). Returns what was published,
        stamped with state and sequence."""
        now = time.time()
        published: list[Opportunity] = []
        for opportunity in found:
            known = self._open.get(opportunity.id)
            if opportunity.state == OpportunityState.CLOSED:
                if known is None:
                    continue
                del self._open[opportunity.id]
                state = OpportunityState.CLOSED
            else:
                state = OpportunityState.OPEN if known is None else OpportunityState.UPDATED
            self.sequence += 1
            stamped = msgspec.structs.replace(
                opportunity,
                state=state,
                sequence=self.sequence,
                detected_ts=known.detected_ts if known else opportunity.detected_ts or now,
                updated_ts=opportunity.updated_ts or now,
            )
            if state != OpportunityState.CLOSED:
                self._open[stamped.id] = stamped
            else:
                kept = (
                    stamped
                    if stamped.legs or known is None
                    else (msgspec.structs.replace(stamped, legs=known.legs))
                )
                self._closed.append(kept)
            published.append(stamped)
        self._trim(now)
        if published:
            for listener in self._listeners:
                try:
                    listener(published)
                except Exception:
                    log.exception("opportunity listener failed")
        return published
