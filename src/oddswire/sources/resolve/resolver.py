"""The resolver: upstream games and quotes -> canonical events and price changes.

One resolver serves every upstream source of a hub, so two sources quoting the same
game land on the same canonical event (see :mod:`.events`), and it decides which
source feeds each book on each event when several quote it (:class:`BookOwners`).
Whatever it cannot map is quarantined (:mod:`.quarantine`), never guessed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from oddswire.model import ids
from oddswire.model.change import EventChange, ParticipantType, PriceChange
from oddswire.model.event import Event
from oddswire.model.reference import Player
from oddswire.refdata import Catalog
from oddswire.refdata.results import DRAW, NO, OVER, UNDER, YES
from oddswire.sources.resolve.events import EventMatcher
from oddswire.sources.resolve.normalize import normalize
from oddswire.sources.resolve.quarantine import Quarantine
from oddswire.sources.resolve.teams import TeamAlias, TeamIndex, shipped_aliases
from oddswire.sources.upstream.model import ParticipantRef, UpstreamGame, UpstreamQuote

RESULTS = {"over": OVER, "under": UNDER, "draw": DRAW, "tie": DRAW, "yes": YES, "no": NO}


@dataclass(slots=True)
class BookOwners:
    """Which source feeds each book on each event.

    The first source to quote a book on an event owns it; a source earlier in the
    configured order takes it over at once; any other takes it over only after the
    owner has been silent on it for ``takeover_seconds``. Quotes from a source that
    does not own the book are dropped (counted as ``shadowed``).
    """

    rank: dict[str, int] = field(default_factory=dict)
    takeover_seconds: float = 120.0
    _owners: dict[tuple[str, int], tuple[str, float]] = field(default_factory=dict)

    def allow(self, source: str, event_id: str, affiliate_id: int, now: float) -> bool:
        key = (event_id, affiliate_id)
        current = self._owners.get(key)
        if current is not None and current[0] != source:
            owner, last = current
            outranks = self.rank.get(source, 1 << 30) < self.rank.get(owner, 1 << 30)
            if not outranks and now - last < self.takeover_seconds:
                return False
        self._owners[key] = (source, now)
        return True

    def forget(self, event_ids: Iterable[str]) -> None:
        gone = set(event_ids)
        for key in [k for k in self._owners if k[0] in gone]:
            del self._owners[key]


@dataclass(slots=True)
class ResolveStats:
    games: int = 0
    events_created: int = 0
    quotes: int = 0
    shadowed: int = 0
    unresolved: int = 0


class Resolver:
    def __init__(
        self,
        catalog: Catalog,
        *,
        aliases: Iterable[TeamAlias] = (),
        tolerance: timedelta = timedelta(hours=2),
        source_order: Iterable[str] = (),
    ) -> None:
        self.catalog = catalog
        self.teams = TeamIndex(catalog, [*shipped_aliases(), *aliases])
        self.matcher = EventMatcher(tolerance)
        self.quarantine = Quarantine()
        self.owners = BookOwners(rank={name: i for i, name in enumerate(source_order)})
        self.stats: dict[str, ResolveStats] = {}
        self._games: dict[tuple[str, str], Event] = {}
        self._events: dict[str, Event] = {}
        self._players: dict[tuple[int, str], int] | None = None

    def seed(self, events: Iterable[Event]) -> None:
        """Know the events already on the board (from the store, or other sources)."""
        for event in events:
            self._events[event.event_id] = event
            self.matcher.add(event)

    def observe(self, changes: Iterable[object]) -> None:
        """Learn events any source (the simulator too) put on the board; a hub
        applied-changes listener."""
        for change in changes:
            if isinstance(change, EventChange):
                event = change.event
                if self._events.get(event.event_id) != event:
                    self._events[event.event_id] = event
                    self.matcher.add(event)

    def forget(self, event_ids: set[str]) -> None:
        """Drop events the hub deleted, and every game key bound to them."""
        if not event_ids:
            return
        for event_id in event_ids:
            self._events.pop(event_id, None)
            self.matcher.remove(event_id)
        for key in [k for k, e in self._games.items() if e.event_id in event_ids]:
            del self._games[key]
        self.owners.forget(event_ids)

    def _stats(self, source: str) -> ResolveStats:
        found = self.stats.get(source)
        if found is None:
            found = self.stats[source] = ResolveStats()
        return found

    # ------------------------------------------------------------------ games

    def game(self, source: str, game: UpstreamGame) -> tuple[Event | None, EventChange | None]:
        """The canonical event of a game, and the change to make if it is new or moved.

        None when the game cannot be resolved (quarantined)."""
        stats = self._stats(source)
        stats.games += 1
        if game.sport_id not in self.catalog.sports:
            return self._unresolved(source, "sport", str(game.sport_id), "unknown sport id", game)
        home = self.teams.resolve(game.sport_id, game.home)
        away = self.teams.resolve(game.sport_id, game.away)
        for name, found in ((game.home, home), (game.away, away)):
            if found is None:
                ambiguous = self.teams.lookup(game.sport_id, name) is not None
                reason = "ambiguous team name" if ambiguous else "unknown team"
                return self._unresolved(source, "team", name, reason, game)
        if home is None or away is None or home == away:
            return self._unresolved(source, "game", game.key, "both teams resolve alike", game)
        seen = self._games.get((source, game.key))
        current = None if seen is None else self._events.get(seen.event_id)
        if current is None:
            current = self.matcher.match(game.sport_id, home, away, game.start)
        if current is None:
            event_id = ids.event_id(game.sport_id, away, home, game.start)
            current = self._events.get(event_id)
        if current is None:
            event = self._created(game, home, away)
            stats.events_created += 1
        elif game.event is not None:
            event = self._authoritative(current.event_id, current.event_uuid, game, home, away)
        else:
            event = current
        self._games[(source, game.key)] = event
        if event == current:
            return event, None
        self._events[event.event_id] = event
        self.matcher.add(event)
        return event, EventChange(event=event, received_ts=time.time())

    def _created(self, game: UpstreamGame, home: int, away: int) -> Event:
        event_id = ids.event_id(game.sport_id, away, home, game.start)
        if game.event is not None:
            return self._authoritative(event_id, ids.event_uuid(event_id), game, home, away)
        return Event(
            event_id=event_id,
            event_uuid=ids.event_uuid(event_id),
            sport_id=game.sport_id,
            event_date=game.start,
            away_team_id=away,
            home_team_id=home,
        )

    @staticmethod
    def _authoritative(
        event_id: str, event_uuid: str, game: UpstreamGame, home: int, away: int
    ) -> Event:
        assert game.event is not None
        from msgspec.structs import replace

        return replace(
            game.event,
            event_id=event_id,
            event_uuid=event_uuid,
            sport_id=game.sport_id,
            event_date=game.start,
            away_team_id=away,
            home_team_id=home,
        )

    def _unresolved(
        self, source: str, kind: str, text: str, reason: str, game: UpstreamGame
    ) -> tuple[None, None]:
        self._stats(source).unresolved += 1
        example = f"{game.away} at {game.home}, {game.start.isoformat()} ({game.key})"
        self.quarantine.add(source, kind, text, reason, example)
        return None, None

    def event_of(self, source: str, game_key: str) -> Event | None:
        return self._games.get((source, game_key))

    # ----------------------------------------------------------------- quotes

    def quote(self, source: str, quote: UpstreamQuote, now: float) -> PriceChange | None:
        """The canonical change a quote makes; None if unresolved or shadowed."""
        stats = self._stats(source)
        stats.quotes += 1
        event = self._games.get((source, quote.game_key))
        if event is None:
            stats.unresolved += 1  # its game was quarantined (or never announced)
            return None
        catalog = self.catalog
        problem = None
        if quote.affiliate_id not in catalog.affiliates:
            problem = ("book", str(quote.affiliate_id), "unknown affiliate id")
        elif quote.market_id not in catalog.markets:
            problem = ("market", str(quote.market_id), "unknown market id")
        elif quote.period_id not in catalog.periods:
            problem = ("period", str(quote.period_id), "unknown period id")
        participant_id = 0
        if problem is None:
            participant_id, problem = self._participant(event, quote.participant)
        if problem is not None:
            stats.unresolved += 1
            self.quarantine.add(source, *problem, example=_describe(event, quote))
            return None
        if not self.owners.allow(source, event.event_id, quote.affiliate_id, now):
            stats.shadowed += 1
            return None
        return PriceChange(
            event_id=event.event_id,
            market_id=quote.market_id,
            period_id=quote.period_id,
            participant_id=participant_id,
            participant_type=quote.participant.kind,
            line=quote.line,
            affiliate_id=quote.affiliate_id,
            price=quote.price,
            status=quote.status,
            is_main_line=quote.is_main_line,
            source_ts=quote.source_ts or now,
            received_ts=now,
        )

    def _participant(
        self, event: Event, ref: ParticipantRef
    ) -> tuple[int, tuple[str, str, str] | None]:
        if ref.kind is ParticipantType.RESULT:
            result = ref.result_id or RESULTS.get(normalize(ref.name))
            if result is None:
                return 0, ("outcome", ref.name, "unknown result name")
            return result, None
        if ref.kind is ParticipantType.TEAM:
            pair = (event.home_team_id, event.away_team_id)
            team = self.teams.resolve_within(event.sport_id, ref.name, pair)
            if team is None:
                return 0, ("team", ref.name, "names neither team of the game")
            return team, None
        return self._player(event, ref.name), None

    def _player(self, event: Event, name: str) -> int:
        if self._players is None:
            self._players = {
                (p.sport_id, normalize(p.display_name)): p.id for p in self.catalog.players.values()
            }
        key = (event.sport_id, normalize(name))
        found = self._players.get(key)
        if found is None:
            found = ids.named_player_id(*key)
            first, _, last = name.strip().partition(" ")
            self.catalog.register_players(
                [
                    Player(
                        id=found,
                        sport_id=event.sport_id,
                        team_id=0,
                        first_name=first,
                        last_name=last,
                    )
                ]
            )
            self._players[key] = found
        return found


def _describe(event: Event, quote: UpstreamQuote) -> str:
    return (
        f"event {event.event_id} market {quote.market_id} period {quote.period_id} "
        f"book {quote.affiliate_id} {quote.participant.name or quote.participant.result_id} "
        f"{quote.line!r} {quote.price:g}"
    )
