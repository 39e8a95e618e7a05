"""V2 odds analytics: best lines, steamers and outliers, and the hedge (arbitrage and
other opportunities) routes."""

from __future__ import annotations

from oddswire.client.core import Call, call, path_date
from oddswire.client.endpoints.common import V2, Day, Ids, Words
from oddswire.wire.therundown import odds_rows
from oddswire.wire.therundown import v2_models as v2

# ----------------------------------------------------------------- best lines


def event_best_line(
    event_id: str, *, period: str | None = None, affiliate_ids: Ids | None = None
) -> Call[v2.BestLineResponse]:
    """``GET /api/v2/events/{event_id}/best-line``: the best price per side across books
    for a V1 period (default ``period_full_game``)."""
    return call(
        f"{V2}/events/{event_id}/best-line",
        v2.BestLineResponse,
        period=period,
        affiliate_ids=affiliate_ids,
    )


def event_odds_best_line(
    event_id: str,
    market_id: int,
    *,
    period_id: int | None = None,
    participant_id: int | None = None,
    participant_type: int | str | None = None,
    market_participant_id: int | None = None,
    side: str | None = None,
    line: str | None = None,
    include_alternates: bool | None = None,
    affiliate_ids: Ids | None = None,
    limit: int | None = None,
) -> Call[odds_rows.BestLinesResponse]:
    """``GET /api/v2/events/{event_id}/odds/best-line``: the best open price per selection
    of an event's market, with the alternatives."""
    return call(
        f"{V2}/events/{event_id}/odds/best-line",
        odds_rows.BestLinesResponse,
        market_id=market_id,
        period_id=period_id,
        participant_id=participant_id,
        participant_type=participant_type,
        market_participant_id=market_participant_id,
        side=side,
        line=line,
        include_alternates=include_alternates,
        affiliate_ids=affiliate_ids,
        limit=limit,
    )


def odds_best_line(
    event_id: str,
    market_id: int,
    *,
    period_id: int | None = None,
    participant_id: int | None = None,
    participant_type: int | str | None = None,
    market_participant_id: int | None = None,
    side: str | None = None,
    line: str | None = None,
    include_alternates: bool | None = None,
    affiliate_ids: Ids | None = None,
    limit: int | None = None,
) -> Call[odds_rows.BestLinesResponse]:
    """``GET /api/v2/odds/best-line``: :func:`event_odds_best_line` with the event in the
    query."""
    return call(
        f"{V2}/odds/best-line",
        odds_rows.BestLinesResponse,
        event_id=event_id,
        market_id=market_id,
        period_id=period_id,
        participant_id=participant_id,
        participant_type=participant_type,
        market_participant_id=market_participant_id,
        side=side,
        line=line,
        include_alternates=include_alternates,
        affiliate_ids=affiliate_ids,
        limit=limit,
    )


def sport_odds_best_lines(
    sport_id: int,
    day: Day,
    market_id: int,
    *,
    offset: int | None = None,
    period_id: int | None = None,
    participant_id: int | None = None,
    participant_type: int | str | None = None,
    market_participant_id: int | None = None,
    side: str | None = None,
    line: str | None = None,
    include_alternates: bool | None = None,
    affiliate_ids: Ids | None = None,
    include_all: bool | None = None,
    all_limit: int | None = None,
    sample_limit: int | None = None,
    limit: int | None = None,
) -> Call[odds_rows.BestLinesResponse]:
    """``GET /api/v2/sports/{sport_id}/odds/best-lines/{date}``: the best open price per
    selection of a market, for every event of a day."""
    return call(
        f"{V2}/sports/{sport_id}/odds/best-lines/{path_date(day)}",
        odds_rows.BestLinesResponse,
        offset=offset,
        market_id=market_id,
        period_id=period_id,
        participant_id=participant_id,
        participant_type=participant_type,
        market_participant_id=market_participant_id,
        side=side,
        line=line,
        include_alternates=include_alternates,
        affiliate_ids=affiliate_ids,
        include_all=include_all,
        all_limit=all_limit,
        sample_limit=sample_limit,
        limit=limit,
    )


# ------------------------------------------------------------------- steamers


def sport_odds_steamers(
    sport_id: int,
    day: Day,
    *,
    offset: int | None = None,
    window_minutes: int | None = None,
    affiliate_ids: Ids | None = None,
    limit: int | None = None,
) -> Call[odds_rows.SteamersResponse]:
    """``GET /api/v2/sports/{sport_id}/odds/steamers/{date}``: the prices that moved most
    within the last ``window_minutes``."""
    return call(
        f"{V2}/sports/{sport_id}/odds/steamers/{path_date(day)}",
        odds_rows.SteamersResponse,
        offset=offset,
        window_minutes=window_minutes,
        affiliate_ids=affiliate_ids,
        limit=limit,
    )


