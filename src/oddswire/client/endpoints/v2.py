"""TheRundown V2: reference data, sports, teams and players, events, markets, history
and the delta feeds (the odds analytics and hedge routes are in :mod:`.odds`)."""

from __future__ import annotations

from oddswire.client.core import Call, call, path_date
from oddswire.client.endpoints.common import V2, Day, Ids, Moment, Words
from oddswire.wire.therundown import v2_models as v2

# ------------------------------------------------------------------ reference


def sports() -> Call[v2.SportsResponse]:
    """``GET /api/v2/sports``: every sport."""
    return call(f"{V2}/sports", v2.SportsResponse)


def affiliates(*, include: Words | None = None) -> Call[v2.AffiliatesResponse]:
    """``GET /api/v2/affiliates``: every sportsbook (``include=["regions"]`` adds regions)."""
    return call(f"{V2}/affiliates", v2.AffiliatesResponse, include=include)


def sportsbooks(*, include: Words | None = None) -> Call[v2.AffiliatesResponse]:
    """``GET /api/v2/sportsbooks``: every sportsbook (an alias of :func:`affiliates`)."""
    return call(f"{V2}/sportsbooks", v2.AffiliatesResponse, include=include)


def season_types() -> Call[v2.SeasonTypesResponse]:
    """``GET /api/v2/season_types``: every sport's season types."""
    return call(f"{V2}/season_types", v2.SeasonTypesResponse)


def markets() -> Call[list[v2.MarketDefinition]]:
    """``GET /api/v2/markets``: the market catalogue."""
    return call(f"{V2}/markets", list[v2.MarketDefinition])


# ---------------------------------------------------- sports, teams, players


def sport_teams(sport_id: int) -> Call[v2.TeamsResponse]:
    """``GET /api/v2/sports/{sport_id}/teams``: a sport's teams."""
    return call(f"{V2}/sports/{sport_id}/teams", v2.TeamsResponse)


def sport_conferences(sport_id: int) -> Call[v2.ConferencesResponse]:
    """``GET /api/v2/sports/{sport_id}/conferences``: a sport's conferences."""
    return call(f"{V2}/sports/{sport_id}/conferences", v2.ConferencesResponse)


def sport_divisions(sport_id: int) -> Call[v2.DivisionsResponse]:
    """``GET /api/v2/sports/{sport_id}/divisions``: a sport's divisions."""
    return call(f"{V2}/sports/{sport_id}/divisions", v2.DivisionsResponse)


def team(team_id: int) -> Call[v2.TeamsResponse]:
    """``GET /api/v2/teams/{team_id}/``: one team (as a one-item ``teams`` list)."""
    return call(f"{V2}/teams/{team_id}/", v2.TeamsResponse)


def team_players(team_id: int) -> Call[v2.PlayersResponse]:
    """``GET /api/v2/teams/{team_id}/players``: a team's players."""
    return call(f"{V2}/teams/{team_id}/players", v2.PlayersResponse)


def player(player_id: int) -> Call[v2.PlayersResponse]:
    """``GET /api/v2/players/{player_id}``: one player (as a one-item ``players`` list)."""
    return call(f"{V2}/players/{player_id}", v2.PlayersResponse)


# --------------------------------------------------------------------- events


def sport_events(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
    affiliate_ids: Ids | None = None,
    main_line: bool | None = None,
    hide_closed: bool | None = None,
    hide_no_markets: bool | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    include: Words | None = None,
) -> Call[v2.EventsResponse]:
    """``GET /api/v2/sports/{sport_id}/events/{date}``: a day's events with markets and
    prices. ``meta.delta_last_id`` is the cursor for :func:`markets_delta`."""
    return call(
        f"{V2}/sports/{sport_id}/events/{path_date(day)}",
        v2.EventsResponse,
        offset=offset,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
        affiliate_ids=affiliate_ids,
        main_line=main_line,
        hide_closed=hide_closed,
        hide_no_markets=hide_no_markets,
        event_status=event_status,
        exclude_status=exclude_status,
        include=include,
    )


def sport_openers(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
    affiliate_ids: Ids | None = None,
    main_line: bool | None = None,
    hide_closed: bool | None = None,
    hide_no_markets: bool | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    include: Words | None = None,
) -> Call[v2.EventsResponse]:
    """``GET /api/v2/sports/{sport_id}/openers/{date}``: a day's events with the first
    recorded price per line and book."""
    return call(
        f"{V2}/sports/{sport_id}/openers/{path_date(day)}",
        v2.EventsResponse,
        offset=offset,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
        affiliate_ids=affiliate_ids,
        main_line=main_line,
        hide_closed=hide_closed,
        hide_no_markets=hide_no_markets,
        event_status=event_status,
        exclude_status=exclude_status,
        include=include,
    )


