"""A client connection's send side: bounded, conflating, never silently dropping.

While the connection keeps up, messages go straight to it. When more than
``high_water`` bytes sit unsent, the session *lags*: the client gets a ``lag`` notice
and further updates wait in a map keyed by what they update, so a newer update to a key
replaces an older one (conflation: the client loses intermediate states, never the
latest). When the backlog has drained below ``low_water``, what waits is sent in
sequence order. A client that stays behind for ``max_lag_seconds``, or whose waiting
keys exceed ``max_pending``, is closed with a reason that carries its resume cursor:
every change after that cursor is either delivered or still to come on resume.

While a subscription catches up (resume), the session *holds*: live changes queue in
order, unconflated, and follow the catch-up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from oddswire.stream.message import Message
from oddswire.stream.outbound import Outbound

CLOSE_LAGGING = 4008
_DRAIN_POLL = 0.002


class Renders(Protocol):
    """A subscription as the session sees it: it turns a shared change message into
    what this client gets (its envelope, its ``sub_sequence``).

    ``board_sequenced`` is False for streams numbered apart from the board (the
    opportunities): their sequences say nothing about the session's resume cursor."""

    board_sequenced: bool

    def render(self, message: Message) -> Message: ...

    def oldest_unsent(self) -> int | None:
        """The sequence of the oldest change it holds back itself (conflate_ms)."""


@dataclass(frozen=True, slots=True)
class Limits:
    high_water: int = 1 << 20
    low_water: int = 256 << 10
    max_pending: int = 200_000
    max_lag_seconds: float = 30.0


class Session:
    """See the module docstring. ``close`` is how the endpoint closes the socket;
    ``published`` tells the last sequence the fan-out has handed out."""

    def __init__(
        self,
        outbound: Outbound,
        close: Callable[[int, str], None],
        published: Callable[[], int],
        *,
        limits: Limits | None = None,
        lag_notice: Callable[[bool, int], Message] | None = None,
        heartbeat: Callable[[int], Message] | None = None,
        meter: Callable[[Message], None] | None = None,
    ) -> None:
        self.outbound = outbound
        #: Told of every change and control message written (data-point metering).
        self.meter = meter
        self._close = close
        self._published = published
        self.limits = limits or Limits()
        self._lag_notice = lag_notice
        self._heartbeat = heartbeat
        self.subscriptions: list[Renders] = []
        self.pending: dict[tuple[int, int], tuple[Renders, Message]] = {}
        self.held: list[tuple[Renders, Message]] | None = None
        self.lagging_since: float | None = None
        #: The highest sequence written.
        self.cursor = 0
        self.closed = False
        self.delivered = 0
        self.conflated = 0
        self.lag_episodes = 0

    # ---------------------------------------------------------------- writing

    def deliver(self, sub: Renders, message: Message) -> None:
        """Send a change (or a group) for ``sub``: now, held, or conflated while lagging."""
        if self.closed:
            return
        if self.held is not None:
            self.held.append((sub, message))
            if len(self.held) > self.limits.max_pending:
                self.give_up()
            return
        if self.lagging_since is None:
            if self.outbound.buffered > self.limits.high_water:
                # frames queued this loop turn count as unsent until flushed: hand them
                # to the transport before judging the client (a reader takes them at once)
                self.outbound.flush()
            if self.outbound.buffered <= self.limits.high_water:
                self.write(sub, message)
                return
            self._start_lagging()
        slot = (id(sub), message.key if message.key is not None else -message.sequence)
        if slot in self.pending:
            self.conflated += 1
        self.pending[slot] = (sub, message)
        if len(self.pending) > self.limits.max_pending:
            self.give_up()

    def write(self, sub: Renders, message: Message) -> None:
        """Write a change for ``sub`` now, whatever the backlog (catch-up, drain)."""
        self.outbound.write(sub.render(message))
        self.delivered += message.count
        if self.meter is not None:
            self.meter(message)
        if sub.board_sequenced:
            self.cursor = max(self.cursor, message.sequence)

    def send(self, message: Message) -> None:
        """A control message (ack, snapshot, notice): always written, never conflated."""
        if not self.closed:
            self.outbound.write(message)
            if self.meter is not None:
                self.meter(message)

    # ------------------------------------------------------------ holding

    def hold(self) -> None:
        """Queue live changes (in order) until :meth:`release`: a catch-up is running."""
        if self.held is None:
            self.held = []

    def release(self) -> None:
        """Send what was held, through the usual path (it may start lagging)."""
        held, self.held = self.held, None
        for sub, message in held or ():
            self.deliver(sub, message)

    async def drained(self) -> bool:
        """Wait until the backlog is under ``low_water``; False if the session closed
        or the client did not read for ``max_lag_seconds`` (then it is given up)."""
        deadline = time.monotonic() + self.limits.max_lag_seconds
        self.outbound.flush()  # what is only queued for the end of the turn counts too
        while self.outbound.buffered > self.limits.low_water:
            if self.closed or self.outbound.closed:
                return False
            if time.monotonic() > deadline:
                self.give_up()
                return False
            await asyncio.sleep(_DRAIN_POLL)
        return not self.closed

    # ------------------------------------------------------------ maintenance

    def _start_lagging(self) -> None:
        self.lagging_since = time.monotonic()
        self.lag_episodes += 1
        if self._lag_notice is not None:
            self.outbound.write(self._lag_notice(True, self.resume_cursor()))

    def maintain(self, now: float | None = None) -> None:
        """Drain what waits if the connection caught up; give up on a hopeless one."""
        if self.closed or self.lagging_since is None:
            return
        if self.outbound.closed:
            self.closed = True
            return
        now = time.monotonic() if now is None else now
        self.outbound.flush()
        if self.outbound.buffered <= self.limits.low_water:
            self._drain()
        elif now - self.lagging_since > self.limits.max_lag_seconds:
            self.give_up()

    def _drain(self) -> None:
        waiting = sorted(self.pending.values(), key=lambda item: item[1].sequence)
        self.pending.clear()
        for sub, message in waiting:
            self.write(sub, message)
        self.lagging_since = None
        if self._lag_notice is not None:
            self.outbound.write(self._lag_notice(False, self.resume_cursor()))

    def give_up(self) -> None:
        """Close a client that cannot keep up, telling it where to resume from."""
        if not self.closed:
            self.close(CLOSE_LAGGING, f"lagging; resume_from={self.resume_cursor()}")

    def close(self, code: int, reason: str) -> None:
        """Close the session (after what is already written) with ``code``."""
        if self.closed:
            return
        self.closed = True
        self.pending.clear()
        self.held = None
        self._close(code, reason)

    def heartbeat(self) -> None:
        if self._heartbeat is not None and not self.closed:
            self.outbound.write(self._heartbeat(self.resume_cursor()))

    @property
    def lagging(self) -> bool:
        return self.lagging_since is not None

    # ---------------------------------------------------------------- cursor

    def resume_cursor(self) -> int:
        """A sequence to resume from that loses nothing: every change after it that the
        client's subscriptions want is either written or comes again on resume."""
        cursor = self._published()
        waiting: Iterable[tuple[Renders, Message]] = self.pending.values()
        if self.held:
            waiting = [*waiting, *self.held]
        for sub, message in waiting:
            if not sub.board_sequenced:
                continue
            first = message.items[0].sequence if message.items else message.sequence
            cursor = min(cursor, first - 1)
        for sub in self.subscriptions:
            if not sub.board_sequenced:
                continue
            oldest = sub.oldest_unsent()
            if oldest is not None:
                cursor = min(cursor, oldest - 1)
        return max(cursor, 0)
