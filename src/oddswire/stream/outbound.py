"""Where a session's frames go.

The fast path writes prebuilt frames straight to the connection's transport, with the
same frame bytes for every session that gets the message. Writes are coalesced: the
frames a session gets during one turn of the event loop leave in one
``transport.writelines`` at the end of the turn (one system call instead of one per
message). Servers that do not expose their transport get the ASGI path, which sends
each payload through the WebSocket's ``send`` in a writer task.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from oddswire.stream.message import Message


class Transport(Protocol):
    """What the fast path needs of a transport (asyncio's and uvloop's both qualify)."""

    def write(self, data: bytes) -> None: ...

    def writelines(self, data: Iterable[bytes]) -> None: ...

    def get_write_buffer_size(self) -> int: ...

    def is_closing(self) -> bool: ...

    def abort(self) -> None: ...


class Outbound(Protocol):
    @property
    def buffered(self) -> int:
        """Bytes written but not yet on the wire."""

    @property
    def closed(self) -> bool: ...

    def write(self, message: Message) -> None: ...

    def flush(self) -> None:
        """Put what was written on the transport now (before a close frame, say)."""


class Flusher:
    """Flushes the outbounds written to during a loop turn, once, at its end."""

    __slots__ = ("_dirty", "_scheduled")

    def __init__(self) -> None:
        self._dirty: list[TransportOutbound] = []
        self._scheduled = False

    def mark(self, outbound: TransportOutbound) -> None:
        self._dirty.append(outbound)
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._run)

    def _run(self) -> None:
        self._scheduled = False
        dirty, self._dirty = self._dirty, []
        for outbound in dirty:
            outbound.flush()


class TransportOutbound:
    """Frames straight onto the transport (uvicorn's, after the handshake)."""

    __slots__ = ("_flusher", "_frames", "_pending", "transport")

    def __init__(self, transport: Transport, flusher: Flusher | None = None) -> None:
        self.transport = transport
        self._flusher = flusher or Flusher()
        self._frames: list[bytes] = []
        self._pending = 0

    @property
    def buffered(self) -> int:
        return self._pending + self.transport.get_write_buffer_size()

    @property
    def closed(self) -> bool:
        return self.transport.is_closing()

    def write(self, message: Message) -> None:
        frame = message.frame
        if not self._frames:
            if self.transport.is_closing():
                return
            self._flusher.mark(self)
        self._frames.append(frame)
        self._pending += len(frame)

    def flush(self) -> None:
        frames = self._frames
        if not frames:
            return
        self._frames = []
        self._pending = 0
        if self.transport.is_closing():
            return
        if len(frames) == 1:
            self.transport.write(frames[0])
        else:
            self.transport.writelines(frames)


class SendOutbound:
    """Payloads through an async ``send(text)`` (the ASGI WebSocket), one writer task."""

    def __init__(self, send: Callable[[str], Awaitable[None]]) -> None:
        self._send = send
        self._queue: deque[Message] = deque()
        self._bytes = 0
        self._wake = asyncio.Event()
        self._closed = False
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def buffered(self) -> int:
        return self._bytes

    @property
    def closed(self) -> bool:
        return self._closed

    def write(self, message: Message) -> None:
        if self._closed:
            return
        self._queue.append(message)
        self._bytes += len(message.payload)
        self._wake.set()

    async def _run(self) -> None:
        try:
            while True:
                await self._wake.wait()
                self._wake.clear()
                while self._queue:
                    message = self._queue.popleft()
                    self._bytes -= len(message.payload)
                    await self._send(message.payload.decode())
        except Exception:
            self._closed = True

    def flush(self) -> None:
        """Nothing to do: the writer task sends in order, the close goes after it."""

    def stop(self) -> None:
        self._closed = True
        self._task.cancel()
