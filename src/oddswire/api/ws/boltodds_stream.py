"""A BoltOdds subscription on the fan-out: ``line_update`` from price changes,
``game_*`` from event changes, and the initial state that comes first.

The fan-out offers each price change as one encoded outcome; a subscription gathers a
committed batch's outcomes and sends one ``line_update`` per game and book. Event
changes arrive as what happened to the game (``game_added``...), sent once per book
that quotes it, with that book's outcomes (encoded once per batch for every
subscription, by the service).

The initial state goes out game by game, waiting for a slow reader. Live changes that
arrive meanwhile wait, then follow; those the initial state already showed (the board
is ahead of what the fan-out has published) are dropped, so a client that applies
everything in order holds what the board holds.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from oddswire.api.ws.wires import BOLTODDS
from oddswire.board import Board, EventState
from oddswire.stream.message import Message
from oddswire.stream.session import Session
from oddswire.stream.subscription import MARKETS, SCORES, Subscription
from oddswire.wire.boltodds import messages as wire
from oddswire.wire.boltodds.discovery import open_games
from oddswire.wire.boltodds.messages import line_state_outcomes, quoting_books
from oddswire.wire.boltodds.stream import GAME_REMOVED
from oddswire.wire.boltodds.subscribe import BoltFilter

if TYPE_CHECKING:
    from oddswire.api.ws.boltodds import BoltService

#: Outcomes in one ``line_update`` at most (a bigger batch goes out in several).
MAX_OUTCOMES_PER_UPDATE = 2000
#: Games of the initial state sent between yields to the event loop.
GAMES_PER_YIELD = 20


def line_and_book(key: int) -> tuple[int, int]:
    """A price message's line ref and book, from its conflation key (the fan-out's
    ``price_key``: the line ref, then seven bits of affiliate id)."""
    return key >> 7, key & 0x7F


def candidates(board: Board, wanted: BoltFilter) -> list[EventState]:
    """The board's games the filter's sports and games select (over or not)."""
    if wanted.event_ids is not None:
        found = (board.event(event_id) for event_id in wanted.event_ids)
        return [s for s in found if s is not None and wanted.event(s)]
    if wanted.sport_ids is not None:
        return [s for sport_id in wanted.sport_ids for s in board.events(sport_id)]
    return list(board.events())


class _Part(Subscription):
    """One of a :class:`BoltStream`'s two fan-out subscriptions: it hands what the
    fan-out offers to the stream, which composes BoltOdds' messages."""

    def __init__(
        self, stream: BoltStream, session: Session, channel: str, wanted: BoltFilter
    ) -> None:
        super().__init__(session, channel, BOLTODDS, wanted, group=channel == MARKETS)
        self.stream = stream

    def offer(self, message: Message) -> None:
        if not self.active:
            return
        if self.channel == MARKETS:
            self.stream.outcome(message)
        else:
            self.stream.game(message)

    def end_batch(self) -> None:
        if self.active:
            self.stream.end_batch()

    def oldest_unsent(self) -> int | None:
        return None  # BoltOdds has no resume


