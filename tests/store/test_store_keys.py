"""API keys in the store: hashed, named, revocable; older stores are migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from oddswire.store.keys import (
    KeyCommandError,
    active_keys,
    create,
    digest,
    records,
    revoke,
    set_tier,
)
from oddswire.store.sqlite import SqliteTickStore
from oddswire.store.sqlite.admin import admin_connection


def test_keys_are_stored_hashed_and_revocable(tmp_path: Path) -> None:
    conn = admin_connection(str(tmp_path / "s.db"))  # creates the store
    key, record = create(conn, "alerts bot")
    assert len(key) == 32
    assert record.prefix == key[:6]
    raw = (tmp_path / "s.db").read_bytes() + (tmp_path / "s.db-wal").read_bytes()
    assert key.encode() not in raw  # never at rest in clear
    assert set(active_keys(conn)) == {digest(key)}
    with pytest.raises(KeyCommandError, match="already exists"):
        create(conn, "alerts bot")
    other, _ = create(conn, "screen")
    revoked = revoke(conn, "alerts bot")
    assert not revoked.active
    assert set(active_keys(conn)) == {digest(other)}
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
    assert await again.api_keys() == {}
    await again.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()


async def test_a_version_2_store_gains_key_tiers_and_old_keys_keep_full_access(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.db"
    conn = admin_connection(str(path))
    create(conn, "old key")
    conn.execute("BEGIN")
    conn.execute("ALTER TABLE api_keys DROP COLUMN tier")
    conn.execute("PRAGMA user_version=2")
    conn.execute("COMMIT")
    conn.close()
    store = SqliteTickStore(str(path))
    await store.open()
    (stored,) = (await store.api_keys()).values()
    assert (stored.name, stored.tier) == ("old key", "enterprise")
    await store.close()


def test_a_key_moves_between_tiers(tmp_path: Path) -> None:
    conn = admin_connection(str(tmp_path / "t.db"))
    key, record = create(conn, "customer", tier="free")
    assert record.tier == "free" and active_keys(conn)[digest(key)].tier == "free"
    assert set_tier(conn, "customer", "pro").tier == "pro"
    assert active_keys(conn)[digest(key)].tier == "pro"
    with pytest.raises(KeyCommandError, match="no active key"):
        set_tier(conn, "nobody", "pro")
    conn.close()
