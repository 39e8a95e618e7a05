"""TheRundown's REST API over httpx: auth, the data-point budget, rate limits.

- The key goes in the ``X-TheRundown-Key`` header, never the query string, so no URL
  this module builds (and httpx logs) carries it; error texts are masked too.
- Data points (reference §5.2): ``X-Datapoints`` is what a response cost,
  ``X-Datapoints-Remaining`` / ``-Used`` the account's balance. TheRundown does not
  publish its costing formula, so a request is estimated at what the same kind of
  request last cost (1 until one has said), and refused locally, before anything is
  sent, when the :class:`QuotaBudget` forbids it (:class:`BudgetRefused`, counted).
- 429: the ``Retry-After`` holds every request, not only the refused one, until it
  has passed (a data-point exhaustion is raised as ``QuotaExhaustedError``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from oddswire import __version__
from oddswire.client.core import KEY_HEADER, Call, error_for, parse_retry_after
from oddswire.client.errors import TransportError
from oddswire.redact import redact
from oddswire.sources.upstream.budget import QuotaBudget

#: What a request is estimated to cost before one of its kind has told.
DEFAULT_COST = 1
#: Seconds to hold requests after a 429 that gave no ``Retry-After``.
DEFAULT_RETRY_AFTER = 1.0
#: The longest ``Retry-After`` obeyed as given (longer ones are capped).
MAX_RETRY_AFTER = 3600.0
#: Response headers worth showing in health (the account's state, never the key).
ACCOUNT_HEADERS = (
    "x-datapoints-limit",
    "x-datapoints-period",
    "x-datapoints-reset",
    "x-datapoints-monthly-remaining",
    "x-data-delay-seconds",
    "x-websocket-access",
    "x-tier",
    "x-rate-limit",
)


class BudgetRefused(Exception):
    """The data-point budget forbids a request: nothing was sent. ``wait`` is the
    seconds until the hourly cap allows it, or None when the reserve forbids it."""

    def __init__(self, kind: str, cost: int, wait: float | None) -> None:
        self.kind = kind
        self.cost = cost
        self.wait = wait
        why = "the reserve" if wait is None else f"the hourly cap for {wait:.0f} s"
        super().__init__(f"{kind}: {cost} data points refused by {why}")


@dataclass(frozen=True, slots=True)
class Reply:
    """A 2xx response: its body as text and its headers."""

    status: int
    headers: Mapping[str, str]
    text: str


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


class RundownHttp:
    """GETs against TheRundown (see the module docstring)."""

    def __init__(
        self,
        base_url: str,
        key: str,
        budget: QuotaBudget,
        *,
        timeout: float = 15.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = key
        self.budget = budget
        self.timeout = timeout
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._owns_http = http is None
        #: What each kind of request last cost (``X-Datapoints``).
        self.costs: dict[str, int] = {}
        self.requests = 0
        self.rate_limited = 0
        self.account: dict[str, str] = {}
        self._not_before = 0.0
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"oddswire/{__version__}",
            KEY_HEADER: key,
        }

    def estimate(self, kind: str) -> int:
        return self.costs.get(kind, DEFAULT_COST)

    @property
    def held_for(self) -> float:
        """Seconds until a 429's ``Retry-After`` has passed (0 when none holds)."""
        return max(0.0, self._not_before - time.monotonic())

    async def get(self, call: Call[Any], kind: str, *, probe: bool = False) -> Reply:
        """GET ``call``; its reply if 2xx, else the typed error (``oddswire.client``'s).

        ``probe`` skips the budget (a cheap request that refreshes the balance after a
        pause)."""
        held = self.held_for
        if held > 0:
            await asyncio.sleep(held)
        cost = self.estimate(kind)
        if not probe:
            wait = self.budget.wait_seconds(cost)
            if wait is None or wait > 0:
                self.budget.refuse()
                raise BudgetRefused(kind, cost, wait)
        if self._http.is_closed and self._owns_http:
            self._http = httpx.AsyncClient(timeout=self.timeout)
        try:
            response = await self._http.get(
                self.base_url + call.path,
                params=httpx.QueryParams(call.params),
                headers=self._headers,
                timeout=self.timeout,
            )
            body = await response.aread()
        except httpx.HTTPError as exc:
            raise TransportError(f"{call.path}: {type(exc).__name__}: {self._mask(exc)}") from None
        self.requests += 1
        status = response.status_code
        headers = response.headers
        spent = _int(headers.get("x-datapoints"))
        if spent is not None:
            self.costs[kind] = spent
        ok = 200 <= status < 300
        self.budget.spend(spent if spent is not None else (cost if ok else 0))
        self.budget.observe(headers.get("x-datapoints-remaining"), headers.get("x-datapoints-used"))
        self.account.update((name, headers[name]) for name in ACCOUNT_HEADERS if name in headers)
        if status == 429:
            self.rate_limited += 1
            retry_after = parse_retry_after(headers.get("retry-after"))
            hold = DEFAULT_RETRY_AFTER if retry_after is None else retry_after
            self._not_before = time.monotonic() + min(hold, MAX_RETRY_AFTER)
        if not ok:
            raise error_for(status, headers, body, call.path, self._key)
        return Reply(status, headers, body.decode("utf-8", "replace"))

    def _mask(self, exc: Exception) -> str:
        text = redact(str(exc))
        return text.replace(self._key, "***") if self._key else text

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()


__all__ = ["BudgetRefused", "Reply", "RundownHttp"]
