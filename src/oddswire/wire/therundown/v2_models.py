"""TheRundown V2 response shapes as typed structs (reference §1.1, §2).

Handlers build these and encode them with msgspec; ``/openapi.json`` is generated from
the same types, so what is documented is what is sent. Optional fields default to
UNSET or None and are left out of the JSON, as TheRundown leaves them out.
"""

from __future__ import annotations

import msgspec
from msgspec import UNSET, UnsetType

Price = int | float  # American odds: an integer when whole; 0.0001 when off the board


class _Shape(msgspec.Struct, omit_defaults=True, kw_only=True):
    """Base of every V2 shape: optional fields are omitted when not set."""


# ------------------------------------------------------------------ reference


class Sport(_Shape, kw_only=True):
    sport_id: int
    sport_name: str


class SportsResponse(_Shape, kw_only=True):
    sports: list[Sport]


class Region(_Shape, kw_only=True):
    id: int
    name: str


class Affiliate(_Shape, kw_only=True):
    affiliate_id: int
    affiliate_name: str
    affiliate_url: str
    status: str | UnsetType = UNSET
    regions: list[Region] | UnsetType = UNSET


class AffiliatesResponse(_Shape, kw_only=True):
    affiliates: list[Affiliate]


class SeasonType(_Shape, kw_only=True):
    sport_id: int
    sport_name: str
    season_type_id: int
    season_type_name: str


class SeasonTypesResponse(_Shape, kw_only=True):
    season_types: list[SeasonType]


class Conference(_Shape, kw_only=True):
    conference_id: int
    sport_id: int
    name: str


class Division(_Shape, kw_only=True):
    division_id: int
    conference_id: int
    sport_id: int
    name: str


class ConferencesResponse(_Shape, kw_only=True):
    conferences: list[Conference]


class DivisionsResponse(_Shape, kw_only=True):
    divisions: list[Division]


class Team(_Shape, kw_only=True):
    team_id: int
    name: str
    mascot: str
    abbreviation: str
    record: str | UnsetType = UNSET
    ranking: int | UnsetType = UNSET
    conference: Conference | UnsetType = UNSET
    division: Division | UnsetType = UNSET


class TeamsResponse(_Shape, kw_only=True):
    teams: list[Team]


class Player(_Shape, kw_only=True):
    id: int
    sport_id: int
    team_id: int
    first_name: str
    last_name: str
    display_name: str
    position: str
    position_abbreviation: str
    jersey: str
    active: bool = True


class PlayersResponse(_Shape, kw_only=True):
    players: list[Player]


class Dates(_Shape, kw_only=True):
    dates: list[str | int]


class MarketDefinition(_Shape, kw_only=True):
    id: int
    name: str
    description: str
    short_description: str
    line_value_is_participant: bool
    proposition: bool
    period_id: int
    live_variant_id: int | None = None
    live: bool
    sports: list[int]
    updated_at: str


# --------------------------------------------------------------------- events


class Meta(_Shape, kw_only=True):
    delta_last_id: str


class Score(_Shape, kw_only=True):
    event_id: str
    event_status: str
    event_status_detail: str
    score_away: int
    score_home: int
    winner_away: int
    winner_home: int
    score_away_by_period: list[int]
    score_home_by_period: list[int]
    venue_name: str
    venue_location: str
    game_clock: int
    display_clock: str
    game_period: int
    broadcast: str
    updated_at: str
    team_id_away: int | UnsetType = UNSET
    team_id_home: int | UnsetType = UNSET


class EventTeam(Team, kw_only=True):
    is_away: bool
    is_home: bool


class Schedule(_Shape, kw_only=True):
    league_name: str
    event_name: str
    season_type: str
    season_year: int
    attendance: str
    conference_competition: bool | UnsetType = UNSET
    conference_name: str | UnsetType = UNSET
    week: int | UnsetType = UNSET
    week_name: str | UnsetType = UNSET


class LinePrice(_Shape, kw_only=True):
    id: str
    price: Price
    price_delta: Price | UnsetType = UNSET
    is_main_line: bool
    updated_at: str
    closed_at: str | UnsetType = UNSET


class Line(_Shape, kw_only=True):
    id: str
    value: str
    prices: dict[str, LinePrice]


class Participant(_Shape, kw_only=True):
    id: int
    type: str
    name: str
    lines: list[Line]


class Market(_Shape, kw_only=True):
    id: int
    market_id: int
    period_id: int
    name: str
    market_description: str
    participants: list[Participant]