def sport_closing(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
    affiliate_ids: Ids | None = None,
    main_line: bool | None = None,
    hide_closed: bool | None = None,
    hide_no_markets: bool | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    include: Words | None = None,
) -> Call[v2.EventsResponse]:
    """``GET /api/v2/sports/{sport_id}/closing/{date}``: a day's events with the last price
    at or before each scheduled start."""
    return call(
        f"{V2}/sports/{sport_id}/closing/{path_date(day)}",
        v2.EventsResponse,
        offset=offset,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
        affiliate_ids=affiliate_ids,
        main_line=main_line,
        hide_closed=hide_closed,
        hide_no_markets=hide_no_markets,
        event_status=event_status,
        exclude_status=exclude_status,
        include=include,
    )


def event(
    event_id: str,
    *,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
    affiliate_ids: Ids | None = None,
    main_line: bool | None = None,
    hide_closed: bool | None = None,
    hide_no_markets: bool | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    include: Words | None = None,
) -> Call[v2.EventsResponse]:
    """``GET /api/v2/events/{event_id}``: one event with its markets."""
    return call(
        f"{V2}/events/{event_id}",
        v2.EventsResponse,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
        affiliate_ids=affiliate_ids,
        main_line=main_line,
        hide_closed=hide_closed,
        hide_no_markets=hide_no_markets,
        event_status=event_status,
        exclude_status=exclude_status,
        include=include,
    )


def event_openers(
    event_id: str,
    *,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
    affiliate_ids: Ids | None = None,
    main_line: bool | None = None,
    hide_closed: bool | None = None,
    hide_no_markets: bool | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    include: Words | None = None,
) -> Call[v2.EventsResponse]:
    """``GET /api/v2/events/{event_id}/openers``: one event with its opening prices."""
    return call(
        f"{V2}/events/{event_id}/openers",
        v2.EventsResponse,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
        affiliate_ids=affiliate_ids,
        main_line=main_line,
        hide_closed=hide_closed,
        hide_no_markets=hide_no_markets,
        event_status=event_status,
        exclude_status=exclude_status,
        include=include,
    )


def event_closing(
    event_id: str,
    *,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
    affiliate_ids: Ids | None = None,
    main_line: bool | None = None,
    hide_closed: bool | None = None,
    hide_no_markets: bool | None = None,
    event_status: Words | None = None,
    exclude_status: Words | None = None,
    include: Words | None = None,
) -> Call[v2.EventsResponse]:
    """``GET /api/v2/events/{event_id}/closing``: one event with its closing prices."""
    return call(
        f"{V2}/events/{event_id}/closing",
        v2.EventsResponse,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
        affiliate_ids=affiliate_ids,
        main_line=main_line,
        hide_closed=hide_closed,
        hide_no_markets=hide_no_markets,
        event_status=event_status,
        exclude_status=exclude_status,
        include=include,
    )


# ------------------------------------------------------------ dates, event ids


def sports_dates(
    *, sport_ids: Ids | None = None, offset: int | None = None, format: str | None = None
) -> Call[dict[str, v2.Dates]]:
    """``GET /api/v2/sports/dates``: the dates with events, by sport id (``format`` is
    ``iso8601``, ``epoch`` or ``date``)."""
    return call(
        f"{V2}/sports/dates", dict[str, v2.Dates], sport_ids=sport_ids, offset=offset, format=format
    )


def sport_dates(
    sport_id: int, *, offset: int | None = None, format: str | None = None
) -> Call[v2.Dates]:
    """``GET /api/v2/sports/{sport_id}/dates``: the dates with events of a sport."""
    return call(f"{V2}/sports/{sport_id}/dates", v2.Dates, offset=offset, format=format)


def sports_events(
    day: Day, *, offset: int | None = None, sport_ids: Ids | None = None
) -> Call[dict[str, list[str]]]:
    """``GET /api/v2/sports/events/{date}``: a day's event ids, by sport id."""
    return call(
        f"{V2}/sports/events/{path_date(day)}",
        dict[str, list[str]],
        offset=offset,
        sport_ids=sport_ids,
    )


# -------------------------------------------------------------------- markets


def sports_markets(
    day: Day,
    *,
    offset: int | None = None,
    sport_ids: Ids | None = None,
    hide_closed_markets: bool | None = None,
    market_ids: Ids | None = None,
) -> Call[dict[str, list[v2.MarketDefinition]]]:
    """``GET /api/v2/sports/markets/{date}``: the markets offered on a day, by sport id."""
    return call(
        f"{V2}/sports/markets/{path_date(day)}",
        dict[str, list[v2.MarketDefinition]],
        offset=offset,
        sport_ids=sport_ids,
        hide_closed_markets=hide_closed_markets,
        market_ids=market_ids,
    )


