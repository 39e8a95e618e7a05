"""The asynchronous client: :class:`AsyncClient`, over httpx."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from datetime import date
from types import TracebackType
from typing import Literal, TypeVar

import httpx

from oddswire import redact
from oddswire.client import endpoints as ep
from oddswire.client.backoff import RetryPolicy
from oddswire.client.bind import asynchronous
from oddswire.client.core import Call, ClientConfig, interpret, retry_delay
from oddswire.client.errors import OddswireError, StaleCursorError, TransportError
from oddswire.client.feed import BoardFeed
from oddswire.client.markets import live_variants
from oddswire.client.polling import DeltaPoller, PollResult
from oddswire.client.stream import FlatMarketStream, MarketFilter, MarketStream
from oddswire.client.usage import Usage
from oddswire.wire.therundown import v2_models as v2

T = TypeVar("T")


class AsyncClient:
    """The asynchronous twin of :class:`~oddswire.client.Client`: the same methods,
    each a coroutine, the same retries and errors."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        auth: Literal["header", "query"] = "header",
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = ClientConfig(
            base_url, api_key, auth, timeout, retry if retry is not None else RetryPolicy()
        )
        redact.install(("httpx", "oddswire"))
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._owns_http = http is None
        #: The key's tier, delay and data points, from the latest metered response.
        self.usage: Usage | None = None

    def __repr__(self) -> str:
        return f"AsyncClient({self.config.base_url!r})"

    async def send(self, call: Call[T]) -> T:
        """Run one call with retries; its decoded value, or a typed error."""
        config = self.config
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    call.method,
                    config.url(call),
                    params=config.params(call),
                    headers=config.headers(),
                    timeout=config.timeout,
                )
                self.usage = Usage.from_headers(response.headers) or self.usage
                return interpret(
                    call, response.status_code, response.headers, response.content, config.api_key
                )
            except OddswireError as exc:
                error: OddswireError = exc
            except httpx.HTTPError as exc:
                error = TransportError(
                    f"{call.path}: {type(exc).__name__}: {redact.redact(str(exc))}"
                )
            delay = retry_delay(error, attempt, config.retry)
            if delay is None:
                raise error
            attempt += 1
            await asyncio.sleep(delay)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ---------------------------------------------------------- polling, streams

    async def poll_markets(
        self,
        sport_id: int,
        day: date | str,
        *,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
        interval: float = 5.0,
        limit: int = 1000,
    ) -> AsyncIterator[PollResult]:
        """Snapshot, then ``markets/delta`` pages forever; see ``Client.poll_markets``."""
        market_ids = None if market_ids is None else list(market_ids)
        variants = None
        if market_ids is not None:
            variants = live_variants(await self.markets())
        poller = DeltaPoller(
            sport_id,
            day,
            market_ids=market_ids,
            affiliate_ids=affiliate_ids,
            main_line=main_line,
            limit=limit,
            live_variants=variants,
        )
        while True:
            try:
                response: v2.EventsResponse | v2.MarketsDeltaResponse
                if poller.needs_snapshot:
                    response = await self.send(poller.snapshot_call())
                else:
                    response = await self.send(poller.delta_call())
                result = poller.received(response)
            except StaleCursorError as exc:
                poller.stale(exc)
                continue
            yield result
            if not result.has_more and not result.snapshot:
                await asyncio.sleep(interval)

    def stream_markets(
        self,
        *,
        sport_ids: Iterable[int] | None = None,
        event_ids: Iterable[str] | None = None,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
        resume_from: int | None = None,
        epoch: str | None = None,
        heartbeat_timeout: float = 60.0,
    ) -> MarketStream:
        """Price changes from ``/api/v2/ws``, each once and in order, across reconnects
        and hub restarts (:class:`~oddswire.client.stream.MarketStream`)."""
        wanted = MarketFilter.of(
            sport_ids=sport_ids,
            event_ids=event_ids,
            market_ids=market_ids,
            affiliate_ids=affiliate_ids,
            main_line=main_line,
        )
        return MarketStream(
            self.config,
            wanted,
            resume_from=resume_from,
            epoch=epoch,
            heartbeat_timeout=heartbeat_timeout,
        )

    def stream_markets_flat(
        self,
        *,
        sport_ids: Iterable[int] | None = None,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
        resume_from: int | None = None,
        heartbeat_timeout: float = 60.0,
    ) -> FlatMarketStream:
        """Price changes from TheRundown's ``/api/v2/ws/markets``, gaps after a
        reconnect filled from ``/api/v2/markets/delta``
        (:class:`~oddswire.client.stream.FlatMarketStream`)."""
        wanted = MarketFilter.of(
            sport_ids=sport_ids,
            market_ids=market_ids,
            affiliate_ids=affiliate_ids,
            main_line=main_line,
        )
        return FlatMarketStream(
            self.config,
            self,
            wanted,
            resume_from=resume_from,
            heartbeat_timeout=heartbeat_timeout,
        )

    def board_feed(
        self,
        *,
        sport_ids: Iterable[int] | None = None,
        event_ids: Iterable[str] | None = None,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
    ) -> BoardFeed:
        """A :class:`~oddswire.client.board.LocalBoard` kept equal to the hub's by the
        stream (:class:`~oddswire.client.feed.BoardFeed`); iterate it to drive it."""
        wanted = MarketFilter.of(
            sport_ids=sport_ids,
            event_ids=event_ids,
            market_ids=market_ids,
            affiliate_ids=affiliate_ids,
            main_line=main_line,
        )
        return BoardFeed(self, wanted)

    # ---------------------------------------------------------------- endpoints

    # V2 reference
    sports = asynchronous(ep.sports)
    affiliates = asynchronous(ep.affiliates)
    sportsbooks = asynchronous(ep.sportsbooks)
    season_types = asynchronous(ep.season_types)
    markets = asynchronous(ep.markets)

    # V2 sports, teams, players
    sport_teams = asynchronous(ep.sport_teams)
    sport_conferences = asynchronous(ep.sport_conferences)
    sport_divisions = asynchronous(ep.sport_divisions)
    team = asynchronous(ep.team)
    team_players = asynchronous(ep.team_players)
    player = asynchronous(ep.player)

    # V2 events
    sport_events = asynchronous(ep.sport_events)
    sport_openers = asynchronous(ep.sport_openers)
    sport_closing = asynchronous(ep.sport_closing)
    event = asynchronous(ep.event)
    event_openers = asynchronous(ep.event_openers)
    event_closing = asynchronous(ep.event_closing)
    sports_dates = asynchronous(ep.sports_dates)
    sport_dates = asynchronous(ep.sport_dates)
    sports_events = asynchronous(ep.sports_events)

    # V2 markets and history
    sports_markets = asynchronous(ep.sports_markets)
    sport_markets = asynchronous(ep.sport_markets)
    event_markets = asynchronous(ep.event_markets)
    market_participants = asynchronous(ep.market_participants)
    event_markets_history = asynchronous(ep.event_markets_history)
    event_markets_opening = asynchronous(ep.event_markets_opening)
    event_market_history = asynchronous(ep.event_market_history)
    markets_history = asynchronous(ep.markets_history)

    # V2 delta
    markets_delta = asynchronous(ep.markets_delta)
    event_delta = asynchronous(ep.event_delta)

    # V2 odds
    event_best_line = asynchronous(ep.event_best_line)
    event_odds_best_line = asynchronous(ep.event_odds_best_line)
    odds_best_line = asynchronous(ep.odds_best_line)
    sport_odds_best_lines = asynchronous(ep.sport_odds_best_lines)
    sport_odds_steamers = asynchronous(ep.sport_odds_steamers)
    odds_steamers = asynchronous(ep.odds_steamers)
    sport_odds_outliers = asynchronous(ep.sport_odds_outliers)
    odds_outliers = asynchronous(ep.odds_outliers)

    # V2 hedge
    hedge = asynchronous(ep.hedge)
    hedge_top = asynchronous(ep.hedge_top)
    hedge_event = asynchronous(ep.hedge_event)
    hedge_by_id = asynchronous(ep.hedge_by_id)

    # V1
    v1_sports = asynchronous(ep.v1_sports)
    v1_affiliates = asynchronous(ep.v1_affiliates)
    v1_sportsbooks = asynchronous(ep.v1_sportsbooks)
    v1_season_types = asynchronous(ep.v1_season_types)
    v1_sport_teams = asynchronous(ep.v1_sport_teams)
    v1_sport_conferences = asynchronous(ep.v1_sport_conferences)
    v1_sport_divisions = asynchronous(ep.v1_sport_divisions)
    v1_sport_dates = asynchronous(ep.v1_sport_dates)
    v1_sport_schedule = asynchronous(ep.v1_sport_schedule)
    v1_sport_events = asynchronous(ep.v1_sport_events)
    v1_sport_openers = asynchronous(ep.v1_sport_openers)
    v1_sport_closing = asynchronous(ep.v1_sport_closing)
    v1_event = asynchronous(ep.v1_event)
    v1_event_line = asynchronous(ep.v1_event_line)
    v1_line_moneyline = asynchronous(ep.v1_line_moneyline)
    v1_line_spread = asynchronous(ep.v1_line_spread)
    v1_line_total = asynchronous(ep.v1_line_total)
    v1_line_team_total = asynchronous(ep.v1_line_team_total)
    v1_lines_best = asynchronous(ep.v1_lines_best)
    v1_delta = asynchronous(ep.v1_delta)
    v1_delta_v2 = asynchronous(ep.v1_delta_v2)

    # BoltOdds discovery
    boltodds_info = asynchronous(ep.boltodds_info)
    boltodds_games = asynchronous(ep.boltodds_games)
    boltodds_markets = asynchronous(ep.boltodds_markets)
