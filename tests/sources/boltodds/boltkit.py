"""A scripted BoltOdds server (seed 002) on a real socket, its payloads, and a hub.

:class:`BoltServer` is one ``websockets`` server on port 0 that speaks both halves of
the protocol: the ``/api`` WebSocket (ack, subscribe, an initial state per
connection, then whatever a test pushes) and the discovery GETs (``/api/get_info``,
``/api/get_games``, ``/api/get_markets``), answered from ``process_request``. Tests
script what each connection gets, push frames, close sockets, and make the server
answer 429 or 401.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from oddswire.client.backoff import Backoff
from oddswire.hub import Hub, HubSettings
from oddswire.model import ParticipantType, PriceStatus
from oddswire.refdata import load_catalog
from oddswire.sources.boltodds.source import BoltOddsSource
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.record import Recorder
from oddswire.store.sqlite import SqliteTickStore

KEY = "bolt-test-key-5b1f0c9e77d2"
GAME = "New York Mets vs Los Angeles Angels, 2025-07-23, 01"
HOME, AWAY = "New York Mets", "Los Angeles Angels"
WHEN = "2025-07-23, 01:09 PM"
NBA_GAME = "Los Angeles Lakers vs Boston Celtics, 2025-11-20, 07"
ACK = '{"action": "socket_connected"}'
PING = '{"action": "ping"}'

#: The test server's own log (its debug lines show request paths, keys and all).
_server_log = logging.getLogger("boltkit.server")
_server_log.propagate = False
_server_log.addHandler(logging.NullHandler())


# ------------------------------------------------------------------ payloads


def outcome(
    target: str | None,
    name: str,
    odds: Any,
    line: Any = None,
    over_under: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """``("New York Mets Moneyline", {...})``: an outcome as BoltOdds writes one."""
    key = " ".join(str(p) for p in (target, over_under, line, name) if p is not None)
    return key, {
        "odds": odds,
        "link": "https://play.ballybet.ca/sports#event/1022036664?coupon=pickType|1|",
        "outcome_name": name,
        "outcome_line": line,
        "outcome_over_under": over_under,
        "outcome_target": target,
    }


def mets_angels(home_ml: Any = "-150", away_ml: Any = "+130") -> dict[str, dict[str, Any]]:
    """The seed's Mets vs Angels game: moneyline, run line, total, a team total and a
    player prop."""
    return dict(
        [
            outcome(HOME, "Moneyline", home_ml),
            outcome(AWAY, "Moneyline", away_ml),
            outcome(HOME, "Spread", "+140", "-1.5"),
            outcome(AWAY, "Spread", "-165", "+1.5"),
            outcome(None, "Total", "-110", "8.5", "Over"),
            outcome(None, "Total", "-110", "8.5", "Under"),
            outcome(HOME, "Team Total", "-120", 4.5, "Over"),
            outcome("Pete Alonso", "Hits", "-200", 0.5, "Over"),
        ]
    )


def game_message(
    action: str,
    outcomes: dict[str, dict[str, Any]] | None = None,
    *,
    book: str | None = "draftkings",
    sport: str = "MLB",
    game: str = GAME,
    home: str = HOME,
    away: str = AWAY,
    when: str | None = WHEN,
) -> str:
    info: dict[str, Any] = {
        "id": 1022036664,
        "game": game,
        "link": "https://play.ballybet.ca/sports#event/1022036664",
    }
    if when is not None:
        info["when"] = when
    return json.dumps(
        {
            "timestamp": "2025-07-23T19:45:03.048958+00:00",
            "action": action,
            "data": {
                "sport": sport,
                "sportsbook": book,
                "game": game,
                "home_team": home,
                "away_team": away,
                "info": info,
                "outcomes": outcomes or {},
            },
        }
    )


def lakers_celtics(home_ml: str = "-180", away_ml: str = "+155") -> dict[str, dict[str, Any]]:
    return dict(
        [
            outcome("Los Angeles Lakers", "Moneyline", home_ml),
            outcome("Boston Celtics", "Moneyline", away_ml),
        ]
    )


def nba_message(action: str, outcomes: dict[str, dict[str, Any]], book: str = "draftkings") -> str:
    return game_message(
        action,
        outcomes,
        book=book,
        sport="NBA",
        game=NBA_GAME,
        home="Los Angeles Lakers",
        away="Boston Celtics",
        when="2025-11-20, 07:30 PM",
    )


def clear(action: str, book: Any = None, sport: Any = None) -> str:
    empty: dict[str, Any] = {}
    return json.dumps(
        {
            "timestamp": "2025-07-23T19:58:43.086382+00:00",
            "action": action,
            "data": {
                "sport": empty if sport is None else sport,
                "sportsbook": empty if book is None else book,
                "game": empty,
                "home_team": empty,
                "away_team": empty,
                "info": empty,
                "outcomes": empty,
            },
        }
    )


GET_INFO = {
    "sports": ["MLB", "NBA", "NHL", "Wimbledon (M)"],
    "sportsbooks": ["draftkings", "fanduel", "betmgm", "ballybet", "espnbet"],
}
GET_GAMES = {
    GAME: {
        "sport": "MLB",
        "game": GAME,
        "when": WHEN,
        "orig_teams": f"{HOME} vs {AWAY}",
        "universal_id": "abc123def456",
        "last_updated": None,
        "type": "prematch",
        "link": None,
        "id": 1022036664,
    }
}
GET_MARKETS = {"MLB": {"draftkings": ["Moneyline", "Spread", "Total", "Team Total", "Hits"]}}


# -------------------------------------------------------------------- server


@dataclass
class Client:
    """One socket connection the server accepted."""

    ws: ServerConnection
    number: int
    key: str | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    subscribed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def subscription(self) -> dict[str, Any]:
        return next(m for m in self.messages if m.get("action") == "subscribe")


class BoltServer:
    """See the module doc."""

    def __init__(self) -> None:
        self.clients: list[Client] = []
        #: Frames each connection gets after it subscribes (by connection number,
        #: 1-based; the last entry serves later connections too).
        self.initial: list[list[str]] = [[]]
        self.send_ack = True
        #: Statuses (and headers) to answer the next upgrade attempts with.
        self.refuse: list[tuple[int, dict[str, str]]] = []
        self.http: dict[str, tuple[int, Any, dict[str, str]]] = {
            "/api/get_info": (200, GET_INFO, {}),
            "/api/get_games": (200, GET_GAMES, {}),
            "/api/get_markets": (200, GET_MARKETS, {}),
        }
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.attempts: list[float] = []
        self._server: Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def client(self) -> Client:
        return self.clients[-1]

    async def start(self) -> None:
        self._server = await serve(
            self._handle,
            "127.0.0.1",
            0,
            process_request=self._process_request,
            logger=_server_log,
            max_size=None,
        )
        self.port = next(iter(self._server.sockets)).getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        self.requests.append((parts.path, query))
        if query.get("key") != [KEY]:
            return _respond(connection, 401, {"error": "invalid key"}, {})
        if parts.path in self.http:
            status, body, headers = self.http[parts.path]
            return _respond(connection, status, body, headers)
        if parts.path != "/api":
            return _respond(connection, 404, {"error": "not found"}, {})
        self.attempts.append(time.monotonic())
        if self.refuse:
            status, headers = self.refuse.pop(0)
            return _respond(connection, status, {"error": "refused"}, headers)
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
        keys = query.get("key")
        client = Client(ws, len(self.clients) + 1, keys[0] if keys else None)
        self.clients.append(client)
        with contextlib.suppress(Exception):
            if self.send_ack:
                await ws.send(ACK)
            async for text in ws:
                message = json.loads(text)
                client.messages.append(message)
                if message.get("action") == "subscribe" and not client.subscribed.is_set():
                    client.subscribed.set()
                    frames = self.initial[min(client.number, len(self.initial)) - 1]
                    for frame in frames:
                        await ws.send(frame)

    async def push(self, *frames: str) -> None:
        """Frames to the latest connection."""
        for frame in frames:
            await self.client.ws.send(frame)

    async def drop(self) -> None:
        """Close the latest connection (the source should reconnect)."""
        await self.client.ws.close(1011, "backend restart")


def _respond(
    connection: ServerConnection, status: int, body: Any, headers: dict[str, str]
) -> Response:
    response = connection.respond(status, json.dumps(body))
    response.headers = Headers(
        [(k, v) for k, v in response.headers.raw_items() if k.lower() != "content-type"]
    )
    response.headers["Content-Type"] = "application/json"
    for name, value in headers.items():
        response.headers[name] = value
    return response


@contextlib.asynccontextmanager
async def bolt_server() -> AsyncIterator[BoltServer]:
    server = BoltServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


# ------------------------------------------------------------------- sources


def make_source(
    server: BoltServer | None = None,
    *,
    url: str | None = None,
    http_url: str | None = None,
    key: str | None = KEY,
    sports: list[str] | None = None,
    books: list[str] | None = None,
    markets: list[str] | None = None,
    recorder: Recorder | None = None,
    resolver: Resolver | None = None,
    **options: Any,
) -> BoltOddsSource:
    """A source with test timings: reconnects in 50 ms, settles after 150 ms quiet."""
    settings: dict[str, Any] = {
        "backoff": Backoff(initial=0.05, maximum=0.2, jitter=0.0),
        "min_reconnect": 0.05,
        "ack_timeout": 1.0,
        "open_timeout": 1.0,
        "settle_quiet": 0.15,
        "settle_max": 2.0,
        "warm_up_timeout": 4.0,
        "idle_timeout": 5.0,
        "requests_per_minute": 1000,
        **options,
    }
    return BoltOddsSource(
        resolver or Resolver(load_catalog()),
        key=key,
        url=url or (server.url if server else "ws://127.0.0.1:9/api"),
        http_url=http_url or (server.http_url if server else "http://127.0.0.1:9/api"),
        sports=sports,
        books=books,
        markets=markets,
        recorder=recorder,
        **settings,
    )


@contextlib.asynccontextmanager
async def running_hub(db: Path, *sources: BoltOddsSource) -> AsyncIterator[Hub]:
    """A real hub with these sources, warmed up and started."""
    hub = Hub(
        load_catalog(),
        SqliteTickStore(str(db)),
        list(sources),
        HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await hub.open()
    for source in sources:
        source.resolver.seed(s.event for s in hub.board.events())
    try:
        await hub.warm_up()
        hub.start()
        yield hub
    finally:
        await hub.stop()


async def wait_for(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


# --------------------------------------------------------------------- board

Quote = tuple[float, PriceStatus]


def board(hub: Hub, affiliate_id: int = 19) -> dict[tuple[int, int, str, str], Quote]:
    """``(market, period, participant name, line) -> (price, status)`` at a book."""
    catalog = hub.catalog
    out: dict[tuple[int, int, str, str], Quote] = {}
    for line, book, price in hub.board.iter_prices():
        if book != affiliate_id:
            continue
        name = catalog.participant_name(line.participant_id, line.participant_type)
        if line.participant_type is ParticipantType.RESULT and not name:
            name = str(line.participant_id)
        out[(line.market_id, line.period_id, name, line.line)] = (price.price, price.status)
    return out


def open_prices(hub: Hub, affiliate_id: int = 19) -> dict[tuple[int, int, str, str], float]:
    return {k: p for k, (p, s) in board(hub, affiliate_id).items() if s == PriceStatus.OPEN}


# ------------------------------------------------------- an oddswire upstream


@dataclass
class UpstreamHub:
    """A real oddswire hub served by uvicorn: a BoltOdds upstream (``/api``)."""

    hub: Hub
    port: int
    ctx: Any

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    async def submit(self, changes: list[Any]) -> None:
        await self.hub.submit(changes)
        await self.hub.store.flush()
        await wait_for(lambda: self.ctx.fanout.published >= self.hub.board.sequence)


@contextlib.asynccontextmanager
async def upstream_hub(db: Path) -> AsyncIterator[UpstreamHub]:
    import socket

    import uvicorn

    from oddswire.api import create_app
    from oddswire.api.auth import KeyRing
    from oddswire.api.server import server_config

    hub = Hub(
        load_catalog(),
        SqliteTickStore(str(db)),
        settings=HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await hub.open()
    app = create_app(hub, KeyRing([KEY]))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.setblocking(False)
    server = uvicorn.Server(server_config(app, log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    await wait_for(lambda: server.started)
    ctx = app.state.ctx
    try:
        yield UpstreamHub(hub, sock.getsockname()[1], ctx)
    finally:
        server.should_exit = True
        await task
        await ctx.fanout.stop()
        await hub.stop()
        sock.close()
