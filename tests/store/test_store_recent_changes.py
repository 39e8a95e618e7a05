"""``TickStore.recent_changes``: the newest committed changes, read back to refill the
hub's change log (a suffix of the stored history, oldest first)."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from factories import event_change, make_event, price
from oddswire.board import AppliedBatch, Board
from oddswire.model import Event, EventChange, PriceChange, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.store.base import EventTickRecord, PriceTickRecord
from oddswire.store.sqlite import SqliteTickStore, tail

NOW = time.time()
_stamps = itertools.count()

Record = PriceTickRecord | EventTickRecord


async def open_store(path: Path) -> tuple[SqliteTickStore, Board]:
    store = SqliteTickStore(str(path))
    await store.open()
    board = Board()
    await store.load(board)
    return store, board


def crash(store: SqliteTickStore) -> None:
    """What a killed hub leaves: its writer gone, no lock, no open connections."""
    store._writer.kill()  # type: ignore[union-attr]
    store._lock.release()
    for conn in store._reader_conns:
        conn.close()


def at(event: Event, seconds_ago: float = 0.0, **kw: object) -> PriceChange:
    """A price received ``seconds_ago`` (each a little after the one before)."""
    stamp = NOW - seconds_ago + next(_stamps) * 1e-3
    return price(event, ts=stamp, **kw)  # type: ignore[arg-type]


def header(event: Event, seconds_ago: float = 0.0) -> EventChange:
    change = event_change(event)
    change.received_ts = NOW - seconds_ago + next(_stamps) * 1e-3
    return change


def applied(*batches: AppliedBatch) -> list[PriceChange | EventChange]:
    return [change for batch in batches for change in batch.changes]


def as_tuple(record: Record) -> tuple[object, ...]:
    if isinstance(record, PriceTickRecord):
        return (
            record.sequence,
            record.affiliate_id,
            record.price,
            record.status,
            record.is_main_line,
            record.source_ts,
            record.received_ts,
            record.previous_price,
            record.previous_status,
        )
    return (record.sequence, record.event, record.received_ts, record.previous)


def expected(changes: list[PriceChange | EventChange]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for c in changes:
        if isinstance(c, PriceChange):
            out.append(
                (
                    c.sequence,
                    c.affiliate_id,
                    c.price,
                    c.status,
                    c.is_main_line,
                    c.source_ts,
                    c.received_ts,
                    c.previous_price,
                    c.previous_status,
                )
            )
        else:
            out.append((c.sequence, c.event, c.received_ts, c.previous))
    return out


def two_games() -> tuple[Event, Event]:
    return make_event(), make_event(sport_id=6, away=6001, home=6002)


async def test_every_change_oldest_first_as_the_board_stamped_it(tmp_path: Path) -> None:
    store, board = await open_store(tmp_path / "s.db")
    nba, nhl = two_games()
    batches = [
        board.apply([header(nba), header(nhl)]),
        board.apply([at(nba, american=-110), at(nhl, american=120), at(nba, affiliate_id=3)]),
        board.apply([at(nhl, american=125), at(nba, american=-115)]),
        board.apply([header(make_event(status=EventStatus.IN_PROGRESS, score_home=3))]),
        board.apply([at(nba, status=PriceStatus.OFF_BOARD, american=0)]),  # keeps -115
        board.apply([at(nba, american=-120), at(nhl, affiliate_id=23, main=False)]),
    ]
    for batch in batches:
        store.append(batch)
    await store.flush()
    found = await store.recent_changes(1000, 0.0)
    assert [r.sequence for r in found] == list(range(1, board.sequence + 1))
    assert [as_tuple(r) for r in found] == expected(applied(*batches))
    pulled = found[8]
    assert isinstance(pulled, PriceTickRecord)
    assert (pulled.price, pulled.status, pulled.previous_price) == (
        -115,
        PriceStatus.OFF_BOARD,
        -115,
    )
    score = found[7]
    assert isinstance(score, EventTickRecord)
    assert score.event.score.score_home == 3 and score.previous == nba
    assert score.event_ref == board.event(nba.event_id).ref  # type: ignore[union-attr]
    await store.close()


async def test_limit_keeps_the_newest_and_finds_previous_prices_below_them(
    tmp_path: Path,
) -> None:
    store, board = await open_store(tmp_path / "s.db")
    nba, nhl = two_games()
    batches = [board.apply([header(nba), header(nhl)])]
    batches.append(board.apply([at(nba, american=-110), at(nhl, american=150)]))  # 3, 4
    for i in range(30):  # 5..34: other keys
        batches.append(board.apply([at(nba, market_id=2, line=f"-{i}.5")]))
    batches.append(board.apply([at(nba, american=-125), at(nhl, american=155)]))  # 35, 36
    for batch in batches:
        store.append(batch)
    await store.flush()
    found = await store.recent_changes(4, 0.0)
    assert [r.sequence for r in found] == [33, 34, 35, 36]
    assert [as_tuple(r) for r in found] == expected(applied(*batches)[-4:])
    assert [(r.previous_price, r.previous_status) for r in found[2:]] == [  # type: ignore[union-attr]
        (-110, PriceStatus.OPEN),
        (150, PriceStatus.OPEN),
    ]
    assert await store.recent_changes(0, 0.0) == []
    await store.close()


async def test_since_cuts_the_tail_at_the_first_change_received_before_it(
    tmp_path: Path,
) -> None:
    store, board = await open_store(tmp_path / "s.db")
    nba, _ = two_games()
    old = board.apply([header(nba, 4000), at(nba, 3900), at(nba, 3800, affiliate_id=3)])
    # received out of order: 4 is recent, 5 is old, 6 and 7 are recent
    mixed = board.apply([at(nba, 10, american=-120), at(nba, 3000, affiliate_id=3, american=101)])
    new = board.apply([at(nba, 5, american=-125), at(nba, 1, affiliate_id=3, american=103)])
    for batch in (old, mixed, new):
        store.append(batch)
    await store.flush()
    found = await store.recent_changes(100, NOW - 1800)
    # a suffix: stops at 5 (older than since), so 4 is left out although it is recent
    assert [r.sequence for r in found] == [6, 7]
    assert [as_tuple(r) for r in found] == expected(applied(new))
    assert [r.sequence for r in await store.recent_changes(100, NOW - 3850)] == [3, 4, 5, 6, 7]
    assert await store.recent_changes(100, NOW + 60) == []
    await store.close()


async def test_sequences_with_holes_are_read_across_them(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store, board = await open_store(path)
    nba, nhl = two_games()
    first = [board.apply([header(nba), header(nhl)])]
    first += [
        board.apply([at(nba, american=-100 - i), at(nhl, american=100 + i)]) for i in range(5)
    ]
    store.reserve_sequence(3_000_000)
    for batch in first:
        store.append(batch)
    await store.flush()
    crash(store)  # numbers reserved, never used

    store, board = await open_store(path)
    assert board.sequence == 3_000_000
    second = [board.apply([at(nba, american=-200 - i)]) for i in range(3)]
    store.reserve_sequence(7_000_000)
    for batch in second:
        store.append(batch)
    await store.flush()
    crash(store)

    store, board = await open_store(path)
    third = [board.apply([at(nhl, american=300 + i)]) for i in range(2)]
    for batch in third:
        store.append(batch)
    await store.flush()
    everything = applied(*first, *second, *third)
    assert [c.sequence for c in everything][-7:] == [
        11,
        12,
        3_000_001,
        3_000_002,
        3_000_003,
        7_000_001,
        7_000_002,
    ]
    found = await store.recent_changes(1000, 0.0)
    assert [as_tuple(r) for r in found] == expected(everything)
    # a limit reaching back across both holes
    found = await store.recent_changes(7, 0.0)
    assert [as_tuple(r) for r in found] == expected(everything[-7:])
    await store.close()


async def test_previous_prices_from_the_checkpoint_and_the_look_back(tmp_path: Path) -> None:
    store, board = await open_store(tmp_path / "s.db")
    nba, nhl = two_games()
    batches = [
        board.apply([header(nba), header(nhl)]),
        board.apply([at(nba, american=-110), at(nhl, american=150)]),  # 3, 4
        board.apply([at(nhl, american=160)]),  # 5
    ]
    for batch in batches:
        store.append(batch)
    await store.checkpoint(board)  # watermark 5
    later = [board.apply([at(nba, market_id=2, line=f"-{i}.5")]) for i in range(10)]  # 6..15
    later.append(board.apply([at(nba, american=-130), at(nhl, american=170)]))  # 16, 17
    for batch in later:
        store.append(batch)
    await store.flush()
    reader = store._reader()
    want = expected(applied(*batches, *later)[-2:])
    for lookback in (-1, 0, 1, 5):
        # the checkpoint is older than the window: the look-back reaches down to it and
        # the checkpoint's rows settle what it does not find, so it is always exact
        found = tail.recent_changes(reader, 2, 0.0, lookback)
        assert [as_tuple(r) for r in found] == want, lookback

    await store.checkpoint(board)  # watermark 17: newer than the window
    await store.flush()
    exact = tail.recent_changes(reader, 2, 0.0, -1)
    assert [as_tuple(r) for r in exact] == want
    # the look-back (3 numbers below the window: 13..15) does not reach 3 and 5, and
    # the checkpoint holds 16 and 17 themselves: unknown rather than wrong
    short = tail.recent_changes(reader, 2, 0.0, 3)
    assert [(r.previous_price, r.previous_status) for r in short] == [(None, None)] * 2  # type: ignore[union-attr]
    assert [r.sequence for r in short] == [16, 17]
    assert tail.recent_changes(reader, 2, 0.0, 13) == exact  # reaches 3 and 5
    await store.close()


async def test_event_ticks_carry_the_event_before(tmp_path: Path) -> None:
    store, board = await open_store(tmp_path / "s.db")
    nba, nhl = two_games()
    live = make_event(status=EventStatus.IN_PROGRESS)
    scored = make_event(status=EventStatus.IN_PROGRESS, score_home=2)
    batches = [
        board.apply([header(nba), header(nhl)]),
        board.apply([header(live), at(nhl)]),  # 3, 4
        board.apply([at(nba)]),  # 5
        board.apply([header(scored)]),  # 6
    ]
    for batch in batches:
        store.append(batch)
    await store.flush()
    found = await store.recent_changes(3, 0.0)
    assert [as_tuple(r) for r in found] == expected(applied(*batches)[-3:])
    events = [r for r in found if isinstance(r, EventTickRecord)]
    assert [(r.sequence, r.previous, r.event) for r in events] == [(6, live, scored)]
    everything = await store.recent_changes(100, 0.0)
    firsts = [r.previous for r in everything if isinstance(r, EventTickRecord)]
    assert firsts == [None, None, nba, live]
    await store.close()


async def test_an_empty_store_has_no_recent_changes(tmp_path: Path) -> None:
    store, _ = await open_store(tmp_path / "s.db")
    assert await store.recent_changes(1000, 0.0) == []
    await store.close()
