"""TheRundown V1 (``/api/v1``): reference data, schedules, events with each book's
lines, line histories, best lines and the delta feeds. The names are the V2 ones with a
``v1_`` prefix."""

from __future__ import annotations

from oddswire.client.core import Call, call, path_date
from oddswire.client.endpoints.common import V1, Day, Ids, Words
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown import v2_models as v2

# ------------------------------------------------------------------ reference


def v1_sports() -> Call[v2.SportsResponse]:
    """``GET /api/v1/sports``: every sport."""
    return call(f"{V1}/sports", v2.SportsResponse)


def v1_affiliates(*, include: Words | None = None) -> Call[v1.V1AffiliatesResponse]:
    """``GET /api/v1/affiliates``: every sportsbook (``include=["regions"]`` adds regions)."""
    return call(f"{V1}/affiliates", v1.V1AffiliatesResponse, include=include)


def v1_sportsbooks(*, include: Words | None = None) -> Call[v1.V1AffiliatesResponse]:
    """``GET /api/v1/sportsbooks``: every sportsbook (an alias of :func:`v1_affiliates`)."""
    return call(f"{V1}/sportsbooks", v1.V1AffiliatesResponse, include=include)


def v1_season_types() -> Call[v2.SeasonTypesResponse]:
    """``GET /api/v1/season_types``: every sport's season types."""
    return call(f"{V1}/season_types", v2.SeasonTypesResponse)


# --------------------------------------------------------------------- sports


def v1_sport_teams(sport_id: int) -> Call[v1.V1TeamsResponse]:
    """``GET /api/v1/sports/{sport_id}/teams``: a sport's teams."""
    return call(f"{V1}/sports/{sport_id}/teams", v1.V1TeamsResponse)


def v1_sport_conferences(sport_id: int) -> Call[v2.ConferencesResponse]:
    """``GET /api/v1/sports/{sport_id}/conferences``: a sport's conferences."""
    return call(f"{V1}/sports/{sport_id}/conferences", v2.ConferencesResponse)


def v1_sport_divisions(sport_id: int) -> Call[v2.DivisionsResponse]:
    """``GET /api/v1/sports/{sport_id}/divisions``: a sport's divisions."""
    return call(f"{V1}/sports/{sport_id}/divisions", v2.DivisionsResponse)


def v1_sport_dates(
    sport_id: int, *, offset: int | None = None, format: str | None = None
) -> Call[v2.Dates]:
    """``GET /api/v1/sports/{sport_id}/dates``: the start times of a sport's events
    (``format``: ``iso8601``, the default, or ``epoch``)."""
    return call(f"{V1}/sports/{sport_id}/dates", v2.Dates, offset=offset, format=format)


def v1_sport_schedule(
    sport_id: int,
    *,
    limit: int | None = None,
    since: Day | None = None,
    team_id: int | None = None,
    last_event_uuid: str | None = None,
    sort: str | None = None,
    season_year: int | None = None,
    season_type_id: int | None = None,
    conference_id: int | None = None,
    division_id: int | None = None,
    include_teams: bool | None = None,
) -> Call[v1.V1ScheduleResponse]:
    """``GET /api/v1/sports/{sport_id}/schedule``: a sport's schedule, keyset-paged (the
    next page after ``last_event_uuid``; ``since`` is the API's ``from``, a day)."""
    return call(
        f"{V1}/sports/{sport_id}/schedule",
        v1.V1ScheduleResponse,
        limit=limit,
        team_id=team_id,
        last_event_uuid=last_event_uuid,
        sort=sort,
        season_year=season_year,
        season_type_id=season_type_id,
        conference_id=conference_id,
        division_id=division_id,
        include_teams=include_teams,
        **{"from": since},
    )


# --------------------------------------------------------------------- events


def v1_sport_events(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    affiliate_ids: Ids | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    conference_id: int | None = None,
    division_id: int | None = None,
    include: Words | None = None,
) -> Call[v1.V1EventsResponse]:
    """``GET /api/v1/sports/{sport_id}/events/{date}``: a day's events with each book's
    lines (``include=["all_periods"]`` adds ``line_periods``)."""
    return call(
        f"{V1}/sports/{sport_id}/events/{path_date(day)}",
        v1.V1EventsResponse,
        offset=offset,
        affiliate_ids=affiliate_ids,
        event_status=event_status,
        exclude_status=exclude_status,
        conference_id=conference_id,
        division_id=division_id,
        include=include,
    )


