"""Delayed boards: the board as it was ``delay`` seconds ago, for delayed tiers.

A tier with a data delay (reference §5.1: Free 5 min, Starter 60 s, Pro 30 s) must
never see a price fresher than that. For each delay in use the hub keeps a replica
board (:class:`DelayedBoard`) that follows the live board's *committed* batches,
each applied once it has been committed for ``delay`` seconds. Every request and
stream of a delayed key reads that replica, so what it shows is exactly the live
board as it stood ``delay`` seconds before (to the follow loop's tick, and to the
request itself, which brings its replica up to date before reading it).

A replica is made the first time its delay is asked for (:meth:`DelayedBoards.get`):

1. the change log says which sequence was the last committed ``delay`` seconds ago
   (:meth:`ChangeLog.sequence_at`); if it cannot tell (a hub restarted without its
   recent history) the request is refused with :class:`DelayUnavailable`, never
   answered with fresher data;
2. the tick store says what every key changed since then was at that sequence;
3. the live board is copied (prices and headers are shared, being immutable) and
   turned back to that sequence (:func:`oddswire.board.rewind.rewind`), a part at a
   time so the hub keeps running, and the logged batches after it wait their turn
   like any later one.

A replica costs its containers (events, markets, lines and their book lists), about a
third of the live board's memory, and lives as long as the hub.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Iterable

from oddswire.board import AppliedBatch, Board, PriceState
from oddswire.board.rewind import Prior, Touched, rewind
from oddswire.hub.changelog import ChangeLog
from oddswire.hub.refill import collector_paused
from oddswire.store.base import TickStore

log = logging.getLogger("oddswire.hub.delayed")

BatchListener = Callable[[AppliedBatch], None]
#: Seconds between the follow loop's passes.
FOLLOW_EVERY = 0.1
#: Events copied, and keys turned back, between two turns of the event loop while a
#: replica is made (each part takes a few milliseconds).
COPY_CHUNK = 5
REWIND_CHUNK = 500


class DelayUnavailable(Exception):
    """The board as of that long ago is not known (yet): retry in ``retry_after`` s."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class DelayedBoard:
    """A replica of the live board, ``delay`` seconds behind it."""

    def __init__(
        self, delay: float, board: Board, pending: Iterable[tuple[float, AppliedBatch]] = ()
    ) -> None:
        self.delay = delay
        self.board = board
        #: Committed batches not applied yet, with the time they were committed.
        self._pending: deque[tuple[float, AppliedBatch]] = deque(pending)
        self._listeners: list[BatchListener] = []

    @property
    def sequence(self) -> int:
        """The last live sequence this replica has applied."""
        return self.board.sequence

    def as_of(self, now: float | None = None) -> float:
        """The moment this replica shows."""
        return (time.time() if now is None else now) - self.delay

    def on_applied(self, listener: BatchListener) -> None:
        """Called with each batch as this replica applies it (its own states)."""
        self._listeners.append(listener)

    def enqueue(self, batch: AppliedBatch, committed_at: float | None = None) -> None:
        """A batch the live board committed (at ``committed_at``, default now)."""
        self._pending.append((time.time() if committed_at is None else committed_at, batch))

    def advance(self, now: float | None = None) -> int:
        """Apply every pending batch committed ``delay`` seconds or more before ``now``;
        returns how many changes that was."""
        cutoff = self.as_of(now)
        pending = self._pending
        applied = 0
        while pending and pending[0][0] <= cutoff:
            _, batch = pending.popleft()
            for mine in self.board.follow(batch):
                applied += len(mine)
                for listener in self._listeners:
                    listener(mine)
        return applied

    @property
    def pending_changes(self) -> int:
        return sum(len(batch) for _, batch in self._pending)


