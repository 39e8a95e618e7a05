"""V1 schedule rows (``/sports/{id}/schedule``, reference §2.9)."""

from __future__ import annotations

from oddswire.board import EventState
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown.common import rfc3339_datetime
from oddswire.wire.therundown.v1_reference import full_name, teams_normalized
from oddswire.wire.therundown.v2_events import EventWriter


class ScheduleWriter:
    """Writes events as schedule rows; ``id`` is the event's stored ref, as a string."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._v2 = EventWriter(catalog)

    def row(self, state: EventState, *, include_teams: bool) -> v1.V1ScheduledEvent:
        event = state.event
        s = event.score
        schedule = self._v2.schedule(event)
        location = ", ".join(p for p in (event.venue_name, event.venue_location) if p)
        out = v1.V1ScheduledEvent(
            id=str(state.ref),
            event_uuid=event.event_uuid,
            event_id=event.event_id,
            sport_id=event.sport_id,
            season_type=schedule.season_type,
            season_year=event.season_year,
            away_team_id=event.away_team_id,
            home_team_id=event.home_team_id,
            away_team=full_name(self.catalog, event.away_team_id),
            home_team=full_name(self.catalog, event.home_team_id),
            date_event=rfc3339_datetime(event.event_date),
            neutral_site=event.neutral_site,
            conference_competition=schedule.conference_competition is True,
            away_score=s.score_away,
            home_score=s.score_home,
            league_name=schedule.league_name,
            event_name=schedule.event_name,
            event_location=location,
            attendance=schedule.attendance,
            updated_at=rfc3339_datetime(s.updated_at or event.event_date),
            event_status=s.event_status.value,
            event_status_detail=s.event_status_detail,
        )
        if s.broadcast:
            out.broadcast = s.broadcast
        if include_teams:
            out.teams = teams_normalized(self.catalog, event)
        return out

    def rows(self, states: list[EventState], *, include_teams: bool) -> v1.V1ScheduleResponse:
        return v1.V1ScheduleResponse(
            schedules=[self.row(s, include_teams=include_teams) for s in states]
        )
