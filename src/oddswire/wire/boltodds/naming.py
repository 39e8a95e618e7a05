"""BoltOdds' names for our things: sports, sportsbooks, markets, games and outcomes.

Pure functions of the catalog and the canonical model, so the discovery endpoints and
the stream always agree:

- a **sport** is its abbreviation (``NBA``, ``NFL``, ``EPL``, ``NCAAB``...), or its
  name when it has none (``Formula 1``);
- a **sportsbook** is a lower-case key from the book's name (``draftkings``,
  ``fanduel``, ``betmgm``), with BoltOdds' own keys where they differ (``thescore``,
  ``hardrock``);
- a **market** is the market's short name (``Moneyline``, ``Spread``, ``Total``,
  ``Team Total``, ``1H Moneyline``, ``Live Moneyline``, ``Player Points``...); the few
  short names the catalogue repeats get the market id (``Player To Record (755)``);
- a **game** is ``"<Home> vs <Away>, YYYY-MM-DD, HH"``: the date and the hour of the
  scheduled start in US Eastern time, the hour on the 12-hour clock as ``info.when``
  writes it (``"2025-07-23, 01:09 PM"`` -> ``01``), as in BoltOdds' own example;
- an **outcome key** combines target, side, line and market
  (``"Boston Celtics -4.5 Spread"``, ``"Total Over 224.5"``,
  ``"LeBron James Over 24.5 Player Points"``): unique within a game and book, and
  meant to be treated as opaque, as BoltOdds says of its own.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from oddswire.board import LineState
from oddswire.model.change import ParticipantType
from oddswire.model.event import Event
from oddswire.model.lines import format_number, parse_line
from oddswire.refdata import OVER, UNDER, Catalog, result_name

#: BoltOdds' keys for books whose name does not lower-case into them.
BOOK_KEYS = {24: "thescore", 28: "hardrock"}
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _eastern_zone() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except Exception:  # no tz database on this machine: the US rule below
        return None


_EASTERN = _eastern_zone()


def _nth_sunday(year: int, month: int, nth: int) -> datetime:
    first = datetime(year, month, 1, tzinfo=UTC)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


def us_eastern(moment: datetime) -> datetime:
    """US Eastern time by the rule in force since 2007 (EDT from 2 a.m. on the second
    Sunday of March to 2 a.m. on the first Sunday of November); the fallback where no
    time-zone database is installed."""
    utc = moment.astimezone(UTC)
    starts = _nth_sunday(utc.year, 3, 2) + timedelta(hours=7)  # 2:00 EST
    ends = _nth_sunday(utc.year, 11, 1) + timedelta(hours=6)  # 2:00 EDT
    offset = -4 if starts <= utc < ends else -5
    return (utc + timedelta(hours=offset)).replace(tzinfo=None)


def eastern(moment: datetime) -> datetime:
    """``moment`` on the US Eastern wall clock (naive)."""
    if _EASTERN is None:
        return us_eastern(moment)
    return moment.astimezone(_EASTERN).replace(tzinfo=None)


def game_name(home: str, away: str, start: datetime) -> str:
    """``"New York Mets vs Los Angeles Angels, 2025-07-23, 01"`` (see the module doc)."""
    et = eastern(start)
    return f"{home} vs {away}, {et:%Y-%m-%d}, {et:%I}"


def when(start: datetime) -> str:
    """``"2025-07-23, 01:09 PM"``: the scheduled start, US Eastern time."""
    et = eastern(start)
    return f"{et:%Y-%m-%d}, {et:%I:%M} {'AM' if et.hour < 12 else 'PM'}"


def game_number(event_id: str) -> int:
    """The game's integer ``id`` (``info.id``, ``get_games``' ``id``): the first 52 bits
    of the event id, so it is stable and exact in JavaScript."""
    return int(event_id[:13], 16)


def book_key(affiliate_id: int, affiliate_name: str) -> str:
    """``"DraftKings"`` -> ``"draftkings"`` (BoltOdds' key where it has its own)."""
    return BOOK_KEYS.get(affiliate_id) or _NOT_ALNUM.sub("", affiliate_name.lower())


class Outcome(NamedTuple):
    """What an outcome says besides its odds: its key and its structured fields."""

    key: str
    name: str
    line: int | float | None
    over_under: str | None
    target: str | None


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


class Names:
    """Every name, both ways, for one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sports = {s.sport_id: s.abbreviation or s.sport_name for s in catalog.sports.values()}
        self.sport_ids = {name: sport_id for sport_id, name in self.sports.items()}
        self.books = {
            a.affiliate_id: book_key(a.affiliate_id, a.affiliate_name)
            for a in catalog.affiliates.values()
        }
        self.book_ids = {key: affiliate_id for affiliate_id, key in self.books.items()}
        #: Books listed by ``get_info`` (the catalogue keeps retired ones for their ids).
        self.active_books = sorted(
            self.books[a.affiliate_id] for a in catalog.affiliates.values() if a.active
        )
        short = [m.short_description or m.name for m in catalog.markets.values()]
        self.markets = {
            m.id: (s if short.count(s) == 1 else f"{s} ({m.id})")
            for m, s in zip(catalog.markets.values(), short, strict=True)
        }
        self.market_ids: dict[str, frozenset[int]] = {
            name: frozenset({market_id}) for market_id, name in self.markets.items()
        }

    # ----------------------------------------------------------------- names

    def sport(self, sport_id: int) -> str:
        return self.sports.get(sport_id) or f"Sport {sport_id}"

    def book(self, affiliate_id: int) -> str:
        return self.books.get(affiliate_id) or f"book{affiliate_id}"

    def team(self, team_id: int) -> str:
        team = self.catalog.teams.get(team_id)
        return team.full_name if team else f"Team {team_id}"

    def game(self, event: Event) -> str:
        return game_name(
            self.team(event.home_team_id), self.team(event.away_team_id), event.event_date
        )

    def market(self, market_id: int, period_id: int) -> str:
        """A market's name; a period other than the market's own is added in brackets."""
        name = self.markets.get(market_id) or f"Market {market_id}"
        definition = self.catalog.markets.get(market_id)
        if definition is not None and definition.period_id != period_id:
            period = self.catalog.periods.get(period_id)
            name = f"{name} ({period.name if period else f'period {period_id}'})"
        return name

    def outcome(self, line: LineState) -> Outcome:
        """The key and structured fields of an outcome (any book's: they are the same)."""
        market = self.market(line.market_id, line.period_id)
        side, number = parse_line(line.line)
        over_under = side
        target: str | None
        if line.participant_type is ParticipantType.RESULT:
            name = result_name(line.participant_id) or f"Result {line.participant_id}"
            if line.participant_id in (OVER, UNDER):
                over_under, target = name, None
            else:
                target = name
        else:
            participant = self.catalog.participant_name(line.participant_id, line.participant_type)
            target = participant or f"#{line.participant_id}"
        value = None if number is None else _number(number)
        shown = "" if number is None else format_number(number)
        if target is None:
            key = " ".join(p for p in (market, over_under, shown) if p)
        else:
            key = " ".join(p for p in (target, over_under, shown, market) if p)
        return Outcome(key, market, value, over_under, target)
