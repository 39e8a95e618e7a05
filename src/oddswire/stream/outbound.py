"""Where a session's frames go.

The fast path writes prebuilt frames straight to the connection's transport: one
``transport.write`` per delivery, with the same frame bytes for every session that gets
the message. Servers that do not expose their transport get the ASGI path, which sends
each payload through the WebSocket's ``send`` in a writer task.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from oddswire.stream.message import Message


class Outbound(Protocol):
    @property
    def buffered(self) -> int:
        """Bytes written but not yet on the wire."""

    @property
    def closed(self) -> bool: ...

    def write(self, message: Message) -> None: ...


class TransportOutbound:
    """Frames straight onto an asyncio transport (uvicorn's, after the handshake)."""

    __slots__ = ("transport",)

    def __init__(self, transport: asyncio.WriteTransport) -> None:
        self.transport = transport

    @property
    def buffered(self) -> int:
        return self.transport.get_write_buffer_size()

    @property
    def closed(self) -> bool:
        return self.transport.is_closing()

    def write(self, message: Message) -> None:
        if not self.transport.is_closing():
            self.transport.write(message.frame)


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

    def stop(self) -> None:
        self._closed = True
        self._task.cancel()
