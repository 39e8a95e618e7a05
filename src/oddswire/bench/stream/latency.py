"""**stream-latency**: ``Sizes.latency_clients`` clients, each on one event
(``?event_ids=``), changes at ``Sizes.latency_rate`` a second; latency from the
producer's submit to the client's receive, against a bare ``websockets`` server doing
the same at the same rate (same load on the machine and the clients, so the ratio is
what the hub's pipeline adds)."""

from __future__ import annotations

import math
import os
from array import array
from bisect import bisect_right
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Any

import msgspec

from oddswire.bench.config import LATENCY_P99_BUDGET, Sizes
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.stream.clients import ClientResults
from oddswire.bench.stream.harness import (
    MS,
    START_TIMEOUT,
    client_cpu,
    collect,
    int_array,
    start_clients,
    start_server,
    wait_complete,
)
from oddswire.bench.workload import build_universe

# ----------------------------------------------------------------------- latency


@dataclass
class LatencyRun:
    latencies: list[int] = field(default_factory=list)
    complete: bool = False
    exact: bool = False
    server: dict[str, Any] = field(default_factory=dict)
    deliveries: int = 0
    client_cpu: float = 0.0
    client_busiest: float = 0.0
    #: The hub's latency in stages, each sorted: ``store`` (submit to the commit
    #: callback), ``deliver`` (from there to the client), and ``publish`` (how long the
    #: fan-out took over the committed batch).
    stages: dict[str, list[int]] = field(default_factory=dict)

    def percentile(self, q: float, stage: str | None = None) -> float:
        """In ms."""
        ordered = self.latencies if stage is None else self.stages.get(stage, [])
        if not ordered:
            return math.nan
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * MS


def latency_side(side: str, sizes: Sizes, seed: int, directory: str) -> LatencyRun:
    run = LatencyRun()
    events = [e.event_id for e in build_universe(sizes.stream_events, seed).events]
    clients = sizes.latency_clients
    changes = max(1, round(sizes.latency_rate * sizes.latency_seconds))
    out = os.path.join(directory, f"stream-{side}-latency.msgpack")
    with ExitStack() as stack:
        server, port, key = start_server(stack, side, directory, len(events), seed)
        followed = [i % len(events) for i in range(clients)]
        paths = [f"/api/v2/ws/markets?key={key}&event_ids={events[e]}" for e in followed]
        groups = start_clients(stack, side, port, paths, sizes.stream_procs, directory)
        server.command({"cmd": "clients", "n": clients}, START_TIMEOUT)
        command = {"cmd": "latency", "changes": changes, "rate": sizes.latency_rate, "out": out}
        run.server = server.command(command, 120.0 + 4 * sizes.latency_seconds)
        with open(out, "rb") as f:
            produced: dict[str, bytes] = msgspec.msgpack.decode(f.read())
        sequences, stamps, event_of = (
            int_array(produced["sequence"]),
            int_array(produced["ns"]),
            int_array(produced["event"]),
        )
        by_event: dict[int, array[int]] = {i: array("q") for i in range(len(events))}
        for sequence, event in zip(sequences, event_of, strict=True):
            by_event[event].append(sequence)
        event_of_path = dict(zip(paths, followed, strict=True))
        counts = [sum(len(by_event[event_of_path[p]]) for p in g.paths) for g in groups]
        run.complete = wait_complete(groups, counts, 60.0 + sizes.latency_seconds)
        results = collect(groups)
    submitted = dict(zip(sequences, stamps, strict=True))
    exact = True
    latencies: list[int] = []
    for group, r in zip(groups, results, strict=True):
        for path, raw_ids, raw_times in zip(group.paths, r.ids, r.times, strict=True):
            ids, times = int_array(raw_ids), int_array(raw_times)
            exact = exact and ids == by_event[event_of_path[path]]
            latencies.extend(t - submitted.get(i, t) for i, t in zip(ids, times, strict=True))
    latencies.sort()
    run.latencies = latencies
    if "commit_first" in produced:
        run.stages = _stages(produced, submitted, results)
    run.exact = exact
    run.deliveries = len(latencies)
    run.client_cpu, run.client_busiest = client_cpu(results, 0)
    return run


