"""A price as of one change: the unit of delta feeds and history."""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.board.state import LineState
from oddswire.model.change import PriceStatus


@dataclass(frozen=True, slots=True)
class PriceDelta:
    """One book's price on one line as of ``sequence``, and what it replaced."""

    sequence: int
    line: LineState
    affiliate_id: int
    price: float
    status: PriceStatus
    is_main_line: bool
    previous_price: float | None
    previous_status: PriceStatus | None
    source_ts: float

    @property
    def change_type(self) -> str:
        """``new``, ``price_change``, ``closed`` or ``reopen`` (as TheRundown's rows)."""
        if self.previous_price is None and self.previous_status is None:
            return "new"
        if self.status == PriceStatus.CLOSED:
            return "closed"
        if self.previous_status == PriceStatus.CLOSED and self.status == PriceStatus.OPEN:
            return "reopen"
        return "price_change"
