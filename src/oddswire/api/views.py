"""What one request reads: the live board, or the delayed replica its key's tier calls
for (reference §5.1: Free sees the board as it was 5 min ago, Starter 60 s, Pro 30 s).

A :class:`View` bundles what a handler or stream reads: the board, the cache of its
encoded events, and the fan-out that streams its changes. The live view reads the
hub's board; a delayed view reads a :class:`~oddswire.hub.delayed.DelayedBoard` and
has its own cache and fan-out, fed as the replica applies each batch, so a delayed
stream is the live stream ``delay`` seconds late, message for message. Reads of the
tick store (history, openers, closing) take the view's :attr:`View.upto` as a sequence
cap, so they stop where the replica stands.

:class:`DelayedViewMiddleware` picks the view once per request, after the key is
known, and leaves it in the scope; handlers ask :meth:`Views.of`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from oddswire.access.identity import STATE_KEY, Identity
from oddswire.api.encoded import EncodedEvents
from oddswire.api.errors import NotFound, refuse
from oddswire.board import Board, EventState, LineState
from oddswire.hub import Hub
from oddswire.hub.delayed import DelayedBoard, DelayUnavailable
from oddswire.stream.fanout import Fanout

#: Where the middleware leaves the request's view (``scope["state"]``).
VIEW_KEY = "oddswire.view"

FanoutFactory = Callable[[Callable[[], int]], Fanout]
"""Makes a fan-out given the sequence it has published up to (the view's)."""


@dataclass(slots=True)
class View:
    board: Board
    encoded: EncodedEvents
    fanout: Fanout
    #: The replica read (None: the live board).
    delayed: DelayedBoard | None = None

    @property
    def delay(self) -> float:
        """Seconds behind the live board (0: real time)."""
        return 0.0 if self.delayed is None else self.delayed.delay

    @property
    def upto(self) -> int | None:
        """The last sequence this view shows, as a cap for tick-store reads (None:
        live, no cap)."""
        return None if self.delayed is None else self.delayed.sequence

    def own(self, state: LineState | EventState) -> LineState | EventState | None:
        """This view's object for a line or event the change log names (the log holds
        the live board's): a delayed view's own, as of the moment it shows (None if it
        is not on the replica); the live view's, unchanged."""
        if self.delayed is None:
            return state
        if isinstance(state, LineState):
            return self.board.line_by_ref(state.ref)
        return self.board.event_by_ref(state.ref)

    def event_or_404(self, event_id: str) -> EventState:
        state = self.board.event(event_id)
        if state is None:
            raise NotFound()
        return state


class Views:
    """The live view and a delayed view per delay in use."""

    def __init__(self, hub: Hub, live: View, make_fanout: FanoutFactory) -> None:
        self.hub = hub
        self.live = live
        self._make_fanout = make_fanout
        self._delayed: dict[float, View] = {}

    async def for_delay(self, delay: float) -> View:
        """The view ``delay`` seconds behind, brought up to now (made on first use).

        Raises :class:`DelayUnavailable` while the hub cannot know the board as of then.
        """
        if delay <= 0:
            return self.live
        delayed = await self.hub.delayed.get(delay)
        view = self._delayed.get(delay)
        if view is None:
            fanout = self._make_fanout(lambda: delayed.sequence)
            delayed.on_applied(fanout.publish)
            view = View(delayed.board, EncodedEvents(self.live.encoded.writer), fanout, delayed)
            self._delayed[delay] = view
        return view

    def of(self, scope: Mapping[str, Any]) -> View:
        """The request's view: the one the middleware chose, or the live one."""
        found = scope.get("state", {}).get(VIEW_KEY)
        return found if isinstance(found, View) else self.live

    async def stop(self) -> None:
        """Stop every view's fan-out (its heartbeat and maintenance task)."""
        for view in (self.live, *self._delayed.values()):
            await view.fanout.stop()


class DelayedViewMiddleware:
    """Puts a delayed key's view in the scope before the handler runs (making the
    replica if it is the first such request); 503 with ``Retry-After`` while the hub
    cannot show that moment yet (after a restart that lost its recent history)."""

    def __init__(self, app: ASGIApp, views: Views) -> None:
        self.app = app
        self.views = views

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state: dict[str, Any] | None = scope.get("state")
        identity: Identity | None = state.get(STATE_KEY) if state else None
        if state is not None and identity is not None and identity.tier.delay_seconds > 0:
            try:
                state[VIEW_KEY] = await self.views.for_delay(identity.tier.delay_seconds)
            except DelayUnavailable as exc:
                wait = {"Retry-After": str(math.ceil(exc.retry_after))}
                await refuse(scope, receive, send, 503, exc.message, wait)
                return
        await self.app(scope, receive, send)


__all__ = ["VIEW_KEY", "DelayedViewMiddleware", "View", "Views"]