class Event(_Shape, kw_only=True):
    event_id: str
    event_uuid: str
    sport_id: int
    event_date: str
    rotation_number_away: int
    rotation_number_home: int
    score: Score
    teams: list[EventTeam]
    schedule: Schedule
    markets: list[Market]


class EventsResponse(_Shape, kw_only=True):
    meta: Meta | None
    events: list[Event]


# ---------------------------------------------------------------- delta feeds


class DeltaMeta(_Shape, kw_only=True):
    delta_last_id: str
    count: int
    has_more: bool


class DeltaRow(_Shape, kw_only=True):
    id: int
    event_id: str
    sport_id: int
    affiliate_id: int
    market_id: int
    market_name: str
    period_id: int
    participant_id: int
    participant_type: str
    participant_name: str
    line: str
    price: str
    previous_price: str | None
    change_type: str
    is_main_line: bool
    closed_at: str | UnsetType = UNSET
    updated_at: str


class MarketsDeltaResponse(_Shape, kw_only=True):
    meta: DeltaMeta
    deltas: list[DeltaRow]


class EventDelta(_Shape, kw_only=True):
    data: str


class EventDeltaResponse(_Shape, kw_only=True):
    meta: Meta
    deltas: list[EventDelta]


# -------------------------------------------------------------------- history


class HistoryMeta(_Shape, kw_only=True):
    event_id: str | UnsetType = UNSET
    count: int


class HistoryRow(_Shape, kw_only=True):
    id: int
    market_line_price_id: str
    event_id: str
    sport_id: int
    affiliate_id: int
    market_participant_id: int
    market_id: int
    period_id: int
    line: str
    price: str
    previous_price: str | None
    change_type: str
    closed_at: str | UnsetType = UNSET
    is_main_line: bool
    updated_at: str


class HistoryResponse(_Shape, kw_only=True):
    meta: HistoryMeta
    history: list[HistoryRow]


class SeriesPoint(_Shape, kw_only=True):
    t: str
    p: str
    c: str | UnsetType = UNSET
    m: bool | UnsetType = UNSET


class SeriesBook(_Shape, kw_only=True):
    affiliate_name: str
    data: list[SeriesPoint]


class SeriesMeta(_Shape, kw_only=True):
    event_id: str
    market_id: int
    market_name: str


class SeriesResponse(_Shape, kw_only=True):
    meta: SeriesMeta
    series: dict[str, SeriesBook]


class OpeningPrice(_Shape, kw_only=True):
    price: str
    timestamp: str


class OpeningLine(_Shape, kw_only=True):
    participant_id: int
    participant_type: str
    participant_name: str
    prices: dict[str, OpeningPrice]


class OpeningMarket(_Shape, kw_only=True):
    market_id: int
    market_name: str
    lines: dict[str, OpeningLine]


class OpeningResponse(_Shape, kw_only=True):
    meta: HistoryMeta
    markets: dict[str, OpeningMarket]


class MarketParticipant(_Shape, kw_only=True):
    id: int
    market_id: int
    type: str
    name: str
    team_id: int | UnsetType = UNSET


class ParticipantsResponse(_Shape, kw_only=True):
    participants: list[MarketParticipant]


# ------------------------------------------------------------------ best line


class BestAffiliate(_Shape, kw_only=True):
    affiliate_id: int
    affiliate_name: str
    updated_at: str


class BestMoneyline(_Shape, kw_only=True):
    """Best price per side across books (None when no book has that side open)."""

    moneyline_home: Price | None
    moneyline_away: Price | None
    moneyline_draw: Price | UnsetType | None = UNSET
    best_affiliate_home: BestAffiliate | None
    best_affiliate_away: BestAffiliate | None
    best_affiliate_draw: BestAffiliate | UnsetType | None = UNSET


class BestSpread(_Shape, kw_only=True):
    point_spread_home: float | None
    point_spread_away: float | None
    point_spread_home_money: Price | None
    point_spread_away_money: Price | None
    best_affiliate_home: BestAffiliate | None
    best_affiliate_away: BestAffiliate | None


class BestTotal(_Shape, kw_only=True):
    total_over: float | None
    total_under: float | None
    total_over_money: Price | None
    total_under_money: Price | None
    best_affiliate_over: BestAffiliate | None
    best_affiliate_under: BestAffiliate | None


class BestLinePeriod(_Shape, kw_only=True):
    moneyline: BestMoneyline
    spread: BestSpread
    total: BestTotal


class BestLineResponse(_Shape, kw_only=True):
    event_id: str
    moneyline: BestMoneyline
    spread: BestSpread
    total: BestTotal
    periods: dict[str, BestLinePeriod] | UnsetType = UNSET


class ErrorResponse(_Shape, kw_only=True):
    error: str
