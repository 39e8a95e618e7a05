"""Statistical sanity of the simulated market over several simulated hours."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from simkit import OPEN, Market, arbitrages, booted, implied, make, markets

from oddswire.model.change import PriceChange, PriceStatus
from oddswire.model.lines import parse_line
from oddswire.sim import Simulator

POINTS_SPORTS = {1, 2, 4, 5}
CHECKPOINTS = 12


@dataclass
class Run:
    pairs: int = 0
    three_way: int = 0
    bad_holds: list[tuple[str, int, float]] = field(default_factory=list)
    not_monotonic: list[tuple[int, int, list[tuple[float, float]]]] = field(default_factory=list)
    main_prices: list[float] = field(default_factory=list)
    favourites_checked: int = 0
    favourite_misses: list[tuple[str, int, float, float, float]] = field(default_factory=list)
    disagree: list[float] = field(default_factory=list)
    arbs: list[set[tuple[object, ...]]] = field(default_factory=list)
    statuses: Counter[tuple[PriceStatus, PriceStatus | None]] = field(default_factory=Counter)
    window_closes: int = 0


def _check_market(run: Run, sim: Simulator, m: Market) -> None:
    for affiliate in m.books:
        for legs in m.pairs(affiliate):
            hold = 1.0 - 1.0 / sum(implied(p) for _, p, _ in legs)
            run.pairs += 1
            run.three_way += len(legs) == 3
            if not 0.02 <= hold <= 0.08:
                run.bad_holds.append((m.kind, affiliate, hold))
            if m.market_id in (2, 3) and m.event.event.sport_id in POINTS_SPORTS:
                run.main_prices.extend(p for _, p, main in legs if main)
        _check_monotonic(run, m, affiliate)
    if m.kind == "moneyline" and m.market_id in (1, 41):
        _check_favourite(run, sim, m)
    if m.market_id in (1, 2, 3):
        by_line: defaultdict[tuple[int, str], set[float]] = defaultdict(set)
        for quotes in m.books.values():
            for key, (price, status, _) in quotes.items():
                if status is OPEN:
                    by_line[key].add(price)
        run.disagree.extend(len(v) > 1 for v in by_line.values() if len(v) >= 1)


def _check_monotonic(run: Run, m: Market, affiliate: int) -> None:
    """Over-side (or one team's) implied probability must not rise with the line."""
    ev = m.event.event
    series: defaultdict[object, list[tuple[float, float]]] = defaultdict(list)
    for (pid, line), (price, status, _) in m.books[affiliate].items():
        if status is not OPEN:
            continue
        side, number = parse_line(line)
        if number is None:
            continue
        if m.kind == "spread" and pid == ev.home_team_id:
            series["home"].append((-number, implied(price)))  # home covers if margin > -h
        elif m.kind == "spread":
            series["away"].append((number, 1.0 - implied(price)))
        elif m.kind in ("total", "team_total", "player_prop") and side != "Under" and pid != 11:
            series[pid].append((number, implied(price)))
    for points in series.values():
        points.sort()
        for (_, a), (_, b) in pairwise(points):
            if b > a + 1e-9 and m.kind != "spread":
                run.not_monotonic.append((m.market_id, affiliate, points))
            if m.kind == "spread" and b > a + 0.02:
                run.not_monotonic.append((m.market_id, affiliate, points))


def _check_favourite(run: Run, sim: Simulator, m: Market) -> None:
    ev = m.event.event
    truth = sim.truth(ev.event_id)
    for affiliate, quotes in m.books.items():
        away, home = quotes.get((ev.away_team_id, "")), quotes.get((ev.home_team_id, ""))
        if not away or not home or away[1] is not OPEN or home[1] is not OPEN:
            continue
        run.favourites_checked += 1
        if (truth.p_home >= 0.6 and not home[0] < away[0]) or (
            truth.p_away >= 0.6 and not away[0] < home[0]
        ):
            run.favourite_misses.append((ev.event_id, affiliate, truth.p_home, home[0], away[0]))


@pytest.fixture(scope="module")
def run() -> Run:
    sim = make(
        datetime(2026, 11, 22, 16, tzinfo=UTC),
        rate=3000,
        clock_speed=240,
        sport_ids=[1, 2, 4, 5, 6, 11],
        days_back=0,
        days_ahead=1,
    )
    board = booted(sim)
    result = Run()
    steps = 1800  # six simulated hours
    for i in range(1, steps + 1):
        batch = board.apply(sim.step())
        for c in batch.changes:
            if isinstance(c, PriceChange):
                result.statuses[(c.status, c.previous_status)] += 1
                if c.status is PriceStatus.CLOSED and not c.is_main_line and c.market_id in (2, 3):
                    result.window_closes += 1
        if i % (steps // CHECKPOINTS) == 0:
            ms = markets(board)
            for m in ms:
                _check_market(result, sim, m)
            result.arbs.append(arbitrages(ms))  # type: ignore[arg-type]
    return result


pytestmark = pytest.mark.slow


def test_every_two_way_and_three_way_hold_is_between_2_and_8_percent(run: Run) -> None:
    assert run.pairs > 100_000
    assert run.three_way > 300
    assert run.bad_holds == []


def test_alternates_are_monotonic_in_the_line(run: Run) -> None:
    assert run.not_monotonic == []


def test_main_lines_are_priced_near_even(run: Run) -> None:
    assert len(run.main_prices) > 5000
    outside = [p for p in run.main_prices if not -135 <= p <= 115]
    assert outside == []
    assert -125 < sorted(run.main_prices)[len(run.main_prices) // 2] < -100


def test_favourites_are_shorter_at_every_open_book(run: Run) -> None:
    assert run.favourites_checked > 2000
    assert run.favourite_misses == []


def test_books_disagree(run: Run) -> None:
    assert sum(run.disagree) / len(run.disagree) > 0.6


def test_arbitrages_come_and_go(run: Run) -> None:
    seen = set().union(*run.arbs)
    assert sum(1 for a in run.arbs if a) >= CHECKPOINTS // 2
    lasting = set.intersection(*run.arbs)
    assert lasting == set()
    gone = [a for a, b in zip(run.arbs, run.arbs[1:], strict=False) if a - b]
    assert gone
    assert len(seen) > 10


def test_lines_go_off_the_board_and_come_back(run: Run) -> None:
    off = PriceStatus.OFF_BOARD
    assert run.statuses[(off, PriceStatus.OPEN)] > 1000
    assert run.statuses[(PriceStatus.OPEN, off)] > 1000


def test_main_line_moves_close_and_reopen_lines(run: Run) -> None:
    assert run.window_closes > 100
    assert run.statuses[(PriceStatus.OPEN, PriceStatus.CLOSED)] > 100
