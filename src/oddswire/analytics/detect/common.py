"""What every detector needs: the moment, the settings, and how to write a leg."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from oddswire.analytics.detect.quotes import Quote
from oddswire.analytics.detect.settings import DetectorSettings
from oddswire.board import EventState, LineState
from oddswire.model.opportunity import Leg
from oddswire.refdata import Catalog


@dataclass(frozen=True, slots=True)
class Context:
    catalog: Catalog
    settings: DetectorSettings
    #: Books whose prices weigh ``sharp_weight`` in a fair line.
    sharp: frozenset[int]
    now: float
    #: The board sequence the evaluation sees (every quote as of it).
    board_sequence: int


def opportunity_id(*parts: object) -> str:
    """A short stable id for what an opportunity is (kind, where, which books)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def is_live(event: EventState, live_market: bool) -> bool:
    return live_market or event.event.status.is_live


def leg(line: LineState, quote: Quote, wager: float, payout: float, now: float) -> Leg:
    return Leg(
        affiliate_id=quote.affiliate_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type,
        line=line.line,
        price=quote.price,
        wager=wager,
        payout=payout,
        age_seconds=quote.age(now),
    )
