"""What the streaming benchmarks share: starting the server and client processes,
waiting for the clients, reading what they recorded."""

from __future__ import annotations

import asyncio
import json
import os
import time
from array import array
from collections.abc import Coroutine
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from oddswire.bench.stream.clients import ClientResults
from oddswire.bench.stream.procs import Child

SERVER = "oddswire.bench.stream.server"
CLIENTS = "oddswire.bench.stream.clients"
SERVER_STOP = json.dumps({"cmd": "stop"})
HOST = "127.0.0.1"
START_TIMEOUT = 180.0
#: The servers' event loop: uvloop, as ``oddswire serve`` runs (``asyncio`` only to
#: compare, by hand).
SERVER_LOOP = "uvloop"
MS = 1e-6  # ns -> ms
T = TypeVar("T")


def run_async(main: Coroutine[Any, Any, T]) -> T:
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover
        runner = asyncio.Runner()
    with runner:
        return runner.run(main)


# --------------------------------------------------------------------- processes


def start_server(
    stack: ExitStack, side: str, directory: str, events: int, seed: int, log_changes: int = 250_000
) -> tuple[Child, int, str]:
    name = f"stream-{side}"
    db = os.path.join(directory, f"{name}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    args = ["--side", side, "--db", db, "--events", str(events), "--seed", str(seed)]
    args += ["--log-changes", str(log_changes), "--loop", SERVER_LOOP]
    server = stack.enter_context(Child(name, SERVER, args, directory, SERVER_STOP))
    ready = json.loads(server.expect("READY", START_TIMEOUT))
    return server, int(ready["port"]), str(ready["key"])


@dataclass
class ClientGroup:
    child: Child
    paths: list[str]
    out: str


def start_clients(
    stack: ExitStack, side: str, port: int, paths: list[str], procs: int, directory: str
) -> list[ClientGroup]:
    procs = max(1, min(procs, len(paths)))
    groups: list[ClientGroup] = []
    for i in range(procs):
        mine = paths[i::procs]
        name = f"stream-{side}-clients-{i}"
        paths_file = os.path.join(directory, f"{name}.json")
        with open(paths_file, "w") as f:
            json.dump(mine, f)
        out = os.path.join(directory, f"{name}.msgpack")
        args = ["--port", str(port), "--paths", paths_file, "--out", out]
        child = stack.enter_context(Child(name, CLIENTS, args, directory, "stop"))
        groups.append(ClientGroup(child, mine, out))
    for group in groups:
        group.child.expect("READY", START_TIMEOUT)
    return groups


def wait_complete(groups: list[ClientGroup], counts: list[int], timeout: float) -> bool:
    """Tell each client process how many change messages to expect; True if all came."""
    for group, count in zip(groups, counts, strict=True):
        group.child.send(f"expect {count}")
    deadline = time.monotonic() + timeout
    complete = True
    for group in groups:
        try:
            group.child.expect("COMPLETE", max(1.0, deadline - time.monotonic()))
        except RuntimeError:
            complete = False
    return complete


def collect(groups: list[ClientGroup]) -> list[ClientResults]:
    out: list[ClientResults] = []
    for group in groups:
        group.child.send("stop")
    for group in groups:
        group.child.expect("DONE", 120.0)
        with open(group.out, "rb") as f:
            out.append(msgspec.msgpack.decode(f.read(), type=ClientResults))
    return out


def int_array(raw: bytes) -> array[int]:
    values = array("q")
    values.frombytes(raw)
    return values


def client_cpu(results: list[ClientResults], phase: int) -> tuple[float, float]:
    """CPU seconds the client processes used in a phase (between two COMPLETEs, or from
    READY to the first), and the busiest process's share of one core in it."""
    total = busiest = 0.0
    for r in results:
        if len(r.complete_cpu) <= phase:
            continue
        cpu_marks, ns_marks = [r.ready_cpu, *r.complete_cpu], [r.ready_ns, *r.complete_ns]
        cpu = cpu_marks[phase + 1] - cpu_marks[phase]
        wall = (ns_marks[phase + 1] - ns_marks[phase]) / 1e9
        total += cpu
        busiest = max(busiest, cpu / wall if wall > 0 else 0.0)
    return total, busiest
