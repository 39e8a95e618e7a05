"""The tick-store interface. SQLite implements it today; PostgreSQL follows without
touching its callers.

Writes are fire-and-forget from the hub's point of view (:meth:`TickStore.append` only
queues) and become durable in order; :attr:`TickStore.committed_sequence` and commit
listeners say how far. Reads are async.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import msgspec

from oddswire.board import AppliedBatch, Board
from oddswire.model.change import PriceStatus
from oddswire.model.event import Event
from oddswire.store.keys import StoredKey

Progress = Callable[[str, float | None], None]
"""Progress callback: (what is happening, fraction done in [0, 1] or None if unknown)."""


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do."""


class StoreLockedError(StoreError):
    """Another process holds the store."""


class ForeignStoreError(StoreError):
    """The file exists but is not an oddswire store (or is from a newer version)."""


class CorruptStoreError(StoreError):
    """The file is an oddswire store but is damaged."""


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """Identity of a store: ``epoch`` changes only when a store is created from scratch."""

    epoch: str
    created_at: float
    sequence_reserved: int
    schema_version: int


@dataclass(frozen=True, slots=True)
class LoadStats:
    events: int
    lines: int
    prices: int
    checkpoint_prices: int
    #: Prices restored from ticks after the checkpoint (the latest tick of each such key).
    tail_prices: int
    sequence: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PriceRecord:
    """One book's price on one line at one moment, as stored."""

    line_ref: int
    affiliate_id: int
    price: float
    status: PriceStatus
    is_main_line: bool
    sequence: int
    source_ts: float
    received_ts: float


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """A stored price change with what it replaced (None for a line's first price)."""

    line_ref: int
    affiliate_id: int
    price: float
    status: PriceStatus
    is_main_line: bool
    sequence: int
    source_ts: float
    received_ts: float
    previous_price: float | None
    previous_status: PriceStatus | None


class PriceTickRecord(msgspec.Struct, frozen=True, gc=False):
    """A stored price change with what it replaced, as :class:`HistoryRecord` (a
    compact struct: a refill makes hundreds of thousands of them)."""

    line_ref: int
    affiliate_id: int
    price: float
    status: PriceStatus
    is_main_line: bool
    sequence: int
    source_ts: float
    received_ts: float
    previous_price: float | None
    previous_status: PriceStatus | None


class EventTickRecord(msgspec.Struct, frozen=True, gc=False):
    """A stored event change: the event as it became, and as it was before (None for
    the event's first change)."""

    sequence: int
    event_ref: int
    event: Event
    received_ts: float
    previous: Event | None


class TickStore(ABC):
    """Durable, ordered record of every applied change."""

    @abstractmethod
    async def open(self, progress: Progress | None = None) -> StoreInfo:
        """Create the store or validate an existing one; take the single-writer lock."""

    @abstractmethod
    async def load(self, board: Board, progress: Progress | None = None) -> LoadStats:
        """Rebuild ``board`` from the store and set its sequence to continue numbering."""

    @abstractmethod
    def append(self, batch: AppliedBatch) -> None:
        """Queue an applied batch for writing. Never blocks."""

    @abstractmethod
    def reserve_sequence(self, upto: int) -> None:
        """Queue a durable promise that numbers up to ``upto`` are taken.

        Queued before the batches that use them, so after a crash the board continues
        above every number any client could have seen.
        """

    @property
    @abstractmethod
    def committed_sequence(self) -> int:
        """The highest sequence known durable."""

    @property
    @abstractmethod
    def reserved_sequence(self) -> int:
        """The highest sequence reservation known durable."""

    @abstractmethod
    def add_commit_listener(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(committed_sequence)`` on the event loop after each commit."""

    @abstractmethod
    async def flush(self) -> int:
        """Wait until everything queued so far is durable; return the committed sequence."""

    @abstractmethod
    async def checkpoint(self, board: Board) -> int:
        """Record the board's current prices so a rebuild replays only later ticks.

        Runs in chunks between which the board keeps changing (a fuzzy checkpoint);
        returns the number of prices written.
        """

    @abstractmethod
    async def openers(
        self, event_refs: Sequence[int], upto: int | None = None
    ) -> list[PriceRecord]:
        """First open price of every line and book of these events (among the changes
        up to sequence ``upto``, if given: a delayed view's)."""

    @abstractmethod
    async def closing(
        self, cutoffs: Sequence[tuple[int, float]], upto: int | None = None
    ) -> list[PriceRecord]:
        """Last open price of every line and book at or before each event's cutoff
        (among the changes up to sequence ``upto``, if given).

        ``cutoffs`` pairs an event ref with its cutoff (Unix seconds, the scheduled start).
        """

    @abstractmethod
    async def prices_at(
        self, sequence: int, keys: Mapping[int, Collection[tuple[int, int]]]
    ) -> list[PriceRecord]:
        """The last price at or before ``sequence`` of each of these (line ref,
        affiliate id) keys, given by event ref (a key with none is left out): what a
        delayed replica turns its touched prices back to."""

    @abstractmethod
    async def events_at(
        self, sequence: int, event_refs: Collection[int]
    ) -> dict[int, tuple[Event, int]]:
        """Each event's header as of ``sequence``, with the sequence of the change that
        set it; events that did not exist yet are left out."""

    @abstractmethod
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
        """The newest ``limit`` price changes of one event, returned oldest first.

        ``since``/``until`` bound the source timestamp (inclusive); ``main_only`` keeps
        changes written while the line was the book's main line; ``upto`` leaves out
        changes after that sequence (a delayed view's).
        """

    @abstractmethod
    async def recent_changes(
        self, limit: int, since: float
    ) -> list[PriceTickRecord | EventTickRecord]:
        """The newest committed changes, oldest first, to refill the change log.

        A suffix of the committed history: at most ``limit`` changes, going back from
        the newest until one received before ``since`` (Unix seconds), which is left out
        with everything older. Every stored change after the oldest one returned is
        returned, so the caller may treat the result as covering its whole range.
        """

    @abstractmethod
    async def lines_by_hash(self, hashes: Sequence[int]) -> dict[int, int]:
        """Line refs by the 48-bit line-id prefix that price ids embed."""

    @abstractmethod
    async def prune(self, older_than: datetime) -> list[str]:
        """Delete events that started before ``older_than`` with all their ticks."""

    @abstractmethod
    async def api_keys(self) -> dict[bytes, StoredKey]:
        """The active API keys managed with ``oddswire keys``, by SHA-256 digest."""

    @abstractmethod
    async def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    async def set_meta(self, key: str, value: str) -> None: ...

    @abstractmethod
    async def close(self) -> None:
        """Flush, record a clean shutdown and release the lock."""
