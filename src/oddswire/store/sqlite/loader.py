"""Rebuilding a board from the SQLite store: events, lines, the last checkpoint, then
the latest tick of every key changed after the checkpoint's watermark.

The checkpoint is fuzzy (taken while the board kept changing), so a replayed tick is
applied only if it is newer than what the board already holds for that key.
"""

from __future__ import annotations

import sqlite3
import time

import msgspec

from oddswire.board import Board
from oddswire.model.change import ParticipantType
from oddswire.model.event import Event
from oddswire.store.base import CorruptStoreError, LoadStats, Progress
from oddswire.store.sqlite.rows import STATUSES

_decode_event = msgspec.json.Decoder(Event).decode
_PARTICIPANT_TYPES = {int(t): t for t in ParticipantType}
_REPORT_EVERY = 200_000


def meta_int(conn: sqlite3.Connection, key: str, default: int = 0) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else default


def load_board(conn: sqlite3.Connection, board: Board, progress: Progress | None) -> LoadStats:
    started = time.perf_counter()
    report = progress or (lambda _what, _fraction: None)
    try:
        return _load(conn, board, report, started)
    except (sqlite3.DatabaseError, msgspec.DecodeError) as exc:
        raise CorruptStoreError(f"the store is damaged and cannot be loaded: {exc}") from exc


def _load(conn: sqlite3.Connection, board: Board, report: Progress, started: float) -> LoadStats:
    refs: dict[int, str] = {}
    report("loading events", None)
    for ref, data, sequence in conn.execute("SELECT ref, data, sequence FROM events ORDER BY ref"):
        event = _decode_event(data)
        board.restore_event(ref, event, sequence)
        refs[ref] = event.event_id
    report("loading lines", None)
    lines = 0
    for ref, event_ref, market_id, period_id, participant_id, ptype, line in conn.execute(
        "SELECT ref, event_ref, market_id, period_id, participant_id, participant_type, line "
        "FROM lines ORDER BY ref"
    ):
        event_id = refs.get(event_ref)
        if event_id is None:
            continue
        state = board.restore_line(
            ref, event_id, market_id, period_id, participant_id, _PARTICIPANT_TYPES[ptype], line
        )
        lines += state is not None

    generation = meta_int(conn, "checkpoint_generation", -1)
    watermark = meta_int(conn, "checkpoint_watermark", 0) if generation >= 0 else 0
    expected = max(meta_int(conn, "checkpoint_count", 0), 1)
    restore = board.restore_price
    checkpoint_prices = 0
    if generation >= 0:
        for row in conn.execute(
            "SELECT line_ref, affiliate_id, price, status, is_main, sequence, source_ts, "
            "received_ts FROM checkpoint WHERE generation = ?",
            (generation,),
        ):
            restore(row[0], row[1], row[2], STATUSES[row[3]], bool(row[4]), row[5], row[6], row[7])
            checkpoint_prices += 1
            if checkpoint_prices % _REPORT_EVERY == 0:
                report("loading checkpoint", min(checkpoint_prices / expected, 1.0))

    # Only the latest tick per (line, book) above the watermark matters. One range query
    # per event on the clustered key lets SQLite pick it in C instead of replaying all.
    replayed = 0
    latest = (
        "SELECT line_ref, affiliate_id, price, status, is_main, max(sequence), source_ts, "
        "received_ts FROM ticks WHERE event_ref = ? AND sequence > ? "
        "GROUP BY line_ref, affiliate_id"
    )
    for number, ref in enumerate(refs, 1):
        for row in conn.execute(latest, (ref, watermark)):
            restore(row[0], row[1], row[2], STATUSES[row[3]], bool(row[4]), row[5], row[6], row[7])
            replayed += 1
        if number % 50 == 0:
            report(f"replaying changes after the checkpoint: event {number} of {len(refs)}", None)

    board.advance_sequence(max(meta_int(conn, "sequence_reserved"), watermark))
    report("store loaded", 1.0)
    return LoadStats(
        events=len(refs),
        lines=lines,
        prices=board.price_count,
        checkpoint_prices=checkpoint_prices,
        tail_prices=replayed,
        sequence=board.sequence,
        seconds=time.perf_counter() - started,
    )
