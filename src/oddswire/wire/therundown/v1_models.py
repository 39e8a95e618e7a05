"""TheRundown V1 (legacy, line-based) response shapes as typed structs (reference §1.2, §2.6).

Field for field after TheRundown's own OpenAPI (``V1Event``, ``V1Line``, ``V1Moneyline``...)
and its recorded 2021 responses. Shapes only V1 has carry a ``V1`` prefix, so their
OpenAPI components cannot collide with V2 ones; shapes V1 shares with V2 (score, schedule,
conferences, best line, meta) are the V2 structs themselves. Every V1 number field is a
number, and 0.0001 means off the board or missing.
"""

from __future__ import annotations

import msgspec
from msgspec import UNSET, UnsetType

from oddswire.wire.therundown import v2_models as v2

Number = int | float


class _Shape(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Base of every V1 shape: optional fields are omitted when not set."""


# ------------------------------------------------------------------ reference

V1SportsResponse = v2.SportsResponse
V1SeasonTypesResponse = v2.SeasonTypesResponse
V1ConferencesResponse = v2.ConferencesResponse
V1DivisionsResponse = v2.DivisionsResponse
V1Dates = v2.Dates


class V1Affiliate(_Shape, kw_only=True):
    affiliate_id: int
    affiliate_name: str
    affiliate_url: str
    regions: list[v2.Region] | UnsetType = UNSET


class V1AffiliatesResponse(_Shape, kw_only=True):
    affiliates: list[V1Affiliate]


class V1Team(_Shape, kw_only=True):
    team_id: int
    name: str
    mascot: str
    abbreviation: str
    record: str | UnsetType = UNSET


class V1TeamsResponse(_Shape, kw_only=True):
    teams: list[V1Team]


# ---------------------------------------------------------------------- lines


class V1Moneyline(_Shape, kw_only=True):
    line_id: int
    moneyline_away: Number
    moneyline_away_delta: Number
    moneyline_home: Number
    moneyline_home_delta: Number
    moneyline_draw: Number
    moneyline_draw_delta: Number
    date_updated: str | None
    format: str


class V1Spread(_Shape, kw_only=True):
    line_id: int
    event_id: str
    affiliate_id: int
    point_spread_away: Number
    point_spread_away_delta: Number
    point_spread_home: Number
    point_spread_home_delta: Number
    point_spread_away_money: Number
    point_spread_away_money_delta: Number
    point_spread_home_money: Number
    point_spread_home_money_delta: Number
    date_updated: str | None
    format: str
    extended_spreads: list[V1Spread] | UnsetType = UNSET


class V1Total(_Shape, kw_only=True):
    line_id: int
    event_id: str
    affiliate_id: int
    total_over: Number
    total_over_delta: Number
    total_under: Number
    total_under_delta: Number
    total_over_money: Number
    total_over_money_delta: Number
    total_under_money: Number
    total_under_money_delta: Number
    date_updated: str | None
    format: str
    extended_totals: list[V1Total] | UnsetType = UNSET


class V1TeamTotal(_Shape, kw_only=True):
    line_id: int
    event_id: str
    affiliate_id: int
    team_total_away_over: Number
    team_total_away_over_delta: Number
    team_total_away_under: Number
    team_total_away_under_delta: Number
    team_total_home_over: Number
    team_total_home_over_delta: Number
    team_total_home_under: Number
    team_total_home_under_delta: Number
    team_total_away_over_money: Number
    team_total_away_over_money_delta: Number
    team_total_away_under_money: Number
    team_total_away_under_money_delta: Number
    team_total_home_over_money: Number
    team_total_home_over_money_delta: Number
    team_total_home_under_money: Number
    team_total_home_under_money_delta: Number
    date_updated: str | None
    format: str


class V1Line(_Shape, kw_only=True):
    """One book's lines of one event in one period; ``period_id`` is omitted for the full game."""

    line_id: int
    moneyline: V1Moneyline
    spread: V1Spread
    total: V1Total
    team_total: V1TeamTotal | UnsetType = UNSET
    affiliate: V1Affiliate
    period_id: int | UnsetType = UNSET
    period_description: str


class V1LinePeriods(_Shape, kw_only=True):
    """A book's lines keyed by V1 period name (reference §3.4)."""

    period_full_game: V1Line | UnsetType = UNSET
    period_first_half: V1Line | UnsetType = UNSET
    period_second_half: V1Line | UnsetType = UNSET
    period_first_period: V1Line | UnsetType = UNSET
    period_second_period: V1Line | UnsetType = UNSET
    period_third_period: V1Line | UnsetType = UNSET
    period_fourth_period: V1Line | UnsetType = UNSET
    period_live_full_game: V1Line | UnsetType = UNSET
    period_live_first_half: V1Line | UnsetType = UNSET
    period_live_second_half: V1Line | UnsetType = UNSET
    period_live_first_period: V1Line | UnsetType = UNSET
    period_live_second_period: V1Line | UnsetType = UNSET
    period_live_third_period: V1Line | UnsetType = UNSET
    period_live_fourth_period: V1Line | UnsetType = UNSET


# --------------------------------------------------------------------- events


class V1EventTeam(_Shape, kw_only=True):
    """``teams[]``: TheRundown's book-specific team id; ours is the canonical one."""

    team_id: int
    team_normalized_id: int
    name: str
    is_away: bool
    is_home: bool


class V1TeamNormalized(_Shape, kw_only=True):
    team_id: int
    name: str
    mascot: str
    abbreviation: str
    ranking: int | UnsetType = UNSET
    record: str | UnsetType = UNSET
    is_away: bool
    is_home: bool
    conference: v2.Conference | UnsetType = UNSET
    division: v2.Division | UnsetType = UNSET


class V1Event(_Shape, kw_only=True):
    event_id: str
    event_uuid: str
    sport_id: int
    event_date: str
    rotation_number_away: int
    rotation_number_home: int
    score: v2.Score
    teams: list[V1EventTeam]
    teams_normalized: list[V1TeamNormalized]
    schedule: v2.Schedule
    lines: dict[str, V1Line]
    line_periods: dict[str, V1LinePeriods] | UnsetType = UNSET


class V1EventsResponse(_Shape, kw_only=True):
    meta: v2.Meta
    events: list[V1Event]


V1DeltaV2Response = v2.EventDeltaResponse
V1BestLinesResponse = dict[str, v2.BestLineResponse]


# ------------------------------------------------------------------- schedule


class V1ScheduledEvent(_Shape, kw_only=True):
    """A row of ``/sports/{id}/schedule`` (reference §2.9)."""

    id: str
    event_uuid: str
    event_id: str
    sport_id: int
    season_type: str
    season_year: int
    away_team_id: int
    home_team_id: int
    away_team: str
    home_team: str
    date_event: str
    neutral_site: bool
    conference_competition: bool
    away_score: int
    home_score: int
    league_name: str
    event_name: str
    broadcast: str | UnsetType = UNSET
    event_location: str
    attendance: str
    updated_at: str
    event_status: str
    event_status_detail: str
    teams: list[V1TeamNormalized] | UnsetType = UNSET


class V1ScheduleResponse(_Shape, kw_only=True):
    schedules: list[V1ScheduledEvent]


# -------------------------------------------------------------- line history


class V1MoneylineHistory(_Shape, kw_only=True):
    """Newest first; ``moneyline_periods`` (by period name) with ``include=all_periods``."""

    moneylines: list[V1Moneyline] | UnsetType = UNSET
    moneyline_periods: dict[str, list[V1Moneyline]] | UnsetType = UNSET


class V1SpreadHistory(_Shape, kw_only=True):
    spreads: list[V1Spread] | UnsetType = UNSET
    spread_periods: dict[str, list[V1Spread]] | UnsetType = UNSET


class V1TotalHistory(_Shape, kw_only=True):
    totals: list[V1Total] | UnsetType = UNSET
    total_periods: dict[str, list[V1Total]] | UnsetType = UNSET


class V1TeamTotalHistory(_Shape, kw_only=True):
    team_totals: list[V1TeamTotal] | UnsetType = UNSET
    team_total_periods: dict[str, list[V1TeamTotal]] | UnsetType = UNSET
