"""API keys in the store: hashed, named, revocable; older stores are migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from oddswire.store.keys import KeyCommandError, active_digests, create, digest, records, revoke
from oddswire.store.sqlite import SqliteTickStore
from oddswire.store.sqlite.admin import admin_connection


def test_keys_are_stored_hashed_and_revocable(tmp_path: Path) -> None:
    conn = admin_connection(str(tmp_path / "s.db"))  # creates the store
    key, record = create(conn, "alerts bot")
    assert len(key) == 32
    assert record.prefix == key[:6]
    raw = (tmp_path / "s.db").read_bytes() + (tmp_path / "s.db-wal").read_bytes()
    assert key.encode() not in raw  # never at rest in clear
    assert active_digests(conn) == {digest(key)}
    with pytest.raises(KeyCommandError, match="already exists"):
        create(conn, "alerts bot")
    other, _ = create(conn, "screen")
    revoked = revoke(conn, "alerts bot")
    assert not revoked.active
    assert active_digests(conn) == {digest(other)}
    with pytest.raises(KeyCommandError, match="no active key"):
        revoke(conn, "alerts bot")
    create(conn, "alerts bot")  # the name is free again
    assert [r.name for r in records(conn)] == ["alerts bot", "screen", "alerts bot"]
    assert revoke(conn, str(records(conn)[1].id)).name == "screen"
    with pytest.raises(KeyCommandError, match="1-64 printable"):
        create(conn, "   ")
    conn.close()


async def test_a_version_1_store_gains_the_keys_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = SqliteTickStore(str(path))
    await store.open()
    await store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE api_keys")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    again = SqliteTickStore(str(path))
    await again.open()
    assert await again.api_key_digests() == set()
    await again.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
