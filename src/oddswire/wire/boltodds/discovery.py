"""BoltOdds' discovery: ``get_info``, ``get_games`` and ``get_markets`` from the board.

Games are the board's events that are not over (final, cancelled, postponed), keyed by
their game string. Two events with the same string (the same teams on the same day and
start hour: test data) cannot share a key; the later one (by start, then id) is listed
as ``"<game>, <first 12 hex of its universal_id>"``, and that string selects it in a
subscription too.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from oddswire.board import EventState
from oddswire.model.change import PriceStatus
from oddswire.wire.boltodds.naming import Names, game_number, when


class InfoResponse(msgspec.Struct):
    """``GET /api/get_info``: the names a subscription may use."""

    sports: list[str]
    sportsbooks: list[str]


class Game(msgspec.Struct):
    """A ``GET /api/get_games`` entry."""

    sport: str
    game: str
    #: Scheduled start, US Eastern time: ``"2025-07-23, 01:09 PM"``.
    when: str
    #: ``"<Home> vs <Away>"``.
    orig_teams: str
    #: Our event id (32 hex), as ``universal_game_id`` in the stream.
    universal_id: str
    #: When the source last changed the game's header (status, clock, score), UTC.
    last_updated: str | None
    #: ``"prematch"`` or ``"live"``.
    type: str
    #: Always null: no source here gives links to a game.
    link: str | None
    #: The game's integer id (``info.id`` in the stream).
    id: int
    home_team: str
    away_team: str
    status: str
    #: ``"<home>-<away>"``.
    score: str


GamesResponse = dict[str, Game]
#: ``GET /api/get_markets``: market names by sport, then sportsbook.
MarketsResponse = dict[str, dict[str, list[str]]]


def info(names: Names, extra_books: Iterable[int] = ()) -> InfoResponse:
    """Every sport, and every active book plus any book a source feeds."""
    books = set(names.active_books) | {names.book(a) for a in extra_books}
    return InfoResponse(sports=sorted(names.sport_ids), sportsbooks=sorted(books))


def open_games(states: Iterable[EventState]) -> list[EventState]:
    """Events not over, by start time then id."""
    found = [s for s in states if not s.event.status.is_terminal]
    found.sort(key=lambda s: (s.event.event_date, s.event.event_id))
    return found


def game_index(names: Names, states: Iterable[EventState]) -> dict[str, EventState]:
    """Game string -> event, for the events not over (see the module doc)."""
    index: dict[str, EventState] = {}
    for state in open_games(states):
        name = names.game(state.event)
        if name in index:
            name = f"{name}, {state.event.event_id[:12]}"
        index[name] = state
    return index


def game(names: Names, name: str, state: EventState) -> Game:
    event = state.event
    score = event.score
    updated = score.updated_at
    return Game(
        sport=names.sport(event.sport_id),
        game=name,
        when=when(event.event_date),
        orig_teams=f"{names.team(event.home_team_id)} vs {names.team(event.away_team_id)}",
        universal_id=event.event_id,
        last_updated=None if updated is None else updated.isoformat(),
        type="live" if event.status.is_live else "prematch",
        link=None,
        id=game_number(event.event_id),
        home_team=names.team(event.home_team_id),
        away_team=names.team(event.away_team_id),
        status=str(event.status),
        score=f"{score.score_home}-{score.score_away}",
    )


def games(names: Names, states: Iterable[EventState]) -> GamesResponse:
    return {name: game(names, name, state) for name, state in game_index(names, states).items()}


def markets(
    names: Names,
    states: Iterable[EventState],
    sport_ids: frozenset[int] | None,
    affiliate_ids: frozenset[int] | None,
) -> MarketsResponse:
    """Market names quoted now (not closed), by sport and book, for the games not over.

    A sport or book asked for by name is always in the answer (with nothing under it
    if nothing is quoted); without a filter, only those with markets are.
    """
    found: dict[int, dict[int, set[str]]] = {}
    for state in states:
        event = state.event
        if event.status.is_terminal or (sport_ids is not None and event.sport_id not in sport_ids):
            continue
        by_book = found.setdefault(event.sport_id, {})
        for market in state.markets.values():
            name = names.market(market.market_id, market.period_id)
            for lines in market.participants.values():
                for line in lines:
                    for affiliate_id, price in line.items():
                        if price.status == PriceStatus.CLOSED:
                            continue
                        if affiliate_ids is None or affiliate_id in affiliate_ids:
                            by_book.setdefault(affiliate_id, set()).add(name)
    out: MarketsResponse = {}
    for sport_id in sorted(sport_ids if sport_ids is not None else found):
        by_book = found.get(sport_id, {})
        books = affiliate_ids if affiliate_ids is not None else frozenset(by_book)
        if not books and sport_ids is None:
            continue
        out[names.sport(sport_id)] = {
            names.book(affiliate_id): sorted(by_book.get(affiliate_id, ()))
            for affiliate_id in sorted(books, key=names.book)
        }
    return out
