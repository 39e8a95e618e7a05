"""What a subscription wants: TheRundown's stream filters, checked per change."""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.board import EventState, LineState
from oddswire.model.change import ParticipantType, PriceChange
from oddswire.model.opportunity import HEDGE_KINDS, Opportunity, OpportunityKind


@dataclass(frozen=True, slots=True)
class StreamFilter:
    """Every field None means "everything". ``main_line`` keeps main-line prices only."""

    sport_ids: frozenset[int] | None = None
    event_ids: frozenset[str] | None = None
    market_ids: frozenset[int] | None = None
    affiliate_ids: frozenset[int] | None = None
    participant_ids: frozenset[int] | None = None
    participant_type: ParticipantType | None = None
    main_line: bool = False
    #: Opportunities only: the smallest profit (percent), whether in-play ones count,
    #: which hedge ``type`` values (None: the hedge kinds, not steam or outliers).
    min_percent: float | None = None
    include_live: bool = False
    types: frozenset[str] | None = None

    def event(self, state: EventState) -> bool:
        event = state.event
        if self.event_ids is not None and event.event_id not in self.event_ids:
            return False
        return self.sport_ids is None or event.sport_id in self.sport_ids

    def price(self, line: LineState, change: PriceChange) -> bool:
        """Whether a price change is wanted (the sport/event part is the index's job,
        but checked again here so a filter is complete on its own)."""
        if self.market_ids is not None and line.market_id not in self.market_ids:
            return False
        if self.affiliate_ids is not None and change.affiliate_id not in self.affiliate_ids:
            return False
        if self.main_line and not change.is_main_line:
            return False
        if self.participant_ids is not None and line.participant_id not in self.participant_ids:
            return False
        if self.participant_type is not None and line.participant_type != self.participant_type:
            return False
        return self.event(line.event)

    def opportunity(self, opportunity: Opportunity) -> bool:
        """Whether an opportunity is wanted: its event, sport and market pass, every leg
        is at a wanted book, and it is as profitable, as live and of a type asked for.
        (A close always passes if the open did: it carries the same fields.)"""
        if self.event_ids is not None and opportunity.event_id not in self.event_ids:
            return False
        if self.sport_ids is not None and opportunity.sport_id not in self.sport_ids:
            return False
        if self.market_ids is not None and opportunity.market_id not in self.market_ids:
            return False
        if self.affiliate_ids is not None and any(
            leg.affiliate_id not in self.affiliate_ids for leg in opportunity.legs
        ):
            return False
        if opportunity.is_live and not self.include_live:
            return False
        if self.min_percent is not None and opportunity.profit_pct < self.min_percent:
            return False
        if self.types is None:
            return opportunity.kind in HEDGE_KINDS
        return any(_is_type(opportunity, wanted) for wanted in self.types)


def _is_type(opportunity: Opportunity, wanted: str) -> bool:
    kind = opportunity.kind
    if wanted == "mainlines":
        return (
            kind == OpportunityKind.TWO_WAY and opportunity.is_main_line and not opportunity.is_prop
        )
    if wanted == "props":
        return kind == OpportunityKind.TWO_WAY and opportunity.is_prop
    return str(kind) == wanted
