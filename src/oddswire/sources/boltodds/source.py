"""The BoltOdds source: one WebSocket subscription, kept open, reconnected with backoff.

Session (seed 002): connect to ``boltodds_url?key=KEY``; the first frame must be the
ack (``socket_connected``) within ``ack_timeout``; send ``subscribe`` with the
configured sports, sportsbooks, games and markets (empty filters left out: "all");
then receive until the socket closes. Every frame goes through :meth:`receive`
(recorded, decoded by :class:`~.decode.BoltOddsDecoder`, resolved, applied).

The initial state is a burst of ``initial_state`` messages with no end marker. It
counts as settled when none has come for ``settle_quiet`` seconds, or
``settle_max`` seconds after subscribing (on a busy feed); the source then writes a
``sync`` record, on which the decoder takes lines no longer quoted off the board (the
new initial state is the truth after a reconnect: BoltOdds has no resume).
``warm_up`` returns there, leaving the socket open for ``run``.

BoltOdds allows 12 socket connects and GETs per minute per IP: reconnects wait at
least ``min_reconnect`` (5 s) after the previous attempt and follow ``backoff`` while
attempts fail (doubling from ``min_reconnect`` up to ``max_backoff``, 2 minutes); a
429 on the upgrade or a GET holds everything back for its ``Retry-After``. A socket
silent for ``idle_timeout`` (BoltOdds pings every 15-20 s) is dropped and reopened.
The key is only ever in the URL we connect to, never in a log line, a record or
health.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from oddswire import redact
from oddswire.client.backoff import Backoff
from oddswire.client.core import parse_retry_after
from oddswire.config import Settings
from oddswire.sources.base import ChangeSink
from oddswire.sources.boltodds.decode import BoltOddsDecoder
from oddswire.sources.boltodds.discovery import MAX_RETRY_AFTER, Discovered, Discovery
from oddswire.sources.boltodds.markets import MarketTable
from oddswire.sources.boltodds.tables import Tables
from oddswire.sources.boltodds.transport import (
    MASK,
    MaskKeys,
    MinuteLimit,
    safe_url,
    subscribe_message,
    with_query,
)
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import Recorder
from oddswire.sources.upstream.source import UpstreamSource

log = logging.getLogger("oddswire.sources.boltodds")
#: The websockets library logs through this logger (its debug lines show the request
#: path, key and all): keys are masked on it.
wire_log = logging.getLogger("oddswire.sources.boltodds.ws")
#: Loggers that may see a URL with the key (a filter on a logger does not apply to
#: its children, so each is named).
REDACTED_LOGGERS = (
    "oddswire.sources.boltodds",
    "oddswire.sources.boltodds.ws",
    "httpx",
    "websockets",
    "websockets.client",
)
#: Share of the warm-up time discovery may take (the stream needs the rest).
DISCOVERY_SHARE = 0.4
_MASK_KEYS = MaskKeys()
for _logger in (log, wire_log):
    _logger.addFilter(_MASK_KEYS)


@dataclass(slots=True)
class Connection:
    """One open, subscribed socket and how far its initial state is."""

    ws: ClientConnection
    number: int
    subscribed_at: float
    last_initial: float
    initial_states: int = 0
    settled: bool = False


class BoltOddsSource(UpstreamSource):
    """See the module doc."""

    vendor = "boltodds"

    def __init__(
        self,
        resolver: Resolver,
        *,
        key: str | None,
        url: str = "wss://spro.agency/api",
        http_url: str = "https://spro.agency/api",
        sports: list[str] | None = None,
        books: list[str] | None = None,
        markets: list[str] | None = None,
        games: list[str] | None = None,
        recorder: Recorder | None = None,
        name: str = "boltodds",
        backoff: Backoff | None = None,
        min_reconnect: float = 5.0,
        max_backoff: float = 120.0,
        ack_timeout: float = 10.0,
        open_timeout: float = 10.0,
        settle_quiet: float = 1.0,
        settle_max: float = 15.0,
        warm_up_timeout: float = 20.0,
        idle_timeout: float = 90.0,
        requests_per_minute: int = 12,
        discover: bool = True,
    ) -> None:
        redact.install(REDACTED_LOGGERS)
        decoder = BoltOddsDecoder(resolver.catalog)
        super().__init__(name, resolver, decoder, recorder)
        self.bolt = decoder
        self.key = key or None
        if self.key:
            _MASK_KEYS.keys.add(self.key)
        self.url = url
        self.http_url = http_url
        self.sports = list(sports or [])
        self.sportsbooks = list(books or [])
        self.markets = list(markets or [])
        self.games = list(games or [])
        self.backoff = backoff or Backoff(
            initial=min_reconnect, maximum=max(max_backoff, min_reconnect)
        )
        self.min_reconnect = min_reconnect
        self.ack_timeout = ack_timeout
        self.open_timeout = open_timeout
        self.settle_quiet = settle_quiet
        self.settle_max = settle_max
        self.warm_up_timeout = warm_up_timeout
        self.idle_timeout = idle_timeout
        self.discover = discover
        self.limit = MinuteLimit(requests_per_minute)
        self.connection: Connection | None = None
        self.connects = 0
        self.reconnects = 0
        self.state = "idle"
        self.last_ack_at: float | None = None
        self.last_close: str | None = None
        self.discovered: Discovered | None = None
        self._failures = 0
        self._last_attempt = -1e9
        self._ever_connected = False
        self._unmappable: set[str] = set()

    @classmethod
    def from_settings(
        cls, settings: Settings, resolver: Resolver, recorder: Recorder | None
    ) -> BoltOddsSource:
        return cls(
            resolver,
            key=settings.boltodds_key,
            url=settings.boltodds_url,
            http_url=settings.boltodds_http_url,
            sports=list(settings.boltodds_sports),
            books=list(settings.boltodds_books),
            markets=list(settings.boltodds_markets),
            games=list(settings.boltodds_games),
            recorder=recorder,
            min_reconnect=settings.boltodds_min_reconnect,
            max_backoff=settings.boltodds_max_backoff,
            settle_quiet=settings.boltodds_settle_quiet,
            settle_max=settings.boltodds_settle_max,
            idle_timeout=settings.boltodds_idle_timeout,
            warm_up_timeout=settings.boltodds_warm_up_timeout,
        )

    # ------------------------------------------------------------- lifecycle

    async def warm_up(self, sink: ChangeSink) -> None:
        """Discovery, then connect and take the initial state; at most
        ``warm_up_timeout`` seconds in all (then ``run`` keeps trying)."""
        deadline = time.monotonic() + self.warm_up_timeout
        self._check_names()
        if self.discover:
            await self._discover(time.monotonic() + self.warm_up_timeout * DISCOVERY_SHARE)
        while time.monotonic() < deadline:
            connection = await self._open(sink, deadline)
            if connection is not None:
                if await self._read(sink, connection, deadline=deadline, until_settled=True):
                    return
                await self._drop(connection)
            pause = self._pause()
            if time.monotonic() + pause >= deadline:
                break
            await asyncio.sleep(pause)
        message = f"no initial state within {self.warm_up_timeout:g} s; still trying"
        if self.health.last_error:
            message += f" (last: {self.health.last_error})"
        self.health.fail(message)
        log.warning("%s: %s", self.name, message)

    async def run(self, sink: ChangeSink) -> None:
        """Keep a subscription open until cancelled (reusing warm-up's socket)."""
        try:
            while True:
                connection = self.connection or await self._open(sink, None)
                if connection is not None:
                    await self._read(sink, connection, deadline=None, until_settled=False)
                    await self._drop(connection)
                self.state = "waiting"
                await asyncio.sleep(self._pause())
        finally:
            if self.connection is not None:
                await self._drop(self.connection)

    async def close(self) -> None:
        if self.connection is not None:
            await self._drop(self.connection)
        await super().close()

    # ------------------------------------------------------------- discovery

    def _check_names(self) -> None:
        """Configured names we have no canonical mapping for: quarantined, warned."""
        tables = Tables(self.resolver.catalog)
        markets = MarketTable(self.resolver.catalog)
        for sport in self.sports:
            if tables.sport_id(sport) is None:
                self._unmapped("sport", sport, "configured, but no canonical sport for it")
                self._unmappable.add(sport)
        for book in self.sportsbooks:
            if tables.affiliate_id(book) is None:
                self._unmapped("book", book, "configured, but no catalog affiliate for it")
                self._unmappable.add(book)
        for market in self.markets:
            if isinstance(markets.lookup(market, None), str):
                self._unmapped("market", market, "configured, but no catalog market for it")

    def _unmapped(self, kind: str, text: str, reason: str) -> None:
        self.resolver.quarantine.add(self.name, kind, text, reason)

    async def _discover(self, deadline: float) -> None:
        async with httpx.AsyncClient(follow_redirects=True) as client:
            discovery = Discovery(
                client, self.http_url, self.key, self.limit, self._recording_receive
            )
            found = await discovery.run(
                self.sports, self.sportsbooks, lambda: min(10.0, deadline - time.monotonic())
            )
        self.discovered = found
        for filter_name, configured, offered, kind in (
            ("sports", self.sports, found.sports, "sport"),
            ("sportsbooks", self.sportsbooks, found.sportsbooks, "book"),
            ("games", self.games, found.game_names, "game"),
        ):
            if offered is None:
                continue
            for name in configured:
                if name not in offered:
                    where = "get_games" if kind == "game" else "get_info"
                    log.warning(
                        "%s: %s %r is not in BoltOdds' %s: its subscription would "
                        "silently ignore it",
                        self.name,
                        filter_name,
                        name,
                        where,
                    )
                    if name not in self._unmappable:
                        self._unmapped(kind, name, f"configured, but not offered by {where}")
        if found.markets is not None and self.markets:
            listed = {m for books in found.markets.values() for ms in books.values() for m in ms}
            for market in self.markets:
                if market not in listed:
                    log.warning("%s: market %r is not quoted now (get_markets)", self.name, market)

    async def _recording_receive(self, record: Record) -> int:
        """Discovery responses: recorded and decoded like frames (no prices in them)."""
        return await self.receive(_NoSink(), record)

    # ------------------------------------------------------------ connection

    def _pause(self) -> float:
        """Seconds before the next connect: backoff while attempts fail, never sooner
        than ``min_reconnect`` after the last one, and within the request limit."""
        since = time.monotonic() - self._last_attempt
        return max(
            self.backoff.delay(self._failures - 1) if self._failures else 0.0,
            self.min_reconnect - since,
            self.limit.wait_seconds(),
            0.0,
        )

    def _failed(self, message: str) -> None:
        self._failures += 1
        self.state = "disconnected"
        self.health.connected = False
        self.health.fail(message)
        log.warning("%s: %s", self.name, message)

    async def _open(self, sink: ChangeSink, deadline: float | None) -> Connection | None:
        """Connect, wait for the ack, subscribe; None (logged, counted) on failure."""
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return None
        wait = self.limit.wait_seconds()
        if wait > 0:
            if left is not None and wait >= left:
                return None
            await asyncio.sleep(wait)
        self.limit.spend()
        self._last_attempt = time.monotonic()
        self.connects += 1
        self.state = "connecting"
        opening = self.open_timeout if left is None else max(0.1, min(self.open_timeout, left))
        try:
            url = with_query(self.url, key=self.key)
            ws = await connect(
                url,
                max_size=None,
                open_timeout=opening,
                close_timeout=2.0,
                logger=wire_log,
                user_agent_header="oddswire",
            )
        except InvalidStatus as exc:
            self._refused(exc)
            return None
        except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
            self._failed(f"connect to {safe_url(self.url)} failed: {_describe(exc)}")
            return None
        ack_timeout = self.ack_timeout
        if deadline is not None:
            ack_timeout = max(0.05, min(ack_timeout, deadline - time.monotonic()))
        connection = await self._handshake(sink, ws, ack_timeout)
        if connection is None:
            await _quietly_close(ws)
        return connection

    def _refused(self, exc: InvalidStatus) -> None:
        status = exc.response.status_code
        if status == 429:
            retry = parse_retry_after(exc.response.headers.get("Retry-After"))
            seconds = min(MAX_RETRY_AFTER, 60.0 if retry is None else retry)
            self.limit.defer(seconds)
            self._failed(f"rate limited (HTTP 429) on connect; next attempt in {seconds:g} s")
        elif status in (401, 403):
            self._failed(f"BoltOdds refused the key (HTTP {status})")
        else:
            self._failed(f"BoltOdds refused the connection (HTTP {status})")

    async def _handshake(
        self, sink: ChangeSink, ws: ClientConnection, ack_timeout: float
    ) -> Connection | None:
        number = self.connects
        try:
            frame = await asyncio.wait_for(ws.recv(), ack_timeout)
        except TimeoutError:
            self._failed(f"no socket_connected within {ack_timeout:g} s")
            return None
        except ConnectionClosed as exc:
            self._failed(f"closed before the ack: {_describe(exc)}")
            return None
        await self.receive(sink, _frame(frame, number, self.key))
        if "socket_connected" not in self.bolt.actions:
            self._failed("the first message was not socket_connected")
            return None
        self.last_ack_at = time.time()
        self.health.connected = True
        if self._ever_connected:
            self.reconnects += 1
        self._ever_connected = True
        try:
            await ws.send(json.dumps(self.subscription))
        except ConnectionClosed as exc:
            self._failed(f"closed before subscribing: {_describe(exc)}")
            return None
        now = time.monotonic()
        self.state = "initial_state"
        log.info("%s: connected to %s and subscribed", self.name, safe_url(self.url))
        connection = Connection(ws=ws, number=number, subscribed_at=now, last_initial=now)
        self.connection = connection
        return connection

    @property
    def subscription(self) -> dict[str, object]:
        return subscribe_message(self.sports, self.sportsbooks, self.markets, self.games)

    async def _read(
        self,
        sink: ChangeSink,
        connection: Connection,
        *,
        deadline: float | None,
        until_settled: bool,
    ) -> bool:
        """Frames into ``receive`` until the socket closes (False), or, with
        ``until_settled``, the initial state settled or ``deadline`` passed (True,
        socket still open)."""
        ws = connection.ws
        while True:
            now = time.monotonic()
            timeout = self.idle_timeout
            settle_at = None
            if not connection.settled:
                settle_at = min(
                    connection.last_initial + self.settle_quiet,
                    connection.subscribed_at + self.settle_max,
                )
                timeout = min(timeout, settle_at - now)
            if deadline is not None:
                timeout = min(timeout, deadline - now)
            try:
                frame = await asyncio.wait_for(ws.recv(), max(0.0, timeout))
            except TimeoutError:
                now = time.monotonic()
                if settle_at is not None and now >= settle_at:
                    await self._settle(sink, connection)
                    if until_settled:
                        return True
                    continue
                if deadline is not None and now >= deadline:
                    return True
                self._lost(f"no message for {self.idle_timeout:g} s")
                return False
            except ConnectionClosed as exc:
                self._lost(f"closed: {_describe(exc)}")
                return False
            await self.receive(sink, _frame(frame, connection.number, self.key))
            actions = self.bolt.actions
            if "initial_state" in actions:
                connection.last_initial = time.monotonic()
                connection.initial_states += actions.count("initial_state")
            if "error" in actions and self.bolt.errors:
                log.warning("%s: BoltOdds says: %s", self.name, redact.redact(self.bolt.errors[-1]))

    async def _settle(self, sink: ChangeSink, connection: Connection) -> None:
        connection.settled = True
        self.state = "live"
        if connection.initial_states:
            self._failures = 0
        await self.receive(
            sink,
            Record(kind="sync", body="initial_state_settled", meta=_meta(connection.number)),
        )
        log.info(
            "%s: initial state in (%d game-and-book messages)",
            self.name,
            connection.initial_states,
        )

    def _lost(self, why: str) -> None:
        self.last_close = why
        self.health.connected = False
        self.state = "disconnected"
        connection = self.connection
        if connection is not None and not connection.settled:
            self._failures += 1
        log.warning("%s: connection lost (%s); reconnecting", self.name, why)

    async def _drop(self, connection: Connection) -> None:
        if self.connection is connection:
            self.connection = None
        self.health.connected = False
        await _quietly_close(connection.ws)

    # ---------------------------------------------------------------- health

    def refresh_health(self) -> None:
        super().refresh_health()
        connection = self.connection
        self.health.detail["connection"] = {
            "state": self.state,
            "connects": self.connects,
            "reconnects": self.reconnects,
            "last_ack_at": None
            if self.last_ack_at is None
            else datetime.fromtimestamp(self.last_ack_at, UTC).isoformat(),
            "last_close": self.last_close,
            "initial_state_messages": None if connection is None else connection.initial_states,
            "requests_last_minute": self.limit.used(),
        }
        self.health.detail["subscription"] = self.subscription["filters"]
        if self.bolt.subscription is not None:
            self.health.detail["upstream_filters"] = self.bolt.subscription
        if self.bolt.errors:
            self.health.detail["upstream_errors"] = list(self.bolt.errors[-5:])
        if self.discovered is not None:
            self.health.detail["discovery"] = self.discovered.as_dict()


class _NoSink:
    """Discovery records carry no prices: nothing is ever submitted here."""

    async def submit(self, changes: object) -> int:
        return 0

    def progress(self, what: str, fraction: float | None) -> None:
        return None


def _meta(number: int) -> dict[str, str]:
    return {"connection": str(number)}


def _frame(frame: str | bytes, number: int, key: str | None) -> Record:
    """A frame as a record; our key, should the upstream echo it, masked (a record is
    written to recordings and its text can reach logs and the quarantine)."""
    body = frame if isinstance(frame, str) else frame.decode("utf-8", "replace")
    if key and key in body:
        body = body.replace(key, MASK)
    return Record(kind="ws", body=body, meta=_meta(number))


def _describe(exc: BaseException) -> str:
    text = redact.redact(str(exc))[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _quietly_close(ws: ClientConnection) -> None:
    try:
        await ws.close()
    except Exception:  # closing a broken socket: nothing more to do
        return
