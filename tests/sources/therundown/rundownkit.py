"""A scripted TheRundown for the source's tests: a Starlette app on a real socket (uvicorn,
port 0) with the REST routes the source uses and ``/api/v2/ws/markets``, answering in
the reference's shapes (§2.1 events, §2.3 delta rows, §4.2 stream messages) and
checking the ``X-TheRundown-Key`` header; plus payload builders and a hub to run the
source in."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from oddswire.api.server import server_config
from oddswire.board.state import LineState, PriceState
from oddswire.client.backoff import Backoff
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.therundown import TheRundownSource, Tuning
from oddswire.store.sqlite import SqliteTickStore

KEY = "rundown-secret-key-5f2c9a"
DAY = "2026-11-22"
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
START = "2026-11-23T00:30:00Z"
EVENT = "816efd1e5767d7133b5bc70c77173a18"
OTHER = "9b9d0cf6007fdaeb15c3a1888dcfd5df"
#: TheRundown's own team ids (not ours: 4014 and 4002).
LAKERS = 145
CELTICS = 137
KNICKS = 150
WARRIORS = 141
STAMP = "2026-11-22T14:00:00Z"

FAST = Tuning(
    warm_up_timeout=3.0,
    refresh_interval=3600.0,
    stream_retry=30.0,
    stream_failures=2,
    heartbeat_timeout=3.0,
    backoff=Backoff(0.01, 0.05, 0.0),
    request_timeout=3.0,
    open_timeout=3.0,
    ping_interval=None,
    quota_pause=30.0,
)

# ------------------------------------------------------------------ payloads

TEAMS = {
    LAKERS: ("Los Angeles", "Lakers", "LAL"),
    CELTICS: ("Boston", "Celtics", "BOS"),
    KNICKS: ("New York", "Knicks", "NYK"),
    WARRIORS: ("Golden State", "Warriors", "GSW"),
}


def full(team_id: int) -> str:
    name, mascot, _ = TEAMS[team_id]
    return f"{name} {mascot}"


def team(team_id: int, *, away: bool) -> dict[str, Any]:
    name, mascot, abbreviation = TEAMS[team_id]
    return {
        "team_id": team_id,
        "name": name,
        "mascot": mascot,
        "abbreviation": abbreviation,
        "record": "10-5",
        "is_away": away,
        "is_home": not away,
    }


def price(value: float, *, main: bool = True, at: str = STAMP, **extra: Any) -> dict[str, Any]:
    return {"id": "204506997", "price": value, "is_main_line": main, "updated_at": at, **extra}


def participant(pid: int, kind: str, name: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": pid, "type": kind, "name": name, "lines": lines}


def line(value: str, prices: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"id": "a" * 32, "value": value, "prices": prices}


def market(
    market_id: int, participants: list[dict[str, Any]], period_id: int = 0
) -> dict[str, Any]:
    names = {1: "moneyline", 2: "handicap", 3: "totals", 41: "moneyline", 29: "points"}
    return {
        "id": 2518418 + market_id,
        "market_id": market_id,
        "period_id": period_id,
        "name": names.get(market_id, str(market_id)),
        "participants": participants,
    }


def event(
    event_id: str = EVENT,
    away: int = LAKERS,
    home: int = CELTICS,
    *,
    start: str = START,
    markets: list[dict[str, Any]] | None = None,
    status: str = "STATUS_SCHEDULED",
    score: tuple[int, int] = (0, 0),
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_uuid": "11f1-197d-e93ea800-8c2a-ef6a554ca62d",
        "sport_id": 4,
        "event_date": start,
        "rotation_number_away": 529,
        "rotation_number_home": 530,
        "score": {
            "event_status": status,
            "event_status_detail": "Final" if status == "STATUS_FINAL" else "",
            "score_away": score[0],
            "score_home": score[1],
            "winner_away": 0,
            "winner_home": 0,
            "score_away_by_period": [],
            "score_home_by_period": [],
            "venue_name": "TD Garden",
            "venue_location": "Boston, MA",
            "game_clock": 0,
            "display_clock": "0:00",
            "game_period": 0,
            "broadcast": "ESPN",
            "updated_at": STAMP,
        },
        "teams": [team(away, away=True), team(home, away=False)],
        "schedule": {
            "league_name": "NBA",
            "event_name": f"{full(away)} at {full(home)}",
            "season_type": "Regular Season",
            "season_year": 2026,
            "attendance": "0",
        },
        "markets": standard_markets(away, home) if markets is None else markets,
    }


def standard_markets(away: int, home: int) -> list[dict[str, Any]]:
    """Moneyline, spread and total at DraftKings (19) and FanDuel (23)."""
    return [
        market(
            1,
            [
                participant(
                    away, "TYPE_TEAM", full(away), [line("", {"19": price(150), "23": price(155)})]
                ),
                participant(
                    home,
                    "TYPE_TEAM",
                    full(home),
                    [line("", {"19": price(-175), "23": price(-180)})],
                ),
            ],
        ),
        market(
            2,
            [
                participant(away, "TYPE_TEAM", full(away), [line("4.5", {"19": price(-110)})]),
                participant(home, "TYPE_TEAM", full(home), [line("-4.5", {"19": price(-110)})]),
            ],
        ),
        market(
            3,
            [
                participant(10, "TYPE_RESULT", "Over", [line("224.5", {"19": price(-112)})]),
                participant(11, "TYPE_RESULT", "Under", [line("224.5", {"19": price(-108)})]),
            ],
        ),
    ]


def events_body(events: list[dict[str, Any]], cursor: int) -> dict[str, Any]:
    return {"meta": {"delta_last_id": str(cursor)}, "events": events}


def delta_row(
    row_id: int,
    value: str,
    *,
    event_id: str = EVENT,
    participant_id: int = LAKERS,
    kind: str = "TYPE_TEAM",
    name: str | None = None,
    market_id: int = 1,
    line_value: str = "",
    book: int = 19,
    at: str = "2026-11-22T14:05:00Z",
    **extra: Any,
) -> dict[str, Any]:
    """A ``markets/delta`` row as the reference documents it (no period, no main flag)."""
    return {
        "id": row_id,
        "event_id": event_id,
        "sport_id": 4,
        "affiliate_id": book,
        "market_id": market_id,
        "market_name": "moneyline",
        "participant_id": participant_id,
        "participant_type": kind,
        "participant_name": name
        if name is not None
        else (full(participant_id) if kind == "TYPE_TEAM" else ""),
        "line": line_value,
        "price": value,
        "previous_price": "150",
        "change_type": "price_change",
        "updated_at": at,
        **extra,
    }


def delta_body(rows: list[dict[str, Any]], cursor: int, has_more: bool = False) -> dict[str, Any]:
    return {
        "meta": {"delta_last_id": str(cursor), "count": len(rows), "has_more": has_more},
        "deltas": rows,
    }


def stream_price(
    record_id: int,
    value: str,
    *,
    event_id: str = EVENT,
    participant_id: int = LAKERS,
    kind: int = 1,
    market_id: int = 1,
    line_value: str = "",
    book: int = 19,
    at: str = "2026-11-22T14:10:00Z",
) -> str:
    """A ``market_price`` message as the reference's §4.2 example (no period_id)."""
    return json.dumps(
        {
            "meta": {"type": "market_price", "version": "v2", "timestamp": 1772495104},
            "data": {
                "id": record_id,
                "event_id": event_id,
                "sport_id": 4,
                "affiliate_id": book,
                "market_id": market_id,
                "market_participant_id": 19402291,
                "normalized_market_participant_id": participant_id,
                "normalized_market_participant_type": kind,
                "line": line_value,
                "price": value,
                "previous_price": "-122.0000",
                "price_delta": 5,
                "is_main_line": True,
                "updated_at": at,
            },
        }
    )


