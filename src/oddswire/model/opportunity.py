"""Opportunities: arbitrages, middles and +EV bets found across books.

The analytics detect them; the hub keeps the open ones and streams each appearance,
update and disappearance as its own sequenced stream (``/api/v2/ws/hedge``, the
multiplexed ``hedge`` channel, the ``/api/v2/hedge`` endpoints).
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from oddswire.model.change import ParticipantType


class OpportunityKind(StrEnum):
    """What was found; TheRundown's ``/api/v2/hedge?type=`` values select among them
    (``mainlines`` and ``props`` are two-way arbitrages on main lines and on props)."""

    TWO_WAY = "2ways"
    THREE_WAY = "3ways"
    MIDDLE = "middles"
    POSITIVE_EV = "posev"


class OpportunityState(StrEnum):
    OPEN = "open"
    UPDATED = "updated"
    #: Gone: a leg moved, went off the board or grew stale.
    CLOSED = "closed"


class Leg(msgspec.Struct, frozen=True, kw_only=True):
    """One bet of an opportunity: a price at a book, and the stake the split gives it."""

    affiliate_id: int
    participant_id: int
    participant_type: ParticipantType = ParticipantType.TEAM
    line: str = ""
    #: American odds (never the off-board sentinel: off-board legs are not legs).
    price: float
    wager: float
    #: What the wager returns (stake included) if this leg wins.
    payout: float
    #: Seconds since the price last changed, when the opportunity was computed.
    age_seconds: float = 0.0


class Opportunity(msgspec.Struct, frozen=True, kw_only=True):
    """One opportunity, as of one detection.

    ``id`` is stable while the opportunity lives (same event, market, period, line and
    books), so updates and the close refer to what was opened. ``sequence`` orders the
    opportunity stream (its own counter, separate from the board's).
    """

    id: str
    kind: OpportunityKind
    event_id: str
    sport_id: int
    market_id: int
    period_id: int = 0
    legs: tuple[Leg, ...]
    #: Guaranteed profit of the stake split (arbitrage), or edge (+EV), in percent.
    profit_pct: float
    state: OpportunityState = OpportunityState.OPEN
    is_live: bool = False
    is_main_line: bool = True
    #: A player or game proposition (TheRundown's ``props`` type), not a main market.
    is_prop: bool = False
    detected_ts: float = 0.0
    updated_ts: float = 0.0
    sequence: int = 0
