"""BoltOdds' discovery GETs: ``get_info``, ``get_games``, ``get_markets``.

Used once, at warm-up: ``get_info`` checks the configured sports and sportsbooks (a
name BoltOdds does not list is silently ignored by its subscription, so we say so
loudly), ``get_games`` gives each game's start (``when``), a count for health and
the game strings a configured ``games`` filter is checked against,
``get_markets`` the market names quoted for the configured sports and books. Every
request counts against BoltOdds' 12 a minute (shared with socket connects); a 429
stops discovery and holds back the next request for its ``Retry-After``. Nothing here
is fatal: without discovery the stream still runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec

from oddswire.client.core import parse_retry_after
from oddswire.redact import redact
from oddswire.sources.boltodds.transport import MASK, MinuteLimit, endpoint, with_query
from oddswire.sources.upstream.model import Record

log = logging.getLogger("oddswire.sources.boltodds")

#: Longest a 429's ``Retry-After`` is honoured for.
MAX_RETRY_AFTER = 300.0


class RateLimited(Exception):
    """BoltOdds answered 429: stop asking for now."""


@dataclass(slots=True)
class Discovered:
    """What discovery found (for health and validation); None where a GET failed."""

    sports: list[str] | None = None
    sportsbooks: list[str] | None = None
    games: int | None = None
    #: The game strings ``get_games`` keys its answer by (what a subscription names).
    game_names: list[str] | None = None
    markets: dict[str, dict[str, list[str]]] | None = None
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "sports": None if self.sports is None else len(self.sports),
            "sportsbooks": None if self.sportsbooks is None else len(self.sportsbooks),
            "games": self.games,
            "market_names": None
            if self.markets is None
            else len({m for books in self.markets.values() for ms in books.values() for m in ms}),
            "errors": self.errors[-5:],
        }


def _names(value: object) -> list[str] | None:
    """A list of names (or an object keyed by them)."""
    if isinstance(value, dict):
        value = list(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _markets(value: object) -> dict[str, dict[str, list[str]]] | None:
    if not isinstance(value, dict):
        return None
    out: dict[str, dict[str, list[str]]] = {}
    for sport, books in value.items():
        if isinstance(books, dict):
            out[str(sport)] = {
                str(book): [m for m in names if isinstance(m, str)]
                for book, names in books.items()
                if isinstance(names, list)
            }
        elif isinstance(books, list):  # markets for a sport, not split by book
            out[str(sport)] = {"": [m for m in books if isinstance(m, str)]}
    return out


class Discovery:
    """The three GETs, each recorded through ``receive`` (the key never in a record)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        key: str | None,
        limit: MinuteLimit,
        receive: Callable[[Record], Awaitable[int]],
    ) -> None:
        self.client = client
        self.base_url = base_url
        self.key = key
        self.limit = limit
        self.receive = receive

    async def run(
        self, sports: Sequence[str], books: Sequence[str], timeout: Callable[[], float]
    ) -> Discovered:
        """Every GET while time (``timeout()`` seconds left) and the limit allow."""
        found = Discovered()
        params = {
            "sports": ",".join(sports) if sports else None,
            "sportsbooks": ",".join(books) if books else None,
        }
        try:
            info = await self._get("get_info", {}, timeout, found)
            if isinstance(info, dict):
                found.sports = _names(info.get("sports"))
                found.sportsbooks = _names(info.get("sportsbooks"))
            games = await self._get("get_games", {}, timeout, found)
            if isinstance(games, dict):
                found.games = len(games)
                found.game_names = [str(game) for game in games]
            markets = await self._get("get_markets", params, timeout, found)
            found.markets = _markets(markets)
        except RateLimited:
            pass
        return found

    async def _get(
        self,
        name: str,
        params: dict[str, str | None],
        timeout: Callable[[], float],
        found: Discovered,
    ) -> Any:
        left = timeout()
        wait = self.limit.wait_seconds()
        if wait > 0 or left <= 0.05:
            found.errors.append(f"{name}: skipped (request limit or warm-up time)")
            log.info("boltodds: %s skipped (request limit or warm-up time)", name)
            return None
        self.limit.spend()
        try:
            url = with_query(endpoint(self.base_url, name), key=self.key, **params)
            response = await self.client.get(url, timeout=left)
        except (httpx.HTTPError, ValueError) as exc:
            text = f"{name}: {type(exc).__name__}: {redact(str(exc))[:200]}"
            found.errors.append(text)
            log.warning("boltodds discovery failed: %s", text)
            return None
        if response.status_code == 429:
            retry = parse_retry_after(response.headers.get("retry-after"))
            seconds = min(MAX_RETRY_AFTER, 60.0 if retry is None else retry)
            self.limit.defer(seconds)
            found.errors.append(f"{name}: 429 rate limited (retry after {seconds:g} s)")
            log.warning("boltodds %s: rate limited (429); next request in %g s", name, seconds)
            raise RateLimited
        if response.status_code != 200:
            shown = response.text
            if self.key:
                shown = shown.replace(self.key, MASK)
            text = f"{name}: HTTP {response.status_code}: {redact(shown[:200])}"
            found.errors.append(text)
            log.warning("boltodds discovery failed: %s", text)
            return None
        meta = {"path": f"/{name}", **{k: v for k, v in params.items() if v}}
        body = response.text
        if self.key and self.key in body:  # never in a record
            body = body.replace(self.key, MASK)
        await self.receive(Record(kind="http", body=body, meta=meta))
        try:
            return msgspec.json.decode(response.content)
        except msgspec.DecodeError:
            found.errors.append(f"{name}: not JSON")
            return None