async def hold(ws: WebSocket) -> None:
    """Keep a stream connection open until the client goes."""
    while (await ws.receive())["type"] != "websocket.disconnect":
        pass


HEARTBEAT = json.dumps({"meta": {"type": "heartbeat"}, "data": {"now": STAMP}})
MARKETS = [
    {"id": 1, "name": "moneyline", "period_id": 0, "live_variant_id": 41},
    {"id": 2, "name": "handicap", "period_id": 0, "live_variant_id": 42},
    {"id": 3, "name": "totals", "period_id": 0, "live_variant_id": 43},
    {"id": 41, "name": "moneyline", "period_id": 7},
    {"id": 9999, "name": "mystery_market", "period_id": 0},
]
AFFILIATES = [
    {"affiliate_id": 19, "affiliate_name": "DraftKings", "affiliate_url": "https://dk"},
    {"affiliate_id": 23, "affiliate_name": "FanDuel", "affiliate_url": "https://fd"},
    {"affiliate_id": 77, "affiliate_name": "NewBook", "affiliate_url": "https://nb"},
]

# ------------------------------------------------------------------- server


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)  # JSON-encoded unless str/bytes
    headers: dict[str, str] = field(default_factory=dict)

    def response(self, common: dict[str, str]) -> Response:
        body = self.body
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return Response(
            body, self.status, headers={**common, **self.headers}, media_type="application/json"
        )


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float


