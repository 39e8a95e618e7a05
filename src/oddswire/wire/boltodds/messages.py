"""BoltOdds' stream messages, as bytes (seed 002's shapes).

A game-and-book message is ``{"timestamp", "action", "data"}`` where ``data`` holds the
game's header (``sport``, ``sportsbook``, ``game``, ``universal_game_id``,
``home_team``, ``away_team``, ``info``) and ``outcomes``, a map from outcome key to
``{"odds", "link", "outcome_name", "outcome_line", "outcome_over_under",
"outcome_target"}``. Outcomes and headers are encoded separately (an outcome once per
price change for every subscriber, a header once per game, book and header version) and
put together here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

from oddswire.board import EventState, LineState
from oddswire.model.change import PriceStatus
from oddswire.model.event import Event
from oddswire.wire.boltodds.naming import Names, game_number, when

_encode = msgspec.json.Encoder().encode

SOCKET_CONNECTED = b'{"action":"socket_connected"}'
PING = b'{"action":"ping"}'
PONG = b'{"action":"pong"}'


def timestamp() -> str:
    """``"2025-07-23T19:45:03.048958+00:00"``."""
    return datetime.now(UTC).isoformat()


def odds(price: float, status: PriceStatus) -> str | None:
    """American odds as BoltOdds writes them (``"-110"``, ``"+150"``); None (null) when
    the book is not taking bets at the price (off the board, closed)."""
    if status != PriceStatus.OPEN:
        return None
    whole = int(price)
    if whole == price:
        return f"{whole:+d}"
    return f"{price:+.2f}"


class Encoding:
    """Outcome and header bytes for one catalog. Outcome fields depend only on the
    line, so they are kept (for a bounded number of lines) and only the odds are
    encoded per price."""

    MAX_CACHED_LINES = 100_000

    def __init__(self, names: Names) -> None:
        self.names = names
        self._lines: dict[int, tuple[bytes, bytes]] = {}
        self._links: dict[int, bytes] = {}

    def url(self, affiliate_id: int) -> str | None:
        """The book's site: no source here gives deep links (None when unknown)."""
        affiliate = self.names.catalog.affiliates.get(affiliate_id)
        return affiliate.affiliate_url if affiliate and affiliate.affiliate_url else None

    def link(self, affiliate_id: int) -> bytes:
        found = self._links.get(affiliate_id)
        if found is None:
            found = self._links[affiliate_id] = _encode(self.url(affiliate_id))
        return found

    def _line(self, line: LineState) -> tuple[bytes, bytes]:
        found = self._lines.get(line.ref)
        if found is None:
            outcome = self.names.outcome(line)
            fields = _encode(
                {
                    "outcome_name": outcome.name,
                    "outcome_line": outcome.line,
                    "outcome_over_under": outcome.over_under,
                    "outcome_target": outcome.target,
                }
            )
            found = (_encode(outcome.key), fields[1:-1])
            if not outcome.target or not outcome.target.startswith("#"):  # a name is known
                if len(self._lines) >= self.MAX_CACHED_LINES:
                    self._lines.clear()
                self._lines[line.ref] = found
        return found

    def outcome(
        self, line: LineState, affiliate_id: int, price: float, status: PriceStatus
    ) -> bytes:
        """``"<key>":{...}``: one outcome, ready to join into an ``outcomes`` object."""
        key, fields = self._line(line)
        return b'%b:{"odds":%b,"link":%b,%b}' % (
            key,
            _encode(odds(price, status)),
            self.link(affiliate_id),
            fields,
        )

    def header(self, event: Event, affiliate_id: int | None) -> bytes:
        """The fields of ``data`` before ``outcomes`` (without braces). ``affiliate_id``
        None: a game-level message, ``sportsbook`` null."""
        names = self.names
        game = names.game(event)
        info: dict[str, Any] = {
            "id": game_number(event.event_id),
            "game": game,
            "when": when(event.event_date),
            "link": None if affiliate_id is None else self.url(affiliate_id),
            "status": str(event.status),
            "score": f"{event.score.score_home}-{event.score.score_away}",
        }
        body = _encode(
            {
                "sport": names.sport(event.sport_id),
                "sportsbook": None if affiliate_id is None else names.book(affiliate_id),
                "game": game,
                "universal_game_id": event.event_id,
                "home_team": names.team(event.home_team_id),
                "away_team": names.team(event.away_team_id),
                "info": info,
            }
        )
        return body[1:-1]


def game_message(action: str, header: bytes, outcomes: Iterable[bytes], stamp: str) -> bytes:
    """``initial_state``, ``line_update``, ``game_added``, ``game_update`` or
    ``game_removed`` for one game and book."""
    return b'{"timestamp":"%b","action":"%b","data":{%b,"outcomes":{%b}}}' % (
        stamp.encode(),
        action.encode(),
        header,
        b",".join(outcomes),
    )


def book_clear(book: str) -> bytes:
    """Every game of ``book`` is cleared (its feed went down), in BoltOdds' shape."""
    empty: dict[str, Any] = {}
    return _encode(
        {
            "timestamp": timestamp(),
            "action": "book_clear",
            "data": {
                "sport": empty,
                "sportsbook": book,
                "game": empty,
                "home_team": empty,
                "away_team": empty,
                "info": empty,
                "outcomes": empty,
            },
        }
    )


def error(message: str, **extra: Any) -> bytes:
    return _encode({"action": "error", "message": message, **extra})


def subscription_updated(filters: dict[str, list[str] | None], games: int) -> bytes:
    """The filters now in force (null: everything), and how many games match now."""
    return _encode(
        {
            "timestamp": timestamp(),
            "action": "subscription_updated",
            "filters": filters,
            "games": games,
        }
    )


def unsubscribed() -> bytes:
    return _encode({"timestamp": timestamp(), "action": "unsubscribed"})


def heartbeat(cursor: int = 0) -> bytes:
    """BoltOdds' keep-alive (every 15 s)."""
    return PING


def lag_notice(lagging: bool, cursor: int) -> bytes:
    """``lag`` when the client reads too slowly (updates wait), ``caught_up`` after."""
    return _encode(
        {
            "timestamp": timestamp(),
            "action": "lag" if lagging else "caught_up",
            "lagging": lagging,
        }
    )


def line_state_outcomes(
    encoding: Encoding,
    state: EventState,
    market_ids: frozenset[int] | None,
    affiliate_ids: frozenset[int] | None,
) -> dict[int, list[bytes]]:
    """A game's current outcomes by book (closed lines left out, off-board ones with
    null odds), for the markets and books given (None: all)."""
    by_book: dict[int, list[bytes]] = {}
    for market in state.markets.values():
        if market_ids is not None and market.market_id not in market_ids:
            continue
        for lines in market.participants.values():
            for line in lines:
                for affiliate_id, price in line.items():
                    if price.status == PriceStatus.CLOSED:
                        continue
                    if affiliate_ids is not None and affiliate_id not in affiliate_ids:
                        continue
                    outcome = encoding.outcome(line, affiliate_id, price.price, price.status)
                    by_book.setdefault(affiliate_id, []).append(outcome)
    return by_book


def quoting_books(
    state: EventState, market_ids: frozenset[int] | None, affiliate_ids: frozenset[int] | None
) -> list[int]:
    """The books with any price (whatever its status) on the game, in those markets."""
    found: set[int] = set()
    for market in state.markets.values():
        if market_ids is not None and market.market_id not in market_ids:
            continue
        for lines in market.participants.values():
            for line in lines:
                found.update(affiliate_id for affiliate_id, _ in line.items())
    if affiliate_ids is not None:
        found &= affiliate_ids
    return sorted(found)
