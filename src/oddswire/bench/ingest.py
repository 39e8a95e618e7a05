"""Ingest throughput with every tick stored: hub -> board -> SQLite store, to durable."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from oddswire.bench.config import INGEST_BUDGET, Sizes, timed
from oddswire.bench.hubs import count_rows, fresh_path, new_hub, submit_all
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.workload import ChangeStream, batches, build_universe, initial_changes
from oddswire.model.change import Change, PriceChange
from oddswire.store.sqlite.protocol import TickRow
from oddswire.store.sqlite.schema import DDL, connect

INSERT_TICK = "INSERT INTO ticks VALUES (?,?,?,?,?,?,?,?,?)"


@dataclass(slots=True)
class IngestRun:
    """What the hub did while timed."""

    applied: int = 0
    seconds: float = 0.0
    commits: int = 0
    warm_sequence: int = 0
    warm_prices: int = 0
    committed: list[int] = field(default_factory=list)


async def _ingest(path: str, warm: list[list[Change]], work: list[list[PriceChange]]) -> IngestRun:
    hub = new_hub(path)
    await hub.open()
    run = IngestRun()
    try:
        await submit_all(hub, warm)
        await hub.store.flush()
        run.warm_sequence = hub.board.sequence
        run.warm_prices = hub.board.price_count
        hub.store.add_commit_listener(run.committed.append)
        with timed() as t:
            run.applied = await submit_all(hub, work)
            await hub.store.flush()
        run.seconds = t.seconds
        # A commit listener hears every commit that made ticks durable.
        run.commits = len(run.committed)
    finally:
        await hub.stop()
    return run


def _read_ticks(path: str, after: int) -> tuple[list[TickRow], list[TickRow]]:
    """The stored tick rows: (up to ``after``, after it), each in sequence order."""
    conn = connect(path, cache_mb=32)
    try:
        rows: list[TickRow] = conn.execute("SELECT * FROM ticks ORDER BY sequence").fetchall()
    finally:
        conn.close()
    split = next((i for i, row in enumerate(rows) if row[1] > after), len(rows))
    return rows[:split], rows[split:]


def raw_inserts(path: str, warm: list[TickRow], rows: list[TickRow], per_commit: int) -> float:
    """The baseline: ``executemany`` of the same rows into a fresh store file (same DDL and
    pragmas), committed ``per_commit`` rows at a time, each chunk in clustered-key order as
    the writer sorts it. Returns the seconds taken by the timed rows."""
    conn = connect(path)
    try:
        conn.execute("BEGIN")
        for statement in DDL:
            conn.execute(statement)
        conn.executemany(INSERT_TICK, sorted(warm))
        conn.execute("COMMIT")
        chunks = [sorted(rows[i : i + per_commit]) for i in range(0, len(rows), per_commit)]
        executemany = conn.executemany
        execute = conn.execute
        with timed() as t:
            for chunk in chunks:
                execute("BEGIN")
                executemany(INSERT_TICK, chunk)
                execute("COMMIT")
        return t.seconds
    finally:
        conn.close()


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    """Measure ingest through a real hub and store against raw SQLite inserts."""
    universe = build_universe(sizes.slate, seed)
    warm: list[list[Change]] = list(initial_changes(universe, batch=sizes.batch))
    stream = ChangeStream(universe, seed)
    work = batches(stream.take(sizes.ingest_changes), sizes.batch)
    changes = stream.counts.changes
    path = fresh_path(directory, "ingest.sqlite")

    hub_run = asyncio.run(_ingest(path, warm, work))
    del warm, work
    stored = count_rows(path, "ticks")

    warm_rows, rows = _read_ticks(path, hub_run.warm_sequence)
    per_commit = max(1, round(hub_run.applied / max(hub_run.commits, 1)))
    base_path = fresh_path(directory, "ingest-baseline.sqlite")
    base_seconds = raw_inserts(base_path, warm_rows, rows, per_commit)
    base_commits = -(-len(rows) // per_commit)
    del warm_rows, rows

    rate = hub_run.applied / hub_run.seconds
    return BenchResult(
        name="ingest",
        figures=[
            Figure(
                name="ingest, stored",
                value=rate,
                unit="changes/s",
                baseline=hub_run.applied / base_seconds,
                baseline_name="raw executemany",
                budget=INGEST_BUDGET,
            )
        ],
        checks={
            "applied count matches the stream": hub_run.applied == stream.counts.effective,
            "ticks stored = warm prices + applied": stored == hub_run.warm_prices + hub_run.applied,
        },
        details={
            "changes": changes,
            "applied": hub_run.applied,
            "expected_applied": stream.counts.effective,
            "warm_prices": hub_run.warm_prices,
            "ticks_stored": stored,
            "submitted_per_second": changes / hub_run.seconds,
            "commits": hub_run.commits,
            "rows_per_commit": hub_run.applied / max(hub_run.commits, 1),
            "seconds": hub_run.seconds,
            "baseline_seconds": base_seconds,
            "baseline_commits": base_commits,
            "baseline_rows_per_commit": per_commit,
            "path": path,
        },
    )
