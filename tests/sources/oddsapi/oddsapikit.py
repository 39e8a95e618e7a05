"""A scripted local The Odds API v4 server, payload builders and a hub harness.

The server speaks HTTP/1.1 on a real socket (port 0): ``GET /v4/sports/{sport}/odds``
answers from a per-sport script of replies (then the sport's standing reply), adds
the vendor's usage headers (``x-requests-remaining/used/last``, charging markets x
regions for a non-empty answer, as the vendor does), and records every request so
tests assert what was (and was not) asked. ``GET /v4/sports`` is the free sports
list. A wrong key gets the vendor's 401 INVALID_KEY; a query that breaks the
documented contract (no American odds, no markets...) is recorded as a violation.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from oddswire.board.state import PriceState
from oddswire.hub import Hub, HubSettings
from oddswire.model import ParticipantType
from oddswire.refdata import load_catalog
from oddswire.refdata.results import DRAW, OVER, UNDER
from oddswire.sources.oddsapi import OddsApiSource
from oddswire.sources.resolve.resolver import Resolver
from oddswire.store.sqlite import SqliteTickStore

KEY = "oa-7f3c9e1d2b4a6c8e0f1a3b5c7d9e1f2a"
NBA = "basketball_nba"
EPL = "soccer_epl"
DK, FD, MGM = "draftkings", "fanduel", "betmgm"
DK_ID, FD_ID, MGM_ID = 19, 23, 22

Json = Any


@dataclass
class Reply:
    status: int = 200
    body: Json | str = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    #: Close the connection without answering (a dropped connection).
    drop: bool = False

    def text(self) -> str:
        return self.body if isinstance(self.body, str) else json.dumps(self.body)


def error(status: int, code: str, message: str, **headers: str) -> Reply:
    body = {
        "message": message,
        "error_code": code,
        "details_url": f"https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#{code.lower()}",
    }
    return Reply(status=status, body=body, headers=dict(headers))


@dataclass
class Request:
    path: str
    query: dict[str, str]
    at: float

    @property
    def sport(self) -> str | None:
        parts = self.path.strip("/").split("/")
        return parts[2] if len(parts) == 4 and parts[3] == "odds" else None


class FakeOddsApi:
    """The scripted server (see the module docstring)."""

    def __init__(self, remaining: int = 500) -> None:
        self.remaining = remaining
        self.used = 0
        self.script: dict[str, deque[Reply]] = {}
        self.standing: dict[str, Reply] = {}
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.balance_replies: deque[Reply] = deque()
        self._server: asyncio.Server | None = None
        self.url = ""

    # ---------------------------------------------------------------- script

    def then(self, sport: str, *replies: Reply | Json) -> None:
        """Queue replies for a sport's next polls (a list/str body means a 200)."""
        queue = self.script.setdefault(sport, deque())
        queue.extend(r if isinstance(r, Reply) else Reply(body=r) for r in replies)

    def always(self, sport: str, reply: Reply | Json) -> None:
        """The sport's reply once its script is used up."""
        self.standing[sport] = reply if isinstance(reply, Reply) else Reply(body=reply)

    def odds_requests(self, sport: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.sport and (sport is None or r.sport == sport)]

    # ---------------------------------------------------------------- server

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
            url = urlsplit(target)
            request = Request(url.path, dict(parse_qsl(url.query)), time.monotonic())
            self.requests.append(request)
            reply = self._reply(request)
            if reply.drop:
                writer.close()
                return
            writer.write(self._encode(reply))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def _reply(self, request: Request) -> Reply:
        q = request.query
        if request.path == "/v4/sports":
            if q.get("apiKey") != KEY:
                return error(401, "INVALID_KEY", "API key is not valid")
            reply = self.balance_replies.popleft() if self.balance_replies else Reply(body=[])
            return self._with_usage(reply, 0)
        sport = request.sport
        if sport is None:
            return Reply(status=404, body={"message": "Not found"})
        self._check(q)
        queue = self.script.get(sport)
        reply = queue.popleft() if queue else self.standing.get(sport, Reply(body=[]))
        if reply.status == 200 and q.get("apiKey") != KEY:
            return error(401, "INVALID_KEY", "API key is not valid")
        cost = 0
        if reply.status == 200 and reply.body not in ([], "[]"):
            markets = len(q.get("markets", "").split(","))
            if "regions" in q:
                regions = len(q["regions"].split(","))
            else:
                regions = math.ceil(len(q.get("bookmakers", "").split(",")) / 10)
            cost = markets * regions
        return self._with_usage(reply, cost)

    def _check(self, q: dict[str, str]) -> None:
        if q.get("oddsFormat") != "american":
            self.violations.append(f"oddsFormat={q.get('oddsFormat')}")
        if q.get("dateFormat") not in (None, "iso"):
            self.violations.append(f"dateFormat={q.get('dateFormat')}")
        if not q.get("markets"):
            self.violations.append("no markets")
        if not q.get("regions") and not q.get("bookmakers"):
            self.violations.append("neither regions nor bookmakers")
        if not q.get("apiKey"):
            self.violations.append("no apiKey")

    def _with_usage(self, reply: Reply, cost: int) -> Reply:
        self.used += cost
        self.remaining = max(0, self.remaining - cost)
        headers = {
            "x-requests-remaining": str(self.remaining),
            "x-requests-used": str(self.used),
            "x-requests-last": str(cost),
        }
        headers.update(reply.headers)
        if "x-requests-remaining" in reply.headers:  # a scripted balance is the balance
            self.remaining = int(reply.headers["x-requests-remaining"])
        return Reply(reply.status, reply.body, headers, reply.drop)

    @staticmethod
    def _encode(reply: Reply) -> bytes:
        body = reply.text().encode()
        reason = {200: "OK", 401: "Unauthorized", 422: "Unprocessable Entity"}.get(
            reply.status, "Status"
        )
        lines = [f"HTTP/1.1 {reply.status} {reason}", "Content-Type: application/json"]
        lines += [f"{k}: {v}" for k, v in reply.headers.items()]
        lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        return "\r\n".join(lines).encode() + body


