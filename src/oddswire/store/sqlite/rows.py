"""Turning applied batches into store rows (on the store's sender thread)."""

from __future__ import annotations

import msgspec

from oddswire.board import AppliedBatch, EventState, LineState
from oddswire.model.change import EventChange, PriceChange, PriceStatus
from oddswire.store.sqlite.protocol import EventRow, EventTickRow, LineRow, TickRow, Ticks

_encode = msgspec.json.Encoder().encode
STATUSES = tuple(PriceStatus)


def line_row(line: LineState) -> LineRow:
    return (
        line.ref,
        line.event.ref,
        line.market_id,
        line.period_id,
        line.participant_id,
        int(line.participant_type),
        line.line,
        int(line.id[:12], 16),
    )


class BatchRows:
    """Rows of one or more applied batches, ready for executemany."""

    __slots__ = ("event_ticks", "events", "last_sequence", "lines", "ticks")

    def __init__(self) -> None:
        self.ticks: list[TickRow] = []
        self.lines: list[LineRow] = []
        self.events: dict[int, EventRow] = {}
        self.event_ticks: list[EventTickRow] = []
        self.last_sequence = 0

    def add(self, batch: AppliedBatch) -> None:
        self.lines.extend(line_row(line) for line in batch.new_lines)
        ticks = self.ticks
        for change, state in zip(batch.changes, batch.states, strict=True):
            if state.__class__ is LineState:
                c: PriceChange = change  # type: ignore[assignment]
                line: LineState = state
                ticks.append(
                    (
                        line.event.ref,
                        c.sequence,
                        line.ref,
                        c.affiliate_id,
                        c.price,
                        int(c.status),
                        1 if c.is_main_line else 0,
                        c.source_ts,
                        c.received_ts,
                    )
                )
            else:
                self._add_event(change, state)  # type: ignore[arg-type]
        if len(batch):
            self.last_sequence = max(self.last_sequence, batch.last_sequence)

    def _add_event(self, change: EventChange, state: EventState) -> None:
        event = change.event
        data = _encode(event)
        self.events[state.ref] = (
            state.ref,
            event.event_id,
            event.sport_id,
            event.event_date.timestamp(),
            change.sequence,
            data,
        )
        self.event_ticks.append((change.sequence, state.ref, change.received_ts, data))

    def __len__(self) -> int:
        return len(self.ticks) + len(self.event_ticks)

    def message(self) -> Ticks:
        return Ticks(
            self.ticks, self.lines, list(self.events.values()), self.event_ticks, self.last_sequence
        )
