"""Hedge messages: an opportunity in the shape of TheRundown's hedge stream (seed 004).

The seed's fields sit at the top level (``event_id``, ``sport_id``, ``market_id``,
``market_name``, ``bets[]`` with ``affiliate_id``, ``affiliate_name``,
``participant_name``, ``price``, ``wager``, ``payout``; ``profit_pct``;
``meta.type`` = ``hedge_update``), so the vendor's JavaScript prints real values. Our
additions ride alongside: ``id``, ``type`` (the REST ``type`` it belongs to),
``state`` (open, updated, closed), ``sequence`` of the opportunity stream, the period
and line, each leg's age. A closed opportunity is sent once with ``meta.type``
``hedge_removed`` and no bets.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec

from oddswire.model.opportunity import Leg, Opportunity, OpportunityState
from oddswire.refdata import Catalog
from oddswire.wire.therundown.common import american, rfc3339

_encode = msgspec.json.Encoder().encode

HEDGE_UPDATE = "hedge_update"
HEDGE_REMOVED = "hedge_removed"


class HedgeMessages:
    """``flat=False``: the ``/api/v2/ws/hedge`` message (record plus ``meta``);
    ``flat=True``: the record alone, the ``data`` of a multiplexed ``hedge`` delta."""

    def __init__(self, catalog: Catalog, *, flat: bool = False) -> None:
        self.catalog = catalog
        self.flat = flat

    def record(self, opportunity: Opportunity) -> dict[str, Any]:
        market = self.catalog.markets.get(opportunity.market_id)
        closed = opportunity.state == OpportunityState.CLOSED
        return {
            "id": opportunity.id,
            "type": str(opportunity.kind),
            "state": str(opportunity.state),
            "sequence": opportunity.sequence,
            "event_id": opportunity.event_id,
            "sport_id": opportunity.sport_id,
            "market_id": opportunity.market_id,
            "market_name": market.short_description if market else str(opportunity.market_id),
            "period_id": opportunity.period_id,
            "is_live": opportunity.is_live,
            "is_main_line": opportunity.is_main_line,
            "bets": [] if closed else [self._bet(leg) for leg in opportunity.legs],
            "profit_pct": round(opportunity.profit_pct, 4),
            "detected_at": rfc3339(opportunity.detected_ts),
            "updated_at": rfc3339(opportunity.updated_ts),
            **self._analysis(opportunity),
        }

    @staticmethod
    def _analysis(opportunity: Opportunity) -> dict[str, Any]:
        """What only some kinds carry: the worst case, a middle's regions, the fair
        line, a move."""
        extra: dict[str, Any] = {}
        if opportunity.worst_pct is not None:
            extra["worst_pct"] = round(opportunity.worst_pct, 4)
        if opportunity.regions:
            extra["regions"] = [
                {
                    "low": r.low,
                    "high": r.high,
                    "profit_pct": round(r.profit_pct, 4),
                    "outcome": r.outcome,
                }
                for r in opportunity.regions
            ]
        fair = opportunity.fair
        if fair is not None:
            extra["fair"] = {
                "method": fair.method,
                "probability": round(fair.probability, 6),
                "price": american(round(fair.price)),
                "affiliate_ids": list(fair.affiliate_ids),
                "kelly": round(fair.kelly, 6),
            }
        move = opportunity.movement
        if move is not None:
            extra["movement"] = {
                "probability_from": round(move.probability_from, 6),
                "probability_to": round(move.probability_to, 6),
                "move_pp": round(move.move_pp, 4),
                "window_seconds": move.window_seconds,
                "leader_affiliate_id": move.leader_affiliate_id,
            }
        return extra

    def _bet(self, leg: Leg) -> dict[str, Any]:
        affiliate = self.catalog.affiliates.get(leg.affiliate_id)
        return {
            "affiliate_id": leg.affiliate_id,
            "affiliate_name": affiliate.affiliate_name if affiliate else str(leg.affiliate_id),
            "participant_id": leg.participant_id,
            "participant_name": self.catalog.participant_name(
                leg.participant_id, leg.participant_type
            ),
            "line": leg.line,
            "price": american(leg.price),
            "wager": round(leg.wager, 2),
            "payout": round(leg.payout, 2),
            "age_seconds": round(leg.age_seconds, 3),
        }

    def opportunity(self, opportunity: Opportunity) -> bytes:
        body = self.record(opportunity)
        if self.flat:
            return _encode(body)
        kind = HEDGE_REMOVED if opportunity.state == OpportunityState.CLOSED else HEDGE_UPDATE
        body["meta"] = {"type": kind, "timestamp": rfc3339(time.time())}
        return _encode(body)
