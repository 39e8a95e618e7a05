"""oddswire's Python SDK: typed clients of a hub's REST and streaming APIs (and of
TheRundown's, which they match).

Install it alone with ``pip install oddswire`` (the server needs ``oddswire[server]``).
"""

from oddswire.client.aio import AsyncClient
from oddswire.client.backoff import Backoff, RetryPolicy
from oddswire.client.core import Call, ClientConfig
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
from oddswire.client.sync import Client
from oddswire.client.usage import Usage

__all__ = [
    "APIError",
    "AsyncClient",
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "Call",
    "Client",
    "ClientConfig",
    "DecodeError",
    "GoneError",
    "NotFoundError",
    "OddswireError",
    "PermissionDeniedError",
    "QuotaExhaustedError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "StaleCursorError",
    "TransportError",
    "Usage",
]
