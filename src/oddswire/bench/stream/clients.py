"""The client half of the streaming benchmarks: one process holding many connections
(:class:`~oddswire.bench.stream.ws_client.RecordingClient`, a raw asyncio protocol).

``python -m oddswire.bench.stream.clients --port P --paths FILE --out FILE`` opens one
connection per path in FILE (a JSON list), prints ``READY <n>`` when all are open, then
takes commands on stdin: ``expect N`` prints ``COMPLETE`` once N change messages have
arrived over all its connections (at once if they already have); ``stop`` writes
:class:`ClientResults` to ``--out`` (msgpack), prints ``DONE`` and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time

import msgspec

from oddswire.bench.stream.ws_client import RecordingClient, connect

#: Upgrades in flight at once while connecting.
CONNECT_CONCURRENCY = 64


class ClientResults(msgspec.Struct, array_like=True):
    """Per connection (in the order of the paths): the sequences received and their
    receive times (``array('q')`` bytes), payload bytes, other text frames, close code."""

    ids: list[bytes]
    times: list[bytes]
    payload_bytes: list[int]
    other: list[int]
    close_codes: list[int | None]
    #: CPU seconds this process used from READY to ``stop``, and the wall time between.
    cpu_seconds: float
    wall_seconds: float
    #: This process's CPU seconds and ``time.monotonic_ns()`` at READY and at each
    #: ``COMPLETE``.
    ready_cpu: float
    ready_ns: int
    complete_cpu: list[float]
    complete_ns: list[int]


class Tally:
    """Change messages over all connections, and the ``expect`` target."""

    def __init__(self) -> None:
        self.count = 0
        self.expect: int | None = None
        self.complete_cpu: list[float] = []
        self.complete_ns: list[int] = []

    def add(self, count: int) -> None:
        self.count += count
        if self.expect is not None and self.count >= self.expect:
            self.expect = None
            self.complete_cpu.append(_cpu())
            self.complete_ns.append(time.monotonic_ns())
            sys.stdout.write("COMPLETE\n")
            sys.stdout.flush()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(host: str, port: int, paths: list[str], out: str) -> None:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def open_one(path: str) -> RecordingClient:
        async with gate:
            return await connect(host, port, path, RecordingClient)

    recording = await asyncio.gather(*(open_one(p) for p in paths))
    tally = Tally()
    for client in recording:
        client.on_progress = tally.add
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    cpu, wall, ready_ns = _cpu(), time.perf_counter(), time.monotonic_ns()
    sys.stdout.write(f"READY {len(recording)}\n")
    sys.stdout.flush()
    while True:
        line = (await reader.readline()).decode().split()
        if not line or line[0] == "stop":
            break
        if line[0] == "expect":
            tally.expect = int(line[1])
            tally.add(0)
    results = ClientResults(
        ids=[c.ids.tobytes() for c in recording],
        times=[c.times.tobytes() for c in recording],
        payload_bytes=[c.payload_bytes for c in recording],
        other=[c.other for c in recording],
        close_codes=[c.close_code for c in recording],
        cpu_seconds=_cpu() - cpu,
        wall_seconds=time.perf_counter() - wall,
        ready_cpu=cpu,
        ready_ns=ready_ns,
        complete_cpu=tally.complete_cpu,
        complete_ns=tally.complete_ns,
    )
    with open(out, "wb") as f:
        f.write(msgspec.msgpack.encode(results))
    for client in recording:
        client.close()
    sys.stdout.write("DONE\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    with open(args.paths) as f:
        paths: list[str] = json.load(f)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover
        runner = asyncio.Runner()
    with runner:
        runner.run(run(args.host, args.port, paths, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
