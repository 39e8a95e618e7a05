"""TheRundown over REST: requests, the data-point budget, bootstrap and delta polling.

The part of :class:`~oddswire.sources.therundown.source.TheRundownSource` that talks
REST. Warm-up (and any later bootstrap): ``/api/v2/markets`` and ``/api/v2/affiliates``
once, then each followed sport's events on each followed day (from today, UTC) with the
followed markets and their live variants (``markets/delta`` filters literally, so both
are asked for everywhere) and the followed books. Polling: ``/api/v2/markets/delta``
per sport with the SDK's cursor rules (:mod:`.feeds`). Schedules are refreshed every
``refresh_interval`` seconds and at UTC midnight; an event a delta or stream message
names before any snapshot did is fetched on its own.

Failures never escape a step: :meth:`RundownRest._guard` turns them into seconds to
wait (a backoff, a ``Retry-After``, a budget or quota pause) and into health.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import msgspec

from oddswire.client import endpoints as ep
from oddswire.client.core import Call
from oddswire.client.errors import (
    APIError,
    AuthenticationError,
    NotFoundError,
    OddswireError,
    PermissionDeniedError,
    QuotaExhaustedError,
    RateLimitError,
    StaleCursorError,
    TransportError,
)
from oddswire.sources.base import ChangeSink
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.therundown import payloads as wire
from oddswire.sources.therundown.decode import TheRundownDecoder
from oddswire.sources.therundown.feeds import Feed, Feeds, batches
from oddswire.sources.therundown.stream import MaskKey, http_base
from oddswire.sources.therundown.transport import BudgetRefused, Reply, RundownHttp
from oddswire.sources.therundown.tuning import Tuning
from oddswire.sources.upstream.budget import QuotaBudget
from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import Recorder
from oddswire.sources.upstream.source import UpstreamSource

log = logging.getLogger("oddswire.sources.therundown")

MODES = ("auto", "stream", "poll")
#: Events that started this many days ago are forgotten by the decoder at a refresh.
FORGET_AFTER_DAYS = 3
_EVENT_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_events_meta = msgspec.json.Decoder(wire.EventsEnvelope).decode


class _DeltaControl(msgspec.Struct):
    meta: wire.DeltaMeta


_delta_meta = msgspec.json.Decoder(_DeltaControl).decode


def _cursor(value: str | int | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class RundownRest(UpstreamSource):
    """REST requests, bootstrap, refreshes and polling (see the module docstring)."""

    def __init__(
        self,
        resolver: Resolver,
        *,
        key: str,
        base_url: str = "https://therundown.io",
        sports: Iterable[int] = (4,),
        days: int = 2,
        markets: Iterable[int] = (1, 2, 3),
        affiliates: Iterable[int] = (),
        mode: str = "auto",
        poll_interval: float = 5.0,
        reserve: int = 0,
        per_hour: int | None = None,
        recorder: Recorder | None = None,
        name: str = "therundown",
        tuning: Tuning | None = None,
        clock: Callable[[], datetime] | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.rundown = TheRundownDecoder(resolver.catalog)
        super().__init__(name, resolver, self.rundown, recorder)
        self.tuning = tuning or Tuning()
        self.mode = mode
        self.base_url = http_base(base_url)
        self.sport_ids = list(sports)
        self.days = max(1, days)
        self.market_ids = list(markets)
        self.affiliate_ids = list(affiliates)
        self.poll_interval = poll_interval
        self.clock = clock or (lambda: datetime.now(UTC))
        self.budget = QuotaBudget("datapoints", reserve=reserve, per_hour=per_hour)
        self.http = RundownHttp(
            self.base_url, key, self.budget, timeout=self.tuning.request_timeout, http=http
        )
        self._key = key
        self._mask = MaskKey(key)
        self.feeds: Feeds | None = None
        self.now_mode = "starting"
        self.stream_connects = 0
        self.reconnects = 0
        self.fallbacks = 0
        self.stale_cursors = 0
        self.rebootstraps = 0
        self.events_fetched = 0
        self.refreshes = 0
        self.last_fallback: str | None = None
        self._bootstrapped = False
        self._reference_todo = ["markets", "affiliates"]
        self._today: date | None = None
        self._next_refresh = 0.0
        self._failures = 0
        self._paused: str | None = None
        self._paused_until = 0.0
        self._tried: dict[str, float] = {}
        self._priced = 0
        self._stream_wait = 0.0
        catalog = resolver.catalog
        self._variants = {
            m.id: m.live_variant_id for m in catalog.markets.values() if m.live_variant_id
        }
        followed = set(self.market_ids)
        self.rundown.followed_markets = followed | {
            self._variants[m] for m in followed if m in self._variants
        }

    # ------------------------------------------------------------------ requests

    async def _fetch(self, sink: ChangeSink, call: Call[Any], kind: str, **meta: str) -> Reply:
        """GET ``call`` (429s retried after their ``Retry-After``) and feed the body."""
        attempt = 0
        while True:
            try:
                reply = await self.http.get(call, kind)
                break
            except QuotaExhaustedError:
                raise
            except RateLimitError:
                attempt += 1
                if attempt > self.tuning.max_retries:
                    raise
        record = Record(
            kind="http", body=reply.text, meta={"path": call.path, "call": kind, **meta}
        )
        await self.receive(sink, record)
        self.health.connected = True
        return reply

    async def _guard(self, work: Awaitable[None]) -> float:
        """Run one step; what went wrong becomes seconds to wait (0: all went well)."""
        try:
            await work
        except BudgetRefused as exc:
            if exc.wait is not None:
                return self._pause(exc.wait, None, f"data-point budget: {exc}")
            return self._pause(self.tuning.quota_pause, "reserve", f"data-point budget: {exc}")
        except QuotaExhaustedError as exc:
            wait = exc.retry_after if exc.retry_after else self.tuning.quota_pause
            return self._pause(wait, "quota", f"data points exhausted: {exc.message}")
        except (AuthenticationError, PermissionDeniedError) as exc:
            self._failed(f"refused: {exc}")
            return self.tuning.backoff.maximum
        except (OddswireError, OSError) as exc:
            self._failed(str(exc))
            self._failures += 1
            return self.tuning.backoff.delay(self._failures - 1)
        self._failures = 0
        return 0.0

    def _failed(self, what: str) -> None:
        text = self._clean(what)
        self.health.fail(text)
        self.health.connected = False
        level = logging.WARNING if self._failures == 0 else logging.DEBUG
        log.log(level, "%s: %s", self.name, text)

    def _problem(self, what: str) -> None:
        """A failure of one part (a sport, the catalogue) while TheRundown answers."""
        text = self._clean(what)
        self.health.fail(text)
        log.warning("%s: %s", self.name, text)

    def _clean(self, text: str) -> str:
        return str(self._mask.clean(text))

    def _pause(self, seconds: float, probe: str | None, why: str) -> float:
        seconds = max(seconds, 0.0)
        self._paused = probe
        self._paused_until = time.monotonic() + seconds
        self.health.detail["paused"] = {"reason": why, "seconds": round(seconds, 3)}
        log.warning("%s: %s; pausing %g s", self.name, why, seconds)
        return seconds

    async def _resume(self, sink: ChangeSink) -> None:
        """After a reserve or quota pause, one cheap request refreshes the balance."""
        left = self._paused_until - time.monotonic()
        if left > 0:
            await asyncio.sleep(left)
        self.health.detail.pop("paused", None)
        if self._paused is None:
            return
        self._paused = None
        call = ep.affiliates()
        reply = await self.http.get(call, "affiliates", probe=True)
        meta = {"path": call.path, "call": "affiliates"}
        await self.receive(sink, Record(kind="http", body=reply.text, meta=meta))

    # ----------------------------------------------------------------- bootstrap

    def _days(self) -> list[date]:
        today = self.clock().astimezone(UTC).date()
        return [today + timedelta(days=i) for i in range(self.days)]

    async def _bootstrap(self, sink: ChangeSink) -> None:
        await self._resume(sink)
        await self._reference(sink)
        feeds = self._feeds()
        for feed in feeds:
            if feed.needs_snapshot:
                await self._one_sport(self._snapshot(sink, feed, take_cursor=True), feed)
        self._refreshed()
        self._bootstrapped = True

    async def _one_sport(self, work: Awaitable[None], feed: Feed) -> None:
        """A sport TheRundown refuses (unknown, not in the plan) does not stop the rest."""
        try:
            await work
        except (TransportError, QuotaExhaustedError, RateLimitError):
            raise
        except APIError as exc:
            if isinstance(exc, StaleCursorError | AuthenticationError):
                raise
            self._problem(f"sport {feed.sport_id}: {exc}")

    async def _reference(self, sink: ChangeSink) -> None:
        """The market catalogue and the books, once each (the catalogue's live variants
        are what the followed markets bring along; without it, ours)."""
        calls: dict[str, Call[Any]] = {"markets": ep.markets(), "affiliates": ep.affiliates()}
        for kind in list(self._reference_todo):
            try:
                await self._fetch(sink, calls[kind], kind)
            except (TransportError, QuotaExhaustedError, AuthenticationError):
                raise
            except APIError as exc:
                self._problem(f"{kind}: {exc}")
            self._reference_todo.remove(kind)

    def _feeds(self) -> Feeds:
        if self.feeds is None:
            self.feeds = Feeds(
                self.sport_ids,
                self.market_ids,
                self.affiliate_ids,
                live_variants=self.rundown.live_variants or self._variants,
                limit=self.tuning.delta_limit,
            )
        return self.feeds

    async def _snapshot(self, sink: ChangeSink, feed: Feed, *, take_cursor: bool) -> None:
        """The sport's events on every followed day (and, if asked, the cursor)."""
        cursors: list[int] = []
        for day in self._days():
            call = ep.sport_events(
                feed.sport_id,
                day,
                market_ids=feed.market_ids or None,
                affiliate_ids=feed.affiliate_ids,
            )
            meta = {"sport_id": str(feed.sport_id), "date": day.isoformat()}
            reply = await self._fetch(sink, call, "events", **meta)
            try:
                envelope = _events_meta(reply.text)
            except (msgspec.DecodeError, msgspec.ValidationError):
                continue  # the decoder has reported it
            cursor = _cursor(envelope.meta.delta_last_id) if envelope.meta else None
            if cursor is not None:
                cursors.append(cursor)
        if take_cursor:
            if not cursors:
                self._problem(f"sport {feed.sport_id}: events gave no delta cursor")
            feed.snapshot_taken(cursors)

    def _refresh_in(self) -> float:
        """Seconds until the schedules are due a refresh (UTC midnight at the latest)."""
        now = self.clock().astimezone(UTC)
        if now.date() != self._today:
            return 0.0
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
        return min(self._next_refresh - time.monotonic(), (midnight - now).total_seconds())

    def _refreshed(self) -> None:
        self._today = self.clock().astimezone(UTC).date()
        self._next_refresh = time.monotonic() + self.tuning.refresh_interval

    async def _refresh(self, sink: ChangeSink) -> None:
        self.rundown.forget_before(self.clock() - timedelta(days=FORGET_AFTER_DAYS))
        for feed in self._feeds():
            await self._one_sport(self._snapshot(sink, feed, take_cursor=feed.needs_snapshot), feed)
        self.refreshes += 1
        self._refreshed()

    async def _prepare(self, sink: ChangeSink) -> None:
        """Before live work: end a pause, bootstrap if warm-up could not, refresh."""
        await self._resume(sink)
        if not self._bootstrapped:
            await self._bootstrap(sink)
        elif self._refresh_in() <= 0:
            await self._refresh(sink)

    # ------------------------------------------------------------------- polling

    async def _poll(self, sink: ChangeSink, seconds: float | None) -> None:
        """Poll until ``seconds`` have passed (None: for ever)."""
        self.now_mode = "poll"
        self.health.stale_after = max(60.0, 3 * self.poll_interval)
        deadline = None if seconds is None else time.monotonic() + seconds
        while True:
            delay = await self._guard(self._poll_step(sink))
            wait = max(delay, self.poll_interval)
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                wait = min(wait, left)
            await asyncio.sleep(wait)

    async def _poll_step(self, sink: ChangeSink) -> None:
        await self._prepare(sink)
        for feed in self._feeds():
            await self._drain(sink, feed)
        await self._fetch_unknown(sink)

    async def _drain(self, sink: ChangeSink, feed: Feed) -> None:
        """Delta pages until ``has_more`` is false (a needed snapshot first)."""
        for _ in range(self.tuning.max_pages):
            if feed.needs_snapshot:
                await self._snapshot(sink, feed, take_cursor=True)
                return
            meta = {"sport_id": str(feed.sport_id)}
            try:
                reply = await self._fetch(sink, feed.delta_call(), "delta", **meta)
            except StaleCursorError as exc:
                self.stale_cursors += 1
                try:
                    feed.stale(exc)
                except StaleCursorError:
                    self._feeds().restart(feed)  # refused twice: start afresh, after a pause
                    raise
                self.rebootstraps += 1
                log.info(
                    "%s: sport %d cursor refused (%s); re-bootstrapping",
                    self.name,
                    feed.sport_id,
                    exc.message,
                )
                continue
            try:
                page = _delta_meta(reply.text).meta
            except (msgspec.DecodeError, msgspec.ValidationError):
                return  # the decoder has reported it; the cursor stays
            cursor = _cursor(page.delta_last_id)
            if cursor is None:
                return
            feed.page(cursor, page.count or 0, page.has_more)
            if not page.has_more:
                return

    async def _fetch_unknown(self, sink: ChangeSink) -> None:
        """Events that deltas or stream messages named before any snapshot did."""
        pending = self.rundown.unknown_events
        if not pending:
            return
        now = time.monotonic()
        window = self.tuning.refresh_interval
        self._tried = {k: t for k, t in self._tried.items() if now - t < window}
        fetched = 0
        for event_id in list(pending):
            pending.discard(event_id)
            if event_id in self._tried or not _EVENT_ID.match(event_id):
                continue
            if fetched >= self.tuning.max_event_fetches:
                pending.add(event_id)
                continue
            fetched += 1
            feeds = self._feeds()
            for chunk in batches(feeds.market_ids):
                call = ep.event(
                    event_id, market_ids=chunk or None, affiliate_ids=feeds.affiliate_ids
                )
                try:
                    await self._fetch(sink, call, "event", event_id=event_id)
                except NotFoundError:
                    log.info("%s: event %s is unknown upstream", self.name, event_id)
                    break
                except BaseException:
                    pending.add(event_id)  # not tried: again next time
                    raise
            self._tried[event_id] = now  # asked: not again for a while, whatever came
            self.events_fetched += 1


__all__ = ["FORGET_AFTER_DAYS", "MODES", "RundownRest"]
