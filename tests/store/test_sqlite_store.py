"""The SQLite tick store against a real SQLite file."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factories import OVER, START, event_change, make_event, price, total
from oddswire.board import Board
from oddswire.model import PriceStatus
from oddswire.store import CorruptStoreError, ForeignStoreError, StoreError, StoreLockedError
from oddswire.store.sqlite import SqliteTickStore
from oddswire.store.sqlite.schema import SCHEMA_VERSION


async def open_store(path: Path, board: Board | None = None) -> tuple[SqliteTickStore, Board]:
    store = SqliteTickStore(str(path))
    await store.open()
    board = board or Board()
    await store.load(board)
    return store, board


def snapshot(board: Board) -> dict[tuple[int, int], tuple[float, int, bool, int]]:
    return {
        (line.ref, aff): (p.price, int(p.status), p.is_main_line, p.sequence)
        for line, aff, p in board.iter_prices()
    }


async def test_new_store_gets_an_epoch_that_survives_reopening(tmp_path: Path) -> None:
    store, _ = await open_store(tmp_path / "s.db")
    epoch = store.info.epoch  # type: ignore[union-attr]
    assert len(epoch) == 32
    await store.close()
    again, _ = await open_store(tmp_path / "s.db")
    assert again.info.epoch == epoch  # type: ignore[union-attr]
    assert again.info.schema_version == SCHEMA_VERSION  # type: ignore[union-attr]
    await again.close()


async def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    store, _ = await open_store(tmp_path / "s.db")
    with pytest.raises(StoreLockedError, match="in use"):
        await SqliteTickStore(str(tmp_path / "s.db")).open()
    await store.close()
    other, _ = await open_store(tmp_path / "s.db")  # released on close
    await other.close()


async def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"my precious notes\n" * 100)
    before = path.read_bytes()
    with pytest.raises(ForeignStoreError, match="not an oddswire store"):
        await SqliteTickStore(str(path)).open()
    assert path.read_bytes() == before


async def test_another_applications_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers VALUES (1, 'ada')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ForeignStoreError, match="belongs to something else"):
        await SqliteTickStore(str(path)).open()
    assert path.read_bytes() == before


async def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    store, _ = await open_store(tmp_path / "s.db")
    await store.close()
    conn = sqlite3.connect(tmp_path / "s.db")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ForeignStoreError, match="newer oddswire"):
        await SqliteTickStore(str(tmp_path / "s.db")).open()


async def test_a_damaged_store_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    ev = make_event()
    store.append(board.apply([event_change(ev)]))
    for i in range(200):
        store.append(board.apply([price(ev, affiliate_id=i % 30 + 1, american=-100 - i)]))
    await store.flush()
    await store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = os.path.getsize(path)
    with open(path, "r+b") as f:  # scribble over every page but the header page
        f.seek(4096)
        f.write(os.urandom(size - 4096))
    with pytest.raises(CorruptStoreError):
        await open_store(path)


async def test_rebuild_from_ticks_then_from_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    events = [make_event(away=4001 + i, home=4020 + i) for i in range(4)]
    store.append(board.apply([event_change(e) for e in events]))
    for round_ in range(30):
        batch = []
        for i, ev in enumerate(events):
            batch.append(price(ev, affiliate_id=19, american=-110 - round_ - i))
            batch.append(total(ev, affiliate_id=3 + round_ % 3, american=-105 - round_))
            if round_ % 7 == 0:
                batch.append(price(ev, affiliate_id=23, american=0, status=PriceStatus.OFF_BOARD))
        store.append(board.apply(batch))
    await store.flush()
    expected = snapshot(board)
    sequence = board.sequence
    await store.close()

    replayed_store, replayed = await open_store(path)
    assert snapshot(replayed) == expected
    assert replayed.sequence == sequence
    assert replayed.changed_since(0).events[0].event.event_id == events[0].event_id
    # a checkpoint, then more changes: the rebuild uses the checkpoint plus the tail
    written = await replayed_store.checkpoint(replayed)
    assert written == len(expected)
    replayed_store.append(replayed.apply([price(events[0], affiliate_id=19, american=333)]))
    await replayed_store.flush()
    expected = snapshot(replayed)
    await replayed_store.close()
    again_store = SqliteTickStore(str(path))
    await again_store.open()
    again = Board()
    stats = await again_store.load(again)
    assert stats.checkpoint_prices == written and stats.tail_prices == 1
    assert snapshot(again) == expected
    await again_store.close()


async def test_fuzzy_checkpoint_with_changes_during_it(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    ev = make_event()
    store.append(board.apply([event_change(ev)]))
    store.append(
        board.apply(
            [
                price(ev, market_id=2, line=f"-{i}.5", affiliate_id=a)
                for i in range(300)
                for a in (3, 19)
            ]
        )
    )
    await store.flush()

    async def churn() -> None:
        for i in range(300):
            store.append(
                board.apply([price(ev, market_id=2, line=f"-{i}.5", affiliate_id=3, american=150)])
            )
            await asyncio.sleep(0)

    await asyncio.gather(store.checkpoint(board), churn())
    await store.flush()
    expected = snapshot(board)
    await store.close()
    _, rebuilt = await open_store(path)
    assert snapshot(rebuilt) == expected


async def test_openers_closing_and_history(tmp_path: Path) -> None:
    store, board = await open_store(tmp_path / "s.db")
    ev = make_event()
    start = START.timestamp()
    store.append(board.apply([event_change(ev)]))
    store.append(
        board.apply(
            [price(ev, affiliate_id=19, american=0, status=PriceStatus.OFF_BOARD, ts=start - 900)]
        )
    )
    store.append(board.apply([price(ev, affiliate_id=19, american=-110, ts=start - 800)]))
    store.append(board.apply([price(ev, affiliate_id=19, american=-120, ts=start - 10)]))
    store.append(board.apply([price(ev, affiliate_id=19, american=-300, ts=start + 600)]))
    store.append(board.apply([total(ev, OVER, affiliate_id=3, american=-105, ts=start - 50)]))
    await store.flush()
    state = board.event(ev.event_id)
    assert state is not None
    openers = {(r.line_ref, r.affiliate_id): r.price for r in await store.openers([state.ref])}
    assert openers == {(1, 19): -110, (2, 3): -105}
    closing = {
        (r.line_ref, r.affiliate_id): r.price for r in await store.closing([(state.ref, start)])
    }
    assert closing == {(1, 19): -120, (2, 3): -105}
    history = await store.history(state.ref, line_refs=[1])
    # the line's first tick was a pull with no quote yet: price 0, status off the board
    assert [(h.price, h.status) for h in history] == [
        (0, PriceStatus.OFF_BOARD),
        (-110, PriceStatus.OPEN),
        (-120, PriceStatus.OPEN),
        (-300, PriceStatus.OPEN),
    ]
    assert history[0].previous_price is None
    assert history[1].previous_status == PriceStatus.OFF_BOARD
    assert history[2].previous_price == -110
    recent = await store.history(state.ref, since=start - 100, affiliate_ids=[19])
    assert [h.price for h in recent] == [-120, -300]
    assert len(await store.history(state.ref, limit=2)) == 2
    await store.close()


async def test_prune_deletes_old_events_with_their_ticks(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    old = make_event(away=4030, home=4029, start=datetime(2026, 10, 1, tzinfo=UTC))
    new = make_event()
    store.append(board.apply([event_change(old), event_change(new), price(old), price(new)]))
    await store.flush()
    removed = await store.prune(datetime(2026, 11, 1, tzinfo=UTC))
    assert removed == [old.event_id]
    assert await store.count_ticks() == 1
    await store.close()
    _, rebuilt = await open_store(path)
    assert rebuilt.event(old.event_id) is None and rebuilt.event(new.event_id) is not None


async def test_sequence_continues_above_every_reservation(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    store.reserve_sequence(5_000)
    ev = make_event()
    store.append(board.apply([event_change(ev), price(ev)]))
    await store.flush()
    assert store.reserved_sequence == 5_000
    # simulate a crash: drop the store without close() (no shrinking of the reservation)
    store._lock.release()
    _, rebuilt = await open_store(path)
    assert rebuilt.sequence == 5_000  # the next change gets 5001, never 3..5000


async def test_clean_close_shrinks_the_reservation(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    store.reserve_sequence(5_000)
    ev = make_event()
    store.append(board.apply([event_change(ev), price(ev)]))
    await store.close()
    _, rebuilt = await open_store(path)
    assert rebuilt.sequence == 2


async def test_a_failed_write_is_retried_and_nothing_is_lost(tmp_path: Path) -> None:
    store, board = await open_store(tmp_path / "s.db")
    ev = make_event()
    store.append(board.apply([event_change(ev)]))
    await store.flush()
    await store.limit_size(0.001)  # a "full disk": the file may not grow
    for i in range(2000):
        store.append(board.apply([price(ev, market_id=2, line=f"-{i}.5", american=-110)]))
    for _ in range(200):
        await asyncio.sleep(0.02)
        if store.error is not None:
            break
    assert store.error is not None
    assert "full" in str(store.error)
    assert store.committed_sequence == 1
    await store.limit_size(0)  # space again: the queued writes go through
    assert await store.flush() == board.sequence
    assert store.error is None
    assert await store.count_ticks() == 2000
    await store.close()


async def test_a_dead_writer_is_reported_not_waited_for(tmp_path: Path) -> None:
    store, board = await open_store(tmp_path / "s.db")
    ev = make_event()
    store.append(board.apply([event_change(ev)]))
    await store.flush()
    store._writer.kill()
    for _ in range(250):
        if store._writer.dead:
            break
        await asyncio.sleep(0.02)
    assert store.error is not None
    assert "exited" in str(store.error)
    with pytest.raises(StoreError, match="writer has stopped"):
        store.append(board.apply([price(ev, american=-150)]))
    with pytest.raises(StoreError, match="writer has stopped"):
        await store.flush()
    store._lock.release()


async def test_the_writer_holds_the_lock_until_it_exits(tmp_path: Path) -> None:
    store, _ = await open_store(tmp_path / "s.db")
    # the hub "died": the kernel closes its descriptors (no unlock), the writer lives on.
    # This process is alive, so the lock file names a live holder: refused at once.
    os.close(store._lock._fd)
    store._lock._fd = None
    with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}"):
        await SqliteTickStore(str(tmp_path / "s.db")).open()
    store._writer.kill()
    again, _ = await open_store(tmp_path / "s.db")
    await again.close()


async def test_a_new_hub_waits_for_the_writer_of_a_dead_one(tmp_path: Path) -> None:
    store, _ = await open_store(tmp_path / "s.db")
    lock_path = tmp_path / "s.db.lock"
    os.close(store._lock._fd)
    store._lock._fd = None
    lock_path.write_text("pid 999999999")  # the recorded holder is dead
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, store._writer.kill)  # its writer finishes a moment later
    again, _ = await open_store(tmp_path / "s.db")  # waits, then succeeds
    await again.close()
