"""Small conversions from TheRundown's wire values to the upstream model.

Teams are named as TheRundown writes them: its ``Team`` has the city in ``name`` and the
nickname in ``mascot`` (``"Boston"`` + ``"Celtics"``), the market participants the full
name; the resolver gets the full name. Prices go through
:func:`oddswire.wire.therundown.read.american` (the 0.0001 sentinel is off the board);
a price of exactly 0, which no book quotes, is treated as off the board too (TheRundown's
own MCP drops it). Line values are made canonical (``"-4.50"`` -> ``"-4.5"``,
moneylines ``""`` even where TheRundown writes ``"0"``).
"""

from __future__ import annotations

import math

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.model.lines import format_number, format_side, parse_line
from oddswire.sources.therundown import payloads as wire
from oddswire.wire.therundown import read
from oddswire.wire.therundown import v2_models as v2

_KINDS = {
    "TYPE_TEAM": ParticipantType.TEAM,
    "TYPE_PLAYER": ParticipantType.PLAYER,
    "TYPE_RESULT": ParticipantType.RESULT,
    "TEAM": ParticipantType.TEAM,
    "PLAYER": ParticipantType.PLAYER,
    "RESULT": ParticipantType.RESULT,
}


def team_name(team: wire.Team) -> str:
    """``"Boston"`` + ``"Celtics"`` -> ``"Boston Celtics"`` (a name that already ends
    with the mascot, as some leagues' do, is kept as it is)."""
    name = (team.name or "").strip()
    mascot = (team.mascot or "").strip()
    if not mascot or name.endswith(mascot):
        return name
    if not name:
        return mascot
    return f"{name} {mascot}"


def home_and_away(teams: list[wire.Team]) -> tuple[wire.Team, wire.Team] | None:
    """(home, away) by the ``is_home``/``is_away`` flags, else by position
    (``teams[0]`` away, ``teams[1]`` home, as TheRundown orders them)."""
    home = next((t for t in teams if t.is_home), None)
    away = next((t for t in teams if t.is_away), None)
    if home is None or away is None or home is away:
        if len(teams) != 2:
            return None
        away, home = teams
    return home, away


def participant_kind(value: str | int | None) -> ParticipantType | None:
    """``"TYPE_TEAM"`` (REST) or ``1`` (the stream's integer form) -> the type."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        try:
            return ParticipantType(value)
        except ValueError:
            return None
    return _KINDS.get(value.strip().upper())


def line_value(raw: wire.Loose, market_kind: str | None) -> str:
    """A line value as the model writes it (see the module docstring)."""
    if market_kind == "moneyline" or raw is None or isinstance(raw, bool):
        return ""
    if isinstance(raw, (int, float)):
        return format_number(float(raw))
    text = raw.strip()
    side, number = parse_line(text)
    if number is None:
        return text
    if side is not None:
        return format_side(side, number)
    return format_number(number)


def price_of(raw: wire.Loose) -> tuple[float, PriceStatus]:
    """(American price, status); ValueError for a price that is not a number."""
    if isinstance(raw, bool):
        raise ValueError(f"price {raw!r} is not a number")
    try:
        price, status = read.american(raw)
    except (OverflowError, ValueError):
        raise ValueError(f"price {str(raw)[:40]!r} is not a number") from None
    if not math.isfinite(price):
        raise ValueError(f"price {str(raw)[:40]!r} is not a number")
    if status == PriceStatus.OPEN and price == 0.0:
        return 0.0, PriceStatus.OFF_BOARD
    return price, status


def to_v2(event: wire.Event, home: wire.Team, away: wire.Team) -> v2.Event:
    """The strict V2 shape :func:`oddswire.wire.therundown.read.event` reads (its score
    and status, schedule and rotation numbers), defaults where TheRundown left a field
    out."""
    s = event.score or wire.Score()
    schedule = event.schedule or wire.Schedule()
    out_schedule = v2.Schedule(
        league_name=schedule.league_name or "",
        event_name=schedule.event_name or "",
        season_type=schedule.season_type or "Regular Season",
        season_year=schedule.season_year or 0,
        attendance=str(schedule.attendance or ""),
    )
    if schedule.week is not None:
        out_schedule.week = schedule.week
    return v2.Event(
        event_id=event.event_id,
        event_uuid=event.event_uuid or "",
        sport_id=event.sport_id,
        event_date=event.event_date,
        rotation_number_away=event.rotation_number_away or 0,
        rotation_number_home=event.rotation_number_home or 0,
        score=v2.Score(
            event_id=event.event_id,
            event_status=s.event_status or "STATUS_SCHEDULED",
            event_status_detail=s.event_status_detail or "",
            score_away=s.score_away or 0,
            score_home=s.score_home or 0,
            winner_away=int(s.winner_away or 0),
            winner_home=int(s.winner_home or 0),
            score_away_by_period=list(s.score_away_by_period or []),
            score_home_by_period=list(s.score_home_by_period or []),
            venue_name=s.venue_name or "",
            venue_location=s.venue_location or "",
            game_clock=s.game_clock or 0,
            display_clock=s.display_clock or "",
            game_period=s.game_period or 0,
            broadcast=s.broadcast or "",
            updated_at=s.updated_at or "",
        ),
        teams=[_team(away, away=True), _team(home, away=False)],
        schedule=out_schedule,
        markets=[],
    )


def _team(team: wire.Team, *, away: bool) -> v2.EventTeam:
    return v2.EventTeam(
        team_id=team.team_id,
        name=team.name or "",
        mascot=team.mascot or "",
        abbreviation=team.abbreviation or "",
        is_away=away,
        is_home=not away,
    )


__all__ = ["home_and_away", "line_value", "participant_kind", "price_of", "team_name", "to_v2"]
