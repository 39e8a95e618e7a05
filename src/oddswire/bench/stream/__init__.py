"""Streaming benchmarks: fan-out throughput, source -> client latency, and resume
(DESIGN §10); see docs/benchmarks.md.

Each side of a comparison runs in its own processes: the server with the producer that
feeds it (:mod:`.server`: the hub, or a bare ``websockets`` server) in one, the clients
in ``Sizes.stream_procs`` others (:mod:`.clients`, each holding many connections of the
raw asyncio client in :mod:`.ws_client`). The bench process only orchestrates
(:mod:`.harness`, :mod:`.procs`) and checks: :mod:`.fanout`, :mod:`.latency`,
:mod:`.resume`.
"""

from oddswire.bench.stream.fanout import run as run_fanout
from oddswire.bench.stream.latency import run as run_latency
from oddswire.bench.stream.resume import run as run_resume

__all__ = ["run_fanout", "run_latency", "run_resume"]
