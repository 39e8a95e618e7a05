"""``oddswire serve``: open the store, warm up the sources, serve HTTP, stop cleanly."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
import sys
from datetime import UTC, datetime
from types import FrameType

import uvicorn

from oddswire import __version__, redact
from oddswire.access.tiers import Tiers
from oddswire.access.usage import UsageMeter
from oddswire.analytics.detect import DetectorSettings
from oddswire.api import create_app
from oddswire.api.auth import KeyRing, refresh_stored_keys
from oddswire.api.guards import Limits
from oddswire.api.server import server_config
from oddswire.cli.progress import ProgressPrinter
from oddswire.config import ConfigError, Settings, load_settings
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.sim import SimSettings
from oddswire.sources.base import Source
from oddswire.sources.resolve import Resolver
from oddswire.sources.simulator import SimulatorSource
from oddswire.sources.upstream.source import UpstreamSource
from oddswire.sources.vendors import SourceError, build_resolver, build_upstream
from oddswire.store import StoreError
from oddswire.store.sqlite import SqliteTickStore

log = logging.getLogger("oddswire")


def serve_command(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args)
    except ConfigError as exc:
        print(f"oddswire: error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    redact.install()
    redact.install_on_handlers()
    try:
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        print(
            f"oddswire: error: cannot listen on {settings.host}:{settings.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    try:
        return run(settings, sock)
    except (StoreError, SourceError) as exc:
        print(f"oddswire: error: {exc}", file=sys.stderr)
        return 1


def bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def run(settings: Settings, sock: socket.socket) -> int:
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover - uvloop is a dependency on Unix
        runner = asyncio.Runner()
    with runner:
        return runner.run(_serve(settings, sock))


def simulator_settings(settings: Settings) -> SimSettings:
    return SimSettings(
        seed=settings.seed,
        rate=settings.rate,
        clock_speed=settings.clock_speed,
        days_back=settings.days_back,
        days_ahead=settings.days_ahead,
        all_sports=settings.all_sports,
        sport_ids=settings.sports,
    )


async def _serve(settings: Settings, sock: socket.socket) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    server: uvicorn.Server | None = None

    def on_signal(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(stop.set)
        if server is not None:
            server.should_exit = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)

    progress = ProgressPrinter()
    os.makedirs(os.path.dirname(os.path.abspath(settings.db)), exist_ok=True)
    catalog = load_catalog()
    store = SqliteTickStore(settings.db, quick_check=settings.quick_check)
    start = (
        datetime.fromisoformat(settings.sim_start.replace("Z", "+00:00"))
        if settings.sim_start
        else datetime.now(UTC)
    )
    sources: list[Source] = []
    if "simulator" in settings.source_names:
        sources.append(SimulatorSource(catalog, simulator_settings(settings), start))
    resolver = build_resolver(settings, catalog)
    sources.extend(build_upstream(settings, catalog, resolver))
    hub = Hub(
        catalog,
        store,
        sources,
        HubSettings(
            checkpoint_interval=settings.checkpoint_interval,
            retention_days=settings.retention_days,
            detectors=detector_settings(settings),
        ),
        progress,
    )
    print(f"oddswire {__version__}: starting (store {store.path})", file=sys.stderr)
    try:
        warm = asyncio.create_task(_warm_up(hub, resolver))
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({warm, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            warm.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await warm
            progress.done()
            print("oddswire: interrupted during warm-up", file=sys.stderr)
            return 130
        stopper.cancel()
        warm.result()
        progress.done()

        keys = KeyRing(
            settings.api_keys, Tiers.from_file(settings.tiers_file), settings.static_key_tier
        )
        demo_key = await _demo_key(store) if settings.demo_key else None
        if demo_key:
            keys.add(demo_key)
        keys.set_stored(await store.api_keys())
        refresher = asyncio.create_task(refresh_stored_keys(keys, store))
        usage = UsageMeter()  # data points used survive restarts (the store's meta table)
        await usage.load(store)
        saver = asyncio.create_task(usage.keep_saved(store))
        app = create_app(hub, keys, limits(settings), usage)
        views = app.state.ctx.views
        hub.start()
        config = server_config(
            app,
            log_level=settings.log_level,
            access_log=settings.access_log,
            ws_max_size=settings.ws_max_frame_bytes,
            ssl_certfile=settings.tls_certfile,
            ssl_keyfile=settings.tls_keyfile,
        )
        server = uvicorn.Server(config)
        _banner(sock, hub, demo_key, settings)
        if not stop.is_set():
            await server.serve(sockets=[sock])
        refresher.cancel()
        saver.cancel()
        await usage.save(store)
        await views.stop()
        return 0
    finally:
        if hub.load_stats is not None:
            print("oddswire: stopping, flushing the store...", file=sys.stderr)
        await hub.stop()
        if hub.load_stats is not None:
            print(
                f"oddswire: stopped cleanly at sequence {hub.store.committed_sequence}",
                file=sys.stderr,
            )
        sock.close()


async def _warm_up(hub: Hub, resolver: Resolver) -> None:
    stats = await hub.open()
    upstream = [s for s in hub.sources if isinstance(s, UpstreamSource)]
    if upstream:
        resolver.seed(state.event for state in hub.board.events())
        if len(upstream) < len(hub.sources):
            # Upstream sources' events pass through the resolver already; only another
            # source (the simulator) puts events on the board that it must learn, so
            # only then does it read every applied batch.
            hub.on_applied(lambda batch: resolver.observe(batch.changes))
    if stats.events:
        hub.progress(
            f"store loaded: {stats.events} events, {stats.prices:,} prices, "
            f"sequence {stats.sequence} ({stats.seconds:.1f} s)",
            None,
        )
    await hub.warm_up()


async def _demo_key(store: SqliteTickStore) -> str:
    key = await store.get_meta("demo_key")
    if key is None:
        key = secrets.token_hex(16)
        await store.set_meta("demo_key", key)
    return key


def _banner(sock: socket.socket, hub: Hub, demo_key: str | None, settings: Settings) -> None:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    tls = settings.tls_certfile is not None
    url = f"{'https' if tls else 'http'}://{host}:{port}"
    lines = [f"oddswire {__version__} is serving on {url}"]
    sports = hub.board.sport_ids()
    if demo_key:
        lines.append(f"  demo API key: {demo_key}")
        if sports:
            today = datetime.now(UTC).date().isoformat()
            lines.append(
                f"  try: curl -H 'X-TheRundown-Key: {demo_key}' "
                f"{url}/api/v2/sports/{sports[0]}/events/{today}"
            )
    feeds = [
        f"simulator at {settings.rate:g} changes/s" if s.name == "simulator" else s.name
        for s in hub.sources
    ]
    lines.append(
        f"  board: {len(hub.board)} events, {hub.board.price_count:,} prices, "
        f"sequence {hub.board.sequence}; sources: {', '.join(feeds)}"
    )
    lines.append(f"  streams: {'wss' if tls else 'ws'}://{host}:{port}/api/v2/ws")
    lines.append(f"  health: {url}/healthz   (Ctrl-C to stop)")
    print("\n".join(lines), flush=True)


def limits(settings: Settings) -> Limits:
    """The API's request limits and CORS origins from ``serve``'s settings."""
    return Limits(
        max_body_bytes=settings.max_body_bytes,
        max_query_bytes=settings.max_query_bytes,
        max_query_params=settings.max_query_params,
        max_header_bytes=settings.max_header_bytes,
        ws_max_frame_bytes=settings.ws_max_frame_bytes,
        max_subscriptions=settings.max_subscriptions,
        cors_origins=tuple(settings.cors_origins),
    )


def detector_settings(settings: Settings) -> DetectorSettings | None:
    """The live detectors' settings from ``serve``'s (None: ``--no-analytics``)."""
    if not settings.analytics:
        return None
    return DetectorSettings(
        max_leg_age=settings.max_leg_age,
        live_max_leg_age=settings.live_max_leg_age,
        settle_seconds=settings.settle_seconds,
        min_ev_pct=settings.min_ev_pct,
        ev_method=settings.ev_method,
        middle_max_cost_pct=settings.middle_max_cost_pct,
    )
