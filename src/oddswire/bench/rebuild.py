"""Rebuild on restart: Hub.open() from a checkpoint plus the ticks after it, and from a
full replay of every tick, against a raw read of the tick table."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass

from oddswire.bench.config import Sizes, timed
from oddswire.bench.hubs import (
    PriceSnapshot,
    copy_store,
    fresh_path,
    new_hub,
    snapshot,
    submit_all,
)
from oddswire.bench.results import BenchResult, Figure
from oddswire.bench.workload import (
    ChangeStream,
    batches,
    build_universe,
    initial_changes,
    ladder_to_price,
    price_to_ladder,
)
from oddswire.board import Board
from oddswire.hub import Hub
from oddswire.model.change import PriceChange, PriceStatus
from oddswire.store.sqlite.schema import connect

CHUNK = 100_000
CHECKPOINT_AT = 0.9
CHECKPOINT_META = ("checkpoint_generation", "checkpoint_watermark", "checkpoint_count")


@dataclass(slots=True)
class Written:
    """The store as the first hub left it."""

    ticks: int
    sequence: int
    checkpoint_prices: int
    checkpoint_sequence: int
    prices: PriceSnapshot
    lines: dict[tuple[str, int, int, int, str], int]
    seconds: float


@dataclass(slots=True)
class Reopened:
    """One timed Hub.open() of the store and what it rebuilt."""

    seconds: float
    load_seconds: float
    checkpoint_prices: int
    tail_prices: int
    equal: bool
    continues: bool
    mismatches: int


def _lines(board: Board) -> dict[tuple[str, int, int, int, str], int]:
    return {line.key: line.ref for line in board.iter_lines()}


async def write(path: str, target: int, sizes: Sizes, seed: int) -> Written:
    """Write about ``target`` ticks through a hub, checkpointing after ~90% of them."""
    universe = build_universe(sizes.slate, seed)
    stream = ChangeStream(universe, seed)
    hub = new_hub(path)
    started = time.perf_counter()
    await hub.open()
    checkpoint_prices = checkpoint_sequence = 0
    try:
        ticks = await submit_all(hub, initial_changes(universe, batch=sizes.batch))
        ticks -= len(universe.events)
        first_goal = round(CHECKPOINT_AT * target)
        while ticks < target:
            if not checkpoint_sequence and ticks >= first_goal:
                checkpoint_sequence = hub.board.sequence
                checkpoint_prices = await hub.store.checkpoint(hub.board)
            goal = target if checkpoint_sequence else first_goal
            want = min(CHUNK, max(sizes.batch, goal - ticks))
            ticks += await submit_all(hub, batches(stream.take(want), sizes.batch))
        await hub.store.flush()
        written = Written(
            ticks=ticks,
            sequence=hub.board.sequence,
            checkpoint_prices=checkpoint_prices,
            checkpoint_sequence=checkpoint_sequence,
            prices=snapshot(hub.board),
            lines=_lines(hub.board),
            seconds=0.0,
        )
    finally:
        await hub.stop()
    written.seconds = time.perf_counter() - started
    return written


async def reopen(path: str, before: Written) -> Reopened:
    """Time Hub.open() on ``path``, compare the rebuilt board, check the sequence goes on."""
    hub = new_hub(path)
    with timed() as t:
        stats = await hub.open()
    try:
        after = snapshot(hub.board)
        mismatches = sum(1 for k, v in before.prices.items() if after.get(k) != v)
        mismatches += len(after.keys() - before.prices.keys())
        equal = (
            mismatches == 0
            and _lines(hub.board) == before.lines
            and hub.board.sequence >= before.sequence
        )
        continues = await _continues(hub, before.sequence)
    finally:
        await hub.stop()
    return Reopened(
        seconds=t.seconds,
        load_seconds=stats.seconds,
        checkpoint_prices=stats.checkpoint_prices,
        tail_prices=stats.tail_prices,
        equal=equal,
        continues=continues,
        mismatches=mismatches,
    )


async def _continues(hub: Hub, last: int) -> bool:
    """Move one price; the change must get a sequence above every one seen before."""
    line = next(iter(hub.board.iter_lines()))
    affiliate_id, state = line.items()[0]
    price = float(ladder_to_price(price_to_ladder(int(state.price)) + 1))
    change = PriceChange(
        event_id=line.event.event.event_id,
        market_id=line.market_id,
        period_id=line.period_id,
        participant_id=line.participant_id,
        participant_type=line.participant_type,
        line=line.line,
        affiliate_id=affiliate_id,
        price=price,
        status=PriceStatus.OPEN,
        is_main_line=state.is_main_line,
        source_ts=state.source_ts + 1.0,
        received_ts=state.received_ts + 1.0,
    )
    applied = await hub.submit([change])
    return bool(applied == 1 and change.sequence > last)


def drop_checkpoint(path: str) -> None:
    """Forget the checkpoint so the next open replays every tick."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(
            f"DELETE FROM meta WHERE key IN ({','.join('?' * len(CHECKPOINT_META))})",
            CHECKPOINT_META,
        )
    finally:
        conn.close()


