"""Encoded V2 events, reused until the event changes.

Reads far outnumber changes to any one event, so each event's JSON is kept per query
and served again while the event's version (its header sequence and the last change
of any of its lines) stands. A request then costs a version check per event plus the
encoding of the events that did change. Only current prices are cached; openers and
closing are always rendered.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from oddswire.access.usage import PRICE_FIELD
from oddswire.board import EventState
from oddswire.board.query import EventQuery, event_version, select_event
from oddswire.wire.therundown.v2_events import EventWriter

_encode = msgspec.json.Encoder().encode
Key = tuple[str, EventQuery]


class EncodedEvents:
    def __init__(self, writer: EventWriter, capacity: int = 20_000) -> None:
        self.writer = writer
        self.capacity = capacity
        self._cache: dict[Key, tuple[tuple[int, int], bytes | None, int]] = {}
        self.hits = 0
        self.misses = 0

    def event(self, state: EventState, query: EventQuery) -> bytes | None:
        """The event's JSON under ``query`` (None if the query leaves it out)."""
        return self._entry(state, query)[1]

    def _entry(
        self, state: EventState, query: EventQuery
    ) -> tuple[tuple[int, int], bytes | None, int]:
        """(version, JSON, prices in it): the price count is what the event costs in
        data points, counted once per encoding instead of on every response."""
        key = (state.event.event_id, query)
        version = event_version(state)
        found = self._cache.get(key)
        if found is not None and found[0] == version:
            self.hits += 1
            return found
        self.misses += 1
        view = select_event(state, query)
        data = None if view is None else _encode(self.writer.event(view))
        entry = (version, data, 0 if data is None else data.count(PRICE_FIELD))
        if len(self._cache) >= self.capacity:
            self._cache.clear()
        self._cache[key] = entry
        return entry

    def events(self, states: Iterable[EventState], query: EventQuery) -> list[bytes]:
        return self.priced(states, query)[0]

    def priced(self, states: Iterable[EventState], query: EventQuery) -> tuple[list[bytes], int]:
        """The events' JSON and how many prices they carry in all."""
        out = []
        prices = 0
        for state in states:
            _, data, count = self._entry(state, query)
            if data is not None:
                out.append(data)
                prices += count
        return out, prices


def events_body(delta_last_id: str | None, events: list[bytes]) -> bytes:
    """``{"meta": ..., "events": [...]}`` around already-encoded events."""
    meta = b"null" if delta_last_id is None else b'{"delta_last_id":"%s"}' % delta_last_id.encode()
    return b'{"meta":' + meta + b',"events":[' + b",".join(events) + b"]}"
