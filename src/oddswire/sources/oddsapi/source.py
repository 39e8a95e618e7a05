"""The Odds API v4 source: polls each configured sport's odds, within a credit budget.

Each sport is polled every ``interval`` seconds, the sports staggered evenly across
the interval, one request at a time (the vendor's 30 requests/s limit is never near).
Every 200 body goes through :meth:`UpstreamSource.receive` as ``Record(kind="http",
meta={"sport", "at", markets, regions or bookmakers})``; the key is only ever in the
request's query string (the vendor takes no header), never in a record, a health
field or a log line.

Credits: before each poll the :class:`QuotaBudget` is asked whether ``markets x
regions`` credits may be spent (``reserve``: the balance the vendor reports in
``x-requests-remaining`` never drops below it; ``per_hour``: a rolling cap). If not,
the poll is skipped locally (counted, shown in health, logged once per spell). While
the reserve (or an ``OUT_OF_USAGE_CREDITS`` answer) stops polling, the balance is
re-read every ``interval x pause_polls`` seconds from the free ``GET /v4/sports``, so
polling resumes by itself when credits are bought or the month rolls over.

Errors: 401 ``OUT_OF_USAGE_CREDITS`` -> balance 0, as above; any other 401 (bad key)
-> unhealthy, retried every ``auth_retry`` seconds; 429 -> every poll waits for
``Retry-After`` (or a backoff); 422/404 -> that sport's request (its sport and
markets) is quarantined and not asked again; 5xx and connection errors -> that sport
backs off. A failed request never withdraws anything: only answers reach the decoder.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

import httpx

from oddswire import redact
from oddswire.client.backoff import Backoff
from oddswire.client.core import parse_retry_after
from oddswire.config import Settings
from oddswire.sources.base import ChangeSink
from oddswire.sources.oddsapi.decode import OddsApiDecoder
from oddswire.sources.oddsapi.errors import Reaction, VendorError, read_error
from oddswire.sources.oddsapi.query import OddsQuery, charged
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.upstream.budget import QuotaBudget
from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import Recorder
from oddswire.sources.upstream.source import UpstreamSource

log = logging.getLogger("oddswire.sources.oddsapi")

DEFAULT_URL = "https://api.the-odds-api.com"
#: The free endpoint whose usage headers tell the balance without spending any.
BALANCE_PATH = "/v4/sports"


class PollResult(Enum):
    OK = "ok"
    #: The budget said no: nothing was requested.
    REFUSED = "refused"
    #: The request failed (5xx, connection): the sport backs off.
    FAILED = "failed"
    #: Polling as a whole waits (rate limited, bad key, out of credits).
    PAUSED = "paused"
    #: The vendor rejected the request for this sport: it is not asked again.
    QUARANTINED = "quarantined"


@dataclass(slots=True)
class SportPlan:
    """One sport's polling state."""

    key: str
    due: float = 0.0
    failures: int = 0
    polls: int = 0
    last_poll_at: float | None = None
    quarantined: str | None = None

    def as_dict(self, now: float) -> dict[str, object]:
        return {
            "polls": self.polls,
            "failures": self.failures,
            "last_poll_age_seconds": None
            if self.last_poll_at is None
            else round(now - self.last_poll_at, 3),
            "quarantined": self.quarantined,
        }


