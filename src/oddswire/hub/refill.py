"""Refilling the change log from the store when the hub opens.

A hub that never stopped holds the last ``changelog_changes`` committed changes (none
older than ``changelog_seconds``) and answers a resume inside them exactly. After a
restart (clean or a crash) the log would start empty, and every client resuming across
it would get a conflated catch-up. So :meth:`Hub.open` reads the store's newest
committed changes back (:meth:`TickStore.recent_changes`), pairs each with what it
touched on the freshly loaded board and appends them to the log as if they had just
been committed, each batch at the time its changes were received, so the log trims
them as it would have.

Stored sequences are not contiguous: numbers reserved but unused before a crash, pruned
events, changes of lines no longer on the board (skipped here). An
:class:`AppliedBatch` numbers its changes ``first_sequence + i``, so the changes are cut
into batches of consecutive numbers; the log treats the gaps between batches as holding
no change, which is what they are. Batches are also cut every ``CHUNK`` changes or every
tenth of a second of receive time, so the log's count and age trims drop them about as
finely as the live batches they stand for, and a delayed board made after the restart
(hub/delayed.py) finds the moment it shows to within that tenth, never after it.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator, Sequence

from oddswire.board import AppliedBatch, Board, EventState, LineState
from oddswire.hub.changelog import ChangeLog
from oddswire.model.change import Change, EventChange, PriceChange
from oddswire.store.base import EventTickRecord, PriceTickRecord

#: At most this many changes per refilled batch.
CHUNK = 1000
#: ... and at most this many seconds of receive time.
CHUNK_SECONDS = 0.1


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a refill: it makes a few hundred
    thousand objects (none in cycles), and each full collection they would trigger walks
    the whole freshly loaded board (measured: about a quarter of the refill's time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def refill_batches(
    board: Board, records: Sequence[PriceTickRecord | EventTickRecord], now: float | None = None
) -> tuple[list[tuple[float, AppliedBatch]], int]:
    """``records`` (oldest first) as (log time, batch) pairs, and how many were skipped
    because their line or event is no longer on the board.

    The log time of a batch is its newest receive time (never later than ``now``).
    """
    now = time.time() if now is None else now
    out: list[tuple[float, AppliedBatch]] = []
    skipped = 0
    changes: list[Change] = []
    states: list[LineState | EventState] = []
    batch = AppliedBatch(first_sequence=0, changes=changes, states=states)
    started = newest = 0.0
    next_sequence = -1
    line_by_ref = board.line_by_ref
    event_by_ref = board.event_by_ref
    for record in records:
        change: Change
        state: LineState | EventState | None
        if isinstance(record, PriceTickRecord):
            r = record
            state = line_by_ref(r.line_ref)
            if state is None:
                skipped += 1
                continue
            change = PriceChange(
                event_id=state.event.event.event_id,
                market_id=state.market_id,
                period_id=state.period_id,
                participant_id=state.participant_id,
                participant_type=state.participant_type,
                line=state.line,
                affiliate_id=r.affiliate_id,
                price=r.price,
                status=r.status,
                is_main_line=r.is_main_line,
                source_ts=r.source_ts,
                received_ts=r.received_ts,
                sequence=r.sequence,
                previous_price=r.previous_price,
                previous_status=r.previous_status,
            )
        else:
            e = record
            state = event_by_ref(e.event_ref)
            if state is None:
                skipped += 1
                continue
            change = EventChange(
                event=e.event, received_ts=e.received_ts, sequence=e.sequence, previous=e.previous
            )
        sequence = change.sequence
        received = change.received_ts
        if (
            sequence != next_sequence
            or len(changes) >= CHUNK
            or abs(received - started) >= CHUNK_SECONDS
        ):
            if changes:
                out.append((min(newest, now), batch))
            changes = []
            states = []
            batch = AppliedBatch(first_sequence=sequence, changes=changes, states=states)
            started = newest = received
        changes.append(change)
        states.append(state)
        next_sequence = sequence + 1
        newest = max(newest, received)
    if changes:
        out.append((min(newest, now), batch))
    return out, skipped


def refill(
    log: ChangeLog,
    board: Board,
    records: Sequence[PriceTickRecord | EventTickRecord],
    now: float | None = None,
    complete_since: float | None = None,
) -> tuple[int, int]:
    """Start ``log`` with ``records`` (the store's newest committed changes, oldest
    first) and continue after ``board.sequence``; returns how many changes it took and
    how many it skipped (their line or event is gone from the board).

    Afterwards the log covers every cursor from just before the oldest change it took
    (through any gap up to the board's sequence, such as the numbers reserved but never
    used before a crash); with nothing to take it starts at the board's sequence.
    ``complete_since`` is the time after which ``records`` hold every stored change
    (default: the oldest record's), for :meth:`ChangeLog.sequence_at`.
    """
    batches, skipped = refill_batches(board, records, now)
    return log.refill(batches, board.sequence, complete_since), skipped
