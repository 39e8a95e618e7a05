"""Data points: what each account has used in its tier's period (reference §5.1, §5.2).

A data point is one price a response carries (see :func:`datapoints`). Counters are
kept per account for the current period of its tier (a UTC day, or a UTC calendar
month) and start again at zero when the period turns. They are saved in the store's
meta table (``usage``) every few seconds and on shutdown, so a restart keeps them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

import msgspec

from oddswire.store.base import TickStore

log = logging.getLogger("oddswire.access")

Period = Literal["day", "month"]

#: Where a handler may put its response's data points in the ASGI scope's ``state``
#: (``request.state.datapoints = n``), sparing the middleware a scan of the body.
STATE_DATAPOINTS = "datapoints"
#: The store meta key the counters are saved under.
META_KEY = "usage"
#: Seconds between saves of changed counters.
SAVE_INTERVAL = 5.0

EXHAUSTED: dict[str, str] = {
    "day": "Daily data point limit reached",
    "month": "Monthly data point limit reached",
}

PRICE_FIELD = b'"price":'
#: V1 shapes (and best-line) carry prices as named members instead of ``price``:
#: ``moneyline_home`` always with ``moneyline_away``, ``moneyline_draw`` and ``*_money``.
_V1_PAIRED = b'"moneyline_home":'
_V1_PRICES = (b'"moneyline_draw":', b'_money":')


def datapoints(body: bytes) -> int:
    """The prices a JSON body carries: its ``"price":`` members (every V2 shape), or,
    in a body with none, its V1-style price members (``moneyline_away``,
    ``moneyline_home``, ``moneyline_draw`` and every ``*_money``). msgspec writes
    members without spaces and escapes quotes inside strings, so the count is exact.

    It is a scan of the body (one pass for V2, four for V1): handlers that know the
    count cheaply give it instead (``STATE_DATAPOINTS``)."""
    found = body.count(PRICE_FIELD)
    if found:
        return found
    return 2 * body.count(_V1_PAIRED) + sum(body.count(pattern) for pattern in _V1_PRICES)


class DatapointCounter:
    """:func:`datapoints` over a body that comes in chunks (a member split between two
    chunks is counted once)."""

    _PATTERNS = (PRICE_FIELD, _V1_PAIRED, *_V1_PRICES)
    _KEEP = max(len(p) for p in _PATTERNS) - 1

    def __init__(self) -> None:
        self._tail = b""
        self._counts = [0] * len(self._PATTERNS)

    def feed(self, chunk: bytes) -> None:
        tail = self._tail
        data = tail + chunk
        for n, pattern in enumerate(self._PATTERNS):
            self._counts[n] += data.count(pattern) - tail.count(pattern)
        self._tail = data[-self._KEEP :]

    @property
    def total(self) -> int:
        prices, paired, *others = self._counts
        return prices or 2 * paired + sum(others)


class _Window:
    """A period's label (``2026-03-02`` or ``2026-03``) and when it ends (Unix seconds)."""

    __slots__ = ("end", "label", "start")

    def __init__(self) -> None:
        self.label = ""
        self.start = 0.0
        self.end = 0.0


def _turn(window: _Window, period: Period, now: float) -> None:
    moment = datetime.fromtimestamp(now, UTC)
    if period == "day":
        start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        window.label = start.strftime("%Y-%m-%d")
        window.end = start.timestamp() + 86_400.0
    else:
        start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        following = (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
        window.label = start.strftime("%Y-%m")
        window.end = following.timestamp()
    window.start = start.timestamp()


class UsageSnapshot(msgspec.Struct, frozen=True):
    """An account's usage in its current period; ``reset`` is seconds until it ends."""

    used: int
    reset: float


class UsageMeter:
    """Data points used per account in the current day or month (UTC)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {"day": _Window(), "month": _Window()}
        #: account -> (period label, points used in it)
        self._counts: dict[str, tuple[str, int]] = {}
        self._dirty = False

    def _window(self, period: Period) -> _Window:
        window = self._windows[period]
        now = self._clock()
        if not window.start <= now < window.end:
            _turn(window, period, now)
        return window

    def status(self, account: str, period: Period) -> UsageSnapshot:
        window = self._window(period)
        found = self._counts.get(account)
        used = found[1] if found is not None and found[0] == window.label else 0
        return UsageSnapshot(used, window.end - self._clock())

    def charge(self, account: str, period: Period, points: int) -> UsageSnapshot:
        """Add ``points`` to ``account``'s current period; its usage after that."""
        window = self._window(period)
        with self._lock:
            found = self._counts.get(account)
            used = found[1] if found is not None and found[0] == window.label else 0
            if points:
                used += points
                self._counts[account] = (window.label, used)
                self._dirty = True
        return UsageSnapshot(used, window.end - self._clock())

    # ---------------------------------------------------------------- saving

    def dumps(self) -> str:
        """The counters of the current periods, as JSON (older periods are dropped)."""
        current = {self._window("day").label, self._window("month").label}
        with self._lock:
            for account in [a for a, (label, _) in self._counts.items() if label not in current]:
                del self._counts[account]
            counts = dict(self._counts)
            self._dirty = False
        return msgspec.json.encode(counts).decode()

    def loads(self, text: str) -> None:
        """Take saved counters (an unreadable text is logged and ignored)."""
        try:
            saved = msgspec.json.decode(text, type=dict[str, tuple[str, int]])
        except (msgspec.DecodeError, msgspec.ValidationError):
            log.warning("saved data-point usage is unreadable: starting from zero")
            return
        with self._lock:
            for account, (label, used) in saved.items():
                mine = self._counts.get(account)
                if mine is None or mine[0] != label:
                    self._counts[account] = (label, used)
                else:
                    self._counts[account] = (label, mine[1] + used)

    async def load(self, store: TickStore) -> None:
        text = await store.get_meta(META_KEY)
        if text is not None:
            self.loads(text)

    async def save(self, store: TickStore) -> None:
        await store.set_meta(META_KEY, self.dumps())

    async def keep_saved(self, store: TickStore, interval: float = SAVE_INTERVAL) -> None:
        """Save the counters every ``interval`` seconds while they change."""
        while True:
            await asyncio.sleep(interval)
            if self._dirty:
                try:
                    await self.save(store)
                except Exception:  # a busy store must not stop the metering
                    log.exception("could not save data-point usage")


__all__ = [
    "EXHAUSTED",
    "META_KEY",
    "SAVE_INTERVAL",
    "STATE_DATAPOINTS",
    "DatapointCounter",
    "Period",
    "UsageMeter",
    "UsageSnapshot",
    "datapoints",
]