class OddsApiSource(UpstreamSource):
    """Polls ``GET /v4/sports/{sport}/odds`` for each sport (see the module docstring)."""

    vendor = "oddsapi"

    def __init__(
        self,
        resolver: Resolver,
        *,
        key: str,
        sports: Sequence[str],
        url: str = DEFAULT_URL,
        regions: Sequence[str] = ("us",),
        markets: Sequence[str] = ("h2h", "spreads", "totals"),
        bookmakers: Sequence[str] = (),
        interval: float = 60.0,
        reserve: int = 0,
        per_hour: int | None = None,
        recorder: Recorder | None = None,
        name: str = "oddsapi",
        transport: httpx.AsyncBaseTransport | None = None,
        request_timeout: float = 10.0,
        warm_up_timeout: float = 20.0,
        backoff: Backoff | None = None,
        pause_polls: int = 10,
        auth_retry: float | None = None,
        max_retry_after: float = 600.0,
    ) -> None:
        self.odds_decoder = OddsApiDecoder(resolver.catalog)
        super().__init__(name, resolver, self.odds_decoder, recorder)
        redact.install(("httpx", "httpcore", "oddswire"))
        self._key = key
        self.url = url
        self.query = OddsQuery.of(markets, regions, bookmakers)
        self.interval = interval
        self.budget = QuotaBudget("credits", reserve=reserve, per_hour=per_hour)
        self.plans = {sport: SportPlan(sport) for sport in dict.fromkeys(sports)}
        self.transport = transport
        self.request_timeout = request_timeout
        self.warm_up_timeout = warm_up_timeout
        self.backoff = backoff or Backoff(initial=min(2.0, interval), maximum=max(interval, 60.0))
        #: While credits are short, the balance is re-read every this many seconds.
        self.balance_every = interval * pause_polls
        self.auth_retry = max(interval * pause_polls, 300.0) if auth_retry is None else auth_retry
        self.max_retry_after = max_retry_after
        self.mode = "starting"
        self.health.stale_after = 3 * interval
        self._client: httpx.AsyncClient | None = None
        self._paused_until = 0.0
        self._rate_limited = 0
        self._short_of_credits = False
        self._next_balance_check = 0.0
        self._refusing = False
        self._warmed_at: float | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, resolver: Resolver, recorder: Recorder | None
    ) -> OddsApiSource:
        return cls(
            resolver,
            key=settings.oddsapi_key or "",
            sports=settings.oddsapi_sports,
            url=settings.oddsapi_url,
            regions=settings.oddsapi_regions,
            markets=settings.oddsapi_markets,
            bookmakers=settings.oddsapi_bookmakers,
            interval=settings.oddsapi_interval,
            reserve=settings.oddsapi_reserve,
            per_hour=settings.oddsapi_per_hour,
            recorder=recorder,
            request_timeout=settings.oddsapi_request_timeout,
            warm_up_timeout=settings.oddsapi_warm_up_timeout,
            pause_polls=settings.oddsapi_pause_polls,
            auth_retry=settings.oddsapi_auth_retry,
            max_retry_after=settings.oddsapi_max_retry_after,
        )

    # --------------------------------------------------------------- lifecycle

    async def warm_up(self, sink: ChangeSink) -> None:
        """One poll of each sport, giving up after ``warm_up_timeout`` seconds in all
        (the hub starts anyway; :meth:`run` keeps trying)."""
        self._warmed_at = time.monotonic()
        try:
            async with asyncio.timeout(self.warm_up_timeout):
                for plan in self.plans.values():
                    if await self.poll(sink, plan.key) is PollResult.PAUSED:
                        break
        except TimeoutError:
            self.health.fail(f"warm-up gave up after {self.warm_up_timeout:g} s")
            log.warning(
                "%s: The Odds API did not answer the warm-up within %g s; polling goes on",
                self.name,
                self.warm_up_timeout,
            )

    async def run(self, sink: ChangeSink) -> None:
        """Poll until cancelled; never raises on upstream failures."""
        try:
            self._schedule()
            while True:
                await self._step(sink)
        finally:
            await self._close_client()

    async def close(self) -> None:
        await self._close_client()
        await super().close()

    def _schedule(self) -> None:
        """Spread the sports evenly over one interval (after their warm-up poll)."""
        now = time.monotonic()
        active = [p for p in self.plans.values() if p.quarantined is None]
        for i, plan in enumerate(active):
            offset = i * self.interval / len(active)
            polled = self._warmed_at is not None and plan.polls > 0 and plan.failures == 0
            plan.due = (self._warmed_at or now) + self.interval + offset if polled else now + offset

    async def _step(self, sink: ChangeSink) -> None:
        now = time.monotonic()
        if self._short_of_credits and now >= self._next_balance_check:
            self._next_balance_check = now + self.balance_every
            await self._check_balance()
            return
        active = [p for p in self.plans.values() if p.quarantined is None]
        if not active:
            self.mode = "idle: every sport is quarantined"
            await asyncio.sleep(self.interval)
            return
        plan = min(active, key=lambda p: p.due)
        start = max(plan.due, self._paused_until)
        if self._short_of_credits:
            start = min(start, self._next_balance_check)
        if start > now:
            await asyncio.sleep(start - now)
            return
        result = await self.poll(sink, plan.key)
        now = time.monotonic()
        if result is PollResult.OK or result is PollResult.REFUSED:
            while plan.due <= now:
                plan.due += self.interval
        elif result is PollResult.FAILED:
            plan.due = now + self.backoff.delay(plan.failures - 1)

    # -------------------------------------------------------------------- poll

    async def poll(self, sink: ChangeSink, sport: str) -> PollResult:
        """Poll one sport once (if the budget allows), feeding the answer to the hub."""
        plan = self.plans[sport]
        if plan.quarantined is not None:
            return PollResult.QUARANTINED
        cost = self.query.cost
        wait = self.budget.wait_seconds(cost)
        if wait is None or wait > 0:
            self._refuse(sport, cost, wait)
            return PollResult.REFUSED
        path = self.query.path(sport)
        sent_at = time.time()
        plan.last_poll_at = sent_at
        try:
            response = await self._http().get(path, params=self.query.params(self._key))
        except httpx.HTTPError as exc:
            return self._failed(plan, f"{type(exc).__name__}: {self._scrub(str(exc))}")
        headers = response.headers
        if response.status_code != 200:
            self._observe(headers)
            error = read_error(response.status_code, response.text, self._key)
            return self._react(plan, error, headers)
        body = response.text
        self.budget.spend(charged(headers, body, cost))
        self._observe(headers)
        self._recovered(plan)
        meta = {"sport": sport, "at": f"{sent_at:.3f}", **self.query.public_params()}
        await self.receive(sink, Record(kind="http", body=body, meta=meta))
        return PollResult.OK

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.url,
                timeout=self.request_timeout,
                transport=self.transport,
                headers={"Accept": "application/json", "User-Agent": "oddswire"},
            )
        return self._client

    async def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _observe(self, headers: Mapping[str, str]) -> None:
        self.budget.observe(headers.get("x-requests-remaining"), headers.get("x-requests-used"))

    # --------------------------------------------------------------- outcomes

    def _recovered(self, plan: SportPlan) -> None:
        if plan.failures:
            log.info("%s: %s answers again after %d failures", self.name, plan.key, plan.failures)
        if self._refusing:
            log.info("%s: the credit budget allows polling again", self.name)
        plan.failures = 0
        plan.polls += 1
        self._rate_limited = 0
        self._refusing = False
        self.health.connected = True
        self.mode = "polling"

    def _refuse(self, sport: str, cost: int, wait: float | None) -> None:
        self.budget.refuse()
        b = self.budget
        if wait is None:
            self._short_of_credits = True
            if self.mode != Reaction.OUT_OF_CREDITS.value:
                self.mode = "budget refused: credits at the reserve"
        else:
            self.mode = f"budget refused: hourly cap, {wait:.0f} s to go"
        how = log.debug if self._refusing else log.warning
        how(
            "%s: skipped polling %s: %d credits would break the budget "
            "(remaining %s, reserve %d, per hour %s, spent in the last hour %s)",
            self.name,
            sport,
            cost,
            b.remaining,
            b.reserve,
            b.per_hour,
            b.as_dict()["spent_last_hour"],
        )
        self._refusing = True

    def _failed(self, plan: SportPlan, what: str) -> PollResult:
        plan.failures += 1
        self.health.fail(what)
        self.health.connected = False
        self.mode = "backing off"
        how = log.warning if plan.failures == 1 else log.debug
        how("%s: polling %s failed (%d in a row): %s", self.name, plan.key, plan.failures, what)
        return PollResult.FAILED

    def _react(self, plan: SportPlan, error: VendorError, headers: Mapping[str, str]) -> PollResult:
        reaction = error.reaction
        what = error.describe()
        if reaction is Reaction.TRANSIENT:
            return self._failed(plan, what)
        self.health.fail(what)
        now = time.monotonic()
        if reaction is Reaction.OUT_OF_CREDITS:
            self.health.connected = True
            self.budget.observe(0)
            self._short_of_credits = True
            self._next_balance_check = now + self.balance_every
            if self.mode != reaction.value:
                log.error("%s: The Odds API quota is spent (%s); polling stops", self.name, what)
            self.mode = reaction.value
        elif reaction is Reaction.BAD_KEY:
            self.health.connected = False
            self._paused_until = now + self.auth_retry
            if self.mode != reaction.value:
                log.error(
                    "%s: The Odds API refused the key (%s); retrying every %g s",
                    self.name,
                    what,
                    self.auth_retry,
                )
            self.mode = reaction.value
        elif reaction is Reaction.RATE_LIMITED:
            retry_after = parse_retry_after(headers.get("retry-after"))
            if retry_after is None:
                delay = self.backoff.delay(self._rate_limited)
            else:
                delay = min(retry_after, self.max_retry_after)
            self._rate_limited += 1
            self._paused_until = now + delay
            self.mode = reaction.value
            log.warning("%s: rate limited (%s); waiting %.1f s", self.name, what, delay)
        else:
            plan.quarantined = what
            text = f"{plan.key} " + " ".join(
                f"{k}={v}" for k, v in self.query.public_params().items()
            )
            self.resolver.quarantine.add(self.name, "request", text, what)
            log.error("%s: The Odds API rejected %s (%s); not asking again", self.name, text, what)
            return PollResult.QUARANTINED
        return PollResult.PAUSED

    async def _check_balance(self) -> None:
        """Re-read the balance from the free sports list while credits are short."""
        try:
            response = await self._http().get(BALANCE_PATH, params={"apiKey": self._key})
        except httpx.HTTPError as exc:
            log.debug("%s: balance check failed: %s", self.name, type(exc).__name__)
            return
        remaining = response.headers.get("x-requests-remaining")
        if response.status_code == 200 and remaining is None:
            self.budget.remaining = None  # nothing to go by: let the next poll find out
        self._observe(response.headers)
        if self.budget.wait_seconds(self.query.cost) is not None:
            self._short_of_credits = False
            log.info("%s: credits available again (%s remaining)", self.name, remaining)

    def _scrub(self, text: str) -> str:
        text = redact.redact(text)
        return text.replace(self._key, "***") if self._key else text

    # ------------------------------------------------------------------ health

    def refresh_health(self) -> None:
        super().refresh_health()
        now = time.time()
        budget = self.budget.as_dict()
        budget["cost_per_poll"] = self.query.cost
        detail = self.health.detail
        detail["mode"] = self.mode
        detail["budget"] = budget
        detail["interval_seconds"] = self.interval
        detail["paused_for_seconds"] = round(max(0.0, self._paused_until - time.monotonic()), 3)
        detail["sports"] = {
            key: {**plan.as_dict(now), "events": len(self.odds_decoder.snapshot(key))}
            for key, plan in self.plans.items()
        }
