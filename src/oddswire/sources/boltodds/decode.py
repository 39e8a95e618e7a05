"""BoltOdds' stream messages (seed 002) -> what they say, in vendor-neutral terms.

Records the source hands over (all of them recorded, so a replay decodes the same):

- ``kind="ws"``: one WebSocket frame, a JSON object ``{"action", "timestamp",
  "data"}`` or a JSON array of them.
- ``kind="http"``: a discovery response, ``meta["path"]`` naming it
  (``/get_info``, ``/get_games``, ``/get_markets``). ``get_games`` teaches the
  decoder each game's ``when`` (its start), for messages that lack ``info.when``.
- ``kind="sync"``: written by the source when a connection's initial state has
  settled (see below).

Actions, per game and book (``data.sport``, ``data.sportsbook``, ``data.game``):

- ``initial_state``, ``game_added``, ``game_update``: everything the book quotes on
  the game now. Lines this decoder saw quoted before but absent now go off the board.
  A ``game_update`` with no outcomes at all is read as a header change only (third-
  party notes describe metadata-only ``game_update`` s): it takes nothing down.
- ``line_update``: changed outcomes only; odds null or ``""`` = suspended, off the
  board.
- ``game_removed``: the game left the feed ("finished, suspended, etc"). Whether it is
  over cannot be told, so its prices at that book are CLOSED (not merely off the
  board); a later ``game_added`` opens them again. With ``sportsbook`` null (our own
  hub, for a game no book quotes) it closes every book's prices on the game.
- ``book_clear``: every price of ``data.sportsbook`` goes OFF_BOARD (BoltOdds lost its
  feed of the book; a fresh ``initial_state`` or ``game_update`` brings them back).
- ``sport_clear``: the same for every game of ``data.sport`` (and of
  ``data.sportsbook`` too, when it names one).
- ``socket_connected``: a new connection. BoltOdds has no resume: its coming initial
  state is the whole truth. Every line quoted over earlier connections is marked
  stale; an ``initial_state`` (or ``game_*``) for a game and book replaces its lines,
  a ``line_update`` refreshes the lines it names, and the ``sync`` record the source
  writes once the initial state has settled takes what is still stale off the board.
- ``ping`` (liveness), ``pong``, ``subscription_updated``, ``unsubscribed``, ``lag``,
  ``caught_up``: nothing to decode. ``error``: quarantined as a problem so it is seen.
- anything else: :class:`DecodeError` (logged and skipped by the source).

Game key: ``"<sport id>|<game string>"``: BoltOdds' game string is its game identity
within a sport. Unknown sports, books, markets and unreadable outcomes become
:class:`Problem` s (quarantined); the rest of the message still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import msgspec
from msgspec.structs import replace

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.refdata import Catalog
from oddswire.sources.boltodds.markets import MarketTable
from oddswire.sources.boltodds.outcomes import (
    OutcomeError,
    parse_odds,
    participant_and_line,
)
from oddswire.sources.boltodds.tables import Tables
from oddswire.sources.boltodds.times import parse_game, parse_timestamp, parse_when
from oddswire.sources.upstream.model import (
    Decoded,
    DecodeError,
    Problem,
    Record,
    UpstreamGame,
    UpstreamQuote,
    Withdrawal,
)

FULL_STATE = frozenset({"initial_state", "game_added", "game_update"})
GAME_ACTIONS = FULL_STATE | {"line_update", "game_removed"}
NOTHING_TO_DECODE = frozenset(
    {
        "socket_connected",
        "ping",
        "pong",
        "subscription_updated",
        "unsubscribed",
        "lag",
        "caught_up",
    }
)
ACTIONS = GAME_ACTIONS | NOTHING_TO_DECODE | {"book_clear", "sport_clear", "error"}
#: Messages in one frame at most (a JSON array), and outcomes in one message.
MAX_BATCH = 10_000
MAX_OUTCOMES = 50_000
MAX_TEXT = 400

#: A line's identity within a game and book: market, period, participant, line.
LineId = tuple[int, int, ParticipantType, str, int | None, str]
Pair = tuple[str, int]

_decode_json = msgspec.json.Decoder().decode


def _line_id(quote: UpstreamQuote) -> LineId:
    p = quote.participant
    return (quote.market_id, quote.period_id, p.kind, p.name, p.result_id, quote.line)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text[:MAX_TEXT]


def _name(value: object) -> str | None:
    """A name field: a non-empty string, else None (BoltOdds writes ``{}`` for none)."""
    if isinstance(value, str) and value.strip():
        return value.strip()[:MAX_TEXT]
    return None


class _Message:
    """What one message says, gathered while decoding it."""

    def __init__(self, out: Decoded) -> None:
        self.out = out
        self._problems: dict[tuple[str, str], Problem] = {}

    def problem(self, kind: str, text: str, reason: str) -> None:
        key = (kind, text[:MAX_TEXT])
        if key not in self._problems:
            self._problems[key] = Problem(kind=kind, text=key[1], reason=reason)

    def finish(self) -> None:
        self.out.problems.extend(self._problems.values())


class BoltOddsDecoder:
    """Records -> :class:`Decoded` (module doc). Pure: its state is what earlier
    records said (lines per game and book, game headers, ``get_games``' times)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.tables = Tables(catalog)
        self.markets = MarketTable(catalog)
        #: Actions of the last record decoded (the source reads them: the ack, the
        #: initial state's progress).
        self.actions: list[str] = []
        #: The filters in force by the upstream's last ``subscription_updated`` (our
        #: own hub sends it), and its last ``error`` messages.
        self.subscription: dict[str, Any] | None = None
        self.errors: list[str] = []
        self._lines: dict[Pair, dict[LineId, UpstreamQuote]] = {}
        self._stale: dict[Pair, set[LineId]] = {}
        self._headers: dict[str, UpstreamGame] = {}
        self._game_sport: dict[str, int] = {}
        self._when: dict[str, str] = {}

    # ------------------------------------------------------------------ records

    def decode(self, record: Record) -> Decoded:
        self.actions = []
        if record.kind == "sync":
            return self._settled(record.received_at)
        if record.kind == "http":
            return self._discovery(record)
        if record.kind != "ws":
            raise DecodeError(f"unexpected record kind {record.kind!r}")
        try:
            message = _decode_json(record.body)
        except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise DecodeError(f"malformed JSON: {_short(str(exc))}") from None
        out = Decoded()
        if isinstance(message, list):
            if not message:
                raise DecodeError("an empty JSON array")
            if len(message) > MAX_BATCH:
                raise DecodeError(f"more than {MAX_BATCH} messages in one frame")
            good = 0
            for item in message:
                try:
                    self._message(item, out, record.received_at)
                    good += 1
                except DecodeError as exc:
                    out.problems.append(
                        Problem(kind="message", text=str(exc)[:MAX_TEXT], reason="skipped")
                    )
            if not good:
                raise DecodeError("no readable message in a JSON array")
            return out
        self._message(message, out, record.received_at)
        return out

    def _message(self, message: object, out: Decoded, received_at: float) -> None:
        if not isinstance(message, dict):
            raise DecodeError(f"expected a JSON object, got {type(message).__name__}")
        action = message.get("action")
        if not isinstance(action, str):
            raise DecodeError("a message without an action")
        if action not in ACTIONS:
            raise DecodeError(f"unknown action {_short(action)!r}")
        self.actions.append(action)
        if action == "socket_connected":
            self._connected()
            return
        if action == "subscription_updated":
            filters = message.get("filters")
            self.subscription = filters if isinstance(filters, dict) else {}
            return
        if action == "error":
            text = _short(message.get("message", message))
            self.errors = [*self.errors[-9:], text]
            out.problems.append(
                Problem(kind="upstream_error", text=text, reason="sent by BoltOdds")
            )
            return
        if action in NOTHING_TO_DECODE:
            return
        data = message.get("data")
        if not isinstance(data, dict):
            raise DecodeError(f"{action}: data is not an object")
        stamp = parse_timestamp(message.get("timestamp")) or received_at
        gathered = _Message(out)
        try:
            if action == "book_clear":
                self._book_clear(data, gathered)
            elif action == "sport_clear":
                self._sport_clear(data, gathered)
            else:
                self._game_message(action, data, gathered, stamp)
        finally:
            gathered.finish()

    # ------------------------------------------------------------ discovery

    def _discovery(self, record: Record) -> Decoded:
        path = record.meta.get("path", "")
        if path.endswith("/get_games"):
            try:
                games = _decode_json(record.body)
            except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as exc:
                raise DecodeError(f"get_games: malformed JSON: {_short(str(exc))}") from None
            if not isinstance(games, dict):
                raise DecodeError("get_games: expected an object keyed by game")
            self._when = {
                str(name)[:MAX_TEXT]: game["when"]
                for name, game in games.items()
                if isinstance(game, dict) and isinstance(game.get("when"), str)
            }
            return Decoded()
        if path.endswith(("/get_info", "/get_markets")):
            return Decoded()
        raise DecodeError(f"unexpected http record for {path[:80]!r}")

    # ------------------------------------------------------------------ games

    def _sport(self, data: Mapping[str, Any], gathered: _Message) -> tuple[str, int] | None:
        name = _name(data.get("sport"))
        if name is None:
            raise DecodeError("no sport")
        sport_id = self.tables.sport_id(name)
        if sport_id is None:
            gathered.problem("sport", name, "no canonical sport for this BoltOdds sport")
            return None
        return name, sport_id

    def _book(self, value: object, gathered: _Message) -> int | None:
        """The book's affiliate id; None if none is named; -1 if unknown."""
        name = _name(value)
        if name is None:
            return None
        affiliate_id = self.tables.affiliate_id(name)
        if affiliate_id is None:
            gathered.problem("book", name, "no catalog affiliate for this BoltOdds sportsbook")
            return -1
        return affiliate_id

    def _game(
        self, sport_id: int, data: Mapping[str, Any], gathered: _Message
    ) -> UpstreamGame | None:
        game = _name(data.get("game"))
        if game is None:
            raise DecodeError("no game")
        parsed = parse_game(game)
        home = _name(data.get("home_team")) or (parsed.home if parsed else None)
        away = _name(data.get("away_team")) or (parsed.away if parsed else None)
        if home is None or away is None:
            gathered.problem("game", game, "no home and away teams")
            return None
        info = data.get("info")
        when = info.get("when") if isinstance(info, dict) else None
        start: datetime | None = parse_when(when) or parse_when(self._when.get(game))
        if start is None and parsed is not None:
            start = parsed.start
        if start is None:
            gathered.problem("game", game, "no start time (no info.when, unreadable game string)")
            return None
        return UpstreamGame(
            key=f"{sport_id}|{game}", sport_id=sport_id, home=home, away=away, start=start
        )

    def _game_message(
        self, action: str, data: Mapping[str, Any], gathered: _Message, stamp: float
    ) -> None:
        sport = self._sport(data, gathered)
        if sport is None:
            return
        sport_id = sport[1]
        affiliate_id = self._book(data.get("sportsbook"), gathered)
        if affiliate_id == -1:
            return
        game = self._game(sport_id, data, gathered)
        if game is None:
            return
        out = gathered.out
        key = game.key
        if action in FULL_STATE or self._headers.get(key) != game:
            self._headers[key] = game
            self._game_sport[key] = sport_id
            out.games.append(game)
        if affiliate_id is None:  # a game-level message (no book quotes the game)
            if action == "game_removed":
                self._removed(key, None, out)
            return
        out.books_seen.append(affiliate_id)
        pair = (key, affiliate_id)
        if action == "game_removed":
            self._removed(key, affiliate_id, out)
            return
        outcomes = data.get("outcomes")
        if outcomes is None or outcomes == []:
            outcomes = {}
        if not isinstance(outcomes, dict):
            raise DecodeError(f"{action}: outcomes is not an object")
        if len(outcomes) > MAX_OUTCOMES:
            raise DecodeError(f"{action}: more than {MAX_OUTCOMES} outcomes")
        known = self._lines.get(pair, {})
        quotes = list(self._outcomes(game, affiliate_id, outcomes, known, gathered, stamp))
        fresh = {_line_id(q): q for q in quotes}
        if action == "game_update" and not outcomes:
            return  # a header change only (module doc)
        if action in FULL_STATE:
            for line, last in known.items():
                if line not in fresh and last.status == PriceStatus.OPEN:
                    out.quotes.append(_pulled(last, stamp))
            self._lines[pair] = fresh
            self._stale.pop(pair, None)
        else:
            lines = self._lines.setdefault(pair, {})
            lines.update(fresh)
            stale = self._stale.get(pair)
            if stale is not None:
                stale.difference_update(fresh)
        out.quotes.extend(quotes)

    def _outcomes(
        self,
        game: UpstreamGame,
        affiliate_id: int,
        outcomes: Mapping[str, Any],
        known: Mapping[LineId, UpstreamQuote],
        gathered: _Message,
        stamp: float,
    ) -> Iterable[UpstreamQuote]:
        for key, outcome in outcomes.items():
            if not isinstance(outcome, dict):
                gathered.problem("outcome", _short(key), "outcome is not an object")
                continue
            market_name = _name(outcome.get("outcome_name"))
            if market_name is None:
                gathered.problem("outcome", _short(key), "no outcome_name")
                continue
            market = self.markets.lookup(market_name, game.sport_id)
            if isinstance(market, str):
                gathered.problem("market", market_name, market)
                continue
            try:
                price = parse_odds(outcome.get("odds"))
                participant, line = participant_and_line(
                    market,
                    outcome.get("outcome_target"),
                    outcome.get("outcome_over_under"),
                    outcome.get("outcome_line"),
                    key,
                )
            except OutcomeError as exc:
                shown = f"{_short(key)}: {_short(outcome.get('odds'))}"
                gathered.problem(exc.kind, shown if exc.kind == "odds" else _short(key), exc.reason)
                continue
            quote = UpstreamQuote(
                game_key=game.key,
                affiliate_id=affiliate_id,
                market_id=market.market_id,
                period_id=market.period_id,
                participant=participant,
                line=line,
                price=0.0 if price is None else price,
                status=PriceStatus.OFF_BOARD if price is None else PriceStatus.OPEN,
                source_ts=stamp,
            )
            if price is None and _line_id(quote) not in known:
                continue  # never quoted here: nothing to take off the board
            yield quote

    # ----------------------------------------------------------- withdrawals

    def _removed(self, key: str, affiliate_id: int | None, out: Decoded) -> None:
        out.withdrawals.append(
            Withdrawal(status=PriceStatus.CLOSED, game_key=key, affiliate_id=affiliate_id)
        )
        self._forget(lambda pair: pair[0] == key and affiliate_id in (None, pair[1]))
        if not any(pair[0] == key for pair in self._lines):
            self._headers.pop(key, None)
            self._game_sport.pop(key, None)

    def _book_clear(self, data: Mapping[str, Any], gathered: _Message) -> None:
        affiliate_id = self._book(data.get("sportsbook"), gathered)
        if affiliate_id is None:
            raise DecodeError("book_clear: no sportsbook")
        if affiliate_id == -1:
            return
        gathered.out.withdrawals.append(Withdrawal(affiliate_id=affiliate_id))
        gathered.out.books_seen.append(affiliate_id)
        self._forget(lambda pair: pair[1] == affiliate_id)

    def _sport_clear(self, data: Mapping[str, Any], gathered: _Message) -> None:
        sport = self._sport(data, gathered)
        affiliate_id = self._book(data.get("sportsbook"), gathered)
        if sport is None or affiliate_id == -1:
            return
        sport_id = sport[1]
        gathered.out.withdrawals.append(Withdrawal(sport_id=sport_id, affiliate_id=affiliate_id))
        self._forget(
            lambda pair: (
                self._game_sport.get(pair[0]) == sport_id and affiliate_id in (None, pair[1])
            )
        )

    def _forget(self, doomed: Any) -> None:
        for pair in [p for p in self._lines if doomed(p)]:
            del self._lines[pair]
            self._stale.pop(pair, None)

    # ------------------------------------------------------------ connections

    def _connected(self) -> None:
        """A new connection: everything quoted so far is stale until re-sent."""
        self._stale = {
            pair: {line for line, q in lines.items() if q.status == PriceStatus.OPEN}
            for pair, lines in self._lines.items()
        }

    def _settled(self, now: float) -> Decoded:
        """The initial state is in: what it did not re-send goes off the board."""
        out = Decoded()
        for pair, stale in self._stale.items():
            lines = self._lines.get(pair, {})
            for line in stale:
                last = lines.get(line)
                if last is not None and last.status == PriceStatus.OPEN:
                    lines[line] = pulled = _pulled(last, now)
                    out.quotes.append(pulled)
        self._stale = {}
        return out


def _pulled(last: UpstreamQuote, stamp: float) -> UpstreamQuote:
    return replace(last, status=PriceStatus.OFF_BOARD, price=0.0, source_ts=stamp)
