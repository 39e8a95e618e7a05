"""BoltOdds' times: US Eastern wall-clock strings -> UTC.

- ``info.when`` (and ``get_games``' ``when``) is ``"2025-07-23, 01:09 PM"``: the
  scheduled start on the US Eastern wall clock. This is the start we use.
- The ``game`` string is ``"<Home> vs <Away>, 2025-07-23, 01"``: the same date and the
  hour on the 12-hour clock, without AM/PM. It is only a fallback (a message without
  ``info.when`` for a game ``get_games`` did not list); hours 1-11 are then read as PM
  (most games start in the afternoon or evening, Eastern), 12 as noon, and hours above
  12 as a 24-hour clock. A morning game read this way is 12 hours off and will not
  match another source's event: that is why ``when`` always wins.

Eastern -> UTC is the inverse of :func:`oddswire.wire.boltodds.naming.eastern` (what
our own hub writes): the tz database's ``America/New_York`` where installed, else the
US rule in force since 2007 (:func:`~oddswire.wire.boltodds.naming.us_eastern`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from oddswire.wire.boltodds.naming import us_eastern

_WHEN_FORMATS = ("%Y-%m-%d, %I:%M %p", "%Y-%m-%d %I:%M %p", "%Y-%m-%d, %H:%M", "%Y-%m-%d %H:%M")
_GAME = re.compile(
    r"^(?P<home>.+?) (?:vs\.?|@|v) (?P<away>.+?), (?P<date>\d{4}-\d{2}-\d{2}), (?P<hour>\d{1,2})"
    r"(?:, [0-9a-f]{12})?$"
)
#: A game string is never longer than this (longer input is not parsed).
MAX_GAME = 400


def _zone() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/New_York")
    except Exception:  # no tz database on this machine: the US rule
        return None


_EASTERN = _zone()


def eastern_to_utc(wall: datetime, zone: tzinfo | None = _EASTERN) -> datetime:
    """A naive US Eastern wall-clock time -> an aware UTC datetime."""
    if zone is not None:
        return wall.replace(tzinfo=zone).astimezone(UTC)
    for hours in (4, 5):  # EDT, then EST
        moment = (wall + timedelta(hours=hours)).replace(tzinfo=UTC)
        if us_eastern(moment) == wall:
            return moment
    return (wall + timedelta(hours=5)).replace(tzinfo=UTC)  # a wall time skipped in March


def parse_when(text: object) -> datetime | None:
    """``"2025-07-23, 01:09 PM"`` (Eastern) -> UTC; an ISO time with an offset is
    taken as is. None when it is not a time we can read."""
    if not isinstance(text, str) or not text or len(text) > 64:
        return None
    return _parse_when(text)


@lru_cache(maxsize=4096)
def _parse_when(text: str) -> datetime | None:
    """Every message repeats its game's ``when``: parse each distinct one once."""
    value = " ".join(text.split())
    for pattern in _WHEN_FORMATS:
        try:
            return eastern_to_utc(datetime.strptime(value, pattern))
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return eastern_to_utc(moment)
    return moment.astimezone(UTC)


class GameName:
    """What a game string says: teams (home first), date and hour."""

    __slots__ = ("away", "date", "home", "hour")

    def __init__(self, home: str, away: str, date: str, hour: int) -> None:
        self.home = home
        self.away = away
        self.date = date
        self.hour = hour

    @property
    def start(self) -> datetime | None:
        """The start the string implies (see the module doc), or None."""
        hour = self.hour
        if 1 <= hour <= 11:
            hour += 12
        elif hour > 23:
            return None
        try:
            day = datetime.strptime(self.date, "%Y-%m-%d")
        except ValueError:
            return None
        return eastern_to_utc(day.replace(hour=hour))


def parse_game(text: str) -> GameName | None:
    """``"New York Mets vs Los Angeles Angels, 2025-07-23, 01"`` -> its parts."""
    if len(text) > MAX_GAME:
        return None
    found = _GAME.match(text.strip())
    if found is None:
        return None
    return GameName(found["home"].strip(), found["away"].strip(), found["date"], int(found["hour"]))


def parse_timestamp(text: object) -> float:
    """A message's ``timestamp`` (ISO 8601, UTC) -> Unix time; 0.0 if unreadable."""
    if not isinstance(text, str) or len(text) > 64:
        return 0.0
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