Script = Callable[[WebSocket, int], Awaitable[None]]


class RundownServer:
    """Scripted TheRundown. ``events[(sport, date)]`` answers the day snapshots with
    ``cursor`` as ``meta.delta_last_id``; ``script[path]`` lists replies to give in turn
    (the last repeats) before the defaults; ``deltas`` are queued delta replies (then
    empty pages); ``ws`` runs per stream connection (``ws_refuse`` refuses the
    upgrade with that status; ``ws_auth`` "query" takes the stream's key only from
    ``?key=``, as TheRundown documents it, instead of the header)."""

    def __init__(self) -> None:
        self.events: dict[tuple[int, str], list[dict[str, Any]]] = {(4, DAY): [event()]}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.cursor = 1000
        self.script: dict[str, list[Reply]] = {}
        self.deltas: list[Reply] = []
        self.headers: dict[str, str] = {}
        self.ws: Script | None = None
        self.ws_refuse: int | None = None
        self.ws_auth = "header"
        self.ws_connects = 0
        self.seen: list[Seen] = []
        self.url = ""
        self.ws_url = ""

    # --------------------------------------------------------- what was asked

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def delta_requests(self) -> list[Seen]:
        return self.to("/api/v2/markets/delta")

    # ---------------------------------------------------------------- routes

    def _note(self, request: Request | WebSocket) -> bool:
        self.seen.append(
            Seen(
                request.url.path,
                dict(request.query_params),
                {k.lower(): v for k, v in request.headers.items()},
                time.monotonic(),
            )
        )
        return request.headers.get("x-therundown-key") == KEY

    def _scripted(self, path: str) -> Reply | None:
        replies = self.script.get(path)
        if not replies:
            return None
        return replies.pop(0) if len(replies) > 1 else replies[0]

    async def _rest(self, request: Request) -> Response:
        path = request.url.path
        authorized = self._note(request)
        if not authorized and not path.endswith("/affiliates"):
            return Reply(401, {"error": "Unauthorized"}).response(self.headers)
        reply = self._scripted(path) or self._default(request)
        return reply.response(self.headers)

    def _default(self, request: Request) -> Reply:
        path = request.url.path
        params = request.path_params
        if path == "/api/v2/markets":
            return Reply(body=MARKETS)
        if path == "/api/v2/affiliates":
            return Reply(body={"affiliates": AFFILIATES})
        if path == "/api/v2/markets/delta":
            if self.deltas:
                return self.deltas.pop(0)
            return Reply(body=delta_body([], int(request.query_params.get("last_id", "0"))))
        if "sport" in params:
            found = self.events.get((int(params["sport"]), params["day"]), [])
            return Reply(body=events_body(found, self.cursor))
        if "event_id" in params:
            found_event = self.by_id.get(params["event_id"])
            if found_event is None:
                return Reply(404, {"error": "Not Found"})
            return Reply(body={"meta": None, "events": [found_event]})
        return Reply(404, {"error": "Not Found"})

    async def _stream(self, websocket: WebSocket) -> None:
        authorized = self._note(websocket)
        if self.ws_auth == "query":
            authorized = websocket.query_params.get("key") == KEY
        if not authorized or self.ws_refuse is not None:
            status = 401 if not authorized else self.ws_refuse
            await websocket.send_denial_response(
                Response(json.dumps({"error": "no streaming"}), status_code=status or 403)
            )
            return
        await websocket.accept()
        self.ws_connects += 1
        try:
            if self.ws is not None:
                await self.ws(websocket, self.ws_connects)
            else:
                while True:
                    await websocket.send_text(HEARTBEAT)
                    await asyncio.sleep(0.5)
        except (WebSocketDisconnect, RuntimeError):
            return

    def app(self) -> Starlette:
        rest = self._rest
        return Starlette(
            routes=[
                Route("/api/v2/markets", rest),
                Route("/api/v2/affiliates", rest),
                Route("/api/v2/markets/delta", rest),
                Route("/api/v2/sports/{sport}/events/{day}", rest),
                Route("/api/v2/events/{event_id}", rest),
                WebSocketRoute("/api/v2/ws/markets", self._stream),
            ]
        )


