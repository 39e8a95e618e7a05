"""``/api``: BoltOdds' odds stream (seed 002), served from the board.

The client connects with ``?key=`` (or the ``X-TheRundown-Key`` header; a bad key is
refused with HTTP 401 before the upgrade) and gets ``socket_connected``. It sends
``subscribe`` with optional ``sports`` / ``sportsbooks`` / ``games`` / ``markets``
filters; unknown names are reported in an ``error`` (not silently dropped) and the
rest applied, then ``subscription_updated`` confirms the filters in force. Then come
one ``initial_state`` per game and book with everything quoted, and live:
``line_update`` (a game and book's changed outcomes of one committed batch),
``game_added`` / ``game_update`` / ``game_removed``, ``book_clear`` when a book's feed
goes down, and ``ping`` every 15 seconds. Subscribing again replaces the filters and
sends a fresh initial state. See docs/boltodds.md.

The connections of an app share a :class:`BoltService`; each subscription is a
:class:`~oddswire.api.ws.boltodds_stream.BoltStream`.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import replace

from starlette.websockets import WebSocket

from oddswire.access.tiers import Tier
from oddswire.api.context import ApiContext, tier_of
from oddswire.api.views import View
from oddswire.api.ws.boltodds_stream import BoltStream, candidates
from oddswire.api.ws.common import admit, entitled_markets, receive_loop, slotted_session
from oddswire.api.ws.wires import BOLTODDS
from oddswire.board import EventState
from oddswire.stream.message import Message
from oddswire.stream.session import Session
from oddswire.wire.boltodds import messages as wire
from oddswire.wire.boltodds.discovery import game_index, open_games
from oddswire.wire.boltodds.messages import Encoding, line_state_outcomes
from oddswire.wire.boltodds.stream import BoltOutcomes
from oddswire.wire.boltodds.subscribe import (
    BoltFilter,
    ClientError,
    Request,
    Resolved,
    parse,
    resolve,
    unknown_message,
)

#: Seconds between looks at the health of the sources (for ``book_clear``).
BOOK_HEALTH_EVERY = 1.0
_CACHE_LIMIT = 20_000


async def boltodds_stream(websocket: WebSocket) -> None:
    ctx: ApiContext = websocket.app.state.ctx
    if not await admit(websocket):
        return
    service = BoltService.of(ctx, ctx.view(websocket.scope))
    async with slotted_session(
        websocket, ctx, heartbeat=wire.heartbeat, lag_notice=wire.lag_notice
    ) as session:
        if session is None:
            return
        session.send(Message(wire.SOCKET_CONNECTED))
        connection = Connection(service, session, tier_of(websocket.scope))
        service.add(connection)
        try:
            await receive_loop(websocket, session, connection.handle)
        finally:
            service.discard(connection)
            connection.unsubscribe()


class BoltService:
    """What the BoltOdds connections of one app share: the encoding (names, outcome
    fields), headers and game outcomes encoded once for all, and the watch on the
    health of the books' sources that sends ``book_clear``."""

    def __init__(self, ctx: ApiContext, view: View) -> None:
        self.ctx = ctx
        #: The board streamed: the live one, or a delayed replica (one service each).
        self.view = view
        encoder = view.fanout.encoders[BOLTODDS]
        assert isinstance(encoder, BoltOutcomes)
        self.encoding: Encoding = encoder.encoding
        self.connections: set[Connection] = set()
        self._headers: dict[tuple[int, int, int], bytes] = {}
        self._outcomes: dict[tuple[int, int, frozenset[int] | None], dict[int, list[bytes]]] = {}
        self._outcomes_batch = -1
        self._health: dict[int, str] = {}
        self._watch: asyncio.Task[None] | None = None

    @classmethod
    def of(cls, ctx: ApiContext, view: View) -> BoltService:
        """The app's service for a view: made on first use, kept while a connection
        holds it."""
        key = (id(ctx), view.delay)
        found = _SERVICES.get(key)
        if found is None or found.ctx is not ctx or found.view is not view:
            found = _SERVICES[key] = cls(ctx, view)
        return found

    # ------------------------------------------------------------ connections

    def add(self, connection: Connection) -> None:
        self.connections.add(connection)
        if self._watch is None:
            self._health = self.ctx.affiliate_statuses()
            self._watch = asyncio.get_running_loop().create_task(self._watch_books())

    def discard(self, connection: Connection) -> None:
        self.connections.discard(connection)
        if not self.connections and self._watch is not None:
            self._watch.cancel()
            self._watch = None

    # ------------------------------------------------------------ shared bytes

    def header(self, state: EventState, affiliate_id: int | None) -> bytes:
        """A game's header for a book (None: no book), as of its latest change."""
        key = (state.ref, state.sequence, -1 if affiliate_id is None else affiliate_id)
        found = self._headers.get(key)
        if found is None:
            if len(self._headers) >= _CACHE_LIMIT:
                self._headers.clear()
            found = self._headers[key] = self.encoding.header(state.event, affiliate_id)
        return found

    def outcomes(
        self, state: EventState, market_ids: frozenset[int] | None, *, shared: bool
    ) -> dict[int, list[bytes]]:
        """A game's current outcomes by book. ``shared``: while the fan-out publishes a
        batch, every subscription asking gets the same, encoded once."""
        if not shared:
            return line_state_outcomes(self.encoding, state, market_ids, None)
        batch = self.view.fanout.batches
        if batch != self._outcomes_batch:
            self._outcomes.clear()
            self._outcomes_batch = batch
        key = (state.ref, state.sequence, market_ids)
        found = self._outcomes.get(key)
        if found is None:
            found = self._outcomes[key] = line_state_outcomes(
                self.encoding, state, market_ids, None
            )
        return found

    # ------------------------------------------------------------ book health

    async def _watch_books(self) -> None:
        while True:
            await asyncio.sleep(BOOK_HEALTH_EVERY)
            self.check_books()

    def books_down(self) -> frozenset[int]:
        """Books whose source is unhealthy now: their odds are not live."""
        statuses = self.ctx.affiliate_statuses()
        return frozenset(a for a, status in statuses.items() if status == "unhealthy")

    def check_books(self) -> None:
        """Clear the books whose sources went unhealthy; resend those that recovered."""
        now = self.ctx.affiliate_statuses()
        for affiliate_id, status in now.items():
            before = self._health.get(affiliate_id)
            if before == "healthy" and status == "unhealthy":
                self.book_clear(affiliate_id)
            elif before == "unhealthy" and status == "healthy":
                self.book_restored(affiliate_id)
        self._health = now

    def book_clear(self, affiliate_id: int) -> None:
        """Tell every client that wants the book to drop all its games (its feed is
        down: what the board holds for it is no longer live)."""
        message = Message(wire.book_clear(self.encoding.names.book(affiliate_id)))
        for connection in list(self.connections):
            connection.book_clear(affiliate_id, message)

    def book_restored(self, affiliate_id: int) -> None:
        """A cleared book is back: send its games' state again (``initial_state``)."""
        for connection in list(self.connections):
            connection.book_restored(affiliate_id)


