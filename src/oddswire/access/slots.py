"""WebSocket connection slots per account, with peer liveness (reference §4.6).

Every WebSocket route draws on one counter per account. A connection takes a
:class:`Lease` before its upgrade is accepted (none left: the upgrade is refused, and
takes nothing) and gives it back when its task ends, so a clean close frees the slot
at once.

A dead or half-open peer must not hold its slot for long. Two things end such a
connection: the server's ping frames (``api/server.py``: every 15 s, 20 s to answer,
so a silent peer is closed by 35 s, inside the 60 s window), and this registry's
watchdog, for the peer that stops reading while data flows. Closing a socket whose send
buffer cannot drain never finishes on its own, so the watchdog looks at each lease's
transport every few seconds: a write buffer that is empty, or smaller than at the last
look, is a sign of life; a lease with no sign of life for ``peer_liveness_seconds``
has its transport aborted and its slot freed. A connection without a transport (a test
client, another server) is watched by its own task only.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable
from typing import Protocol

#: How long a dead or half-open socket may hold its slot (TheRundown's figure).
PEER_LIVENESS_SECONDS = 60.0


class Peer(Protocol):
    """What the watchdog needs of a connection's transport (asyncio's and uvloop's)."""

    def get_write_buffer_size(self) -> int: ...

    def is_closing(self) -> bool: ...

    def abort(self) -> None: ...


class Lease:
    """One connection's slot. :meth:`release` is idempotent."""

    __slots__ = ("_last_buffered", "account", "alive_at", "peer", "released", "slots")

    def __init__(self, slots: Slots | None, account: str, peer: Peer | None, now: float) -> None:
        self.slots = slots
        self.account = account
        self.peer = peer
        self.alive_at = now
        self.released = False
        self._last_buffered = 0

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        if self.slots is not None:
            self.slots._forget(self)

    def looks_alive(self, now: float) -> bool:
        """Update the last sign of life from the transport; False once it is overdue."""
        peer = self.peer
        if peer is None:
            return True
        buffered = peer.get_write_buffer_size()
        if not peer.is_closing() and (buffered == 0 or buffered < self._last_buffered):
            self.alive_at = now
        self._last_buffered = buffered
        assert self.slots is not None
        return now - self.alive_at < self.slots.peer_liveness_seconds


class Slots:
    """The connection registry of one app: leases per account."""

    def __init__(
        self,
        peer_liveness_seconds: float = PEER_LIVENESS_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.peer_liveness_seconds = peer_liveness_seconds
        #: Seconds between the watchdog's looks at the transports.
        self.check_every = max(0.05, peer_liveness_seconds / 12)
        self._clock = clock
        self._leases: dict[str, set[Lease]] = {}
        self._watchdog: asyncio.Task[None] | None = None

    def held(self, account: str) -> int:
        return len(self._leases.get(account, ()))

    @property
    def total(self) -> int:
        return sum(len(leases) for leases in self._leases.values())

    def acquire(self, account: str, cap: int | None, peer: Peer | None = None) -> Lease | None:
        """A slot for ``account`` (``cap`` None: unlimited), or None at the cap. At the
        cap, overdue leases are reclaimed first, so a dead peer never blocks a new
        connection longer than the liveness window."""
        now = self._clock()
        if cap is not None and self.held(account) >= cap:
            self.sweep(now)
            if self.held(account) >= cap:
                return None
        lease = Lease(self, account, peer, now)
        self._leases.setdefault(account, set()).add(lease)
        if peer is not None:
            self._start_watchdog()
        return lease

    def retry_after(self, account: str) -> int:
        """Seconds until a held slot of ``account`` could be reclaimed if its peer died
        now (at least 1): what a refused upgrade is told to wait."""
        now = self._clock()
        window = self.peer_liveness_seconds
        deadlines = [
            lease.alive_at + window if lease.peer is not None else now + window
            for lease in self._leases.get(account, ())
        ]
        wait = min(deadlines, default=now + 1) - now
        return max(1, math.ceil(wait))

    def sweep(self, now: float | None = None) -> int:
        """Abort and release every lease whose peer is overdue; how many there were."""
        now = self._clock() if now is None else now
        overdue = [
            lease
            for leases in self._leases.values()
            for lease in leases
            if not lease.looks_alive(now)
        ]
        for lease in overdue:
            assert lease.peer is not None
            with contextlib.suppress(Exception):  # an already broken transport
                lease.peer.abort()
            lease.release()
        return len(overdue)

    def _forget(self, lease: Lease) -> None:
        leases = self._leases.get(lease.account)
        if leases is None:
            return
        leases.discard(lease)
        if not leases:
            del self._leases[lease.account]

    def _start_watchdog(self) -> None:
        """Watch from a task when there is a loop (outside one, :meth:`sweep` is it)."""
        if self._watchdog is not None and not self._watchdog.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._watchdog = loop.create_task(self._watch())

    async def _watch(self) -> None:
        while any(lease.peer is not None for ls in self._leases.values() for lease in ls):
            await asyncio.sleep(self.check_every)
            self.sweep()
        self._watchdog = None

    async def stop(self) -> None:
        task, self._watchdog = self._watchdog, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def untracked(account: str = "") -> Lease:
    """A lease that counts against nothing (a connection with no identity)."""
    return Lease(None, account, None, 0.0)
