"""What can go wrong talking to a hub (or to TheRundown), as typed exceptions.

Every API error carries the HTTP ``status`` and the server's ``{"error": ...}`` text.
None of them ever holds the API key: messages are built from the status, the body and
the request's path, never its query string or headers.
"""

from __future__ import annotations


class OddswireError(Exception):
    """Base class of everything the SDK raises."""


class TransportError(OddswireError):
    """The server could not be reached, or the connection broke mid-request."""


class DecodeError(OddswireError):
    """The server answered 2xx with a body that is not the documented shape."""


class APIError(OddswireError):
    """The server refused the request; ``status`` and ``message`` say why."""

    status: int = 0

    def __init__(self, message: str, *, status: int | None = None, path: str = "") -> None:
        if status is not None:
            self.status = status
        self.message = message
        self.path = path
        where = f" ({path})" if path else ""
        super().__init__(f"{self.status}: {message}{where}")


class BadRequestError(APIError):
    """400: a parameter is missing or wrong."""

    status = 400


class StaleCursorError(BadRequestError):
    """A delta cursor is too old or unknown: take a fresh snapshot (400, or 410 on the
    resumable stream)."""


class AuthenticationError(APIError):
    """401: the key is missing, unknown or revoked."""

    status = 401


class PermissionDeniedError(APIError):
    """403: the key's plan lacks an entitlement (props, live periods, futures...)."""

    status = 403


class NotFoundError(APIError):
    """404: no such event, team, line or route."""

    status = 404


class GoneError(APIError):
    """410: a retired route."""

    status = 410


class RateLimitError(APIError):
    """429: too many requests. ``retry_after`` is the server's ``Retry-After`` in
    seconds (None if it sent none)."""

    status = 429

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int = 429, path: str = ""
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status=status, path=path)


class QuotaExhaustedError(RateLimitError):
    """429 because the key's data-point quota is spent (daily or monthly). Never retried
    automatically: waiting seconds does not help."""


class ServerError(APIError):
    """5xx: the server failed."""

    status = 500


__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "DecodeError",
    "GoneError",
    "NotFoundError",
    "OddswireError",
    "PermissionDeniedError",
    "QuotaExhaustedError",
    "RateLimitError",
    "ServerError",
    "StaleCursorError",
    "TransportError",
]
