"""A small HTTP/1.1 load generator: keep-alive connections on raw asyncio streams.

Made to cost the client as little as possible, so a benchmark measures the server.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass(slots=True)
class LoadResult:
    requests: int
    seconds: float
    latencies: list[float]
    body_bytes: int
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def request_bytes(host: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _one(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, int]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    await reader.readexactly(length)
    return status, length


async def run_load(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    *,
    connections: int,
    seconds: float | None = None,
    requests: int | None = None,
) -> LoadResult:
    """Hammer ``path`` from ``connections`` keep-alive connections, for a time or a count."""
    request = request_bytes(host, path, headers)
    latencies: list[float] = []
    totals = {"bytes": 0, "errors": 0, "left": requests if requests is not None else -1}
    deadline = None if seconds is None else time.perf_counter() + seconds
    clock = time.perf_counter

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                if deadline is not None and clock() >= deadline:
                    return
                if totals["left"] == 0:
                    return
                if totals["left"] > 0:
                    totals["left"] -= 1
                started = clock()
                status, size = await _one(reader, writer, request)
                latencies.append(clock() - started)
                totals["bytes"] += size
                if status != 200:
                    totals["errors"] += 1
        finally:
            writer.close()

    started = clock()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return LoadResult(
        len(latencies), clock() - started, latencies, totals["bytes"], totals["errors"]
    )
