"""The live detectors under a firehose: a realistic market (the simulator) pushed through
a real hub and SQLite store at 160,000 changes/s (over the 150,000 budget), with and
without the detectors.

The simulator's changes are generated first (never timed), at that many changes per
simulated second, so replaying them at that rate keeps the data's clock with the wall's;
the detectors run on the data's clock, sweeping on their timer as in ``serve``. The
figure is the rate the hub sustained with the detectors on, next to the same run with
them off; the details say how much CPU they took and how far behind they ran.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from oddswire.analytics.detect import DetectorSettings
from oddswire.bench.config import ANALYTICS_RATE, INGEST_BUDGET, Sizes
from oddswire.bench.hubs import fresh_path, new_hub
from oddswire.bench.results import BenchResult, Figure
from oddswire.hub.hub import settle_heap
from oddswire.model.change import Change
from oddswire.refdata import load_catalog
from oddswire.sim import SimSettings, Simulator

START = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


@dataclass(slots=True)
class PacedRun:
    applied: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    detector_seconds: float = 0.0
    evaluations: int = 0
    opportunity_changes: int = 0
    max_lag: float = 0.0


def generate(changes: int, seed: int) -> tuple[list[list[Change]], list[list[Change]]]:
    """(bootstrap chunks, one batch per simulator step) for about ``changes`` changes."""
    settings = SimSettings(
        seed=seed, rate=ANALYTICS_RATE, days_back=0, days_ahead=1, all_sports=True
    )
    sim = Simulator(load_catalog(), settings, START)
    warm = list(sim.bootstrap())
    steps: list[list[Change]] = []
    total = 0
    while total < changes:
        step = sim.step()
        steps.append(step)
        total += len(step)
    return warm, steps


async def _paced(
    path: str, warm: list[list[Change]], steps: list[list[Change]], detectors: bool
) -> PacedRun:
    settings = DetectorSettings() if detectors else None
    hub = new_hub(path, settings)
    await hub.open()
    run = PacedRun()
    analytics = hub.analytics
    sweeper: asyncio.Task[None] | None = None
    try:
        for chunk in warm:
            await hub.submit(chunk)
        await hub.store.flush()
        if analytics is not None and settings is not None:
            analytics.use_clock(lambda: 0.0)  # the data's clock
            analytics.prime()  # every unit due now: the first look at the warm board,
            analytics.sweep()  # before timing
            analytics.seconds = 0.0
            evaluated = analytics.detectors.evaluations
            sweeper = asyncio.create_task(analytics.run(settings.evaluation_interval))
        settle_heap()  # as Hub.warm_up does in serve
        loop = asyncio.get_running_loop()
        started = loop.time()
        cpu = time.process_time()
        sent = 0
        for step in steps:
            run.applied += await hub.submit(step)
            sent += len(step)
            ahead = started + sent / ANALYTICS_RATE - loop.time()
            await asyncio.sleep(max(0.0, ahead))  # a source's pace; timers and commits run
        await hub.store.flush()
        run.seconds = loop.time() - started
        run.cpu_seconds = time.process_time() - cpu
        if analytics is not None:
            run.detector_seconds = analytics.seconds
            run.evaluations = analytics.detectors.evaluations - evaluated
            run.opportunity_changes = hub.opportunities.sequence
            run.max_lag = analytics.max_lag
    finally:
        if sweeper is not None:
            sweeper.cancel()
        await hub.stop()
    return run


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    warm, steps = generate(sizes.analytics_changes, seed)
    offered = sum(len(s) for s in steps)
    off = asyncio.run(_paced(fresh_path(directory, "analytics-off.sqlite"), warm, steps, False))
    on = asyncio.run(_paced(fresh_path(directory, "analytics-on.sqlite"), warm, steps, True))
    rate_on = on.applied / on.seconds
    rate_off = off.applied / off.seconds
    return BenchResult(
        name="analytics",
        figures=[
            Figure(
                name=f"ingest at {ANALYTICS_RATE:,.0f}/s offered, detectors on",
                value=rate_on,
                unit="changes/s",
                baseline=rate_off,
                baseline_name="same run, detectors off",
                budget=INGEST_BUDGET,
            )
        ],
        checks={
            "same changes applied with and without detectors": on.applied == off.applied,
            "the detectors published opportunities (warm board and run)": (
                on.opportunity_changes > 0
            ),
        },
        details={
            "offered_changes": offered,
            "applied": on.applied,
            "seconds_on": on.seconds,
            "seconds_off": off.seconds,
            "main_process_cpu_share_on": on.cpu_seconds / on.seconds,
            "main_process_cpu_share_off": off.cpu_seconds / off.seconds,
            "detector_cpu_seconds": on.detector_seconds,
            "detector_cpu_share": on.detector_seconds / on.seconds,
            "evaluations": on.evaluations,
            "opportunity_changes": on.opportunity_changes,
            "max_detector_lag_seconds": on.max_lag,
        },
    )