def v1_sport_openers(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    affiliate_ids: Ids | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    conference_id: int | None = None,
    division_id: int | None = None,
    include: Words | None = None,
) -> Call[v1.V1EventsResponse]:
    """``GET /api/v1/sports/{sport_id}/openers/{date}``: a day's events with each book's
    opening lines."""
    return call(
        f"{V1}/sports/{sport_id}/openers/{path_date(day)}",
        v1.V1EventsResponse,
        offset=offset,
        affiliate_ids=affiliate_ids,
        event_status=event_status,
        exclude_status=exclude_status,
        conference_id=conference_id,
        division_id=division_id,
        include=include,
    )


def v1_sport_closing(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    affiliate_ids: Ids | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    conference_id: int | None = None,
    division_id: int | None = None,
    include: Words | None = None,
) -> Call[v1.V1EventsResponse]:
    """``GET /api/v1/sports/{sport_id}/closing/{date}``: a day's events with each book's
    lines at the scheduled start."""
    return call(
        f"{V1}/sports/{sport_id}/closing/{path_date(day)}",
        v1.V1EventsResponse,
        offset=offset,
        affiliate_ids=affiliate_ids,
        event_status=event_status,
        exclude_status=exclude_status,
        conference_id=conference_id,
        division_id=division_id,
        include=include,
    )


def v1_event(
    event_id: str, *, affiliate_ids: Ids | None = None, include: Words | None = None
) -> Call[v1.V1Event]:
    """``GET /api/v1/events/{event_id}``: one event, not wrapped in ``events``."""
    return call(f"{V1}/events/{event_id}", v1.V1Event, affiliate_ids=affiliate_ids, include=include)


def v1_event_line(event_id: str, line_id: int, *, include: Words | None = None) -> Call[v1.V1Event]:
    """``GET /api/v1/events/{event_id}/lines/{line_id}``: one event with only the book of
    a line."""
    return call(f"{V1}/events/{event_id}/lines/{line_id}", v1.V1Event, include=include)


# ---------------------------------------------------------------------- lines


def v1_line_moneyline(line_id: int, *, include: Words | None = None) -> Call[v1.V1MoneylineHistory]:
    """``GET /api/v1/lines/{line_id}/moneyline``: a line's moneyline history."""
    return call(f"{V1}/lines/{line_id}/moneyline", v1.V1MoneylineHistory, include=include)


def v1_line_spread(line_id: int, *, include: Words | None = None) -> Call[v1.V1SpreadHistory]:
    """``GET /api/v1/lines/{line_id}/spread``: a line's spread history."""
    return call(f"{V1}/lines/{line_id}/spread", v1.V1SpreadHistory, include=include)


def v1_line_total(line_id: int, *, include: Words | None = None) -> Call[v1.V1TotalHistory]:
    """``GET /api/v1/lines/{line_id}/total``: a line's total history."""
    return call(f"{V1}/lines/{line_id}/total", v1.V1TotalHistory, include=include)


def v1_line_team_total(
    line_id: int, *, include: Words | None = None
) -> Call[v1.V1TeamTotalHistory]:
    """``GET /api/v1/lines/{line_id}/team_total``: a line's team-total history."""
    return call(f"{V1}/lines/{line_id}/team_total", v1.V1TeamTotalHistory, include=include)


def v1_lines_best(
    event_ids: Words, *, period: str | None = None, affiliate_ids: Ids | None = None
) -> Call[dict[str, v2.BestLineResponse]]:
    """``GET /api/v1/lines/best``: the best price per side across books, by event id (at
    most 50 events; ``period`` defaults to ``period_full_game``)."""
    return call(
        f"{V1}/lines/best",
        dict[str, v2.BestLineResponse],
        event_ids=event_ids,
        period=period,
        affiliate_ids=affiliate_ids,
    )


# ---------------------------------------------------------------------- delta


def v1_delta(
    last_id: str,
    *,
    sport_id: int | None = None,
    affiliate_ids: Ids | None = None,
    include: Words | None = None,
) -> Call[v1.V1EventsResponse]:
    """``GET /api/v1/delta``: the events changed after a UUID-style cursor, as V1 events."""
    return call(
        f"{V1}/delta",
        v1.V1EventsResponse,
        last_id=last_id,
        sport_id=sport_id,
        affiliate_ids=affiliate_ids,
        include=include,
    )


def v1_delta_v2(
    last_id: str, *, sport_id: int | None = None, affiliate_ids: Ids | None = None
) -> Call[v2.EventDeltaResponse]:
    """``GET /api/v1/deltaV2``: the events changed after a UUID-style cursor, each as a
    JSON string (as :func:`~oddswire.client.endpoints.event_delta`)."""
    return call(
        f"{V1}/deltaV2",
        v2.EventDeltaResponse,
        last_id=last_id,
        sport_id=sport_id,
        affiliate_ids=affiliate_ids,
    )
