"""Outliers: one book's main-line price far from the median of the other books'.

For each eligible main-line quote on a line with at least ``outlier_min_peers`` other
eligible quotes, the consensus is the median implied probability of the others; a quote
``outlier_min_pp`` percentage points or more away from it is an outlier. A lower
probability than consensus is a longer price: better for the bettor.
"""

from __future__ import annotations

from oddswire.analytics.detect.common import Context, leg, opportunity_id
from oddswire.analytics.detect.quotes import Quote, to_american, to_decimal
from oddswire.analytics.outliers import consensus
from oddswire.board import LineState, PriceState
from oddswire.board.state import SLOT_BOOKS
from oddswire.model.opportunity import FairLine, Movement, Opportunity, OpportunityKind


def median_without(ordered: list[float], index: int) -> float:
    """The median of ``ordered`` (sorted) with the element at ``index`` left out, without
    copying: the cheap first test on every look. Reported figures come from
    :func:`oddswire.analytics.outliers.consensus`, the rule the REST endpoint uses."""
    n = len(ordered) - 1

    def at(k: int) -> float:
        return ordered[k if k < index else k + 1]

    if n % 2:
        return at(n // 2)
    return (at(n // 2 - 1) + at(n // 2)) / 2.0


def find_outliers(
    line: LineState, legs: dict[int, PriceState], ctx: Context, live: bool
) -> list[Opportunity]:
    """``legs``: the line's eligible quotes, by book slot (main lines are picked here)."""
    settings = ctx.settings
    main = [
        (1.0 / to_decimal(state.price), slot) for slot, state in legs.items() if state.is_main_line
    ]
    if len(main) < settings.outlier_min_peers + 1:
        return []
    main.sort()
    ordered = [probability for probability, _ in main]
    threshold = settings.outlier_min_pp / 100.0
    # Every quote below the median has the same peer median (and every one above it
    # too), so the extremes deviate most: if they are close, nobody is far (the usual
    # case, decided without looking at the rest).
    last = len(ordered) - 1
    if (
        median_without(ordered, 0) - ordered[0] < threshold
        and ordered[last] - median_without(ordered, last) < threshold
    ):
        return []
    ranked = [Quote(slot, legs[slot]) for _, slot in main]
    found: list[Opportunity] = []
    market = ctx.catalog.markets.get(line.market_id)
    event = line.event
    for index, quote in enumerate(ranked):
        # The REST endpoint's rule (the peers' median), now that the cheap test passed.
        agreed = consensus(ordered[:index] + ordered[index + 1 :])
        deviation = ordered[index] - agreed
        if abs(deviation) < threshold:
            continue
        peers = tuple(sorted(SLOT_BOOKS[q.slot] for q in ranked if q is not quote))
        found.append(
            Opportunity(
                id=opportunity_id("outliers", line.key, quote.affiliate_id),
                kind=OpportunityKind.OUTLIER,
                event_id=event.event.event_id,
                sport_id=event.event.sport_id,
                market_id=line.market_id,
                period_id=line.period_id,
                legs=(leg(line, quote, 0.0, 0.0, ctx.now),),
                profit_pct=abs(deviation) * 100.0,
                fair=FairLine(
                    method="median",
                    probability=agreed,
                    price=to_american(1.0 / agreed),
                    affiliate_ids=peers,
                ),
                movement=Movement(
                    probability_from=agreed,
                    probability_to=ordered[index],
                    move_pp=deviation * 100.0,
                ),
                is_live=live,
                is_main_line=True,
                is_prop=bool(market and market.kind == "player_prop"),
                detected_ts=ctx.now,
                updated_ts=ctx.now,
                board_sequence=ctx.board_sequence,
            )
        )
    return found
