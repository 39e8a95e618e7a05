"""Streams that never lose a change: async iterators over the hub's WebSocket APIs.

:class:`MarketStream` reads ``/api/v2/ws`` (the multiplexed protocol,
docs/streaming.md): it subscribes to the ``markets`` channel, and after any break
(a cut connection, a restarted hub, 60 s without a heartbeat, a ``lag`` notice) it
reconnects with backoff (1 s doubling to 30 s, with jitter, reset once data flows) and
resumes from the last sequence it yielded. Every change is yielded once, in sequence
order: a replayed change it already yielded is dropped, and a missing ``sub_sequence``
(which the hub never causes) is treated as a break and resumed over.

:class:`FlatMarketStream` reads ``/api/v2/ws/markets`` (TheRundown's stream, which has
no resume): after a reconnect it fills the gap over REST from ``/api/v2/markets/delta``,
whose cursor is the same sequence, before yielding live messages again.

When a resume is impossible (the cursor is older than the hub's resume window, or from
another store) the stream yields a :class:`StreamReset` and starts afresh: whatever
mirrors the stream must reload its state (:class:`~oddswire.client.feed.BoardFeed` does).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from oddswire.client.backoff import Backoff
from oddswire.client.core import KEY_HEADER, ClientConfig, error_for, query_value
from oddswire.client.errors import APIError, BadRequestError, OddswireError, RateLimitError
from oddswire.client.markets import live_variants, with_live_variants
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.stream_models import DeltaData, FlatMessage, Frame, MarketPrice

log = logging.getLogger("oddswire.client.stream")

#: The reconnect schedule the issue and TheRundown's guide give: 1 s doubling to 30 s.
RECONNECT = Backoff(initial=1.0, maximum=30.0, jitter=0.25)
SUBSCRIPTION_ID = "oddswire-sdk"


@dataclass(frozen=True, slots=True)
class StreamReset:
    """The stream could not resume from ``after`` and starts afresh (its ``origin``
    says where, once subscribed): changes in between may be missing. Reload what you
    mirror."""

    reason: str
    after: int | None


StreamItem = MarketPrice | StreamReset


@dataclass(slots=True)
class StreamStats:
    """What a stream went through; ``conflated_resumes`` and ``resets`` are the only
    ways a change can be skipped, and both are visible."""

    connects: int = 0
    exact_resumes: int = 0
    conflated_resumes: int = 0
    duplicates_dropped: int = 0
    resets: int = 0
    heartbeat_timeouts: int = 0
    lag_notices: int = 0
    gap_filled: int = 0
    errors: list[str] = field(default_factory=list)


class _Break(Exception):
    """End this connection and resume on a new one."""


@dataclass(frozen=True, slots=True)
class MarketFilter:
    """The ``markets`` filters of both streams (reference §4.2/§4.3)."""

    sport_ids: tuple[int, ...] | None = None
    event_ids: tuple[str, ...] | None = None
    market_ids: tuple[int, ...] | None = None
    affiliate_ids: tuple[int, ...] | None = None
    participant_ids: tuple[int, ...] | None = None
    participant_type: str | None = None
    main_line: bool | None = None

    @classmethod
    def of(
        cls,
        *,
        sport_ids: Iterable[int] | None = None,
        event_ids: Iterable[str] | None = None,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        participant_ids: Iterable[int] | None = None,
        participant_type: str | None = None,
        main_line: bool | None = None,
    ) -> MarketFilter:
        def ids(values: Iterable[Any] | None) -> tuple[Any, ...] | None:
            return None if values is None else tuple(values)

        return cls(
            ids(sport_ids),
            ids(event_ids),
            ids(market_ids),
            ids(affiliate_ids),
            ids(participant_ids),
            participant_type,
            main_line,
        )

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def query(self) -> dict[str, str]:
        return {k: v for k, v in ((k, query_value(v)) for k, v in self.params().items()) if v}


class _Reconnecting:
    """The reconnect loop both streams share."""

    path = ""

    def __init__(
        self,
        config: ClientConfig,
        wanted: MarketFilter,
        *,
        resume_from: int | None,
        heartbeat_timeout: float,
        backoff: Backoff,
        open_timeout: float,
    ) -> None:
        self.config = config
        self.wanted = wanted
        #: The sequence of the last change yielded (where a resume starts).
        self.sequence = resume_from
        self.heartbeat_timeout = heartbeat_timeout
        self.backoff = backoff
        self.open_timeout = open_timeout
        self.stats = StreamStats()
        self._closed = False
        self._ws: ClientConnection | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config.base_url!r}, sequence={self.sequence})"

    async def close(self) -> None:
        """Stop: the iterator ends at its next step."""
        self._closed = True
        if self._ws is not None:
            await self._ws.close()

    def cut(self) -> None:
        """Drop the current connection (for tests and operators): the stream resumes."""
        if self._ws is not None:
            self._ws.transport.abort()

    def _url(self) -> str:
        return self.config.ws_url(self.path, self._query())

    def _query(self) -> dict[str, str]:
        return {}

    def _connect(self) -> Any:
        headers = {KEY_HEADER: self.config.api_key} if self.config.auth == "header" else {}
        return connect(
            self._url(),
            additional_headers=headers,
            max_size=None,
            open_timeout=self.open_timeout,
            ping_interval=20.0,
            ping_timeout=20.0,
            user_agent_header=self.config.user_agent,
            close_timeout=2.0,
        )

    async def __aiter__(self) -> AsyncIterator[StreamItem]:
        attempt = 0
        while not self._closed:
            flowing = False
            try:
                async with self._connect() as ws:
                    self._ws = ws
                    self.stats.connects += 1
                    async for item in self._session(ws):
                        if not flowing:
                            flowing, attempt = True, 0
                        yield item
            except InvalidStatus as exc:
                response = exc.response
                error = error_for(
                    response.status_code,
                    response.headers,
                    bytes(response.body or b""),
                    self.path,
                    self.config.api_key,
                )
                if not isinstance(error, RateLimitError) and error.status < 500:
                    raise error from None
                self._note(f"upgrade refused: {error}")
            except (_Break, ConnectionClosed, InvalidHandshake, OSError, TimeoutError) as exc:
                self._note(f"{type(exc).__name__}: {exc}")
            finally:
                self._ws = None
            if self._closed:
                return
            await asyncio.sleep(0.05 if flowing else self.backoff.delay(attempt))
            attempt += 0 if flowing else 1

    def _session(self, ws: ClientConnection) -> AsyncIterator[StreamItem]:
        raise NotImplementedError

    async def _receive(self, ws: ClientConnection) -> str | bytes:
        try:
            return await asyncio.wait_for(ws.recv(), self.heartbeat_timeout)
        except TimeoutError:
            self.stats.heartbeat_timeouts += 1
            raise _Break(f"no message for {self.heartbeat_timeout:g} s") from None

    def _note(self, what: str) -> None:
        log.info("stream %s: %s; reconnecting", self.path, what)
        self.stats.errors = [*self.stats.errors[-19:], what]


class MarketStream(_Reconnecting):
    """Price changes from ``/api/v2/ws``, each exactly once, in order (module docstring)."""

    path = "/api/v2/ws"

    def __init__(
        self,
        config: ClientConfig,
        wanted: MarketFilter | None = None,
        *,
        resume_from: int | None = None,
        epoch: str | None = None,
        heartbeat_timeout: float = 60.0,
        backoff: Backoff = RECONNECT,
        open_timeout: float = 10.0,
    ) -> None:
        super().__init__(
            config,
            wanted or MarketFilter(),
            resume_from=resume_from,
            heartbeat_timeout=heartbeat_timeout,
            backoff=backoff,
            open_timeout=open_timeout,
        )
        #: The hub store's identity; a resume across a replaced store is refused.
        self.epoch = epoch
        #: Where a fresh subscription started: every change after it is yielded.
        self.origin: int | None = None

    def _subscribe(self) -> bytes:
        params = self.wanted.params()
        if self.sequence is not None:
            params["resume_from"] = self.sequence
            if self.epoch is not None:
                params["epoch"] = self.epoch
        return msgspec.json.encode(
            {"action": "subscribe", "id": SUBSCRIPTION_ID, "channel": "markets", "params": params}
        )

    async def _session(self, ws: ClientConnection) -> AsyncIterator[StreamItem]:
        await ws.send(self._subscribe().decode())
        sub_sequence = 0
        decode_frame = msgspec.json.Decoder(Frame).decode
        decode_delta = msgspec.json.Decoder(DeltaData).decode
        while True:
            frame = decode_frame(await self._receive(ws))
            kind = frame.type
            if kind == "delta":
                if frame.sub_sequence != sub_sequence + 1:
                    raise _Break(f"sub_sequence {frame.sub_sequence} after {sub_sequence}")
                sub_sequence += 1
                sequence = frame.sequence or 0
                if self.sequence is not None and sequence <= self.sequence:
                    self.stats.duplicates_dropped += 1
                    continue
                if not frame.data:
                    continue
                record = decode_delta(frame.data).data
                self.sequence = sequence
                yield record
            elif kind == "subscribed":
                self.epoch = frame.epoch or self.epoch
                if self.sequence is None:
                    self.sequence = self.origin = frame.sequence or 0
            elif kind == "in_sync":
                if frame.replay == "exact":
                    self.stats.exact_resumes += 1
                else:
                    self.stats.conflated_resumes += 1
            elif kind == "lag":
                self.stats.lag_notices += 1
                raise _Break("the hub reports this client lagging: resuming exactly")
            elif kind == "error":
                reset = self._refused(frame)
                if reset is not None:
                    yield reset
                    raise _Break(reset.reason)

    def _refused(self, frame: Frame) -> StreamReset | None:
        message = frame.message or ""
        if self.sequence is not None and (
            frame.code == "stale_cursor" or (frame.code == "bad_request" and "ahead" in message)
        ):
            self.stats.resets += 1
            after, self.sequence, self.epoch = self.sequence, None, None
            return StreamReset(message, after)
        raise BadRequestError(message, path=self.path)


class FlatMarketStream(_Reconnecting):
    """Price changes from ``/api/v2/ws/markets``, gaps filled from ``/markets/delta``.

    ``rest`` is an :class:`~oddswire.client.AsyncClient` for the gap fill.
    """

    path = "/api/v2/ws/markets"

    def __init__(
        self,
        config: ClientConfig,
        rest: Any,
        wanted: MarketFilter | None = None,
        *,
        resume_from: int | None = None,
        heartbeat_timeout: float = 60.0,
        backoff: Backoff = RECONNECT,
        open_timeout: float = 10.0,
    ) -> None:
        super().__init__(
            config,
            wanted or MarketFilter(),
            resume_from=resume_from,
            heartbeat_timeout=heartbeat_timeout,
            backoff=backoff,
            open_timeout=open_timeout,
        )
        self.rest = rest
        self._markets: set[int] | None = None

    def _query(self) -> dict[str, str]:
        return self.wanted.query()

    async def _session(self, ws: ClientConnection) -> AsyncIterator[StreamItem]:
        decode_message = msgspec.json.Decoder(FlatMessage).decode
        decode_price = msgspec.json.Decoder(MarketPrice).decode
        if self.sequence is not None:
            async for item in self._fill(self.sequence):
                if isinstance(item, StreamReset):
                    self.sequence = None
                    yield item
                    raise _Break(item.reason)
                self.sequence = item.id
                self.stats.gap_filled += 1
                yield item
        while True:
            message = decode_message(await self._receive(ws))
            if message.meta.type != "market_price" or not message.data:
                continue
            record = decode_price(message.data)
            if self.sequence is not None and record.id <= self.sequence:
                self.stats.duplicates_dropped += 1
                continue
            self.sequence = record.id
            yield record

    async def _fill(self, after: int) -> AsyncIterator[StreamItem]:
        """Every change after ``after`` the stream would have sent, from REST."""
        wanted = self.wanted
        sports = wanted.sport_ids
        markets = await self._markets_with_live_variants()
        cursor: int | str = after
        while True:
            try:
                page = await self.rest.markets_delta(
                    cursor,
                    sport_id=sports[0] if sports and len(sports) == 1 else None,
                    affiliate_ids=wanted.affiliate_ids,
                    limit=5000,
                )
            except APIError as exc:
                if exc.status != 400:
                    raise
                self.stats.resets += 1
                yield StreamReset(exc.message, after)
                return
            for row in page.deltas:
                if self._accepts(row, markets):
                    yield delta_record(row)
            cursor = page.meta.delta_last_id
            if not page.meta.has_more:
                return

    async def _markets_with_live_variants(self) -> set[int] | None:
        wanted = self.wanted.market_ids
        if wanted is None:
            return None
        if self._markets is None:
            variants = live_variants(await self.rest.markets())
            self._markets = set(with_live_variants(wanted, variants))
        return self._markets

    def _accepts(self, row: v2.DeltaRow, markets: set[int] | None) -> bool:
        w = self.wanted
        return (
            (w.sport_ids is None or row.sport_id in w.sport_ids)
            and (w.event_ids is None or row.event_id in w.event_ids)
            and (markets is None or row.market_id in markets)
            and (w.participant_ids is None or row.participant_id in w.participant_ids)
            and (w.participant_type is None or row.participant_type == w.participant_type)
            and (not w.main_line or row.is_main_line)
        )


def delta_record(row: v2.DeltaRow) -> MarketPrice:
    """A ``markets/delta`` row as the ``market_price`` record the stream sends."""
    return MarketPrice(
        id=row.id,
        event_id=row.event_id,
        sport_id=row.sport_id,
        affiliate_id=row.affiliate_id,
        market_id=row.market_id,
        period_id=row.period_id,
        normalized_market_participant_id=row.participant_id,
        normalized_market_participant_type=row.participant_type,
        line=row.line,
        price=row.price,
        previous_price=row.previous_price,
        is_main_line=row.is_main_line,
        closed=isinstance(row.closed_at, str) or row.change_type in ("close", "closed"),
        updated_at=row.updated_at,
    )


__all__ = [
    "RECONNECT",
    "FlatMarketStream",
    "MarketFilter",
    "MarketStream",
    "OddswireError",
    "StreamItem",
    "StreamReset",
    "StreamStats",
    "delta_record",
]
