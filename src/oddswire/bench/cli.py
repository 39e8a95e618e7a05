"""``oddswire bench``: run the benchmarks, print each figure next to its baseline and the
DESIGN §10 budget, and optionally write the results as JSON.

Exit status: 0, or 2 if a benchmark raised or failed a correctness check, or 1 with
``--strict`` if a budget was missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from oddswire.bench import (
    analytics,
    board,
    delayed,
    ingest,
    memory,
    rebuild,
    rest,
    stream,
    upstream,
)
from oddswire.bench.config import FULL, QUICK, Sizes
from oddswire.bench.report import header, result_text, table
from oddswire.bench.results import BenchResult, Report, machine, to_json

Runner = Callable[[Sizes, int, str], BenchResult]

BENCHMARKS: dict[str, Runner] = {
    "board": lambda sizes, seed, _dir: board.run(sizes, seed),
    "ingest": ingest.run,
    "memory": lambda sizes, seed, _dir: memory.run(sizes, seed),
    "rebuild": rebuild.run,
    "rest": rest.run,
    "stream-fanout": stream.run_fanout,
    "stream-latency": stream.run_latency,
    "stream-resume": stream.run_resume,
    "analytics": analytics.run,
    "upstream": upstream.run,
    "delayed": delayed.run,
}

EXIT_MISSED = 1
EXIT_ERROR = 2


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark {', '.join(unknown) or '(none)'}; choose from "
            f"{', '.join(BENCHMARKS)}"
        )
    return names


def _scale(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("--scale must be a positive number")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the bench options to ``parser`` (the ``oddswire bench`` subcommand)."""
    parser.add_argument(
        "--quick",
        dest="bench_quick",
        action="store_true",
        help="small sizes: the whole run takes well under a minute",
    )
    parser.add_argument(
        "--only",
        dest="bench_only",
        metavar="NAME[,NAME]",
        type=_names,
        default=None,
        help=f"run only these benchmarks ({', '.join(BENCHMARKS)})",
    )
    parser.add_argument(
        "--json",
        dest="bench_json",
        metavar="PATH",
        default=None,
        help="also write the results as JSON to PATH",
    )
    parser.add_argument(
        "--strict",
        dest="bench_strict",
        action="store_true",
        help="exit 1 if a budget is missed",
    )
    parser.add_argument(
        "--scale",
        dest="bench_scale",
        metavar="F",
        type=_scale,
        default=1.0,
        help="multiply every size by F",
    )
    parser.add_argument(
        "--tmp",
        dest="bench_tmp",
        metavar="DIR",
        default=None,
        help="where the SQLite files go (kept); default: a temporary directory, removed after",
    )
    parser.add_argument(
        "--seed",
        dest="bench_seed",
        metavar="N",
        type=int,
        default=1,
        help="seed of the synthetic workload (default 1)",
    )


@contextmanager
def _directory(path: str | None) -> Iterator[str]:
    if path is not None:
        os.makedirs(path, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="oddswire-bench-") as tmp:
        yield tmp


def run_benchmarks(
    names: list[str], sizes: Sizes, seed: int, directory: str, out: TextIO
) -> list[BenchResult]:
    """Run the named benchmarks in order, printing each as it finishes."""
    results: list[BenchResult] = []
    for name in names:
        out.write(f"[{name}] running...\n")
        out.flush()
        started = time.perf_counter()
        try:
            result = BENCHMARKS[name](sizes, seed, directory)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            result = BenchResult(name=name, error=f"{type(exc).__name__}: {exc}")
        result.seconds = time.perf_counter() - started
        results.append(result)
        out.write(result_text(result))
        out.flush()
    return results


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the benchmarks chosen by ``args``; returns the exit status."""
    out = out or sys.stdout
    quick: bool = args.bench_quick
    scale: float = args.bench_scale
    seed: int = args.bench_seed
    sizes = (QUICK if quick else FULL).scaled(scale)
    names: list[str] = args.bench_only or list(BENCHMARKS)
    mode = "quick" if quick else "full"
    info = machine()
    out.write(header(info, mode, scale, seed))
    out.write(
        f"sizes: board {sizes.board_changes:,} changes, ingest {sizes.ingest_changes:,} "
        f"changes, memory {sizes.memory_prices:,} prices, rebuild {sizes.rebuild_ticks:,} "
        f"ticks; slate of {sizes.slate} events; batches of {sizes.batch:,}\n"
        f"streaming: fan-out {sizes.fanout_clients:,} clients x {sizes.fanout_changes:,} "
        f"changes, latency {sizes.latency_clients:,} clients on {sizes.stream_events} events "
        f"at {sizes.latency_rate:,.0f}/s for {sizes.latency_seconds:g} s, resume after "
        f"{sizes.resume_changes:,} changes; {sizes.stream_procs} client processes\n"
    )
    if quick or scale != 1.0:
        out.write("note: the budgets are set for the full sizes; other verdicts are indicative\n")
    out.write("\n")
    started = time.perf_counter()
    with _directory(args.bench_tmp) as directory:
        results = run_benchmarks(names, sizes, seed, directory, out)
    report = Report(
        machine=info,
        mode=mode,
        scale=scale,
        seed=seed,
        results=results,
        seconds=time.perf_counter() - started,
    )
    out.write("\n" + table(report))
    out.write(f"total {report.seconds:.1f} s\n")
    if args.bench_json:
        with open(args.bench_json, "wb") as f:
            f.write(to_json(report))
    if any(r.error is not None or r.failed_checks for r in results):
        return EXIT_ERROR
    if args.bench_strict and any(r.missed for r in results):
        return EXIT_MISSED
    return 0
