"""What could not be resolved: kept, counted, listed and logged, never guessed.

An entry is one thing a source named that has no canonical mapping (a team, a game,
a market, a book, a sport, an outcome), with why, how often and when it was seen. The
first sighting is logged at WARNING; repeats only count. The list is bounded: past
``capacity`` entries the least recently seen is dropped (and counted).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

import msgspec

log = logging.getLogger("oddswire.resolve")


class QuarantineEntry(msgspec.Struct, kw_only=True):
    source: str
    kind: str
    text: str
    reason: str
    count: int = 1
    first_seen: float = 0.0
    last_seen: float = 0.0
    example: str = ""


class Quarantine:
    def __init__(self, capacity: int = 2000) -> None:
        self.capacity = capacity
        self.dropped = 0
        self._entries: OrderedDict[tuple[str, str, str], QuarantineEntry] = OrderedDict()

    def add(self, source: str, kind: str, text: str, reason: str, example: str = "") -> None:
        key = (source, kind, text)
        now = time.time()
        entry = self._entries.get(key)
        if entry is not None:
            entry.count += 1
            entry.last_seen = now
            entry.reason = reason
            self._entries.move_to_end(key)
            return
        log.warning("quarantined %s %s %r: %s", source, kind, text, reason)
        self._entries[key] = QuarantineEntry(
            source=source,
            kind=kind,
            text=text,
            reason=reason,
            first_seen=now,
            last_seen=now,
            example=example[:500],
        )
        if len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
            self.dropped += 1

    def entries(self, source: str | None = None, kind: str | None = None) -> list[QuarantineEntry]:
        """Newest sighting first."""
        return [
            e
            for e in reversed(self._entries.values())
            if (source is None or e.source == source) and (kind is None or e.kind == kind)
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self, source: str | None = None) -> int:
        doomed = [k for k in self._entries if source is None or k[0] == source]
        for key in doomed:
            del self._entries[key]
        return len(doomed)
