"""The Odds API's error responses, read into what the source must do about them.

The vendor answers errors with a small JSON body ``{"message", "error_code",
"details_url"}`` and overloads statuses: a 401 is a bad key (``MISSING_KEY``,
``INVALID_KEY``, ``DEACTIVATED_KEY``) *or* an empty quota (``OUT_OF_USAGE_CREDITS``),
which only the body tells apart. 429 is ``EXCEEDED_FREQ_LIMIT``; 422 (and 404 for an
unknown sport) reject the request itself, so repeating it can never succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import msgspec

OUT_OF_CREDITS_CODE = "OUT_OF_USAGE_CREDITS"


class Reaction(Enum):
    """What a failed call means for polling."""

    #: The quota is spent: stop spending until the balance is seen to grow.
    OUT_OF_CREDITS = "out of credits"
    #: The key is missing, wrong or deactivated: unhealthy, retry slowly.
    BAD_KEY = "invalid key"
    #: Too many requests: wait (``Retry-After``) and try again.
    RATE_LIMITED = "rate limited"
    #: The request is invalid for this sport/market combination: stop asking it.
    INVALID_REQUEST = "invalid request"
    #: The vendor failed (5xx, other): back off and try again.
    TRANSIENT = "transient"


@dataclass(frozen=True, slots=True)
class VendorError:
    status: int
    code: str
    message: str

    @property
    def reaction(self) -> Reaction:
        if self.status == 401 or self.code == OUT_OF_CREDITS_CODE:
            return Reaction.OUT_OF_CREDITS if self.code == OUT_OF_CREDITS_CODE else Reaction.BAD_KEY
        if self.status == 429:
            return Reaction.RATE_LIMITED
        if self.status in (404, 422):
            return Reaction.INVALID_REQUEST
        return Reaction.TRANSIENT

    def describe(self) -> str:
        code = self.code or "no error code"
        return (
            f"HTTP {self.status} {code}: {self.message}"
            if self.message
            else f"HTTP {self.status} {code}"
        )


def read_error(status: int, body: str, secret: str = "") -> VendorError:
    """The error a response carries. ``secret`` (the key) is masked wherever the body
    might echo it."""
    code = message = ""
    try:
        data = msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError):
        data = None
    if isinstance(data, dict):
        raw_code, raw_message = data.get("error_code"), data.get("message")
        code = raw_code if isinstance(raw_code, str) else ""
        message = raw_message if isinstance(raw_message, str) else ""
    elif OUT_OF_CREDITS_CODE in body:
        code = OUT_OF_CREDITS_CODE
    if not message and data is None:
        message = body.strip()
    message = " ".join(message.split())[:200]
    if secret:
        message = message.replace(secret, "***")
        code = code.replace(secret, "***")
    return VendorError(status=status, code=code[:60], message=message)
