"""The change rate and the simulated clock follow the settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from simkit import START, make, price_changes


@pytest.mark.parametrize("rate", [250.0, 2500.0])
def test_changes_per_step_follow_the_rate(rate: float) -> None:
    # 17:40 UTC: no game starts within the next minutes (starts cause bursts of closings).
    sim = make(START - timedelta(minutes=20), rate=rate, days_ahead=1)
    list(sim.bootstrap())
    steps = 600
    total = sum(len(price_changes(sim.step())) for _ in range(steps))
    target = rate * 0.05 * steps
    assert abs(total - target) <= 0.03 * target + 2


def test_quantum_and_clock_speed_scale_simulated_time() -> None:
    sim = make(rate=100, clock_speed=12.0, quantum=0.1)
    assert sim.now == START
    for _ in range(50):
        sim.step()
    assert sim.now == START + timedelta(seconds=50 * 0.1 * 12.0)


def test_fraction_of_a_change_per_step_is_carried() -> None:
    sim = make(rate=30, sport_ids=[4])  # 1.5 changes per step
    list(sim.bootstrap())
    counts = [len(price_changes(sim.step())) for _ in range(400)]
    assert abs(sum(counts) - 600) <= 20
    # A re-quote emits a group's changes together, but the stream is spread over the steps.
    assert sum(1 for c in counts if c) >= 80


def test_timestamps_are_simulated() -> None:
    sim = make(rate=2000, clock_speed=5, sport_ids=[4])
    list(sim.bootstrap())
    for _ in range(20):
        changes = price_changes(sim.step())
    now = sim.now.timestamp()
    assert changes
    for c in changes:
        assert c.received_ts == pytest.approx(now)
        assert now - 2.0 <= c.source_ts < now
