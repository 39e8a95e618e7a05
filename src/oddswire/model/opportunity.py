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
    #: Signals rather than bets: several books moving one side within a window, and one
    #: book far from the consensus of the others. Streamed only to subscribers that ask
    #: for them by ``type`` (a hedge client that asks for nothing gets the four above).
    STEAM = "steam"
    OUTLIER = "outliers"


#: The kinds a hedge subscription gets when it names no ``type``.
HEDGE_KINDS = frozenset(
    {
        OpportunityKind.TWO_WAY,
        OpportunityKind.THREE_WAY,
        OpportunityKind.MIDDLE,
        OpportunityKind.POSITIVE_EV,
    }
)


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


class Region(msgspec.Struct, frozen=True, kw_only=True):
    """A range of final results (total points, or the home side's winning margin) and
    what a middle returns in it. ``low``/``high`` are inclusive; None is unbounded."""

    low: float | None
    high: float | None
    #: Profit over the total stake, in percent (negative: a loss).
    profit_pct: float
    #: ``"both win"``, ``"one wins"``, ``"push"``...
    outcome: str


class FairLine(msgspec.Struct, frozen=True, kw_only=True):
    """The fair (no-vig) line a +EV bet, a steam move or an outlier is measured against."""

    #: The devig method (``multiplicative``, ``power``, ``shin``...) or ``median`` for a
    #: consensus of implied probabilities.
    method: str
    probability: float
    #: The fair price, American.
    price: float
    #: The books whose prices made the fair line.
    affiliate_ids: tuple[int, ...] = ()
    #: Full-Kelly fraction of bankroll for the bet (+EV only).
    kelly: float = 0.0


class Movement(msgspec.Struct, frozen=True, kw_only=True):
    """A steam move (implied probability from -> to over a window, the books that moved,
    the first mover) or an outlier (the book's probability against the consensus)."""

    probability_from: float
    probability_to: float
    #: probability_to - probability_from, in percentage points.
    move_pp: float
    window_seconds: float = 0.0
    leader_affiliate_id: int | None = None


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
    #: The worst return over every result, in percent: ``profit_pct`` for an arbitrage,
    #: the loss when a middle misses, -100 for a single +EV bet.
    worst_pct: float | None = None
    #: Middles: the result regions and what each returns.
    regions: tuple[Region, ...] = ()
    #: +EV: the fair line the edge is against; outliers: the peers' consensus.
    fair: FairLine | None = None
    #: Steam and outliers: the move.
    movement: Movement | None = None
    #: The board sequence the detection was computed at (every leg as of it).
    board_sequence: int = 0
