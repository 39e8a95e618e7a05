"""The SQLite tick store. See :mod:`oddswire.store.base` for the contract."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from oddswire.board import AppliedBatch, Board
from oddswire.model.event import Event
from oddswire.store import keys
from oddswire.store.base import (
    EventTickRecord,
    HistoryRecord,
    LoadStats,
    PriceRecord,
    PriceTickRecord,
    Progress,
    StoreError,
    StoreInfo,
    TickStore,
)
from oddswire.store.lock import StoreLock
from oddswire.store.sqlite import queries, tail
from oddswire.store.sqlite.loader import load_board
from oddswire.store.sqlite.protocol import (
    CheckpointBegin,
    CheckpointEnd,
    CheckpointRows,
    Prune,
    Reserve,
    SetMeta,
    SizeLimit,
    Stop,
)
from oddswire.store.sqlite.schema import (
    SCHEMA_VERSION,
    check_file,
    connect,
    create,
    migrate,
    validate,
)
from oddswire.store.sqlite.writer import OnCommitted, WriterClient

T = TypeVar("T")
CHECKPOINT_CHUNK = 20_000


class SqliteTickStore(TickStore):
    """Ticks in one SQLite file (WAL). One writer process; reads on worker threads."""

    def __init__(self, path: str, *, quick_check: bool = True, cache_mb: int = 256) -> None:
        self.path = os.path.abspath(path)
        self._quick_check = quick_check
        self._cache_mb = cache_mb
        self._lock = StoreLock(self.path + ".lock")
        self._writer: WriterClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listeners: list[Callable[[int], None]] = []
        self._committed = 0
        self._reserved = 0
        self._readers = threading.local()
        self._reader_conns: list[sqlite3.Connection] = []
        self._reader_lock = threading.Lock()
        self.info: StoreInfo | None = None
        self.error: BaseException | None = None
        self._checkpoint_generation = -1

    # ----------------------------------------------------------- lifecycle

    async def open(self, progress: Progress | None = None) -> StoreInfo:
        self._loop = asyncio.get_running_loop()
        directory = os.path.dirname(self.path)
        if not os.path.isdir(directory):
            raise StoreError(f"the directory of the store does not exist: {directory}")
        await asyncio.to_thread(self._lock.acquire)
        try:
            info = await asyncio.to_thread(self._open_sync, progress)
        except BaseException:
            self._lock.release()
            raise
        self.info = info
        return info

    def _open_sync(self, progress: Progress | None) -> StoreInfo:
        new = check_file(self.path)
        if not new:
            if progress and self._quick_check:
                progress("checking store integrity", None)
            new = validate(self.path, quick_check=self._quick_check)
        try:
            conn = connect(self.path, cache_mb=self._cache_mb)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        try:
            if new:
                create(conn)
                self._init_meta(conn)
            else:
                migrate(conn)
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            info = StoreInfo(
                epoch=meta["epoch"],
                created_at=float(meta["created_at"]),
                sequence_reserved=int(meta.get("sequence_reserved", "0")),
                schema_version=SCHEMA_VERSION,
            )
            self._checkpoint_generation = int(meta.get("checkpoint_generation", "-1"))
        finally:
            conn.close()
        self._committed = self._reserved = info.sequence_reserved
        self._writer = WriterClient(
            self.path, self._lock.fd, self._writer_committed, self._writer_error
        )
        return info

    @staticmethod
    def _init_meta(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("epoch", uuid.uuid4().hex),
                ("created_at", repr(time.time())),
                ("sequence_reserved", "0"),
            ],
        )
        conn.execute("COMMIT")

    async def load(self, board: Board, progress: Progress | None = None) -> LoadStats:
        def run() -> LoadStats:
            return load_board(self._reader(), board, progress)

        stats = await asyncio.to_thread(run)
        self._committed = max(self._committed, board.sequence)
        self._reserved = max(self._reserved, board.sequence)
        self._start_writer()
        return stats

    def _start_writer(self) -> None:
        if self._writer is not None and not self._writer.started:
            self._writer.start()

    async def close(self) -> None:
        writer = self._writer
        if writer is None:
            return
        if writer.is_alive():
            await self.flush()
            writer.submit(SetMeta("sequence_reserved", str(self._committed)))
            writer.submit(SetMeta("clean_shutdown", repr(time.time())))
            writer.submit(Stop())
            await asyncio.to_thread(writer.join, 60)
        self._writer = None
        with self._reader_lock:
            for conn in self._reader_conns:
                conn.close()
            self._reader_conns.clear()
        self._lock.release()

    # --------------------------------------------------------------- writes

    def _require_writer(self) -> WriterClient:
        if self._writer is None:
            raise StoreError("the store is not open")
        self._start_writer()
        return self._writer

    def append(self, batch: AppliedBatch) -> None:
        if len(batch):
            self._require_writer().submit(batch)

    def reserve_sequence(self, upto: int) -> None:
        self._require_writer().submit(Reserve(upto))

    @property
    def committed_sequence(self) -> int:
        return self._committed

    @property
    def reserved_sequence(self) -> int:
        return self._reserved

    def add_commit_listener(self, listener: Callable[[int], None]) -> None:
        self._listeners.append(listener)

    def _writer_committed(self, committed: int, reserved: int) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._committed_on_loop, committed, reserved)

    def _committed_on_loop(self, committed: int, reserved: int) -> None:
        self._reserved = max(self._reserved, reserved)
        if committed > self._committed:
            self._committed = committed
            for listener in self._listeners:
                listener(committed)

    def _writer_error(self, exc: BaseException | None) -> None:
        self.error = exc

    async def flush(self) -> int:
        writer = self._require_writer()
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def release() -> None:
            loop.call_soon_threadsafe(_resolve, done)

        writer.submit(OnCommitted(release))
        await done
        if writer.dead:
            raise StoreError(f"the store writer has stopped: {writer.failed}")
        return self._committed

    async def checkpoint(self, board: Board) -> int:
        writer = self._require_writer()
        generation = self._checkpoint_generation + 1
        watermark = board.sequence
        writer.submit(CheckpointBegin(generation))
        lines = list(board.iter_lines())
        written = 0
        for start in range(0, len(lines), CHECKPOINT_CHUNK // 8):
            rows = [
                (
                    generation,
                    line.ref,
                    affiliate_id,
                    price.price,
                    int(price.status),
                    1 if price.is_main_line else 0,
                    price.sequence,
                    price.source_ts,
                    price.received_ts,
                )
                for line in lines[start : start + CHECKPOINT_CHUNK // 8]
                if board.line_by_ref(line.ref) is line
                for affiliate_id, price in line.items()
            ]
            writer.submit(CheckpointRows(rows))
            written += len(rows)
            await asyncio.sleep(0)
        writer.submit(CheckpointEnd(generation, watermark, written))
        await self.flush()
        self._checkpoint_generation = generation
        return written

    async def prune(self, older_than: datetime) -> list[str]:
        expired = await self._read(queries.expired_events, older_than.timestamp())
        if expired:
            self._require_writer().submit(Prune([ref for ref, _ in expired]))
            await self.flush()
        return [event_id for _, event_id in expired]

    async def limit_size(self, megabytes: float) -> None:
        """Cap the database file (0 = no cap). At the cap, writes fail and are retried;
        ``/healthz`` shows the error and streams stall rather than lose anything."""
        pages = 0 if megabytes <= 0 else max(1, int(megabytes * 1024 * 1024 / 4096))
        self._require_writer().submit(SizeLimit(pages))
        await self.flush()

    async def set_meta(self, key: str, value: str) -> None:
        self._require_writer().submit(SetMeta(key, value))
        await self.flush()

    # ---------------------------------------------------------------- reads

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._readers, "conn", None)
        if conn is None:
            conn = connect(self.path, cache_mb=32)
            conn.execute("PRAGMA query_only=ON")
            self._readers.conn = conn
            with self._reader_lock:
                self._reader_conns.append(conn)
        return conn

    async def _read(self, query: Callable[..., T], *args: object) -> T:
        def run() -> T:
            return query(self._reader(), *args)

        return await asyncio.to_thread(run)

    async def api_keys(self) -> dict[bytes, keys.StoredKey]:
        return await self._read(keys.active_keys)

    async def get_meta(self, key: str) -> str | None:
        def read(conn: sqlite3.Connection) -> str | None:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return None if row is None else str(row[0])

        return await self._read(read)

    async def openers(
        self, event_refs: Sequence[int], upto: int | None = None
    ) -> list[PriceRecord]:
        return await self._read(queries.openers, list(event_refs), _cap(upto))

    async def closing(
        self, cutoffs: Sequence[tuple[int, float]], upto: int | None = None
    ) -> list[PriceRecord]:
        return await self._read(queries.closing, list(cutoffs), _cap(upto))

    async def prices_at(
        self, sequence: int, keys: Mapping[int, Collection[tuple[int, int]]]
    ) -> list[PriceRecord]:
        wanted = [(event_ref, frozenset(found)) for event_ref, found in keys.items()]
        return await self._read(queries.prices_at, sequence, wanted)

    async def events_at(
        self, sequence: int, event_refs: Collection[int]
    ) -> dict[int, tuple[Event, int]]:
        return await self._read(queries.events_at, sequence, sorted(event_refs))

    async def history(
        self,
        event_ref: int,
        *,
        line_refs: Sequence[int] | None = None,
        affiliate_ids: Sequence[int] | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
        main_only: bool = False,
        upto: int | None = None,
    ) -> list[HistoryRecord]:
        return await self._read(
            queries.history,
            event_ref,
            None if line_refs is None else list(line_refs),
            None if affiliate_ids is None else list(affiliate_ids),
            since,
            until,
            limit,
            main_only,
            _cap(upto),
        )

    async def recent_changes(
        self, limit: int, since: float
    ) -> list[PriceTickRecord | EventTickRecord]:
        return await self._read(tail.recent_changes, limit, since)

    async def lines_by_hash(self, hashes: Sequence[int]) -> dict[int, int]:
        return await self._read(queries.lines_by_hash, list(hashes))

    async def count_ticks(self) -> int:
        def count(conn: sqlite3.Connection) -> int:
            return int(conn.execute("SELECT count(*) FROM ticks").fetchone()[0])

        return await self._read(count)


def _cap(upto: int | None) -> int:
    """A sequence cap for the queries (None: none)."""
    return queries.NO_CAP if upto is None else upto


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
