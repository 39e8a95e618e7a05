"""Decoding The Odds API v4 ``GET /v4/sports/{sport}/odds`` responses (American odds).

A response is a JSON list of events ``{id, sport_key, commence_time, home_team,
away_team, bookmakers: [{key, last_update, markets: [{key, last_update, outcomes:
[{name, price, point?, description?}]}]}]}``: a complete snapshot of what the
requested books quote for the requested markets of one sport. The vendor sends no
deltas and no suspension flags: a price is pulled by leaving it out. So the decoder
keeps the previous snapshot of each sport (``record.meta["sport"]``, the request's
sport) and diffs against it:

- a line a book listed before and not now -> a quote at OFF_BOARD;
- a book gone from an event -> ``Withdrawal(game_key, affiliate_id)`` before the
  start; after it, OFF_BOARD quotes for its live lines one by one (a Withdrawal would
  also touch the closed pregame lines);
- the first poll after a game's start -> ``Withdrawal(game_key, status=CLOSED)``:
  every pregame line closes, pulled ones included, and quotes move to the live
  markets (see :mod:`.markets`);
- an event gone from the list -> ``Withdrawal(game_key)``: OFF_BOARD if it has not
  started (pulled, postponed), CLOSED if it has (the vendor drops finished games).

An empty list after a non-empty one is a real answer and withdraws everything; a
record that does not decode (an error body, not JSON, not a list) raises
:class:`DecodeError` and leaves the state alone, and so does every failed request,
which never reaches the decoder. A malformed part (an event without teams, a market
whose outcomes are not a list, an outcome without a price) is reported as a
:class:`Problem` and what that part said last time is carried over, so a glitch never
pulls prices. Unknown sports, bookmakers and markets are Problems (quarantined).

"Now" (whether a game has started) is ``meta["at"]``, the Unix time the source sent
the request, so a replay decides exactly as the live run did; without it, the
record's ``received_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import msgspec
from msgspec.structs import replace

from oddswire.model.change import PriceStatus
from oddswire.refdata import Catalog
from oddswire.sources.oddsapi.markets import MarketTable
from oddswire.sources.oddsapi.outcomes import (
    TS_RANGE,
    Malformed,
    brief,
    is_name,
    number,
    read_outcome,
    read_time,
)
from oddswire.sources.oddsapi.tables import book_table, sport_table
from oddswire.sources.resolve.normalize import normalize
from oddswire.sources.upstream.model import (
    Decoded,
    DecodeError,
    Problem,
    Record,
    UpstreamGame,
    UpstreamQuote,
    Withdrawal,
)

#: (market id, period id, participant type, normalised name, result id, line value).
LineKey = tuple[int, int, int, str, int, str]
#: A vendor market key's lines at one book.
Lines = dict[LineKey, UpstreamQuote]


@dataclass(slots=True)
class EventState:
    """What one poll said about one event: its start and each book's lines, by the
    vendor market key they came under (so a malformed market can be carried over)."""

    sport_id: int
    start: datetime
    #: The game had started when this poll was sent (its quotes are on live markets).
    in_play: bool = False
    books: dict[int, dict[str, Lines]] = field(default_factory=dict)


@dataclass(slots=True)
class _Poll:
    """One record being decoded: what it says so far."""

    sport: str
    now: float | None
    out: Decoded = field(default_factory=Decoded)
    events: dict[str, EventState] = field(default_factory=dict)
    _problems: set[tuple[str, str]] = field(default_factory=set)

    def problem(self, kind: str, text: str, reason: str) -> None:
        text = text[:120]
        if (kind, text) not in self._problems:
            self._problems.add((kind, text))
            self.out.problems.append(Problem(kind=kind, text=text, reason=reason))

    def started(self, start: datetime) -> bool:
        return self.now is not None and start.timestamp() <= self.now


class OddsApiDecoder:
    """The Odds API v4 odds responses -> games, quotes, withdrawals (see the module)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sports = sport_table(catalog)
        self.books = book_table(catalog)
        self.markets = MarketTable(catalog)
        #: The last snapshot per requested sport key.
        self._state: dict[str, dict[str, EventState]] = {}

    def decode(self, record: Record) -> Decoded:
        sport = record.meta.get("sport", "")
        if not sport:
            raise DecodeError("the record names no sport (meta 'sport')")
        try:
            data = msgspec.json.decode(record.body)
        except (msgspec.DecodeError, RecursionError) as exc:
            raise DecodeError(f"not JSON: {exc}") from None
        if isinstance(data, dict) and ("error_code" in data or "message" in data):
            code = data.get("error_code") or data.get("message")
            raise DecodeError(f"an error response, not odds: {str(code)[:120]}")
        if not isinstance(data, list):
            raise DecodeError(f"expected a list of events, got {type(data).__name__}")
        poll = _Poll(sport=sport, now=_now(record))
        previous = self._state.get(sport, {})
        for item in data:
            self._event(poll, item, previous)
        for game_key, gone in previous.items():
            if game_key not in poll.events:
                status = PriceStatus.CLOSED if poll.started(gone.start) else PriceStatus.OFF_BOARD
                poll.out.withdrawals.append(Withdrawal(game_key=game_key, status=status))
        self._state[sport] = poll.events
        return poll.out

    def snapshot(self, sport: str) -> dict[str, EventState]:
        """The last snapshot of a sport (for tests and health)."""
        return self._state.get(sport, {})

    # ------------------------------------------------------------------ events

    def _event(self, poll: _Poll, item: object, previous: dict[str, EventState]) -> None:
        if not isinstance(item, dict):
            poll.problem("event", type(item).__name__, "malformed: an event is not an object")
            return
        game_key = item.get("id")
        if not isinstance(game_key, str) or not game_key:
            poll.problem("event", brief(item), "malformed: an event has no id")
            return
        before = previous.get(game_key)
        sport_key = item.get("sport_key", poll.sport)
        home, away = item.get("home_team"), item.get("away_team")
        start = read_time(item.get("commence_time"))
        if not (isinstance(sport_key, str) and is_name(home) and is_name(away) and start):
            poll.problem("event", game_key, "malformed: sport, teams or start missing or bad")
            if before is not None:
                poll.events[game_key] = before
            return
        sport_id = self.sports.get(sport_key)
        if sport_id is None:
            poll.problem("sport", sport_key, "no canonical sport for this The Odds API sport key")
            return
        poll.out.games.append(
            UpstreamGame(
                key=game_key, sport_id=sport_id, home=home.strip(), away=away.strip(), start=start
            )
        )
        in_play = poll.started(start)
        state = poll.events[game_key] = EventState(sport_id, start, in_play)
        if in_play and before is not None and not before.in_play:
            # The game has started: every pregame line closes at once (live lines
            # follow on the live markets), and nothing pregame is diffed or carried.
            poll.out.withdrawals.append(Withdrawal(game_key=game_key, status=PriceStatus.CLOSED))
            before = None
        bookmakers = item.get("bookmakers", [])
        if not isinstance(bookmakers, list):
            poll.problem("event", game_key, "malformed: bookmakers is not a list")
            if before is not None:
                state.books = before.books
            return
        for book in bookmakers:
            self._book(poll, game_key, book, state, before, in_play)
        self._diff(poll, game_key, state, before, in_play)

    def _book(
        self,
        poll: _Poll,
        game_key: str,
        item: object,
        state: EventState,
        before: EventState | None,
        in_play: bool,
    ) -> None:
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(key, str):
            poll.problem("bookmaker", brief(item), "malformed: a bookmaker without a key")
            return
        affiliate_id = self.books.get(key)
        if affiliate_id is None:
            poll.problem("book", key, "no canonical affiliate for this The Odds API bookmaker")
            return
        earlier = before.books.get(affiliate_id, {}) if before is not None else {}
        markets = item.get("markets")
        if not isinstance(markets, list):
            poll.problem("bookmaker", key, "malformed: markets is not a list")
            state.books[affiliate_id] = dict(earlier)
            return
        poll.out.books_seen.append(affiliate_id)
        stamp = read_time(item.get("last_update"))
        lines_by_market = state.books[affiliate_id] = {}
        for market in markets:
            try:
                read = self._market(poll, game_key, affiliate_id, market, state.sport_id, in_play)
            except Malformed as exc:
                market_key = market.get("key") if isinstance(market, dict) else None
                poll.problem("market", f"{key} {market_key}", f"malformed: {exc}")
                if isinstance(market_key, str) and market_key in earlier:
                    lines_by_market[market_key] = earlier[market_key]
                continue
            if read is not None:
                market_key, lines = read
                if stamp is not None:
                    lines = {k: _stamped(q, stamp) for k, q in lines.items()}
                lines_by_market[market_key] = lines

    def _market(
        self,
        poll: _Poll,
        game_key: str,
        affiliate_id: int,
        item: object,
        sport_id: int,
        in_play: bool,
    ) -> tuple[str, Lines] | None:
        """A market's key and lines; None if it maps to no canonical market."""
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise Malformed("a market without a key")
        key: str = item["key"]
        spec = self.markets.lookup(key, sport_id, in_play)
        if isinstance(spec, str):
            poll.problem("market", key, spec)
            return None
        outcomes = item.get("outcomes")
        if not isinstance(outcomes, list):
            raise Malformed("outcomes is not a list")
        stamp = read_time(item.get("last_update"))
        source_ts = stamp.timestamp() if stamp is not None else 0.0
        lines: Lines = {}
        for outcome in outcomes:
            read = read_outcome(outcome, spec)
            if isinstance(read, str):
                poll.problem("outcome", f"{key}: {brief(outcome)}", read)
                continue
            participant, line, price = read
            quote = UpstreamQuote(
                game_key=game_key,
                affiliate_id=affiliate_id,
                market_id=spec.market_id,
                period_id=spec.period_id,
                participant=participant,
                line=line,
                price=price,
                is_main_line=spec.is_main_line,
                source_ts=source_ts,
            )
            lines[_line_key(quote)] = quote
        return key, lines

    # -------------------------------------------------------------------- diff

    def _diff(
        self,
        poll: _Poll,
        game_key: str,
        state: EventState,
        before: EventState | None,
        in_play: bool,
    ) -> None:
        """Quote what the event's books list now; pull what they listed before and not now."""
        earlier = before.books if before is not None else {}
        quotes = poll.out.quotes
        for affiliate_id, markets in state.books.items():
            now_lines = _merged(markets)
            quotes.extend(now_lines.values())
            for line_key, quote in _merged(earlier.get(affiliate_id, {})).items():
                if line_key not in now_lines:
                    quotes.append(self._pulled(quote))
        for affiliate_id, markets in earlier.items():
            if affiliate_id in state.books:
                continue
            if not in_play:
                poll.out.withdrawals.append(
                    Withdrawal(game_key=game_key, affiliate_id=affiliate_id)
                )
                continue
            quotes.extend(self._pulled(q) for q in _merged(markets).values())

    @staticmethod
    def _pulled(quote: UpstreamQuote) -> UpstreamQuote:
        """A line no longer listed, off the board (the board keeps its last price)."""
        return replace(quote, status=PriceStatus.OFF_BOARD, price=0.0, source_ts=0.0)


# ------------------------------------------------------------------ helpers


def _stamped(quote: UpstreamQuote, book_stamp: datetime) -> UpstreamQuote:
    """A quote whose market carried no ``last_update`` takes its bookmaker's."""
    return quote if quote.source_ts else replace(quote, source_ts=book_stamp.timestamp())


def _line_key(quote: UpstreamQuote) -> LineKey:
    p = quote.participant
    return (
        quote.market_id,
        quote.period_id,
        int(p.kind),
        normalize(p.name),
        p.result_id or 0,
        quote.line,
    )


def _merged(markets: dict[str, Lines]) -> Lines:
    """A book's lines over all its markets; a main line wins over the same line listed
    among the alternates (``spreads`` and ``alternate_spreads`` both list it)."""
    merged: Lines = {}
    for lines in markets.values():
        for key, quote in lines.items():
            held = merged.get(key)
            if held is None or (quote.is_main_line and not held.is_main_line):
                merged[key] = quote
    return merged


def _now(record: Record) -> float | None:
    at = number(record.meta.get("at"))
    if at is not None and TS_RANGE[0] < at < TS_RANGE[1]:
        return at
    return record.received_at or None
