"""Endpoints declared once: path, handler, parameters, response type, errors.

The same declarations build the Starlette routes and ``/openapi.json``, so the spec
cannot drift from what is served.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

Handler = Callable[[Request], Awaitable[Response]]
JSONSchema = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Param:
    """A query or path parameter, as OpenAPI describes it."""

    name: str
    schema: JSONSchema
    description: str = ""
    location: str = "query"
    required: bool = False


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One route. ``path`` is relative to its prefixes (``/api/v2``, ``/api/v1/v2``...)."""

    path: str
    handler: Handler
    summary: str
    response: Any
    tag: str
    params: Sequence[Param] = ()
    errors: Sequence[int] = (400, 404)
    public: bool = False
    prefixes: Sequence[str] = ("/api/v2", "/api/v1/v2")
    description: str = ""
    status: int = 200
    extra: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------- param helpers

INT = {"type": "integer", "minimum": -(2**63) + 1, "maximum": 2**63 - 1}
#: Comma-separated integers (empty means "not given", as TheRundown treats it).
CSV_INTS = {"type": "string", "pattern": r"^\s*(-?\d{1,18}(\s*,\s*-?\d{1,18})*)?\s*$"}
CSV = {"type": "string"}
_STATUS = (
    "STATUS_(SCHEDULED|IN_PROGRESS|FINAL|POSTPONED|CANCELED|SUSPENDED|DELAYED|RAIN_DELAY|"
    "HALFTIME|END_PERIOD|END_OF_REGULATION|OVERTIME|FIRST_HALF|SECOND_HALF)"
)
CSV_STATUSES = {"type": "string", "pattern": rf"^\s*({_STATUS}(\s*,\s*{_STATUS})*)?\s*$"}
CSV_WORDS = {"type": "string", "pattern": r"^\s*([a-z_]+(\s*,\s*[a-z_]+)*)?\s*$"}
BOOL = {
    "type": "string",
    "pattern": r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)?\s*$",
    "description": "true/false, 1/0 or yes/no (any case); empty means not given",
}
EMPTY = {"type": "string", "maxLength": 0}


def optional_int(minimum: int, maximum: int) -> JSONSchema:
    """An integer query parameter; an empty value means "not given"."""
    return {"anyOf": [{"type": "integer", "minimum": minimum, "maximum": maximum}, EMPTY]}


DATE = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{1,12}$"},
    ],
    "description": "YYYY-MM-DD, or a Unix epoch in seconds",
}
DATETIME = {"type": "string", "format": "date-time"}


def query(name: str, schema: JSONSchema, description: str = "", *, required: bool = False) -> Param:
    return Param(name, schema, description, "query", required)


def path(name: str, schema: JSONSchema, description: str = "") -> Param:
    return Param(name, schema, description, "path", True)


SPORT_ID = path("sport_id", INT, "TheRundown sport id (reference §3.1)")
DATE_PATH = path("date", DATE, "the day, under the `offset` day boundary")
EVENT_ID = path("event_id", {"type": "string"}, "32-hex event id")
OFFSET = query("offset", optional_int(-840, 840), "UTC offset in minutes")
MARKET_IDS = query("market_ids", CSV_INTS, "CSV of market ids, at most 12")
AFFILIATE_IDS = query("affiliate_ids", CSV_INTS, "CSV of affiliate ids; 0 alone = scores only")
PARTICIPANT_IDS = query("participant_ids", CSV_INTS, "CSV of participant ids")
PARTICIPANT_TYPE = query(
    "participant_type",
    {"type": "string", "enum": ["TYPE_TEAM", "TYPE_PLAYER", "TYPE_RESULT"]},
    "participant type",
)
MAIN_LINE = query("main_line", BOOL, "only each book's main line (and no closed prices)")
HIDE_CLOSED = query("hide_closed", BOOL, "drop closed prices")
HIDE_NO_MARKETS = query("hide_no_markets", BOOL, "drop events with no market data")
EVENT_STATUS = query("event_status", CSV_STATUSES, "CSV of statuses to include")
EXCLUDE_STATUS = query("exclude_status", CSV_STATUSES, "CSV of statuses to exclude")
INCLUDE = query(
    "include", CSV_WORDS, "`all_periods` adds half/quarter markets; `regions` on affiliates"
)
EVENT_FILTERS = (
    MARKET_IDS,
    PARTICIPANT_IDS,
    PARTICIPANT_TYPE,
    AFFILIATE_IDS,
    MAIN_LINE,
    HIDE_CLOSED,
    HIDE_NO_MARKETS,
    EVENT_STATUS,
    EXCLUDE_STATUS,
    INCLUDE,
)
