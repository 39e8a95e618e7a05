"""Middles: two bets on one market at different numbers, so a result between them wins
both (the rest of the time one wins, one loses, and the split costs a little).

Totals (and team totals, player props): Over ``o`` at one book and Under ``u`` at
another, u > o: a total strictly between wins both. Spreads, on the home side's margin
m: home at handicap h wins when m > -h, away at handicap a wins when m < a, so a > -h is
a middle over (-h, a). Only main lines count (every book's alternates would make
endless "middles" that cost more than they can win), the lines must be at least
``middle_min_width`` apart, and the balanced stake split must lose no more than
``middle_max_cost_pct`` when the middle misses.
"""

from __future__ import annotations

from oddswire.analytics.detect.common import Context, is_live, leg, opportunity_id
from oddswire.analytics.detect.groups import (
    AWAY_SIDE,
    HOME_SIDE,
    OVER_INDEX,
    SPREAD,
    UNDER_INDEX,
    Family,
)
from oddswire.analytics.detect.quotes import Quote, Window, best_main
from oddswire.analytics.odds import Middle, spread_middle, total_middle
from oddswire.board import LineState
from oddswire.model.lines import parse_line
from oddswire.model.opportunity import Opportunity, OpportunityKind, Region

#: (threshold, line, best quote): a first leg wins above its threshold, a second below.
Candidate = tuple[float, LineState, Quote]


def _candidates(family: Family, window: Window) -> tuple[list[Candidate], list[Candidate]]:
    firsts: list[Candidate] = []
    seconds: list[Candidate] = []
    spread = family.kind == SPREAD
    first_side, second_side = (HOME_SIDE, AWAY_SIDE) if spread else (OVER_INDEX, UNDER_INDEX)
    for group in list(family.main):
        value = group.value
        if value is None:
            continue
        first_line = group.sides[first_side]
        second_line = group.sides[second_side]
        if not any(_quotes_main(line) for line in group.sides):
            del family.main[group]  # no book's main line any more
            group.in_main = False
            continue
        if first_line is not None:
            top = best_main(first_line, window)
            if top is not None:
                # home at h wins when the margin beats -h; Over o when the total beats o
                firsts.append((-value if spread else value, first_line, top))
        if second_line is not None:
            top = best_main(second_line, window)
            if top is not None:
                # away at -h (the group's home value is h) wins below -h; Under u below u
                seconds.append((-value if spread else value, second_line, top))
    return firsts, seconds


def _quotes_main(line: LineState | None) -> bool:
    return line is not None and any(s is not None and s.is_main_line for s in line.books)


def find_middles(family: Family, window: Window, ctx: Context) -> list[Opportunity]:
    settings = ctx.settings
    firsts, seconds = _candidates(family, window)
    found: list[Opportunity] = []
    for low, first_line, first in firsts:
        for high, second_line, second in seconds:
            if high - low < settings.middle_min_width:
                continue
            inverse = 1.0 / first.decimal + 1.0 / second.decimal
            if 100.0 * (1.0 / inverse - 1.0) < -settings.middle_max_cost_pct:
                continue  # balanced stakes lose more than allowed when it misses
            middle = _middle(family, first_line, first, second_line, second, settings.stake_total)
            if not middle.is_middle or middle.worst_pct < -settings.middle_max_cost_pct:
                continue
            found.append(_opportunity(family, first_line, first, second_line, second, middle, ctx))
    return found


def _middle(
    family: Family,
    first_line: LineState,
    first: Quote,
    second_line: LineState,
    second: Quote,
    total: float,
) -> Middle:
    _, first_value = parse_line(first_line.line)
    _, second_value = parse_line(second_line.line)
    assert first_value is not None
    assert second_value is not None
    if family.kind == SPREAD:
        return spread_middle(first_value, first.decimal, second_value, second.decimal, total=total)
    return total_middle(first_value, first.decimal, second_value, second.decimal, total=total)


def _opportunity(
    family: Family,
    first_line: LineState,
    first: Quote,
    second_line: LineState,
    second: Quote,
    middle: Middle,
    ctx: Context,
) -> Opportunity:
    stakes = middle.stakes
    books = (first.affiliate_id, second.affiliate_id)
    event = first_line.event
    lead = family.groups[0]
    return Opportunity(
        id=opportunity_id("middles", family.key, first_line.line, second_line.line, books),
        kind=OpportunityKind.MIDDLE,
        event_id=event.event.event_id,
        sport_id=event.event.sport_id,
        market_id=first_line.market_id,
        period_id=first_line.period_id,
        legs=(
            leg(first_line, first, stakes[0], stakes[0] * first.decimal, ctx.now),
            leg(second_line, second, stakes[1], stakes[1] * second.decimal, ctx.now),
        ),
        profit_pct=middle.best_pct,
        worst_pct=middle.worst_pct,
        regions=tuple(
            Region(low=r.low, high=r.high, profit_pct=r.profit_pct, outcome=r.outcome)
            for r in middle.regions
        ),
        is_live=is_live(event, lead.live),
        is_main_line=True,
        is_prop=lead.is_prop,
        detected_ts=ctx.now,
        updated_ts=ctx.now,
        board_sequence=ctx.board_sequence,
    )
