"""Line values: how a line's number (and, for some markets, its side) is written.

- moneylines: ``""``
- spreads: the participant's handicap, ``"-4.5"``, ``"4.5"``, ``"0"``
- totals (participants Over/Under): the total, ``"224.5"``
- team totals and player props (participant is a team or player): side and number,
  ``"Over 24.5"`` / ``"Under 24.5"``, so both sides of a line have distinct keys.
"""

from __future__ import annotations

OVER_SIDE = "Over"
UNDER_SIDE = "Under"


def format_number(value: float) -> str:
    """A line number as text: ``-4.5`` -> ``"-4.5"``, ``3.0`` -> ``"3"``, ``-0.0`` -> ``"0"``."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_side(side: str, value: float) -> str:
    """``format_side("Over", 24.5)`` -> ``"Over 24.5"``."""
    if side not in (OVER_SIDE, UNDER_SIDE):
        raise ValueError(f"side must be {OVER_SIDE!r} or {UNDER_SIDE!r}, not {side!r}")
    return f"{side} {format_number(value)}"


def parse_line(text: str) -> tuple[str | None, float | None]:
    """Split a line value into (side, number); either may be None.

    ``""`` -> (None, None); ``"-4.5"`` -> (None, -4.5); ``"Over 24.5"`` -> ("Over", 24.5).
    """
    text = text.strip()
    if not text:
        return None, None
    side: str | None = None
    for candidate in (OVER_SIDE, UNDER_SIDE):
        if text.startswith(candidate):
            side = candidate
            text = text[len(candidate) :].strip()
            break
    try:
        return side, float(text) if text else None
    except ValueError:
        return side, None
