"""The embedded tick store on SQLite (WAL, batched commits, a writer process)."""

from oddswire.store.sqlite.store import SqliteTickStore

__all__ = ["SqliteTickStore"]
