"""Builders for canonical objects used across the tests."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

from oddswire.model import Event, EventChange, ParticipantType, PriceChange, PriceStatus, Score
from oddswire.model.event import EventStatus
from oddswire.model.ids import event_id, event_uuid
from oddswire.refdata import OVER, UNDER

START = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)
_clock = itertools.count(1)


def make_event(
    sport_id: int = 4,
    away: int = 4002,
    home: int = 4014,
    start: datetime = START,
    status: EventStatus = EventStatus.SCHEDULED,
    score_away: int = 0,
    score_home: int = 0,
) -> Event:
    eid = event_id(sport_id, away, home, start)
    return Event(
        event_id=eid,
        event_uuid=event_uuid(eid),
        sport_id=sport_id,
        event_date=start,
        away_team_id=away,
        home_team_id=home,
        season_year=2026,
        score=Score(event_status=status, score_away=score_away, score_home=score_home),
    )


def event_change(event: Event) -> EventChange:
    return EventChange(event=event, received_ts=time.time())


def price(
    event: Event,
    *,
    market_id: int = 1,
    period_id: int = 0,
    participant_id: int | None = None,
    participant_type: ParticipantType = ParticipantType.TEAM,
    line: str = "",
    affiliate_id: int = 19,
    american: float = -110,
    status: PriceStatus = PriceStatus.OPEN,
    main: bool = True,
    ts: float | None = None,
) -> PriceChange:
    stamp = ts if ts is not None else 1_790_000_000.0 + next(_clock)
    return PriceChange(
        event_id=event.event_id,
        market_id=market_id,
        period_id=period_id,
        participant_id=event.home_team_id if participant_id is None else participant_id,
        participant_type=participant_type,
        line=line,
        affiliate_id=affiliate_id,
        price=american,
        status=status,
        is_main_line=main,
        source_ts=stamp,
        received_ts=stamp + 0.01,
    )


def total(event: Event, side: int = OVER, line: str = "224.5", **kw: object) -> PriceChange:
    return price(
        event,
        market_id=3,
        participant_id=side,
        participant_type=ParticipantType.RESULT,
        line=line,
        **kw,  # type: ignore[arg-type]
    )


__all__ = ["OVER", "START", "UNDER", "event_change", "make_event", "price", "total"]
