"""Connection helpers: the key in the URL, BoltOdds' request limit, the subscription.

BoltOdds authenticates with ``?key=`` on the socket URL and on each discovery GET,
and allows 12 socket connects and GETs together per minute per IP
(:class:`MinuteLimit`). URLs with the key in them are built here and never logged:
log :func:`safe_url` instead; :class:`MaskKeys` masks the key in any log record that
still carries it (an upstream echoing it in a frame).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from oddswire.redact import redact


def with_query(url: str, **params: str | None) -> str:
    """``url`` with these query parameters added (replacing any of the same name);
    None values are left out. Keeps the URL's own query (a proxy's, say). Raises
    ValueError for a URL that cannot be parsed."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    pairs += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe=",")))


def safe_url(url: str) -> str:
    """A URL fit for a log line: scheme, host and path only."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(an invalid URL)"
    return redact(urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", "")))


def endpoint(base: str, name: str) -> str:
    """``https://spro.agency/api`` + ``get_info`` -> ``https://spro.agency/api/get_info``
    (the base's own query kept)."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{name}"))


def subscribe_message(
    sports: Sequence[str],
    books: Sequence[str],
    markets: Sequence[str],
    games: Sequence[str] = (),
) -> dict[str, Any]:
    """``{"action": "subscribe", "filters": {...}}``: a filter left empty is left out,
    which BoltOdds reads as "all" (seed 002). Games are named as ``get_games`` keys
    them (``"Home vs Away, 2025-07-07, 09"``)."""
    filters: dict[str, list[str]] = {}
    for name, values in (
        ("sports", sports),
        ("sportsbooks", books),
        ("games", games),
        ("markets", markets),
    ):
        if values:
            filters[name] = list(dict.fromkeys(values))
    return {"action": "subscribe", "filters": filters}


class MinuteLimit:
    """At most ``per_minute`` requests (socket connects and GETs) in any minute, and
    none before a time a 429's ``Retry-After`` set."""

    def __init__(
        self,
        per_minute: int = 12,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self.not_before = 0.0
        self._spent: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._spent and self._spent[0] <= now - self.window:
            self._spent.popleft()

    def used(self) -> int:
        self._trim(self.clock())
        return len(self._spent)

    def wait_seconds(self) -> float:
        """Seconds until one more request is allowed (0: now)."""
        now = self.clock()
        self._trim(now)
        wait = max(0.0, self.not_before - now)
        if self.per_minute > 0 and len(self._spent) >= self.per_minute:
            wait = max(wait, self._spent[0] + self.window - now)
        return wait

    def spend(self) -> None:
        self._spent.append(self.clock())

    def defer(self, seconds: float) -> None:
        """Nothing more for ``seconds`` (a 429's ``Retry-After``)."""
        self.not_before = max(self.not_before, self.clock() + max(0.0, seconds))


MASK = "***"


class MaskKeys(logging.Filter):
    """Masks the keys of live BoltOdds sources wherever they appear in a record (an
    upstream echoing the key in a frame, which websockets logs at DEBUG)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.keys:
            return True
        text = record.getMessage()
        masked = text
        for key in self.keys:
            masked = mask_key(masked, key)
        if masked != text:
            record.msg, record.args = masked, ()
        return True


def mask_key(text: str, key: str, shortest: int = 8) -> str:
    """``text`` without ``key``, nor a long part of it at either end (websockets
    shortens long frames in its log: ``"...bad key=bolt-te...``)."""
    text = text.replace(key, MASK)
    for size in range(len(key) - 1, shortest - 1, -1):
        for part in (key[:size], key[-size:]):
            if part in text:
                text = text.replace(part, MASK)
    return text
