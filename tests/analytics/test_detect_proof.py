"""Proof on a long simulator run: every arbitrage the detectors report is real on the
board at its sequence, and every real, fresh arbitrage on the board is reported.

The brute-force scan below is written independently of the detectors: it walks every
line of the board, pairs sides by its own rules and takes the best fresh, open price
per side. The detectors run exactly as the hub runs them (a batch at a time, a sweep
on the timing wheel), on the simulator's clock.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest

from oddswire.analytics.detect import Detectors, DetectorSettings
from oddswire.board import Board, LineState, PriceState
from oddswire.model.change import PriceStatus
from oddswire.model.opportunity import Opportunity, OpportunityKind, OpportunityState
from oddswire.refdata import DRAW, OVER, load_catalog
from oddswire.sim import SimSettings, Simulator

CATALOG = load_catalog()
SETTINGS = DetectorSettings(max_leg_age=300.0, live_max_leg_age=30.0, settle_seconds=1.0)
ARBS = (OpportunityKind.TWO_WAY, OpportunityKind.THREE_WAY)

#: An arbitrage as both sides see it: where, and each side's (line, price).
Key = tuple[str, int, int, tuple[tuple[int, str, float], ...]]


def decimal(american: float) -> float:
    return 1 + american / 100 if american > 0 else 1 + 100 / -american


def fresh(state: PriceState, now: float, live: bool) -> bool:
    stamp = state.source_ts or state.received_ts
    age = now - stamp
    limit = SETTINGS.live_max_leg_age if live else SETTINGS.max_leg_age
    return state.status == PriceStatus.OPEN and SETTINGS.settle_seconds <= age <= limit


def side_of(line: LineState) -> tuple[tuple[object, ...], int, int] | None:
    """(bet key, side, sides needed) by the rules of TheRundown's markets."""
    event = line.event.event
    market = CATALOG.markets.get(line.market_id)
    if market is None:
        return None
    where = (event.event_id, line.market_id, line.period_id)
    pid = line.participant_id
    text = line.line
    if market.kind == "moneyline" and text == "":
        draw = CATALOG.sports[event.sport_id].has_draw
        sides = {event.away_team_id: 0, event.home_team_id: 1, **({DRAW: 2} if draw else {})}
        return (where, "ml"), sides[pid], 3 if draw else 2
    if text.startswith(("Over ", "Under ")):
        word, number = text.split(" ")
        return (where, "prop", pid, float(number)), 0 if word == "Over" else 1, 2
    if market.kind == "total":
        return (where, "total", float(text)), 0 if pid == OVER else 1, 2
    if market.kind == "spread":
        home = pid == event.home_team_id
        return (where, "spread", float(text) * (1 if home else -1) + 0.0), int(home), 2
    return None


def is_live(line: LineState) -> bool:
    market = CATALOG.markets[line.market_id]
    period = CATALOG.periods.get(line.period_id)
    return market.live or bool(period and period.live) or line.event.event.status.is_live


def brute_force(board: Board, now: float) -> dict[Key, float]:
    bets: dict[tuple[object, ...], dict[int, LineState]] = defaultdict(dict)
    needed: dict[tuple[object, ...], int] = {}
    for line in board.iter_lines():
        placed = side_of(line)
        if placed is not None:
            key, side, count = placed
            bets[key][side] = line
            needed[key] = count
    found: dict[Key, float] = {}
    for key, sides in bets.items():
        if len(sides) != needed[key]:
            continue
        legs = []
        for side in sorted(sides):
            line = sides[side]
            live = is_live(line)
            prices = [p.price for p in line.books if p is not None and fresh(p, now, live)]
            if not prices:
                break
            legs.append((line, max(prices)))
        else:
            inverse = sum(1 / decimal(p) for _, p in legs)
            profit = 100 * (1 / inverse - 1)
            if inverse < 1 and SETTINGS.min_arb_pct <= profit <= SETTINGS.max_arb_pct:
                line = legs[0][0]
                where = (line.event.event.event_id, line.market_id, line.period_id)
                shape = tuple(sorted((ln.participant_id, ln.line, p) for ln, p in legs))
                found[(*where, shape)] = profit
    return found


def key_of(opportunity: Opportunity) -> Key:
    shape = tuple(sorted((leg.participant_id, leg.line, leg.price) for leg in opportunity.legs))
    return (opportunity.event_id, opportunity.market_id, opportunity.period_id, shape)


def check_real(board: Board, opportunity: Opportunity, now: float) -> None:
    """Every leg is the board's current, fresh, open price; together they pay."""
    assert opportunity.board_sequence == board.sequence
    inverse = 0.0
    for leg in opportunity.legs:
        line = board.line(
            (
                opportunity.event_id,
                opportunity.market_id,
                opportunity.period_id,
                leg.participant_id,
                leg.line,
            )
        )
        assert line is not None
        state = line.price(leg.affiliate_id)
        assert state is not None and state.price == leg.price
        assert fresh(state, now, is_live(line)), (leg, state, now)
        inverse += 1 / decimal(leg.price)
    assert inverse < 1
    assert opportunity.profit_pct == pytest.approx(100 * (1 / inverse - 1))


@pytest.mark.slow
def test_reported_arbitrages_are_exactly_the_real_fresh_ones() -> None:
    sim = Simulator(
        CATALOG,
        SimSettings(seed=11, rate=4000.0, days_back=0, days_ahead=1, all_sports=True),
        datetime(2026, 11, 21, 23, 0, tzinfo=UTC),  # evening: games go live during the run
    )
    board = Board()
    for chunk in sim.bootstrap():
        board.apply(chunk)
    detectors = Detectors(CATALOG, SETTINGS)
    now = sim.now.timestamp()
    detectors.prime(board, now)
    open_arbs: dict[str, Opportunity] = {}
    reported = checkpoints = compared = 0

    def note(found: list[Opportunity]) -> None:
        nonlocal reported
        for o in found:
            if o.kind not in ARBS:
                continue
            if o.state == OpportunityState.CLOSED:
                open_arbs.pop(o.id)
            else:
                check_real(board, o, now)
                reported += 1
                open_arbs[o.id] = o

    for step in range(1, 1601):
        now = max(now, sim.now.timestamp())
        batch = board.apply(sim.step())
        now = max(now, sim.now.timestamp())
        note(detectors.on_batch(batch, now))
        note(detectors.sweep(now, board.sequence))
        if step % 200 == 0:
            # a checkpoint: let the last moves settle and the wheel catch up, then scan
            now += SETTINGS.settle_seconds + SETTINGS.evaluation_interval
            note(detectors.sweep(now, board.sequence))
            truth = brute_force(board, now)
            mine = {key_of(o): o.profit_pct for o in open_arbs.values()}
            assert mine.keys() == truth.keys()
            for key, profit in truth.items():
                assert mine[key] == pytest.approx(profit)
            checkpoints += 1
            compared += len(truth)
    assert checkpoints == 8
    assert reported > 25, "the run should see plenty of arbitrages"
    assert compared > 5
