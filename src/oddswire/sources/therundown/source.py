"""TheRundown as an upstream source: REST bootstrap, then the stream or delta polling.

Warm-up (bounded by ``Tuning.warm_up_timeout``): ``/api/v2/markets`` and
``/api/v2/affiliates`` once, then each followed sport's events on each followed day
(from today, UTC) with the followed markets and their live variants (``markets/delta``
filters literally, so both are asked for everywhere), and the followed books.

Live, by ``mode``:

- ``poll``: ``/api/v2/markets/delta`` every ``poll_interval`` seconds per sport, with
  the SDK's cursor rules (:mod:`.feeds`): ``has_more`` asks again at once, a stale
  cursor takes one fresh snapshot.
- ``stream``: ``/api/v2/ws/markets``. On every connect (the first included) the gap since
  the last cursor is filled from ``markets/delta`` before messages are trusted, as the
  reference asks (§4.7); the stream's record ids advance the cursors.
- ``auto``: the stream; when its upgrade is refused (401/403: a key without streaming)
  or it fails ``stream_failures`` times running, polling for ``stream_retry`` seconds,
  then the stream again.

Either way the schedules are refreshed every ``refresh_interval`` seconds and at UTC
midnight (new events, scores and statuses, which price deltas do not carry); an event a
delta or stream message names before any snapshot did is fetched on its own.

Every REST body and stream frame goes through :meth:`UpstreamSource.receive` as a
:class:`Record` (what recording and replay need); the decoder is
:class:`~oddswire.sources.therundown.decode.TheRundownDecoder`. Data points are budgeted
by :mod:`.transport`; a spent reserve or quota pauses requests (``quota_pause``), a
429 holds them until its ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import logging

from oddswire.config import Settings
from oddswire.sources.base import ChangeSink
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.therundown.rest import MODES
from oddswire.sources.therundown.streaming import RundownStreaming
from oddswire.sources.therundown.tuning import tuning_from_settings
from oddswire.sources.upstream.record import Recorder

log = logging.getLogger("oddswire.sources.therundown")


class TheRundownSource(RundownStreaming):
    """TheRundown's V2 API as a source (see the module docstring).

    ``TheRundownSource(resolver, key=..., base_url=..., sports=[4], days=2,
    markets=[1, 2, 3], affiliates=[], mode="auto", poll_interval=5.0, reserve=0,
    per_hour=None)``, or :meth:`from_settings`; ``tuning`` holds the timings (tests
    shorten them; :meth:`from_settings` takes them from the ``therundown_*`` settings),
    ``clock`` the UTC now (which days are followed).
    """

    vendor = "therundown"

    @classmethod
    def from_settings(
        cls, settings: Settings, resolver: Resolver, recorder: Recorder | None
    ) -> TheRundownSource:
        return cls(
            resolver,
            key=settings.therundown_key or "",
            base_url=settings.therundown_url,
            sports=settings.therundown_sports,
            days=settings.therundown_days,
            markets=settings.therundown_markets,
            affiliates=settings.therundown_affiliates,
            mode=settings.therundown_mode,
            poll_interval=settings.therundown_poll_interval,
            reserve=settings.therundown_reserve,
            per_hour=settings.therundown_per_hour,
            recorder=recorder,
            tuning=tuning_from_settings(settings),
        )

    # ----------------------------------------------------------------- lifecycle

    async def warm_up(self, sink: ChangeSink) -> None:
        self.now_mode = "bootstrap"
        try:
            async with asyncio.timeout(self.tuning.warm_up_timeout):
                await self._guard(self._bootstrap(sink))
        except TimeoutError:
            self._failed(f"warm-up: no complete answer in {self.tuning.warm_up_timeout:g} s")

    async def run(self, sink: ChangeSink) -> None:
        try:
            if self.mode == "poll":
                await self._poll(sink, None)
            elif self.mode == "stream":
                await self._stream(sink, fallback=False)
            while True:  # auto
                self.last_fallback = await self._stream(sink, fallback=True)
                self.fallbacks += 1
                log.warning(
                    "%s: the stream is unavailable (%s); polling for %g s",
                    self.name,
                    self.last_fallback,
                    self.tuning.stream_retry,
                )
                await self._poll(sink, self.tuning.stream_retry)
        finally:
            await self.http.aclose()

    async def close(self) -> None:
        await self.http.aclose()
        await super().close()

    # -------------------------------------------------------------------- health

    def refresh_health(self) -> None:
        super().refresh_health()
        detail = self.health.detail
        detail["mode"] = self.now_mode
        detail["configured_mode"] = self.mode
        detail["stream"] = {
            "connects": self.stream_connects,
            "reconnects": self.reconnects,
            "fallbacks": self.fallbacks,
            "last_fallback": self.last_fallback,
        }
        detail["cursor"] = self.feeds.cursors() if self.feeds is not None else {}
        detail["stream_cursor"] = {str(k): v for k, v in self.rundown.stream_ids.items()}
        detail["budget"] = self.budget.as_dict()
        detail["requests"] = self.http.requests
        detail["rate_limited"] = self.http.rate_limited
        detail["stale_cursors"] = self.stale_cursors
        detail["rebootstraps"] = self.rebootstraps
        detail["events_fetched"] = self.events_fetched
        detail["schedule_refreshes"] = self.refreshes
        detail["stale_prices_dropped"] = self.rundown.stale_dropped
        if self.http.account:
            detail["account"] = dict(self.http.account)


__all__ = ["MODES", "TheRundownSource"]
