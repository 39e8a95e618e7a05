"""Board apply throughput: warm board, one core, no I/O, batches of 1000."""

from __future__ import annotations

import time
from collections.abc import Sequence

from oddswire.bench.config import BOARD_BUDGET, Sizes, frozen_gc
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.workload import ChangeStream, batches, build_universe, initial_changes
from oddswire.board import Board
from oddswire.model.change import PriceChange

Key = tuple[str, int, int, int, str, int]

#: Batches per timed segment; the board and the baseline take turns segment by segment.
SEGMENT = 50


def board_workload(
    sizes: Sizes, seed: int
) -> tuple[list[list[PriceChange]], ChangeStream, Board, dict[Key, float]]:
    """The timed batches, their stream, and a warm board and dict holding every key."""
    universe = build_universe(sizes.slate, seed)
    board = Board()
    plain: dict[Key, float] = {}
    for batch in initial_changes(universe, batch=sizes.batch):
        board.apply(batch)
        for c in batch:
            if isinstance(c, PriceChange):
                plain[
                    (c.event_id, c.market_id, c.period_id, c.participant_id, c.line, c.affiliate_id)
                ] = c.price
    stream = ChangeStream(universe, seed)
    return batches(stream.take(sizes.board_changes), sizes.batch), stream, board, plain


def dict_updates(work: Sequence[Sequence[PriceChange]], plain: dict[Key, float]) -> None:
    """The baseline: a plain dict update per change."""
    for batch in work:
        for c in batch:
            plain[
                (c.event_id, c.market_id, c.period_id, c.participant_id, c.line, c.affiliate_id)
            ] = c.price


def run(sizes: Sizes, seed: int) -> BenchResult:
    """Measure :meth:`Board.apply` against the dict baseline over the same changes."""
    work, stream, board, plain = board_workload(sizes, seed)
    changes = stream.counts.changes
    prices = board.price_count

    apply = board.apply
    applied = 0
    measured = base = 0.0
    clock = time.perf_counter
    # Alternate the two in segments, so both see the same (noisy) machine.
    with frozen_gc():
        for index, start in enumerate(range(0, len(work), SEGMENT)):
            segment = work[start : start + SEGMENT]
            if index % 2:
                t0 = clock()
                for batch in segment:
                    applied += len(apply(batch))
                t1 = clock()
                dict_updates(segment, plain)
                t2 = clock()
                measured += t1 - t0
                base += t2 - t1
            else:
                t0 = clock()
                dict_updates(segment, plain)
                t1 = clock()
                for batch in segment:
                    applied += len(apply(batch))
                t2 = clock()
                base += t1 - t0
                measured += t2 - t1

    rate = changes / measured
    return BenchResult(
        name="board",
        figures=[
            Figure(
                name="board apply",
                value=rate,
                unit="changes/s",
                baseline=changes / base,
                baseline_name="dict update",
                budget=BOARD_BUDGET,
            )
        ],
        checks={"applied count matches the stream": applied == stream.counts.effective},
        details={
            "changes": changes,
            "applied": applied,
            "dropped": changes - applied,
            "applied_fraction": applied / changes,
            "expected_applied": stream.counts.effective,
            "live_prices": prices,
            "events": len(board),
            "lines": board.line_count,
            "seconds": measured,
            "baseline_seconds": base,
            "ns_per_change": 1e9 * measured / changes,
            "baseline_ns_per_change": 1e9 * base / changes,
        },
    )
