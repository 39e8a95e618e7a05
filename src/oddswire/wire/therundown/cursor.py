"""TheRundown's cursors, written and read.

``/markets/delta`` takes an integer cursor: the sequence itself. The event delta feeds
(``/api/v2/delta``, ``/api/v1/delta``, ``/api/v1/deltaV2``) take a 36-character,
UUID-style cursor. Ours encodes the store's epoch, the sequence and a check, so a cursor
from a wiped store or a garbled one is refused instead of misread. All zeros means "from
the beginning".
"""

from __future__ import annotations

from hashlib import blake2b

ZERO_CURSOR = "00000000-0000-0000-0000-000000000000"


class CursorError(ValueError):
    """The cursor is malformed, or was not issued by this store."""


def _check(epoch: str, sequence: int) -> str:
    return blake2b(f"{epoch}:{sequence}".encode(), digest_size=4).hexdigest()


def encode(epoch: str, sequence: int) -> str:
    """A cursor pointing after ``sequence`` in the store with this epoch."""
    if sequence < 0 or sequence >= 1 << 64:
        raise ValueError("sequence out of range")
    body = epoch[:8] + f"{sequence:016x}" + _check(epoch, sequence)
    return f"{body[0:8]}-{body[8:12]}-{body[12:16]}-{body[16:20]}-{body[20:32]}"


def decode(epoch: str, cursor: str) -> int:
    """The sequence a cursor points after (0 for the all-zero cursor)."""
    text = cursor.strip()
    if len(text) != 36 or text.count("-") != 4:
        raise CursorError("last_id must be a 36-character cursor")
    body = text.replace("-", "").lower()
    if len(body) != 32 or any(c not in "0123456789abcdef" for c in body):
        raise CursorError("last_id must be a 36-character cursor")
    if body == "0" * 32:
        return 0
    if body[:8] != epoch[:8]:
        raise CursorError("last_id was not issued by this server (or its store was reset)")
    sequence = int(body[8:24], 16)
    if body[24:] != _check(epoch, sequence):
        raise CursorError("last_id is not a valid cursor")
    return sequence
