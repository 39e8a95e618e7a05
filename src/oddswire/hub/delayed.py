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
   turned back to that sequence (:func:`oddswire.board.rewind.rewind`), and the
   logged batches after it wait their turn like any later one.

A replica costs its containers (events, markets, lines and their book lists), about a
third of the live board's memory, and lives as long as the hub.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Iterable

from oddswire.board import AppliedBatch, Board, PriceState
from oddswire.board.rewind import Prior, Touched, rewind
from oddswire.hub.changelog import ChangeLog
from oddswire.store.base import TickStore

log = logging.getLogger("oddswire.hub.delayed")

BatchListener = Callable[[AppliedBatch], None]
#: Seconds between the follow loop's passes.
FOLLOW_EVERY = 0.1


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

    def __contains__(self, delay: float) -> bool:
        return delay in self._boards

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

    async def get(self, delay: float) -> DelayedBoard:
        """The replica ``delay`` seconds behind, up to date now (made on first use).

        Raises :class:`DelayUnavailable` while the board as of then cannot be known.
        """
        found = self._boards.get(delay)
        if found is None:
            lock = self._locks.setdefault(delay, asyncio.Lock())
            async with lock:
                found = self._boards.get(delay)
                if found is None:
                    found = await self._build(delay)
        found.advance()
        return found

    async def _build(self, delay: float) -> DelayedBoard:
        started = time.perf_counter()
        upto = self._changelog.sequence_at(time.time() - delay)
        if upto is None:
            wait = self._changelog.complete_since + delay - time.time()
            raise DelayUnavailable(
                f"data delayed {delay:g} s is not available yet: the hub does not know the "
                f"board as it was then (it restarted without that history); "
                f"retry in {math.ceil(max(wait, 1.0))} s",
                max(wait, 1.0),
            )
        prior = Prior()
        while True:
            touched = self._touched_after(upto)
            missing = touched.missing_from(prior)
            if not missing:
                break
            await self._look_up(prior, missing, upto)
        # From here to the registration nothing awaits: the live board cannot move
        # between the copy and the moment the replica starts queueing commits.
        board = self._live.copy()
        rewind(board, touched, prior, upto)
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

    def _touched_after(self, upto: int) -> Touched:
        """The keys changed after ``upto``: committed (the log) and not yet committed."""
        touched = Touched()
        touched.add(self._changelog.since(upto))
        for batch in self._uncommitted():
            touched.add(zip(batch.changes, batch.states, strict=True))
        return touched

    async def _look_up(self, prior: Prior, missing: Touched, upto: int) -> None:
        """What ``missing``'s keys were at ``upto``, from the tick store, into ``prior``."""
        lines = {
            event_ref: {line_ref for line_ref, _ in keys}
            for event_ref, keys in missing.prices.items()
        }
        wanted = {key for keys in missing.prices.values() for key in keys}
        records = await self._store.prices_at(upto, lines)
        prices = {
            (r.line_ref, r.affiliate_id): PriceState(
                r.price, r.status, r.is_main_line, r.sequence, r.source_ts, r.received_ts
            )
            for r in records
            if (r.line_ref, r.affiliate_id) in wanted
        }
        prior.events.update(await self._store.events_at(upto, missing.events))
        prior.merge(missing, prices)
