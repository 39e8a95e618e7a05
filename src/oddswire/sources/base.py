"""The source interface: a long-running task that hands canonical changes to a sink."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from oddswire.model.change import Change
from oddswire.sources.health import SourceHealth


class ChangeSink(Protocol):
    """Where sources put changes (the hub). ``submit`` may wait when the store lags."""

    async def submit(self, changes: Sequence[Change]) -> int: ...

    def progress(self, what: str, fraction: float | None) -> None: ...


class Source(ABC):
    """A feed of canonical changes."""

    def __init__(self, name: str) -> None:
        self.health = SourceHealth(name)

    @property
    def name(self) -> str:
        return self.health.name

    def refresh_health(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Bring ``health`` up to date before it is read (per-book detail, say)."""

    def forget(self, event_ids: list[str]) -> None:  # noqa: B027 - optional hook
        """The hub deleted these events (retention): drop what the source keeps of them."""

    async def close(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Release what the source holds (recordings, connections) once it has stopped."""

    @abstractmethod
    async def warm_up(self, sink: ChangeSink) -> None:
        """Deliver the source's initial state (the hub waits for this before serving)."""

    @abstractmethod
    async def run(self, sink: ChangeSink) -> None:
        """Deliver live changes until cancelled."""