_SERVICES: weakref.WeakValueDictionary[tuple[int, float], BoltService] = (
    weakref.WeakValueDictionary()
)


class Connection:
    """One client: what it sends, and its subscription (at most one)."""

    def __init__(self, service: BoltService, session: Session, tier: Tier | None = None) -> None:
        self.service = service
        self.session = session
        #: The key's tier: its unentitled markets are left out of the stream.
        self.tier = tier
        self.stream: BoltStream | None = None

    def send(self, payload: bytes) -> None:
        self.session.send(Message(payload))

    async def handle(self, text: str) -> None:
        try:
            request = parse(text)
        except ClientError as exc:
            self.send(wire.error(str(exc)))
            return
        if request.action == "subscribe":
            await self.subscribe(request)
        elif request.action == "unsubscribe":
            self.unsubscribe()
            self.send(wire.unsubscribed())
        elif request.action == "ping":
            self.send(wire.PONG)
        # "pong" (some clients answer our pings): nothing to do

    async def subscribe(self, request: Request) -> None:
        service = self.service
        names = service.encoding.names
        board = service.view.board
        games = game_index(names, board.events()) if "games" in request.filters else {}
        resolved = resolve(names, games, request.filters)
        for key in request.ignored:
            self.send(
                wire.error(
                    f"unknown filter {key!r}; filters are sports, sportsbooks, games, markets",
                    filter=key,
                )
            )
        for name, values in resolved.unknown.items():
            applied = resolved.applied[name] is not None
            self.send(
                wire.error(unknown_message(name, values, applied), filter=name, unknown=values)
            )
        self.unsubscribe()
        wanted = self._entitled(resolved)
        games_now = open_games(candidates(service.view.board, wanted))
        self.send(wire.subscription_updated(resolved.applied, len(games_now)))
        stream = self.stream = BoltStream(service, self.session, wanted)
        await stream.start(games_now)

    def _entitled(self, resolved: Resolved) -> BoltFilter:
        """The filter without the markets the key's tier lacks (player props, live
        periods, futures): named ones are reported in an ``error`` with the 403 message
        and left out, as unknown names are; unnamed ones (the live variants added to a
        name, or every market without a ``markets`` filter) left out silently."""
        wanted = resolved.wanted
        if self.tier is None:
            return wanted
        names = self.service.encoding.names
        named = resolved.applied["markets"]
        asked = None if named is None else frozenset().union(*(names.market_ids[m] for m in named))
        market_ids, refused = entitled_markets(self.service.ctx.catalog, self.tier, asked)
        if refused is not None:
            self.send(wire.error(refused, filter="markets"))
        return replace(wanted, market_ids=market_ids)

    def unsubscribe(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def book_clear(self, affiliate_id: int, message: Message) -> None:
        if self.stream is not None and self.stream.wants_book(affiliate_id):
            self.session.send(message)

    def book_restored(self, affiliate_id: int) -> None:
        if self.stream is not None and self.stream.wants_book(affiliate_id):
            self.stream.resend_book(affiliate_id)
