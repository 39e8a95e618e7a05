"""Delayed boards show the live board exactly as it was ``delay`` seconds before: made
from a copy turned back with the tick store, then following the committed batches.

Each test feeds a real hub (SQLite store) in phases a few tenths of a second apart,
snapshots the live board after each, and checks a delayed board against the snapshot
of the moment it must show."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

import pytest

from factories import START, event_change, make_event
from hub.test_hub_changelog_refill import crash, feed, games, new_hub, random_batches
from oddswire.board import Board
from oddswire.hub import Hub
from oddswire.hub import delayed as delayed_module
from oddswire.hub.delayed import DelayedBoards, DelayUnavailable
from oddswire.model import Change, Event, PriceChange

Snapshot = tuple[dict[tuple[object, ...], tuple[object, ...]], dict[str, tuple[object, ...]]]

GAP = 0.25


def snapshot(board: Board) -> Snapshot:
    """Every price (with its sequence and timestamps) and every event header."""
    prices = {
        (*line.key, affiliate_id): (
            p.price,
            p.status,
            p.is_main_line,
            p.sequence,
            p.source_ts,
            p.received_ts,
        )
        for line, affiliate_id, p in board.iter_prices()
    }
    events = {s.event.event_id: (s.event, s.sequence) for s in board.events()}
    return prices, events


def current(hub: Hub) -> list[Event]:
    return [s.event for s in hub.board.events()]


def moves(seed: int, rounds: int, events: list[Event]) -> list[list[Change]]:
    """Random moves received now (the shared builder spaces its stamps apart, which
    over many tests drifts them ahead of the clock)."""
    batches = random_batches(seed, rounds, events)
    now = time.time()
    for batch in batches:
        for change in batch:
            change.received_ts = now
            if isinstance(change, PriceChange):
                change.source_ts = now
    return batches


async def phase(hub: Hub, seed: int, rounds: int, extra: list[Change] | None = None) -> float:
    """Feed and commit a phase; returns a moment inside the quiet gap after it."""
    await feed(hub, moves(seed, rounds, current(hub)) + ([extra] if extra else []))
    committed_at = time.time()
    await asyncio.sleep(GAP)
    return committed_at + GAP / 2


async def test_a_delayed_board_is_the_live_board_as_it_was(tmp_path: Path) -> None:
    hub = new_hub(tmp_path / "hub.db")
    await hub.open()
    await feed(hub, [[event_change(e) for e in games()]])
    first = await phase(hub, seed=1, rounds=60)
    then_first = snapshot(hub.board)
    late_game = make_event(away=4005, home=4020)
    second = await phase(hub, seed=2, rounds=60, extra=[event_change(late_game)])
    then_second = snapshot(hub.board)
    assert late_game.event_id in then_second[1] and late_game.event_id not in then_first[1]
    await phase(hub, seed=3, rounds=60)
    # and some applied but not yet committed when the replica is made
    for batch in moves(4, 20, current(hub)):
        await hub.submit(batch)

    delay = time.time() - first
    delayed = await hub.delayed.get(delay)
    assert snapshot(delayed.board) == then_first
    assert delayed.sequence == max(p[3] for p in then_first[0].values())
    assert delayed.board.price_count == len(then_first[0])

    # it follows: the second phase shows once it is ``delay`` old, not before
    delayed.advance(second + delay - GAP)
    assert snapshot(delayed.board) == then_first
    delayed.advance(second + delay)
    assert snapshot(delayed.board) == then_second
    # lines and events created after the moment shown were not there, now are
    assert late_game.event_id in {s.event.event_id for s in delayed.board.events()}

    # the live board is untouched, and a second delay gets its own replica
    assert snapshot(hub.board) != then_second
    assert (await hub.delayed.get(delay)) is delayed
    other = await hub.delayed.get(time.time() - second)
    assert other is not delayed and snapshot(other.board) == then_second
    await hub.stop()


async def test_the_follow_loop_keeps_it_behind_and_never_ahead(tmp_path: Path) -> None:
    hub = new_hub(tmp_path / "hub.db")
    await hub.open()
    hub.start()
    await feed(hub, [[event_change(e) for e in games()]])
    delayed = await hub.delayed.get(0.6)
    seen: list[int] = []
    delayed.on_applied(lambda batch: seen.extend(c.sequence for c in batch.changes))
    started = time.time()
    for seed in range(5, 9):
        await phase(hub, seed=seed, rounds=10)
    committed = hub.board.sequence
    assert delayed.sequence < committed
    # every change reaches the replica and its listeners, in order, once
    while delayed.sequence < committed and time.time() - started < 10:
        await asyncio.sleep(0.05)
    assert snapshot(delayed.board) == snapshot(hub.board)
    assert seen == sorted(seen) and len(seen) == len(set(seen)) and seen[-1] == committed
    await hub.stop()


@pytest.mark.parametrize("clean", [True, False], ids=["stopped", "crashed"])
async def test_after_a_restart_the_store_and_the_refilled_log_rebuild_it(
    tmp_path: Path, clean: bool
) -> None:
    path = tmp_path / "hub.db"
    hub = new_hub(path, checkpoint_on_shutdown=clean)
    await hub.open()
    await feed(hub, [[event_change(e) for e in games()]])
    await phase(hub, seed=11, rounds=50)
    await hub.store.checkpoint(hub.board)  # newer than the moment asked for below
    first = await phase(hub, seed=12, rounds=50)
    then_first = snapshot(hub.board)
    await phase(hub, seed=13, rounds=50)
    if clean:
        await hub.stop()
    else:
        crash(hub)

    again = new_hub(path)
    await again.open()
    # the refilled log times changes by their receive time, a little before their
    # commit: ask for a moment well inside the quiet gap
    delayed = await again.delayed.get(time.time() - first)
    assert snapshot(delayed.board) == then_first
    await again.stop()


async def test_a_moment_the_log_cannot_place_is_refused_not_guessed(tmp_path: Path) -> None:
    hub = new_hub(tmp_path / "hub.db")
    await hub.open()
    await feed(hub, [[event_change(e) for e in games()]])
    await phase(hub, seed=21, rounds=20)
    # as after a refill that failed: the log knows nothing before now
    hub.changelog.start_at(hub.board.sequence)
    with pytest.raises(DelayUnavailable) as refused:
        await hub.delayed.get(30.0)
    assert 29.0 <= refused.value.retry_after <= 30.0
    assert "not available yet" in refused.value.message
    # a delay inside what the log has seen since works
    await phase(hub, seed=22, rounds=5)
    assert (await hub.delayed.get(GAP / 4)).sequence <= hub.board.sequence
    await hub.stop()


async def test_retention_evicts_from_delayed_boards_too(tmp_path: Path) -> None:
    hub = new_hub(tmp_path / "hub.db", retention_days=1.0)
    await hub.open()
    await feed(hub, [[event_change(e) for e in games()]])
    await phase(hub, seed=31, rounds=20)
    delayed = await hub.delayed.get(GAP / 4)
    assert len(delayed.board) == len(hub.board) == 3
    await hub.prune(START + timedelta(days=30))
    assert len(hub.board) == 0 and len(delayed.board) == 0
    await hub.stop()


async def test_made_a_part_at_a_time_while_the_live_board_keeps_moving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy and the rewind yield to the event loop between parts (here: one event,
    five keys); changes applied meanwhile, committed or not, are turned back too."""
    monkeypatch.setattr(delayed_module, "COPY_CHUNK", 1)
    monkeypatch.setattr(delayed_module, "REWIND_CHUNK", 5)
    hub = new_hub(tmp_path / "hub.db")
    await hub.open()
    await feed(hub, [[event_change(e) for e in games()]])
    moment = await phase(hub, seed=41, rounds=40)
    then = snapshot(hub.board)
    await phase(hub, seed=42, rounds=40)
    stop = asyncio.Event()

    async def keep_moving() -> None:
        seed = 100
        while not stop.is_set():
            seed += 1
            for batch in moves(seed, 3, current(hub)):
                await hub.submit(batch)
            await asyncio.sleep(0)

    moving = asyncio.create_task(keep_moving())
    now = time.time()
    delayed = await hub.delayed.get(now - moment, now)
    stop.set()
    await moving
    assert snapshot(delayed.board) == then
    await hub.stop()


async def test_changes_applied_but_not_yet_committed_are_turned_back(tmp_path: Path) -> None:
    """The live board holds changes the store has not made durable yet: a replica made
    then must turn those keys back too (the store has them only as they were before)."""
    hub = new_hub(tmp_path / "hub.db")
    await hub.open()
    await feed(hub, [[event_change(e) for e in games()]])
    moment = await phase(hub, seed=51, rounds=40)
    then = snapshot(hub.board)
    # applied to the live board and never handed to the store: as if still in flight
    in_flight = [hub.board.apply(batch) for batch in moves(52, 20, current(hub))]
    assert sum(len(b) for b in in_flight) > 20
    boards = DelayedBoards(hub.board, hub.changelog, hub.store, lambda: in_flight)
    now = time.time()
    replica = await boards.get(now - moment, now)
    assert snapshot(replica.board) == then
    await hub.stop()
