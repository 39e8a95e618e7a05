"""Who a request is: the key's account, name and tier (set by the auth middleware)."""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.access.tiers import Tier

#: Where the auth middleware puts the identity in an ASGI scope's ``state``.
STATE_KEY = "access"


@dataclass(frozen=True, slots=True)
class Identity:
    """``account`` groups keys that share limits (a stored key is its own account;
    the static keys given with ``--api-key`` and the demo key share ``"static"``)."""

    account: str
    name: str
    tier: Tier