@contextlib.asynccontextmanager
async def serving(server: RundownServer) -> AsyncIterator[RundownServer]:
    """Serve ``server`` on 127.0.0.1, a free port, in this event loop."""
    async with serve_app(server.app()) as url:
        server.url = url
        yield server


@contextlib.asynccontextmanager
async def serve_app(app: Any) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.setblocking(False)
    uv = uvicorn.Server(server_config(app, log_level="warning"))
    task = asyncio.create_task(uv.serve(sockets=[sock]))
    try:
        while not uv.started:
            await asyncio.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        uv.should_exit = True
        await task
        sock.close()


# ------------------------------------------------------------------ the hub


def make_source(url: str, **options: Any) -> TheRundownSource:
    settings: dict[str, Any] = {
        "key": KEY,
        "base_url": url,
        "sports": [4],
        "days": 1,
        "markets": [1, 2, 3],
        "affiliates": [19, 23],
        "mode": "poll",
        "poll_interval": 0.05,
        "tuning": FAST,
        "clock": lambda: NOW,
    }
    settings.update(options)
    return TheRundownSource(Resolver(load_catalog()), **settings)


@contextlib.asynccontextmanager
async def running(tmp_path: Path, source: TheRundownSource) -> AsyncIterator[Hub]:
    """A real hub fed by ``source`` (warmed up and started)."""
    settings = HubSettings(checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False)
    hub = Hub(load_catalog(), SqliteTickStore(str(tmp_path / "board.db")), [source], settings)
    await hub.open()
    source.resolver.seed(s.event for s in hub.board.events())
    await hub.warm_up()
    hub.start()
    try:
        yield hub
    finally:
        await hub.stop()


async def until(check: Callable[[], bool], timeout: float = 3.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        await asyncio.sleep(0.01)


def our_team(name: str) -> int:
    catalog = load_catalog()
    return next(t.team_id for t in catalog.teams_of(4) if t.full_name == name)


def quote(
    hub: Hub,
    *,
    market_id: int = 1,
    participant_id: int | None = None,
    line_value: str = "",
    book: int = 19,
    away: str = "Los Angeles Lakers",
    home: str = "Boston Celtics",
) -> PriceState | None:
    """The board's price for a line of the game between ``away`` and ``home``."""
    game = next(
        (
            s
            for s in hub.board.events(4)
            if s.event.home_team_id == our_team(home) and s.event.away_team_id == our_team(away)
        ),
        None,
    )
    if game is None:
        return None
    pid = our_team(away) if participant_id is None else participant_id
    for found in game.lines():
        assert isinstance(found, LineState)
        if (found.market_id, found.participant_id, found.line) == (market_id, pid, line_value):
            return found.price(book)
    return None


def price_of(hub: Hub, **where: Any) -> float | None:
    found = quote(hub, **where)
    return None if found is None else found.price
