"""Canonical events from games feeds name: sport, the two teams, and the start time.

Feeds disagree on who is home (neutral sites, soccer, data errors) and on the start
(rounded, time-zone slips, a late schedule change), so a game matches a canonical
event of the same sport with the same two teams in either order whose start is within
a tolerance; the nearest wins (a doubleheader's games are hours apart). No match makes
a new canonical event, identified as :func:`oddswire.model.ids.event_id` says.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from oddswire.model.event import Event


class EventMatcher:
    """An index of canonical events by sport and unordered pair of teams."""

    def __init__(self, tolerance: timedelta = timedelta(hours=2)) -> None:
        self.tolerance = tolerance
        self._by_teams: dict[tuple[int, frozenset[int]], dict[str, Event]] = {}

    def add(self, event: Event) -> None:
        """Index (or re-index, after a schedule change) a canonical event."""
        key = (event.sport_id, frozenset((event.away_team_id, event.home_team_id)))
        self._by_teams.setdefault(key, {})[event.event_id] = event

    def add_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def remove(self, event_id: str) -> None:
        for key in [k for k, events in self._by_teams.items() if event_id in events]:
            events = self._by_teams[key]
            del events[event_id]
            if not events:
                del self._by_teams[key]

    def match(self, sport_id: int, team_a: int, team_b: int, start: datetime) -> Event | None:
        """The canonical event of these teams nearest ``start`` within the tolerance."""
        events = self._by_teams.get((sport_id, frozenset((team_a, team_b))))
        if not events:
            return None
        best: Event | None = None
        best_gap = self.tolerance
        for event in events.values():
            gap = abs(event.event_date - start)
            if gap <= best_gap:
                best, best_gap = event, gap
        return best
