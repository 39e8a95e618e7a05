"""2-way and 3-way arbitrage: the best leg per side, across books, pays more than it costs.

For one group (same event, market, period and line), take each side's best eligible
price; with decimal odds d_i, S = sum(1/d_i). S < 1 is an arbitrage returning 1/S - 1,
with stakes T (1/d_i) / S so every result pays T / S.
"""

from __future__ import annotations

from oddswire.analytics.detect.common import Context, is_live, leg, opportunity_id
from oddswire.analytics.detect.groups import Group
from oddswire.analytics.detect.quotes import Quote, best
from oddswire.analytics.odds import stake_split
from oddswire.board import PriceState
from oddswire.model.opportunity import Opportunity, OpportunityKind


def find_arbitrage(
    group: Group,
    sides: list[dict[int, PriceState]],
    ctx: Context,
    prefer: tuple[int, ...] | None = None,
) -> Opportunity | None:
    """The group's arbitrage, if its best legs make one within the settings' bounds.
    ``prefer`` names the book slots of the open one, which keep their place on a tie."""
    legs: list[Quote] = []
    inverse = 0.0
    for i, quotes in enumerate(sides):
        chosen = best(quotes, prefer[i] if prefer and i < len(prefer) else None)
        if chosen is None:
            return None
        legs.append(chosen)
        inverse += 1.0 / chosen.decimal
    if inverse >= 1.0:
        return None
    settings = ctx.settings
    profit_pct = 100.0 * (1.0 / inverse - 1.0)
    if profit_pct < settings.min_arb_pct or profit_pct > settings.max_arb_pct:
        return None
    split = stake_split([q.decimal for q in legs], total=settings.stake_total)
    lines = group.sides
    first = group.event_line
    kind = OpportunityKind.TWO_WAY if len(legs) == 2 else OpportunityKind.THREE_WAY
    books = tuple(q.affiliate_id for q in legs)
    return Opportunity(
        id=opportunity_id(str(kind), group.key, books),
        kind=kind,
        event_id=first.event.event.event_id,
        sport_id=first.event.event.sport_id,
        market_id=first.market_id,
        period_id=first.period_id,
        legs=tuple(
            leg(line, quote, wager, payout, ctx.now)
            for line, quote, wager, payout in zip(
                lines, legs, split.stakes, split.payouts, strict=True
            )
            if line is not None
        ),
        profit_pct=profit_pct,
        worst_pct=profit_pct,
        is_live=is_live(first.event, group.live),
        is_main_line=all(q.state.is_main_line for q in legs),
        is_prop=group.is_prop,
        detected_ts=ctx.now,
        updated_ts=ctx.now,
        board_sequence=ctx.board_sequence,
    )
