"""TheRundown's payloads as the source reads them: lenient structs.

:mod:`oddswire.wire.therundown.v2_models` describes what this hub *writes* (every field
required). Reading TheRundown itself must be more forgiving: its price objects may
lack ``id``, its delta rows and stream records lack ``period_id`` and
``is_main_line``, ``meta`` may be null and numbers sometimes arrive as strings. So
every field here that TheRundown might leave out has a default, and lists of events,
markets and rows are kept as raw JSON to be decoded one by one: one malformed event
or row is skipped (and reported) without losing the rest of the response.
"""

from __future__ import annotations

import msgspec

Number = int | float
#: A price or line as TheRundown may write it: a number in events, text in rows.
Loose = str | int | float | None


class _Lenient(msgspec.Struct, kw_only=True):
    """Unknown fields are ignored (msgspec's default); missing ones take defaults."""


# --------------------------------------------------------------------- events


class Price(_Lenient, kw_only=True):
    price: Loose = None
    is_main_line: bool | None = None
    updated_at: str | None = None
    closed_at: str | None = None


class Line(_Lenient, kw_only=True):
    value: Loose = ""
    prices: dict[str, Price] = {}


class Participant(_Lenient, kw_only=True):
    id: int = 0
    type: str | int | None = None
    name: str | None = ""
    lines: list[Line] = []


class Market(_Lenient, kw_only=True):
    market_id: int
    period_id: int | None = None
    participants: list[Participant] = []


class Team(_Lenient, kw_only=True):
    team_id: int = 0
    name: str | None = ""
    mascot: str | None = ""
    abbreviation: str | None = ""
    is_away: bool | None = None
    is_home: bool | None = None


class Score(_Lenient, kw_only=True):
    event_status: str | None = None
    event_status_detail: str | None = None
    score_away: int | None = None
    score_home: int | None = None
    winner_away: int | bool | None = None
    winner_home: int | bool | None = None
    score_away_by_period: list[int] | None = None
    score_home_by_period: list[int] | None = None
    venue_name: str | None = None
    venue_location: str | None = None
    game_clock: int | None = None
    display_clock: str | None = None
    game_period: int | None = None
    broadcast: str | None = None
    updated_at: str | None = None


class Schedule(_Lenient, kw_only=True):
    league_name: str | None = None
    event_name: str | None = None
    season_type: str | None = None
    season_year: int | None = None
    attendance: str | int | None = None
    week: int | None = None


class Event(_Lenient, kw_only=True):
    event_id: str
    sport_id: int
    event_date: str
    event_uuid: str | None = None
    rotation_number_away: int | None = None
    rotation_number_home: int | None = None
    score: Score | None = None
    teams: list[Team] = []
    schedule: Schedule | None = None
    markets: list[msgspec.Raw] | None = None


class EventsMeta(_Lenient, kw_only=True):
    delta_last_id: str | int | None = None


class EventsEnvelope(_Lenient, kw_only=True):
    """``{meta: {delta_last_id}, events: [...]}`` (events, one event, openers...)."""

    meta: EventsMeta | None = None
    events: list[msgspec.Raw] | None = None


# ---------------------------------------------------------------- delta, stream


class DeltaMeta(_Lenient, kw_only=True):
    delta_last_id: str | int
    count: int | None = None
    has_more: bool = False


class DeltaEnvelope(_Lenient, kw_only=True):
    meta: DeltaMeta
    deltas: list[msgspec.Raw] | None = None


class DeltaRow(_Lenient, kw_only=True):
    """A ``markets/delta`` row (reference §2.3)."""

    id: int | None = None
    event_id: str
    sport_id: int | None = None
    affiliate_id: int
    market_id: int
    period_id: int | None = None
    participant_id: int
    participant_type: str | int | None = None
    participant_name: str | None = None
    line: Loose = ""
    price: Loose = None
    change_type: str | None = None
    is_main_line: bool | None = None
    closed_at: str | None = None
    updated_at: str | None = None


class StreamMeta(_Lenient, kw_only=True):
    type: str | None = None


class StreamMessage(_Lenient, kw_only=True):
    """A ``/api/v2/ws/markets`` message: ``market_price`` or ``heartbeat`` (§4.2)."""

    meta: StreamMeta | None = None
    #: Empty when absent (msgspec's Raw cannot be optional).
    data: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)


class StreamPrice(_Lenient, kw_only=True):
    """The flat ``data`` of a ``market_price`` message (reference §4.2)."""

    id: int | None = None
    event_id: str
    sport_id: int | None = None
    affiliate_id: int
    market_id: int
    period_id: int | None = None
    normalized_market_participant_id: int
    normalized_market_participant_type: int | str | None = None
    line: Loose = ""
    price: Loose = None
    is_main_line: bool | None = None
    closed: bool | None = None
    closed_at: str | None = None
    updated_at: str | None = None


# ----------------------------------------------------------------- reference


class MarketDefinition(_Lenient, kw_only=True):
    id: int
    name: str | None = None
    period_id: int | None = None
    live_variant_id: int | None = None


class Affiliate(_Lenient, kw_only=True):
    affiliate_id: int
    affiliate_name: str | None = None


class AffiliatesEnvelope(_Lenient, kw_only=True):
    affiliates: list[msgspec.Raw]


__all__ = [
    "Affiliate",
    "AffiliatesEnvelope",
    "DeltaEnvelope",
    "DeltaMeta",
    "DeltaRow",
    "Event",
    "EventsEnvelope",
    "EventsMeta",
    "Line",
    "Market",
    "MarketDefinition",
    "Participant",
    "Price",
    "Schedule",
    "Score",
    "StreamMessage",
    "StreamPrice",
    "Team",
]
