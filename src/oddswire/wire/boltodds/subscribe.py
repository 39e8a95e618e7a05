"""What a BoltOdds client sends, parsed, and its filters resolved to our ids.

``{"action": "subscribe", "filters": {"sports": [...], "sportsbooks": [...],
"games": [...], "markets": [...]}}``, or the older form with the filters at the top
level (``{"action": "subscribe", "sports": ["NBA"]}``). A filter left out (or null, or
an empty list) means everything. Names must be spelled as discovery returns them; the
ones that are not are reported (BoltOdds drops them silently) and the rest applied. A
filter whose names are all unknown is dropped, so the client gets everything rather
than nothing, as it would from BoltOdds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from oddswire.board import EventState, LineState
from oddswire.model.change import PriceChange
from oddswire.stream.filters import StreamFilter
from oddswire.wire.boltodds.naming import Names

ACTIONS = ("subscribe", "unsubscribe", "ping", "pong")
FILTERS = ("sports", "sportsbooks", "games", "markets")
DISCOVERY = {
    "sports": "/api/get_info",
    "sportsbooks": "/api/get_info",
    "games": "/api/get_games",
    "markets": "/api/get_markets",
}
MAX_VALUES = 500
MAX_NAME = 200
#: Unknown names echoed back in an error, at most.
MAX_SHOWN = 20


class ClientError(ValueError):
    """A message we cannot act on; the text says why (sent back as an ``error``)."""


@dataclass(frozen=True, slots=True)
class Request:
    action: str
    #: For ``subscribe``: each filter given, as a list of names.
    filters: dict[str, list[str]] = field(default_factory=dict)
    #: Keys under ``filters`` that are not filters (reported, then ignored).
    ignored: tuple[str, ...] = ()


def parse(text: str) -> Request:
    """A client message, or :class:`ClientError` saying what is wrong with it."""
    try:
        message = msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        raise ClientError(f"malformed JSON: {exc}") from None
    if not isinstance(message, dict):
        raise ClientError("expected a JSON object with an action")
    action = message.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        shown = repr(action)[:60]
        raise ClientError(f"unknown action {shown}; expected one of {', '.join(ACTIONS)}")
    if action != "subscribe":
        return Request(action)
    if "filters" in message:
        raw = message["filters"]
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise ClientError('filters: expected an object of lists, e.g. {"sports": ["NBA"]}')
        ignored = tuple(sorted(str(k)[:40] for k in raw if k not in FILTERS))
    else:  # the older form: filters at the top level
        raw = {k: v for k, v in message.items() if k in FILTERS}
        ignored = ()
    filters: dict[str, list[str]] = {}
    for name in FILTERS:
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ClientError(f"filters.{name}: expected a list of strings")
        if len(value) > MAX_VALUES:
            raise ClientError(f"filters.{name}: at most {MAX_VALUES} values")
        if value:
            filters[name] = list(dict.fromkeys(value))
    return Request(action, filters, ignored)


@dataclass(frozen=True, slots=True, kw_only=True)
class BoltFilter(StreamFilter):
    """A :class:`StreamFilter` that also drops prices of games that are over (a game
    leaves the stream with ``game_removed``)."""

    def price(self, line: LineState, change: PriceChange) -> bool:
        if line.event.event.status.is_terminal:
            return False
        return StreamFilter.price(self, line, change)


@dataclass(frozen=True, slots=True)
class Resolved:
    wanted: BoltFilter
    #: The filters in force, by name (None: everything).
    applied: dict[str, list[str] | None]
    #: Names that match nothing, by filter.
    unknown: dict[str, list[str]]


def resolve(
    names: Names, games: Mapping[str, EventState], filters: dict[str, list[str]]
) -> Resolved:
    """Names to ids; unknown names reported; an all-unknown filter dropped."""
    lookups: dict[str, Mapping[str, Any]] = {
        "sports": names.sport_ids,
        "sportsbooks": names.book_ids,
        "games": games,
        "markets": names.market_ids,
    }
    applied: dict[str, list[str] | None] = {}
    unknown: dict[str, list[str]] = {}
    for name in FILTERS:
        values = filters.get(name)
        if values is None:
            applied[name] = None
            continue
        lookup = lookups[name]
        known = [v for v in values if v in lookup]
        missing = [v[:MAX_NAME] for v in values if v not in lookup]
        if missing:
            unknown[name] = missing[:MAX_SHOWN]
        applied[name] = known or None
    sports = applied["sports"]
    books = applied["sportsbooks"]
    chosen = applied["games"]
    markets = applied["markets"]
    market_ids: frozenset[int] | None = None
    if markets is not None:
        market_ids = names.catalog.with_live_variants(
            frozenset().union(*(names.market_ids[m] for m in markets))
        )
    wanted = BoltFilter(
        sport_ids=None if sports is None else frozenset(names.sport_ids[s] for s in sports),
        affiliate_ids=None if books is None else frozenset(names.book_ids[b] for b in books),
        event_ids=None if chosen is None else frozenset(games[g].event.event_id for g in chosen),
        market_ids=market_ids,
    )
    return Resolved(wanted, applied, unknown)


def unknown_message(filter_name: str, values: list[str], applied: bool) -> str:
    """``unknown sportsbooks: ['foo']; see /api/get_info`` (and what happens now; at
    most :data:`MAX_SHOWN` names are listed)."""
    text = f"unknown {filter_name}: {values!r}; see {DISCOVERY[filter_name]}"
    if not applied:
        text += f"; no {filter_name} left, so this filter is ignored (all {filter_name})"
    return text
