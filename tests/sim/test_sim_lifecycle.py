"""Games start, go live with scores and clock, change halves and finish."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest
from simkit import booted, make

from oddswire.board import Board
from oddswire.model.change import EventChange, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.refdata import DRAW

PREGAME = {1, 2, 3, 4, 5, 6, 94, 1008, 1009, 1010, 29, 35, 39}
LIVE_FULL = {41, 42, 43}


def _statuses(board: Board, event_id: str) -> dict[tuple[int, int], set[PriceStatus]]:
    state = board.event(event_id)
    assert state is not None
    out: dict[tuple[int, int], set[PriceStatus]] = defaultdict(set)
    for line in state.lines():
        for _, price in line.items():
            out[(line.market_id, line.period_id)].add(price.status)
    return out


@pytest.fixture(scope="module")
def nba_run() -> dict[str, object]:
    """Follow the first NBA game of the night from before tip-off to the final."""
    sim = make(
        datetime(2026, 11, 22, 0, 20, tzinfo=UTC),
        rate=1500,
        clock_speed=600,
        sport_ids=[4],
        days_back=0,
        days_ahead=0,
    )
    board = booted(sim)
    nba = min((e for e in sim.events() if e.sport_id == 4), key=lambda e: e.event_date)
    eid = nba.event_id
    seen: list[EventStatus] = [nba.status]
    snapshots: dict[str, dict[tuple[int, int], set[PriceStatus]]] = {}
    for _ in range(600):
        changes = sim.step()
        board.apply(changes)
        for c in changes:
            if (
                isinstance(c, EventChange)
                and c.event.event_id == eid
                and c.event.status is not seen[-1]
            ):
                seen.append(c.event.status)
        state = board.event(eid)
        assert state is not None
        status = state.event.status
        period = state.event.score.game_period
        if status is EventStatus.IN_PROGRESS and period == 2 and "q2" not in snapshots:
            snapshots["q2"] = _statuses(board, eid)
        if status is EventStatus.IN_PROGRESS and period == 3 and "q3" not in snapshots:
            snapshots["q3"] = _statuses(board, eid)
        if status is EventStatus.FINAL:
            snapshots["final"] = _statuses(board, eid)
            break
    state = board.event(eid)
    assert state is not None
    return {"seen": seen, "snapshots": snapshots, "event": state.event, "sim": sim, "board": board}


def test_event_goes_scheduled_live_final(nba_run: dict[str, object]) -> None:
    seen = nba_run["seen"]
    assert isinstance(seen, list)
    assert seen[0] is EventStatus.SCHEDULED
    assert seen[1] is EventStatus.IN_PROGRESS
    assert EventStatus.HALFTIME in seen and EventStatus.END_PERIOD in seen
    assert seen[-1] is EventStatus.FINAL


def test_final_score_and_winner(nba_run: dict[str, object]) -> None:
    event = nba_run["event"]
    score = event.score  # type: ignore[attr-defined]
    assert score.event_status_detail.startswith("Final")
    assert score.score_home != score.score_away
    assert score.winner_home == (score.score_home > score.score_away)
    assert score.winner_away == (not score.winner_home)
    assert sum(score.score_home_by_period) == score.score_home
    assert sum(score.score_away_by_period) == score.score_away
    assert len(score.score_home_by_period) >= 4
    assert 150 < score.score_home + score.score_away < 320


def test_live_markets_open_and_pregame_closed_in_play(nba_run: dict[str, object]) -> None:
    q2 = nba_run["snapshots"]["q2"]  # type: ignore[index]
    for (market, _), statuses in q2.items():
        if market in PREGAME:
            assert statuses == {PriceStatus.CLOSED}, market
    assert PriceStatus.OPEN in q2[(41, 7)] | q2[(42, 7)] | q2[(43, 7)]
    assert PriceStatus.OPEN in q2[(1024, 13)] | q2[(1025, 13)] | q2[(1026, 13)]
    assert (1028, 14) not in q2


def test_halves_switch_at_halftime(nba_run: dict[str, object]) -> None:
    q3 = nba_run["snapshots"]["q3"]  # type: ignore[index]
    for market in (1024, 1025, 1026):
        assert q3[(market, 13)] == {PriceStatus.CLOSED}
    assert PriceStatus.OPEN in q3[(1028, 14)] | q3[(1029, 14)] | q3[(1030, 14)]


def test_everything_closed_at_the_final(nba_run: dict[str, object]) -> None:
    final = nba_run["snapshots"]["final"]  # type: ignore[index]
    assert final
    for statuses in final.values():
        assert statuses == {PriceStatus.CLOSED}


def test_soccer_plays_halves_with_a_three_way_live_moneyline() -> None:
    sim = make(
        datetime(2026, 11, 22, 13, 55, tzinfo=UTC),
        rate=1500,
        clock_speed=300,
        sport_ids=[11],
        days_back=0,
        days_ahead=0,
    )
    board = booted(sim)
    game = min(sim.events(), key=lambda e: e.event_date)
    statuses: list[EventStatus] = []
    live_draw = False
    for _ in range(500):
        board.apply(sim.step())
        state = board.event(game.event_id)
        assert state is not None
        status = state.event.status
        if not statuses or statuses[-1] is not status:
            statuses.append(status)
        line = board.line((game.event_id, 41, 7, DRAW, ""))
        live_draw = live_draw or (line is not None and bool(line.items()))
        if status is EventStatus.FINAL:
            break
    assert statuses == [
        EventStatus.SCHEDULED,
        EventStatus.FIRST_HALF,
        EventStatus.HALFTIME,
        EventStatus.SECOND_HALF,
        EventStatus.FINAL,
    ]
    assert live_draw


def test_clock_updates_are_throttled() -> None:
    sim = make(
        datetime(2026, 11, 22, 0, 45, tzinfo=UTC),
        rate=200,
        sport_ids=[4],
        days_back=0,
        days_ahead=0,
    )
    list(sim.bootstrap())
    per_event: dict[str, int] = defaultdict(int)
    for _ in range(1200):  # one simulated minute
        for c in sim.step():
            if isinstance(c, EventChange):
                per_event[c.event.event_id] += 1
    assert per_event
    # One header per 30 s of clock, plus one per score change (a few a minute).
    assert max(per_event.values()) <= 2 + 12


def test_truth_of_a_finished_game_is_its_result(nba_run: dict[str, object]) -> None:
    sim = nba_run["sim"]
    event = nba_run["event"]
    truth = sim.truth(event.event_id)  # type: ignore[attr-defined]
    score = event.score  # type: ignore[attr-defined]
    assert truth.score_home == score.score_home and truth.score_away == score.score_away
    assert truth.p_home == float(score.winner_home) and truth.p_away == float(score.winner_away)
    assert truth.expected_margin == score.score_home - score.score_away
