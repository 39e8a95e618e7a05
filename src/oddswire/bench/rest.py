"""REST speed: the events endpoint for a full day of one sport (every book, markets
1,2,3), against the same payload served pre-encoded by the same server.

The server runs in its own process (uvicorn, uvloop, httptools, as ``oddswire serve``);
the load comes from :mod:`oddswire.bench.http_load` in this one, so on two cores each
side has its own.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from oddswire.bench.config import REST_P50_BUDGET, Sizes
from oddswire.bench.http_load import LoadResult, run_load
from oddswire.bench.rest_server import KEY
from oddswire.bench.results import BenchResult, Figure

HEADERS = {"X-TheRundown-Key": KEY}


def _start(directory: str) -> tuple[subprocess.Popen[str], int, str, int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oddswire.bench.rest_server",
            "--db",
            os.path.join(directory, "rest.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("READY "):
        proc.kill()
        errors = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"the benchmark server did not start: {line!r} {errors}")
    _, port, path, size = line.split()
    return proc, int(port), path, int(size)


async def _measure(port: int, path: str, sizes: Sizes) -> dict[str, LoadResult]:
    out: dict[str, LoadResult] = {}
    for name, target in (("events", path), ("static", "/_bench/static")):
        await run_load("127.0.0.1", port, target, HEADERS, connections=1, requests=30)  # warm
        out[f"{name}_latency"] = await run_load(
            "127.0.0.1", port, target, HEADERS, connections=1, requests=sizes.rest_requests
        )
        out[f"{name}_load"] = await run_load(
            "127.0.0.1", port, target, HEADERS, connections=16, seconds=sizes.rest_seconds
        )
    return out


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    proc, port, path, payload = _start(directory)
    try:
        found = asyncio.run(_measure(port, path, sizes))
    finally:
        proc.terminate()
        proc.wait(30)
    events, static = found["events_latency"], found["static_latency"]
    loaded, static_loaded = found["events_load"], found["static_load"]
    ms = 1000.0
    return BenchResult(
        name="rest",
        figures=[
            Figure(
                name="REST events p50",
                value=events.percentile(0.5) * ms,
                unit="ms",
                baseline=static.percentile(0.5) * ms,
                baseline_name="same payload pre-encoded",
                budget=REST_P50_BUDGET,
            ),
            Figure(
                name="REST events, 16 connections",
                value=loaded.rate,
                unit="requests/s",
                baseline=static_loaded.rate,
                baseline_name="same payload pre-encoded",
            ),
        ],
        checks={
            "every request answered 200": events.errors + static.errors + loaded.errors == 0,
            "the events payload is the day's real events": payload > 10_000,
        },
        details={
            "path": path,
            "payload_bytes": payload,
            "p99_ms": round(events.percentile(0.99) * ms, 3),
            "static_p99_ms": round(static.percentile(0.99) * ms, 3),
            "loaded_p50_ms": round(loaded.percentile(0.5) * ms, 3),
            "requests": events.requests + loaded.requests,
        },
    )
