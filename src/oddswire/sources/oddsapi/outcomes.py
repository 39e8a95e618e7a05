"""Reading The Odds API's outcomes and values: who a price is on, its line, its time.

Each reader either returns what the value means, returns a reason why it maps to
nothing canonical (a Problem), or raises :class:`Malformed` when the value lacks the
documented shape (the caller then keeps what that part said last time).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TypeGuard

from oddswire.model.change import ParticipantType
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, format_number, format_side
from oddswire.refdata.results import DRAW, OVER, UNDER
from oddswire.sources.oddsapi.markets import MarketSpec, Shape
from oddswire.sources.resolve.normalize import normalize
from oddswire.sources.upstream.model import ParticipantRef

_SIDES = {"over": OVER_SIDE, "under": UNDER_SIDE}
_RESULTS = {OVER_SIDE: OVER, UNDER_SIDE: UNDER}
#: Earliest and latest believable timestamps (1970 .. 2100).
TS_RANGE = (0.0, 4_102_444_800.0)
_MAX_PRICE = 1_000_000.0


class Malformed(Exception):
    """A part of a response that does not have the documented shape."""


def read_outcome(item: object, spec: MarketSpec) -> tuple[ParticipantRef, str, float] | str:
    """(participant, line value, American price), or why the outcome maps to nothing.

    Raises :class:`Malformed` when the outcome lacks what its market needs."""
    if not isinstance(item, dict):
        raise Malformed("an outcome is not an object")
    name = item.get("name")
    if not is_name(name):
        raise Malformed("an outcome without a name")
    name = name.strip()
    price = number(item.get("price"))
    if price is None:
        raise Malformed(f"outcome {name!r} has no numeric price")
    if abs(price) < 100 or abs(price) > _MAX_PRICE:
        return f"{price:g} is not an American price (is oddsFormat=american?)"
    shape = spec.shape
    if shape is Shape.MONEYLINE:
        if normalize(name) in ("draw", "tie"):
            return (
                ParticipantRef(kind=ParticipantType.RESULT, name="Draw", result_id=DRAW),
                "",
                price,
            )
        return ParticipantRef(kind=ParticipantType.TEAM, name=name), "", price
    if shape is Shape.PLAYER_YES:
        return _yes_prop(item, name, price)
    point = number(item.get("point"))
    if point is None:
        raise Malformed(f"outcome {name!r} has no numeric point")
    if shape is Shape.SPREAD:
        return ParticipantRef(kind=ParticipantType.TEAM, name=name), format_number(point), price
    side = _SIDES.get(name.lower())
    if side is None:
        return f"{name!r} is not Over or Under"
    if shape is Shape.TOTAL:
        result = ParticipantRef(kind=ParticipantType.RESULT, name=side, result_id=_RESULTS[side])
        return result, format_number(point), price
    who = item.get("description")
    if not is_name(who):
        raise Malformed(f"outcome {name!r} does not say whose total it is (description)")
    kind = ParticipantType.TEAM if shape is Shape.TEAM_TOTAL else ParticipantType.PLAYER
    return ParticipantRef(kind=kind, name=who.strip()), format_side(side, point), price


def _yes_prop(
    item: dict[str, object], name: str, price: float
) -> tuple[ParticipantRef, str, float] | str:
    """A yes/no player prop: the player (``description``, or the name itself when the
    vendor names the player there) on ``Yes``. A ``No`` has no canonical line."""
    who = item.get("description")
    answer = name.lower()
    if answer == "no":
        return "the No side of a yes/no player prop has no canonical line"
    if answer == "yes":
        if not is_name(who):
            raise Malformed("a Yes outcome does not name the player (description)")
        return ParticipantRef(kind=ParticipantType.PLAYER, name=who.strip()), "", price
    return ParticipantRef(kind=ParticipantType.PLAYER, name=name), "", price


def number(value: object) -> float | None:
    """A finite number (JSON number, or numeric text as meta values are)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int):
        value = float(value) if abs(value) < 1 << 63 else math.inf
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def read_time(value: object) -> datetime | None:
    """An ISO 8601 time (``dateFormat=iso``) or Unix seconds (``dateFormat=unix``)."""
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            seconds = when.timestamp()
        except (ValueError, OverflowError):
            return None
    else:
        found = number(value)
        if found is None:
            return None
        seconds = found
    if not TS_RANGE[0] < seconds < TS_RANGE[1]:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def is_name(value: object) -> TypeGuard[str]:
    """A non-blank name of sane length."""
    return isinstance(value, str) and bool(value.strip()) and len(value) <= 200


def brief(value: object) -> str:
    """A short rendering of a bad value, for a Problem's text."""
    return repr(value)[:80]
