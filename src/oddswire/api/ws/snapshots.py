"""Snapshots for the multiplexed protocol: the subscription's events as V2 events,
filtered as its stream is (so the snapshot and the deltas that follow agree)."""

from __future__ import annotations

from oddswire.api.views import View
from oddswire.api.ws.requests import SnapshotSpec
from oddswire.board import EventState
from oddswire.board.query import EventQuery, events_on
from oddswire.stream.filters import StreamFilter
from oddswire.stream.subscription import SCORES

#: Events in one snapshot message; a bigger snapshot goes out in several.
EVENTS_PER_MESSAGE = 50


def snapshot_events(
    view: View, channel: str, spec: SnapshotSpec, wanted: StreamFilter
) -> list[bytes]:
    """The encoded events the snapshot holds (of the key's view), in start-time order."""
    board = view.board
    states: list[EventState] = []
    if spec.event_ids is not None:
        found = (board.event(event_id) for event_id in spec.event_ids)
        states = [s for s in found if s is not None and wanted.event(s)]
        states.sort(key=lambda s: (s.event.event_date, s.event.event_id))
    elif spec.sport_ids is not None and spec.day is not None:
        for sport_id in sorted(spec.sport_ids):
            states.extend(events_on(board, sport_id, spec.day, spec.offset))
    query = EventQuery(
        market_ids=wanted.market_ids,
        participant_ids=wanted.participant_ids,
        participant_type=wanted.participant_type,
        affiliate_ids=wanted.affiliate_ids,
        scores_only=channel == SCORES,
        main_line=wanted.main_line,
        hide_no_markets=spec.hide_no_markets and channel != SCORES,
        event_status=spec.event_status,
        exclude_status=spec.exclude_status,
    )
    return view.encoded.events(states, query)
