"""Server-to-client WebSocket frames (RFC 6455 §5.2): unmasked, unfragmented."""

from __future__ import annotations

import struct

TEXT = 0x1
BINARY = 0x2
CLOSE = 0x8
PING = 0x9

_SHORT = struct.Struct("!BB")
_MEDIUM = struct.Struct("!BBH")
_LONG = struct.Struct("!BBQ")


def frame(payload: bytes, opcode: int = TEXT) -> bytes:
    """One final frame carrying ``payload``."""
    size = len(payload)
    first = 0x80 | opcode
    if size < 126:
        return _SHORT.pack(first, size) + payload
    if size < 1 << 16:
        return _MEDIUM.pack(first, 126, size) + payload
    return _LONG.pack(first, 127, size) + payload
