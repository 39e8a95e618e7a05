"""Reading TheRundown's payloads back into the model: V2 events (with their markets)
and stream ``market_price`` records become :class:`Event`s and :class:`PriceChange`s.

The inverse of :mod:`oddswire.wire.therundown.v2_events` and ``stream``: what this hub
writes, read back, gives the board it was written from. The SDK's local board reads
through it, and so can anything consuming TheRundown's own payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from oddswire.model.change import ParticipantType, PriceChange, PriceStatus
from oddswire.model.event import Event, EventStatus, Score
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.common import OFF_BOARD_SENTINEL
from oddswire.wire.therundown.stream_models import MarketPrice
from oddswire.wire.therundown.v2_reference import SEASON_TYPES

_SEASON_TYPE_IDS = {name: type_id for type_id, name in SEASON_TYPES.items()}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timestamp(text: str | None) -> datetime | None:
    """An RFC 3339 time (``Z`` or an offset, with or without a colon) as UTC."""
    if not text:
        return None
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    elif len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        value = value[:-2] + ":" + value[-2:]  # "+0000" -> "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def epoch(text: str | None) -> float:
    moment = timestamp(text)
    return 0.0 if moment is None else moment.timestamp()


def american(price: float | str | None) -> tuple[float, PriceStatus]:
    """A wire price as (American price, status): the sentinel means off the board."""
    if price is None or price == "":
        return 0.0, PriceStatus.OFF_BOARD
    value = float(price)
    if value == OFF_BOARD_SENTINEL:
        return 0.0, PriceStatus.OFF_BOARD
    return value, PriceStatus.OPEN


def event(wire: v2.Event) -> Event:
    """A V2 event's schedule, teams and score as the model's :class:`Event`."""
    away = next((t.team_id for t in wire.teams if t.is_away), 0)
    home = next((t.team_id for t in wire.teams if t.is_home), 0)
    s = wire.score
    try:
        status = EventStatus(s.event_status)
    except ValueError:
        status = EventStatus.SCHEDULED
    schedule = wire.schedule
    week = schedule.week if isinstance(schedule.week, int) else None
    try:
        attendance = int(schedule.attendance or 0)
    except ValueError:
        attendance = 0
    return Event(
        event_id=wire.event_id,
        event_uuid=wire.event_uuid,
        sport_id=wire.sport_id,
        event_date=timestamp(wire.event_date) or _EPOCH,
        away_team_id=away,
        home_team_id=home,
        rotation_number_away=wire.rotation_number_away,
        rotation_number_home=wire.rotation_number_home,
        season_type=_SEASON_TYPE_IDS.get(schedule.season_type, 2),
        season_year=schedule.season_year,
        week=week,
        venue_name=s.venue_name,
        venue_location=s.venue_location,
        attendance=attendance,
        score=Score(
            event_status=status,
            event_status_detail=s.event_status_detail,
            score_away=s.score_away,
            score_home=s.score_home,
            winner_away=bool(s.winner_away),
            winner_home=bool(s.winner_home),
            score_away_by_period=list(s.score_away_by_period),
            score_home_by_period=list(s.score_home_by_period),
            game_clock=s.game_clock,
            display_clock=s.display_clock,
            game_period=s.game_period,
            broadcast=s.broadcast,
            updated_at=timestamp(s.updated_at),
        ),
    )


def event_prices(wire: v2.Event) -> Iterator[PriceChange]:
    """Every book's price in a V2 event's markets, as changes (unsequenced)."""
    for market in wire.markets:
        for participant in market.participants:
            try:
                kind = ParticipantType.from_wire(participant.type)
            except KeyError:
                kind = ParticipantType.TEAM
            for line in participant.lines:
                for affiliate, quote in line.prices.items():
                    price, status = american(quote.price)
                    if isinstance(quote.closed_at, str):
                        status = PriceStatus.CLOSED
                    updated = epoch(quote.updated_at)
                    yield PriceChange(
                        event_id=wire.event_id,
                        market_id=market.market_id,
                        period_id=market.period_id,
                        participant_id=participant.id,
                        participant_type=kind,
                        line=line.value,
                        affiliate_id=int(affiliate),
                        price=price,
                        status=status,
                        is_main_line=quote.is_main_line,
                        source_ts=updated,
                        received_ts=updated,
                    )


def stream_price(record: MarketPrice) -> PriceChange:
    """A stream ``market_price`` record as the change it reports, with its sequence.

    An off-board or closed price carries the last quoted price when the record says
    what it was (``previous_price``), else 0, as a source's change would.
    """
    price, status = american(record.price)
    if record.closed:
        status = PriceStatus.CLOSED
    previous: float | None = None
    previous_status: PriceStatus | None = None
    if record.previous_price is not None:
        previous, previous_status = american(record.previous_price)
    if status != PriceStatus.OPEN and price == 0.0 and previous_status == PriceStatus.OPEN:
        price = previous or 0.0
    kind = record.normalized_market_participant_type
    updated = epoch(record.updated_at)
    return PriceChange(
        event_id=record.event_id,
        market_id=record.market_id,
        period_id=record.period_id,
        participant_id=record.normalized_market_participant_id,
        participant_type=(
            ParticipantType.from_wire(kind) if isinstance(kind, str) else ParticipantType(kind)
        ),
        line=record.line,
        affiliate_id=record.affiliate_id,
        price=price,
        status=status,
        is_main_line=record.is_main_line,
        source_ts=updated,
        received_ts=updated,
        sequence=record.id,
        previous_price=previous,
        previous_status=previous_status,
    )


__all__ = ["american", "epoch", "event", "event_prices", "stream_price", "timestamp"]