def _stages(
    produced: dict[str, bytes],
    submitted: dict[int, int],
    results: list[ClientResults],
) -> dict[str, list[int]]:
    firsts = int_array(produced["commit_first"])
    before, after = int_array(produced["commit_before"]), int_array(produced["commit_after"])
    stages: dict[str, list[int]] = {"store": [], "deliver": [], "publish": []}
    store, deliver, publish = stages["store"], stages["deliver"], stages["publish"]
    for r in results:
        for raw_ids, raw_times in zip(r.ids, r.times, strict=True):
            for sequence, received in zip(int_array(raw_ids), int_array(raw_times), strict=True):
                k = bisect_right(firsts, sequence) - 1
                store.append(before[k] - submitted[sequence])
                deliver.append(received - before[k])
                publish.append(after[k] - before[k])
    for values in stages.values():
        values.sort()
    return stages


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    hub = latency_side("hub", sizes, seed, directory)
    bare = latency_side("bare", sizes, seed, directory)
    rate = sizes.latency_rate
    # The same pipeline at a tenth of the rate, for the reader (not a figure).
    low_sizes = replace(
        sizes, latency_rate=rate / 10, latency_seconds=max(0.5, sizes.latency_seconds / 3)
    )
    low = latency_side("hub", low_sizes, seed, directory)
    baseline_name = f"bare websockets, same {rate:,.0f}/s"
    per_change = hub.deliveries / hub.server["applied"] if hub.server.get("applied") else 0.0
    return BenchResult(
        name="stream-latency",
        figures=[
            Figure(
                name="latency p50",
                value=hub.percentile(0.5),
                unit="ms",
                baseline=bare.percentile(0.5),
                baseline_name=baseline_name,
            ),
            Figure(
                name="latency p99",
                value=hub.percentile(0.99),
                unit="ms",
                baseline=bare.percentile(0.99),
                baseline_name=baseline_name,
                budget=LATENCY_P99_BUDGET,
            ),
        ],
        checks={
            "every client got every change of its event once, in order (hub)": (
                hub.complete and hub.exact and hub.deliveries > 0
            ),
            "every client got every change of its event once, in order (bare)": (
                bare.complete and bare.exact and bare.deliveries > 0
            ),
            "every client got every change of its event once, at a tenth of the rate": (
                low.complete and low.exact and low.deliveries > 0
            ),
            "no hub session lagged (no conflation)": hub.server.get("lag_episodes", 1) == 0,
        },
        details={
            "clients": sizes.latency_clients,
            "events": sizes.stream_events,
            "client_procs": sizes.stream_procs,
            "target_rate": rate,
            "hub_rate": round(hub.server.get("rate", 0.0)),
            "bare_rate": round(bare.server.get("rate", 0.0)),
            "hub_batches_behind": hub.server.get("batches_behind", 0),
            "batches": hub.server.get("batches", 0),
            "seconds": round(hub.server.get("seconds", 0.0), 2),
            "applied": hub.server.get("applied", 0),
            "deliveries": hub.deliveries,
            "clients_per_change": round(per_change, 2),
            "p999_ms": round(hub.percentile(0.999), 3),
            "max_ms": round(hub.percentile(1.0), 3),
            "bare_p999_ms": round(bare.percentile(0.999), 3),
            "bare_max_ms": round(bare.percentile(1.0), 3),
            "hub_client_cpu_seconds": round(hub.client_cpu, 3),
            "hub_client_busiest": round(hub.client_busiest, 2),
            **{
                f"hub_{stage}_{name}_ms": round(hub.percentile(q, stage), 3)
                for stage in ("store", "deliver", "publish")
                for name, q in (("p50", 0.5), ("p99", 0.99))
            },
            "hub_server_cpu_share": round(_cpu_share(hub.server), 2),
            "bare_server_cpu_share": round(_cpu_share(bare.server), 2),
            "low_rate": low_sizes.latency_rate,
            "low_p50_ms": round(low.percentile(0.5), 3),
            "low_p99_ms": round(low.percentile(0.99), 3),
            "low_server_cpu_share": round(_cpu_share(low.server), 2),
        },
    )


def _cpu_share(server: dict[str, Any]) -> float:
    seconds = float(server.get("seconds", 0.0))
    return float(server.get("cpu_seconds", math.nan)) / seconds if seconds > 0 else math.nan
