"""A subscription: one session's interest in one channel, with its filter, counters and
delivery options (conflation window, grouping of a batch's changes into one frame)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from oddswire.stream.filters import StreamFilter
from oddswire.stream.message import Message
from oddswire.stream.session import Session

#: Channels the fan-out feeds: price changes, event headers (scores, status, clock), and
#: opportunities (filled by the analytics).
MARKETS = "markets"
SCORES = "scores"
HEDGE = "hedge"

#: Turns a shared change message (or a group) into what one subscriber gets; the int is
#: the ``sub_sequence`` of its first change.
Wrap = Callable[["Subscription", Message, int], Message]


def shared(sub: Subscription, message: Message, first: int) -> Message:
    """The same message (and frame) for every session: TheRundown's flat streams."""
    return message


class Subscription:
    """``wire`` names the encoding the fan-out produces for it (encoded once per change
    for all subscriptions that share it); ``wrap`` turns that into what this client gets
    (for the multiplexed protocol: an envelope with its id and ``sub_sequence``).

    ``conflate_ms`` > 0 holds changes for that long, keeping the latest per key, then
    sends them in sequence order. ``group`` sends the changes of one committed batch as
    one message (``wrap`` gets a group).
    """

    def __init__(
        self,
        session: Session,
        channel: str,
        wire: str,
        wanted: StreamFilter,
        *,
        sub_id: str | None = None,
        wrap: Wrap = shared,
        conflate_ms: int = 0,
        group: bool = False,
    ) -> None:
        self.session = session
        self.channel = channel
        self.wire = wire
        self.filter = wanted
        self.sub_id = sub_id
        self._wrap = wrap
        self.conflate_ms = conflate_ms
        self.group = group
        #: Hedge messages carry the opportunity stream's sequence, not the board's.
        self.board_sequenced = channel != HEDGE
        #: Hedge only: the opportunities this client has been shown and not yet told
        #: are closed (so a filter that stops matching still ends what it started).
        self.shown: set[str] = set()
        #: Changes this subscription has put on the wire (the multiplexed protocol's
        #: ``sub_sequence``: a gap means missed data).
        self.sub_sequence = 0
        self.active = True
        #: While a catch-up runs: the sequence of the next catch-up change not yet sent.
        self.catching_up_from: int | None = None
        self._batch: list[Message] = []
        self._held: dict[int, Message] = {}
        self._flush: asyncio.TimerHandle | None = None
        session.subscriptions.append(self)

    @property
    def groups_batches(self) -> bool:
        """True if the fan-out must call :meth:`end_batch` after offering a batch."""
        return self.group and not self.conflate_ms

    def render(self, message: Message) -> Message:
        first = self.sub_sequence + 1
        self.sub_sequence += message.count
        return self._wrap(self, message, first)

    def offer(self, message: Message) -> None:
        if not self.active:
            return
        if self.conflate_ms:
            self._hold(message)
        elif self.group:
            self._batch.append(message)
        else:
            self.session.deliver(self, message)

    def end_batch(self) -> None:
        """Send what this batch gathered, as one message."""
        batch, self._batch = self._batch, []
        self._send(batch)

    def _send(self, messages: list[Message]) -> None:
        if not messages or not self.active:
            return
        if self.group and len(messages) > 1:
            self.session.deliver(self, Message.group(messages))
        else:
            for message in messages:
                self.session.deliver(self, message)

    # ------------------------------------------------------------ conflation

    def _hold(self, message: Message) -> None:
        key = message.key if message.key is not None else -message.sequence
        self._held.pop(key, None)  # re-insert so dict order stays sequence order
        self._held[key] = message
        if self._flush is None:
            loop = asyncio.get_running_loop()
            self._flush = loop.call_later(self.conflate_ms / 1000, self.flush)

    def flush(self) -> None:
        """Send what the conflation window held, oldest change first."""
        self._flush = None
        held, self._held = self._held, {}
        self._send(list(held.values()))

    def oldest_unsent(self) -> int | None:
        oldest = self.catching_up_from
        if self._held:
            first = next(iter(self._held.values())).sequence
            oldest = first if oldest is None else min(oldest, first)
        if self._batch:
            first = self._batch[0].sequence
            oldest = first if oldest is None else min(oldest, first)
        return oldest

    def close(self) -> None:
        """Stop: nothing more is offered or flushed."""
        self.active = False
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        self._held.clear()
        self._batch.clear()
        if self in self.session.subscriptions:
            self.session.subscriptions.remove(self)
