"""The I/O-free core both clients share: what a request is, how it is authenticated,
how a response becomes a typed value or a typed error, and when to try again.

:class:`Client` and :class:`AsyncClient` only move bytes; every decision is made here,
so the two behave identically and the decisions are tested without a network.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, Literal, TypeVar

import httpx
import msgspec

from oddswire import __version__
from oddswire.client.backoff import RetryPolicy
from oddswire.client.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    GoneError,
    NotFoundError,
    OddswireError,
    PermissionDeniedError,
    QuotaExhaustedError,
    RateLimitError,
    ServerError,
    StaleCursorError,
    TransportError,
)
from oddswire.redact import redact

T = TypeVar("T")

#: The header TheRundown (and this hub) read the key from.
KEY_HEADER = "X-TheRundown-Key"
QueryValue = str | int | float | bool | date | Iterable[int] | Iterable[str] | None


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One API request, before any I/O: ``GET path?params``, decoded as ``response``."""

    path: str
    params: tuple[tuple[str, str], ...]
    response: type[T]
    method: str = "GET"


def call(path: str, response: type[T], **params: QueryValue) -> Call[T]:
    """A :class:`Call` with its query parameters written as the API reads them: lists
    comma-separated, booleans ``true``/``false``, dates ``YYYY-MM-DD``, None left out."""
    return Call(
        path,
        tuple((k, v) for k, v in ((k, query_value(v)) for k, v in params.items()) if v is not None),
        response,
    )


def query_value(value: QueryValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    return ",".join(str(v) for v in value)


def path_date(value: date | str) -> str:
    """A date path segment: ``date`` objects as ``YYYY-MM-DD``, strings as given."""
    return value.isoformat() if isinstance(value, date) else str(value)


def rfc3339(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Where the API is and how to authenticate. The key is never in the ``repr``.

    ``auth="header"`` (the default) sends ``X-TheRundown-Key``; ``"query"`` sends
    ``?key=`` (TheRundown accepts both; the query form ends up in proxies' logs, so the
    SDK masks it in its own and in httpx's).
    """

    base_url: str
    api_key: str = field(repr=False)
    auth: Literal["header", "query"] = "header"
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    user_agent: str = f"oddswire-python/{__version__}"

    def __post_init__(self) -> None:
        if self.auth not in ("header", "query"):
            raise ValueError("auth must be 'header' or 'query'")
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must start with http:// or https://")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    def headers(self) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if self.auth == "header" and self.api_key:
            headers[KEY_HEADER] = self.api_key
        return headers

    def url(self, c: Call[Any]) -> str:
        return self.base_url + c.path

    def params(self, c: Call[Any]) -> httpx.QueryParams:
        if self.auth == "query" and self.api_key:
            return httpx.QueryParams([*c.params, ("key", self.api_key)])
        return httpx.QueryParams(c.params)

    def ws_url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """A WebSocket URL for ``path`` (``http`` becomes ``ws``); the key goes in a
        header unless ``auth="query"``."""
        from urllib.parse import urlencode

        base = "ws" + self.base_url[4:]
        query = dict(params or {})
        if self.auth == "query" and self.api_key:
            query["key"] = self.api_key
        return base + path + ("?" + urlencode(query, safe=",") if query else "")


def decode(c: Call[T], body: bytes) -> T:
    """A 2xx body as the call's type, or :class:`DecodeError`."""
    try:
        return msgspec.json.decode(body, type=c.response)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise DecodeError(f"{c.path}: the response is not the documented shape: {exc}") from None


def error_for(
    status: int, headers: Mapping[str, str], body: bytes, path: str, secret: str = ""
) -> APIError:
    """The typed error for a non-2xx response (``secret``, the key, masked wherever a
    server may have echoed it)."""
    message = error_message(body) or f"HTTP {status}"
    if secret:
        message = message.replace(secret, "***")
    lowered = message.lower()
    if status == 400:
        if "stale" in lowered or "re-bootstrap" in lowered:
            return StaleCursorError(message, path=path)
        return BadRequestError(message, path=path)
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        if "data point" in lowered or "datapoint" in lowered or "quota" in lowered:
            return QuotaExhaustedError(message, retry_after=retry_after, path=path)
        return RateLimitError(message, retry_after=retry_after, path=path)
    simple: dict[int, type[APIError]] = {
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
        410: GoneError,
    }
    if status in simple:
        return simple[status](message, path=path)
    if status >= 500:
        return ServerError(message, status=status, path=path)
    return APIError(message, status=status, path=path)


def error_message(body: bytes) -> str:
    """The ``error`` of a ``{"error": ...}`` body (a structured one as JSON), else the
    body's first 300 characters; keys that a server echoed are masked."""
    try:
        parsed = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return redact(body[:300].decode("utf-8", "replace").strip())
    if isinstance(parsed, dict):
        found = parsed.get("error", parsed.get("message"))
        if isinstance(found, str):
            return redact(found)
        if found is not None or parsed:
            return redact(msgspec.json.encode(found if found is not None else parsed).decode())
    return redact(str(parsed)[:300])


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: a number, or an HTTP date (RFC 9110)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def interpret(
    c: Call[T], status: int, headers: Mapping[str, str], body: bytes, secret: str = ""
) -> T:
    """A response as the call's value, or the typed error it means."""
    if 200 <= status < 300:
        return decode(c, body)
    raise error_for(status, headers, body, c.path, secret)


def retry_delay(error: OddswireError, attempt: int, policy: RetryPolicy) -> float | None:
    """Seconds to wait before trying again after ``error`` on attempt ``attempt``
    (0-based), or None to give up and raise it."""
    if attempt >= policy.max_retries or isinstance(error, QuotaExhaustedError):
        return None
    if isinstance(error, RateLimitError):
        return policy.delay(attempt, error.retry_after)
    if isinstance(error, (ServerError, TransportError)):
        return policy.delay(attempt, None)
    return None


__all__ = [
    "KEY_HEADER",
    "Call",
    "ClientConfig",
    "call",
    "decode",
    "error_for",
    "interpret",
    "parse_retry_after",
    "path_date",
    "query_value",
    "retry_delay",
]
