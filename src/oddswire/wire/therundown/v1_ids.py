"""V1 integer line ids: one book's lines of one event in one period.

``line_id = event_ref * 65536 + period_id * 256 + affiliate_id``. Event refs are the
board's small, stored integers, so an id stays well inside JSON's safe integers and
decodes back to (event, period, book) without a lookup table.
"""

from __future__ import annotations

from dataclasses import dataclass

_BYTE = 256
_EVENT = _BYTE * _BYTE
#: The largest integer a JavaScript client reads exactly.
MAX_LINE_ID = 2**53 - 1


class LineIdError(ValueError):
    """The number is not a line id this server could have issued."""


@dataclass(frozen=True, slots=True)
class LineRef:
    event_ref: int
    period_id: int
    affiliate_id: int


def line_id(event_ref: int, period_id: int, affiliate_id: int) -> int:
    """The V1 ``line_id`` of a book's lines of an event in a period."""
    if event_ref <= 0 or not 0 <= period_id < _BYTE or not 0 <= affiliate_id < _BYTE:
        raise ValueError(f"no line id for ({event_ref}, {period_id}, {affiliate_id})")
    value = event_ref * _EVENT + period_id * _BYTE + affiliate_id
    if value > MAX_LINE_ID:
        raise ValueError(f"event ref {event_ref} is too large for a line id")
    return value


def split_line_id(value: int) -> LineRef:
    """The inverse of :func:`line_id`; :class:`LineIdError` for numbers it never returns."""
    if not _EVENT <= value <= MAX_LINE_ID:
        raise LineIdError(f"line_id {value} is not a valid line id")
    event_ref, rest = divmod(value, _EVENT)
    period_id, affiliate_id = divmod(rest, _BYTE)
    return LineRef(event_ref, period_id, affiliate_id)
