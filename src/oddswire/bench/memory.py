"""Memory per live price: RSS growth of a Board in a fresh interpreter, against a dict."""

from __future__ import annotations

import math
import subprocess
import sys

import msgspec

from oddswire.bench.config import MEMORY_BUDGET, Sizes
from oddswire.bench.memory_child import ChildResult
from oddswire.bench.results import BenchResult, Figure

CHILD_TIMEOUT = 900.0


def measure(kind: str, prices: int, seed: int) -> ChildResult:
    """Run :mod:`oddswire.bench.memory_child` in a new interpreter (clean allocator)."""
    command = [
        sys.executable,
        "-m",
        "oddswire.bench.memory_child",
        "--kind",
        kind,
        "--prices",
        str(prices),
        "--seed",
        str(seed),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"memory child ({kind}) exited {done.returncode}: {done.stderr.strip()[-2000:]}"
        )
    return msgspec.json.decode(done.stdout.strip().splitlines()[-1], type=ChildResult)


def run(sizes: Sizes, seed: int) -> BenchResult:
    """Bytes per live price in a Board and in a plain dict of the same keys."""
    board = measure("board", sizes.memory_prices, seed)
    plain = measure("dict", sizes.memory_prices, seed)
    return BenchResult(
        name="memory",
        figures=[
            Figure(
                name="memory per price",
                value=board.bytes_per_price,
                unit="bytes/price",
                baseline=plain.bytes_per_price,
                baseline_name="dict tuple->float",
                budget=MEMORY_BUDGET,
            )
        ],
        checks={
            "positive finite figures": all(
                math.isfinite(v) and v > 0 for v in (board.bytes_per_price, plain.bytes_per_price)
            )
        },
        details={
            "prices": board.prices,
            "board_rss_growth": board.rss_after - board.rss_before,
            "dict_rss_growth": plain.rss_after - plain.rss_before,
            "board_rss_before": board.rss_before,
            "board_fill_seconds": board.seconds,
            "dict_fill_seconds": plain.seconds,
        },
    )
