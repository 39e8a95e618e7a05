"""What a client of the multiplexed protocol sends, parsed strictly.

Messages are JSON objects ``{"action", "id", "channel", "params"}``. ``params`` values
are JSON (arrays of numbers or strings, booleans, numbers); they are checked with the
same parsers, and so the same error messages, as the REST query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec
from starlette.datastructures import QueryParams

from oddswire.access.tiers import Tier
from oddswire.api import params
from oddswire.api.errors import BadRequest
from oddswire.api.routes.v2_events import statuses
from oddswire.api.ws.common import hedge_filter, stream_filter
from oddswire.refdata import Catalog
from oddswire.stream.filters import StreamFilter

MAX_ID_LENGTH = 64
MAX_CONFLATE_MS = 60_000
ACTIONS = ("subscribe", "unsubscribe", "snapshot", "resync", "usage", "ping")

#: Parameters each channel understands (anything else is refused, not ignored).
FILTERS = frozenset(
    {
        "sport_ids",
        "event_ids",
        "market_ids",
        "affiliate_ids",
        "participant_ids",
        "participant_type",
        "main_line",
    }
)
SNAPSHOT = frozenset(
    {"snapshot", "date", "offset", "event_status", "exclude_status", "hide_no_markets"}
)
DELIVERY = frozenset({"resume_from", "epoch", "conflate_ms", "batch"})
HEDGE_FILTERS = frozenset(
    {
        "sport_ids",
        "event_ids",
        "market_ids",
        "affiliate_ids",
        "type",
        "sources",
        "min_percent",
        "include_live",
        "include_links",
    }
)
CHANNEL_PARAMS: dict[str, frozenset[str]] = {
    "markets": FILTERS | SNAPSHOT | DELIVERY,
    "scores": frozenset({"sport_ids", "event_ids"}) | SNAPSHOT | DELIVERY,
    # No resume on hedge: the open opportunities are sent on subscribe instead.
    "hedge": HEDGE_FILTERS | {"conflate_ms", "batch"},
}
#: TheRundown channels this hub does not carry (no play-by-play or stats source yet).
UNSUPPORTED_CHANNELS = frozenset({"plays", "live", "live_game_state", "game_state", "stats"})


class ClientMessage(msgspec.Struct, forbid_unknown_fields=True):
    action: str
    id: str | None = None
    channel: str | None = None
    params: dict[str, Any] = msgspec.field(default_factory=dict)


_decoder = msgspec.json.Decoder(ClientMessage)


def decode(text: str) -> ClientMessage:
    """The message, or :class:`BadRequest` saying what is wrong with it."""
    try:
        message = _decoder.decode(text)
    except msgspec.ValidationError as exc:
        raise BadRequest(f"invalid message: {exc}") from None
    except msgspec.DecodeError as exc:
        raise BadRequest(f"malformed JSON: {exc}") from None
    if message.action not in ACTIONS:
        raise BadRequest(
            f"unknown action {message.action[:40]!r}; expected one of {', '.join(ACTIONS)}"
        )
    if message.id is not None and not 0 < len(message.id) <= MAX_ID_LENGTH:
        raise BadRequest(f"id: must be 1 to {MAX_ID_LENGTH} characters")
    return message


@dataclass(frozen=True, slots=True)
class SnapshotSpec:
    """Which events a snapshot covers and how they are filtered (beyond the stream's)."""

    event_ids: frozenset[str] | None
    sport_ids: frozenset[int] | None
    day: date | None
    offset: int
    event_status: frozenset[str] | None
    exclude_status: frozenset[str]
    hide_no_markets: bool


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    channel: str
    wanted: StreamFilter
    snapshot: SnapshotSpec | None
    resume_from: int | None
    epoch: str | None
    conflate_ms: int
    batch: bool
    raw: dict[str, Any]


def as_query(values: dict[str, Any]) -> QueryParams:
    """JSON params as the query string the REST parsers read (arrays become CSV)."""
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        pairs.append((name, _text(name, value)))
    return QueryParams(pairs)


def _text(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list):
        if len(value) > params.MAX_LIST_ITEMS:
            raise BadRequest(f"{name}: at most {params.MAX_LIST_ITEMS} values are allowed")
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int | str):
                raise BadRequest(f"{name}: expected an array of numbers or strings")
            if isinstance(item, str) and "," in item:
                raise BadRequest(f"{name}: {item[:40]!r} is not a valid value")
        return ",".join(str(item) for item in value)
    raise BadRequest(f"{name}: expected an array, a number, a string or a boolean")


def subscribe_request(
    catalog: Catalog, message: ClientMessage, tier: Tier | None = None
) -> SubscribeRequest:
    channel = message.channel
    if channel is None:
        raise BadRequest(f"channel: required, one of {', '.join(CHANNEL_PARAMS)}")
    if channel in UNSUPPORTED_CHANNELS:
        raise BadRequest(
            f"channel {channel!r} is not carried by this hub; "
            f"available: {', '.join(CHANNEL_PARAMS)}"
        )
    allowed = CHANNEL_PARAMS.get(channel)
    if allowed is None:
        raise BadRequest(
            f"unknown channel {channel[:40]!r}; expected one of {', '.join(CHANNEL_PARAMS)}"
        )
    unknown = sorted(set(message.params) - allowed)
    if unknown:
        raise BadRequest(f"unknown parameter {unknown[0][:40]!r} for channel {channel}")
    query = as_query(message.params)
    wanted = (
        hedge_filter(catalog, query) if channel == "hedge" else stream_filter(catalog, query, tier)
    )
    snapshot = snapshot_spec(query, wanted) if params.boolean(query, "snapshot") else None
    resume_from = _optional_int(query, "resume_from", 0, params.INT64 - 1)
    if snapshot is not None and resume_from is not None:
        raise BadRequest("choose snapshot or resume_from, not both")
    conflate_ms = _optional_int(query, "conflate_ms", 0, MAX_CONFLATE_MS) or 0
    return SubscribeRequest(
        channel=channel,
        wanted=wanted,
        snapshot=snapshot,
        resume_from=resume_from,
        epoch=query.get("epoch"),
        conflate_ms=conflate_ms,
        batch=params.boolean(query, "batch"),
        raw=message.params,
    )


def snapshot_spec(query: QueryParams, wanted: StreamFilter) -> SnapshotSpec:
    """A snapshot needs ``event_ids``, or ``sport_ids`` with a ``date`` (reference §4.3)."""
    raw_date = query.get("date")
    day = params.path_date(raw_date) if raw_date else None
    if wanted.event_ids is None and (wanted.sport_ids is None or day is None):
        raise BadRequest("snapshot: needs event_ids, or sport_ids with a date")
    return SnapshotSpec(
        event_ids=wanted.event_ids,
        sport_ids=wanted.sport_ids,
        day=day,
        offset=params.offset(query),
        event_status=statuses(query, "event_status"),
        exclude_status=statuses(query, "exclude_status") or frozenset(),
        hide_no_markets=params.boolean(query, "hide_no_markets"),
    )


def _optional_int(query: QueryParams, name: str, low: int, high: int) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name}: {raw[:40]!r} is not an integer") from None
    if not low <= value <= high:
        raise BadRequest(f"{name}: must be between {low} and {high}")
    return value
