"""The TheRundown source's timings and limits (constructor arguments, so tests run fast;
the defaults follow TheRundown's guidance, reference §4.7 and §5). The ones an operator
may change are ``therundown_*`` settings (:func:`tuning_from_settings`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from oddswire.client.backoff import Backoff
from oddswire.config import Settings

RECONNECT = Backoff(initial=1.0, maximum=30.0, jitter=0.25)
#: How the stream upgrade may carry the key.
WS_AUTHS = ("header", "query")


@dataclass(frozen=True, slots=True)
class Tuning:
    #: ``warm_up`` gives up after this long if TheRundown does not answer.
    warm_up_timeout: float = 20.0
    #: Seconds between schedule refreshes (each followed day's events fetched again:
    #: new events, scores and statuses, which ``markets/delta`` does not carry). A new
    #: UTC day refreshes at once, so the window moves at midnight.
    refresh_interval: float = 600.0
    #: auto mode: seconds of polling before the stream is tried again.
    stream_retry: float = 300.0
    #: auto mode: this many stream attempts in a row without data -> poll instead.
    stream_failures: int = 3
    #: A stream silent this long (no heartbeat, sent every 15 s) is dead.
    heartbeat_timeout: float = 60.0
    #: Reconnects and retries: 1 s doubling to 30 s, with jitter (the reference's).
    backoff: Backoff = RECONNECT
    #: Seconds one REST request may take.
    request_timeout: float = 15.0
    #: Seconds the stream upgrade may take.
    open_timeout: float = 10.0
    #: WebSocket ping interval (and pong timeout); None disables pings.
    ping_interval: float | None = 20.0
    #: Seconds to pause after the data-point reserve or quota stops requests (or until
    #: ``Retry-After`` says), before one cheap request checks the balance again.
    quota_pause: float = 900.0
    #: A 429 is retried this many times (each after its ``Retry-After``).
    max_retries: int = 3
    #: Rows per ``markets/delta`` page (TheRundown: default 1000, at most 5000).
    delta_limit: int = 1000
    #: ``has_more`` pages fetched back to back before the loop breathes.
    max_pages: int = 50
    #: Unknown events fetched per poll or stream message at most.
    max_event_fetches: int = 20
    #: How the stream upgrade carries the key: "header" or "query" (``?key=``).
    ws_auth: str = "header"

    def __post_init__(self) -> None:
        if self.ws_auth not in WS_AUTHS:
            raise ValueError(f"ws_auth must be one of {', '.join(WS_AUTHS)}, not {self.ws_auth!r}")


def tuning_from_settings(settings: Settings) -> Tuning:
    """The settable timings from the ``therundown_*`` settings; the rest stay default."""
    return Tuning(
        warm_up_timeout=settings.therundown_warm_up_timeout,
        refresh_interval=settings.therundown_refresh_interval,
        stream_retry=settings.therundown_stream_retry,
        stream_failures=settings.therundown_stream_failures,
        heartbeat_timeout=settings.therundown_heartbeat_timeout,
        backoff=replace(RECONNECT, maximum=settings.therundown_max_backoff),
        request_timeout=settings.therundown_request_timeout,
        quota_pause=settings.therundown_quota_pause,
        delta_limit=settings.therundown_delta_limit,
        ws_auth=settings.therundown_ws_auth,
    )


__all__ = ["RECONNECT", "WS_AUTHS", "Tuning", "tuning_from_settings"]
