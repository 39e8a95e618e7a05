"""What a subscription wants: TheRundown's stream filters, checked per change."""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.board import EventState, LineState
from oddswire.model.change import ParticipantType, PriceChange


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
