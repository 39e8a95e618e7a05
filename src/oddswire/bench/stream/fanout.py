"""**stream-fanout**: ``Sizes.fanout_clients`` clients on ``/api/v2/ws/markets`` (every
price); the same changes sent, as fast as the clients take them, by the hub and by a bare
``websockets.broadcast`` of the same bytes. Figure: deliveries/s (change messages
received by all clients, per second from the first send to the last receive)."""

from __future__ import annotations

import math
from array import array
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from oddswire.bench.config import FANOUT_BUDGET, Sizes
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.stream.harness import (
    START_TIMEOUT,
    client_cpu,
    collect,
    int_array,
    start_clients,
    start_server,
    wait_complete,
)

#: Changes per submit.
FANOUT_BATCH = 20


# ----------------------------------------------------------------------- fan-out


@dataclass
class FanoutRun:
    deliveries: int = 0
    seconds: float = math.nan
    complete: bool = False
    exact: bool = False
    payload_bytes: set[int] = field(default_factory=set)
    client_cpu: float = 0.0
    client_busiest: float = 0.0
    #: The server process's CPU seconds per second, from the first send to when every
    #: client had everything.
    server_cpu: float = math.nan
    server: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.deliveries / self.seconds if self.seconds > 0 else math.nan


def fanout_side(side: str, sizes: Sizes, seed: int, directory: str) -> FanoutRun:
    run = FanoutRun()
    with ExitStack() as stack:
        server, port, key = start_server(stack, side, directory, sizes.stream_events, seed)
        clients = sizes.fanout_clients
        paths = [f"/api/v2/ws/markets?key={key}"] * clients
        groups = start_clients(stack, side, port, paths, sizes.stream_procs, directory)
        server.command({"cmd": "clients", "n": clients}, START_TIMEOUT)
        # A warm-up (untimed) through the same path, until every client has it.
        warm_changes = max(50, sizes.fanout_changes // 10)
        warm = server.command(
            {"cmd": "fanout", "changes": warm_changes, "batch": FANOUT_BATCH}, 600
        )
        timeout = 60.0 + warm["applied"] * clients / 10_000
        counts = [len(g.paths) * warm["applied"] for g in groups]
        if not wait_complete(groups, counts, timeout):
            raise RuntimeError(f"{side}: the warm-up did not reach every client")
        timed = server.command(
            {"cmd": "fanout", "changes": sizes.fanout_changes, "batch": FANOUT_BATCH}, 600
        )
        applied = warm["applied"] + timed["applied"]
        timeout = 60.0 + timed["applied"] * clients / 10_000
        counts = [len(g.paths) * applied for g in groups]
        run.complete = wait_complete(groups, counts, timeout)
        now = server.command({"cmd": "cpu"}, 60)
        results = collect(groups)
    run.server_cpu = (now["cpu"] - timed["cpu_at_start"]) / (
        (now["ns"] - timed["started_ns"]) / 1e9
    )
    expected = array("q", range(warm["first"], timed["last"] + 1))
    exact = len(expected) == applied
    last_receive = 0
    deliveries = 0
    for r in results:
        for raw_ids, raw_times, size in zip(r.ids, r.times, r.payload_bytes, strict=True):
            ids = int_array(raw_ids)
            exact = exact and ids == expected
            deliveries += sum(1 for i in ids if i >= timed["first"])
            times = int_array(raw_times)
            if times:
                last_receive = max(last_receive, times[-1])
            run.payload_bytes.add(size)
    run.exact = exact
    run.deliveries = deliveries
    if last_receive > timed["started_ns"]:
        run.seconds = (last_receive - timed["started_ns"]) / 1e9
    run.client_cpu, run.client_busiest = client_cpu(results, 1)
    run.server = timed
    return run


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    hubs: list[FanoutRun] = []
    bares: list[FanoutRun] = []
    for _ in range(sizes.stream_rounds):
        hubs.append(fanout_side("hub", sizes, seed, directory))
        bares.append(fanout_side("bare", sizes, seed, directory))
    hub = max(hubs, key=lambda r: r.rate if math.isfinite(r.rate) else -1.0)
    bare = max(bares, key=lambda r: r.rate if math.isfinite(r.rate) else -1.0)
    clients = sizes.fanout_clients
    expected = clients * hub.server.get("applied", 0)
    best = "best of " + str(sizes.stream_rounds) if sizes.stream_rounds > 1 else ""
    payloads = {size for r in hubs + bares for size in r.payload_bytes}
    return BenchResult(
        name="stream-fanout",
        figures=[
            Figure(
                name=f"fan-out, {clients:,} clients" + (f" ({best})" if best else ""),
                value=hub.rate,
                unit="deliveries/s",
                baseline=bare.rate,
                baseline_name="bare websockets.broadcast",
                budget=FANOUT_BUDGET,
            )
        ],
        checks={
            "every client got every change once, in order (hub)": all(
                r.complete and r.exact for r in hubs
            ),
            "every client got every change once, in order (bare)": all(
                r.complete and r.exact for r in bares
            ),
            "both sides sent the same payload bytes": len(payloads) == 1,
            "no hub session lagged (no conflation)": all(
                r.server.get("lag_episodes", 1) == 0 for r in hubs
            ),
        },
        details={
            "clients": clients,
            "client_procs": sizes.stream_procs,
            "changes": sizes.fanout_changes,
            "applied": hub.server.get("applied", 0),
            "deliveries": hub.deliveries,
            "expected_deliveries": expected,
            "hub_seconds": round(hub.seconds, 3),
            "bare_seconds": round(bare.seconds, 3),
            "payload_bytes_per_client": max(hub.payload_bytes, default=0),
            "hub_send_seconds": round(_span(hub.server, "settled_ns"), 3),
            "bare_send_seconds": round(_span(bare.server, "settled_ns"), 3),
            "hub_client_cpu_seconds": round(hub.client_cpu, 3),
            "bare_client_cpu_seconds": round(bare.client_cpu, 3),
            "hub_client_busiest": round(hub.client_busiest, 2),
            "bare_client_busiest": round(bare.client_busiest, 2),
            "hub_server_cpu_share": round(hub.server_cpu, 2),
            "bare_server_cpu_share": round(bare.server_cpu, 2),
            "hub_producer_waits": hub.server.get("waits", 0),
            "bare_producer_waits": bare.server.get("waits", 0),
            "rounds": sizes.stream_rounds,
            "hub_rates": ", ".join(f"{r.rate:,.0f}" for r in hubs),
            "bare_rates": ", ".join(f"{r.rate:,.0f}" for r in bares),
        },
    )


def _span(server: dict[str, Any], end: str) -> float:
    if end not in server:
        return math.nan
    return float(server[end] - server["started_ns"]) / 1e9