def raw_read(path: str) -> tuple[int, float]:
    """The baseline: iterate ``SELECT * FROM ticks`` in Python; (rows, seconds)."""
    conn = connect(path, cache_mb=32)
    try:
        rows = 0
        with timed() as t:
            for _row in conn.execute("SELECT * FROM ticks"):
                rows += 1
        return rows, t.seconds
    finally:
        conn.close()


def run(sizes: Sizes, seed: int, directory: str) -> BenchResult:
    """Write, checkpoint, stop; then time the rebuilds and the raw read."""
    path = fresh_path(directory, "rebuild.sqlite")
    full = fresh_path(directory, "rebuild-full.sqlite")
    written = asyncio.run(write(path, sizes.rebuild_ticks, sizes, seed))
    copy_store(path, full)
    drop_checkpoint(full)

    rows, raw_seconds = raw_read(path)
    warm = asyncio.run(reopen(path, written))
    cold = asyncio.run(reopen(full, written))

    return BenchResult(
        name="rebuild",
        figures=[
            Figure(
                name="open, checkpoint + tail",
                value=warm.seconds,
                unit="s",
                baseline=raw_seconds,
                baseline_name="raw read, all ticks",
            ),
            Figure(
                name="open, full replay",
                value=cold.seconds,
                unit="s",
                baseline=raw_seconds,
                baseline_name="raw read, all ticks",
            ),
            Figure(
                name="full rebuild rate",
                value=rows / cold.seconds,
                unit="stored ticks/s",
                baseline=rows / raw_seconds,
                baseline_name="raw read",
            ),
        ],
        checks={
            "every tick stored": rows == written.ticks,
            "checkpoint rebuild equals the board": warm.equal,
            "full replay equals the board": cold.equal,
            "sequence continues": warm.continues and cold.continues,
        },
        details={
            "ticks": written.ticks,
            "ticks_in_store": rows,
            "live_prices": len(written.prices),
            "lines": len(written.lines),
            "sequence": written.sequence,
            "checkpoint_sequence": written.checkpoint_sequence,
            "checkpoint_prices": written.checkpoint_prices,
            "write_seconds": written.seconds,
            "checkpoint_open_seconds": warm.seconds,
            "checkpoint_load_seconds": warm.load_seconds,
            "checkpoint_tail_prices": warm.tail_prices,
            "full_open_seconds": cold.seconds,
            "full_load_seconds": cold.load_seconds,
            "full_tail_prices": cold.tail_prices,
            "raw_read_seconds": raw_seconds,
            "checkpoint_rebuild_equal": warm.equal,
            "full_rebuild_equal": cold.equal,
            "board_equal": warm.equal and cold.equal,
            "mismatches": warm.mismatches + cold.mismatches,
            "sequence_continues": warm.continues and cold.continues,
            "path": path,
        },
    )
