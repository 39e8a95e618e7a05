"""Opening a store for administration (``oddswire keys``) beside a running hub.

Administration writes only small tables (``api_keys``), so it does not take the hub's
lock: SQLite's own locking serialises it with the hub's writer. A store that does not
exist yet is created first, under the lock, exactly as a hub would create it.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid

from oddswire.store.base import StoreError
from oddswire.store.lock import StoreLock
from oddswire.store.sqlite.schema import check_file, connect, create, migrate, validate


def admin_connection(path: str) -> sqlite3.Connection:
    """A read-write connection to the store at ``path`` (created if missing)."""
    path = os.path.abspath(path)
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise StoreError(f"the directory of the store does not exist: {directory}")
    if check_file(path):
        lock = StoreLock(path + ".lock", orphan_wait=0)
        lock.acquire()
        try:
            if check_file(path):
                conn = connect(path, cache_mb=8)
                create(conn)
                with conn:
                    conn.executemany(
                        "INSERT INTO meta VALUES (?, ?)",
                        [
                            ("epoch", uuid.uuid4().hex),
                            ("created_at", repr(time.time())),
                            ("sequence_reserved", "0"),
                        ],
                    )
                return conn
        finally:
            lock.release()
    validate(path, quick_check=False)
    conn = connect(path, cache_mb=8)
    migrate(conn)
    return conn
