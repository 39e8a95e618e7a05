"""+EV: a price better than the fair line the rest of the market implies.

The fair line of a group is the weighted mean of each book's own devigged
probabilities, over the books quoting every side (sharp books weigh ``sharp_weight``,
others 1). A bet is measured against the line *without its own book*, so a book cannot
vouch for itself; it needs ``ev_min_books`` other books. EV per unit staked is p d - 1;
the best book per side is reported when the edge is within bounds.
"""

from __future__ import annotations

from oddswire.analytics.detect.common import Context, is_live, leg, opportunity_id
from oddswire.analytics.detect.groups import Group
from oddswire.analytics.detect.quotes import Quote, to_american, to_decimal
from oddswire.analytics.odds import DevigMethod, devig, kelly
from oddswire.board import PriceState
from oddswire.board.state import SLOT_BOOKS
from oddswire.model.opportunity import FairLine, Opportunity, OpportunityKind

MULTIPLICATIVE = DevigMethod.MULTIPLICATIVE


def find_value(group: Group, sides: list[dict[int, PriceState]], ctx: Context) -> list[Opportunity]:
    """The best +EV bet per side of the group, if any."""
    settings = ctx.settings
    n = len(sides)
    rest = sides[1:]
    common = [slot for slot in sides[0] if all(slot in other for other in rest)]
    count = len(common)
    if count < settings.ev_min_books:
        return []
    method = DevigMethod(settings.ev_method)
    sharp, sharp_weight = ctx.sharp, settings.sharp_weight
    weight_total = 0.0
    sums = [0.0] * n
    own: dict[int, tuple[float, tuple[float, ...] | list[float]]] = {}
    two_way = n == 2 and method is MULTIPLICATIVE
    first, second = sides[0], sides[-1]
    for slot in common:
        if two_way:  # the usual case, without the general path's lists
            q0 = 1.0 / to_decimal(first[slot].price)
            q1 = 1.0 / to_decimal(second[slot].price)
            p0 = q0 / (q0 + q1)
            probabilities: tuple[float, ...] | list[float] = (p0, 1.0 - p0)
        else:
            decimals = [to_decimal(side[slot].price) for side in sides]
            probabilities = devig(decimals, method).probabilities
        weight = sharp_weight if SLOT_BOOKS[slot] in sharp else 1.0
        own[slot] = (weight, probabilities)
        weight_total += weight
        for i in range(n):
            sums[i] += weight * probabilities[i]
    total_all = sum(sums)
    found: list[Opportunity] = []
    for side, legs in enumerate(sides):
        top_ev = -1.0
        top: tuple[int, float] | None = None
        for slot, state in legs.items():
            mine = own.get(slot)
            if mine is None:
                probability = sums[side] / total_all
            else:
                if count - 1 < settings.ev_min_books:
                    continue
                weight, probabilities = mine
                excluded = total_all - weight * sum(probabilities)
                if excluded <= 0.0:
                    continue
                probability = (sums[side] - weight * probabilities[side]) / excluded
            ev = probability * to_decimal(state.price) - 1.0
            if ev > top_ev:
                top_ev, top = ev, (slot, probability)
        if top is None or not settings.min_ev_pct <= 100.0 * top_ev <= settings.max_ev_pct:
            continue
        slot, probability = top
        if probability <= 0.0:
            continue
        fair_slots = tuple(s for s in common if s != slot)
        found.append(
            _opportunity(group, side, Quote(slot, legs[slot]), probability, fair_slots, ctx)
        )
    return found


def _opportunity(
    group: Group,
    side: int,
    quote: Quote,
    probability: float,
    fair_slots: tuple[int, ...],
    ctx: Context,
) -> Opportunity:
    line = group.sides[side]
    assert line is not None
    stake = ctx.settings.stake_total
    ev_pct = 100.0 * (probability * quote.decimal - 1.0)
    fair = FairLine(
        method=ctx.settings.ev_method,
        probability=probability,
        price=to_american(1.0 / probability),
        affiliate_ids=tuple(sorted(SLOT_BOOKS[s] for s in fair_slots)),
        kelly=kelly(probability, quote.decimal),
    )
    return Opportunity(
        id=opportunity_id("posev", group.key, side, quote.affiliate_id),
        kind=OpportunityKind.POSITIVE_EV,
        event_id=line.event.event.event_id,
        sport_id=line.event.event.sport_id,
        market_id=line.market_id,
        period_id=line.period_id,
        legs=(leg(line, quote, stake, stake * quote.decimal, ctx.now),),
        profit_pct=ev_pct,
        worst_pct=-100.0,
        fair=fair,
        is_live=is_live(line.event, group.live),
        is_main_line=quote.state.is_main_line,
        is_prop=group.is_prop,
        detected_ts=ctx.now,
        updated_ts=ctx.now,
        board_sequence=ctx.board_sequence,
    )
