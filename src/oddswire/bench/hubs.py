"""A real hub on a real SQLite store, set up for benchmarking (no housekeeping tasks)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import cast

from oddswire.analytics.detect import DetectorSettings
from oddswire.board import Board
from oddswire.hub import Hub, HubSettings
from oddswire.model.change import Change
from oddswire.refdata import Catalog, load_catalog
from oddswire.store.sqlite import SqliteTickStore

#: No periodic checkpoint or pruning, and no checkpoint on shutdown (the rebuild
#: benchmark needs ticks after the last checkpoint), and no detectors unless asked.
SETTINGS = HubSettings(
    checkpoint_interval=0, prune_interval=0, checkpoint_on_shutdown=False, detectors=None
)

_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")

PriceSnapshot = dict[tuple[int, int], tuple[float, int, bool, int]]


def new_hub(path: str, detectors: DetectorSettings | None = None) -> Hub:
    """A hub over a SQLite store at ``path``; the catalog is needed only by detectors."""
    if detectors is None:
        return Hub(cast(Catalog, None), SqliteTickStore(path), settings=SETTINGS)
    settings = replace(SETTINGS, detectors=detectors)
    return Hub(load_catalog(), SqliteTickStore(path), settings=settings)


def fresh_path(directory: str, name: str) -> str:
    """``directory/name``, with any earlier store of that name (and its side files) removed."""
    path = os.path.join(directory, name)
    for suffix in _SUFFIXES:
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


def copy_store(source: str, target: str) -> None:
    """Copy a closed store file (and its WAL, if one was left) to ``target``."""
    for suffix in ("", "-wal"):
        if os.path.exists(source + suffix):
            shutil.copyfile(source + suffix, target + suffix)


async def submit_all(hub: Hub, work: Iterable[Sequence[Change]]) -> int:
    """Submit batches in order; returns how many changes the board applied."""
    applied = 0
    submit = hub.submit
    for batch in work:
        applied += await submit(batch)
    return applied


def count_rows(path: str, table: str) -> int:
    """Rows in one table of a closed store."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def snapshot(board: Board) -> PriceSnapshot:
    """Every (line ref, affiliate) -> (price, status, main-line flag, sequence)."""
    return {
        (line.ref, affiliate_id): (p.price, int(p.status), p.is_main_line, p.sequence)
        for line, affiliate_id, p in board.iter_prices()
    }
