"""A message on its way to one or many sessions: payload, its frame (built once), and
the sequence and conflation key it carries."""

from __future__ import annotations

from oddswire.stream.frames import TEXT, frame


class Message:
    __slots__ = ("_frame", "datapoints", "items", "key", "payload", "sequence")

    def __init__(
        self,
        payload: bytes,
        sequence: int = 0,
        key: int | None = None,
        items: list[Message] | None = None,
    ) -> None:
        self.payload = payload
        #: The global sequence of the change it carries (0 for control messages); for a
        #: group, the last item's.
        self.sequence = sequence
        #: Same key, same thing: a newer message with the key replaces an older one
        #: while a client lags. None: never conflated (acks, notices, groups).
        self.key = key
        #: For a group of changes sent as one frame: the changes, in sequence order.
        self.items = items
        self._frame: bytes | None = None
        #: The data points it carries, once a metered session has counted them (the
        #: count is shared by every session the message goes to).
        self.datapoints: int | None = None

    @classmethod
    def group(cls, items: list[Message]) -> Message:
        """Several change messages to be rendered as one frame (``payload`` unused)."""
        return cls(b"", items[-1].sequence, None, items)

    @property
    def count(self) -> int:
        """How many changes it carries."""
        return 1 if self.items is None else len(self.items)

    @property
    def frame(self) -> bytes:
        """The WebSocket frame, built on first use and shared by every session."""
        if self._frame is None:
            self._frame = frame(self.payload, TEXT)
        return self._frame
