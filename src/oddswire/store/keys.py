"""API keys kept in the store: hashed (SHA-256), named, revocable.

Keys are random (128 bits), so a plain SHA-256 is enough to keep them safe at rest; a
key is shown once, when it is created, and never stored, logged or printed again.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass, replace

PREFIX_LENGTH = 6
#: The tier of a key created without one: full data access, real time, no admin.
DEFAULT_TIER = "enterprise"


class KeyCommandError(Exception):
    """A key command cannot be done; the message says why."""


@dataclass(frozen=True, slots=True)
class KeyRecord:
    id: int
    name: str
    prefix: str
    created_at: float
    revoked_at: float | None
    tier: str = DEFAULT_TIER

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def new_key() -> str:
    return secrets.token_hex(16)


def create(conn: sqlite3.Connection, name: str, tier: str = DEFAULT_TIER) -> tuple[str, KeyRecord]:
    """Make a key named ``name``; returns the key (shown once) and its record."""
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise KeyCommandError("a key name must be 1-64 printable characters")
    key = new_key()
    now = time.time()
    try:
        with conn:
            cur = conn.execute(
                "INSERT INTO api_keys (name, key_hash, prefix, created_at, tier) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, digest(key), key[:PREFIX_LENGTH], now, tier),
            )
    except sqlite3.IntegrityError:
        raise KeyCommandError(f"an active key named {name!r} already exists") from None
    assert cur.lastrowid is not None
    return key, KeyRecord(cur.lastrowid, name, key[:PREFIX_LENGTH], now, None, tier)


def records(conn: sqlite3.Connection) -> list[KeyRecord]:
    rows = conn.execute(
        "SELECT id, name, prefix, created_at, revoked_at, tier FROM api_keys ORDER BY id"
    )
    return [KeyRecord(*row) for row in rows]


def _active(conn: sqlite3.Connection, name_or_id: str) -> KeyRecord:
    matches = [
        r for r in records(conn) if r.active and (r.name == name_or_id or str(r.id) == name_or_id)
    ]
    if not matches:
        raise KeyCommandError(f"no active key named {name_or_id!r}")
    return matches[0]


def revoke(conn: sqlite3.Connection, name_or_id: str) -> KeyRecord:
    """Revoke the active key with this name (or id)."""
    record = _active(conn, name_or_id)
    now = time.time()
    with conn:
        conn.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (now, record.id))
    return replace(record, revoked_at=now)


def set_tier(conn: sqlite3.Connection, name_or_id: str, tier: str) -> KeyRecord:
    """Move the active key with this name (or id) to another tier."""
    record = _active(conn, name_or_id)
    with conn:
        conn.execute("UPDATE api_keys SET tier = ? WHERE id = ?", (tier, record.id))
    return replace(record, tier=tier)


@dataclass(frozen=True, slots=True)
class StoredKey:
    """What the hub needs of an active key to authorise a request."""

    id: int
    name: str
    tier: str


def active_keys(conn: sqlite3.Connection) -> dict[bytes, StoredKey]:
    """The active keys by digest."""
    return {
        bytes(row[0]): StoredKey(row[1], row[2], row[3])
        for row in conn.execute(
            "SELECT key_hash, id, name, tier FROM api_keys WHERE revoked_at IS NULL"
        )
    }
