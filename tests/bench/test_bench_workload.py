"""The synthetic workload: realistic, valid and deterministic."""

from __future__ import annotations

import itertools
from collections import Counter

from oddswire.bench.workload import (
    BOOKS,
    ChangeStream,
    build_universe,
    initial_changes,
    ladder_to_price,
    price_to_ladder,
    universe_for_keys,
)
from oddswire.model.change import EventChange, ParticipantType, PriceChange, PriceStatus


def test_ladder_skips_the_gap_around_even() -> None:
    prices = [ladder_to_price(v) for v in range(-50, 250)]
    assert all(p >= 100 or p <= -101 for p in prices)
    assert all(price_to_ladder(p) == v for v, p in zip(range(-50, 250), prices, strict=True))
    assert ladder_to_price(99) == -101
    assert ladder_to_price(100) == 100


def test_universe_has_the_markets_and_books_of_a_real_slate() -> None:
    universe = build_universe(40, seed=3)
    assert len(universe.events) == 40
    assert len({e.event_id for e in universe.events}) == 40
    assert len({e.sport_id for e in universe.events}) >= 4
    markets = Counter(spec.market_id for spec in universe.lines)
    assert set(markets) == {1, 2, 3, 29, 35, 39}
    for spec in universe.lines:
        assert set(spec.books) <= set(BOOKS)
        if spec.market_id == 1:
            assert spec.line == ""
            assert spec.participant_type is ParticipantType.TEAM
        elif spec.market_id == 2:
            float(spec.line)
        elif spec.market_id == 3:
            assert spec.participant_id in (10, 11)
            assert float(spec.line) > 0
        else:
            assert spec.participant_id >= 1_000_000
            assert spec.participant_type is ParticipantType.PLAYER
            assert spec.line.split()[0] in ("Over", "Under")
    per_event = Counter(spec.event_id for spec in universe.lines if spec.market_id == 2)
    assert set(per_event.values()) == {10}  # main + 4 alternates, two teams
    book_counts = {len(spec.books) for spec in universe.lines if spec.market_id == 1}
    assert book_counts <= {12, 13, 14}


def test_universe_for_keys_reaches_the_count() -> None:
    universe = universe_for_keys(30_000, seed=2)
    assert universe.key_count >= 30_000
    prices = sum(
        isinstance(c, PriceChange) for b in initial_changes(universe, limit=30_000) for c in b
    )
    assert prices == 30_000


def test_initial_changes_put_events_first() -> None:
    universe = build_universe(5, seed=1)
    changes = [c for b in initial_changes(universe, batch=100) for c in b]
    assert all(isinstance(c, EventChange) for c in changes[:5])
    assert all(isinstance(c, PriceChange) for c in changes[5:])
    assert len(changes) == 5 + universe.key_count


def test_stream_is_valid_and_has_the_advertised_mix() -> None:
    universe = build_universe(20, seed=5)
    stream = ChangeStream(universe, seed=5)
    changes = stream.take(50_000)
    received = [c.received_ts for c in changes]
    assert all(a < b for a, b in itertools.pairwise(received))
    assert all(c.source_ts < c.received_ts for c in changes)
    for c in changes:
        assert c.price == int(c.price)
        assert c.price >= 100 or c.price <= -101
    counts = stream.counts
    assert counts.changes == 50_000
    assert 0.09 < counts.noops / counts.changes < 0.11
    assert 0.04 < counts.toggles / counts.changes < 0.08
    assert 0 < counts.flips / counts.changes < 0.01
    off = sum(c.status is PriceStatus.OFF_BOARD for c in changes)
    assert off > 0


def test_stream_is_deterministic_for_a_seed() -> None:
    a = ChangeStream(build_universe(6, seed=9), seed=9).take(2_000)
    b = ChangeStream(build_universe(6, seed=9), seed=9).take(2_000)
    c = ChangeStream(build_universe(6, seed=10), seed=10).take(2_000)
    assert a == b
    assert a != c
