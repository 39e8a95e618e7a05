"""Query-parameter parsing with TheRundown's conventions (CSV lists, true/false, dates).

Every parser raises :class:`BadRequest` naming the parameter and the bad value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from starlette.datastructures import QueryParams

from oddswire.api.errors import BadRequest
from oddswire.board.days import MAX_OFFSET, MIN_OFFSET
from oddswire.model.change import ParticipantType

MAX_LIST_ITEMS = 500
INT64 = 1 << 63


def _integer(text: str, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{name}: {text[:40]!r} is not an integer") from None
    if not -INT64 < value < INT64:
        raise BadRequest(f"{name}: {text[:40]!r} is out of range")
    return value


def int_list(
    params: QueryParams, name: str, *, max_items: int | None = None
) -> frozenset[int] | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) > (max_items or MAX_LIST_ITEMS):
        limit = max_items or MAX_LIST_ITEMS
        raise BadRequest(f"{name}: at most {limit} values are allowed, got {len(parts)}")
    return frozenset(_integer(part, name) for part in parts)


def str_list(params: QueryParams, name: str) -> frozenset[str] | None:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) > MAX_LIST_ITEMS:
        raise BadRequest(f"{name}: at most {MAX_LIST_ITEMS} values are allowed")
    return frozenset(parts)


def boolean(params: QueryParams, name: str, default: bool = False) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise BadRequest(f"{name}: expected true or false, got {raw[:40]!r}")


def offset(params: QueryParams) -> int:
    raw = params.get("offset")
    if raw is None or raw.strip() == "":
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"offset: {raw[:40]!r} is not a whole number of minutes") from None
    if not MIN_OFFSET <= value <= MAX_OFFSET:
        raise BadRequest(f"offset: must be between {MIN_OFFSET} and {MAX_OFFSET} minutes")
    return value


def path_date(text: str) -> date:
    """``YYYY-MM-DD``, or a Unix epoch (seconds) as some TheRundown endpoints accept."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if text.isdigit() and len(text) <= 12:
        try:
            return datetime.fromtimestamp(int(text), UTC).date()
        except (ValueError, OverflowError, OSError):
            raise BadRequest(f"date: {text[:40]!r} is out of range") from None
    raise BadRequest(f"date: {text[:40]!r} is not a date (expected YYYY-MM-DD)")


def path_int(text: str, name: str) -> int:
    return _integer(text, name)


#: Values ``include`` may take anywhere (each route uses those that apply to it).
INCLUDE_VALUES = frozenset({"all_periods", "regions", "scores"})


def includes(params: QueryParams, allowed: frozenset[str] = INCLUDE_VALUES) -> set[str]:
    """``include`` may repeat and may hold CSV values; unknown values are a 400."""
    out: set[str] = set()
    for raw in params.getlist("include"):
        out.update(p.strip() for p in raw.split(",") if p.strip())
    unknown = sorted(out - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise BadRequest(f"include: unknown value {unknown[0][:40]!r} (known: {known})")
    return out


def limit(params: QueryParams, default: int, maximum: int) -> int:
    raw = params.get("limit")
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"limit: {raw[:40]!r} is not a whole number") from None
    if not 1 <= value <= maximum:
        raise BadRequest(f"limit: must be between 1 and {maximum}, got {value}")
    return value


def timestamp(params: QueryParams, name: str) -> float | None:
    """An RFC 3339 time (``2026-01-14T22:30:00Z``) or a date, as Unix seconds."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{name}: {text[:40]!r} is not an RFC 3339 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def participant_type(params: QueryParams) -> ParticipantType | None:
    raw = params.get("participant_type")
    if not raw:
        return None
    try:
        return ParticipantType.from_wire(raw.strip())
    except KeyError:
        raise BadRequest(
            f"participant_type: expected TYPE_TEAM, TYPE_PLAYER or TYPE_RESULT, got {raw[:40]!r}"
        ) from None


#: What ``type`` selects among opportunities (TheRundown's hedge types; ``openev`` is not
#: carried: this hub has no opener-based +EV).
OPPORTUNITY_TYPES = frozenset(
    {"2ways", "mainlines", "props", "3ways", "middles", "posev", "steam", "outliers"}
)


def percent(params: QueryParams, name: str) -> float | None:
    """A percentage between 0 and 100."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"{name}: {raw[:40]!r} is not a number") from None
    if not 0 <= value <= 100:
        raise BadRequest(f"{name}: must be between 0 and 100, got {raw[:40]}")
    return value


