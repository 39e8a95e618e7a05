"""Recent committed changes, in sequence order, for delta feeds and resume.

The log keeps the last ``max_changes`` committed changes (and none older than
``max_age`` seconds). A cursor inside the log gets every change after it, one row per
change, exactly as it happened. An older cursor is answered from the board, conflated
(the current state of each key changed since), which ends in the same state. A cursor
older than the resume window is refused as stale.

When the hub opens, the log is refilled with the store's newest committed changes
(:mod:`oddswire.hub.refill`), so a resume across a restart is exact too. Sequences are
not contiguous across batches (numbers reserved but never used before a crash, pruned
events): a batch numbers its own changes consecutively, and a gap between two batches
holds no change, so a cursor inside it is covered.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator

from oddswire.board import AppliedBatch, EventState, LineState
from oddswire.model.change import Change


class ChangeLog:
    def __init__(
        self,
        max_changes: int = 500_000,
        max_age: float = 1800.0,
        window: float = 24 * 3600.0,
    ) -> None:
        self.max_changes = max_changes
        self.max_age = max_age
        self.window = window
        self._batches: deque[tuple[float, AppliedBatch]] = deque()
        self._count = 0
        #: (time, last committed sequence) sampled about once a second, for staleness.
        self._samples: deque[tuple[float, int]] = deque()
        self._last = 0
        #: Changes the last :meth:`refill` took from the store.
        self.refilled = 0
        #: The log holds every change committed after this time (what trimming and a
        #: partial refill leave); before it, the log cannot say what happened when.
        self.complete_since = 0.0

    def append(self, batch: AppliedBatch, now: float | None = None) -> None:
        """Add a committed batch (in sequence order)."""
        if not len(batch):
            return
        now = time.time() if now is None else now
        self._batches.append((now, batch))
        self._count += len(batch)
        self._last = batch.last_sequence
        if not self._samples or now - self._samples[-1][0] >= 1.0:
            self._samples.append((now, batch.last_sequence))
        self._trim(now)

    def _trim(self, now: float) -> None:
        batches = self._batches
        while batches and (
            self._count - len(batches[0][1]) >= self.max_changes
            or now - batches[0][0] > self.max_age
        ):
            dropped_at, dropped = batches.popleft()
            self._count -= len(dropped)
            self.complete_since = max(self.complete_since, dropped_at)
        samples = self._samples
        while len(samples) > 1 and now - samples[1][0] > self.window:
            samples.popleft()

    def start_at(self, sequence: int, complete_since: float | None = None) -> None:
        """Begin logging after ``sequence`` (the board's sequence when the hub opened);
        nothing before ``complete_since`` (default: now) is known to the log."""
        self._batches.clear()
        self._count = 0
        self._last = sequence
        self.complete_since = time.time() if complete_since is None else complete_since

    def refill(
        self,
        batches: Iterable[tuple[float, AppliedBatch]],
        sequence: int,
        complete_since: float | None = None,
    ) -> int:
        """Start over with committed ``batches`` read back from the store, each with the
        time to log it at (when its changes were received), oldest first, then continue
        after ``sequence`` (the board's). Trimmed as if appended live at those times.
        ``complete_since`` is the time after which the store returned every change (by
        default, the first batch's time). Returns how many changes the log holds.
        """
        batches = list(batches)
        if complete_since is None:
            complete_since = batches[0][0] if batches else time.time()
        self.start_at(sequence, complete_since)
        for logged_at, batch in batches:
            self.append(batch, logged_at)
        self._last = max(self._last, sequence)
        self.refilled = self._count
        return self._count

    @property
    def last_sequence(self) -> int:
        return self._last

    def covers(self, sequence: int) -> bool:
        """True if every change after ``sequence`` is in the log."""
        if not self._batches:
            return sequence >= self._last
        return sequence >= self._batches[0][1].first_sequence - 1

    def is_stale(self, sequence: int, now: float | None = None) -> bool:
        """True if ``sequence`` is older than the resume window."""
        now = time.time() if now is None else now
        samples = self._samples
        if not samples or now - samples[0][0] <= self.window:
            return False  # we have not been up for a whole window: nothing is stale yet
        return sequence < samples[0][1]

    def since(self, sequence: int) -> Iterator[tuple[Change, LineState | EventState]]:
        """Every logged change after ``sequence``, oldest first (requires ``covers``)."""
        batches = self._batches
        starts = [b.first_sequence for _, b in batches]
        index = max(0, bisect_right(starts, sequence) - 1)
        for i in range(index, len(batches)):
            batch = batches[i][1]
            offset = max(0, sequence + 1 - batch.first_sequence)
            for j in range(offset, len(batch.changes)):
                yield batch.changes[j], batch.states[j]

    def sequence_at(self, when: float) -> int | None:
        """The last committed sequence at time ``when``, or None if the log cannot tell
        (``when`` is before :attr:`complete_since`)."""
        if when < self.complete_since:
            return None
        for logged_at, batch in reversed(self._batches):
            if logged_at <= when:
                return batch.last_sequence
        return self._batches[0][1].first_sequence - 1 if self._batches else self._last

    def batches_after(self, sequence: int) -> list[tuple[float, AppliedBatch]]:
        """Every logged batch wholly after ``sequence`` (a batch boundary, as
        :meth:`sequence_at` returns), oldest first, with its log time."""
        out: list[tuple[float, AppliedBatch]] = []
        for entry in reversed(self._batches):
            if entry[1].last_sequence <= sequence:
                break
            out.append(entry)
        out.reverse()
        return out

    def __len__(self) -> int:
        return self._count
