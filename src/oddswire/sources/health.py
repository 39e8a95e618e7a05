"""Health of sources, as the hub reports it (``/healthz``, affiliate ``status``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class SourceHealth:
    """Live counters a source keeps up to date; the hub reads them."""

    name: str
    connected: bool = False
    last_message_at: float | None = None
    changes: int = 0
    errors: int = 0
    last_error: str | None = None
    #: Seconds the source is behind where it should be (simulator: behind its schedule).
    lag_seconds: float = 0.0
    affiliate_ids: list[int] = field(default_factory=list)
    #: Seconds without a message after which the source counts as unhealthy (a polling
    #: source sets it from its interval).
    stale_after: float = 60.0
    detail: dict[str, object] = field(default_factory=dict)

    def touch(self, changes: int) -> None:
        self.last_message_at = time.time()
        self.changes += changes

    def fail(self, error: str) -> None:
        self.errors += 1
        self.last_error = error

    @property
    def healthy(self) -> bool:
        if not self.connected or self.last_message_at is None:
            return False
        return time.time() - self.last_message_at < self.stale_after and self.lag_seconds < 30

    def as_dict(self) -> dict[str, object]:
        age = None if self.last_message_at is None else round(time.time() - self.last_message_at, 3)
        return {
            "name": self.name,
            "healthy": self.healthy,
            "connected": self.connected,
            "last_message_age_seconds": age,
            "lag_seconds": round(self.lag_seconds, 3),
            "changes": self.changes,
            "errors": self.errors,
            "last_error": self.last_error,
            **self.detail,
        }
