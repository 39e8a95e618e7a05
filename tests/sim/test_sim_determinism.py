"""Same settings and start, same stream; and each event's truth and game depend only on time."""

from __future__ import annotations

from datetime import timedelta

import msgspec
from msgspec.structs import replace
from simkit import START, make

from oddswire.model.event import EventStatus


def _stream(seed: int, steps: int) -> list[bytes]:
    sim = make(
        seed=seed, rate=1000, clock_speed=20, sport_ids=[4, 11, 2], days_back=0, days_ahead=1
    )
    encode = msgspec.json.encode
    out = [encode(c) for chunk in sim.bootstrap() for c in chunk]
    for _ in range(steps):
        out.extend(encode(c) for c in sim.step())
    return out


def test_same_settings_same_bytes() -> None:
    a = _stream(7, 2000)
    b = _stream(7, 2000)
    assert len(a) > 120_000
    assert a == b


def test_other_seed_differs() -> None:
    a = _stream(7, 50)
    b = _stream(8, 50)
    assert a != b


def test_step_never_reads_the_wall_clock(monkeypatch: object) -> None:
    import time

    sim_a = make(rate=500, sport_ids=[4], days_ahead=0)
    list(sim_a.bootstrap())
    first = [msgspec.json.encode(c) for _ in range(200) for c in sim_a.step()]
    setattr(time, "_saved", time.time)  # noqa: B010
    try:
        time.time = lambda: 0.0  # type: ignore[assignment]
        sim_b = make(rate=500, sport_ids=[4], days_ahead=0)
        list(sim_b.bootstrap())
        second = [msgspec.json.encode(c) for _ in range(200) for c in sim_b.step()]
    finally:
        time.time = time._saved  # type: ignore[attr-defined]
    assert first == second


def test_later_start_reproduces_scores_and_truth() -> None:
    """A simulator started 2 h later sees the same scores and truth at the same time."""
    settings = {"rate": 300, "clock_speed": 600, "sport_ids": [4, 11, 6, 1], "days_back": 0}
    early = make(START, **settings)
    late = make(START + timedelta(hours=2), **settings)
    list(early.bootstrap())
    list(late.bootstrap())
    for _ in range(360):  # 3 h at 30 s per step
        early.step()
    for _ in range(120):  # 1 h
        late.step()
    assert early.now == late.now == START + timedelta(hours=3)
    shared = {e.event_id for e in early.events()} & {e.event_id for e in late.events()}
    statuses = {e.event_id: replace(e.score, updated_at=None) for e in early.events()}
    compared = live = 0
    for e in late.events():
        if e.event_id not in shared:
            continue
        assert statuses[e.event_id] == replace(e.score, updated_at=None)
        assert early.truth(e.event_id) == late.truth(e.event_id)
        compared += 1
        live += e.score.event_status not in (EventStatus.SCHEDULED, EventStatus.FINAL)
    assert compared > 20
    assert live >= 2
