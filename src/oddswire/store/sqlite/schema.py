"""Schema of the SQLite tick store, and the checks that a file really is one.

Ticks are clustered by (event_ref, sequence): writes append at a few hundred hot spots
(one per active event) instead of scattering across a per-line index, and every history
query reads one event's contiguous range.
"""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from oddswire.store.base import CorruptStoreError, ForeignStoreError

APPLICATION_ID = 0x4F445357  # "ODSW"
SCHEMA_VERSION = 3
SQLITE_MAGIC = b"SQLite format 3\x00"

API_KEYS_DDL = (
    """CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash BLOB NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at REAL NOT NULL,
        revoked_at REAL,
        tier TEXT NOT NULL DEFAULT 'enterprise')""",
    "CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL",
)

#: Schema 3: each key has a tier (keys made before tiers existed keep full access).
ADD_KEY_TIER = "ALTER TABLE api_keys ADD COLUMN tier TEXT NOT NULL DEFAULT 'enterprise'"

DDL = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE events (
        ref INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        sport_id INTEGER NOT NULL,
        event_date REAL NOT NULL,
        sequence INTEGER NOT NULL,
        data BLOB NOT NULL)""",
    "CREATE INDEX events_by_date ON events (event_date)",
    """CREATE TABLE event_ticks (
        sequence INTEGER PRIMARY KEY,
        event_ref INTEGER NOT NULL,
        received_ts REAL NOT NULL,
        data BLOB NOT NULL)""",
    "CREATE INDEX event_ticks_by_event ON event_ticks (event_ref, sequence)",
    """CREATE TABLE lines (
        ref INTEGER PRIMARY KEY,
        event_ref INTEGER NOT NULL,
        market_id INTEGER NOT NULL,
        period_id INTEGER NOT NULL,
        participant_id INTEGER NOT NULL,
        participant_type INTEGER NOT NULL,
        line TEXT NOT NULL,
        hash48 INTEGER NOT NULL)""",
    "CREATE INDEX lines_by_event ON lines (event_ref)",
    "CREATE INDEX lines_by_hash ON lines (hash48)",
    """CREATE TABLE ticks (
        event_ref INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        line_ref INTEGER NOT NULL,
        affiliate_id INTEGER NOT NULL,
        price REAL NOT NULL,
        status INTEGER NOT NULL,
        is_main INTEGER NOT NULL,
        source_ts REAL NOT NULL,
        received_ts REAL NOT NULL,
        PRIMARY KEY (event_ref, sequence)) WITHOUT ROWID""",
    """CREATE TABLE checkpoint (
        generation INTEGER NOT NULL,
        line_ref INTEGER NOT NULL,
        affiliate_id INTEGER NOT NULL,
        price REAL NOT NULL,
        status INTEGER NOT NULL,
        is_main INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        source_ts REAL NOT NULL,
        received_ts REAL NOT NULL,
        PRIMARY KEY (generation, line_ref, affiliate_id)) WITHOUT ROWID""",
    *API_KEYS_DDL,
)

#: Tables every store has, and those added by later schema versions.
TABLES = ("meta", "events", "event_ticks", "lines", "ticks", "checkpoint")
TABLES_SINCE = {2: ("api_keys",)}


def connect(path: str, *, cache_mb: int = 256) -> sqlite3.Connection:
    """A connection tuned for the store: WAL, NORMAL sync, explicit transactions."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def check_file(path: str) -> bool:
    """Refuse anything that is not a SQLite file. Returns True if there is no file yet."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return True
    with open(path, "rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise ForeignStoreError(
            f"{path} is not an oddswire store (not a SQLite database); "
            "refusing to touch it. Point --db at a new path or at an oddswire store."
        )
    return False


def validate(path: str, *, quick_check: bool) -> bool:
    """Check an existing file is an oddswire store, without writing to it.

    Uses a read-only connection, so a file that turns out to belong to something else is
    left exactly as it was. Returns True if the file is an empty database (a new store).
    """
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise CorruptStoreError(f"{path} cannot be opened as a SQLite database: {exc}") from exc
    try:
        return _validate(conn, path, quick_check=quick_check)
    finally:
        conn.close()


def _validate(conn: sqlite3.Connection, path: str, *, quick_check: bool) -> bool:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise CorruptStoreError(f"{path} cannot be read as a SQLite database: {exc}") from exc
    if app_id == 0 and not tables:
        return True
    if app_id != APPLICATION_ID:
        raise ForeignStoreError(
            f"{path} is a SQLite database that belongs to something else "
            f"(application_id {app_id:#x}, tables {sorted(tables)[:5]}); refusing to touch it"
        )
    if version > SCHEMA_VERSION:
        raise ForeignStoreError(
            f"{path} was written by a newer oddswire (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade oddswire"
        )
    expected = set(TABLES).union(
        *(names for since, names in TABLES_SINCE.items() if version >= since)
    )
    missing = expected - tables
    if missing:
        raise CorruptStoreError(f"{path} is an oddswire store missing tables {sorted(missing)}")
    if quick_check:
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise CorruptStoreError(f"{path} is damaged: {exc}") from exc
        if result != "ok":
            raise CorruptStoreError(f"{path} is damaged: {result}")
    return False


def migrate(conn: sqlite3.Connection) -> int:
    """Bring a store written by an older oddswire up to this schema; returns the old version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version >= SCHEMA_VERSION:
        return version
    conn.execute("BEGIN IMMEDIATE")
    if version < 2:
        for statement in API_KEYS_DDL:
            conn.execute(statement)
    elif version < 3:
        conn.execute(ADD_KEY_TIER)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    conn.execute("COMMIT")
    return version


def create(conn: sqlite3.Connection) -> None:
    """Create the schema in a new, empty database (one transaction)."""
    conn.execute("BEGIN IMMEDIATE")
    for statement in DDL:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    conn.execute("COMMIT")