def opportunity_types(params: QueryParams) -> frozenset[str] | None:
    types = str_list(params, "type")
    if types is None:
        return None
    unknown = sorted(types - OPPORTUNITY_TYPES)
    if unknown:
        raise BadRequest(
            f"type: unknown {', '.join(unknown)}; expected {', '.join(sorted(OPPORTUNITY_TYPES))}"
        )
    return types


#: ``type`` values the hedge endpoints accept beyond :data:`OPPORTUNITY_TYPES`, and the
#: type each stands for here (``openev``: this hub's +EV is measured against a
#: multi-book fair line, so opener-based +EV is the same list as ``posev``).
HEDGE_TYPE_ALIASES = {"openev": "posev"}
HEDGE_TYPES = OPPORTUNITY_TYPES | frozenset(HEDGE_TYPE_ALIASES)


def hedge_types(params: QueryParams, default: frozenset[str]) -> frozenset[str]:
    """The hedge endpoints' ``type`` (CSV), aliases resolved; ``default`` when not given."""
    types = str_list(params, "type")
    if types is None:
        return default
    if not types:
        raise BadRequest("type: no type given")
    unknown = sorted(types - HEDGE_TYPES)
    if unknown:
        raise BadRequest(
            f"type: unknown {', '.join(u[:40] for u in unknown[:5])}; "
            f"expected {', '.join(sorted(HEDGE_TYPES))}"
        )
    return frozenset(HEDGE_TYPE_ALIASES.get(t, t) for t in types)


def int_between(params: QueryParams, name: str, minimum: int, maximum: int) -> int | None:
    """A whole number between ``minimum`` and ``maximum``; None when not given."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    value = _integer(raw.strip(), name)
    if not minimum <= value <= maximum:
        raise BadRequest(f"{name}: must be between {minimum} and {maximum}, got {value}")
    return value


def ranged_int(params: QueryParams, name: str, default: int, minimum: int, maximum: int) -> int:
    """A whole number between ``minimum`` and ``maximum``; ``default`` when not given."""
    value = int_between(params, name, minimum, maximum)
    return default if value is None else value


def required_int(params: QueryParams, name: str) -> int:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        raise BadRequest(f"{name} is required")
    return _integer(raw.strip(), name)


def required_str(params: QueryParams, name: str) -> str:
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        raise BadRequest(f"{name} is required")
    return raw.strip()


def choice(params: QueryParams, name: str, choices: tuple[str, ...]) -> str | None:
    """One of ``choices`` (exactly as written); None when not given."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    value = raw.strip()
    if value not in choices:
        raise BadRequest(f"{name}: expected {' or '.join(choices)}, got {raw[:40]!r}")
    return value


def descending(params: QueryParams) -> bool:
    """``sort=asc|desc`` (default desc): True for descending."""
    return choice(params, "sort", ("asc", "desc")) != "asc"


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


#: What :func:`participant_type_code` accepts, as a JSON-schema pattern.
PARTICIPANT_TYPE_PATTERN = (
    r"^\s*([123]|"
    + "|".join(_any_case(name) for name in ("TYPE_TEAM", "TYPE_PLAYER", "TYPE_RESULT"))
    + r")?\s*$"
)


def participant_type_code(params: QueryParams) -> ParticipantType | None:
    """``participant_type`` as TheRundown's integer (1 team, 2 player, 3 result) or as
    a ``TYPE_*`` name."""
    raw = params.get("participant_type")
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if text in ("1", "2", "3"):
        return ParticipantType(int(text))
    try:
        return ParticipantType.from_wire(text)
    except KeyError:
        raise BadRequest(
            "participant_type: expected 1, 2, 3, TYPE_TEAM, TYPE_PLAYER or TYPE_RESULT, "
            f"got {raw[:40]!r}"
        ) from None


def query_date(params: QueryParams, name: str = "date") -> date:
    """A required date in the query, as :func:`path_date` reads one."""
    return path_date(required_str(params, name))
