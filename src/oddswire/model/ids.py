"""Stable identifiers derived from canonical identity.

Every id that reaches a wire is a pure function of what it names, so it survives
restarts, rebuilds and replicas without a lookup table.
"""

from __future__ import annotations

from datetime import datetime
from hashlib import blake2b


def _digest(*parts: object, size: int = 16) -> bytes:
    text = "\x1f".join(str(p) for p in parts)
    return blake2b(text.encode(), digest_size=size).digest()


def event_id(sport_id: int, away_team_id: int, home_team_id: int, start: datetime) -> str:
    """The 32-hex ``event_id`` of a game: sport, teams and scheduled start (UTC, minute)."""
    minute = start.strftime("%Y-%m-%dT%H:%M")
    return _digest("event", sport_id, away_team_id, home_team_id, minute).hex()


def event_uuid(event_id_hex: str) -> str:
    """TheRundown-style ``event_uuid`` (``xxxx-xxxx-xxxxxxxx-xxxx-xxxxxxxxxxxx``)."""
    h = _digest("uuid", event_id_hex).hex()
    return f"{h[0:4]}-{h[4:8]}-{h[8:16]}-{h[16:20]}-{h[20:32]}"


def line_id(
    event_id_hex: str, market_id: int, period_id: int, participant_id: int, line: str
) -> str:
    """The 32-hex ``id`` of a line (one participant's line value in one market)."""
    return _digest("line", event_id_hex, market_id, period_id, participant_id, line).hex()


def market_event_id(event_id_hex: str, market_id: int, period_id: int) -> int:
    """The integer ``id`` of a market within an event (fits in 52 bits, safe in JSON)."""
    return int.from_bytes(_digest("market", event_id_hex, market_id, period_id, size=7), "big") >> 4


def price_id(line_id_hex: str, affiliate_id: int) -> int:
    """The numeric ``id`` of one book's price on a line (55 bits: line hash, then book)."""
    return (int(line_id_hex[:12], 16) << 7) | (affiliate_id & 0x7F)


def split_price_id(price_id_value: int) -> tuple[int, int]:
    """The inverse of :func:`price_id`: (48-bit line hash prefix, affiliate id)."""
    return price_id_value >> 7, price_id_value & 0x7F


def player_id(team_id: int, slot: int) -> int:
    """Players get ids from 1,000,000 up, disjoint from teams (1,000-99,999) and results (<100)."""
    return 1_000_000 + team_id * 100 + slot


def named_player_id(sport_id: int, name: str) -> int:
    """A player a source names but the catalogue lacks: an id from the sport and the
    normalised name (from 100,000,000 up, disjoint from catalogue players), so every
    source spelling the player the same way lands on the same participant."""
    return 100_000_000 + int.from_bytes(_digest("player", sport_id, name, size=4), "big") % (
        900_000_000
    )
