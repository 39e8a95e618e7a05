"""Run in a fresh interpreter by the memory benchmark: fill a Board (or, for the
baseline, a plain dict) with N live prices and print the RSS growth as JSON.

``python -m oddswire.bench.memory_child --kind board --prices 2000000 --seed 1``
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time

import msgspec

from oddswire.bench.workload import initial_changes, universe_for_keys
from oddswire.board import Board
from oddswire.model.change import PriceChange


class ChildResult(msgspec.Struct, kw_only=True):
    """What the child measured."""

    kind: str
    prices: int
    rss_before: int
    rss_after: int
    seconds: float

    @property
    def bytes_per_price(self) -> float:
        return (self.rss_after - self.rss_before) / self.prices


def rss() -> int:
    """Current resident set size in bytes (peak RSS where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def fill(kind: str, prices: int, seed: int) -> ChildResult:
    """Build the key universe first (not counted), then stream its first prices in."""
    universe = universe_for_keys(prices, seed)
    gc.collect()
    before = rss()
    started = time.perf_counter()
    held: object
    if kind == "board":
        board = Board()
        for batch in initial_changes(universe, limit=prices):
            board.apply(batch)
        count = board.price_count
        held = board
    else:
        plain: dict[tuple[str, int, int, int, str, int], float] = {}
        for batch in initial_changes(universe, limit=prices):
            for c in batch:
                if isinstance(c, PriceChange):
                    plain[
                        (
                            c.event_id,
                            c.market_id,
                            c.period_id,
                            c.participant_id,
                            c.line,
                            c.affiliate_id,
                        )
                    ] = c.price
        count = len(plain)
        held = plain
    del batch
    gc.collect()
    after = rss()
    seconds = time.perf_counter() - started
    if count != prices:
        raise RuntimeError(f"{kind} holds {count} prices, expected {prices}")
    del held
    return ChildResult(kind=kind, prices=count, rss_before=before, rss_after=after, seconds=seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="oddswire.bench.memory_child")
    parser.add_argument("--kind", choices=("board", "dict"), required=True)
    parser.add_argument("--prices", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = fill(args.kind, args.prices, args.seed)
    sys.stdout.write(msgspec.json.encode(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
