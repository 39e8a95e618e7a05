"""Events: schedule, teams, status, clock, period and score."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec


class EventStatus(StrEnum):
    """Event statuses from the reference §3.5."""

    SCHEDULED = "STATUS_SCHEDULED"
    IN_PROGRESS = "STATUS_IN_PROGRESS"
    FINAL = "STATUS_FINAL"
    POSTPONED = "STATUS_POSTPONED"
    CANCELED = "STATUS_CANCELED"
    SUSPENDED = "STATUS_SUSPENDED"
    DELAYED = "STATUS_DELAYED"
    RAIN_DELAY = "STATUS_RAIN_DELAY"
    HALFTIME = "STATUS_HALFTIME"
    END_PERIOD = "STATUS_END_PERIOD"
    END_OF_REGULATION = "STATUS_END_OF_REGULATION"
    OVERTIME = "STATUS_OVERTIME"
    FIRST_HALF = "STATUS_FIRST_HALF"
    SECOND_HALF = "STATUS_SECOND_HALF"

    @property
    def is_live(self) -> bool:
        return self in _LIVE

    @property
    def is_terminal(self) -> bool:
        return self in (EventStatus.FINAL, EventStatus.CANCELED, EventStatus.POSTPONED)


_LIVE = frozenset(
    {
        EventStatus.IN_PROGRESS,
        EventStatus.HALFTIME,
        EventStatus.END_PERIOD,
        EventStatus.END_OF_REGULATION,
        EventStatus.OVERTIME,
        EventStatus.FIRST_HALF,
        EventStatus.SECOND_HALF,
        EventStatus.SUSPENDED,
        EventStatus.RAIN_DELAY,
    }
)


class Score(msgspec.Struct, frozen=True, kw_only=True):
    """Score, status and clock of an event (TheRundown's ``score`` object)."""

    event_status: EventStatus = EventStatus.SCHEDULED
    event_status_detail: str = ""
    score_away: int = 0
    score_home: int = 0
    winner_away: bool = False
    winner_home: bool = False
    score_away_by_period: list[int] = []
    score_home_by_period: list[int] = []
    game_clock: int = 0
    display_clock: str = "0:00"
    game_period: int = 0
    broadcast: str = ""
    updated_at: datetime | None = None


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """A canonical event. ``event_id`` is a 32-hex hash of its identity."""

    event_id: str
    event_uuid: str
    sport_id: int
    event_date: datetime
    away_team_id: int
    home_team_id: int
    rotation_number_away: int = 0
    rotation_number_home: int = 0
    season_type: int = 2
    season_year: int = 0
    week: int | None = None
    neutral_site: bool = False
    venue_name: str = ""
    venue_location: str = ""
    attendance: int = 0
    score: Score = Score()

    @property
    def status(self) -> EventStatus:
        return self.score.event_status