class DelayedBoards:
    """The hub's delayed replicas, one per delay in use; see the module docstring."""

    def __init__(
        self,
        live: Board,
        changelog: ChangeLog,
        store: TickStore,
        uncommitted: Callable[[], Iterable[AppliedBatch]],
    ) -> None:
        self._live = live
        self._changelog = changelog
        self._store = store
        self._uncommitted = uncommitted
        self._boards: dict[float, DelayedBoard] = {}
        self._locks: dict[float, asyncio.Lock] = {}

    def boards(self) -> list[DelayedBoard]:
        return list(self._boards.values())

    def on_committed(self, batch: AppliedBatch) -> None:
        """The hub's commit listener: every replica queues the batch."""
        now = time.time()
        for board in self._boards.values():
            board.enqueue(batch, now)

    def advance(self, now: float | None = None) -> None:
        for board in self._boards.values():
            board.advance(now)

    def evict(self, event_ids: Iterable[str]) -> None:
        """Retention: drop events from every replica as from the live board."""
        ids = list(event_ids)
        for board in self._boards.values():
            board.board.evict(ids)

    async def run(self, every: float = FOLLOW_EVERY) -> None:
        """Keep every replica ``delay`` behind: the follow loop."""
        while True:
            await asyncio.sleep(every)
            self.advance()

    async def get(self, delay: float, now: float | None = None) -> DelayedBoard:
        """The replica ``delay`` seconds behind, up to date (as of ``delay`` before
        ``now``, default: when it returns), made on first use.

        Raises :class:`DelayUnavailable` while the board as of then cannot be known.
        """
        found = self._boards.get(delay)
        if found is None:
            lock = self._locks.setdefault(delay, asyncio.Lock())
            async with lock:
                found = self._boards.get(delay)
                if found is None:
                    # A replica is a million-odd new objects: the cyclic collector would
                    # walk them (and the unfrozen heap) several times while they are
                    # made, stalling everything for tenths of a second each time. They
                    # live as long as the hub, so they are set aside as warm-up's are.
                    with collector_paused():
                        found = await self._build(delay, time.time() if now is None else now)
                        gc.freeze()
        found.advance(now)
        return found

    async def _build(self, delay: float, now: float) -> DelayedBoard:
        started = time.perf_counter()
        upto = self._changelog.sequence_at(now - delay)
        if upto is None:
            wait = self._changelog.complete_since + delay - now
            raise DelayUnavailable(
                f"data delayed {delay:g} s is not available yet: the hub does not know the "
                f"board as it was then (it restarted without that history); "
                f"retry in {math.ceil(max(wait, 1.0))} s",
                max(wait, 1.0),
            )
        board = await self._copy_live()
        prior = Prior()
        done = Touched()
        changed = ChangedSince(self._changelog, self._uncommitted, upto)
        while True:
            await changed.catch_up()
            touched = changed.keys()
            missing = touched.missing_from(prior)
            if missing:
                await self._look_up(prior, missing, upto)
                continue
            todo = touched.without(done)
            if todo.size > REWIND_CHUNK:
                part = todo.head(REWIND_CHUNK)
                rewind(board, part, prior)
                done.update(part)
                await asyncio.sleep(0)
                continue
            rewind(board, todo, prior)
            break
        # Nothing awaited since the keys changed after ``upto`` were last listed, and
        # nothing will until the replica queues commits: the live board cannot move
        # in between. Events the live board dropped meanwhile (retention) go too.
        if not self._changelog.covers(upto):
            raise DelayUnavailable(
                f"data delayed {delay:g} s is not available yet: the hub is changing faster "
                "than its change log keeps; retry in 1 s",
                1.0,
            )
        live = self._live
        board.evict(
            [s.event.event_id for s in board.events() if live.event(s.event.event_id) is None]
        )
        board.sequence = upto
        replica = DelayedBoard(delay, board, self._changelog.batches_after(upto))
        self._boards[delay] = replica
        log.info(
            "delayed board (%g s) made in %.3f s: %d prices as of sequence %d, "
            "%d changes to follow",
            delay,
            time.perf_counter() - started,
            board.price_count,
            upto,
            replica.pending_changes,
        )
        return replica

    async def _copy_live(self) -> Board:
        """A copy of the live board, made ``COPY_CHUNK`` events at a time so the hub
        and the API keep running meanwhile. Each event is copied as it is when its turn
        comes; every key that changes after ``upto`` is turned back anyway, and events
        or lines made after the copy began did not exist at ``upto``."""
        board = Board()
        events = list(self._live.events())
        for start in range(0, len(events), COPY_CHUNK):
            self._live.copy_into(board, events[start : start + COPY_CHUNK])
            await asyncio.sleep(0)
        return board

    async def _look_up(self, prior: Prior, missing: Touched, upto: int) -> None:
        """What ``missing``'s keys were at ``upto``, from the tick store, into ``prior``."""
        records = await self._store.prices_at(upto, missing.prices)
        prices = {
            (r.line_ref, r.affiliate_id): PriceState(
                r.price, r.status, r.is_main_line, r.sequence, r.source_ts, r.received_ts
            )
            for r in records
        }
        prior.events.update(await self._store.events_at(upto, missing.events))
        prior.merge(missing, prices)


class ChangedSince:
    """The keys changed after a sequence, kept up to date as the live board moves:
    each call reads only what the change log got since the last one, plus the batches
    applied but not yet committed (a few)."""

    def __init__(
        self,
        changelog: ChangeLog,
        uncommitted: Callable[[], Iterable[AppliedBatch]],
        after: int,
    ) -> None:
        self._changelog = changelog
        self._uncommitted = uncommitted
        self._touched = Touched()
        self._scanned = after

    async def catch_up(self, chunk: int = 5000) -> None:
        """Read what the log got since the last call, ``chunk`` changes between two
        turns of the event loop (a big backlog is read without stalling it)."""
        while True:
            fresh = list(itertools.islice(self._changelog.since(self._scanned), chunk))
            if not fresh:
                return
            self._touched.add(fresh)
            self._scanned = fresh[-1][0].sequence
            await asyncio.sleep(0)

    def keys(self) -> Touched:
        """Every key changed after the sequence, as of now (reads the log's newest).
        The same object each time, grown: keys only ever join it."""
        fresh = list(self._changelog.since(self._scanned))
        if fresh:
            self._touched.add(fresh)
            self._scanned = fresh[-1][0].sequence
        for batch in self._uncommitted():
            self._touched.add(zip(batch.changes, batch.states, strict=True))
        return self._touched
