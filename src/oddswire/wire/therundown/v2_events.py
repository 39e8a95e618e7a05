"""V2 events: board views written in TheRundown's V2 event shape (reference §2.1)."""

from __future__ import annotations

from collections.abc import Iterable

from oddswire.board.query import EventView, MarketView
from oddswire.board.state import EventState, PriceState
from oddswire.model.change import PriceStatus
from oddswire.model.event import Event
from oddswire.model.ids import market_event_id, price_id
from oddswire.model.reference import Team
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.common import american, rfc3339, rfc3339_datetime, wire_price
from oddswire.wire.therundown.v2_reference import SEASON_TYPES, conference, division


class EventWriter:
    """Writes board views as V2 events. Team objects are built once per team."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._teams: dict[int, v2.Team] = {}

    def events(self, views: Iterable[EventView], delta_last_id: str | None) -> v2.EventsResponse:
        meta = None if delta_last_id is None else v2.Meta(delta_last_id=delta_last_id)
        return v2.EventsResponse(meta=meta, events=[self.event(view) for view in views])

    def event(self, view: EventView) -> v2.Event:
        state = view.state
        event = state.event
        return v2.Event(
            event_id=event.event_id,
            event_uuid=event.event_uuid,
            sport_id=event.sport_id,
            event_date=rfc3339_datetime(event.event_date),
            rotation_number_away=event.rotation_number_away,
            rotation_number_home=event.rotation_number_home,
            score=score(event),
            teams=[
                self._event_team(event.away_team_id, away=True),
                self._event_team(event.home_team_id, away=False),
            ],
            schedule=self.schedule(event),
            markets=[self.market(state, market) for market in view.markets],
        )

    def schedule(self, event: Event) -> v2.Schedule:
        sport = self.catalog.sports.get(event.sport_id)
        away = self.catalog.teams.get(event.away_team_id)
        home = self.catalog.teams.get(event.home_team_id)
        out = v2.Schedule(
            league_name=sport.sport_name if sport else "",
            event_name=f"{_full(away)} at {_full(home)}",
            season_type=SEASON_TYPES.get(event.season_type, "Regular Season"),
            season_year=event.season_year,
            attendance=str(event.attendance),
        )
        if away and home and away.conference_id and away.conference_id == home.conference_id:
            out.conference_competition = True
            found = self.catalog.conferences.get(away.conference_id)
            out.conference_name = found.name if found else ""
        if event.week is not None:
            out.week = event.week
            out.week_name = f"Week {event.week}"
        return out

    def _event_team(self, team_id: int, *, away: bool) -> v2.EventTeam:
        base = self._teams.get(team_id)
        if base is None:
            base = self._teams[team_id] = self._team(team_id)
        out = v2.EventTeam(
            team_id=base.team_id,
            name=base.name,
            mascot=base.mascot,
            abbreviation=base.abbreviation,
            is_away=away,
            is_home=not away,
        )
        out.conference = base.conference
        out.division = base.division
        return out

    def _team(self, team_id: int) -> v2.Team:
        team = self.catalog.teams.get(team_id)
        if team is None:
            return v2.Team(team_id=team_id, name="", mascot="", abbreviation="")
        out = v2.Team(
            team_id=team.team_id, name=team.name, mascot=team.mascot, abbreviation=team.abbreviation
        )
        conf = conference(self.catalog, team.conference_id)
        if conf is not None:
            out.conference = conf
        div = division(self.catalog, team.division_id)
        if div is not None:
            out.division = div
        return out

    def market(self, state: EventState, market: MarketView) -> v2.Market:
        definition = self.catalog.markets.get(market.market_id)
        event_id = state.event.event_id
        name = self.catalog.participant_name
        return v2.Market(
            id=market_event_id(event_id, market.market_id, market.period_id),
            market_id=market.market_id,
            period_id=market.period_id,
            name=definition.name if definition else str(market.market_id),
            market_description=definition.short_description if definition else "",
            participants=[
                v2.Participant(
                    id=participant.participant_id,
                    type=participant.participant_type.wire_name,
                    name=name(participant.participant_id, participant.participant_type),
                    lines=[
                        v2.Line(
                            id=view.line.id,
                            value=view.line.line,
                            prices={
                                str(affiliate_id): line_price(view.line.id, affiliate_id, price)
                                for affiliate_id, price in view.prices
                            },
                        )
                        for view in participant.lines
                    ],
                )
                for participant in market.participants
            ],
        )


def score(event: Event) -> v2.Score:
    s = event.score
    return v2.Score(
        event_id=event.event_id,
        event_status=s.event_status.value,
        event_status_detail=s.event_status_detail,
        score_away=s.score_away,
        score_home=s.score_home,
        winner_away=int(s.winner_away),
        winner_home=int(s.winner_home),
        score_away_by_period=s.score_away_by_period,
        score_home_by_period=s.score_home_by_period,
        venue_name=event.venue_name,
        venue_location=event.venue_location,
        game_clock=s.game_clock,
        display_clock=s.display_clock,
        game_period=s.game_period,
        broadcast=s.broadcast,
        updated_at=rfc3339_datetime(s.updated_at or event.event_date),
        team_id_away=event.away_team_id,
        team_id_home=event.home_team_id,
    )


def line_price(line_id: str, affiliate_id: int, price: PriceState) -> v2.LinePrice:
    out = v2.LinePrice(
        id=str(price_id(line_id, affiliate_id)),
        price=wire_price(price),
        is_main_line=price.is_main_line,
        updated_at=rfc3339(price.source_ts),
    )
    previous = price.previous_price
    if previous is not None and price.status == PriceStatus.OPEN and previous != 0:
        out.price_delta = american(price.price - previous)
    if price.status == PriceStatus.CLOSED:
        out.closed_at = rfc3339(price.source_ts)
    return out


def _full(team: Team | None) -> str:
    return team.full_name if team else "TBD"
