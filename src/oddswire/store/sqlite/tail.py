"""The newest committed changes, read back to refill the hub's change log on start-up.

Ticks are clustered by (event_ref, sequence) and nothing indexes the sequence alone, so
``WHERE sequence > ?`` over the table would scan all of it. Instead the tail is read the
way the loader reads: one range query per event on the clustered key, merged by sequence.

Sequences in the store are not contiguous (numbers reserved but never used before a
crash, pruned events), so the range is found from the newest stored change down: guess
that the ``limit`` numbers below it are all used, read them, and if fewer came back,
jump to the newest change below the range (over a hole) and read on, over as many more
numbers as the rows found so far used per change. The result is a suffix of the
committed history: every stored change after the oldest one returned is returned.

``previous_price`` / ``previous_status`` are what the same (line, book) had before. Inside
the window they come from walking it in sequence order. For the first change of a key in
the window, each event that has changes in the window gets one more range query, in
SQLite's C, for the last change of each of its keys in a *look-back* range below the
window; a key with none there takes the checkpoint's row when that is provably the one
before (the look-back reaches down to the checkpoint's watermark, and the row is older
than the change). Otherwise its previous price is left unknown (None), as it is for every
price the board restored from the store. The look-back always reaches the checkpoint's
watermark when that is below the window, so then every previous price is exact, for
about what the loader already read (it replays every tick after the watermark); when
the checkpoint is newer than the start of the window, the look-back is ``lookback``
numbers (by default as many as the window asked for). Scanning each active event's
whole history instead would be exact in every case, but costs time in proportion to
the store.

Measured (250,000 changes asked for, on a two-core machine): on a store of 2 million
ticks over 400 events (the benchmark workload, every event active, checkpoint at
shutdown), this read takes 0.89 s with the default look-back and leaves 15% of the
previous prices unknown; a look-back of 500,000 takes 1.12 s (5.5% unknown), 1 million
1.45 s (1%), the whole history 2.01 s (none), and that last grows with the store. On
the simulator (300,000 changes after its bootstrap, a checkpoint every 100,000, killed)
the default leaves 3.9% unknown. Hence the default; previous prices are informational,
the rest of every record is exact.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from operator import itemgetter

import msgspec

from oddswire.model.change import PriceStatus
from oddswire.model.event import Event
from oddswire.store.base import EventTickRecord, PriceTickRecord
from oddswire.store.sqlite.rows import STATUSES

_decode_event = msgspec.json.Decoder(Event).decode

_NEWEST_TICK = (
    "SELECT sequence FROM ticks WHERE event_ref = ? AND sequence <= ? "
    "ORDER BY sequence DESC LIMIT 1"
)
_NEWEST_EVENT_TICK = "SELECT max(sequence) FROM event_ticks WHERE sequence <= ?"
_TICKS = (
    "SELECT sequence, line_ref, affiliate_id, price, status, is_main, source_ts, received_ts "
    "FROM ticks WHERE event_ref = ? AND sequence > ? AND sequence <= ?"
)
_EVENT_TICKS = (
    "SELECT sequence, event_ref, received_ts, data FROM event_ticks "
    "WHERE sequence > ? AND sequence <= ?"
)
_LAST_BEFORE = (
    "SELECT line_ref, affiliate_id, price, status, max(sequence) FROM ticks "
    "WHERE event_ref = ? AND sequence > ? AND sequence < ? GROUP BY line_ref, affiliate_id"
)
_EVENT_BEFORE = (
    "SELECT data FROM event_ticks WHERE event_ref = ? AND sequence < ? "
    "ORDER BY sequence DESC LIMIT 1"
)
_CHECKPOINT_ROW = (
    "SELECT price, status, sequence FROM checkpoint "
    "WHERE generation = ? AND line_ref = ? AND affiliate_id = ?"
)
_TOP = 1 << 62
#: Never widen the next step by more than this factor for sparse numbering.
_MIN_USED = 1 / 64

#: A tick row: sequence, line_ref, affiliate_id, price, status, is_main, source_ts,
#: received_ts. An event tick row: sequence, event_ref, received_ts, data.
Row = tuple[int, int, int, float, int, int, float, float] | tuple[int, int, float, bytes]
Fallback = Callable[[tuple[int, int], int], tuple[float, PriceStatus] | None]


def recent_changes(
    conn: sqlite3.Connection, limit: int, since: float, lookback: int | None = None
) -> list[PriceTickRecord | EventTickRecord]:
    """The newest ``limit`` committed changes back to the first received before
    ``since``, oldest first (see the module docstring).

    ``lookback`` bounds how far below the window previous prices are looked for when the
    checkpoint cannot settle them (None: as many numbers as ``limit``; -1: the whole
    history, exact but a scan of every active event's ticks).
    """
    if limit <= 0:
        return []
    refs = [ref for (ref,) in conn.execute("SELECT ref FROM events")]
    rows, newest = _tail(conn, refs, limit, since)
    if not rows:
        return []
    rows.reverse()  # oldest first
    first = rows[0][0]
    active = [ref for ref, top in newest.items() if top >= first]
    previous, fallback = _previous_prices(
        conn, active, first, limit if lookback is None else lookback
    )
    return _records(conn, rows, previous, fallback)


def _tail(
    conn: sqlite3.Connection, refs: list[int], limit: int, since: float
) -> tuple[list[Row], dict[int, int]]:
    """The kept rows, newest first, and each event's newest tick sequence."""
    kept: list[Row] = []
    newest: dict[int, int] = {}
    hi = _TOP
    span = limit
    while True:
        tops: dict[int, int] = {}
        for ref in refs:
            found = conn.execute(_NEWEST_TICK, (ref, hi)).fetchone()
            if found is not None:
                tops[ref] = found[0]
        event_top = conn.execute(_NEWEST_EVENT_TICK, (hi,)).fetchone()[0]
        if not newest:
            newest = dict(tops)
        top = max([*tops.values(), -1 if event_top is None else event_top])
        if top < 0:
            return kept, newest  # nothing older is stored
        lo = top - span
        chunk: list[Row] = []
        for ref, ref_top in tops.items():
            if ref_top > lo:
                chunk.extend(conn.execute(_TICKS, (ref, lo, hi)))
        chunk.extend(conn.execute(_EVENT_TICKS, (lo, hi)))
        chunk.sort(key=itemgetter(0), reverse=True)
        for row in chunk:
            received = row[7] if len(row) == 8 else row[2]
            if received < since:
                return kept, newest
            kept.append(row)
            if len(kept) == limit:
                return kept, newest
        # The rest of what was asked for, over as many numbers as that took here: the
        # numbers between the rows found (a hole below them is jumped by the next top).
        used = len(chunk) / (top - chunk[-1][0] + 1)
        span = math.ceil((limit - len(kept)) / max(used, _MIN_USED))
        hi = lo


def _previous_prices(
    conn: sqlite3.Connection, active: list[int], first: int, lookback: int
) -> tuple[dict[tuple[int, int], tuple[float, PriceStatus]], Fallback | None]:
    """The last (price, status) of each key of the ``active`` events before ``first``,
    as far as the look-back reaches, and where to ask for a key it did not find; see
    the module docstring."""
    generation = _meta_int(conn, "checkpoint_generation", -1)
    watermark = _meta_int(conn, "checkpoint_watermark", 0) if generation >= 0 else 0
    floor = -1 if lookback < 0 else max(-1, first - 1 - lookback)
    if generation < 0 or watermark < first:
        floor = min(floor, watermark)  # the checkpoint (or the start) settles the rest
    last: dict[tuple[int, int], tuple[float, PriceStatus]] = {}
    for ref in active:
        for line_ref, affiliate_id, price, status, _ in conn.execute(
            _LAST_BEFORE, (ref, floor, first)
        ):
            last[line_ref, affiliate_id] = (price, STATUSES[status])
    if generation < 0 or floor > watermark or floor <= 0:
        return last, None  # no checkpoint, or the look-back read every tick before

    def checkpointed(key: tuple[int, int], sequence: int) -> tuple[float, PriceStatus] | None:
        """The checkpoint's row for a key the look-back did not find: the one before
        ``sequence`` if it is older (nothing of the key lies between the two)."""
        if sequence <= watermark:
            return None  # the checkpoint holds this change or a later one
        row = conn.execute(_CHECKPOINT_ROW, (generation, *key)).fetchone()
        if row is None or row[2] >= sequence:
            return None
        return row[0], STATUSES[row[1]]

    return last, checkpointed


def _records(
    conn: sqlite3.Connection,
    rows: list[Row],
    previous: dict[tuple[int, int], tuple[float, PriceStatus]],
    fallback: Fallback | None,
) -> list[PriceTickRecord | EventTickRecord]:
    out: list[PriceTickRecord | EventTickRecord] = []
    append = out.append
    statuses = STATUSES
    events: dict[int, Event | None] = {}
    for row in rows:
        if len(row) == 8:
            sequence, line_ref, affiliate_id, price, status, is_main, source_ts, received_ts = row
            key = (line_ref, affiliate_id)
            before = previous.get(key)
            if before is None and fallback is not None:
                before = fallback(key, sequence)
            state = statuses[status]
            previous[key] = (price, state)
            append(
                PriceTickRecord(
                    line_ref,
                    affiliate_id,
                    price,
                    state,
                    is_main == 1,
                    sequence,
                    source_ts,
                    received_ts,
                    None if before is None else before[0],
                    None if before is None else before[1],
                )
            )
            continue
        sequence, event_ref, received_ts, data = row
        if event_ref in events:
            prior = events[event_ref]
        else:
            found = conn.execute(_EVENT_BEFORE, (event_ref, sequence)).fetchone()
            prior = None if found is None else _decode_event(found[0])
        event = _decode_event(data)
        events[event_ref] = event
        append(EventTickRecord(sequence, event_ref, event, received_ts, prior))
    return out


def _meta_int(conn: sqlite3.Connection, key: str, default: int) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else default