class BoltStream:
    """A subscription: prices (``line_update``) and games (``game_*``) from the fan-out,
    and the initial state. See the module doc."""

    def __init__(self, service: BoltService, session: Session, wanted: BoltFilter) -> None:
        self.service = service
        self.session = session
        self.wanted = wanted
        self.prices = _Part(self, session, MARKETS, wanted)
        self.games = _Part(self, session, SCORES, wanted)
        self.closed = False
        self._joined = False
        #: Event ref -> the board sequence its initial state showed: older changes to
        #: it are not sent again.
        self._shown: dict[int, int] = {}
        self._shown_upto = 0
        #: While the initial state goes out: live batches and game changes, in order.
        self._waiting: list[tuple[bool, list[Message]]] | None = []
        self._batch: list[Message] = []

    def wants_book(self, affiliate_id: int) -> bool:
        books = self.wanted.affiliate_ids
        return books is None or affiliate_id in books

    def close(self) -> None:
        self.closed = True
        self._waiting = None
        if self._joined:
            self._joined = False
            fanout = self.service.view.fanout
            fanout.remove(self.prices)
            fanout.remove(self.games)
        else:
            self.prices.close()
            self.games.close()

    # ---------------------------------------------------------- initial state

    async def start(self, candidates: list[EventState]) -> None:
        """Join the fan-out, send the initial state game by game, then what waited."""
        if self.closed:
            return
        fanout = self.service.view.fanout
        fanout.add(self.prices)
        fanout.add(self.games)
        self._joined = True
        board = self.service.view.board
        session = self.session
        down = self.service.books_down()
        for count, state in enumerate(candidates, 1):
            if self.closed or session.closed:
                return
            self._shown[state.ref] = board.sequence
            self._shown_upto = board.sequence
            self._send_state(state, self.wanted.affiliate_ids, down)
            if session.outbound.buffered > session.limits.high_water:
                if not await session.drained():
                    return
            elif count % GAMES_PER_YIELD == 0:
                await asyncio.sleep(0)
        if self.closed:
            return
        waiting, self._waiting = self._waiting or [], None
        for is_batch, items in waiting:
            if is_batch:
                self._send_batch(items)
            else:
                self._send_game(items[0], shared=False)

    def _send_state(
        self,
        state: EventState,
        books: frozenset[int] | None,
        down: frozenset[int] = frozenset(),
    ) -> None:
        """``initial_state`` for a game: one per book (those in ``down`` left out)."""
        if state.event.status.is_terminal:
            return
        service = self.service
        by_book = line_state_outcomes(service.encoding, state, self.wanted.market_ids, books)
        stamp = wire.timestamp()
        for affiliate_id in sorted(by_book.keys() - down):
            payload = wire.game_message(
                "initial_state", service.header(state, affiliate_id), by_book[affiliate_id], stamp
            )
            self.session.send(Message(payload))

    def resend_book(self, affiliate_id: int) -> None:
        """The initial state again, for one book (it came back after a ``book_clear``)."""
        for state in open_games(candidates(self.service.view.board, self.wanted)):
            self._send_state(state, frozenset({affiliate_id}))

    def _new(self, event_ref: int, sequence: int) -> bool:
        """Whether a change is newer than what the initial state showed of its game."""
        if not self._shown:
            return True
        if sequence > self._shown_upto:  # changes come in order: no older one follows
            self._shown.clear()
            return True
        return sequence > self._shown.get(event_ref, 0)

    # ------------------------------------------------------------ from the fan-out

    def outcome(self, message: Message) -> None:
        self._batch.append(message)

    def end_batch(self) -> None:
        batch, self._batch = self._batch, []
        if not batch or self.closed:
            return
        if self._waiting is not None:
            self._waiting.append((True, batch))
        else:
            self._send_batch(batch)

    def game(self, message: Message) -> None:
        if self.closed:
            return
        if self._waiting is not None:
            self._waiting.append((False, [message]))
        else:
            self._send_game(message, shared=True)

    # ---------------------------------------------------------------- sending

    def _send_batch(self, batch: list[Message]) -> None:
        """``line_update``: a batch's outcomes, one message per game and book."""
        board = self.service.view.board
        groups: dict[tuple[int, int], tuple[EventState, dict[int, Message]]] = {}
        for message in batch:
            key = message.key
            if key is None:
                continue
            line_ref, affiliate_id = line_and_book(key)
            line = board.line_by_ref(line_ref)
            if line is None:
                continue
            state = line.event
            if state.event.status.is_terminal or not self._new(state.ref, message.sequence):
                continue
            group = groups.get((state.ref, affiliate_id))
            if group is None:
                group = groups[(state.ref, affiliate_id)] = (state, {})
            group[1][key] = message
        if not groups:
            return
        stamp = wire.timestamp()
        for (_, affiliate_id), (state, items) in groups.items():
            header = self.service.header(state, affiliate_id)
            found = list(items.values())
            for start in range(0, len(found), MAX_OUTCOMES_PER_UPDATE):
                chunk = found[start : start + MAX_OUTCOMES_PER_UPDATE]
                payload = wire.game_message(
                    "line_update", header, (m.payload for m in chunk), stamp
                )
                update = Message(payload, chunk[-1].sequence)
                update.datapoints = len(chunk)  # one per outcome's price
                self.session.deliver(self.prices, update)

    def _send_game(self, message: Message, *, shared: bool) -> None:
        """``game_added`` / ``game_update`` / ``game_removed``: one per book that quotes
        the game (with its outcomes; none when removed), or one with no book."""
        if message.key is None:
            return
        service = self.service
        state = service.view.board.event_by_ref(-message.key)
        if state is None or not self._new(state.ref, message.sequence):
            return
        wanted = self.wanted
        books = wanted.affiliate_ids
        by_book: dict[int, list[bytes]]
        if message.payload == GAME_REMOVED:
            by_book = {b: [] for b in quoting_books(state, wanted.market_ids, books)}
        else:
            found = service.outcomes(state, wanted.market_ids, shared=shared)
            by_book = {b: o for b, o in found.items() if books is None or b in books}
        action = message.payload.decode()
        stamp = wire.timestamp()
        if not by_book:
            payload = wire.game_message(action, service.header(state, None), (), stamp)
            self._deliver_game(payload, message.sequence, state, None)
        for affiliate_id in sorted(by_book):
            header = service.header(state, affiliate_id)
            payload = wire.game_message(action, header, by_book[affiliate_id], stamp)
            self._deliver_game(payload, message.sequence, state, affiliate_id)

    def _deliver_game(
        self, payload: bytes, sequence: int, state: EventState, affiliate_id: int | None
    ) -> None:
        # A game message carries the game and book's whole state: while the client lags,
        # a newer one replaces an older one (the key), and never another book's.
        key = (state.ref << 16) | (0 if affiliate_id is None else affiliate_id + 1)
        self.session.deliver(self.games, Message(payload, sequence, key))
