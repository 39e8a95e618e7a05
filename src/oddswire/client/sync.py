"""The blocking client: :class:`Client`, over httpx."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date
from types import TracebackType
from typing import Any, Literal, TypeVar

import httpx

from oddswire import redact
from oddswire.client import endpoints as ep
from oddswire.client.backoff import RetryPolicy
from oddswire.client.bind import sync
from oddswire.client.blocking import BlockingStream
from oddswire.client.core import Call, ClientConfig, interpret, retry_delay
from oddswire.client.errors import OddswireError, StaleCursorError, TransportError
from oddswire.client.markets import live_variants
from oddswire.client.polling import DeltaPoller, PollResult
from oddswire.client.stream import MarketFilter, MarketStream, StreamItem
from oddswire.client.usage import Usage
from oddswire.wire.therundown import v2_models as v2

T = TypeVar("T")


class Client:
    """A blocking client of a hub (or of TheRundown itself).

    >>> with Client("http://127.0.0.1:8080", api_key="...") as api:  # doctest: +SKIP
    ...     for sport in api.sports().sports:
    ...         print(sport.sport_id, sport.sport_name)

    Every endpoint is a method (see :mod:`oddswire.client.endpoints`); 429, 5xx and
    connection errors are retried with backoff (``retry``), honouring ``Retry-After``.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        auth: Literal["header", "query"] = "header",
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.config = ClientConfig(
            base_url, api_key, auth, timeout, retry if retry is not None else RetryPolicy()
        )
        redact.install(("httpx", "oddswire"))
        self._http = http or httpx.Client(timeout=timeout)
        self._owns_http = http is None
        #: The key's tier, delay and data points, from the latest metered response.
        self.usage: Usage | None = None

    def __repr__(self) -> str:
        return f"Client({self.config.base_url!r})"

    def send(self, call: Call[T]) -> T:
        """Run one call with retries; its decoded value, or a typed error."""
        config = self.config
        attempt = 0
        while True:
            try:
                response = self._http.request(
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
            time.sleep(delay)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __getstate__(self) -> Any:
        raise TypeError("a Client holds a connection pool and cannot be pickled")

    # ---------------------------------------------------------- polling, streams

    def poll_markets(
        self,
        sport_id: int,
        day: date | str,
        *,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
        interval: float = 5.0,
        limit: int = 1000,
    ) -> Iterator[PollResult]:
        """Snapshot, then ``markets/delta`` pages forever (see :class:`DeltaPoller`):
        the first result holds the day's events, then each holds changed prices; after
        a stale cursor one fresh snapshot (``rebootstrap=True``) replaces your cache."""
        market_ids = None if market_ids is None else list(market_ids)
        variants = None
        if market_ids is not None:
            variants = live_variants(self.markets())
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
                    response = self.send(poller.snapshot_call())
                else:
                    response = self.send(poller.delta_call())
                result = poller.received(response)
            except StaleCursorError as exc:
                poller.stale(exc)
                continue
            yield result
            if not result.has_more and not result.snapshot:
                time.sleep(interval)

    def stream_markets(
        self,
        *,
        sport_ids: Iterable[int] | None = None,
        event_ids: Iterable[str] | None = None,
        market_ids: Iterable[int] | None = None,
        affiliate_ids: Iterable[int] | None = None,
        main_line: bool | None = None,
        resume_from: int | None = None,
        heartbeat_timeout: float = 60.0,
    ) -> BlockingStream[StreamItem]:
        """Price changes from ``/api/v2/ws``, each once and in order, across reconnects
        (:class:`~oddswire.client.stream.MarketStream`), for blocking code::

            with api.stream_markets(sport_ids=[4]) as changes:
                for change in changes:
                    ...
        """
        wanted = MarketFilter.of(
            sport_ids=sport_ids,
            event_ids=event_ids,
            market_ids=market_ids,
            affiliate_ids=affiliate_ids,
            main_line=main_line,
        )
        config = self.config

        def start() -> AsyncIterator[StreamItem]:
            stream = MarketStream(
                config, wanted, resume_from=resume_from, heartbeat_timeout=heartbeat_timeout
            )
            return stream.__aiter__()

        return BlockingStream(start)

    # ---------------------------------------------------------------- endpoints

    # V2 reference
    sports = sync(ep.sports)
    affiliates = sync(ep.affiliates)
    sportsbooks = sync(ep.sportsbooks)
    season_types = sync(ep.season_types)
    markets = sync(ep.markets)

    # V2 sports, teams, players
    sport_teams = sync(ep.sport_teams)
    sport_conferences = sync(ep.sport_conferences)
    sport_divisions = sync(ep.sport_divisions)
    team = sync(ep.team)
    team_players = sync(ep.team_players)
    player = sync(ep.player)

    # V2 events
    sport_events = sync(ep.sport_events)
    sport_openers = sync(ep.sport_openers)
    sport_closing = sync(ep.sport_closing)
    event = sync(ep.event)
    event_openers = sync(ep.event_openers)
    event_closing = sync(ep.event_closing)
    sports_dates = sync(ep.sports_dates)
    sport_dates = sync(ep.sport_dates)
    sports_events = sync(ep.sports_events)

    # V2 markets and history
    sports_markets = sync(ep.sports_markets)
    sport_markets = sync(ep.sport_markets)
    event_markets = sync(ep.event_markets)
    market_participants = sync(ep.market_participants)
    event_markets_history = sync(ep.event_markets_history)
    event_markets_opening = sync(ep.event_markets_opening)
    event_market_history = sync(ep.event_market_history)
    markets_history = sync(ep.markets_history)

    # V2 delta
    markets_delta = sync(ep.markets_delta)
    event_delta = sync(ep.event_delta)

    # V2 odds
    event_best_line = sync(ep.event_best_line)
    event_odds_best_line = sync(ep.event_odds_best_line)
    odds_best_line = sync(ep.odds_best_line)
    sport_odds_best_lines = sync(ep.sport_odds_best_lines)
    sport_odds_steamers = sync(ep.sport_odds_steamers)
    odds_steamers = sync(ep.odds_steamers)
    sport_odds_outliers = sync(ep.sport_odds_outliers)
    odds_outliers = sync(ep.odds_outliers)

    # V2 hedge
    hedge = sync(ep.hedge)
    hedge_top = sync(ep.hedge_top)
    hedge_event = sync(ep.hedge_event)
    hedge_by_id = sync(ep.hedge_by_id)

    # V1
    v1_sports = sync(ep.v1_sports)
    v1_affiliates = sync(ep.v1_affiliates)
    v1_sportsbooks = sync(ep.v1_sportsbooks)
    v1_season_types = sync(ep.v1_season_types)
    v1_sport_teams = sync(ep.v1_sport_teams)
    v1_sport_conferences = sync(ep.v1_sport_conferences)
    v1_sport_divisions = sync(ep.v1_sport_divisions)
    v1_sport_dates = sync(ep.v1_sport_dates)
    v1_sport_schedule = sync(ep.v1_sport_schedule)
    v1_sport_events = sync(ep.v1_sport_events)
    v1_sport_openers = sync(ep.v1_sport_openers)
    v1_sport_closing = sync(ep.v1_sport_closing)
    v1_event = sync(ep.v1_event)
    v1_event_line = sync(ep.v1_event_line)
    v1_line_moneyline = sync(ep.v1_line_moneyline)
    v1_line_spread = sync(ep.v1_line_spread)
    v1_line_total = sync(ep.v1_line_total)
    v1_line_team_total = sync(ep.v1_line_team_total)
    v1_lines_best = sync(ep.v1_lines_best)
    v1_delta = sync(ep.v1_delta)
    v1_delta_v2 = sync(ep.v1_delta_v2)

    # BoltOdds discovery
    boltodds_info = sync(ep.boltodds_info)
    boltodds_games = sync(ep.boltodds_games)
    boltodds_markets = sync(ep.boltodds_markets)
