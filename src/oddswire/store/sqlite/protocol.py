"""Messages between the store (in the hub process) and its writer process.

Frames are a 4-byte big-endian length and a msgpack body; bodies are tagged msgspec
structs, so both ends decode into types, not dicts.
"""

from __future__ import annotations

import os
import select
import struct

import msgspec

TickRow = tuple[int, int, int, int, float, int, int, float, float]
LineRow = tuple[int, int, int, int, int, int, str, int]
EventRow = tuple[int, str, int, float, int, bytes]
EventTickRow = tuple[int, int, float, bytes]
CheckpointRow = tuple[int, int, int, float, int, int, int, float, float]


class Ticks(msgspec.Struct, tag=True, array_like=True):
    """Rows of applied batches; ``last_sequence`` is the highest sequence among them."""

    ticks: list[TickRow]
    lines: list[LineRow]
    events: list[EventRow]
    event_ticks: list[EventTickRow]
    last_sequence: int


class Reserve(msgspec.Struct, tag=True, array_like=True):
    upto: int


class SetMeta(msgspec.Struct, tag=True, array_like=True):
    key: str
    value: str


class CheckpointBegin(msgspec.Struct, tag=True, array_like=True):
    generation: int


class CheckpointRows(msgspec.Struct, tag=True, array_like=True):
    rows: list[CheckpointRow]


class CheckpointEnd(msgspec.Struct, tag=True, array_like=True):
    generation: int
    watermark: int
    count: int


class Prune(msgspec.Struct, tag=True, array_like=True):
    event_refs: list[int]


class SizeLimit(msgspec.Struct, tag=True, array_like=True):
    """Cap the database at this many pages (0 = SQLite's maximum)."""

    pages: int


class Barrier(msgspec.Struct, tag=True, array_like=True):
    """Acknowledged (in ``Committed.barriers``) once everything before it is durable."""

    id: int


class Stop(msgspec.Struct, tag=True, array_like=True):
    pass


Request = (
    Ticks
    | Reserve
    | SetMeta
    | CheckpointBegin
    | CheckpointRows
    | CheckpointEnd
    | Prune
    | SizeLimit
    | Barrier
    | Stop
)


class Committed(msgspec.Struct, tag=True, array_like=True):
    """A transaction committed: the highest tick sequence and reservation in it."""

    committed: int
    reserved: int
    barriers: list[int]
    stopping: bool = False


class Failed(msgspec.Struct, tag=True, array_like=True):
    """A transaction failed and will be retried; ``error`` None means it recovered."""

    error: str | None


Reply = Committed | Failed

_HEADER = struct.Struct(">I")
MAX_FRAME = 1 << 30


def frame(body: bytes) -> bytes:
    return _HEADER.pack(len(body)) + body


class FrameReader:
    """Reads length-prefixed frames from a file descriptor, blocking or not."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buffer = bytearray()
        self.eof = False

    def _next(self) -> bytes | None:
        if len(self._buffer) < 4:
            return None
        (size,) = _HEADER.unpack_from(self._buffer)
        if size > MAX_FRAME:
            raise ValueError(f"frame of {size} bytes is too large")
        if len(self._buffer) < 4 + size:
            return None
        body = bytes(self._buffer[4 : 4 + size])
        del self._buffer[: 4 + size]
        return body

    def _fill(self, timeout: float | None) -> bool:
        if timeout is not None:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return False
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            self.eof = True
            return False
        self._buffer += chunk
        return True

    def read(self, *, block: bool) -> bytes | None:
        """The next frame; None if none is ready (non-blocking) or at end of input."""
        while True:
            body = self._next()
            if body is not None:
                return body
            if self.eof:
                return None
            if not self._fill(None if block else 0.0) and not block:
                return None
