"""The server half of the REST benchmark, run in its own process.

A hub with the simulator (one sport, a full day of games ahead, every book), served by
uvicorn exactly as ``oddswire serve`` serves it, plus one extra route for the baseline:
``/_bench/static`` answers with the bytes of one real events response, computed once
at start-up, so the baseline is the same payload with no work behind it.

Prints ``READY <port> <path>`` on stdout when serving.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
from datetime import datetime

import httpx
import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oddswire.api import create_app
from oddswire.api.auth import KeyRing
from oddswire.api.server import server_config
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.sim import SimSettings
from oddswire.sources.simulator import SimulatorSource
from oddswire.store.sqlite import SqliteTickStore

KEY = "bench-rest-key-0001"
#: The simulated market starts the evening before the day measured, so every game of
#: that day is still ahead, with all its prematch markets open.
START = "2026-11-21T22:00:00+00:00"
DAY = "2026-11-22"


async def serve(db: str, sport_id: int, rate: float) -> None:
    catalog = load_catalog()
    source = SimulatorSource(
        catalog,
        SimSettings(seed=3, rate=rate, sport_ids=[sport_id], days_back=0, days_ahead=1),
        datetime.fromisoformat(START),
    )
    settings = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)
    hub = Hub(catalog, SqliteTickStore(db, quick_check=False), [source], settings)
    await hub.open()
    await hub.warm_up()
    hub.start()
    app = create_app(hub, KeyRing([KEY]))
    path = f"/api/v2/sports/{sport_id}/events/{DAY}?market_ids=1,2,3"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as c:
        payload = (await c.get(path, headers={"X-TheRundown-Key": KEY})).content

    async def static(request: Request) -> Response:
        return Response(payload, media_type="application/json")

    app.router.routes.append(Route("/_bench/static", static, methods=["GET"]))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.setblocking(False)
    server = uvicorn.Server(server_config(app, log_level="warning"))
    print(f"READY {sock.getsockname()[1]} {path} {len(payload)}", flush=True)
    try:
        await server.serve(sockets=[sock])
    finally:
        await hub.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--sport", type=int, default=4)
    parser.add_argument("--rate", type=float, default=500.0)
    args = parser.parse_args(argv)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover
        runner = asyncio.Runner()
    with runner:
        runner.run(serve(os.path.abspath(args.db), args.sport, args.rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