# ------------------------------------------------------------------ payloads


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tomorrow() -> datetime:
    return (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)


STAMP = "2025-01-15T23:59:00Z"


def outcome(
    name: str, price: float, point: float | None = None, description: str | None = None
) -> Json:
    out: dict[str, Json] = {"name": name, "price": price}
    if point is not None:
        out["point"] = point
    if description is not None:
        out["description"] = description
    return out


def market(key: str, *outcomes: Json, last_update: str = STAMP) -> Json:
    return {"key": key, "last_update": last_update, "outcomes": list(outcomes)}


def book(key: str, *markets: Json, title: str | None = None) -> Json:
    return {"key": key, "title": title or key, "last_update": STAMP, "markets": list(markets)}


def event(
    game_id: str,
    home: str,
    away: str,
    *books: Json,
    start: datetime | None = None,
    sport: str = NBA,
) -> Json:
    return {
        "id": game_id,
        "sport_key": sport,
        "sport_title": {NBA: "NBA", EPL: "EPL"}.get(sport, sport),
        "commence_time": iso(start or tomorrow()),
        "home_team": home,
        "away_team": away,
        "bookmakers": list(books),
    }


def nba_book(
    key: str,
    home_ml: float = -180,
    away_ml: float = 155,
    spread: float = -4.5,
    total: float = 224.5,
) -> Json:
    """A book's h2h, spreads and totals on Lakers at Celtics."""
    return book(
        key,
        market("h2h", outcome("Boston Celtics", home_ml), outcome("Los Angeles Lakers", away_ml)),
        market(
            "spreads",
            outcome("Boston Celtics", -110, spread),
            outcome("Los Angeles Lakers", -110, -spread),
        ),
        market("totals", outcome("Over", -112, total), outcome("Under", -108, total)),
    )


GAME = "e912304de2b2ce35b473ce2ecd3d1502"


def nba_event(*books: Json, start: datetime | None = None, game_id: str = GAME) -> Json:
    return event(game_id, "Boston Celtics", "Los Angeles Lakers", *books, start=start)


# ------------------------------------------------------------------ harness


def make_source(url: str, sports: tuple[str, ...] = (NBA,), **kwargs: Any) -> OddsApiSource:
    options: dict[str, Any] = {
        "key": KEY,
        "interval": 0.2,
        "warm_up_timeout": 2.0,
        "request_timeout": 1.0,
    }
    options.update(kwargs)
    return OddsApiSource(Resolver(load_catalog()), sports=sports, url=url, **options)


@contextlib.asynccontextmanager
async def running_hub(
    tmp_path: Path, source: OddsApiSource, start: bool = False
) -> AsyncIterator[Hub]:
    hub = Hub(
        load_catalog(),
        SqliteTickStore(str(tmp_path / "oddsapi.db")),
        [source],
        HubSettings(checkpoint_interval=0, prune_interval=0),
    )
    await hub.open()
    source.resolver.seed(s.event for s in hub.board.events())
    try:
        await hub.warm_up()
        if start:
            hub.start()
        yield hub
    finally:
        await hub.stop()


class Board:
    """Reads one game's prices off a hub's board, by what the vendor called them."""

    def __init__(self, hub: Hub, source: OddsApiSource, game_key: str = GAME) -> None:
        self.hub, self.source, self.game_key = hub, source, game_key

    @property
    def event_id(self) -> str | None:
        event = self.source.resolver.event_of(self.source.name, self.game_key)
        return None if event is None else event.event_id

    def find(
        self, book_id: int, market_id: int, who: str, line: str = "", period_id: int = 0
    ) -> PriceState | None:
        """A book's price on a line (``who``: home, away, over, under, draw), or None."""
        event = self.source.resolver.event_of(self.source.name, self.game_key)
        if event is None:
            return None
        participant = {
            "home": event.home_team_id,
            "away": event.away_team_id,
            "over": OVER,
            "under": UNDER,
            "draw": DRAW,
        }[who]
        state = self.hub.board.line((event.event_id, market_id, period_id, participant, line))
        return None if state is None else state.price(book_id)

    def price(
        self, book_id: int, market_id: int, who: str, line: str = "", period_id: int = 0
    ) -> PriceState:
        """Like :meth:`find`, for a price that must be there."""
        found = self.find(book_id, market_id, who, line, period_id)
        assert found is not None, (book_id, market_id, who, line, period_id)
        return found

    def player_price(
        self, book_id: int, market_id: int, player: str, line: str
    ) -> PriceState | None:
        event = self.source.resolver.event_of(self.source.name, self.game_key)
        assert event is not None
        for state in self.hub.board.iter_lines():
            if (
                state.event.event.event_id == event.event_id
                and state.market_id == market_id
                and state.participant_type is ParticipantType.PLAYER
                and state.line == line
                and load_catalog().participant_name(state.participant_id, ParticipantType.PLAYER)
                == player
            ):
                return state.price(book_id)
        return None


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Wait (briefly polling) until ``condition()`` holds; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
