"""The store's writer process: the only code that writes the SQLite file.

``python -m oddswire.store.sqlite.writer_process DB`` reads request frames on stdin and
answers on stdout. It drains every request that has arrived into one transaction (group
commit), so commits grow under load and stay small when idle, and acknowledges the
commit. A failed transaction is rolled back and retried with backoff; nothing received
is dropped. End of input without a ``Stop`` means the hub died: whatever has fully
arrived is committed, then the process exits (and with it the store's lock).

It runs in its own process, not a thread, because ``sqlite3`` releases the GIL around
every row it inserts: beside a busy event loop each row then waits for the GIL, and
board and store end up taking turns instead of using both cores.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time

import msgspec

from oddswire.store.sqlite.protocol import (
    Barrier,
    CheckpointBegin,
    CheckpointEnd,
    CheckpointRows,
    Committed,
    Failed,
    FrameReader,
    Prune,
    Request,
    Reserve,
    SetMeta,
    SizeLimit,
    Stop,
    Ticks,
    frame,
)
from oddswire.store.sqlite.schema import connect

log = logging.getLogger("oddswire.store.writer")

MAX_ROWS_PER_TRANSACTION = 250_000
MAX_ATTEMPTS_WHEN_STOPPING = 5


class Transaction:
    """Writes one drained list of requests in a single transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def write(self, requests: list[Request]) -> Committed:
        conn = self.conn
        committed = reserved = 0
        barriers: list[int] = []
        ticks: list[Ticks] = []
        conn.execute("BEGIN")
        for request in requests:
            if isinstance(request, Ticks):
                ticks.append(request)
                continue
            committed = max(committed, self._insert(ticks))
            ticks = []
            if isinstance(request, Barrier):
                barriers.append(request.id)
            elif isinstance(request, Reserve):
                reserved = max(reserved, request.upto)
                self._set_meta("sequence_reserved", str(request.upto))
            elif isinstance(request, SetMeta):
                self._set_meta(request.key, request.value)
            elif isinstance(request, CheckpointBegin):
                conn.execute("DELETE FROM checkpoint WHERE generation >= ?", (request.generation,))
            elif isinstance(request, CheckpointRows):
                conn.executemany(
                    "INSERT OR REPLACE INTO checkpoint VALUES (?,?,?,?,?,?,?,?,?)", request.rows
                )
            elif isinstance(request, CheckpointEnd):
                self._set_meta("checkpoint_generation", str(request.generation))
                self._set_meta("checkpoint_watermark", str(request.watermark))
                self._set_meta("checkpoint_count", str(request.count))
                conn.execute("DELETE FROM checkpoint WHERE generation < ?", (request.generation,))
            elif isinstance(request, Prune):
                self._prune(request.event_refs)
            elif isinstance(request, SizeLimit):
                apply_size_limit(conn, request)
        committed = max(committed, self._insert(ticks))
        conn.execute("COMMIT")
        stopping = any(isinstance(r, Stop) for r in requests)
        return Committed(committed, reserved, barriers, stopping)

    def _insert(self, batches: list[Ticks]) -> int:
        if not batches:
            return 0
        conn = self.conn
        for batch in batches:
            if batch.lines:
                conn.executemany(
                    "INSERT OR IGNORE INTO lines VALUES (?,?,?,?,?,?,?,?)", batch.lines
                )
            if batch.events:
                conn.executemany(
                    "INSERT INTO events VALUES (?,?,?,?,?,?) ON CONFLICT(ref) DO UPDATE SET "
                    "sport_id=excluded.sport_id, event_date=excluded.event_date, "
                    "sequence=excluded.sequence, data=excluded.data",
                    batch.events,
                )
                conn.executemany("INSERT INTO event_ticks VALUES (?,?,?,?)", batch.event_ticks)
        rows = [row for batch in batches for row in batch.ticks]
        if rows:
            rows.sort()  # clustered-key order: each event's range is visited once
            conn.executemany("INSERT INTO ticks VALUES (?,?,?,?,?,?,?,?,?)", rows)
        return max(batch.last_sequence for batch in batches)

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, value),
        )

    def _prune(self, event_refs: list[int]) -> None:
        # Checkpoint rows of pruned lines are left to the next checkpoint, which replaces
        # them all; a rebuild skips rows whose line is gone.
        conn = self.conn
        for ref in event_refs:
            conn.execute("DELETE FROM ticks WHERE event_ref = ?", (ref,))
            conn.execute("DELETE FROM lines WHERE event_ref = ?", (ref,))
            conn.execute("DELETE FROM event_ticks WHERE event_ref = ?", (ref,))
            conn.execute("DELETE FROM events WHERE ref = ?", (ref,))


def apply_size_limit(conn: sqlite3.Connection, request: SizeLimit) -> None:
    conn.execute(f"PRAGMA max_page_count={int(request.pages) or 4294967294}")


def _size(request: Request) -> int:
    if isinstance(request, Ticks):
        return len(request.ticks) + len(request.event_ticks)
    if isinstance(request, CheckpointRows):
        return len(request.rows)
    return 1


def serve(db: str, inbound: int, outbound: int, *, cache_mb: int = 256) -> int:
    """Run the writer loop until ``Stop`` or end of input; returns an exit code."""
    decode = msgspec.msgpack.Decoder(Request).decode
    encode = msgspec.msgpack.Encoder().encode
    reader = FrameReader(inbound)
    transaction = Transaction(connect(db, cache_mb=cache_mb))

    def reply(message: Committed | Failed) -> None:
        data = frame(encode(message))
        while data:
            data = data[os.write(outbound, data) :]

    while True:
        body = reader.read(block=True)
        if body is None:
            return 0  # the hub went away; everything that arrived was committed
        requests: list[Request] = [decode(body)]
        rows = _size(requests[0])
        while rows < MAX_ROWS_PER_TRANSACTION and not isinstance(requests[-1], Stop):
            more = reader.read(block=False)
            if more is None:
                break
            requests.append(decode(more))
            rows += _size(requests[-1])
        stopping = isinstance(requests[-1], Stop)
        delay, attempts, failing = 0.2, 0, False
        while True:
            try:
                result = transaction.write(requests)
            except sqlite3.Error as exc:
                attempts += 1
                failing = True
                _rollback(transaction.conn)
                reply(Failed(str(exc)))
                if stopping and attempts >= MAX_ATTEMPTS_WHEN_STOPPING:
                    return 1
                time.sleep(delay)
                delay = min(delay * 2, 5.0)
                # Keep listening while failing: a size limit (say, lifted to make room)
                # applies at once; anything else joins the retried transaction.
                while not stopping and (more := reader.read(block=False)) is not None:
                    request = decode(more)
                    if isinstance(request, SizeLimit):
                        apply_size_limit(transaction.conn, request)
                    requests.append(request)
                    stopping = isinstance(request, Stop)
                continue
            if failing:
                reply(Failed(None))
            reply(result)
            break
        if stopping:
            transaction.conn.close()
            return 0


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        log.debug("nothing to roll back")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m oddswire.store.sqlite.writer_process DB", file=sys.stderr)
        return 2
    return serve(args[0], sys.stdin.fileno(), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
