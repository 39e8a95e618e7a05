"""The hub: sources -> board -> store, and the committed change stream.

Every change enters through :meth:`Hub.submit`, which applies it to the board (getting
its sequence) and queues it for the store. A batch is *published* to commit listeners
only once the store has made it durable, so no client ever sees a change a crash could
take back. Sequence numbers are reserved durably in blocks ahead of use, so a restart
after a crash continues above every number anyone could have seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from oddswire.analytics.detect import DetectorSettings
from oddswire.analytics.opportunities import OpportunityBook
from oddswire.board import AppliedBatch, Board
from oddswire.hub.analytics import AnalyticsRunner
from oddswire.hub.changelog import ChangeLog
from oddswire.hub.delayed import DelayedBoards
from oddswire.hub.refill import collector_paused, refill
from oddswire.model.change import Change
from oddswire.refdata import Catalog
from oddswire.sources.base import Source
from oddswire.store.base import LoadStats, Progress, StoreInfo, TickStore

log = logging.getLogger("oddswire.hub")

RESERVE_BLOCK = 1_000_000

AppliedListener = Callable[[AppliedBatch], None]


@dataclass(frozen=True, slots=True)
class HubSettings:
    #: Seconds between checkpoints of the board into the store (0 disables).
    checkpoint_interval: float = 300.0
    #: Take a checkpoint on a clean shutdown, so the next start replays nothing.
    checkpoint_on_shutdown: bool = True
    #: Events that started more than this many days ago are deleted (board and store).
    retention_days: float = 7.0
    #: Seconds between retention sweeps.
    prune_interval: float = 3600.0
    #: Submissions wait while more than this many changes are queued for the store.
    max_store_backlog: int = 500_000
    #: Committed changes kept in memory for exact delta rows (and at most this old).
    changelog_changes: int = 250_000
    changelog_seconds: float = 1800.0
    #: Cursors older than this are refused as stale (the resume window).
    resume_window_hours: float = 24.0
    #: The live detectors' settings (None: no detectors run).
    detectors: DetectorSettings | None = field(default_factory=DetectorSettings)


def settle_heap() -> None:
    """Move everything alive after warm-up (the board's events and lines, the catalog)
    out of the cyclic collector's way: a full collection would otherwise walk them all,
    a pause of tens of milliseconds on a warm board, every time one runs."""
    gc.collect()
    gc.freeze()


class Hub:
    """Owns the board and the store; see the module docstring."""

    def __init__(
        self,
        catalog: Catalog,
        store: TickStore,
        sources: Sequence[Source] = (),
        settings: HubSettings | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.sources = list(sources)
        self.settings = settings or HubSettings()
        self.board = Board()
        self.store_info: StoreInfo | None = None
        self.load_stats: LoadStats | None = None
        self.started_at = time.time()
        self.ready = False
        self._progress = progress
        self._applied_listeners: list[AppliedListener] = []
        self._committed_listeners: list[AppliedListener] = []
        self._uncommitted: deque[AppliedBatch] = deque()
        self._queued = 0
        self._reserve_requested = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._backlog_drained = asyncio.Event()
        self._backlog_drained.set()
        self.rejected = 0
        self.changelog = ChangeLog(
            self.settings.changelog_changes,
            self.settings.changelog_seconds,
            self.settings.resume_window_hours * 3600.0,
        )
        self._committed_listeners.append(self.changelog.append)
        #: The board as it was a tier's delay ago, per delay in use (hub/delayed.py).
        self.delayed = DelayedBoards(self.board, self.changelog, store, lambda: self._uncommitted)
        self._committed_listeners.append(self.delayed.on_committed)
        #: Open arbitrages, middles and +EV bets, which the analytics publish.
        self.opportunities = OpportunityBook()
        self.analytics: AnalyticsRunner | None = None
        if self.settings.detectors is not None:
            self.analytics = AnalyticsRunner(
                catalog,
                self.board,
                self.opportunities,
                self.settings.detectors,
                lambda: self.store.committed_sequence,
            )
            self._applied_listeners.append(self.analytics.on_applied)
            self._committed_listeners.append(self.analytics.on_committed)

    # ------------------------------------------------------------ listeners

    def on_applied(self, listener: AppliedListener) -> None:
        """Called synchronously with every applied batch (before it is durable)."""
        self._applied_listeners.append(listener)

    def on_committed(self, listener: AppliedListener) -> None:
        """Called with every batch once durable, in sequence order."""
        self._committed_listeners.append(listener)

    def progress(self, what: str, fraction: float | None) -> None:
        if self._progress is not None:
            self._progress(what, fraction)

    # ------------------------------------------------------------ lifecycle

    async def open(self) -> LoadStats:
        """Open the store and rebuild the board from it."""
        self.store_info = await self.store.open(self._progress)
        self.load_stats = await self.store.load(self.board, self._progress)
        # The store's newest committed changes go back in the change log, so a client
        # resuming across this restart (or crash) gets an exact replay (hub/refill.py).
        self.progress("refilling the change log", None)
        started = time.perf_counter()
        try:
            with collector_paused():
                since = time.time() - self.settings.changelog_seconds
                limit = self.settings.changelog_changes
                records = await self.store.recent_changes(limit, since)
                # every change since ``since`` came back, unless the count cut them off
                complete = since if len(records) < limit else None
                taken, skipped = refill(self.changelog, self.board, records, None, complete)
                del records
        except Exception:
            log.exception("could not refill the change log; resumes start conflated")
            self.changelog.start_at(self.board.sequence)
        else:
            log.info(
                "change log: refilled %d changes from the store in %.3f s (%d skipped)",
                taken,
                time.perf_counter() - started,
                skipped,
            )
        self.store.add_commit_listener(self._on_store_commit)
        self._reserve_requested = self.store.reserved_sequence
        await self._reserve(self.board.sequence + RESERVE_BLOCK)
        if self.analytics is not None:
            self.analytics.prime()
        return self.load_stats

    async def warm_up(self) -> None:
        """Let every source deliver its initial state."""
        for source in self.sources:
            await source.warm_up(self)
        self.ready = True
        settle_heap()

    def start(self) -> None:
        """Start live sources and housekeeping as background tasks."""
        for source in self.sources:
            self._tasks.append(asyncio.create_task(self._run_source(source), name=source.name))
        if self.settings.checkpoint_interval > 0:
            self._tasks.append(asyncio.create_task(self._checkpoint_loop(), name="checkpoint"))
        if self.settings.prune_interval > 0:
            self._tasks.append(asyncio.create_task(self._prune_loop(), name="prune"))
        self._tasks.append(asyncio.create_task(self.delayed.run(), name="delayed-boards"))
        if self.analytics is not None and self.settings.detectors is not None:
            interval = self.settings.detectors.evaluation_interval
            self._tasks.append(asyncio.create_task(self.analytics.run(interval), name="analytics"))

    async def stop(self) -> None:
        """Stop sources, make everything durable, checkpoint, release the store."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for source in self.sources:
            await source.close()
        if self.store_info is None:
            return  # the store never opened: nothing to flush or release
        if self.load_stats is None:
            await self.store.close()  # opened but not loaded: release the lock
            return
        await self.store.flush()
        if self.settings.checkpoint_on_shutdown and self.board.price_count:
            self.progress("checkpointing the board", None)
            await self.store.checkpoint(self.board)
        await self.store.close()

    async def _run_source(self, source: Source) -> None:
        while True:
            try:
                await source.run(self)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                source.health.fail(repr(exc))
                source.health.connected = False
                log.exception("source %s failed; restarting in 1 s", source.name)
                await asyncio.sleep(1.0)

    # ---------------------------------------------------------------- ingest

    async def submit(self, changes: Sequence[Change]) -> int:
        """Apply changes to the board, queue them for the store; returns how many applied."""
        if not changes:
            return 0
        if self._queued > self.settings.max_store_backlog:
            self._backlog_drained.clear()
            await self._backlog_drained.wait()
        needed = self.board.sequence + len(changes)
        if needed > self._reserve_requested - RESERVE_BLOCK // 2:
            self.store.reserve_sequence(needed + RESERVE_BLOCK)
            self._reserve_requested = needed + RESERVE_BLOCK
        if needed > self.store.reserved_sequence:
            await self.store.flush()  # only at start or when the store has stalled
        batch = self.board.apply(changes)
        if batch.rejected:
            self.rejected += len(batch.rejected)
            log.warning("%d changes rejected, e.g. %s", len(batch.rejected), batch.rejected[0][1])
        if not len(batch):
            return 0
        self.store.append(batch)
        self._uncommitted.append(batch)
        self._queued += len(batch)
        for listener in self._applied_listeners:
            listener(batch)
        return len(batch)

    async def _reserve(self, upto: int) -> None:
        self.store.reserve_sequence(upto)
        self._reserve_requested = upto
        await self.store.flush()

    def _on_store_commit(self, committed: int) -> None:
        pending = self._uncommitted
        while pending and pending[0].last_sequence <= committed:
            batch = pending.popleft()
            self._queued -= len(batch)
            for listener in self._committed_listeners:
                listener(batch)
        if self._queued <= self.settings.max_store_backlog // 2:
            self._backlog_drained.set()

    # ----------------------------------------------------------- housekeeping

    async def _checkpoint_loop(self) -> None:
        last = self.board.sequence
        while True:
            await asyncio.sleep(self.settings.checkpoint_interval)
            if self.board.sequence != last:
                last = self.board.sequence
                written = await self.store.checkpoint(self.board)
                log.info("checkpoint: %d prices at sequence %d", written, last)

    async def _prune_loop(self) -> None:
        while True:
            await self.prune()
            await asyncio.sleep(self.settings.prune_interval)

    async def prune(self, now: datetime | None = None) -> int:
        """Delete events older than the retention window; returns how many."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.settings.retention_days)
        expired = await self.store.prune(cutoff)
        self.board.evict(expired)
        self.delayed.evict(expired)
        for source in self.sources:
            source.forget(expired)
        if self.analytics is not None:
            self.analytics.forget(expired)
        if expired:
            log.info("retention: removed %d events that started before %s", len(expired), cutoff)
        return len(expired)

    # ---------------------------------------------------------------- status

    def health(self) -> dict[str, object]:
        store_error = getattr(self.store, "error", None)
        for source in self.sources:
            source.refresh_health()
        sources = [s.health.as_dict() for s in self.sources]
        healthy = self.ready and store_error is None and all(bool(s["healthy"]) for s in sources)
        return {
            "status": "ok" if healthy else ("starting" if not self.ready else "degraded"),
            "uptime_seconds": round(time.time() - self.started_at, 3),
            "sequence": self.board.sequence,
            "committed_sequence": self.store.committed_sequence,
            "uncommitted_changes": self._queued,
            "events": len(self.board),
            "lines": self.board.line_count,
            "prices": self.board.price_count,
            "rejected_changes": self.rejected,
            "changelog": {
                "changes": len(self.changelog),
                "refilled": self.changelog.refilled,
            },
            "store": {
                "epoch": self.store_info.epoch if self.store_info else None,
                "error": None if store_error is None else str(store_error),
            },
            "sources": sources,
            "analytics": None if self.analytics is None else self.analytics.stats(),
            "delayed_boards": [
                {
                    "delay_seconds": d.delay,
                    "sequence": d.sequence,
                    "prices": d.board.price_count,
                    "pending_changes": d.pending_changes,
                }
                for d in self.delayed.boards()
            ],
        }
