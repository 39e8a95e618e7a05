"""What the endpoint modules share: the route prefixes and the Python types that stand
for the API's query values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

#: TheRundown V2 (every V2 route also answers under ``/api/v1/v2``).
V2 = "/api/v2"
#: TheRundown V1.
V1 = "/api/v1"
#: BoltOdds discovery.
API = "/api"

#: A comma-separated list of integer ids (``[1, 2, 3]`` is sent as ``1,2,3``).
Ids = Iterable[int]
#: A comma-separated list of words or string ids (a lone string is sent as given).
Words = Iterable[str]
#: A day: a :class:`datetime.date` or ``"YYYY-MM-DD"`` (or a Unix epoch as a string).
Day = date | str
#: An instant: a :class:`datetime.datetime` (naive means UTC) or an RFC 3339 string.
Moment = datetime | str

__all__ = ["API", "V1", "V2", "Day", "Ids", "Moment", "Words"]
