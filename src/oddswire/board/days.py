"""TheRundown's day boundary: a date plus a UTC ``offset`` in minutes.

``offset=300`` (US Central) means the day runs from 05:00 UTC to 05:00 UTC the next day;
the default 0 is midnight UTC. TheRundown accepts -840..840.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

MIN_OFFSET = -840
MAX_OFFSET = 840


def local_date(moment: datetime, offset_minutes: int) -> date:
    """The calendar date of ``moment`` on a clock ``offset_minutes`` behind UTC."""
    return (moment.astimezone(UTC) - timedelta(minutes=offset_minutes)).date()


def day_bounds(day: date, offset_minutes: int) -> tuple[datetime, datetime]:
    """The UTC half-open interval [start, end) of ``day`` under ``offset_minutes``."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=offset_minutes)
    return start, start + timedelta(days=1)