def odds_steamers(
    sport_id: int,
    date: Day,
    *,
    offset: int | None = None,
    window_minutes: int | None = None,
    affiliate_ids: Ids | None = None,
    limit: int | None = None,
) -> Call[odds_rows.SteamersResponse]:
    """``GET /api/v2/odds/steamers``: :func:`sport_odds_steamers` with the sport and day
    in the query."""
    return call(
        f"{V2}/odds/steamers",
        odds_rows.SteamersResponse,
        sport_id=sport_id,
        date=date,
        offset=offset,
        window_minutes=window_minutes,
        affiliate_ids=affiliate_ids,
        limit=limit,
    )


# ------------------------------------------------------------------- outliers


def sport_odds_outliers(
    sport_id: int,
    day: Day,
    affiliate_id: int,
    *,
    offset: int | None = None,
    min_peers: int | None = None,
    sample_limit: int | None = None,
    affiliate_ids: Ids | None = None,
    limit: int | None = None,
) -> Call[odds_rows.OutliersResponse]:
    """``GET /api/v2/sports/{sport_id}/odds/outliers/{date}``: one book's prices furthest
    from the other books' consensus (``affiliate_ids`` are the peers)."""
    return call(
        f"{V2}/sports/{sport_id}/odds/outliers/{path_date(day)}",
        odds_rows.OutliersResponse,
        affiliate_id=affiliate_id,
        offset=offset,
        min_peers=min_peers,
        sample_limit=sample_limit,
        affiliate_ids=affiliate_ids,
        limit=limit,
    )


def odds_outliers(
    sport_id: int,
    date: Day,
    affiliate_id: int,
    *,
    offset: int | None = None,
    min_peers: int | None = None,
    sample_limit: int | None = None,
    affiliate_ids: Ids | None = None,
    limit: int | None = None,
) -> Call[odds_rows.OutliersResponse]:
    """``GET /api/v2/odds/outliers``: :func:`sport_odds_outliers` with the sport and day
    in the query."""
    return call(
        f"{V2}/odds/outliers",
        odds_rows.OutliersResponse,
        sport_id=sport_id,
        date=date,
        affiliate_id=affiliate_id,
        offset=offset,
        min_peers=min_peers,
        sample_limit=sample_limit,
        affiliate_ids=affiliate_ids,
        limit=limit,
    )


# ---------------------------------------------------------------------- hedge


def hedge(
    *,
    type: Words | None = None,
    min_percent: float | None = None,
    limit: int | None = None,
    offset: int | None = None,
    sort: str | None = None,
    event_id: str | None = None,
    market_id: int | None = None,
    affiliate_ids: Ids | None = None,
    include_closed: bool | None = None,
    include_live: bool | None = None,
) -> Call[odds_rows.HedgesResponse]:
    """``GET /api/v2/hedge``: open opportunities across books (``type``: ``2ways``
    (default), ``mainlines``, ``props``, ``3ways``, ``middles``, ``posev``, ``steam``,
    ``outliers``), best ``profit_pct`` first unless ``sort="asc"``."""
    return call(
        f"{V2}/hedge",
        odds_rows.HedgesResponse,
        type=type,
        min_percent=min_percent,
        limit=limit,
        offset=offset,
        sort=sort,
        event_id=event_id,
        market_id=market_id,
        affiliate_ids=affiliate_ids,
        include_closed=include_closed,
        include_live=include_live,
    )


def hedge_top(
    *,
    type: Words | None = None,
    min_percent: float | None = None,
    limit: int | None = None,
    offset: int | None = None,
    sort: str | None = None,
    event_id: str | None = None,
    market_id: int | None = None,
    affiliate_ids: Ids | None = None,
    include_closed: bool | None = None,
    include_live: bool | None = None,
) -> Call[odds_rows.HedgesResponse]:
    """``GET /api/v2/hedge/top``: the best opportunity of each event (filters as
    :func:`hedge`)."""
    return call(
        f"{V2}/hedge/top",
        odds_rows.HedgesResponse,
        type=type,
        min_percent=min_percent,
        limit=limit,
        offset=offset,
        sort=sort,
        event_id=event_id,
        market_id=market_id,
        affiliate_ids=affiliate_ids,
        include_closed=include_closed,
        include_live=include_live,
    )


def hedge_event(
    event_id: str,
    *,
    type: Words | None = None,
    min_percent: float | None = None,
    limit: int | None = None,
    offset: int | None = None,
    sort: str | None = None,
    market_id: int | None = None,
    affiliate_ids: Ids | None = None,
    include_closed: bool | None = None,
    include_live: bool | None = None,
) -> Call[odds_rows.HedgesResponse]:
    """``GET /api/v2/hedge/event/{event_id}``: one event's opportunities (filters as
    :func:`hedge`)."""
    return call(
        f"{V2}/hedge/event/{event_id}",
        odds_rows.HedgesResponse,
        type=type,
        min_percent=min_percent,
        limit=limit,
        offset=offset,
        sort=sort,
        market_id=market_id,
        affiliate_ids=affiliate_ids,
        include_closed=include_closed,
        include_live=include_live,
    )


def hedge_by_id(hedge_id: str, *, type: Words | None = None) -> Call[odds_rows.HedgeResponse]:
    """``GET /api/v2/hedge/{hedge_id}``: one opportunity, open or recently closed."""
    return call(f"{V2}/hedge/{hedge_id}", odds_rows.HedgeResponse, type=type)
