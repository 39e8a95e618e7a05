"""A light WebSocket client for the streaming benchmarks: a raw asyncio protocol.

It sends the HTTP upgrade itself, then walks the server's frames (RFC 6455 §5.2:
unmasked, unfragmented) in ``data_received`` without a WebSocket library, so a process
can hold hundreds of connections and count hundreds of thousands of frames a second
without being the bottleneck. It answers pings (the servers close clients that do not)
and close frames. Frames it sends are masked with a zero key: a valid mask that leaves
the payload as it is.

Every text frame is timed with ``time.monotonic_ns()`` taken once per read (CLOCK_MONOTONIC,
comparable across processes on Linux). :class:`RecordingClient` keeps, per connection,
the ``data.id`` (the change's sequence) of every ``market_price`` frame and its receive
time; :class:`CollectingClient` keeps every payload.
"""

from __future__ import annotations

import asyncio
import time
from array import array
from collections.abc import Callable
from typing import TypeVar, cast

from oddswire.stream.frames import CLOSE, PING, TEXT

PONG = 0xA
#: What precedes a change's sequence in a ``market_price`` message.
ID_MARK = b'"data":{"id":'
#: The mark is near the start of the message (after ``meta``); look no further.
ID_WINDOW = 160
_ZERO_MASK = b"\x00\x00\x00\x00"


def upgrade_request(host: str, port: int, path: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: b2Rkc3dpcmUtYmVuY2gtMQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def client_frame(payload: bytes, opcode: int = TEXT) -> bytes:
    """A final, masked client frame (the zero mask leaves the payload as it is)."""
    size = len(payload)
    first = 0x80 | opcode
    if size < 126:
        head = bytes((first, 0x80 | size))
    elif size < 1 << 16:
        head = bytes((first, 0x80 | 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((first, 0x80 | 127)) + size.to_bytes(8, "big")
    return head + _ZERO_MASK + payload


class WsClient(asyncio.Protocol):
    """One connection. ``opened`` resolves when the server answered 101 (or fails)."""

    def __init__(self, request: bytes) -> None:
        self.request = request
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._head = b""
        self._rest = b""
        self.is_open = False
        #: Text frames that were not change messages (heartbeats, notices, acks).
        self.other = 0
        self.close_code: int | None = None

    # ------------------------------------------------------------- asyncio

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport instances, but have its methods.
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self.is_open = False
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"closed before the upgrade: {exc}"))
        if not self.closed.done():
            self.closed.set_result(self.close_code if self.close_code is not None else 1006)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        if not self.is_open:
            data = self._upgrade(data)
            if not data:
                return
        if self._rest:
            data = self._rest + data
        size = len(data)
        pos = 0
        while size - pos >= 2:
            length = data[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length = (data[pos + 2] << 8) | data[pos + 3]
                start = pos + 4
            elif length == 127:
                if size - pos < 10:
                    break
                length = int.from_bytes(data[pos + 2 : pos + 10], "big")
                start = pos + 10
            end = start + length
            if end > size:
                break
            opcode = data[pos] & 0x0F
            if opcode == TEXT:
                self.text(data, start, end, now)
            else:
                self._control(opcode, data[start:end])
            pos = end
        self._rest = data[pos:] if pos < size else b""

    def _upgrade(self, data: bytes) -> bytes:
        self._head += data
        end = self._head.find(b"\r\n\r\n")
        if end < 0:
            return b""
        head, rest = self._head[:end], self._head[end + 4 :]
        self._head = b""
        if not head.startswith(b"HTTP/1.1 101"):
            status = head.split(b"\r\n", 1)[0]
            self.opened.set_exception(ConnectionError(f"upgrade refused: {status!r}"))
            if self.transport is not None:
                self.transport.close()
            return b""
        self.is_open = True
        self.opened.set_result(None)
        return rest

    def _control(self, opcode: int, payload: bytes) -> None:
        if opcode == PING:
            self.send(payload, PONG)
        elif opcode == CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            self.send(payload[:2], CLOSE)
            if self.transport is not None:
                self.transport.close()

    # ------------------------------------------------------------- use

    def text(self, data: bytes, start: int, end: int, now: int) -> None:
        """A text frame's payload is ``data[start:end]``, received at ``now``."""
        self.other += 1

    def send(self, payload: bytes, opcode: int = TEXT) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(client_frame(payload, opcode))

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.send((1000).to_bytes(2, "big"), CLOSE)
            self.transport.close()


class RecordingClient(WsClient):
    """Records the sequence and receive time of every ``market_price`` frame."""

    def __init__(self, request: bytes) -> None:
        super().__init__(request)
        self.ids = array("q")
        self.times = array("q")
        self.payload_bytes = 0
        #: Called with the number of change frames a read brought (when not 0).
        self.on_progress: Callable[[int], None] | None = None

    def text(self, data: bytes, start: int, end: int, now: int) -> None:
        mark = data.find(ID_MARK, start, min(end, start + ID_WINDOW))
        if mark < 0:
            self.other += 1
            return
        first = mark + len(ID_MARK)
        self.ids.append(int(data[first : data.index(b",", first, end)]))
        self.times.append(now)
        self.payload_bytes += end - start

    def data_received(self, data: bytes) -> None:
        before = len(self.ids)
        super().data_received(data)
        if self.on_progress is not None and len(self.ids) != before:
            self.on_progress(len(self.ids) - before)


class CollectingClient(WsClient):
    """Keeps every text payload; ``done`` resolves (with the receive time) at the first
    payload for which ``until`` is true."""

    def __init__(self, request: bytes, until: Callable[[bytes], bool]) -> None:
        super().__init__(request)
        self.payloads: list[bytes] = []
        self.until = until
        self.done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def text(self, data: bytes, start: int, end: int, now: int) -> None:
        payload = data[start:end]
        self.payloads.append(payload)
        if not self.done.done() and self.until(payload):
            self.done.set_result(now)


C = TypeVar("C", bound=WsClient)


async def connect(
    host: str, port: int, path: str, factory: Callable[[bytes], C], timeout: float = 60.0
) -> C:
    """Open a connection and wait for the upgrade."""
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(timeout):
        _, client = await loop.create_connection(
            lambda: factory(upgrade_request(host, port, path)), host, port
        )
        try:
            await client.opened
        except BaseException:
            client.close()
            raise
    return client