def sport_markets(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    hide_closed_markets: bool | None = None,
    market_ids: Ids | None = None,
) -> Call[dict[str, list[v2.MarketDefinition]]]:
    """``GET /api/v2/sports/{sport_id}/markets/{date}``: the markets a sport offers on a
    day, by event id."""
    return call(
        f"{V2}/sports/{sport_id}/markets/{path_date(day)}",
        dict[str, list[v2.MarketDefinition]],
        offset=offset,
        hide_closed_markets=hide_closed_markets,
        market_ids=market_ids,
    )


def event_markets(
    event_id: str,
    *,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
) -> Call[list[v2.MarketDefinition]]:
    """``GET /api/v2/events/{event_id}/markets``: an event's market definitions (no prices)."""
    return call(
        f"{V2}/events/{event_id}/markets",
        list[v2.MarketDefinition],
        participant_ids=participant_ids,
        participant_type=participant_type,
    )


def market_participants(
    event_id: str,
    *,
    market_ids: Ids | None = None,
    participant_ids: Ids | None = None,
    participant_type: str | None = None,
) -> Call[v2.ParticipantsResponse]:
    """``GET /api/v2/markets/participants``: the participants of an event's markets."""
    return call(
        f"{V2}/markets/participants",
        v2.ParticipantsResponse,
        event_id=event_id,
        market_ids=market_ids,
        participant_ids=participant_ids,
        participant_type=participant_type,
    )


# -------------------------------------------------------------------- history


def event_markets_history(
    event_id: str,
    *,
    market_ids: Ids | None = None,
    affiliate_ids: Ids | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
    limit: int | None = None,
    main_line: bool | None = None,
) -> Call[v2.HistoryResponse]:
    """``GET /api/v2/events/{event_id}/markets/history``: an event's recorded price
    changes (``since``/``until`` are the API's ``from``/``to``, RFC 3339)."""
    return call(
        f"{V2}/events/{event_id}/markets/history",
        v2.HistoryResponse,
        market_ids=market_ids,
        affiliate_ids=affiliate_ids,
        limit=limit,
        main_line=main_line,
        **{"from": since, "to": until},
    )


def event_markets_opening(
    event_id: str, *, market_ids: Ids | None = None, affiliate_ids: Ids | None = None
) -> Call[v2.OpeningResponse]:
    """``GET /api/v2/events/{event_id}/markets/opening``: the first price per line and book."""
    return call(
        f"{V2}/events/{event_id}/markets/opening",
        v2.OpeningResponse,
        market_ids=market_ids,
        affiliate_ids=affiliate_ids,
    )


def event_market_history(
    event_id: str,
    market_id: int,
    *,
    participant_id: int | None = None,
    line: str | None = None,
    affiliate_ids: Ids | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
    limit: int | None = None,
    main_line: bool | None = None,
) -> Call[v2.SeriesResponse]:
    """``GET /api/v2/events/{event_id}/markets/{market_id}/history``: one market's
    history as a time series per book."""
    return call(
        f"{V2}/events/{event_id}/markets/{market_id}/history",
        v2.SeriesResponse,
        participant_id=participant_id,
        line=line,
        affiliate_ids=affiliate_ids,
        limit=limit,
        main_line=main_line,
        **{"from": since, "to": until},
    )


def markets_history(
    market_line_price_ids: Ids | Words,
    *,
    since: Moment | None = None,
    until: Moment | None = None,
    limit: int | None = None,
    main_line: bool | None = None,
) -> Call[v2.HistoryResponse]:
    """``GET /api/v2/markets/history``: the history of up to 50 prices, by their ids (a
    price's ``id`` in an events response)."""
    return call(
        f"{V2}/markets/history",
        v2.HistoryResponse,
        market_line_price_ids=market_line_price_ids,
        limit=limit,
        main_line=main_line,
        **{"from": since, "to": until},
    )


# ---------------------------------------------------------------------- delta


def markets_delta(
    last_id: int | str,
    *,
    sport_id: int | None = None,
    affiliate_ids: Ids | None = None,
    market_ids: Ids | None = None,
    event_id: str | None = None,
    limit: int | None = None,
) -> Call[v2.MarketsDeltaResponse]:
    """``GET /api/v2/markets/delta``: price changes after an integer cursor (start from
    an events response's ``meta.delta_last_id``; poll again at once while ``has_more``)."""
    return call(
        f"{V2}/markets/delta",
        v2.MarketsDeltaResponse,
        last_id=str(last_id),
        sport_id=sport_id,
        affiliate_ids=affiliate_ids,
        market_ids=market_ids,
        event_id=event_id,
        limit=limit,
    )


def event_delta(
    last_id: str, *, sport_id: int | None = None, affiliate_ids: Ids | None = None
) -> Call[v2.EventDeltaResponse]:
    """``GET /api/v2/delta``: the events changed after a UUID-style cursor, each as a JSON
    string (start from ``00000000-0000-0000-0000-000000000000``, then the last ``meta``)."""
    return call(
        f"{V2}/delta",
        v2.EventDeltaResponse,
        last_id=last_id,
        sport_id=sport_id,
        affiliate_ids=affiliate_ids,
    )
